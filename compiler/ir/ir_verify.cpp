// The IR verifier: checks the invariants ir.hpp promises both engines, naming the offending node.
//
// Paths read like `decisions[0].rules[2](r3).assignments[0].value.args[1]`, so a lowering bug points
// at the one node to look at.
#include <algorithm>
#include <fmt/format.h>

#include <cstdint>

#include "ir.hpp"

namespace regelwerk::ir {

std::string_view opName(Op op);  // the printer's spelling (ir_print.cpp), so messages match --dump=ir

namespace {

constexpr int64_t kMaxRoundDivPow = 36;

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::Bool: return "Bool";
    case Kind::I64: return "I64";
    case Kind::Str: return "Str";
  }
  return "?";
}

// Whether `value` is 10^k for some k >= 0 (1, 10, 100, ...).
bool isPowerOfTen(int64_t value) {
  if (value <= 0) return false;
  while (value % 10 == 0) value /= 10;
  return value == 1;
}

std::string named(std::string_view base, size_t index, std::string_view name) {
  return fmt::format("{}[{}]({})", base, index, name);
}

class Verifier {
 public:
  explicit Verifier(const Program& program) : program_(program) {}
  std::vector<std::string> run();

 private:
  template <class... Args>
  void problem(const std::string& path, fmt::format_string<Args...> format, Args&&... args) {
    problems_.push_back(path + ": " + fmt::format(format, std::forward<Args>(args)...));
  }

  void checkLets();
  void checkDecision(size_t block);
  void checkOverrides(const Decision& decision, const std::string& path);
  void checkRule(const Rule& rule, const std::string& path);
  void checkSingleOwner();
  void checkOutputs();
  void checkValue(const Expr* expr, const std::string& path, Kind kind, bool optional_ok);

  void checkExpr(const Expr& expr, const std::string& path);
  void checkOp(const Expr& expr, const std::string& path);
  void checkLeaf(const Expr& expr, const std::string& path);
  void checkMissingOps(const Expr& expr, const std::string& path);
  void checkIf(const Expr& expr, const std::string& path);
  void checkWith(const Expr& expr, const std::string& path);
  void checkLocal(const Expr& expr, const std::string& path);
  void checkTableOp(const Expr& expr, const std::string& path);
  void checkTimeCall(const Expr& expr, const std::string& path);
  void checkTables();
  void checkImmediates(const Expr& expr, const std::string& path);
  const Type* declaredType(const Expr& expr, const std::string& path);
  bool checkArity(const Expr& expr, const std::string& path, size_t arity);
  void checkOperands(const Expr& expr, const std::string& path, Kind operand, Kind result);

  const Program& program_;
  std::vector<std::string> problems_;
  size_t readable_lets_ = 0;  // lets the expression being checked may read
  std::vector<const Expr*> locals_;  // per slot: the value of the enclosing With that binds it, or null
};

std::vector<std::string> Verifier::run() {
  if (program_.sites.empty()) problem("sites", "site 0 (\"no site\") is missing");
  locals_.assign(program_.local_count, nullptr);
  checkTables();
  checkLets();
  readable_lets_ = program_.lets.size();
  for (size_t block = 0; block < program_.decisions.size(); ++block) checkDecision(block);
  checkSingleOwner();
  checkOutputs();
  return std::move(problems_);
}

// A let may read only the lets before it: `let b = a + 1` after `let a` is fine, before it is not.
void Verifier::checkLets() {
  for (size_t slot = 0; slot < program_.lets.size(); ++slot) {
    const Let& let = program_.lets[slot];
    readable_lets_ = slot;
    checkValue(let.value.get(), named("lets", slot, let.name) + ".value", physicalKind(let.type), let.type.optional);
  }
}

void Verifier::checkOutputs() {
  for (size_t index = 0; index < program_.outputs.size(); ++index) {
    const Output& output = program_.outputs[index];
    checkValue(output.default_value.get(), named("outputs", index, output.name) + ".default",
               physicalKind(output.type), output.type.optional);
  }
}

// A value stored somewhere typed (a let, an output): the kind must match; optional only if allowed.
void Verifier::checkValue(const Expr* expr, const std::string& path, Kind kind, bool optional_ok) {
  if (!expr) return problem(path, "is missing");
  checkExpr(*expr, path);
  if (expr->kind != kind) problem(path, "is {} but the slot is {}", kindName(expr->kind), kindName(kind));
  if (expr->optional && !optional_ok) problem(path, "is optional but the slot is not");
}

void Verifier::checkDecision(size_t block) {
  const Decision& decision = program_.decisions[block];
  std::string path = fmt::format("decisions[{}]", block);
  if (!program_.sites.empty() && decision.site >= program_.sites.size()) {
    problem(path, "site {} is out of range", decision.site);
  }
  checkOverrides(decision, path);
  for (size_t rule = 0; rule < decision.rules.size(); ++rule) {
    const Rule& current = decision.rules[rule];
    std::string rule_path = path + "." + named("rules", rule, current.name);
    if (current.condition) checkValue(current.condition.get(), rule_path + ".condition", Kind::Bool, false);
    checkRule(current, rule_path);
  }
}

// defeated_by is a transitively closed, acyclic relation within the block (exceptions only).
// Example: r3 overrides r2 overrides r1 needs r1.defeated_by = {r2, r3}, not just {r2}.
void Verifier::checkOverrides(const Decision& decision, const std::string& path) {
  size_t count = decision.rules.size();
  bool exceptions = decision.policy == HitPolicy::Exceptions;
  if (exceptions && count > kMaxRulesPerExceptionsBlock) {
    return problem(path, "has {} rules; an exceptions block holds at most {}", count, kMaxRulesPerExceptionsBlock);
  }
  uint64_t in_block = count >= 64 ? ~uint64_t{0} : (uint64_t{1} << count) - 1;
  for (size_t rule = 0; rule < count; ++rule) {
    uint64_t defeated_by = decision.rules[rule].defeated_by;
    std::string rule_path = path + "." + named("rules", rule, decision.rules[rule].name);
    if (!exceptions && defeated_by != 0) problem(rule_path, "has defeated_by outside an exceptions block");
    if (!exceptions) continue;
    if ((defeated_by & ~in_block) != 0) problem(rule_path, "defeated_by names a rule outside the block");
    if ((defeated_by >> rule & 1) != 0) problem(rule_path, "overrides itself (a cycle of overrides)");
    for (size_t other = 0; other < count; ++other) {
      if ((defeated_by >> other & 1) == 0) continue;
      if ((decision.rules[other].defeated_by & in_block & ~defeated_by) != 0) {
        problem(rule_path, "defeated_by is not transitive: misses the rules overriding rules[{}]", other);
      }
    }
  }
}

// Assignments name an existing output with a value of its kind, at most once per rule.
void Verifier::checkRule(const Rule& rule, const std::string& path) {
  std::vector<bool> in_rule(program_.outputs.size(), false);
  for (size_t index = 0; index < rule.assignments.size(); ++index) {
    const Assignment& assignment = rule.assignments[index];
    std::string at = fmt::format("{}.assignments[{}]", path, index);
    if (assignment.output >= program_.outputs.size()) {
      problem(at, "output {} is out of range", assignment.output);
      continue;
    }
    const Output& output = program_.outputs[assignment.output];
    checkValue(assignment.value.get(), at + ".value", physicalKind(output.type), output.type.optional);
    if (in_rule[assignment.output]) problem(at, "assigns output `{}` twice in one rule", output.name);
    in_rule[assignment.output] = true;
  }
}

// An output is assigned in one decision block only (the language's rule, and what lets an
// exceptions conflict name two rules of one block): `fee` set in two blocks is a lowering bug.
void Verifier::checkSingleOwner() {
  std::vector<size_t> owner(program_.outputs.size(), SIZE_MAX);
  for (size_t block = 0; block < program_.decisions.size(); ++block) {
    for (const Rule& rule : program_.decisions[block].rules) {
      for (const Assignment& assignment : rule.assignments) {
        if (assignment.output >= owner.size()) continue;
        size_t& first = owner[assignment.output];
        if (first != SIZE_MAX && first != block) {
          problem(fmt::format("decisions[{}]", block), "assigns output `{}`, already assigned by decisions[{}]",
                  program_.outputs[assignment.output].name, first);
        }
        if (first == SIZE_MAX) first = block;
      }
    }
  }
}

// --- expressions ---------------------------------------------------------------------------------

// Only these ops may produce a missing value (ir.hpp); every other node is required.
bool mayBeOptional(Op op) {
  return op == Op::Input || op == Op::Let || op == Op::If || op == Op::Coalesce || op == Op::Local ||
         op == Op::With || op == Op::TableLookup || op == Op::Missing;
}

// Every node: its site and optionality, then the op's own shape, then its operands.
void Verifier::checkExpr(const Expr& expr, const std::string& path) {
  if (!program_.sites.empty() && expr.site >= program_.sites.size()) {
    problem(path, "site {} is out of range ({} sites)", expr.site, program_.sites.size());
  }
  if (expr.optional && !mayBeOptional(expr.op)) problem(path, "{} cannot be optional", opName(expr.op));
  if (expr.op == Op::With) return checkWith(expr, path);
  checkOp(expr, path);
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    if (expr.args[arg]) checkExpr(*expr.args[arg], fmt::format("{}.args[{}]", path, arg));
  }
}

void Verifier::checkOp(const Expr& expr, const std::string& path) {
  switch (expr.op) {
    case Op::Const:
    case Op::Input:
    case Op::Param:
    case Op::Let: return checkLeaf(expr, path);
    case Op::IsMissing:
    case Op::Coalesce: return checkMissingOps(expr, path);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Min:
    case Op::Max:
    case Op::RoundDiv:
      if (checkArity(expr, path, 2)) checkOperands(expr, path, Kind::I64, Kind::I64);
      return checkImmediates(expr, path);
    case Op::Neg:
    case Op::Abs:
    case Op::Rescale:
    case Op::CheckDate:
    case Op::CheckTimestamp:
      if (checkArity(expr, path, 1)) checkOperands(expr, path, Kind::I64, Kind::I64);
      return checkImmediates(expr, path);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
      if (!checkArity(expr, path, 2)) return;
      if (expr.args[0]->kind == Kind::Str) problem(path, "{} compares strings; use str_eq/str_ne", opName(expr.op));
      return checkOperands(expr, path, expr.args[0]->kind, Kind::Bool);
    case Op::StrEq:
    case Op::StrNe:
      if (checkArity(expr, path, 2)) checkOperands(expr, path, Kind::Str, Kind::Bool);
      return;
    case Op::Concat:
      if (checkArity(expr, path, 2)) checkOperands(expr, path, Kind::Str, Kind::Str);
      return;
    case Op::Text:
      if (checkArity(expr, path, 1)) checkOperands(expr, path, Kind::I64, Kind::Str);
      if (expr.imm2 != 0 && expr.imm2 != 1) problem(path, "text form {} is neither number (0) nor date (1)", expr.imm2);
      if (expr.imm < -2 || expr.imm > 18) problem(path, "text places {} are outside -2..18", expr.imm);
      return;
    case Op::Missing:
      if (checkArity(expr, path, 0) && !expr.optional) problem(path, "missing must be optional");
      return;
    case Op::And:
    case Op::Or:
      if (checkArity(expr, path, 2)) checkOperands(expr, path, Kind::Bool, Kind::Bool);
      return;
    case Op::Not:
    case Op::Reject:
      if (checkArity(expr, path, 1)) checkOperands(expr, path, Kind::Bool, Kind::Bool);
      return;
    case Op::If: return checkIf(expr, path);
    case Op::Local: return checkLocal(expr, path);
    case Op::With: return;  // checkWith, from checkExpr
    case Op::TableLookup:
    case Op::RangeSum: return checkTableOp(expr, path);
    case Op::TimeCall: return checkTimeCall(expr, path);
  }
  problem(path, "unknown op {}", static_cast<int>(expr.op));
}

// The operand count, and no null operand (later checks may then dereference them).
bool Verifier::checkArity(const Expr& expr, const std::string& path, size_t arity) {
  if (expr.args.size() != arity) {
    problem(path, "{} takes {} operands, has {}", opName(expr.op), arity, expr.args.size());
    return false;
  }
  for (size_t arg = 0; arg < arity; ++arg) {
    if (!expr.args[arg]) {
      problem(path, "{} operand {} is missing", opName(expr.op), arg);
      return false;
    }
  }
  return true;
}

// Operands of one required kind and a result kind, for ops that accept no optional value.
void Verifier::checkOperands(const Expr& expr, const std::string& path, Kind operand, Kind result) {
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    const Expr& value = *expr.args[arg];
    if (value.kind != operand) {
      problem(path, "{} operand {} is {}, expected {}", opName(expr.op), arg, kindName(value.kind), kindName(operand));
    }
    if (value.optional) problem(path, "{} operand {} is optional; use coalesce first", opName(expr.op), arg);
  }
  if (expr.kind != result) {
    problem(path, "{} produces {}, the node says {}", opName(expr.op), kindName(result), kindName(expr.kind));
  }
}

// RoundDiv powers 0..36 (the kernel's 128-bit range); Rescale by 10^k, e.g. 100 for scale 2 -> 4.
void Verifier::checkImmediates(const Expr& expr, const std::string& path) {
  if (expr.op == Op::Rescale && !isPowerOfTen(expr.imm)) {
    problem(path, "rescale factor {} is not a positive power of ten", expr.imm);
  }
  if (expr.op != Op::RoundDiv) return;
  for (int64_t pow : {expr.imm, expr.imm2}) {
    if (pow < 0 || pow > kMaxRoundDivPow) problem(path, "round_div power {} is outside 0..36", pow);
  }
  if (expr.mode > RoundMode::Ceiling) problem(path, "round_div mode {} is unknown", static_cast<int>(expr.mode));
}

// The declared type an Input, Param or Let node reads, or null (after a problem) if it cannot read one.
const Type* Verifier::declaredType(const Expr& expr, const std::string& path) {
  uint32_t index = expr.index;
  switch (expr.op) {
    case Op::Input:
      if (index < program_.inputs.size()) return &program_.inputs[index].type;
      problem(path, "input {} is out of range ({} inputs)", index, program_.inputs.size());
      return nullptr;
    case Op::Param:
      if (index < program_.params.size()) return &program_.params[index].type;
      problem(path, "param {} is out of range ({} params)", index, program_.params.size());
      return nullptr;
    default:
      if (index < readable_lets_) return &program_.lets[index].type;
      if (index < program_.lets.size()) {
        problem(path, "reads lets[{}]({}) before it is computed", index, program_.lets[index].name);
      } else {
        problem(path, "let {} is out of range ({} lets)", index, program_.lets.size());
      }
      return nullptr;
  }
}

void Verifier::checkLeaf(const Expr& expr, const std::string& path) {
  if (!checkArity(expr, path, 0)) return;
  if (expr.op == Op::Const) {
    if (expr.kind == Kind::Bool && expr.imm != 0 && expr.imm != 1) problem(path, "bool constant {}", expr.imm);
    return;
  }
  const Type* type = declaredType(expr, path);
  if (!type) return;
  if (expr.kind != physicalKind(*type)) {
    problem(path, "{} {} is {}, declared {}", opName(expr.op), expr.index, kindName(expr.kind), typeName(*type));
  }
  if (type->optional && !expr.optional) problem(path, "reads optional {} as required", typeName(*type));
}

// IsMissing takes an optional value; Coalesce's result is optional iff its fallback is.
void Verifier::checkMissingOps(const Expr& expr, const std::string& path) {
  bool coalesce = expr.op == Op::Coalesce;
  if (!checkArity(expr, path, coalesce ? 2 : 1)) return;
  const Expr& value = *expr.args[0];
  if (!value.optional) problem(path, "{} of a value that cannot be missing", opName(expr.op));
  if (!coalesce) {
    if (expr.kind != Kind::Bool) problem(path, "is_missing produces Bool, the node says {}", kindName(expr.kind));
    return;
  }
  const Expr& fallback = *expr.args[1];
  if (fallback.kind != value.kind || expr.kind != value.kind) {
    problem(path, "coalesce mixes {}, {} into {}", kindName(value.kind), kindName(fallback.kind), kindName(expr.kind));
  }
  if (expr.optional != fallback.optional) problem(path, "coalesce is optional iff its fallback is");
}

// If: a required Bool condition; both branches of the node's kind; optional if a branch is.
void Verifier::checkIf(const Expr& expr, const std::string& path) {
  if (!checkArity(expr, path, 3)) return;
  const Expr& condition = *expr.args[0];
  if (condition.kind != Kind::Bool || condition.optional) problem(path, "if condition must be a required Bool");
  for (size_t branch = 1; branch <= 2; ++branch) {
    const Expr& value = *expr.args[branch];
    if (value.kind != expr.kind) {
      problem(path, "if branch {} is {}, the node says {}", branch, kindName(value.kind), kindName(expr.kind));
    }
    if (value.optional && !expr.optional) problem(path, "if branch {} is optional but the if is not", branch);
  }
}

// With binds slot `index` to its value while its body is checked; slots are not reused inside.
void Verifier::checkWith(const Expr& expr, const std::string& path) {
  if (!checkArity(expr, path, 2)) return;
  checkExpr(*expr.args[0], path + ".args[0]");
  if (expr.index >= locals_.size()) return problem(path, "local {} is out of range ({} locals)", expr.index, locals_.size());
  if (locals_[expr.index]) problem(path, "local {} is bound again inside its own with", expr.index);
  locals_[expr.index] = expr.args[0].get();
  checkExpr(*expr.args[1], path + ".args[1]");
  locals_[expr.index] = nullptr;
  if (expr.kind != expr.args[1]->kind || expr.optional != expr.args[1]->optional) {
    problem(path, "with has the kind and optionality of its body");
  }
}

void Verifier::checkLocal(const Expr& expr, const std::string& path) {
  if (!checkArity(expr, path, 0)) return;
  if (expr.index >= locals_.size() || !locals_[expr.index]) {
    return problem(path, "local {} is not bound by an enclosing with", expr.index);
  }
  const Expr& value = *locals_[expr.index];
  // A required value may be read as optional (a `T` passed for a `T?` parameter), not the reverse.
  if (value.kind != expr.kind || (value.optional && !expr.optional)) {
    problem(path, "local {} is {}{}, its with binds {}{}", expr.index, kindName(expr.kind), expr.optional ? "?" : "",
            kindName(value.kind), value.optional ? "?" : "");
  }
}

// TimeCall: a known kernel, its I64 arguments and (for zoned kernels) a Str zone, none optional.
void Verifier::checkTimeCall(const Expr& expr, const std::string& path) {
  if (expr.imm < 0 || expr.imm >= kTimeFnCount) return problem(path, "time_call kernel {} is unknown", expr.imm);
  const TimeFnInfo& fn = timeFnInfo(static_cast<TimeFn>(expr.imm));
  size_t arity = static_cast<size_t>(fn.int_args) + (fn.zone ? 1 : 0);
  if (!checkArity(expr, path, arity)) return;
  for (size_t arg = 0; arg < arity; ++arg) {
    Kind wanted = arg < static_cast<size_t>(fn.int_args) ? Kind::I64 : Kind::Str;
    const Expr& value = *expr.args[arg];
    if (value.kind != wanted) problem(path, "{} operand {} is {}, expected {}", fn.kernel, arg, kindName(value.kind), kindName(wanted));
    if (value.optional) problem(path, "{} operand {} is optional; use coalesce first", fn.kernel, arg);
  }
  if (expr.kind != Kind::I64) problem(path, "time_call produces i64, the node says {}", kindName(expr.kind));
}

// TableLookup (key) and RangeSum (from, until, plus): required I64 operands, a table and column in range.
void Verifier::checkTableOp(const Expr& expr, const std::string& path) {
  bool lookup = expr.op == Op::TableLookup;
  if (!checkArity(expr, path, lookup ? 1 : 3)) return;
  if (expr.index >= program_.tables.size()) return problem(path, "table {} is out of range", expr.index);
  const Table& table = program_.tables[expr.index];
  if (expr.imm < 0 || static_cast<size_t>(expr.imm) >= table.columns.size()) {
    return problem(path, "column {} is out of range for table `{}`", expr.imm, table.name);
  }
  const Type& type = table.columns[static_cast<size_t>(expr.imm)].type;
  Kind result = lookup ? physicalKind(type) : Kind::I64;
  Kind key_kind = lookup && table.key_type.isString() ? Kind::Str : Kind::I64;
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    if (expr.args[arg]->kind != (arg == 0 ? key_kind : Kind::I64) || expr.args[arg]->optional) {
      problem(path, "{} operand {} must be a required {}", opName(expr.op), arg, kindName(arg == 0 ? key_kind : Kind::I64));
    }
  }
  if (expr.kind != result) problem(path, "{} produces {}, the node says {}", opName(expr.op), kindName(result), kindName(expr.kind));
  if (lookup && !expr.optional) problem(path, "table_lookup is optional");
  if (!lookup && (!table.range || expr.optional)) problem(path, "range_sum needs a range table and is required");
  if (!lookup && expr.imm2 != kAct365Fixed && expr.imm2 != kActAct) problem(path, "range_sum's basis {} is neither act/365f nor act/act", expr.imm2);
}

// Keys strictly increasing (the engines' binary search relies on it); one value per row and column.
void Verifier::checkTables() {
  for (size_t index = 0; index < program_.tables.size(); ++index) {
    const Table& table = program_.tables[index];
    std::string path = named("tables", index, table.name);
    for (size_t row = 1; row < table.keys.size(); ++row) {
      if (table.keys[row - 1] >= table.keys[row]) problem(path, "keys are not strictly increasing at row {}", row);
    }
    bool strings = table.key_type.isString();
    if (strings && table.str_keys.size() != table.keys.size()) problem(path, "has {} string keys for {} rows", table.str_keys.size(), table.keys.size());
    for (size_t row = 1; strings && row < table.str_keys.size(); ++row) {
      if (table.str_keys[row - 1] >= table.str_keys[row]) problem(path, "string keys are not strictly increasing at row {}", row);
    }
    for (const TableColumn& column : table.columns) {
      if (column.values.size() != table.keys.size()) problem(path, "column `{}` has the wrong length", column.name);
      if (physicalKind(column.type) == Kind::Str) problem(path, "column `{}` holds strings", column.name);
    }
  }
}

}  // namespace

namespace {

void verifyGroupStages(const Program& program, std::vector<std::string>* problems);
void verifyDerivedStages(const Grouping& grouping, std::vector<std::string>* problems);

// The glue between a group program and its item stages (ir.hpp, Grouping).
void verifyGrouping(const Program& program, std::vector<std::string>* problems) {
  const Grouping& grouping = *program.grouping;
  auto problem = [&](const std::string& text) { problems->push_back("grouping: " + text); };
  if (grouping.key_column >= grouping.one_columns || grouping.one_columns > program.inputs.size()) {
    problem("the key column or the one input's columns are out of range");
  }
  size_t states = 0;
  for (const FoldStage& fold : grouping.folds) states += fold.initial.size();
  if (program.inputs.size() - grouping.one_columns != grouping.aggregates.size() + states + grouping.distributions.size()) {
    problem("the group program needs one input column per aggregate, fold state and distribution");
  }
  for (size_t index = 0; index < grouping.aggregates.size(); ++index) {
    const Aggregate& aggregate = grouping.aggregates[index];
    std::string where = "aggregate " + std::to_string(index) + ": ";
    if (aggregate.item >= grouping.items.size()) {
      problem(where + "item stage out of range");
      continue;
    }
    if (aggregate.late >= 0 && static_cast<size_t>(aggregate.late) >= grouping.lates.size()) {
      problem(where + "late stage out of range");
      continue;
    }
    const Program& stage = aggregate.late >= 0 ? *grouping.lates[static_cast<size_t>(aggregate.late)].program
                                               : *grouping.items[aggregate.item].program;
    auto output = [&](int32_t at) { return at >= 0 && static_cast<size_t>(at) < stage.outputs.size(); };
    bool counts = aggregate.fn == AggregateFn::Count || aggregate.fn == AggregateFn::Exists;
    if (counts != (aggregate.value_output < 0) || (!counts && !output(aggregate.value_output))) {
      problem(where + "its value output does not fit its function");
    }
    if (aggregate.where_output >= 0 &&
        (!output(aggregate.where_output) || physicalKind(stage.outputs[aggregate.where_output].type) != Kind::Bool)) {
      problem(where + "its filter is not a Bool output");
    }
    size_t column = grouping.one_columns + index;
    if (column < program.inputs.size() && !(program.inputs[column].type == aggregate.type)) {
      problem(where + "its column's type differs from its result");
    }
  }
  for (const ItemStage& stage : grouping.items) {
    for (uint32_t column : stage.order) {
      if (column >= stage.program->inputs.size()) problem("item stage " + stage.input + ": order column out of range");
    }
    for (const std::string& text : verify(*stage.program)) problems->push_back("item stage " + stage.input + ": " + text);
  }
  verifyDerivedStages(grouping, problems);
  verifyGroupStages(program, problems);
}

// A derived stage's writers exist, write its record with its columns, and finish before any fold reads
// the stage (itself, in a ledger, or in a step's or a ledger's aggregates); derived stages come last.
void verifyDerivedStages(const Grouping& grouping, std::vector<std::string>* problems) {
  bool derived_seen = false;
  for (uint32_t item = 0; item < grouping.items.size(); ++item) {
    const ItemStage& stage = grouping.items[item];
    const std::string where = "item stage " + stage.input + ": ";
    if (derived_seen && !stage.derived()) problems->push_back(where + "read from a file, but after a derived stage");
    derived_seen = derived_seen || stage.derived();
    if (!stage.derived()) continue;
    for (const ItemStage::Writer& writer : stage.writers) {
      const FoldStage* fold = writer.fold < grouping.folds.size() ? &grouping.folds[writer.fold] : nullptr;
      const bool ledger = fold && writer.ledger >= 0 && static_cast<size_t>(writer.ledger) < fold->ledgers.size();
      if (!fold || (writer.ledger >= 0 && !ledger)) {
        problems->push_back(where + "a writer out of range");
        continue;
      }
      const std::string& record = ledger ? fold->ledgers[static_cast<size_t>(writer.ledger)].record : fold->record;
      const std::vector<Output>& columns = ledger ? fold->ledgers[static_cast<size_t>(writer.ledger)].row_columns : fold->row_columns;
      bool same = record == stage.input && columns.size() == stage.program->inputs.size();
      for (size_t column = 0; same && column < columns.size(); ++column) same = columns[column].type == stage.program->inputs[column].type;
      if (!same) problems->push_back(where + "a writer's rows are not its records");
    }
    for (uint32_t fold = 0; fold <= stage.lastFold() && fold < grouping.folds.size(); ++fold) {
      const FoldStage& early = grouping.folds[fold];
      bool reads = !early.range && early.item == item;
      for (const StepAggregate& aggregate : early.aggregates) reads = reads || aggregate.item == item;
      for (const Ledger& ledger : early.ledgers) {
        reads = reads || ledger.item == item;
        for (const StepAggregate& aggregate : ledger.aggregates) reads = reads || aggregate.item == item;
        for (const StepAggregate& aggregate : ledger.pool_aggregates) reads = reads || aggregate.item == item;
      }
      if (reads) problems->push_back(where + "fold " + std::to_string(fold) + " reads it before its last writer's fold is done");
    }
  }
}

// A fold over a range: its bounds program reads the group columns its fold reads (the one-record
// input's fields, the final states of earlier folds) and gives two values of one type, int or date, that are never missing; the fold's
// program reads that type first.
void verifyRangeBounds(const Program& program, const FoldStage& fold, const std::string& where, std::vector<std::string>* problems) {
  const Program& bounds = *fold.range;
  bool columns = bounds.inputs.size() == fold.group_columns.size();
  for (size_t column = 0; columns && column < bounds.inputs.size(); ++column) {
    columns = fold.group_columns[column] < program.inputs.size() && bounds.inputs[column].type == program.inputs[fold.group_columns[column]].type;
  }
  if (!columns) problems->push_back("grouping: " + where + "its range does not read the group columns its fold reads");
  bool shape = bounds.outputs.size() == 2 && bounds.outputs[0].type == bounds.outputs[1].type &&
               !bounds.outputs[0].type.optional &&
               (bounds.outputs[0].type.kind == TypeKind::Int || bounds.outputs[0].type.kind == TypeKind::Date) &&
               !fold.program->inputs.empty() && fold.program->inputs[0].type == bounds.outputs[0].type;
  if (!shape) problems->push_back("grouping: " + where + "its range is not two bounds of one int or date type, read first by its program");
  for (const std::string& text : verify(bounds)) problems->push_back(where + "range: " + text);
}

// An aggregate's value and filter are `outputs` (from `first` on) of the program that computes them (its
// own, or a ledger's shares program for a pool's): a value exactly when its function takes one, a Bool
// filter if any; `column`, where its result goes, is of its result's kind.
bool aggregateOutputs(const StepAggregate& aggregate, const std::vector<Output>& outputs, size_t first, const Type& column) {
  auto output = [&](int32_t index) { return index >= static_cast<int32_t>(first) && static_cast<size_t>(index) < outputs.size(); };
  bool counts = aggregate.fn == AggregateFn::Count || aggregate.fn == AggregateFn::Exists;
  return counts == (aggregate.value_output < 0) && (aggregate.value_output < 0 || output(aggregate.value_output)) &&
         (aggregate.where_output < 0 || (output(aggregate.where_output) && outputs[static_cast<size_t>(aggregate.where_output)].type.isBool())) &&
         column.kind == aggregate.type.kind;
}

void verifyAggregateProgram(const Grouping& grouping, const std::vector<InputColumn>& record, const Program& reader, size_t count,
                            size_t at, const StepAggregate& aggregate, const std::string& place, std::vector<std::string>* problems);

// Step aggregate `at` of a fold: its program reads the item program's inputs, then the fold program's
// first `step_inputs` inputs (same types), and gives its value (of the aggregate's kind) and filter; its
// result is the fold program's input after those, at `at`.
void verifyStepAggregate(const Grouping& grouping, const Program& fold, size_t step_inputs, size_t at,
                         const StepAggregate& aggregate, const std::string& where, std::vector<std::string>* problems) {
  const std::string place = where + "step aggregate " + std::to_string(at) + ": ";
  if (aggregate.item >= grouping.items.size() || !aggregate.program) {
    problems->push_back("grouping: " + place + "it reads no item stage");
    return;
  }
  const std::vector<InputColumn>& record = grouping.items[aggregate.item].program->inputs;
  const FoldStage* stage = nullptr;  // the fold whose program is `fold`
  for (const FoldStage& candidate : grouping.folds) stage = candidate.program.get() == &fold ? &candidate : stage;
  if (aggregate.ledger >= 0) {
    const bool known = stage && static_cast<size_t>(aggregate.ledger) < stage->ledgers.size() &&
                       stage->ledgers[static_cast<size_t>(aggregate.ledger)].item == aggregate.item;
    if (!known) {
      problems->push_back("grouping: " + place + "it reads no ledger of its fold over its input");
      return;
    }
  }  // what it carries: carriesLedgerStates
  verifyAggregateProgram(grouping, record, fold, step_inputs, at, aggregate, place, problems);
}

// The program of a step's or a ledger's aggregate: it reads its record's fields (`record`), its carried
// item outputs (ledgers' states, of their types), then the first `count` inputs of `reader`, whose input
// after them, at `at`, holds its result; it gives the value and filter its function takes.
void verifyAggregateProgram(const Grouping& grouping, const std::vector<InputColumn>& record, const Program& reader, size_t count,
                            size_t at, const StepAggregate& aggregate, const std::string& place, std::vector<std::string>* problems) {
  const Program& program = *aggregate.program;
  const size_t gap = aggregate.carried.size();
  bool inputs = program.inputs.size() == record.size() + gap + count;
  for (size_t column = 0; inputs && column < record.size(); ++column) inputs = program.inputs[column].type == record[column].type;
  const std::vector<Output>& item_outputs = grouping.items[aggregate.item].program->outputs;
  for (size_t column = 0; inputs && column < gap; ++column) {
    const int32_t output = aggregate.carried[column];
    inputs = output >= 0 && static_cast<size_t>(output) < item_outputs.size() &&
             program.inputs[record.size() + column].type == item_outputs[static_cast<size_t>(output)].type;
  }
  for (size_t column = 0; inputs && column < count; ++column) inputs = program.inputs[record.size() + gap + column].type == reader.inputs[column].type;
  if (!inputs) problems->push_back("grouping: " + place + "its inputs are not the record's fields and the columns it is evaluated with");
  if (!aggregateOutputs(aggregate, program.outputs, 0, reader.inputs[count + at].type)) {
    problems->push_back("grouping: " + place + "its outputs do not match its function and result");
  }
  for (const std::string& text : verify(program)) problems->push_back(place + text);
}

// An aggregate in a ledger: its program reads the aggregated input's fields, then the pair's first
// `pair_columns` columns (the ledger program's inputs before its aggregates); its value is the ledger
// program's input after those, in order.
void verifyLedgerAggregate(const Grouping& grouping, const Program& ledger, size_t pair_columns, size_t at, const StepAggregate& aggregate,
                           const std::string& where, std::vector<std::string>* problems) {
  const std::string place = where + "aggregate " + std::to_string(at) + ": ";
  if (aggregate.item >= grouping.items.size() || !aggregate.program) {
    problems->push_back("grouping: " + place + "it reads no item stage");
    return;
  }
  verifyAggregateProgram(grouping, grouping.items[aggregate.item].program->inputs, ledger, pair_columns, at, aggregate, place, problems);
}

// A fold's ledger: its states live in outputs of its input's item program (of the states' types); its
// program reads that input's fields, the states, the fold program's inputs before its rests (`step`),
// its aggregates' values, then (with a distribution) the share, and gives the states. A distribution's
// shares program reads the same without the share (exactly: it runs on the ledger's pairs) and gives an
// amount, tier and tie keys, then its pool aggregates' values and filters; its pools program reads the
// step's columns and the pool aggregates and gives the pool.
void verifyLedger(const Grouping& grouping, const Program& fold, size_t step, size_t at, const Ledger& ledger, const std::string& where,
                  std::vector<std::string>* problems) {
  const std::string place = where + "ledger " + std::to_string(at) + ": ";
  if (ledger.item >= grouping.items.size() || !ledger.program || !ledger.shares != !ledger.pools) {
    problems->push_back("grouping: " + place + "it keeps no item stage");
    return;
  }
  const Program& program = *ledger.program;
  const Program& item = *grouping.items[ledger.item].program;
  const size_t states = ledger.state_outputs.size();
  const size_t share = ledger.shares ? 1 : 0;
  const size_t aggregates = ledger.aggregates.size();
  auto pairInputs = [&](const Program& pairs) {
    bool shape = pairs.inputs.size() >= item.inputs.size() + states + step;
    for (size_t column = 0; shape && column < item.inputs.size(); ++column) shape = pairs.inputs[column].type == item.inputs[column].type;
    for (size_t state = 0; shape && state < states; ++state) {
      const int32_t output = ledger.state_outputs[state];
      shape = output >= 0 && static_cast<size_t>(output) < item.outputs.size() &&
              item.outputs[static_cast<size_t>(output)].type == program.outputs[state].type &&
              pairs.inputs[item.inputs.size() + state].type == program.outputs[state].type;
    }
    for (size_t column = 0; shape && column < step; ++column) shape = pairs.inputs[item.inputs.size() + states + column].type == fold.inputs[column].type;
    return shape;
  };
  const size_t row_when = ledger.row_when_output >= 0 ? 1 : 0;
  bool shape = program.outputs.size() == states + ledger.row_columns.size() + row_when && ledger.record.empty() == ledger.row_columns.empty() &&
               (row_when == 0 || (static_cast<size_t>(ledger.row_when_output) + 1 == program.outputs.size() && program.outputs.back().type.isBool())) &&
               program.inputs.size() == item.inputs.size() + states + step + aggregates + share + ledger.let_outputs.size() && pairInputs(program);
  if (ledger.shares) {
    shape = shape && ledger.shares->inputs.size() == item.inputs.size() + states + step + aggregates && pairInputs(*ledger.shares) &&
            ledger.shares->outputs.size() >= ledger.share_outputs && ledger.share_outputs >= 1 + ledger.tiers && ledger.pools->outputs.size() == 1 &&
            ledger.pools->inputs.size() == step + ledger.pool_aggregates.size() && ledger.pools->outputs[0].type == ledger.shares->outputs[0].type &&
            program.inputs[ledger.shareInput()].type == ledger.shares->outputs[0].type;
    for (size_t let = 0; shape && let < ledger.let_outputs.size(); ++let) {  // the shares program's lets, read by the ledger program
      const int32_t output = ledger.let_outputs[let];
      shape = output >= static_cast<int32_t>(ledger.share_outputs) && static_cast<size_t>(output) < ledger.shares->outputs.size() &&
              ledger.shares->outputs[static_cast<size_t>(output)].type == program.inputs[ledger.shareInput() + 1 + let].type;
    }
  } else if (!ledger.let_outputs.empty()) {
    shape = false;
  }
  for (size_t column = 0; shape && ledger.shares && column < ledger.shares->inputs.size(); ++column) {  // it runs on the ledger's pairs
    shape = ledger.shares->inputs[column].type == program.inputs[column].type;
  }
  if (!shape) problems->push_back("grouping: " + place + "its inputs and outputs are not the record's fields, its states and the step's columns");
  for (size_t index = 0; shape && index < aggregates; ++index) {
    verifyLedgerAggregate(grouping, program, item.inputs.size() + states + step, index, ledger.aggregates[index], place, problems);
  }
  for (size_t index = 0; shape && ledger.shares && index < ledger.pool_aggregates.size(); ++index) {  // outputs of the shares program
    if (!aggregateOutputs(ledger.pool_aggregates[index], ledger.shares->outputs, ledger.share_outputs, ledger.pools->inputs[step + index].type)) problems->push_back("grouping: " + place + "pool aggregate " + std::to_string(index) + ": its outputs do not match its function and result");
  }
  for (const Program* part : {ledger.program.get(), ledger.shares.get(), ledger.pools.get()}) {
    if (part == nullptr) continue;
    for (const std::string& text : verify(*part)) problems->push_back(place + text);
  }
}

// Folds, distributions, each blocks and the pools program: their indices into the item programs and
// the group program's columns are in range, and each program is well formed.
void verifyGroupStages(const Program& program, std::vector<std::string>* problems) {
  const Grouping& grouping = *program.grouping;
  auto problem = [&](const std::string& text) { problems->push_back("grouping: " + text); };
  auto itemOutput = [&](uint32_t item, int32_t at) {
    return item < grouping.items.size() && at >= 0 && static_cast<size_t>(at) < grouping.items[item].program->outputs.size();
  };
  // A distribution's amount: whole units (an int or money), never missing.
  auto unitAmount = [](const Type& type) { return !type.optional && (type.kind == TypeKind::Int || type.kind == TypeKind::Money); };
  // What an aggregate of fold `index` carries (StepAggregate::carried): the states of `own` (its fold's
  // ledger it reads after the step) first, then only states of ledgers over its input in earlier folds.
  auto carriesLedgerStates = [&](size_t index, const StepAggregate& aggregate, const Ledger* own) {
    size_t at = 0;
    for (size_t state = 0; own != nullptr && state < own->state_outputs.size(); ++state, ++at) {
      if (at >= aggregate.carried.size() || aggregate.carried[at] != own->state_outputs[state]) return false;
    }
    for (; at < aggregate.carried.size(); ++at) {
      bool found = false;
      for (size_t earlier = 0; earlier < index && !found; ++earlier) {
        for (const Ledger& ledger : grouping.folds[earlier].ledgers) {
          found = found || (ledger.item == aggregate.item &&
                            std::count(ledger.state_outputs.begin(), ledger.state_outputs.end(), aggregate.carried[at]) > 0);
        }
      }
      if (!found) return false;
    }
    return true;
  };
  for (size_t index = 0; index < grouping.folds.size(); ++index) {
    const FoldStage& fold = grouping.folds[index];
    std::string where = "fold " + std::to_string(index) + ": ";
    for (size_t at = 0; at < fold.aggregates.size(); ++at) {
      const StepAggregate& aggregate = fold.aggregates[at];
      const bool own_known = aggregate.ledger < 0 || static_cast<size_t>(aggregate.ledger) < fold.ledgers.size();
      const Ledger* own = aggregate.ledger >= 0 && own_known ? &fold.ledgers[static_cast<size_t>(aggregate.ledger)] : nullptr;
      if (own_known && !carriesLedgerStates(index, aggregate, own)) {
        problem(where + "step aggregate " + std::to_string(at) + " carries an output that is no state of its ledger or of an earlier one over its input");
      }
    }
    for (size_t ledger = 0; ledger < fold.ledgers.size(); ++ledger) {
      for (size_t at = 0; at < fold.ledgers[ledger].aggregates.size(); ++at) {
        if (!carriesLedgerStates(index, fold.ledgers[ledger].aggregates[at], nullptr)) {
          problem(where + "ledger " + std::to_string(ledger) + " aggregate " + std::to_string(at) +
                  " carries an output that is no state of an earlier ledger over its input");
        }
      }
    }
    const size_t row_when = fold.row_when_output >= 0 ? 1 : 0;
    if (fold.program->outputs.size() != fold.initial.size() + fold.row_columns.size() + row_when ||
        fold.state_column + fold.initial.size() > program.inputs.size() || fold.record.empty() != fold.row_columns.empty()) {
      problem(where + "its states do not match its program or the group's columns");
    }
    if (fold.where_output >= 0 && (fold.range || !itemOutput(fold.item, fold.where_output))) problem(where + "its filter is out of range");
    if (!fold.range && fold.item >= grouping.items.size()) problem(where + "it runs over no item stage");
    const size_t step_columns = fold.range ? 1 : (fold.item < grouping.items.size() ? grouping.items[fold.item].program->inputs.size() : 0);
    const size_t step_inputs = step_columns + fold.initial.size() + fold.group_columns.size();
    const size_t rests = fold.rests();
    bool group_columns = step_inputs + fold.aggregates.size() + rests == fold.program->inputs.size();
    for (size_t column = 0; group_columns && column < fold.group_columns.size(); ++column) {
      const size_t from = fold.group_columns[column];
      group_columns = from < program.inputs.size() &&
                      program.inputs[from].type == fold.program->inputs[step_columns + fold.initial.size() + column].type;
    }
    if (!group_columns) problem(where + "the group columns it reads do not match its program's last inputs");
    for (size_t at = 0; group_columns && at < fold.aggregates.size(); ++at) {
      verifyStepAggregate(grouping, *fold.program, step_inputs, at, fold.aggregates[at], where, problems);
    }
    for (size_t at = 0; group_columns && at < fold.ledgers.size(); ++at) {
      verifyLedger(grouping, *fold.program, fold.program->inputs.size() - rests, at, fold.ledgers[at], where, problems);
    }
    if (fold.range) verifyRangeBounds(program, fold, where, problems);
    if (row_when != 0 && (static_cast<size_t>(fold.row_when_output) + 1 != fold.program->outputs.size() || fold.record.empty() ||
                          !fold.program->outputs.back().type.isBool())) {
      problem(where + "its row filter is not its program's last output, a condition, with a record");
    }
    for (const std::string& text : verify(*fold.program)) problems->push_back(where + text);
  }
  for (size_t index = 0; index < grouping.distributions.size(); ++index) {
    const Distribution& distribution = grouping.distributions[index];
    bool ok = itemOutput(distribution.item, distribution.amount_output) && itemOutput(distribution.item, distribution.share_output) &&
              unitAmount(grouping.items[distribution.item].program->outputs[static_cast<size_t>(distribution.amount_output)].type) &&
              std::all_of(distribution.tier_outputs.begin(), distribution.tier_outputs.end(),
                          [&](int32_t tier) { return itemOutput(distribution.item, tier); }) &&
              distribution.rest_column < program.inputs.size() && grouping.pools &&
              distribution.pool_output < grouping.pools->outputs.size();
    for (int32_t tie : distribution.tie_outputs) ok = ok && itemOutput(distribution.item, tie);
    if (!ok) problem("distribution " + std::to_string(index) + ": an output or column is out of range");
  }
  if (grouping.pools) {
    for (const std::string& text : verify(*grouping.pools)) problems->push_back("pools: " + text);
  }
  for (const LateStage& late : grouping.lates) {
    for (const std::string& text : verify(*late.program)) problems->push_back("late stage: " + text);
  }
  for (const EachStage& each : grouping.eaches) {
    if (each.item >= grouping.items.size()) problem("each " + each.record + ": item stage out of range");
    for (const std::string& text : verify(*each.program)) problems->push_back("each " + each.record + ": " + text);
  }
}

}  // namespace

std::vector<std::string> verify(const Program& program) {
  std::vector<std::string> problems = Verifier(program).run();
  if (program.grouping) verifyGrouping(program, &problems);
  return problems;
}

}  // namespace regelwerk::ir
