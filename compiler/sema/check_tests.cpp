// Tests and examples: names in `given`, `params` and `expect`, literal values of the right type, the
// `like` chain, required fields, and literalValue (the runtime value of a checked literal).
#include <fmt/format.h>

#include <cassert>
#include <cstdint>
#include <optional>

#include "checker.hpp"
#include "literals.hpp"

namespace regelwerk::sema {

// A literal that fits in 64 bits as written may not at its target's scale: `9223372036854775807` as a
// decimal(6) is that times 10^6. nullopt then, so the checker reports it (E0501) instead of wrapping.
static std::optional<int64_t> scaledLiteral(const TypedRuleset& typed, const ast::Expr& expr, const ir::Type& target) {
  int64_t value = 0;
  switch (expr.kind) {
    case ast::ExprKind::Unary: {
      std::optional<int64_t> inner = scaledLiteral(typed, *expr.args[0], target);
      if (!inner || *inner == INT64_MIN) return std::nullopt;
      return -*inner;
    }
    case ast::ExprKind::Name: return typed.symbol(expr).index;
    case ast::ExprKind::BoolLit: return expr.text == "true" ? 1 : 0;
    case ast::ExprKind::DateLit: return parseDate(expr.text).days;
    case ast::ExprKind::TimestampLit:
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::TimeLit: return timeLiteralValue(expr, target);
    case ast::ExprKind::DaysLit:
      if (target.kind == ir::TypeKind::Duration) return timeLiteralValue(expr, target);
      [[fallthrough]];
    case ast::ExprKind::IntLit:
      if (__builtin_mul_overflow(*parseInt(expr.text), powerOfTen(target.scale), &value)) return std::nullopt;
      return value;
    case ast::ExprKind::DecimalLit:
    case ast::ExprKind::MoneyLit:
    case ast::ExprKind::PercentLit: {
      Fixed fixed = parseFixed(expr.text, expr.kind == ast::ExprKind::PercentLit ? 2 : 0).fixed;
      if (__builtin_mul_overflow(fixed.value, powerOfTen(target.scale - fixed.scale), &value)) return std::nullopt;
      return value;
    }
    default: return 0;
  }
}

int64_t literalValue(const TypedRuleset& typed, const ast::Expr& expr, const ir::Type& target) {
  std::optional<int64_t> value = scaledLiteral(typed, expr, target);
  assert(value && "the checker reports literals that do not fit their target (checkLiteralFits)");
  return value.value_or(0);
}

// E0501 for a literal whose value at `type`'s scale needs more than 64 bits.
bool Checker::checkLiteralFits(const ast::Expr& expr, const ir::Type& type) {
  if (scaledLiteral(out_, expr, type)) return true;
  error("E0501", expr.loc,
        fmt::format("`{}` is too large for {}: at {} places it needs more than 64 bits", literalText(expr),
                    ir::typeName(type.required()), type.scale),
        "a smaller number");
  return false;
}

namespace {

template <class Infos>
std::optional<uint32_t> indexNamed(const Infos& infos, const std::string& name) {
  for (size_t index = 0; index < infos.size(); ++index) {
    if (infos[index].name == name) return static_cast<uint32_t>(index);
  }
  return std::nullopt;
}

template <class Infos>
std::vector<std::pair<std::string, ir::Type>> namesOf(const Infos& infos) {
  std::vector<std::pair<std::string, ir::Type>> out;
  for (const auto& info : infos) out.emplace_back(info.name, info.type);
  return out;
}

}  // namespace

std::string testWords(const ast::TestDecl& decl) {
  return decl.is_example ? fmt::format("example `{}`", decl.name) : fmt::format("test \"{}\"", decl.name);
}

// Every test and example: names and values first (once per declaration, even when several tests are
// `like` it), then each test's resolved record.
void Checker::checkTests() {
  std::map<std::string, const ast::TestDecl*> examples;
  std::map<std::string, Location> titles;
  for (const ast::TestDecl& decl : ast_.tests) {
    std::string key = (decl.is_example ? "example " : "test ") + decl.name;
    auto [first, inserted] = titles.emplace(key, decl.loc);
    if (!inserted) {
      error("E0605", decl.loc, fmt::format("{} is already declared at line {}", testWords(decl), first->second.line),
            "give it another name");
    }
    if (decl.is_example && inserted) examples.emplace(decl.name, &decl);
    size_t before = diags_.errorCount();
    if (out_.group.grouped) checkGroupTestBindings(decl);
    else checkTestBindings(decl);
    if (diags_.errorCount() != before) failed_tests_.insert(&decl);
  }
  for (const ast::TestDecl& decl : ast_.tests) {
    if (!decl.is_example) resolveTest(decl, examples);
  }
}

// A value written for `target` of `type`: a literal of that type, an enum member, or `missing` when
// the type is optional.
bool Checker::checkTestValue(const ast::TestValue& value, const ir::Type& type, const std::string& target) {
  if (value.missing) {
    if (type.optional) return true;
    error("E0603", value.loc, fmt::format("{} cannot be missing: it is {}", target, kindWords(type)),
          "give a value, or declare the type optional with `?`");
    return false;
  }
  literal_only_ = true;
  literal_what_ = "a value in a test";
  check(*value.expr, &type);
  literal_only_ = false;
  literal_what_ = "a param default";
  if (info(*value.expr).failed) return false;
  return checkAssignable(*value.expr, type, target) && checkLiteralFits(*value.expr, type);
}

// Each name once, each a name of `target`, each value of its type.
void Checker::checkTestSection(const std::vector<ast::TestBinding>& bindings, const TestTarget& target) {
  std::map<std::string, Location> seen;
  for (const ast::TestBinding& binding : bindings) {
    auto [first, inserted] = seen.emplace(binding.name, binding.loc);
    if (!inserted) {
      error("E0608", binding.loc, fmt::format("`{}` is already given at line {}", binding.name, first->second.line),
            "keep one");
      continue;
    }
    auto named = std::find_if(target.names.begin(), target.names.end(),
                              [&](const auto& name) { return name.first == binding.name; });
    if (named == target.names.end()) {
      std::string list;
      for (const auto& name : target.names) list += (list.empty() ? "`" : ", `") + name.first + "`";
      error("E0601", binding.loc, fmt::format("`{}` is not {}", binding.name, target.word),
            fmt::format("the {} are {}", target.plural, list.empty() ? "none" : list));
      continue;
    }
    checkTestValue(binding.value, named->second, "`" + binding.name + "`");
  }
}

void Checker::checkTestBindings(const ast::TestDecl& decl) {
  if (!decl.records.empty() || !decl.rows.empty()) {
    const ast::TestRecordDecl& first = decl.records.empty() ? decl.rows[0] : decl.records[0];
    error("E0609", first.loc, fmt::format("`{}:` names an input or output record, which only rule sets with keyed inputs have", first.target),
          fmt::format("drop `{}:` and give the fields as `given name = value` (`expect output = value`)", first.target));
  }
  checkTestSection(decl.given, TestTarget{"an input field of this rule set", "input fields", namesOf(out_.fields)});
  checkTestSection(decl.params, TestTarget{"a param of this rule set", "params", namesOf(out_.params)});
  checkTestSection(decl.expect, TestTarget{"an output of this rule set", "outputs", namesOf(out_.outputs)});
  if (decl.expect_rejected && !decl.expect.empty()) {
    error("E0606", decl.rejected_loc, fmt::format("{} expects both outputs and a rejection", testWords(decl)),
          "a rejected row has no outputs: keep one of them");
  }
}

// The declarations a test takes its values from, the farthest `like` base first.
bool Checker::testChain(const ast::TestDecl& decl, const std::map<std::string, const ast::TestDecl*>& examples,
                        std::vector<const ast::TestDecl*>* chain) {
  const ast::TestDecl* current = &decl;
  while (current) {
    for (const ast::TestDecl* earlier : *chain) {
      if (earlier != current) continue;
      error("E0602", decl.base_loc, fmt::format("the `like` chain of {} comes back to example `{}`", testWords(decl),
                                                current->name),
            "remove one `like`");
      return false;
    }
    chain->insert(chain->begin(), current);
    if (!current->base) break;
    auto found = examples.find(*current->base);
    if (found == examples.end()) {
      error("E0602", current->base_loc, fmt::format("there is no example `{}`", *current->base),
            "declare it with `example NAME given ... end`");
      return false;
    }
    current = found->second;
  }
  return true;
}

// Later declarations in the chain override earlier ones, value by value.
void Checker::resolveTest(const ast::TestDecl& decl, const std::map<std::string, const ast::TestDecl*>& examples) {
  std::vector<const ast::TestDecl*> chain;
  if (!testChain(decl, examples, &chain)) return;
  TestInfo test;
  test.decl = &decl;
  std::map<uint32_t, const ast::TestValue*> params;
  for (const ast::TestDecl* link : chain) {
    for (const ast::TestBinding& binding : link->params) {
      if (auto index = indexNamed(out_.params, binding.name)) params[*index] = &binding.value;
    }
  }
  test.params.assign(params.begin(), params.end());
  if (out_.group.grouped) resolveGroupTest(chain, &test);
  else resolveRecord(chain, &test);
  for (const ast::TestDecl* link : chain) {
    if (failed_tests_.count(link)) return;  // its values were reported; the record would only echo them
  }
  if (test.expect.empty() && test.rows.empty() && !test.expect_rejected) {
    error("E0607", decl.loc, fmt::format("{} expects nothing", testWords(decl)),
          out_.group.grouped ? "add `expect RECORD: output = value` or `expect rejected \"reason\"`"
                             : "add `expect output = value` or `expect rejected \"reason\"`");
  }
  if (out_.group.grouped) checkGroupTestRecords(decl, test);
  else checkRequiredGiven(decl, test);
  out_.tests.push_back(std::move(test));
}

// The record and expectations of a test of an ungrouped rule set: later links override value by value.
void Checker::resolveRecord(const std::vector<const ast::TestDecl*>& chain, TestInfo* test) {
  test->inputs.assign(out_.fields.size(), nullptr);
  std::map<uint32_t, const ast::TestValue*> expect;
  for (const ast::TestDecl* link : chain) {
    for (const ast::TestBinding& binding : link->given) {
      if (auto index = indexNamed(out_.fields, binding.name)) test->inputs[*index] = &binding.value;
    }
    if (link->expect_rejected) expect.clear();
    for (const ast::TestBinding& binding : link->expect) {
      if (auto index = indexNamed(out_.outputs, binding.name)) expect[*index] = &binding.value;
    }
    if (!link->expect.empty()) test->expect_rejected = false;
    if (link->expect_rejected) {
      test->expect_rejected = true;
      test->rejected_reason = *link->expect_rejected;
    }
  }
  test->expect.assign(expect.begin(), expect.end());
}

// A test is one complete record: every required field must have a value; optional ones may be left out.
void Checker::checkRequiredGiven(const ast::TestDecl& decl, const TestInfo& test) {
  std::string missing;
  size_t count = 0;
  for (size_t field = 0; field < out_.fields.size(); ++field) {
    const ast::TestValue* value = test.inputs[field];
    if (out_.fields[field].type.optional || (value && !value->missing)) continue;
    missing += (missing.empty() ? "`" : ", `") + out_.fields[field].name + "`";
    ++count;
  }
  if (count == 0) return;
  error("E0604", decl.loc,
        fmt::format("{} does not give the required input field{} {}", testWords(decl), count == 1 ? "" : "s", missing),
        "add them to `given` (or to an example the test is `like`), or declare them optional with `?`");
}

}  // namespace regelwerk::sema
