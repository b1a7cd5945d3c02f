// Name resolution: the value namespace (input fields, params, lets), enum members by context, and
// "did you mean" suggestions for names that are close to a declared one.
#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "checker.hpp"

namespace regelwerk::sema {

static const char* declaredWords(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Field: return "an input field";
    case SymbolKind::Param: return "a param";
    case SymbolKind::Let: return "a let";
    case SymbolKind::State: return "a fold's state";
    case SymbolKind::Step: return "the step of a fold over a range";
    case SymbolKind::Share: return "a distribution's share";
    case SymbolKind::Rest: return "a distribution's rest";
    case SymbolKind::Ledger: return "a ledger's state";
    default: return "a name";
  }
}

// Fields, params and lets share one namespace, so `let amount = ...` next to the field `amount` is an
// error at the later declaration. The first declaration stays in force.
void Checker::declareValue(const std::string& name, SymbolKind kind, uint32_t index, Location loc) {
  auto [found, inserted] = values_.emplace(name, Declared{kind, index, loc});
  if (inserted) return;
  error("E0202", loc,
        fmt::format("`{}` is already declared as {} at {}", name, declaredWords(found->second.kind),
                    placeOf(found->second.loc, loc)),
        "choose another name");
}

std::string Checker::placeOf(Location where, Location from) const {
  if (where.file == from.file || where.file == 0 || where.file > sources_.size()) {
    return fmt::format("line {}", where.line);
  }
  return fmt::format("{}:{}", sources_.file(where.file).path(), where.line);
}

static void addMembers(std::set<std::string>& members, const ast::TypeRef& ref) {
  members.insert(ref.members.begin(), ref.members.end());
}

// Every enum member anywhere in the rule set: a bare name that is one of these is resolved by
// context, so `action == reminder` checks `action` first.
void Checker::collectEnumMembers() {
  for (const ast::InputDecl& input : ast_.inputs) {
    for (const ast::Field& field : input.fields) addMembers(members_, field.type);
  }
  for (const ast::ParamDecl& param : ast_.params) addMembers(members_, param.type);
  for (const ast::LetDecl& let : ast_.lets) {
    if (let.type) addMembers(members_, *let.type);
  }
  for (const ast::OutputDecl& output : ast_.outputs) addMembers(members_, output.type);
  for (const ast::TableDecl& table : ast_.tables) {
    addMembers(members_, table.key.type);
    for (const ast::TableColumn& column : table.values) addMembers(members_, column.type);
  }
  for (const ast::FunctionDecl& function : ast_.functions) {
    addMembers(members_, function.result);
    for (const ast::FunctionParam& param : function.params) addMembers(members_, param.type);
  }
  for (const ast::Requirement& requirement : ast_.requirements) addMembers(members_, requirement.field.type);
}

bool Checker::isBareMember(const ast::Expr& expr) const {
  return expr.kind == ast::ExprKind::Name && members_.count(expr.text) > 0;
}

static int editDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t col = 0; col <= b.size(); ++col) row[col] = static_cast<int>(col);
  for (size_t line = 1; line <= a.size(); ++line) {
    int diagonal = row[0];
    row[0] = static_cast<int>(line);
    for (size_t col = 1; col <= b.size(); ++col) {
      int above = row[col];
      int substitute = diagonal + (a[line - 1] == b[col - 1] ? 0 : 1);
      row[col] = std::min({above + 1, row[col - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "did you mean `amount`?" for `amout`: the closest visible name within a third of its length
// (at least one edit); ties go to the alphabetically first, so the message is stable.
std::string Checker::didYouMean(std::string_view name, const ir::Type* hint) const {
  std::vector<std::string> candidates;
  for (const auto& [declared, where] : values_) {
    if (where.kind != SymbolKind::Let || where.index < visible_lets_) candidates.push_back(declared);
  }
  if (hint && hint->kind == ir::TypeKind::Enum) {
    candidates.insert(candidates.end(), hint->members.begin(), hint->members.end());
  }
  std::sort(candidates.begin(), candidates.end());
  int limit = std::max<int>(1, static_cast<int>(name.size()) / 3);
  std::string best;
  int best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    int distance = editDistance(name, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : fmt::format("did you mean `{}`?", best);
}

// `names` sorted by their distance to `name`, the nearest first (ties alphabetically), joined "a, b and c".
static std::string nearestFirst(std::string_view name, std::vector<std::string> names) {
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    int distance_a = editDistance(name, a), distance_b = editDistance(name, b);
    return distance_a != distance_b ? distance_a < distance_b : a < b;
  });
  std::string out;
  for (size_t at = 0; at < names.size(); ++at) {
    out += (at == 0 ? "" : at + 1 == names.size() ? " and " : ", ") + names[at];
  }
  return out;
}

// `rnd(amount, 2)` → "did you mean `round`?" only when a name is within a third of its length; then
// every callable name, grouped by where it comes from, so that a function of a used module (which the
// analyst did not write in this file) is listed as well as the built-ins.
// Example: with `use std.interest`, `simple_intrest(...)` → did you mean `simple_interest`? ...
std::string Checker::functionHint(std::string_view name, const std::vector<std::string>& builtins) const {
  std::vector<std::string> own, modules, tables;
  for (const ast::FunctionDecl& function : ast_.functions) {
    (function.loc.file == ast_.loc.file ? own : modules).push_back(function.name);
  }
  for (const auto& [table, index] : tables_) tables.push_back(table);
  std::vector<std::string> all = builtins;
  for (const auto* group : {&own, &modules, &tables}) all.insert(all.end(), group->begin(), group->end());
  std::sort(all.begin(), all.end());
  int limit = std::max<int>(1, static_cast<int>(name.size()) / 3);
  std::string best;
  int best_distance = limit + 1;
  for (const std::string& candidate : all) {
    int distance = editDistance(name, candidate);
    if (distance < best_distance) best = candidate, best_distance = distance;
  }
  std::string out = best.empty() ? "" : fmt::format("did you mean `{}`? ", best);
  if (!own.empty()) out += fmt::format("this rule set's functions are {}; ", nearestFirst(name, own));
  if (!modules.empty()) out += fmt::format("the used modules' functions are {}; ", nearestFirst(name, modules));
  if (!tables.empty()) out += fmt::format("the tables are {}; ", nearestFirst(name, tables));
  return out + fmt::format("the built-in functions are {}", nearestFirst(name, builtins));
}

static std::string memberList(const ir::Type& type) {
  std::string out;
  for (const std::string& member : type.members) out += (out.empty() ? "" : ", ") + member;
  return out;
}

static std::optional<uint32_t> memberIndex(const ir::Type* hint, const std::string& name) {
  if (!hint || hint->kind != ir::TypeKind::Enum) return std::nullopt;
  auto found = std::find(hint->members.begin(), hint->members.end(), name);
  if (found == hint->members.end()) return std::nullopt;
  return static_cast<uint32_t>(found - hint->members.begin());
}

// The declared type of a field, param or let.
static const ir::Type& declaredType(const Checker& checker, const Declared& declared) {
  const TypedRuleset& out = checker.out_;
  if (declared.kind == SymbolKind::Field) return out.fields[declared.index].type;
  if (declared.kind == SymbolKind::Param) return out.params[declared.index].type;
  if (declared.kind == SymbolKind::State || declared.kind == SymbolKind::Ledger) return checker.state_types_.at(declared.index);
  if (declared.kind == SymbolKind::Step) return out.group.blocks[declared.index].step_type;
  if (declared.kind == SymbolKind::Share || declared.kind == SymbolKind::Rest) return out.group.distributes[declared.index].type;
  return out.lets[declared.index].type;
}

static void reportLaterLet(Checker& checker, const ast::Expr& expr, const Declared& declared) {
  bool itself = declared.index == checker.current_let_;
  checker.error("E0204", expr.loc,
                itself ? fmt::format("`{}` uses itself; a let may only use lets declared before it", expr.text)
                       : fmt::format("`{}` is declared later, at line {}; a let may only use lets declared before it",
                                     expr.text, declared.loc.line),
                itself ? "" : "move this let below it");
}

// Step 1 of checkName: `expr` names member `member` of the expected enum. A visible declaration of
// that same enum type with the same name makes both readings valid: E0206 instead of a guess.
static ExprInfo resolveMember(Checker& checker, const ast::Expr& expr, const ir::Type& hint, uint32_t member,
                              const Declared* declared) {
  if (declared && !checker.literal_only_) {
    const ir::Type& other = declaredType(checker, *declared);
    if (other.kind == ir::TypeKind::Enum && other.members == hint.members) {
      checker.error("E0206", expr.loc,
                    fmt::format("`{}` is both a member of {} and {} of that type", expr.text,
                                ir::typeName(hint.required()), declaredWords(declared->kind)),
                    fmt::format("rename the {} or the member", std::strchr(declaredWords(declared->kind), ' ') + 1));
      return failedInfo();
    }
  }
  checker.out_.symbols[expr.id] = Symbol{SymbolKind::EnumMember, member};
  ExprInfo info;
  info.type = hint.required();
  return info;
}

// True when `name` is an output of the rule set (a fold's state is not: the fold reads it). The
// checker declares outputs after the lets, so a let finds them here, not in outputs_.
static bool isDeclaredOutput(const ast::Ruleset& ruleset, const std::string& name) {
  return std::any_of(ruleset.outputs.begin(), ruleset.outputs.end(),
                     [&](const ast::OutputDecl& output) { return output.name == name && !output.state; });
}

// E0214 in a let: `let doubled = fee * 2` where `fee` is an output. The let runs before any rule sets
// `fee`, so the hint turns it around: the let computes the value and the output takes it.
static void reportOutputReadInLet(Checker& checker, const ast::Expr& expr) {
  const ast::LetDecl& let = checker.ast_.lets[checker.current_let_];
  std::string reader = let.reject ? "a `reject` condition" : "a let";
  checker.error("E0214", expr.loc,
                fmt::format("`{}` is an output; {} is computed before any output is set, so it cannot read one",
                            expr.text, reader),
                fmt::format("compute the value in a let (`let {0}_value = ...`) and set the output from it "
                            "(`output {0}: ... = {0}_value`, or `then {0} = {0}_value` in a rule)",
                            expr.text));
}

// Step 3 of checkName: nothing matched; say what the name could have been.
static ExprInfo reportUnresolved(Checker& checker, const ast::Expr& expr, const ir::Type* hint) {
  const std::string& name = expr.text;
  if (checker.outputs_.count(name)) {
    checker.error("E0214", expr.loc, fmt::format("`{}` is an output; outputs cannot be read", name),
                  "compute the value in a `let` and use that");
  } else if (checker.current_let_ != UINT32_MAX && isDeclaredOutput(checker.ast_, name)) {
    reportOutputReadInLet(checker, expr);
  } else if (hint && hint->kind == ir::TypeKind::Enum) {
    checker.error("E0207", expr.loc,
                  fmt::format("`{}` is not a member of {}; the members are {}", name, ir::typeName(hint->required()),
                              memberList(*hint)),
                  checker.didYouMean(name, hint));
  } else if (const ast::DistributeDecl* later = checker.laterLedgerShare(name)) {
    checker.error("E0201", expr.loc,
                  fmt::format("`{}` is the share of the distribution written below, at line {}; the lets before it cannot read it", name,
                              later->loc.line),
                  "move this let below the `distribute`");
  } else if (checker.reportItemField(expr) || checker.reportOutsideFold(expr)) {
    return failedInfo();
  } else if (checker.step_aggregate_lets_.count(name)) {
    checker.error("E0981", expr.loc,
                  fmt::format("`{}` reads an aggregate of the fold's step, so an aggregate of the step cannot read it", name),
                  "compute the condition from the step's fields and lets that read no aggregate");
  } else if (checker.pool_aggregate_names_.count(name)) {
    checker.error("E0982", expr.loc,
                  fmt::format("`{}` is the distribution's share or a let written after the `distribute`; the pool is computed before the sharing",
                              name),
                  "aggregate the ledger's states, fields and the lets written before the `distribute`");
  } else if (checker.ledger_aggregate_lets_.count(name)) {
    checker.error("E0981", expr.loc,
                  fmt::format("`{}` is known once the ledger's aggregates are (it is or reads the share of its distribution, or an aggregate "
                              "in the ledger), so an aggregate in the ledger cannot read it", name),
                  "compute the condition from the record's fields, the states and lets that read neither");
  } else if (checker.members_.count(name)) {
    checker.error("E0205", expr.loc,
                  fmt::format("`{}` is an enum member, but nothing here says which enum it belongs to", name),
                  "compare it with a field of that enum, or declare the type: `let x: enum(...) = ...`");
  } else {
    checker.error("E0201", expr.loc, fmt::format("unknown name `{}`", name), checker.didYouMean(name, nullptr));
  }
  return failedInfo();
}

// A bare name is resolved in this order (docs/language.md, "Enum members"):
//   1. the context expects an enum that lists the name: it is that member, unless a visible field,
//      param or let of that very enum type has the same name (then it is ambiguous: an error);
//   2. a visible field, param or let (a let declared later is an error of its own);
//   3. otherwise an error that says what the name could have been.
// Example: in `let consumer = customer_type == consumer` the right `consumer` is the member, and a
// later `if consumer then ...` (no enum expected) is the let.
ExprInfo Checker::checkName(const ast::Expr& expr, const ir::Type* hint) {
  auto found = values_.find(expr.text);
  const Declared* declared = found == values_.end() ? nullptr : &found->second;
  bool later_let = declared && declared->kind == SymbolKind::Let && declared->index >= visible_lets_;
  auto member = memberIndex(hint, expr.text);
  if (member) return resolveMember(*this, expr, *hint, *member, later_let ? nullptr : declared);
  if (function_) {
    bool handled = false;
    ExprInfo local = checkLocalName(expr, hint, &handled);
    if (handled) return local;
  }
  if (later_let) {
    reportLaterLet(*this, expr, *declared);
    return failedInfo();
  }
  bool enum_expected = hint && hint->kind == ir::TypeKind::Enum;
  if (literal_only_ && !enum_expected) {
    error("E0509", expr.loc, fmt::format("{} must be a literal, but `{}` is a name", literal_what_, expr.text));
    return failedInfo();
  }
  if (!declared || literal_only_) return reportUnresolved(*this, expr, hint);
  if (declared->kind == SymbolKind::Let && let_failed_[declared->index]) return failedInfo();
  if (declared->kind == SymbolKind::Ledger && !checkLedgerRead(expr, *declared)) return failedInfo();
  if (out_.group.grouped && !checkStepRestRead(expr, *declared)) return failedInfo();
  const bool ledger_result = declared->kind == SymbolKind::Share || declared->kind == SymbolKind::Rest;
  if (ledger_result && out_.group.distributes[declared->index].ledger >= 0 && !out_.group.distributes[declared->index].valid) {
    return failedInfo();  // its amount had an error: its type is unknown, and the error says enough
  }
  out_.symbols[expr.id] = Symbol{declared->kind, declared->index};
  ExprInfo info;
  info.type = declaredType(*this, *declared);
  return info;
}

}  // namespace regelwerk::sema
