// `regelwerk test` behind the API: every `test` block of a rule set becomes one row; tests with the
// same params share a batch; both engines evaluate it; results are compared exactly, with the expected
// values and with each other. explainRow renders the interpreter's trace of one row.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "group_tests.hpp"
#include "runtime/exec/api.hpp"
#include "row_error.hpp"
#include "test_coverage.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/interp/interpreter.hpp"

namespace regelwerk {

std::string testParams(const ir::Program& program, const ir::TestCase& test, std::vector<ParamSlot>* slots) {
  slots->assign(program.params.size(), ParamSlot{0, StrRef{nullptr, 0}});
  std::vector<bool> set(program.params.size(), false);
  for (size_t index = 0; index < program.params.size(); ++index) {
    const ir::Param& param = program.params[index];
    if (!param.has_default) continue;
    (*slots)[index] = ParamSlot{param.default_i64, StrRef{param.default_str.data(), static_cast<int64_t>(param.default_str.size())}};
    set[index] = true;
  }
  for (const auto& [index, value] : test.params) {
    (*slots)[index] = ParamSlot{value.i64, StrRef{value.str.data(), static_cast<int64_t>(value.str.size())}};
    set[index] = true;
  }
  for (size_t index = 0; index < program.params.size(); ++index) {
    if (!set[index]) {
      return fmt::format("param `{}` has no default: set it with `params {} = ...`", program.params[index].name,
                         program.params[index].name);
    }
  }
  return "";
}

namespace {

bool sameParams(const std::vector<ParamSlot>& a, const std::vector<ParamSlot>& b) {
  for (size_t index = 0; index < a.size(); ++index) {
    if (a[index].i64 != b[index].i64) return false;
    std::string_view left(a[index].str.data ? a[index].str.data : "", static_cast<size_t>(a[index].str.size));
    std::string_view right(b[index].str.data ? b[index].str.data : "", static_cast<size_t>(b[index].str.size));
    if (left != right) return false;
  }
  return true;
}

// One batch: the tests that share params, their input rows, and what each engine produced.
struct Group {
  std::vector<ParamSlot> params;
  std::vector<size_t> tests;  // indices into program.tests
};

struct Evaluated {
  Batch outputs;
  std::vector<RowError> errors;
};

void fillInputs(const ir::Program& program, const Group& group, Batch& batch) {
  for (size_t row = 0; row < group.tests.size(); ++row) {
    const ir::TestCase& test = program.tests[group.tests[row]];
    for (size_t column = 0; column < program.inputs.size(); ++column) {
      const ir::TestValue& value = test.inputs[column];
      Column& target = batch.column(column);
      if (target.valid()) target.valid()[row] = value.present ? 1 : 0;
      switch (target.kind()) {
        case ir::Kind::Bool: target.boolean()[row] = value.i64 != 0; break;
        case ir::Kind::I64: target.i64()[row] = value.i64; break;
        case ir::Kind::Str: target.str()[row] = StrRef{value.str.data(), static_cast<int64_t>(value.str.size())}; break;
      }
    }
  }
  batch.setRows(group.tests.size());
}

Evaluated evaluate(const ir::Program& program, const Evaluator& evaluator, Batch& inputs, const Group& group) {
  Evaluated out{Batch(ir::typesOf(program.outputs), group.tests.size()), std::vector<RowError>(group.tests.size())};
  std::vector<ColumnView> input_views = inputs.views();
  std::vector<ColumnView> output_views = out.outputs.views();
  evaluator.evaluate(input_views.data(), group.params.data(), output_views.data(), out.errors.data(),
                     static_cast<int64_t>(group.tests.size()));
  return out;
}

ir::TestValue cellOf(const Batch& batch, size_t column, size_t row) {
  const Column& source = batch.column(column);
  ir::TestValue value;
  value.present = source.isValid(row);
  if (!value.present) return value;
  switch (source.kind()) {
    case ir::Kind::Bool: value.i64 = source.boolean()[row]; break;
    case ir::Kind::I64: value.i64 = source.i64()[row]; break;
    case ir::Kind::Str: value.str.assign(source.str()[row].data ? source.str()[row].data : "", source.str()[row].size); break;
  }
  return value;
}

bool sameValue(const ir::TestValue& a, const ir::TestValue& b) {
  return a.present == b.present && (!a.present || (a.i64 == b.i64 && a.str == b.str));
}

// `6.77`, `reminder`, `2025-07-06`, `"text"`, `missing`: a value as a test would write it.
std::string show(const ir::Type& type, const ir::TestValue& value) {
  if (!value.present) return "missing";
  std::string text;
  formatCell(type, "", CellValue{value.i64, value.str, false}, &text);
  return type.isString() ? "\"" + value.str + "\"" : text;
}

std::string outcomeText(const ir::Program& program, const RowError& error) {
  return error.code == 0 ? "accepted" : "rejected: " + describeRowError(program, error);
}

// Compares one engine's row with the test's expectations.
void compareExpected(const ir::Program& program, const ir::TestCase& test, const Evaluated& result, size_t row,
                     std::vector<std::string>* problems) {
  const RowError& error = result.errors[row];
  if (test.expect_rejected) {
    if (error.code == 0) {
      problems->push_back(fmt::format("expected rejected \"{}\", actual: accepted", test.rejected_reason));
    } else if (describeRowError(program, error).find(test.rejected_reason) == std::string::npos) {
      problems->push_back(fmt::format("expected rejected \"{}\", actual: {}", test.rejected_reason,
                                      outcomeText(program, error)));
    }
    return;
  }
  if (error.code != 0) {
    problems->push_back(fmt::format("expected outputs, actual: {}", outcomeText(program, error)));
    return;
  }
  for (const auto& [output, expected] : test.expect) {
    ir::TestValue actual = cellOf(result.outputs, output, row);
    if (sameValue(expected, actual)) continue;
    const ir::Output& declared = program.outputs[output];
    problems->push_back(fmt::format("{}: expected {}, actual {}", declared.name, show(declared.type, expected),
                                    show(declared.type, actual)));
  }
}

// The engines must agree on the row's fate and on every output, expected or not.
void compareEngines(const ir::Program& program, const Evaluated& interp, const Evaluated& jit, size_t row,
                    std::vector<std::string>* problems) {
  const RowError& a = interp.errors[row];
  const RowError& b = jit.errors[row];
  if (a.code != b.code || a.site != b.site || a.rule_a != b.rule_a || a.rule_b != b.rule_b) {
    problems->push_back(fmt::format("the engines disagree: interpreter {}, JIT {}", outcomeText(program, a),
                                    outcomeText(program, b)));
    return;
  }
  if (a.code != 0) return;
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    ir::TestValue left = cellOf(interp.outputs, output, row);
    ir::TestValue right = cellOf(jit.outputs, output, row);
    if (sameValue(left, right)) continue;
    const ir::Output& declared = program.outputs[output];
    problems->push_back(fmt::format("the engines disagree on {}: interpreter {}, JIT {}", declared.name,
                                    show(declared.type, left), show(declared.type, right)));
  }
}

std::vector<Group> groupByParams(const ir::Program& program, TestSummary& summary) {
  std::vector<Group> groups;
  for (size_t index = 0; index < program.tests.size(); ++index) {
    std::vector<ParamSlot> slots;
    std::string problem = testParams(program, program.tests[index], &slots);
    if (!problem.empty()) {
      summary.results[index].problems.push_back(problem);
      continue;
    }
    auto found = std::find_if(groups.begin(), groups.end(), [&](const Group& g) { return sameParams(g.params, slots); });
    if (found == groups.end()) found = groups.insert(groups.end(), Group{slots, {}});
    found->tests.push_back(index);
  }
  return groups;
}

// Tests of an ungrouped rule set: one row each, a batch per set of params.
void runRowTests(const RuleSet& rules, const Engine& interp, const Engine& jit, TestSummary& summary) {
  const ir::Program& program = rules.program();
  for (const Group& group : groupByParams(program, summary)) {
    Batch inputs(ir::typesOf(program.inputs), group.tests.size());
    fillInputs(program, group, inputs);
    Evaluated by_interp = evaluate(program, interp.evaluator(), inputs, group);
    Evaluated by_jit = evaluate(program, jit.evaluator(), inputs, group);
    for (size_t row = 0; row < group.tests.size(); ++row) {
      TestResult& result = summary.results[group.tests[row]];
      compareExpected(program, program.tests[group.tests[row]], by_interp, row, &result.problems);
      compareEngines(program, by_interp, by_jit, row, &result.problems);
      if (result.problems.empty()) continue;
      std::vector<ColumnView> views = inputs.views();
      result.explanation = explainRow(rules, views.data(), group.params.data(), static_cast<int64_t>(row));
    }
  }
}

}  // namespace

TestSummary runTests(const RuleSet& rules) {
  const ir::Program& program = rules.program();
  TestSummary summary;
  for (const ir::TestCase& test : program.tests) {
    std::string file = test.file.empty() ? rules.path() : test.file;
    summary.results.push_back(TestResult{test.name, fmt::format("{}:{}", file, test.loc.line), false, {}, ""});
  }
  if (program.tests.empty()) {
    summary.coverage = ruleCoverage(rules, {}, {});  // no test exercises anything
    return summary;
  }
  std::string error;
  auto interp = Engine::create(rules, EngineKind::Interp, &error);
  auto jit = Engine::create(rules, EngineKind::Jit, &error);
  if (!jit) {
    summary.error = "internal error in the JIT: " + error;
    return summary;
  }
  const CoverageEngine traced(program, *interp);
  if (program.grouping) {
    for (size_t index = 0; index < program.tests.size(); ++index) runGroupTest(rules, traced, *jit, index, &summary.results[index]);
  } else {
    runRowTests(rules, traced, *jit, summary);
  }
  summary.coverage = traced.coverage(rules);
  for (TestResult& result : summary.results) {
    result.passed = result.problems.empty();
    ++(result.passed ? summary.passed : summary.failed);
  }
  return summary;
}

std::string renderTestResults(const TestSummary& summary, bool passing) {
  std::string out;
  for (const TestResult& result : summary.results) {
    if (result.passed) {
      if (passing) out += fmt::format("ok   {} test \"{}\"\n", result.location, result.name);
      continue;
    }
    std::string problems;
    for (const std::string& problem : result.problems) problems += (problems.empty() ? "" : "; ") + problem;
    std::string applied = result.explanation;
    while (!applied.empty() && applied.back() == '\n') applied.pop_back();
    for (size_t pos = applied.find('\n'); pos != std::string::npos; pos = applied.find('\n', pos)) {
      applied.replace(pos, 1, " | ");
    }
    out += fmt::format("FAIL {} test \"{}\": {}{}\n", result.location, result.name, problems,
                       applied.empty() ? "" : " | rules: " + applied);
  }
  return out;
}

namespace {

// The fields, params and lets a condition reads, each once, in the order they are first read.
void namesRead(const ir::Expr& expr, std::vector<std::pair<ir::Op, uint32_t>>* names) {
  if (expr.op == ir::Op::Input || expr.op == ir::Op::Param || expr.op == ir::Op::Let) {
    const std::pair<ir::Op, uint32_t> name{expr.op, expr.index};
    if (std::find(names->begin(), names->end(), name) == names->end()) names->push_back(name);
  }
  for (const ir::ExprPtr& arg : expr.args) namesRead(*arg, names);
}

std::string cellOrMissing(const ir::Type& type, const CellValue& value) {
  if (value.missing) return "missing";
  std::string text;
  formatCell(type, "", value, &text);
  return type.isString() ? "\"" + text + "\"" : text;
}

// ` [days_overdue = 45, open = 120.50]`: the values a rule's condition read on this row.
std::string valuesRead(const ir::Program& program, const ir::Rule& rule, const ColumnView* inputs,
                       const ParamSlot* params, int64_t row, const RowTrace& trace) {
  if (!rule.condition || trace.error.code != 0) return "";  // a failed row's later lets were never computed
  std::vector<std::pair<ir::Op, uint32_t>> names;
  namesRead(*rule.condition, &names);
  std::string out;
  for (const auto& [op, index] : names) {
    CellValue value;
    const ir::Type* type = nullptr;
    std::string name;
    if (op == ir::Op::Input) {
      const ir::InputColumn& column = program.inputs[index];
      type = &column.type;
      name = column.name;
      value = cellAt(inputs[index], ir::physicalKind(column.type), static_cast<size_t>(row));
    } else if (op == ir::Op::Param) {
      type = &program.params[index].type;
      name = program.params[index].name;
      value.i64 = params[index].i64;
      value.str = std::string_view(params[index].str.data ? params[index].str.data : "",
                                   static_cast<size_t>(params[index].str.size));
    } else {
      type = &program.lets[index].type;
      name = program.lets[index].name;
      value = CellValue{trace.lets[index].i64, trace.lets[index].str, !trace.lets[index].present};
    }
    out += fmt::format("{}{} = {}", out.empty() ? "" : ", ", name, cellOrMissing(*type, value));
  }
  return out.empty() ? "" : " [" + out + "]";
}

// A rule as explanations name it: its name, or `row 2` for a decision table's row.
std::string shownName(const ir::Rule& rule) {
  return rule.table_row != 0 ? "row " + std::to_string(rule.table_row) : rule.name;
}

}  // namespace

std::string explainRow(const RuleSet& rules, const ColumnView* inputs, const ParamSlot* params, int64_t row) {
  const ir::Program& program = rules.program();
  RowTrace trace = traceRow(program, inputs, params, row);
  auto read = [&](const ir::Rule& rule) { return valuesRead(program, rule, inputs, params, row, trace); };
  std::string out;
  for (size_t block = 0; block < program.decisions.size(); ++block) {
    const ir::Decision& decision = program.decisions[block];
    std::string line = fmt::format("decide {} (line {}):", ir::hitPolicyName(decision.policy), decision.loc.line);
    std::string separator = " ";
    for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
      const ir::Rule& current = decision.rules[rule];
      const RuleTrace& outcome = trace.decisions[block][rule];
      std::string name = shownName(current) + (current.label.empty() ? "" : " \"" + current.label + "\"");
      switch (outcome.outcome) {
        case RuleOutcome::NotEvaluated: continue;
        case RuleOutcome::DidNotApply: line += separator + shownName(current) + " did not apply"; break;
        case RuleOutcome::Won: line += separator + name + " won" + read(current); break;
        case RuleOutcome::Applied: line += separator + name + " applied" + read(current); break;
        case RuleOutcome::Overridden:
          line += separator + name + " applied but was overridden by " +
                  shownName(decision.rules[static_cast<size_t>(outcome.overridden_by)]) + read(current);
          break;
      }
      separator = "; ";
    }
    if (separator == " ") line += " no rule was evaluated";
    out += line + "\n";
  }
  if (trace.error.code != 0) out += outcomeText(program, trace.error) + "\n";
  return out;
}

}  // namespace regelwerk
