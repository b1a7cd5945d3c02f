// Decision blocks of thousands of rules: the JIT splits them into bounded chunk functions
// (compiler/codegen/chunk_plan.hpp) instead of one huge `rules` function, and the chunked code agrees
// with the interpreter bit for bit on rows that hit the first, a middle and the last rule, on rows no rule
// takes, and on errors raised inside a chunk (overflow, unique conflicts across chunks).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fmt/format.h>
#include <string>
#include <vector>

#include "compiler/codegen/chunk_plan.hpp"
#include "compiler/codegen/codegen.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/interp/interpreter.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace ir = regelwerk::ir;

namespace {

// Rule k takes the rows with code == k and sets category = k and fee = amount + k.00 EUR (which
// overflows for an amount near the largest money value). `unique` blocks get one more rule that also
// takes code 0 above 1000.00 EUR, so such a row is a conflict between rule 0 and the last rule.
std::string largeBlock(const std::string& policy, size_t rules) {
  std::string text =
      "ruleset large\n\ninput Row\n  code: int\n  amount: money\n\n"
      "output category: int = -1\noutput fee: money = 0.00 EUR\n\ndecide " + policy + "\n";
  for (size_t k = 0; k < rules; ++k) {
    text += fmt::format("  rule r{} when code == {} then category = {}, fee = amount + {}.00 EUR\n", k, k, k, k);
  }
  if (policy == "unique") text += "  rule also_zero when code == 0 and amount > 1000.00 EUR then category = -2\n";
  return text + "end\n";
}

// `blocks` exceptions blocks of 32 rules, block b assigning c<b>; in each block rule j (odd) overrides
// rule j - 1, and rule j applies when code == j or code == j - 1, so odd rules win over even ones.
std::string exceptionBlocks(size_t blocks) {
  std::string text = "ruleset large\n\ninput Row\n  code: int\n  amount: money\n\n";
  for (size_t block = 0; block < blocks; ++block) text += fmt::format("output c{}: int = -1\n", block);
  for (size_t block = 0; block < blocks; ++block) {
    text += "\ndecide exceptions\n";
    for (size_t rule = 0; rule < 32; ++rule) {
      std::string overrides = rule % 2 == 1 ? fmt::format(" overrides b{}r{}", block, rule - 1) : "";
      text += fmt::format("  rule b{}r{}{} when code == {} or code == {} then c{} = {} + code\n", block, rule,
                          overrides, rule, rule == 0 ? 0 : rule - 1, block, block * 100 + rule);
    }
    text += "end\n";
  }
  return text;
}

std::unique_ptr<regelwerk::RuleSet> load(const std::string& text) {
  regelwerk::Diagnostics diagnostics;
  auto rules = regelwerk::RuleSet::fromText("large.rules", text, &diagnostics);
  INFO(diagnostics.text);
  REQUIRE(rules);
  return rules;
}

struct Row {
  int64_t code;
  int64_t amount_cents;
};

// Every output value and validity byte and every error field of every row, as one flat list.
std::vector<int64_t> evaluate(const regelwerk::Evaluator& engine, const ir::Program& program,
                              const std::vector<Row>& rows) {
  regelwerk::Batch inputs({program.inputs[0].type, program.inputs[1].type}, rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    inputs.column(0).i64()[row] = rows[row].code;
    inputs.column(1).i64()[row] = rows[row].amount_cents;
  }
  inputs.setRows(rows.size());
  std::vector<ir::Type> types;
  for (const ir::Output& output : program.outputs) types.push_back(output.type);
  regelwerk::Batch outputs(types, rows.size());
  std::vector<regelwerk::RowError> errors(rows.size());
  auto in = inputs.views();
  auto out = outputs.views();
  engine.evaluate(in.data(), nullptr, out.data(), errors.data(), static_cast<int64_t>(rows.size()));
  std::vector<int64_t> seen;
  for (size_t row = 0; row < rows.size(); ++row) {
    seen.insert(seen.end(), {errors[row].code, errors[row].site, errors[row].rule_a, errors[row].rule_b});
    if (errors[row].code != 0) continue;
    for (size_t output = 0; output < program.outputs.size(); ++output) seen.push_back(outputs.column(output).i64()[row]);
  }
  return seen;
}

std::vector<int64_t> bothEngines(const regelwerk::RuleSet& rules, const std::vector<Row>& rows) {
  std::string error;
  auto jit = regelwerk::compileJit(rules.program(), &error);
  INFO(error);
  REQUIRE(jit);
  auto interp = regelwerk::makeInterpreter(rules.program());
  std::vector<int64_t> from_interp = evaluate(*interp, rules.program(), rows);
  CHECK(evaluate(*jit, rules.program(), rows) == from_interp);
  return from_interp;
}

constexpr int64_t kMaxMoney = INT64_MAX - 99;  // amount + 1.00 EUR or more overflows

int32_t code(ir::ErrorCode error) { return static_cast<int32_t>(error); }

}  // namespace

TEST_CASE("a 20,000-rule decide first becomes bounded chunk functions, not one huge function", "[jit][large]") {
  auto rules = load(largeBlock("first", 20000));
  REQUIRE(regelwerk::codegen::isLargeProgram(rules->program()));
  std::string error;
  std::vector<regelwerk::GeneratedFunction> functions = regelwerk::generatedFunctions(rules->program(), &error);
  INFO(error);
  REQUIRE(functions.size() > 100);
  size_t total = 0;
  size_t largest_chunk = 0;
  size_t rules_function = 0;
  for (const regelwerk::GeneratedFunction& function : functions) {
    total += function.instructions;
    if (function.name == "rules") rules_function = function.instructions;
    if (function.name != "rules") largest_chunk = std::max(largest_chunk, function.instructions);
  }
  INFO("total " << total << ", largest chunk " << largest_chunk << ", rules " << rules_function);
  // Each chunk holds about kChunkNodes IR nodes, whatever the block's size; the row loop only calls them.
  CHECK(largest_chunk <= 4 * regelwerk::codegen::kChunkNodes);
  CHECK(rules_function * 5 < total);
  CHECK(largest_chunk * 100 < total);
}

TEST_CASE("a small rule set stays in one function", "[jit][large]") {
  auto rules = load(largeBlock("first", 10));
  REQUIRE_FALSE(regelwerk::codegen::isLargeProgram(rules->program()));
  std::string error;
  std::vector<regelwerk::GeneratedFunction> functions = regelwerk::generatedFunctions(rules->program(), &error);
  REQUIRE(functions.size() == 1);
  CHECK(functions[0].name == "rules");
}

TEST_CASE("decide first of 3,000 rules: both engines agree on the first, a middle and the last rule", "[jit][large]") {
  auto rules = load(largeBlock("first", 3000));
  REQUIRE(regelwerk::codegen::isLargeProgram(rules->program()));
  std::vector<Row> rows = {{0, 500}, {1500, 500}, {2999, 500}, {3000, 500}, {-1, 0}, {2999, kMaxMoney}, {0, kMaxMoney}};
  std::vector<int64_t> seen = bothEngines(*rules, rows);
  std::vector<int64_t> expected = {0, 0, -1, -1, 0, 500,           // rule 0: fee = amount + 0.00
                                   0, 0, -1, -1, 1500, 150500,     // rule 1500
                                   0, 0, -1, -1, 2999, 300400,     // the last rule
                                   0, 0, -1, -1, -1, 0,            // no rule: the defaults
                                   0, 0, -1, -1, -1, 0};
  REQUIRE(seen.size() >= expected.size() + 4);
  CHECK(std::vector<int64_t>(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(expected.size())) == expected);
  // The last rule's fee overflows: an error raised inside the last chunk, with that rule's site.
  size_t overflow = expected.size();
  CHECK(seen[overflow] == code(ir::ErrorCode::Overflow));
  CHECK(rules->program().sites[static_cast<size_t>(seen[overflow + 1])].rule == "r2999");
  CHECK(seen.back() == kMaxMoney);  // rule 0 adds 0.00 EUR: no overflow
}

TEST_CASE("decide unique of 3,000 rules: conflicts across chunks and the winner's assignments agree", "[jit][large]") {
  auto rules = load(largeBlock("unique", 3000));
  std::vector<Row> rows = {{0, 500}, {1500, 500}, {2999, 500}, {-1, 0}, {0, 200000}, {2999, kMaxMoney}};
  std::vector<int64_t> seen = bothEngines(*rules, rows);
  std::vector<int64_t> expected = {0, 0, -1, -1, 0, 500, 0, 0, -1, -1, 1500, 150500, 0, 0, -1, -1, 2999, 300400,
                                   0, 0, -1, -1, -1, 0};
  REQUIRE(seen.size() == expected.size() + 8);
  CHECK(std::vector<int64_t>(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(expected.size())) == expected);
  // code 0 above 1000.00 EUR: rule 0 (first chunk) and rule 3000 (last chunk) both apply.
  CHECK(std::vector<int64_t>(seen.begin() + 24, seen.begin() + 28) ==
        std::vector<int64_t>{code(ir::ErrorCode::UniqueConflict), rules->program().decisions[0].site, 0, 3000});
  CHECK(seen[28] == code(ir::ErrorCode::Overflow));
}

TEST_CASE("100 exceptions blocks: winners, overrides and defaults agree in both engines", "[jit][large]") {
  auto rules = load(exceptionBlocks(100));
  REQUIRE(regelwerk::codegen::isLargeProgram(rules->program()));
  std::vector<Row> rows = {{0, 0}, {16, 0}, {31, 0}, {32, 0}, {40, 0}, {1, 0}};
  std::vector<int64_t> seen = bothEngines(*rules, rows);
  REQUIRE(seen.size() == 5 * (4 + 100) + 4);
  // code 0: rules 0 and 1 apply, 1 overrides 0: c<b> = b * 100 + 1 + 0.
  CHECK(seen[4 + 0] == 1);
  CHECK(seen[4 + 99] == 9901);
  // code 16: rules 16 and 17 apply, 17 overrides 16 and wins: c<b> = b * 100 + 17 + 16.
  CHECK(seen[104 + 4 + 0] == 33);
  CHECK(seen[104 + 4 + 99] == 9933);
  CHECK(seen[2 * 104 + 4 + 7] == 762);  // code 31: rule 31 alone
  // code 32: no rule applies (the last, rule 31, takes 30 and 31): the default.
  CHECK(seen[3 * 104 + 4 + 50] == -1);
  // code 1: rules 1 and 2 both win (2 does not override 1) with different values: a conflict in block 0.
  CHECK(std::vector<int64_t>(seen.begin() + 5 * 104, seen.end()) ==
        std::vector<int64_t>{code(ir::ErrorCode::ExceptionsConflict), rules->program().decisions[0].site, 1, 2});
}
