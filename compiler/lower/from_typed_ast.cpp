// Typed AST -> IR. Everything the checker decided implicitly becomes explicit here: scale
// alignment (Rescale), optional handling, enum members (Const index), `in` (Or/And of compares),
// date arithmetic (CheckDate) and every division (RoundDiv with its powers of ten worked out).
#include "from_typed_ast.hpp"

#include <algorithm>
#include <cassert>
#include <map>
#include <optional>

#include "compiler/sema/literals.hpp"
#include "compiler/sema/round_modes.hpp"
#include "compiler/sema/time_functions.hpp"
#include "compiler/support/civil_time.hpp"

namespace regelwerk::lower {

using ir::Kind;
using ir::Op;
using ir::TypeKind;

namespace {

ir::ExprPtr makeNode(Op op, Kind kind) {
  auto node = std::make_unique<ir::Expr>();
  node->op = op;
  node->kind = kind;
  return node;
}

template <class... Args>
ir::ExprPtr makeNode(Op op, Kind kind, ir::ExprPtr first, Args... rest) {
  ir::ExprPtr node = makeNode(op, kind);
  node->args.push_back(std::move(first));
  (node->args.push_back(std::move(rest)), ...);
  return node;
}

ir::ExprPtr constI64(int64_t value) {
  ir::ExprPtr node = makeNode(Op::Const, Kind::I64);
  node->imm = value;
  return node;
}

ir::ExprPtr constBool(bool value) {
  ir::ExprPtr node = makeNode(Op::Const, Kind::Bool);
  node->imm = value ? 1 : 0;
  return node;
}

bool isScaled(TypeKind kind) {
  return kind == TypeKind::Decimal || kind == TypeKind::Money || kind == TypeKind::Percent;
}

// An exact quotient being assembled: the value is (num / 10^num_scale) / (den / 10^den_scale).
// `den` is null for 1.
struct Fraction {
  ir::ExprPtr num;
  int num_scale = 0;
  ir::ExprPtr den;
  int den_scale = 0;
};

class FromTypedAst {
 public:
  FromTypedAst(const sema::TypedRuleset& typed, const SourceManager& sources) : typed_(typed), sources_(sources) {}
  ir::Program run();
  // A grouped rule set's item stage for keyed input `input` (docs/groups.md): its fields in, the values
  // and filters of the aggregates over it out.
  ir::Program runItemStage(uint32_t input);
  // A fold's program: the input's fields (over a range: the step's value) and the states before a
  // record in, the states after it out.
  ir::Program runFold(uint32_t block);
  // A fold over a range: its bounds, from the group columns its fold reads (addFoldGroupColumns).
  ir::Program runRangeBounds(uint32_t block);
  std::vector<uint32_t> earlierFoldStates(uint32_t block) const;
  void addStepColumns(uint32_t block);
  void addFoldGroupColumns(uint32_t block);
  // A step aggregate's program (ir::StepAggregate).
  ir::Program runStepAggregate(uint32_t index);
  // A fold's ledger's program (ir::Ledger): the record's fields, its states, the step's columns and its
  // aggregates' values in (and the share; `shares`: its distribution's shares program, without it).
  ir::Program runLedger(uint32_t block, bool shares);
  void addLedgerPairColumns(uint32_t block);
  // An aggregate in a ledger (ir::Ledger::aggregates): the aggregated record's fields and the pair's columns in.
  ir::Program runLedgerAggregate(uint32_t index);
  void addLedgerStateInputs(uint32_t ledger_block);
  bool foldReadsGroupKey(uint32_t block) const;
  static std::vector<uint32_t> carriedLedgers(const sema::AggregateInfo& aggregate);
  std::vector<int32_t> carriedStates(const ir::Grouping& grouping, const sema::AggregateInfo& aggregate, uint32_t item) const;
  // A distribution in a ledger: the step's pool, from the fold program's inputs without the rests.
  ir::Program runStepPools(uint32_t distribution);
  void addStepRestColumns(uint32_t block);
  int ledgerDistribution(uint32_t ledger) const;
  void addStepAggregateColumns(uint32_t block);
  // Marks in read_lets_ the lets `expr` reads, directly or through other lets: a program that runs per
  // (step, record) pair holds the fold's lets it needs, not all of them.
  void markLets(const ast::Expr& expr);
  void markEarlyLets(const std::vector<bool>& later);
  void addOneInputFields();
  // An each block's program: the group's columns, the input's fields and its shares in, the record out.
  ir::Program runEach(uint32_t block);
  // The pools of the distributions, from the group's columns (no aggregate of shares, no rest).
  ir::Program runPools();
  // The late aggregates over `input`: the each-program's inputs in, their values and filters out.
  ir::Program runLate(uint32_t input);

 private:
  const sema::ExprInfo& info(const ast::Expr& expr) const { return typed_.info(expr); }
  uint32_t site(Location loc);
  ir::ExprPtr value(const ast::Expr& expr);
  ir::ExprPtr valueAt(const ast::Expr& expr, const ir::Type& target);
  ir::ExprPtr widen(ir::ExprPtr lowered, int from_scale, int to_scale, Location loc);
  ir::ExprPtr literal(const ast::Expr& expr);
  ir::ExprPtr name(const ast::Expr& expr);
  ir::ExprPtr unary(const ast::Expr& expr);
  ir::ExprPtr binary(const ast::Expr& expr);
  ir::ExprPtr arithmetic(const ast::Expr& expr);
  ir::ExprPtr compare(Op op, const ast::Expr& lhs, const ast::Expr& rhs);
  ir::ExprPtr coalesce(const ast::Expr& expr);
  ir::ExprPtr inList(const ast::Expr& expr);
  ir::ExprPtr inRange(const ast::Expr& expr);
  ir::ExprPtr ifExpr(const ast::Expr& expr);
  ir::ExprPtr call(const ast::Expr& expr);
  ir::ExprPtr round(const ast::Expr& expr);
  ir::ExprPtr toInt(const ast::Expr& expr);
  ir::ExprPtr text(const ast::Expr& expr);
  ir::ExprPtr enumText(ir::ExprPtr value, const ir::Type& type, size_t member);
  ir::ExprPtr constStr(const std::string& text);
  Fraction fraction(const ast::Expr& expr);
  Fraction accrue(const ast::Expr& expr);
  ir::ExprPtr tableLookup(const ast::Expr& expr);
  ir::ExprPtr inlineCall(const ast::Expr& expr);
  ir::ExprPtr local(const ast::Expr& expr);
  ir::ExprPtr multiply(ir::ExprPtr a, ir::ExprPtr b, Location loc);
  ir::ExprPtr daysAsSeconds(ir::ExprPtr days, Location loc);
  ir::ExprPtr instantArithmetic(const ast::Expr& expr);
  ir::ExprPtr timeCall(const ast::Expr& expr, const sema::TimeFunction& function);

  void lowerTables();
  void lowerTests();
  ir::TestValue testValue(const ast::TestValue* value, const ir::Type& type);
  void lowerGroupTest(const sema::TestInfo& test, ir::TestCase* out);
  void lowerInputs();
  void lowerParams();
  void lowerLets();
  ir::ExprPtr reject(const ast::LetDecl& decl);
  void lowerDecisions();
  void lowerOutputs();
  void startProgram();
  void lowerGroupInputs();
  void lowerGrouping();
  void lowerFolds(ir::Grouping& grouping, const std::vector<int32_t>& item_of);
  void lowerDerivedWriters(ir::Grouping& grouping);
  void lowerDistributions(ir::Grouping& grouping, const std::vector<int32_t>& item_of);
  ir::Ledger lowerLedger(const ir::Grouping& grouping, const std::vector<int32_t>& item_of, uint32_t block);
  ir::StepAggregate aggregateOf(const sema::AggregateInfo& info, const std::vector<int32_t>& item_of, std::optional<ir::Program> program);
  std::vector<uint32_t> sharedLedgerLets(uint32_t block) const;
  void lowerEaches(ir::Grouping& grouping, const std::vector<int32_t>& item_of);
  void addItemFields(uint32_t input);
  void addItemColumns(uint32_t input);
  void addAggregateOutputs(uint32_t input, bool late);
  void addItemStageOutput(const std::string& name, const ast::Expr& expr, const ir::Type& type);
  void addAggregatePair(const std::string& prefix, const ast::Expr* value, const ast::Expr* filter);
  ir::ExprPtr aggregateColumn(uint32_t aggregate);
  ir::ExprPtr inputColumn(uint32_t column, const ir::Type& type);
  bool includes(int block) const;
  void planOutputSlots();
  bool includesLet(size_t index) const;

  const sema::TypedRuleset& typed_;
  const SourceManager& sources_;
  ir::Program program_;
  std::string rule_;     // the rule being lowered, for sites
  std::string context_;  // "let open", "output fee", "when"
  std::vector<std::vector<uint32_t>> scopes_;  // per function being inlined: the local slot of each parameter
  // Grouped rule sets: the column of the program being built for each field (-1: not in this stage),
  // and where the aggregates' columns start in the group program.
  std::vector<int32_t> field_column_;
  uint32_t first_aggregate_column_ = 0;
  // Which declarations the program being built holds (docs/groups.md): the whole rule set, the
  // group's, the pools', an each block's or a fold's; and where the lets, outputs, states, shares
  // and rests it holds are in it.
  enum class Stage { Whole, Group, Pools, Each, Fold, Item, Late, Range, StepAggregate, Ledger, LedgerShares, StepPools, LedgerAggregate };
  // The two halves of a step's or a ledger's aggregate program (runStepAggregate, runLedgerAggregate).
  void startAggregateProgram(const sema::AggregateInfo& aggregate, Stage stage, int block);
  ir::Program finishAggregateProgram(const sema::AggregateInfo& aggregate, const std::vector<int32_t>& record_columns);
  Stage stage_ = Stage::Whole;
  int block_ = -1;
  std::vector<int32_t> let_slot_;     // per let of the rule set: its index here (-1: not here)
  std::vector<int32_t> output_slot_;  // per output of the rule set: its index here (-1: not here)
  std::map<uint32_t, uint32_t> state_column_;  // fold state (output index) -> input column
  std::map<uint32_t, uint32_t> share_column_;  // distribution -> input column of its share
  std::map<uint32_t, uint32_t> ledger_column_;  // ledger state (output index) -> input column of its final value
  // A ledger's program: the field columns its own lets, rules and states read (the ledger's record's
  // fields, which win) and those the fold's lets read (the step's).
  std::vector<int32_t> ledger_fields_;
  std::vector<int32_t> step_fields_;
  std::vector<bool> read_lets_;  // ledger, step pools, step aggregate, pools and late programs: the lets they read (markLets)
  std::map<uint32_t, uint32_t> step_aggregate_column_;  // step aggregate -> input column of its value
  std::map<uint32_t, uint32_t> ledger_aggregate_column_;  // ledger aggregate -> input column of its value
  std::map<uint32_t, uint32_t> pool_aggregate_column_;    // pool aggregate -> input column of its value (step pools)
  std::map<uint32_t, uint32_t> shared_let_column_;        // ledger program: let -> input column of its value from the shares program
  uint32_t step_column_ = 0;  // a range fold's step value: the fold program's first column
  std::map<uint32_t, uint32_t> rest_column_;  // distribution -> input column of its rest (the group's, or a step's)
};

uint32_t FromTypedAst::site(Location loc) {
  program_.sites.push_back(ir::Site{loc, rule_, context_, ""});
  return static_cast<uint32_t>(program_.sites.size() - 1);
}

ir::ExprPtr FromTypedAst::value(const ast::Expr& expr) {
  assert(!info(expr).failed && "lowering runs only on rule sets without errors");
  assert(!info(expr).quotient && "quotients are lowered by fraction() under round()");
  auto aggregate = typed_.group.aggregate_of.find(expr.id);
  if (aggregate != typed_.group.aggregate_of.end()) return aggregateColumn(aggregate->second);
  auto step_aggregate = typed_.group.step_aggregate_of.find(expr.id);
  if (step_aggregate != typed_.group.step_aggregate_of.end()) {
    return inputColumn(step_aggregate_column_.at(step_aggregate->second), info(expr).type);
  }
  auto ledger_aggregate = typed_.group.ledger_aggregate_of.find(expr.id);
  if (ledger_aggregate != typed_.group.ledger_aggregate_of.end()) {
    return inputColumn(ledger_aggregate_column_.at(ledger_aggregate->second), info(expr).type);
  }
  auto pool_aggregate = typed_.group.pool_aggregate_of.find(expr.id);
  if (pool_aggregate != typed_.group.pool_aggregate_of.end()) {
    return inputColumn(pool_aggregate_column_.at(pool_aggregate->second), info(expr).type);
  }
  switch (expr.kind) {
    case ast::ExprKind::Name: return name(expr);
    case ast::ExprKind::Unary: return unary(expr);
    case ast::ExprKind::Binary: return binary(expr);
    case ast::ExprKind::InList: return inList(expr);
    case ast::ExprKind::InRange: return inRange(expr);
    case ast::ExprKind::IsMissing: {
      ir::ExprPtr missing = makeNode(Op::IsMissing, Kind::Bool, value(*expr.args[0]));
      return expr.negated ? makeNode(Op::Not, Kind::Bool, std::move(missing)) : std::move(missing);
    }
    case ast::ExprKind::If: return ifExpr(expr);
    case ast::ExprKind::Call: return call(expr);
    case ast::ExprKind::Missing: {
      ir::ExprPtr node = makeNode(Op::Missing, ir::physicalKind(info(expr).type));
      node->optional = true;
      return node;
    }
    default: return literal(expr);
  }
}

// Widens a value from its scale to `to_scale` with Rescale (imm = 10^k). Rescale does not accept a
// value that may be missing, so an optional one is split: `x` missing stays missing, else
// Rescale(x ?? 0): If(IsMissing(x), x, Rescale(Coalesce(x, 0))).
ir::ExprPtr FromTypedAst::widen(ir::ExprPtr lowered, int from_scale, int to_scale, Location loc) {
  if (to_scale <= from_scale) return lowered;
  int64_t factor = sema::powerOfTen(to_scale - from_scale);
  if (!lowered->optional) {
    ir::ExprPtr rescale = makeNode(Op::Rescale, Kind::I64, std::move(lowered));
    rescale->imm = factor;
    rescale->site = site(loc);
    return rescale;
  }
  ir::ExprPtr present = makeNode(Op::Coalesce, Kind::I64, cloneExpr(*lowered), constI64(0));
  ir::ExprPtr rescale = makeNode(Op::Rescale, Kind::I64, std::move(present));
  rescale->imm = factor;
  rescale->site = site(loc);
  ir::ExprPtr missing = makeNode(Op::IsMissing, Kind::Bool, cloneExpr(*lowered));
  ir::ExprPtr choice = makeNode(Op::If, Kind::I64, std::move(missing), std::move(lowered), std::move(rescale));
  choice->optional = true;
  return choice;
}

// The value of `expr` at the scale of `target` (an output, let, or the common type of an
// operation): `fee = 5 EUR` rescales 5 to 500; an int stored in decimal(2) is multiplied by 100.
ir::ExprPtr FromTypedAst::valueAt(const ast::Expr& expr, const ir::Type& target) {
  ir::ExprPtr lowered = value(expr);
  if (target.kind == TypeKind::Duration && info(expr).type.kind == TypeKind::Days) {
    return daysAsSeconds(std::move(lowered), expr.loc);
  }
  if (!isScaled(target.kind)) return lowered;
  return widen(std::move(lowered), info(expr).type.scale, target.scale, expr.loc);
}

ir::ExprPtr FromTypedAst::literal(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::DaysLit: return constI64(*sema::parseInt(expr.text));
    case ast::ExprKind::DecimalLit:
    case ast::ExprKind::MoneyLit: return constI64(sema::parseFixed(expr.text).fixed.value);
    case ast::ExprKind::PercentLit: return constI64(sema::parseFixed(expr.text, 2).fixed.value);
    case ast::ExprKind::DateLit: return constI64(sema::parseDate(expr.text).days);
    case ast::ExprKind::BoolLit: return constBool(expr.text == "true");
    case ast::ExprKind::TimestampLit:
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::TimeLit: return constI64(*sema::timeLiteralValue(expr, info(expr).type));
    case ast::ExprKind::StringLit: {
      ir::ExprPtr node = makeNode(Op::Const, Kind::Str);
      node->str = expr.text;
      return node;
    }
    default: break;
  }
  assert(false && "not a literal");
  return nullptr;
}

ir::ExprPtr FromTypedAst::name(const ast::Expr& expr) {
  const sema::Symbol& symbol = typed_.symbol(expr);
  const ir::Type& type = info(expr).type;
  Op op = Op::Const;
  switch (symbol.kind) {
    case sema::SymbolKind::EnumMember: return constI64(symbol.index);
    case sema::SymbolKind::Local: return local(expr);
    case sema::SymbolKind::Field: op = Op::Input; break;
    case sema::SymbolKind::Param: op = Op::Param; break;
    case sema::SymbolKind::Let: op = Op::Let; break;
    case sema::SymbolKind::State: return inputColumn(state_column_.at(symbol.index), type);
    case sema::SymbolKind::Step: return inputColumn(step_column_, type);
    case sema::SymbolKind::Share: return inputColumn(share_column_.at(symbol.index), type);
    case sema::SymbolKind::Ledger: return inputColumn(ledger_column_.at(symbol.index), type);
    case sema::SymbolKind::Rest: return inputColumn(rest_column_.at(symbol.index), type);
    default: assert(false && "unresolved name"); break;
  }
  ir::ExprPtr node = makeNode(op, ir::physicalKind(type));
  node->index = symbol.index;
  if (op == Op::Let && !let_slot_.empty()) {
    assert(let_slot_[symbol.index] >= 0 && "sema keeps each stage's lets in its stage");
    node->index = static_cast<uint32_t>(let_slot_[symbol.index]);
  }
  if (op == Op::Input && !field_column_.empty()) {
    assert(field_column_[symbol.index] >= 0 && "sema keeps each stage's names in its stage");
    node->index = static_cast<uint32_t>(field_column_[symbol.index]);
  }
  node->optional = type.optional;
  return node;
}

ir::ExprPtr FromTypedAst::unary(const ast::Expr& expr) {
  if (expr.unary_op == ast::UnaryOp::Not) return makeNode(Op::Not, Kind::Bool, value(*expr.args[0]));
  ir::ExprPtr node = makeNode(Op::Neg, Kind::I64, value(*expr.args[0]));
  node->site = site(expr.op_loc);
  return node;
}

static Op compareOp(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Eq: return Op::Eq;
    case ast::BinaryOp::Ne: return Op::Ne;
    case ast::BinaryOp::Lt: return Op::Lt;
    case ast::BinaryOp::Le: return Op::Le;
    case ast::BinaryOp::Gt: return Op::Gt;
    default: return Op::Ge;
  }
}

ir::ExprPtr FromTypedAst::binary(const ast::Expr& expr) {
  switch (expr.binary_op) {
    case ast::BinaryOp::Add:
    case ast::BinaryOp::Sub:
    case ast::BinaryOp::Mul: return arithmetic(expr);
    case ast::BinaryOp::Div: break;
    case ast::BinaryOp::And:
    case ast::BinaryOp::Or:
      return makeNode(expr.binary_op == ast::BinaryOp::And ? Op::And : Op::Or, Kind::Bool, value(*expr.args[0]),
                      value(*expr.args[1]));
    case ast::BinaryOp::Coalesce: return coalesce(expr);
    case ast::BinaryOp::Concat: {
      ir::ExprPtr node = makeNode(Op::Concat, Kind::Str, value(*expr.args[0]), value(*expr.args[1]));
      node->site = site(expr.op_loc);
      return node;
    }
    default: return compare(compareOp(expr.binary_op), *expr.args[0], *expr.args[1]);
  }
  assert(false && "a division outside round() is a quotient and never reaches value()");
  return nullptr;
}

// `+ -` align both sides to the result's scale (money 2 + money 8 -> Rescale the left by 10^6); `*`
// needs no alignment, its scales add. Date arithmetic: `date + days` and `date - days` are checked
// for the calendar range (CheckDate), `date - date` is a plain Sub giving days.
ir::ExprPtr FromTypedAst::arithmetic(const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  const ir::Type& type = info(expr).type;
  if (expr.binary_op == ast::BinaryOp::Mul) return multiply(value(lhs), value(rhs), expr.op_loc);
  if (type.kind == TypeKind::Timestamp) return instantArithmetic(expr);
  Op op = expr.binary_op == ast::BinaryOp::Add ? Op::Add : Op::Sub;
  ir::ExprPtr node = makeNode(op, Kind::I64, valueAt(lhs, type), valueAt(rhs, type));
  node->site = site(expr.op_loc);
  if (type.kind != TypeKind::Date) return node;
  ir::ExprPtr check = makeNode(Op::CheckDate, Kind::I64, std::move(node));
  check->site = site(expr.op_loc);
  return check;
}

// Days where a duration is expected are seconds: Mul(days, 86400), checked (`7 days` is 604800 s).
// An optional value stays missing when it is: If(IsMissing(x), x, Mul(x ?? 0, 86400)).
ir::ExprPtr FromTypedAst::daysAsSeconds(ir::ExprPtr days, Location loc) {
  if (!days->optional) return multiply(std::move(days), constI64(civil::kSecondsPerDay), loc);
  ir::ExprPtr present = makeNode(Op::Coalesce, Kind::I64, cloneExpr(*days), constI64(0));
  ir::ExprPtr seconds = multiply(std::move(present), constI64(civil::kSecondsPerDay), loc);
  ir::ExprPtr missing = makeNode(Op::IsMissing, Kind::Bool, cloneExpr(*days));
  ir::ExprPtr choice = makeNode(Op::If, Kind::I64, std::move(missing), std::move(days), std::move(seconds));
  choice->optional = true;
  return choice;
}

// `at + 24 h`, `7 days + at`, `at - 30 min`: the instant and the duration in seconds (days × 86400),
// added or subtracted (checked), then CheckTimestamp for the range 0001 .. 9999.
ir::ExprPtr FromTypedAst::instantArithmetic(const ast::Expr& expr) {
  const ir::Type duration = ir::Type::of(TypeKind::Duration);
  auto operand = [&](const ast::Expr& side) {
    return info(side).type.kind == TypeKind::Timestamp ? value(side) : valueAt(side, duration);
  };
  Op op = expr.binary_op == ast::BinaryOp::Add ? Op::Add : Op::Sub;
  ir::ExprPtr lhs = operand(*expr.args[0]);
  ir::ExprPtr node = makeNode(op, Kind::I64, std::move(lhs), operand(*expr.args[1]));
  node->site = site(expr.op_loc);
  ir::ExprPtr check = makeNode(Op::CheckTimestamp, Kind::I64, std::move(node));
  check->site = site(expr.op_loc);
  return check;
}

// `local_time(at, tz)` -> TimeCall(LocalTime, at, tz): arguments in order, the kernel fails the row.
ir::ExprPtr FromTypedAst::timeCall(const ast::Expr& expr, const sema::TimeFunction& function) {
  ir::ExprPtr node = makeNode(Op::TimeCall, Kind::I64);
  node->imm = static_cast<int64_t>(function.fn);
  for (const auto& arg : expr.args) node->args.push_back(value(*arg));
  node->site = site(expr.loc);
  return node;
}

ir::ExprPtr FromTypedAst::multiply(ir::ExprPtr a, ir::ExprPtr b, Location loc) {
  if (!b) return a;
  if (!a) return b;
  ir::ExprPtr node = makeNode(Op::Mul, Kind::I64, std::move(a), std::move(b));
  node->site = site(loc);
  return node;
}

// Compares two values of one kind: numbers of different scales are aligned to the finer one
// (`open <= 0.00 EUR` where open has scale 8 rescales 0.00 to scale 8); strings compare bytewise.
ir::ExprPtr FromTypedAst::compare(Op op, const ast::Expr& lhs, const ast::Expr& rhs) {
  ir::Type common = *sema::commonType(info(lhs).type, info(rhs).type);
  if (common.kind == TypeKind::String) {
    assert((op == Op::Eq || op == Op::Ne) && "strings are not ordered");
    op = op == Op::Eq ? Op::StrEq : Op::StrNe;
  }
  return makeNode(op, Kind::Bool, valueAt(lhs, common), valueAt(rhs, common));
}

ir::ExprPtr FromTypedAst::coalesce(const ast::Expr& expr) {
  const ir::Type& type = info(expr).type;
  ir::ExprPtr node =
      makeNode(Op::Coalesce, ir::physicalKind(type), valueAt(*expr.args[0], type), valueAt(*expr.args[1], type));
  node->optional = type.optional;
  return node;
}

// `action in (notice, collection)` -> Or(Eq(action, 2), Eq(action, 3)); `not in` wraps it in Not.
ir::ExprPtr FromTypedAst::inList(const ast::Expr& expr) {
  ir::ExprPtr any;
  for (size_t item = 1; item < expr.args.size(); ++item) {
    ir::ExprPtr equal = compare(Op::Eq, *expr.args[0], *expr.args[item]);
    any = any ? makeNode(Op::Or, Kind::Bool, std::move(any), std::move(equal)) : std::move(equal);
  }
  return expr.negated ? makeNode(Op::Not, Kind::Bool, std::move(any)) : std::move(any);
}

// `dunning_level in 1..2` -> And(Ge(level, 1), Le(level, 2)); both ends are included.
ir::ExprPtr FromTypedAst::inRange(const ast::Expr& expr) {
  ir::ExprPtr low = compare(Op::Ge, *expr.args[0], *expr.args[1]);
  ir::ExprPtr high = compare(Op::Le, *expr.args[0], *expr.args[2]);
  ir::ExprPtr both = makeNode(Op::And, Kind::Bool, std::move(low), std::move(high));
  return expr.negated ? makeNode(Op::Not, Kind::Bool, std::move(both)) : std::move(both);
}

ir::ExprPtr FromTypedAst::ifExpr(const ast::Expr& expr) {
  const ir::Type& type = info(expr).type;
  ir::ExprPtr node = makeNode(Op::If, ir::physicalKind(type), value(*expr.args[0]), valueAt(*expr.args[1], type),
                              valueAt(*expr.args[2], type));
  node->optional = type.optional;
  return node;
}

ir::ExprPtr FromTypedAst::call(const ast::Expr& expr) {
  if (typed_.symbol(expr).kind == sema::SymbolKind::Table) return tableLookup(expr);
  if (typed_.symbol(expr).kind == sema::SymbolKind::Function) return inlineCall(expr);
  if (expr.text == "round") return round(expr);
  if (expr.text == "int") return toInt(expr);
  if (expr.text == "text") return text(expr);
  if (const sema::TimeFunction* time = sema::timeFunction(expr.text)) return timeCall(expr, *time);
  const ir::Type& type = info(expr).type;
  if (expr.text == "abs") {
    ir::ExprPtr node = makeNode(Op::Abs, Kind::I64, value(*expr.args[0]));
    node->site = site(expr.loc);
    return node;
  }
  // min(a, b, c) -> Min(Min(a, b), c), every argument at the widest scale.
  Op op = expr.text == "min" ? Op::Min : Op::Max;
  ir::ExprPtr folded = valueAt(*expr.args[0], type);
  for (size_t arg = 1; arg < expr.args.size(); ++arg) {
    folded = makeNode(op, Kind::I64, std::move(folded), valueAt(*expr.args[arg], type));
  }
  return folded;
}

// The numerator and denominator of an exact quotient as two products. Example:
// `open * rate * (overdue / 365 days)` -> num = open * rate * overdue (scale 2 + 6 + 0 = 8),
// den = 365 (scale 0). A division swaps the right side: (n1/d1) / (n2/d2) = (n1*d2) / (d1*n2).
Fraction FromTypedAst::fraction(const ast::Expr& expr) {
  const sema::ExprInfo& fact = info(expr);
  if (!fact.quotient) return Fraction{value(expr), fact.type.scale, nullptr, 0};
  if (expr.kind == ast::ExprKind::Call) return accrue(expr);
  assert(expr.kind == ast::ExprKind::Binary && "only * and / make quotients");
  Fraction left = fraction(*expr.args[0]);
  Fraction right = fraction(*expr.args[1]);
  Fraction out;
  if (expr.binary_op == ast::BinaryOp::Mul) {
    out.num = multiply(std::move(left.num), std::move(right.num), expr.op_loc);
    out.den = multiply(std::move(left.den), std::move(right.den), expr.op_loc);
    out.num_scale = left.num_scale + right.num_scale;
    out.den_scale = left.den_scale + right.den_scale;
    return out;
  }
  out.num = multiply(std::move(left.num), std::move(right.den), expr.op_loc);
  out.den = multiply(std::move(left.den), std::move(right.num), expr.op_loc);
  out.num_scale = left.num_scale + right.den_scale;
  out.den_scale = left.den_scale + right.num_scale;
  return out;
}

// round(x, p) -> RoundDiv(num, den, imm, imm2, mode). With num at scale s and den at scale t the
// exact value is (num / 10^s) / (den / 10^t); at the result scale p the rounded integer is
// round(num * 10^(t+p-s) / den). The power goes to the side where it is positive:
// imm = max(0, t+p-s) multiplies num, imm2 = max(0, s-t-p) multiplies den. Rounding an exact value
// is the same with den = 1 (t = 0). Example: interest with s = 8, t = 0, p = 2 -> imm 0, imm2 6.
ir::ExprPtr FromTypedAst::round(const ast::Expr& expr) {
  Fraction parts = fraction(*expr.args[0]);
  int result_scale = info(expr).type.scale;
  int shift = parts.den_scale + result_scale - parts.num_scale;
  ir::ExprPtr den = parts.den ? std::move(parts.den) : constI64(1);
  ir::ExprPtr node = makeNode(Op::RoundDiv, Kind::I64, std::move(parts.num), std::move(den));
  node->imm = std::max(0, shift);
  node->imm2 = std::max(0, -shift);
  node->mode = typed_.rounding;
  size_t mode_arg = expr.text == "int" ? 1 : 2;  // int(x, MODE) is round(x, 0, MODE)
  if (expr.args.size() > mode_arg) node->mode = *sema::roundModeNamed(expr.args[mode_arg]->text);
  node->site = site(expr.loc);
  return node;
}

ir::ExprPtr FromTypedAst::constStr(const std::string& text) {
  ir::ExprPtr node = makeNode(Op::Const, Kind::Str);
  node->str = text;
  return node;
}

// text(x) as the CSV writer writes x: numbers and dates through the Text op (a percent at its
// percent places: 1.27% is "1.27"), a bool as If(x, "true", "false"), an enum as a chain of Ifs over
// its members, a string as itself. The enum's value is bound once (With) and compared per member.
ir::ExprPtr FromTypedAst::text(const ast::Expr& expr) {
  const ast::Expr& arg = *expr.args[0];
  const ir::Type& type = info(arg).type;
  ir::ExprPtr lowered = value(arg);
  switch (type.kind) {
    case TypeKind::String: return lowered;
    case TypeKind::Bool: return makeNode(Op::If, Kind::Str, std::move(lowered), constStr("true"), constStr("false"));
    case TypeKind::Enum: {
      if (type.members.size() == 1) return constStr(type.members[0]);
      uint32_t slot = program_.local_count++;
      ir::ExprPtr with = makeNode(Op::With, Kind::Str, std::move(lowered));
      with->index = slot;
      ir::ExprPtr local = makeNode(Op::Local, Kind::I64);
      local->index = slot;
      with->args.push_back(enumText(std::move(local), type, 0));
      return with;
    }
    default: break;
  }
  ir::ExprPtr node = makeNode(Op::Text, Kind::Str, std::move(lowered));
  node->imm = type.kind == TypeKind::Percent ? type.scale - 2 : type.scale;
  node->imm2 = type.kind == TypeKind::Date ? 1 : 0;
  if (type.kind == TypeKind::Int || type.kind == TypeKind::Days) node->imm = 0;
  return node;
}

// If(x == member, "member", <the rest>), the last member without a test.
ir::ExprPtr FromTypedAst::enumText(ir::ExprPtr value, const ir::Type& type, size_t member) {
  if (member + 1 == type.members.size()) return constStr(type.members[member]);
  ir::ExprPtr test = makeNode(Op::Eq, Kind::Bool, cloneExpr(*value), constI64(static_cast<int64_t>(member)));
  ir::ExprPtr rest = enumText(std::move(value), type, member + 1);
  return makeNode(Op::If, Kind::Str, std::move(test), constStr(type.members[member]), std::move(rest));
}

// int(d) of days or an int is the value itself; int(x, MODE) of a decimal, money or a quotient is
// round(x, 0, MODE), whose result at scale 0 is the int: int(2.5, half_even) -> RoundDiv(25, 1, 0, 1).
// The result never exceeds |x| in magnitude, so it cannot overflow (a quotient's can: RoundDiv says so).
ir::ExprPtr FromTypedAst::toInt(const ast::Expr& expr) {
  if (expr.args.size() == 1) return value(*expr.args[0]);
  return round(expr);
}

void FromTypedAst::lowerInputs() {
  program_.input_separator = typed_.separator;
  if (typed_.group.grouped) return lowerGroupInputs();
  for (const sema::FieldInfo& field : typed_.fields) {
    program_.inputs.push_back(ir::InputColumn{field.name, field.header, field.type, field.format});
  }
}

void FromTypedAst::lowerParams() {
  const ast::Ruleset& ruleset = *typed_.ast;
  for (size_t index = 0; index < typed_.params.size(); ++index) {
    const sema::ParamInfo& info = typed_.params[index];
    ir::Param param{info.name, info.type, false, 0, ""};
    if (const ast::Expr* fallback = ruleset.params[index].default_value.get()) {
      param.has_default = true;
      if (fallback->kind == ast::ExprKind::StringLit) param.default_str = fallback->text;
      else param.default_i64 = sema::literalValue(typed_, *fallback, info.type);
    }
    program_.params.push_back(std::move(param));
  }
}

void FromTypedAst::lowerLets() {
  const ast::Ruleset& ruleset = *typed_.ast;
  let_slot_.assign(typed_.lets.size(), -1);
  for (size_t index = 0; index < typed_.lets.size(); ++index) {
    if (!includesLet(index)) continue;
    if (stage_ == Stage::Ledger || stage_ == Stage::LedgerShares || stage_ == Stage::LedgerAggregate) {
      field_column_ = ruleset.lets[index].block == block_ ? ledger_fields_ : step_fields_;
    }
    const sema::LetInfo& let = typed_.lets[index];
    context_ = "let " + let.name;
    let_slot_[index] = static_cast<int32_t>(program_.lets.size());
    const ast::LetDecl& decl = ruleset.lets[index];
    if (decl.reject) {
      program_.lets.push_back(ir::Let{let.name, let.type, reject(decl)});
      continue;
    }
    auto shared = shared_let_column_.find(static_cast<uint32_t>(index));
    if (stage_ == Stage::Ledger && shared != shared_let_column_.end()) {  // the shares program computed it
      program_.lets.push_back(ir::Let{let.name, let.type, inputColumn(shared->second, let.type)});
      continue;
    }
    program_.lets.push_back(ir::Let{let.name, let.type, valueAt(*decl.value, let.type)});
  }
}

// `reject "reason" when c` -> Reject(c) at a site that carries the reason ("... (reject): reason").
ir::ExprPtr FromTypedAst::reject(const ast::LetDecl& decl) {
  ir::ExprPtr node = makeNode(Op::Reject, Kind::Bool, valueAt(*decl.value, ir::Type::of(TypeKind::Bool)));
  context_ = "reject";
  node->site = site(decl.loc);
  program_.sites.back().reason = *decl.reject;
  return node;
}

// Where each output the program holds will be, in declaration order; decisions are lowered before the
// outputs and assign by these slots.
// A fold program's states come first (the runtime carries outputs 0..states-1 to the next step), then
// the columns of its record (`fold X as R`).
void FromTypedAst::planOutputSlots() {
  output_slot_.assign(typed_.outputs.size(), -1);
  int32_t next = 0;
  for (int pass = 0; pass < 2; ++pass) {
    for (size_t index = 0; index < typed_.outputs.size(); ++index) {
      const ast::OutputDecl& decl = typed_.ast->outputs[index];
      bool first_pass = (stage_ != Stage::Fold && stage_ != Stage::Ledger) || decl.state;
      if (includes(decl.block) && first_pass == (pass == 0)) output_slot_[index] = next++;
    }
  }
}

// Whether the program being built holds the declarations of block `block` (-1: the group's).
bool FromTypedAst::includes(int block) const {
  switch (stage_) {
    case Stage::Whole: return true;
    case Stage::Group: return block < 0;
    case Stage::Each: case Stage::Fold: case Stage::Ledger: return block == block_;
    case Stage::Pools: case Stage::Item: case Stage::Late: case Stage::Range: case Stage::StepAggregate:
    case Stage::LedgerShares: case Stage::StepPools: case Stage::LedgerAggregate: return false;
  }
  return false;
}

// An each block reads the group's lets (recomputed per record, so nothing is carried between
// programs); the pools program holds the group lets that do not read a distribution's result.
bool FromTypedAst::includesLet(size_t index) const {
  int block = typed_.ast->lets[index].block;
  if (stage_ == Stage::Each && block < 0) return true;
  // The pools and late programs compute the group lets their outputs read, and the lets and rejects
  // written before those (markEarlyLets). The group program computes every let in the order written.
  if (stage_ == Stage::Pools || stage_ == Stage::Late) {
    const bool read = index < read_lets_.size() && read_lets_[index];
    const bool known = stage_ == Stage::Pools ? !typed_.group.let_reads_distribution.at(index) : !typed_.group.let_reads_late.at(index);
    return block < 0 && read && known;
  }
  // Before the fold's own program, the lets that read the rest of the step's distribution are unknown.
  const bool before_rest = !typed_.group.let_reads_step_rest.at(index);
  const bool read = index < read_lets_.size() && read_lets_[index];
  if (stage_ == Stage::StepAggregate) return block == block_ && !typed_.group.let_reads_step_aggregate.at(index) && before_rest && read;
  if (stage_ == Stage::StepPools) return block == block_ && before_rest && read;
  if (stage_ == Stage::Ledger || stage_ == Stage::LedgerShares) {
    const int fold = typed_.group.blocks[static_cast<size_t>(block_)].parent;
    const int distribution = ledgerDistribution(static_cast<uint32_t>(block_));
    const bool before_share = distribution < 0 || index < typed_.ast->distributes[static_cast<size_t>(distribution)].lets_before;
    return (block == fold && before_rest && read) || (block == block_ && (stage_ == Stage::Ledger || before_share));
  }
  if (stage_ == Stage::LedgerAggregate) {  // the lets it reads, of the fold and of the ledger before its aggregates
    const int fold = typed_.group.blocks[static_cast<size_t>(block_)].parent;
    return read && ((block == fold && before_rest) || (block == block_ && !typed_.group.let_reads_ledger_value.at(index)));
  }
  return includes(block);
}

static ir::Rule lowerRuleShell(const ast::RuleDecl& decl, const sema::RuleInfo& info) {
  ir::Rule rule;
  rule.name = decl.name;
  rule.label = decl.label.value_or("");
  rule.table_row = decl.table_row;
  rule.loc = decl.loc;
  rule.defeated_by = info.defeated_by;
  return rule;
}

void FromTypedAst::lowerDecisions() {
  const ast::Ruleset& ruleset = *typed_.ast;
  planOutputSlots();
  for (size_t block = 0; block < ruleset.decisions.size(); ++block) {
    const ast::DecideBlock& decl = ruleset.decisions[block];
    const sema::DecisionInfo& info = typed_.decisions[block];
    if (!includes(decl.block)) continue;
    ir::Decision decision;
    decision.policy = info.policy;
    decision.loc = decl.loc;
    rule_.clear();
    context_ = "decide " + decl.policy;
    decision.site = site(decl.loc);
    for (size_t index = 0; index < decl.rules.size(); ++index) {
      const ast::RuleDecl& rule_decl = decl.rules[index];
      ir::Rule rule = lowerRuleShell(rule_decl, info.rules[index]);
      rule_ = rule_decl.name;
      context_ = "when";
      if (rule_decl.condition) rule.condition = value(*rule_decl.condition);
      for (size_t assignment = 0; assignment < rule_decl.assignments.size(); ++assignment) {
        uint32_t output = static_cast<uint32_t>(info.rules[index].outputs[assignment]);
        const sema::OutputInfo& target = typed_.outputs[output];
        context_ = "output " + target.name;
        auto slot = static_cast<uint32_t>(output_slot_[output]);
        rule.assignments.push_back(ir::Assignment{slot, valueAt(*rule_decl.assignments[assignment].value, target.type)});
      }
      decision.rules.push_back(std::move(rule));
    }
    program_.decisions.push_back(std::move(decision));
  }
  rule_.clear();
}

// A fold's state defaults to its value before the record: a record no rule applies to keeps it.
void FromTypedAst::lowerOutputs() {
  const ast::Ruleset& ruleset = *typed_.ast;
  planOutputSlots();
  std::vector<size_t> by_slot(typed_.outputs.size());
  size_t count = 0;
  for (size_t index = 0; index < typed_.outputs.size(); ++index) {
    if (output_slot_[index] < 0) continue;
    by_slot[static_cast<size_t>(output_slot_[index])] = index;
    ++count;
  }
  by_slot.resize(count);
  for (size_t index : by_slot) {
    const ast::OutputDecl& decl = ruleset.outputs[index];
    const sema::OutputInfo& output = typed_.outputs[index];
    context_ = "output " + output.name;
    ir::ExprPtr fallback = decl.state ? inputColumn(state_column_.at(static_cast<uint32_t>(index)), output.type)
                                      : valueAt(*decl.default_value, output.type);
    assert(output_slot_[index] == static_cast<int32_t>(program_.outputs.size()));
    program_.outputs.push_back(ir::Output{output.name, output.type, std::move(fallback), output.format});
  }
}

// `base_rate(d)` -> TableLookup(d): the value, or missing when no row matches.
ir::ExprPtr FromTypedAst::tableLookup(const ast::Expr& expr) {
  const sema::Symbol& symbol = typed_.symbol(expr);
  ir::ExprPtr node = makeNode(Op::TableLookup, ir::physicalKind(info(expr).type), value(*expr.args[0]));
  node->index = symbol.index;
  node->imm = symbol.column;
  node->optional = true;
  return node;
}

ir::ExprPtr FromTypedAst::local(const ast::Expr& expr) {
  assert(!scopes_.empty() && "a parameter is read only inside its function's body");
  const ir::Type& type = info(expr).type;
  ir::ExprPtr node = makeNode(Op::Local, ir::physicalKind(type));
  node->index = scopes_.back()[typed_.symbol(expr).index];
  node->optional = type.optional;
  return node;
}

// f(a, b) -> With(s0, a, With(s1, b, body)) with fresh slots: each argument is evaluated once, in
// the order written (a named argument written first binds first), at its parameter's scale.
ir::ExprPtr FromTypedAst::inlineCall(const ast::Expr& expr) {
  uint32_t index = typed_.symbol(expr).index;
  const sema::FunctionInfo& function = typed_.functions[index];
  const std::vector<int>& bound = typed_.call_args.at(expr.id);
  std::vector<uint32_t> slots(bound.size());
  std::vector<std::pair<size_t, size_t>> written;  // (argument, parameter), in the order written
  for (size_t param = 0; param < bound.size(); ++param) written.emplace_back(static_cast<size_t>(bound[param]), param);
  std::sort(written.begin(), written.end());
  std::vector<ir::ExprPtr> values;
  for (auto [arg, param] : written) {
    slots[param] = program_.local_count++;
    values.push_back(valueAt(*expr.args[arg], function.param_types[param]));
  }
  scopes_.push_back(slots);
  const ast::Expr& body = *typed_.ast->functions[index].body;
  ir::ExprPtr result = valueAt(body, function.result);
  scopes_.pop_back();
  // A `T?` result whose body cannot be missing (`function f(x: int): int? = x`): bind the body and
  // read it back as optional, as for a `T` argument of a `T?` parameter, so `f(x) ?? y` and
  // `f(x) is missing` get the optional value their checker type promises.
  if (function.result.optional && !result->optional) {
    uint32_t slot = program_.local_count++;
    Kind kind = result->kind;
    ir::ExprPtr local = makeNode(Op::Local, kind);
    local->index = slot;
    local->optional = true;
    result = makeNode(Op::With, kind, std::move(result), std::move(local));
    result->index = slot;
    result->optional = true;
  }
  for (size_t pos = written.size(); pos-- > 0;) {
    Kind kind = result->kind;  // read before `result` is moved into an argument
    ir::ExprPtr with = makeNode(Op::With, kind, std::move(values[pos]), std::move(result));
    with->index = slots[written[pos].second];
    with->optional = with->args[1]->optional;
    result = std::move(with);
  }
  return result;
}

// accrue(p, from: a, until: b, rate: t, plus: x) -> num = p * RangeSum(a, b, x) at scale
// p.scale + rate.scale, den = 365 (days, scale 0): Σ_d p * (rate(d) + x) / 365, exact until round().
// With basis act/act the RangeSum weighs the days 366 (a year of 365 days) and 365 (a leap year) and
// den = 365 * 366; p times that sum must fit 64 bits (an overflow otherwise, not a wrap).
Fraction FromTypedAst::accrue(const ast::Expr& expr) {
  const sema::Symbol& symbol = typed_.symbol(expr);
  const std::vector<int>& bound = typed_.call_args.at(expr.id);
  const sema::TableInfo& table = typed_.tables[symbol.index];
  const ir::Type& rate = table.columns[0].type;
  auto arg = [&](size_t param) -> const ast::Expr& { return *expr.args[static_cast<size_t>(bound[param])]; };
  ir::ExprPtr plus = bound[4] >= 0 ? valueAt(arg(4), rate) : constI64(0);
  ir::ExprPtr sum = makeNode(Op::RangeSum, Kind::I64, value(arg(1)), value(arg(2)), std::move(plus));
  sum->index = symbol.index;
  sum->imm = 0;
  sum->imm2 = symbol.column;  // the basis (sema::checkAccrue): ir::kActAct weighs the days 366 and 365, over 365 * 366
  sum->site = site(expr.loc);
  Fraction out;
  out.num = multiply(value(arg(0)), std::move(sum), expr.loc);
  out.num_scale = info(arg(0)).type.scale + rate.scale;
  out.den = constI64(symbol.column == ir::kActAct ? 365 * 366 : 365);
  out.den_scale = 0;
  return out;
}

void FromTypedAst::lowerTables() {
  for (const sema::TableInfo& info : typed_.tables) {
    ir::Table table{info.name, info.loc, info.key_type, info.range, info.keys, info.str_keys, {}};
    for (const sema::TableColumnInfo& column : info.columns) {
      table.columns.push_back(ir::TableColumn{column.name, column.type, column.values});
    }
    program_.tables.push_back(std::move(table));
  }
}

ir::TestValue FromTypedAst::testValue(const ast::TestValue* value, const ir::Type& type) {
  ir::TestValue out;
  if (!value || value->missing) {
    out.present = false;
    return out;
  }
  if (value->expr->kind == ast::ExprKind::StringLit) out.str = value->expr->text;
  else out.i64 = sema::literalValue(typed_, *value->expr, type);
  return out;
}

void FromTypedAst::lowerTests() {
  for (const sema::TestInfo& test : typed_.tests) {
    ir::TestCase out;
    out.name = test.decl->name;
    out.loc = test.decl->loc;
    if (out.loc.file != 0 && out.loc.file <= sources_.size()) out.file = sources_.file(out.loc.file).path();
    for (size_t field = 0; field < test.inputs.size(); ++field) {
      out.inputs.push_back(testValue(test.inputs[field], typed_.fields[field].type));
    }
    for (auto [param, value] : test.params) out.params.emplace_back(param, testValue(value, typed_.params[param].type));
    for (auto [output, value] : test.expect) {
      out.expect.emplace_back(output, testValue(value, typed_.outputs[output].type));
    }
    lowerGroupTest(test, &out);
    out.expect_rejected = test.expect_rejected;
    out.rejected_reason = test.rejected_reason;
    program_.tests.push_back(std::move(out));
  }
}

// A grouped test's records and rows by name; the key from the first record that gives it.
void FromTypedAst::lowerGroupTest(const sema::TestInfo& test, ir::TestCase* out) {
  const sema::GroupInfo& group = typed_.group;
  out->key.present = false;
  for (const sema::TestRecordInfo& record : test.records) {
    ir::TestRecord lowered{typed_.ast->inputs[record.input].name, record.loc.line, {}};
    const std::vector<uint32_t>& fields = group.fields[record.input];
    for (size_t index = 0; index < fields.size(); ++index) {
      if (!record.values[index]) continue;
      const sema::FieldInfo& field = typed_.fields[fields[index]];
      ir::TestValue value = testValue(record.values[index], field.type);
      if (index == group.key_field[record.input] && !out->key.present) out->key = value;
      lowered.fields.emplace_back(field.name, std::move(value));
    }
    out->records.push_back(std::move(lowered));
  }
  for (const sema::TestRowInfo& row : test.rows) {
    ir::TestRow lowered{row.block < 0 ? group.record : group.blocks[static_cast<size_t>(row.block)].record, {}};
    for (auto [output, value] : row.expect) {
      lowered.outputs.emplace_back(typed_.outputs[output].name, testValue(value, typed_.outputs[output].type));
    }
    out->rows.push_back(std::move(lowered));
  }
}

void FromTypedAst::startProgram() {
  const ast::Ruleset& ruleset = *typed_.ast;
  program_.name = ruleset.name;
  if (ruleset.loc.file != 0 && ruleset.loc.file <= sources_.size()) {
    program_.source_path = sources_.file(ruleset.loc.file).path();
  }
  for (uint32_t file = 1; file <= sources_.size(); ++file) program_.source_files.push_back(sources_.file(file).path());
  program_.sites.push_back(ir::Site{});  // site 0 is "no site"
}

ir::Program FromTypedAst::run() {
  if (typed_.group.grouped) stage_ = Stage::Group;
  startProgram();
  lowerTables();
  lowerInputs();
  lowerParams();
  lowerLets();
  lowerDecisions();
  lowerOutputs();
  lowerTests();
  if (typed_.group.grouped) lowerGrouping();
  return std::move(program_);
}

// ---- grouped rule sets (docs/groups.md) ----------------------------------------------------------

// The group program's columns: the one input's fields (or the key alone), one per aggregate, the
// final value of every fold state, the rest of every distribution.
void FromTypedAst::lowerGroupInputs() {
  const sema::GroupInfo& group = typed_.group;
  field_column_.assign(typed_.fields.size(), -1);
  if (group.one_input >= 0) {
    for (uint32_t field : group.fields[static_cast<size_t>(group.one_input)]) {
      const sema::FieldInfo& info = typed_.fields[field];
      field_column_[field] = static_cast<int32_t>(program_.inputs.size());
      program_.inputs.push_back(ir::InputColumn{info.name, info.header, info.type, info.format});
    }
  } else {
    for (size_t input = 0; input < group.fields.size(); ++input) {
      if (group.fields[input].empty() || group.key_field[input] == sema::kNoKeyField) continue;
      uint32_t key = group.fields[input][group.key_field[input]];
      field_column_[key] = 0;  // every input's key field reads the one key column
    }
    program_.inputs.push_back(ir::InputColumn{group.key, group.key, group.key_type, ""});
  }
  first_aggregate_column_ = static_cast<uint32_t>(program_.inputs.size());
  for (size_t index = 0; index < group.aggregates.size(); ++index) {
    program_.inputs.push_back(ir::InputColumn{"aggregate " + std::to_string(index), "", group.aggregates[index].type, ""});
  }
  for (const sema::BlockInfo& block : group.blocks) {
    if (block.ledger) continue;  // its states are values of its input's records, not of the group
    for (uint32_t state : block.states) {
      state_column_[state] = static_cast<uint32_t>(program_.inputs.size());
      program_.inputs.push_back(ir::InputColumn{"state " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
    }
  }
  for (size_t index = 0; index < group.distributes.size(); ++index) {
    if (group.distributes[index].ledger >= 0) continue;  // a step's rest, in its fold's program
    rest_column_[static_cast<uint32_t>(index)] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"rest " + std::to_string(index), "", group.distributes[index].type, ""});
  }
}

ir::ExprPtr FromTypedAst::aggregateColumn(uint32_t aggregate) {
  return inputColumn(first_aggregate_column_ + aggregate, typed_.group.aggregates[aggregate].type);
}

ir::ExprPtr FromTypedAst::inputColumn(uint32_t column, const ir::Type& type) {
  ir::ExprPtr node = makeNode(Op::Input, ir::physicalKind(type));
  node->index = column;
  node->optional = type.optional;
  return node;
}

// Input `input`'s fields as the next columns of the program being built.
void FromTypedAst::addItemFields(uint32_t input) {
  for (uint32_t field : typed_.group.fields[input]) {
    const sema::FieldInfo& info = typed_.fields[field];
    field_column_[field] = static_cast<int32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{info.name, info.header, info.type, info.format});
  }
}

void FromTypedAst::addItemStageOutput(const std::string& name, const ast::Expr& expr, const ir::Type& type) {
  context_ = name;
  program_.outputs.push_back(ir::Output{name, type, valueAt(expr, type), ""});
}

// An aggregate's outputs `PREFIXvalue` and `PREFIXwhere`. The filter is a let, and the value is computed
// only where it holds: a record the `where` leaves out cannot fail the group (`sum(100 / n over Item
// where n != 0)`); elsewhere the value is a zero the aggregation skips.
void FromTypedAst::addAggregatePair(const std::string& prefix, const ast::Expr* value, const ast::Expr* filter) {
  const ir::Type boolean = ir::Type::of(TypeKind::Bool);
  const uint32_t slot = static_cast<uint32_t>(program_.lets.size());
  auto holds = [&] {
    ir::ExprPtr node = makeNode(Op::Let, Kind::Bool);
    node->index = slot;
    return node;
  };
  // Sites name the output (`aggregate 3 value`); a step's or a ledger's aggregate program is `aggregate`.
  auto site_name = [&](const char* part) { return prefix.empty() ? std::string("aggregate") : prefix + part; };
  if (filter) {
    context_ = site_name("where");
    program_.lets.push_back(ir::Let{prefix + "where", boolean, valueAt(*filter, boolean)});
  }
  if (value) {
    context_ = site_name("value");
    const ir::Type& type = info(*value).type;
    ir::ExprPtr lowered = valueAt(*value, type);
    if (filter) {
      const Kind kind = ir::physicalKind(type);
      ir::ExprPtr zero = kind == Kind::Str ? constStr("") : kind == Kind::Bool ? constBool(false) : constI64(0);
      lowered = makeNode(Op::If, kind, holds(), std::move(lowered), std::move(zero));
    }
    program_.outputs.push_back(ir::Output{prefix + "value", type, std::move(lowered), ""});
  }
  if (filter) program_.outputs.push_back(ir::Output{prefix + "where", boolean, holds(), ""});
}

// Per record of `input`: the values and filters of the aggregates over it, the filters of the folds
// over it, and the amounts, tiers and tie keys of the distributions over it (with a placeholder for
// the share, which the runtime fills after the distribution).
ir::Program FromTypedAst::runItemStage(uint32_t input) {
  const sema::GroupInfo& group = typed_.group;
  const ast::Ruleset& ruleset = *typed_.ast;
  stage_ = Stage::Item;
  startProgram();
  lowerTables();
  program_.input_separator = group.separators[input];
  field_column_.assign(typed_.fields.size(), -1);
  addItemFields(input);
  lowerParams();
  addAggregateOutputs(input, false);
  for (size_t index = 0; index < group.blocks.size(); ++index) {
    const ast::ItemBlock& block = ruleset.blocks[index];
    if (!block.fold || block.overRange() || group.blocks[index].input != input || !block.filter) continue;
    addItemStageOutput("fold " + std::to_string(index) + " where", *block.filter, ir::Type::of(TypeKind::Bool));
  }
  for (const sema::BlockInfo& block : group.blocks) {  // a ledger's states, starting at their initial values
    if (!block.ledger || block.input != input) continue;
    for (uint32_t state : block.states) {
      addItemStageOutput("ledger " + typed_.outputs[state].name, *ruleset.outputs[state].default_value, typed_.outputs[state].type);
    }
  }
  for (size_t index = 0; index < group.distributes.size(); ++index) {
    const ast::DistributeDecl& decl = ruleset.distributes[index];
    if (group.distributes[index].input != input || group.distributes[index].ledger >= 0) continue;
    std::string name = "distribute " + std::to_string(index);
    const ir::Type& type = group.distributes[index].type;
    if (group.distributes[index].amount_state < 0) addItemStageOutput(name + " amount", *decl.amount, type);
    for (size_t tier = 0; tier < decl.tiers.size(); ++tier) {
      addItemStageOutput(name + " tier " + std::to_string(tier), *decl.tiers[tier], info(*decl.tiers[tier]).type.required());
    }
    for (size_t tie = 0; tie < decl.ties.size(); ++tie) {
      addItemStageOutput(name + " tie " + std::to_string(tie), *decl.ties[tie], info(*decl.ties[tie]).type.required());
    }
    program_.outputs.push_back(ir::Output{name + " share", type, constI64(0), ""});
  }
  return std::move(program_);
}

// The value and filter of every aggregate over `input` that is (not) late.
void FromTypedAst::addAggregateOutputs(uint32_t input, bool late) {
  const sema::GroupInfo& group = typed_.group;
  for (size_t index = 0; index < group.aggregates.size(); ++index) {
    const sema::AggregateInfo& aggregate = group.aggregates[index];
    if (aggregate.input != input || aggregate.late != late) continue;
    const bool computed = aggregate.value && aggregate.share < 0 && aggregate.ledger < 0;  // not a share or a ledger state
    addAggregatePair("aggregate " + std::to_string(index) + " ", computed ? aggregate.value : nullptr, aggregate.filter);
  }
}

// The group's columns, then `input`'s fields, then the shares of the distributions over it, then the
// final states of the ledgers over it (in block order): the inputs of each and late programs.
void FromTypedAst::addItemColumns(uint32_t input) {
  lowerGroupInputs();
  addItemFields(input);
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {
    if (typed_.group.distributes[index].input != input || typed_.group.distributes[index].ledger >= 0) continue;
    share_column_[static_cast<uint32_t>(index)] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"share " + std::to_string(index), "", typed_.group.distributes[index].type, ""});
  }
  for (const sema::BlockInfo& block : typed_.group.blocks) {
    if (!block.ledger || block.input != input) continue;
    for (uint32_t state : block.states) {
      ledger_column_[state] = static_cast<uint32_t>(program_.inputs.size());
      program_.inputs.push_back(ir::InputColumn{"ledger " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
    }
  }
}

ir::Program FromTypedAst::runLate(uint32_t input) {
  stage_ = Stage::Late;
  startProgram();
  lowerTables();
  addItemColumns(input);
  lowerParams();
  for (const sema::AggregateInfo& aggregate : typed_.group.aggregates) {
    if (aggregate.input != input || !aggregate.late) continue;
    if (aggregate.value) markLets(*aggregate.value);
    if (aggregate.filter) markLets(*aggregate.filter);
  }
  markEarlyLets(typed_.group.let_reads_late);
  lowerLets();
  addAggregateOutputs(input, true);
  return std::move(program_);
}

// After a fold's item fields and states: the one-record input's fields (the group program's first
// columns, in the same order), which the runtime copies per step; the key is an item field already.
void FromTypedAst::addOneInputFields() {
  const sema::GroupInfo& group = typed_.group;
  if (group.one_input < 0) return;
  for (uint32_t field : group.fields[static_cast<size_t>(group.one_input)]) {
    const sema::FieldInfo& info = typed_.fields[field];
    if (field_column_[field] < 0) field_column_[field] = static_cast<int32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"group " + info.name, "", info.type, info.format});
  }
}

ir::Program FromTypedAst::runFold(uint32_t block) {
  stage_ = Stage::Fold;
  block_ = static_cast<int>(block);
  startProgram();
  lowerTables();
  field_column_.assign(typed_.fields.size(), -1);
  addStepColumns(block);
  addStepAggregateColumns(block);
  addStepRestColumns(block);
  lowerParams();
  lowerLets();
  lowerOutputs();
  lowerDecisions();
  if (const ast::ExprPtr& rows = typed_.ast->blocks[block].rows) {  // `as R when c`: the last output
    context_ = "`as " + typed_.ast->blocks[block].record + " when`";
    const ir::Type& type = FromTypedAst::info(*rows).type;
    program_.outputs.push_back(ir::Output{"row when", type, valueAt(*rows, type), ""});
  }
  return std::move(program_);
}

// The values of fold `block`'s step aggregates, as the next columns (the fold program's last inputs).
void FromTypedAst::addStepAggregateColumns(uint32_t block) {
  for (uint32_t index = 0; index < typed_.group.step_aggregates.size(); ++index) {
    const sema::AggregateInfo& aggregate = typed_.group.step_aggregates[index];
    if (aggregate.fold != static_cast<int>(block)) continue;
    step_aggregate_column_[index] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"step aggregate " + std::to_string(index), "", aggregate.type, ""});
  }
}

// Ledger `block` of a fold: per pair of a step and a record of the ledger's input in the step's group,
// the states after the step. Inputs: the record's fields, the states before the step, the fold
// program's inputs before its rests, the values of the ledger's aggregates (then the share). The fold's
// lets (recomputed here) read the step's fields; the ledger's own lets, rules and states read the
// record's, which win where both inputs have a field.
ir::Program FromTypedAst::runLedger(uint32_t block, bool shares) {
  const int distribution = ledgerDistribution(block);
  stage_ = shares ? Stage::LedgerShares : Stage::Ledger;
  block_ = static_cast<int>(block);
  startProgram();
  lowerTables();
  addLedgerPairColumns(block);
  for (uint32_t index = 0; index < typed_.group.ledger_aggregates.size(); ++index) {  // its aggregates' values
    if (typed_.group.ledger_aggregates[index].in_ledger != static_cast<int>(block)) continue;
    ledger_aggregate_column_[index] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"ledger aggregate " + std::to_string(index), "", typed_.group.ledger_aggregates[index].type, ""});
  }
  const ast::Ruleset& ruleset = *typed_.ast;
  for (const ast::LetDecl& let : ruleset.lets) {
    if (let.block == static_cast<int>(block)) markLets(*let.value);
  }
  if (shares) {
    const ast::DistributeDecl& decl = ruleset.distributes[static_cast<size_t>(distribution)];
    markLets(*decl.amount);
    for (const ast::ExprPtr& key : decl.tiers) markLets(*key);
    for (const ast::ExprPtr& key : decl.ties) markLets(*key);
    for (const sema::AggregateInfo& aggregate : typed_.group.pool_aggregates) {
      if (aggregate.in_ledger != static_cast<int>(block)) continue;
      if (aggregate.value) markLets(*aggregate.value);
      if (aggregate.filter) markLets(*aggregate.filter);
    }
  } else {
    for (const ast::DecideBlock& decision : ruleset.decisions) {
      if (decision.block != static_cast<int>(block)) continue;
      for (const ast::RuleDecl& rule : decision.rules) {
        if (rule.condition) markLets(*rule.condition);
        for (const ast::Assignment& assignment : rule.assignments) markLets(*assignment.value);
      }
    }
    for (const ast::OutputDecl& output : ruleset.outputs) {
      if (output.block == static_cast<int>(block) && !output.state) markLets(*output.default_value);
    }
    if (ruleset.blocks[block].rows) markLets(*ruleset.blocks[block].rows);
  }
  if (distribution >= 0 && !shares) {  // the record's share of this step, from the kernel
    share_column_[static_cast<uint32_t>(distribution)] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"share", "", typed_.group.distributes[static_cast<size_t>(distribution)].type, ""});
    for (uint32_t let : sharedLedgerLets(block)) {  // computed by the shares program
      shared_let_column_[let] = static_cast<uint32_t>(program_.inputs.size());
      program_.inputs.push_back(ir::InputColumn{"let " + typed_.lets[let].name, "", typed_.lets[let].type, ""});
    }
  }
  lowerParams();
  lowerLets();
  field_column_ = ledger_fields_;
  if (!shares) {
    lowerOutputs();
    lowerDecisions();
    if (const ast::ExprPtr& rows = typed_.ast->blocks[block].rows) {  // `as R when c`: the last output
      context_ = "`as " + typed_.ast->blocks[block].record + " when`";
      program_.outputs.push_back(ir::Output{"row when", info(*rows).type, valueAt(*rows, info(*rows).type), ""});
    }
    return std::move(program_);
  }
  const ast::DistributeDecl& decl = typed_.ast->distributes[static_cast<size_t>(distribution)];
  context_ = "distribute";
  addItemStageOutput("amount", *decl.amount, typed_.group.distributes[static_cast<size_t>(distribution)].type);
  for (const ast::ExprPtr& tier : decl.tiers) addItemStageOutput("tier", *tier, info(*tier).type.required());
  for (const ast::ExprPtr& tie : decl.ties) addItemStageOutput("tie", *tie, info(*tie).type.required());
  for (uint32_t index = 0; index < typed_.group.pool_aggregates.size(); ++index) {  // the pool's aggregates, per pair
    const sema::AggregateInfo& aggregate = typed_.group.pool_aggregates[index];
    if (aggregate.in_ledger != static_cast<int>(block)) continue;
    addAggregatePair("pool aggregate " + std::to_string(index) + " ", aggregate.value, aggregate.filter);
  }
  for (uint32_t let : sharedLedgerLets(block)) {  // for the ledger program, which reads them instead of computing them
    ir::ExprPtr node = makeNode(Op::Let, ir::physicalKind(typed_.lets[let].type));
    node->index = static_cast<uint32_t>(let_slot_.at(let));
    node->optional = typed_.lets[let].type.optional;
    program_.outputs.push_back(ir::Output{"let " + typed_.lets[let].name, typed_.lets[let].type, std::move(node), ""});
  }
  return std::move(program_);
}

// The lets of ledger `block` that its shares program computes and its program reads from it: those
// written before the ledger's `distribute` (not `reject` lines, which each program checks itself).
std::vector<uint32_t> FromTypedAst::sharedLedgerLets(uint32_t block) const {
  std::vector<uint32_t> lets;
  const int distribution = ledgerDistribution(block);
  if (distribution < 0) return lets;
  const size_t before = typed_.ast->distributes[static_cast<size_t>(distribution)].lets_before;
  for (uint32_t let = 0; let < before && let < typed_.ast->lets.size(); ++let) {
    const ast::LetDecl& decl = typed_.ast->lets[let];
    if (decl.block == static_cast<int>(block) && !decl.reject) lets.push_back(let);
  }
  return lets;
}

// What a pair of a step and a record of ledger `block`'s input knows before the ledger's aggregates, as
// the next columns: the record's fields, its states before the step, the fold program's inputs before
// its rests. The ledger's own names read the record's fields (ledger_fields_), the fold's lets the
// step's (step_fields_).
void FromTypedAst::addLedgerPairColumns(uint32_t block) {
  const sema::BlockInfo& ledger = typed_.group.blocks[block];
  const uint32_t fold = static_cast<uint32_t>(ledger.parent);
  const std::vector<int32_t> other_columns = field_column_;  // an aggregate's record's fields, read before these
  field_column_.assign(typed_.fields.size(), -1);
  addItemFields(ledger.input);
  std::vector<int32_t> record_columns = field_column_;
  for (uint32_t state : ledger.states) {
    state_column_[state] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"state " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
  }
  field_column_.assign(typed_.fields.size(), -1);
  addStepColumns(fold);
  addStepAggregateColumns(fold);
  step_fields_ = field_column_;
  ledger_fields_ = field_column_;
  for (size_t field = 0; field < record_columns.size(); ++field) {
    if (record_columns[field] >= 0) ledger_fields_[field] = record_columns[field];
  }
  field_column_ = other_columns;
}

// Aggregate `index` in a ledger: per record of the aggregated input and pair of a step and a record of
// the ledger's input, its value and filter. Inputs: the aggregated record's fields, then the pair's
// columns (addLedgerPairColumns); the aggregate's own names read the aggregated record's fields first.
ir::Program FromTypedAst::runLedgerAggregate(uint32_t index) {
  const sema::AggregateInfo& aggregate = typed_.group.ledger_aggregates[index];
  startAggregateProgram(aggregate, Stage::LedgerAggregate, aggregate.in_ledger);
  for (uint32_t block : carriedLedgers(aggregate)) addLedgerStateInputs(block);
  const std::vector<int32_t> record_columns = field_column_;
  addLedgerPairColumns(static_cast<uint32_t>(aggregate.in_ledger));
  lowerParams();
  lowerLets();
  field_column_ = ledger_fields_;
  return finishAggregateProgram(aggregate, record_columns);
}

// The start of a step's or a ledger's aggregate program: the lets it reads marked, the aggregated
// record's fields as the first columns (field_column_ holds them after).
void FromTypedAst::startAggregateProgram(const sema::AggregateInfo& aggregate, Stage stage, int block) {
  stage_ = stage;
  block_ = block;
  if (aggregate.value) markLets(*aggregate.value);
  if (aggregate.filter) markLets(*aggregate.filter);
  startProgram();
  lowerTables();
  field_column_.assign(typed_.fields.size(), -1);
  addItemFields(aggregate.input);
}

// Its outputs, the value and the filter, where the aggregated record's fields (`record_columns`) win
// over the names field_column_ gives.
ir::Program FromTypedAst::finishAggregateProgram(const sema::AggregateInfo& aggregate, const std::vector<int32_t>& record_columns) {
  for (size_t field = 0; field < record_columns.size(); ++field) {
    if (record_columns[field] >= 0) field_column_[field] = record_columns[field];
  }
  addAggregatePair("", aggregate.value, aggregate.filter);
  return std::move(program_);
}

// A program that runs before the group program (pools, late) fails its group at the first let or reject
// that fails in it, so it also computes, in the order written, every group let and `reject` line written
// before the last let it reads (they fail first in the group program too) — but none from the first one
// that waits for a later stage (`later`) on: a reject reading a share written above must still win
// over a reject below it. What it cannot keep: a let it must read that fails, written below such a
// reject (docs/language.md, "Rejecting a record").
void FromTypedAst::markEarlyLets(const std::vector<bool>& later) {
  read_lets_.resize(typed_.lets.size(), false);
  size_t end = 0;  // one past the last group let the program reads
  size_t first_later = typed_.lets.size();
  for (size_t index = 0; index < typed_.lets.size(); ++index) {
    if (typed_.ast->lets[index].block >= 0) continue;
    if (read_lets_[index]) end = index + 1;
    if (later[index] && first_later == typed_.lets.size()) first_later = index;
  }
  for (size_t index = 0; index < std::min(end, first_later); ++index) {
    if (typed_.ast->lets[index].block < 0) read_lets_[index] = true;
  }
}

void FromTypedAst::markLets(const ast::Expr& expr) {
  read_lets_.resize(typed_.lets.size(), false);
  if (expr.kind == ast::ExprKind::Name && typed_.symbol(expr).kind == sema::SymbolKind::Let) {
    const uint32_t let = typed_.symbol(expr).index;
    if (read_lets_[let]) return;
    read_lets_[let] = true;
    markLets(*typed_.ast->lets[let].value);
  }
  for (const ast::ExprPtr& arg : expr.args) {
    if (arg) markLets(*arg);
  }
}

// The distribution inside ledger block `ledger`, or -1.
int FromTypedAst::ledgerDistribution(uint32_t ledger) const {
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {
    if (typed_.group.distributes[index].ledger == static_cast<int>(ledger)) return static_cast<int>(index);
  }
  return -1;
}

// The rests of the distributions in fold `block`'s ledgers, as the next columns (the fold program's last
// inputs, in ledger order), which the runtime fills at every step.
void FromTypedAst::addStepRestColumns(uint32_t block) {
  for (uint32_t ledger : typed_.group.blocks[block].ledgers) {
    const int distribution = ledgerDistribution(ledger);
    if (distribution < 0) continue;
    rest_column_[static_cast<uint32_t>(distribution)] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"rest", "", typed_.group.distributes[static_cast<size_t>(distribution)].type, ""});
  }
}

ir::Program FromTypedAst::runStepPools(uint32_t distribution) {
  const ast::DistributeDecl& decl = typed_.ast->distributes[distribution];
  const sema::DistributeInfo& info = typed_.group.distributes[distribution];
  const uint32_t fold = static_cast<uint32_t>(typed_.group.blocks[static_cast<size_t>(info.ledger)].parent);
  stage_ = Stage::StepPools;
  block_ = static_cast<int>(fold);
  startProgram();
  lowerTables();
  context_.clear();  // the kernel's reasons start with "distribute:"
  site(decl.loc);    // site 1: the kernel's errors (as the group's pools program's)
  markLets(*decl.pool);
  field_column_.assign(typed_.fields.size(), -1);
  addStepColumns(fold);
  addStepAggregateColumns(fold);
  for (uint32_t index = 0; index < typed_.group.pool_aggregates.size(); ++index) {  // the pool's aggregates of the ledger's records
    if (typed_.group.pool_aggregates[index].in_ledger != info.ledger) continue;
    pool_aggregate_column_[index] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"pool aggregate " + std::to_string(index), "", typed_.group.pool_aggregates[index].type, ""});
  }
  lowerParams();
  lowerLets();
  context_ = "distribute";
  program_.outputs.push_back(ir::Output{"pool", info.type, valueAt(*decl.pool, info.type), ""});
  return std::move(program_);
}

// What fold `block`'s step reads, as the next columns: its record's fields or its range's value, the
// states before it, the one-record input's fields, the final states of the folds before it. The fold's
// program starts with them, and so does each of its step aggregates' programs after the aggregated
// input's fields.
void FromTypedAst::addStepColumns(uint32_t block) {
  const sema::BlockInfo& info = typed_.group.blocks[block];
  if (info.range) {
    step_column_ = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{typed_.ast->blocks[block].variable, "", info.step_type, ""});
  } else {
    addItemFields(info.input);
  }
  for (uint32_t state : info.states) {
    state_column_[state] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"state " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
  }
  addFoldGroupColumns(block);
}

// A fold over a range or a shared or derived input reads the group's key from the group (without a one-record
// input to read it from); a fold over a keyed input has it in every record.
bool FromTypedAst::foldReadsGroupKey(uint32_t block) const {
  const sema::BlockInfo& info = typed_.group.blocks[block];
  return typed_.group.one_input < 0 && (info.range || typed_.ast->inputs[info.input].keyless());
}

// The group columns fold `block` reads (ir::FoldStage::group_columns, in this order): the key when a
// fold over a range or a shared input has no one-record input to read it from, the one-record input's
// fields, the final states of the folds before it.
void FromTypedAst::addFoldGroupColumns(uint32_t block) {
  const sema::GroupInfo& group = typed_.group;
  if (foldReadsGroupKey(block)) {
    for (size_t input = 0; input < group.fields.size(); ++input) {
      if (group.fields[input].empty() || group.key_field[input] == sema::kNoKeyField) continue;
      int32_t& column = field_column_[group.fields[input][group.key_field[input]]];
      if (column < 0) column = static_cast<int32_t>(program_.inputs.size());
    }
    program_.inputs.push_back(ir::InputColumn{"group " + group.key, "", group.key_type, ""});
  }
  addOneInputFields();
  for (uint32_t state : earlierFoldStates(block)) {
    state_column_[state] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"final " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
  }
}

// Step aggregate `index`: per pair of a step and a record of the aggregated input in the step's group,
// its value and filter. Inputs: the record's fields, then the step's columns (addStepColumns).
ir::Program FromTypedAst::runStepAggregate(uint32_t index) {
  const sema::AggregateInfo& aggregate = typed_.group.step_aggregates[index];
  startAggregateProgram(aggregate, Stage::StepAggregate, aggregate.fold);
  for (uint32_t block : carriedLedgers(aggregate)) addLedgerStateInputs(block);
  const std::vector<int32_t> record_columns = field_column_;
  // The fold's lets it may read see the step's fields; the aggregate itself sees the record's first.
  field_column_.assign(typed_.fields.size(), -1);
  addStepColumns(static_cast<uint32_t>(aggregate.fold));
  lowerParams();
  lowerLets();
  return finishAggregateProgram(aggregate, record_columns);
}

// A ledger's states as the next inputs, beside the aggregated record's fields: after the step in the
// ledger's own fold, final in a later one (ir::StepAggregate::carried, in this order).
void FromTypedAst::addLedgerStateInputs(uint32_t ledger_block) {
  for (uint32_t state : typed_.group.blocks[ledger_block].states) {
    ledger_column_[state] = static_cast<uint32_t>(program_.inputs.size());
    program_.inputs.push_back(ir::InputColumn{"ledger " + typed_.outputs[state].name, "", typed_.outputs[state].type, ""});
  }
}

// The ledger blocks whose states an aggregate's program reads after its record's fields, in order: its
// own fold's ledger (after the step), then earlier folds' ledgers (final).
std::vector<uint32_t> FromTypedAst::carriedLedgers(const sema::AggregateInfo& aggregate) {
  std::vector<uint32_t> blocks = aggregate.earlier_ledgers;
  if (aggregate.after_ledger >= 0) blocks.insert(blocks.begin(), static_cast<uint32_t>(aggregate.after_ledger));
  return blocks;
}

// The states of the folds before fold `block`, in block order: the step reads their final values.
std::vector<uint32_t> FromTypedAst::earlierFoldStates(uint32_t block) const {
  std::vector<uint32_t> states;
  for (uint32_t earlier = 0; earlier < block; ++earlier) {
    const sema::BlockInfo& info = typed_.group.blocks[earlier];
    if (info.fold) states.insert(states.end(), info.states.begin(), info.states.end());
  }
  return states;
}

ir::Program FromTypedAst::runRangeBounds(uint32_t block) {
  const ast::ItemBlock& decl = typed_.ast->blocks[block];
  const ir::Type& type = typed_.group.blocks[block].step_type;
  stage_ = Stage::Range;
  startProgram();
  lowerTables();
  field_column_.assign(typed_.fields.size(), -1);
  addFoldGroupColumns(block);
  lowerParams();
  context_ = "the range of `fold " + decl.variable + " in`";
  program_.outputs.push_back(ir::Output{"low", type, valueAt(*decl.low, type), ""});
  program_.outputs.push_back(ir::Output{"high", type, valueAt(*decl.high, type), ""});
  return std::move(program_);
}

ir::Program FromTypedAst::runEach(uint32_t block) {
  const sema::BlockInfo& info = typed_.group.blocks[block];
  stage_ = Stage::Each;
  block_ = static_cast<int>(block);
  startProgram();
  lowerTables();
  addItemColumns(info.input);
  lowerParams();
  lowerLets();
  lowerOutputs();
  lowerDecisions();
  return std::move(program_);
}

ir::Program FromTypedAst::runPools() {
  stage_ = Stage::Pools;
  startProgram();
  lowerTables();
  lowerGroupInputs();
  context_.clear();  // the kernel's reasons start with "distribute:"
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {  // sites 1..n (ir.hpp)
    if (typed_.group.distributes[index].ledger < 0) site(typed_.ast->distributes[index].loc);
  }
  lowerParams();
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {
    if (typed_.group.distributes[index].ledger < 0) markLets(*typed_.ast->distributes[index].pool);
  }
  std::vector<bool> later(typed_.lets.size());
  for (size_t index = 0; index < later.size(); ++index) {
    later[index] = typed_.group.let_reads_distribution.at(index) || typed_.group.let_reads_late.at(index);
  }
  markEarlyLets(later);
  lowerLets();
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {
    if (typed_.group.distributes[index].ledger >= 0) continue;
    context_ = "distribute";
    const ir::Type& type = typed_.group.distributes[index].type;
    program_.outputs.push_back(ir::Output{"pool " + std::to_string(index), type, valueAt(*typed_.ast->distributes[index].pool, type), ""});
  }
  return std::move(program_);
}

static int32_t outputNamed(const ir::Program& program, const std::string& name) {
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    if (program.outputs[output].name == name) return static_cast<int32_t>(output);
  }
  return -1;
}

// The item outputs an aggregate's program reads after its record's fields (ir::StepAggregate::carried):
// the states of carriedLedgers, as the program's inputs hold them.
std::vector<int32_t> FromTypedAst::carriedStates(const ir::Grouping& grouping, const sema::AggregateInfo& aggregate,
                                                 uint32_t item) const {
  std::vector<int32_t> carried;
  for (uint32_t block : carriedLedgers(aggregate)) {
    for (uint32_t state : typed_.group.blocks[block].states) {
      carried.push_back(outputNamed(*grouping.items[item].program, "ledger " + typed_.outputs[state].name));
    }
  }
  return carried;
}

// The Grouping beside the group program: one item stage per `many` input, each aggregate's outputs,
// the folds, distributions and each blocks.
void FromTypedAst::lowerGrouping() {
  const sema::GroupInfo& group = typed_.group;
  const ast::Ruleset& ruleset = *typed_.ast;
  auto grouping = std::make_shared<ir::Grouping>();
  grouping->key = group.key;
  grouping->key_type = group.key_type;
  grouping->one_columns = first_aggregate_column_;
  grouping->record = group.record;
  if (group.one_input >= 0) {
    grouping->one_input = ruleset.inputs[static_cast<size_t>(group.one_input)].name;
    grouping->key_column = group.key_field[static_cast<size_t>(group.one_input)];
    grouping->one_separator = group.separators[static_cast<size_t>(group.one_input)];
  }
  std::vector<int32_t> item_of(ruleset.inputs.size(), -1);
  for (bool derived : {false, true}) {  // the inputs read from files first, as the run names them
    for (uint32_t input = 0; input < ruleset.inputs.size(); ++input) {
      if (static_cast<int>(input) == group.one_input || ruleset.inputs[input].derived != derived) continue;
      item_of[input] = static_cast<int32_t>(grouping->items.size());
      ir::ItemStage stage;
      stage.input = ruleset.inputs[input].name;
      stage.shared = ruleset.inputs[input].shared;
      stage.order = group.order_by[input];
      stage.program = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runItemStage(input));
      grouping->items.push_back(std::move(stage));
    }
  }
  std::vector<int32_t> late_of(ruleset.inputs.size(), -1);
  for (const sema::AggregateInfo& info : group.aggregates) {
    if (!info.late || late_of[info.input] >= 0) continue;
    late_of[info.input] = static_cast<int32_t>(grouping->lates.size());
    ir::LateStage late;
    late.item = static_cast<uint32_t>(item_of[info.input]);
    late.program = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runLate(info.input));
    grouping->lates.push_back(std::move(late));
  }
  for (size_t index = 0; index < group.aggregates.size(); ++index) {
    const sema::AggregateInfo& info = group.aggregates[index];
    ir::Aggregate aggregate;
    aggregate.fn = info.fn;
    aggregate.item = static_cast<uint32_t>(item_of[info.input]);
    aggregate.type = info.type;
    aggregate.share = info.late ? -1 : info.share;
    aggregate.late = info.late ? late_of[info.input] : -1;
    const ir::Program& stage = info.late ? *grouping->lates[static_cast<size_t>(aggregate.late)].program
                                         : *grouping->items[aggregate.item].program;
    std::string name = "aggregate " + std::to_string(index);
    aggregate.value_output = info.share >= 0    ? outputNamed(stage, "distribute " + std::to_string(info.share) + " share")
                             : info.ledger >= 0 ? outputNamed(stage, "ledger " + typed_.outputs[static_cast<size_t>(info.ledger)].name)
                                                : outputNamed(stage, name + " value");
    aggregate.where_output = outputNamed(stage, name + " where");
    grouping->aggregates.push_back(std::move(aggregate));
  }
  lowerFolds(*grouping, item_of);
  lowerDerivedWriters(*grouping);
  lowerDistributions(*grouping, item_of);
  lowerEaches(*grouping, item_of);
  program_.grouping = std::move(grouping);
}

// The columns of a fold's or ledger's record: its program's outputs after its `states`, without the
// row filter (`as R when c`: the last output, whose index goes to `row_when_output`).
static std::vector<ir::Output> rowColumns(const ir::Program& program, size_t states, bool row_filter, int32_t* row_when_output) {
  size_t columns_end = program.outputs.size();
  if (row_filter) *row_when_output = static_cast<int32_t>(--columns_end);
  std::vector<ir::Output> columns;
  for (size_t output = states; output < columns_end; ++output) {
    const ir::Output& column = program.outputs[output];
    columns.push_back(ir::Output{column.name, column.type, constI64(0), column.format});
  }
  return columns;
}

// A step's, a ledger's or a pool's aggregate in the IR: its function, input and type, and with a
// program of its own (not for a pool's), that program and the outputs it gives the value and filter in.
ir::StepAggregate FromTypedAst::aggregateOf(const sema::AggregateInfo& info, const std::vector<int32_t>& item_of,
                                            std::optional<ir::Program> program) {
  ir::StepAggregate aggregate;
  aggregate.fn = info.fn;
  aggregate.item = static_cast<uint32_t>(item_of[info.input]);
  aggregate.type = info.type;
  if (!program) return aggregate;
  aggregate.program = std::make_unique<ir::Program>(std::move(*program));
  aggregate.value_output = outputNamed(*aggregate.program, "value");
  aggregate.where_output = outputNamed(*aggregate.program, "where");
  return aggregate;
}

void FromTypedAst::lowerFolds(ir::Grouping& grouping, const std::vector<int32_t>& item_of) {
  const ast::Ruleset& ruleset = *typed_.ast;
  for (uint32_t index = 0; index < typed_.group.blocks.size(); ++index) {
    const sema::BlockInfo& block = typed_.group.blocks[index];
    if (!block.fold) continue;
    ir::FoldStage fold;
    if (block.range) {
      fold.range = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runRangeBounds(index));
    } else {
      fold.item = static_cast<uint32_t>(item_of[block.input]);
      fold.where_output = outputNamed(*grouping.items[fold.item].program, "fold " + std::to_string(index) + " where");
    }
    fold.state_column = block.states.empty() ? 0 : state_column_.at(block.states.front());
    // As addFoldGroupColumns: the key of a range fold without a one-record input, or that input's fields.
    uint32_t leading = typed_.group.one_input >= 0 ? first_aggregate_column_ : foldReadsGroupKey(index) ? 1 : 0;
    for (uint32_t column = 0; column < leading; ++column) fold.group_columns.push_back(column);
    for (uint32_t state : earlierFoldStates(index)) fold.group_columns.push_back(state_column_.at(state));
    for (uint32_t state : block.states) {
      const ast::Expr& initial = *ruleset.outputs[state].default_value;
      if (initial.kind == ast::ExprKind::Missing) fold.initial.emplace_back(std::nullopt);
      else fold.initial.emplace_back(sema::literalValue(typed_, initial, typed_.outputs[state].type));
    }
    fold.program = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runFold(index));
    fold.record = ruleset.blocks[index].record;
    fold.row_columns = rowColumns(*fold.program, fold.initial.size(), ruleset.blocks[index].rows != nullptr, &fold.row_when_output);
    for (uint32_t step = 0; step < typed_.group.step_aggregates.size(); ++step) {
      const sema::AggregateInfo& info = typed_.group.step_aggregates[step];
      if (info.fold != static_cast<int>(index)) continue;
      ir::StepAggregate aggregate = aggregateOf(info, item_of, FromTypedAst(typed_, sources_).runStepAggregate(step));
      aggregate.carried = carriedStates(grouping, info, aggregate.item);
      if (info.after_ledger >= 0) {
        const std::vector<uint32_t>& ledgers = block.ledgers;
        aggregate.ledger = static_cast<int32_t>(std::find(ledgers.begin(), ledgers.end(), static_cast<uint32_t>(info.after_ledger)) - ledgers.begin());
      }
      fold.aggregates.push_back(std::move(aggregate));
    }
    for (uint32_t ledger_block : block.ledgers) fold.ledgers.push_back(lowerLedger(grouping, item_of, ledger_block));
    grouping.folds.push_back(std::move(fold));
  }
}

// A derived input's writers: the folds and ledgers whose record is the input, in fold order (a fold's
// own rows before its ledgers').
void FromTypedAst::lowerDerivedWriters(ir::Grouping& grouping) {
  const std::vector<ast::InputDecl>& inputs = typed_.ast->inputs;
  for (ir::ItemStage& stage : grouping.items) {
    auto input = std::find_if(inputs.begin(), inputs.end(), [&](const ast::InputDecl& decl) { return decl.name == stage.input; });
    if (input == inputs.end() || !input->derived) continue;
    for (uint32_t fold = 0; fold < grouping.folds.size(); ++fold) {
      const ir::FoldStage& stage_fold = grouping.folds[fold];
      if (stage_fold.record == stage.input) stage.writers.push_back({fold, -1});
      for (size_t ledger = 0; ledger < stage_fold.ledgers.size(); ++ledger) {
        if (stage_fold.ledgers[ledger].record == stage.input) stage.writers.push_back({fold, static_cast<int32_t>(ledger)});
      }
    }
    const ir::ItemStage::Writer& first = stage.writers.front();
    const ir::FoldStage& fold = grouping.folds[first.fold];
    for (const ir::Output& column : first.ledger < 0 ? fold.row_columns : fold.ledgers[static_cast<size_t>(first.ledger)].row_columns) {
      stage.row_columns.push_back(ir::Output{column.name, column.type, constI64(0), column.format});
    }
  }
}

// Ledger block `block` of a fold: its states in its input's item program outputs, its program, its
// record, and the shares and pools programs of its distribution.
ir::Ledger FromTypedAst::lowerLedger(const ir::Grouping& grouping, const std::vector<int32_t>& item_of, uint32_t block) {
  const sema::BlockInfo& info = typed_.group.blocks[block];
  ir::Ledger ledger;
  ledger.item = static_cast<uint32_t>(item_of[info.input]);
  for (uint32_t state : info.states) {
    ledger.state_outputs.push_back(outputNamed(*grouping.items[ledger.item].program, "ledger " + typed_.outputs[state].name));
  }
  ledger.program = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runLedger(block, false));
  ledger.record = typed_.ast->blocks[block].record;
  ledger.row_columns = rowColumns(*ledger.program, info.states.size(), typed_.ast->blocks[block].rows != nullptr, &ledger.row_when_output);
  const int distribution = ledgerDistribution(block);
  if (distribution >= 0) {
    ledger.shares = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runLedger(block, true));
    ledger.pools = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runStepPools(static_cast<uint32_t>(distribution)));
    ledger.tiers = typed_.ast->distributes[static_cast<size_t>(distribution)].tiers.size();
    ledger.share_outputs = 1 + ledger.tiers + typed_.ast->distributes[static_cast<size_t>(distribution)].ties.size();
    for (uint32_t index = 0; index < typed_.group.pool_aggregates.size(); ++index) {
      const sema::AggregateInfo& pooled = typed_.group.pool_aggregates[index];
      if (pooled.in_ledger != static_cast<int>(block)) continue;
      ir::StepAggregate aggregate = aggregateOf(pooled, item_of, std::nullopt);  // its values are the shares program's outputs
      const std::string name = "pool aggregate " + std::to_string(index);
      aggregate.value_output = outputNamed(*ledger.shares, name + " value");
      aggregate.where_output = outputNamed(*ledger.shares, name + " where");
      ledger.pool_aggregates.push_back(std::move(aggregate));
    }
    for (uint32_t let : sharedLedgerLets(block)) ledger.let_outputs.push_back(outputNamed(*ledger.shares, "let " + typed_.lets[let].name));
  }
  for (uint32_t index = 0; index < typed_.group.ledger_aggregates.size(); ++index) {
    const sema::AggregateInfo& info = typed_.group.ledger_aggregates[index];
    if (info.in_ledger != static_cast<int>(block)) continue;
    ir::StepAggregate aggregate = aggregateOf(info, item_of, FromTypedAst(typed_, sources_).runLedgerAggregate(index));
    aggregate.carried = carriedStates(grouping, info, aggregate.item);
    ledger.aggregates.push_back(std::move(aggregate));
  }
  return ledger;
}

void FromTypedAst::lowerDistributions(ir::Grouping& grouping, const std::vector<int32_t>& item_of) {
  bool any = false;
  for (size_t index = 0; index < typed_.group.distributes.size(); ++index) {
    if (typed_.group.distributes[index].ledger >= 0) continue;  // a ledger's: shared at every step of its fold
    any = true;
    ir::Distribution distribution;
    distribution.item = static_cast<uint32_t>(item_of[typed_.group.distributes[index].input]);
    const ir::Program& stage = *grouping.items[distribution.item].program;
    std::string name = "distribute " + std::to_string(index);
    const int amount_state = typed_.group.distributes[index].amount_state;  // a ledger state: its final value
    distribution.amount_output = amount_state >= 0 ? outputNamed(stage, "ledger " + typed_.outputs[static_cast<size_t>(amount_state)].name)
                                                   : outputNamed(stage, name + " amount");
    for (size_t tier = 0; tier < typed_.ast->distributes[index].tiers.size(); ++tier) {
      distribution.tier_outputs.push_back(outputNamed(stage, name + " tier " + std::to_string(tier)));
    }
    for (size_t tie = 0; tie < typed_.ast->distributes[index].ties.size(); ++tie) {
      distribution.tie_outputs.push_back(outputNamed(stage, name + " tie " + std::to_string(tie)));
    }
    distribution.share_output = outputNamed(stage, name + " share");
    distribution.pool_output = static_cast<uint32_t>(grouping.distributions.size());
    distribution.rest_column = rest_column_.at(static_cast<uint32_t>(index));
    grouping.distributions.push_back(std::move(distribution));
  }
  if (!any) return;
  grouping.pools = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runPools());
}

void FromTypedAst::lowerEaches(ir::Grouping& grouping, const std::vector<int32_t>& item_of) {
  for (uint32_t index = 0; index < typed_.group.blocks.size(); ++index) {
    const sema::BlockInfo& block = typed_.group.blocks[index];
    if (block.fold || block.ledger) continue;
    ir::EachStage each;
    each.record = block.record;
    each.item = static_cast<uint32_t>(item_of[block.input]);
    each.program = std::make_unique<ir::Program>(FromTypedAst(typed_, sources_).runEach(index));
    if (each.program->outputs.empty()) continue;  // lets only: no record to write
    grouping.eaches.push_back(std::move(each));
  }
}

}  // namespace

ir::ExprPtr cloneExpr(const ir::Expr& expr) {
  auto copy = std::make_unique<ir::Expr>();
  copy->op = expr.op;
  copy->kind = expr.kind;
  copy->optional = expr.optional;
  copy->imm = expr.imm;
  copy->imm2 = expr.imm2;
  copy->mode = expr.mode;
  copy->index = expr.index;
  copy->site = expr.site;
  copy->str = expr.str;
  for (const ir::ExprPtr& arg : expr.args) copy->args.push_back(cloneExpr(*arg));
  return copy;
}

ir::Program fromTypedAst(const sema::TypedRuleset& typed, const SourceManager& sources) {
  return FromTypedAst(typed, sources).run();
}

}  // namespace regelwerk::lower
