// Typed AST -> IR. Everything the checker decided implicitly becomes explicit here: scale
// alignment (Rescale), optional handling, enum members (Const index), `in` (Or/And of compares),
// date arithmetic (CheckDate) and every division (RoundDiv with its powers of ten worked out).
#include "from_typed_ast.hpp"

#include <algorithm>
#include <cassert>
#include <map>

#include "compiler/sema/literals.hpp"
#include "compiler/sema/round_modes.hpp"

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
  Fraction fraction(const ast::Expr& expr);
  Fraction accrue(const ast::Expr& expr);
  ir::ExprPtr tableLookup(const ast::Expr& expr);
  ir::ExprPtr inlineCall(const ast::Expr& expr);
  ir::ExprPtr local(const ast::Expr& expr);
  ir::ExprPtr multiply(ir::ExprPtr a, ir::ExprPtr b, Location loc);

  void lowerTables();
  void lowerTests();
  ir::TestValue testValue(const ast::TestValue* value, const ir::Type& type);
  void lowerInputs();
  void lowerParams();
  void lowerLets();
  void lowerDecisions();
  void lowerOutputs();

  const sema::TypedRuleset& typed_;
  const SourceManager& sources_;
  ir::Program program_;
  std::string rule_;     // the rule being lowered, for sites
  std::string context_;  // "let open", "output fee", "when"
  std::vector<std::vector<uint32_t>> scopes_;  // per function being inlined: the local slot of each parameter
};

uint32_t FromTypedAst::site(Location loc) {
  program_.sites.push_back(ir::Site{loc, rule_, context_});
  return static_cast<uint32_t>(program_.sites.size() - 1);
}

ir::ExprPtr FromTypedAst::value(const ast::Expr& expr) {
  assert(!info(expr).failed && "lowering runs only on rule sets without errors");
  assert(!info(expr).quotient && "quotients are lowered by fraction() under round()");
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
    default: assert(false && "unresolved name"); break;
  }
  ir::ExprPtr node = makeNode(op, ir::physicalKind(type));
  node->index = symbol.index;
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
  Op op = expr.binary_op == ast::BinaryOp::Add ? Op::Add : Op::Sub;
  ir::ExprPtr node = makeNode(op, Kind::I64, valueAt(lhs, type), valueAt(rhs, type));
  node->site = site(expr.op_loc);
  if (type.kind != TypeKind::Date) return node;
  ir::ExprPtr check = makeNode(Op::CheckDate, Kind::I64, std::move(node));
  check->site = site(expr.op_loc);
  return check;
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
  if (expr.args.size() == 3) node->mode = *sema::roundModeNamed(expr.args[2]->text);
  node->site = site(expr.loc);
  return node;
}

void FromTypedAst::lowerInputs() {
  program_.input_separator = typed_.separator;
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
  for (size_t index = 0; index < typed_.lets.size(); ++index) {
    const sema::LetInfo& let = typed_.lets[index];
    context_ = "let " + let.name;
    program_.lets.push_back(ir::Let{let.name, let.type, valueAt(*ruleset.lets[index].value, let.type)});
  }
}

static ir::Rule lowerRuleShell(const ast::RuleDecl& decl, const sema::RuleInfo& info) {
  ir::Rule rule;
  rule.name = decl.name;
  rule.label = decl.label.value_or("");
  rule.loc = decl.loc;
  rule.defeated_by = info.defeated_by;
  return rule;
}

void FromTypedAst::lowerDecisions() {
  const ast::Ruleset& ruleset = *typed_.ast;
  for (size_t block = 0; block < ruleset.decisions.size(); ++block) {
    const ast::DecideBlock& decl = ruleset.decisions[block];
    const sema::DecisionInfo& info = typed_.decisions[block];
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
        rule.assignments.push_back(ir::Assignment{output, valueAt(*rule_decl.assignments[assignment].value, target.type)});
      }
      decision.rules.push_back(std::move(rule));
    }
    program_.decisions.push_back(std::move(decision));
  }
  rule_.clear();
}

void FromTypedAst::lowerOutputs() {
  const ast::Ruleset& ruleset = *typed_.ast;
  for (size_t index = 0; index < typed_.outputs.size(); ++index) {
    const sema::OutputInfo& output = typed_.outputs[index];
    context_ = "output " + output.name;
    ir::ExprPtr fallback = valueAt(*ruleset.outputs[index].default_value, output.type);
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
  sum->site = site(expr.loc);
  Fraction out;
  out.num = multiply(value(arg(0)), std::move(sum), expr.loc);
  out.num_scale = info(arg(0)).type.scale + rate.scale;
  out.den = constI64(365);
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
    out.expect_rejected = test.expect_rejected;
    out.rejected_reason = test.rejected_reason;
    program_.tests.push_back(std::move(out));
  }
}

ir::Program FromTypedAst::run() {
  const ast::Ruleset& ruleset = *typed_.ast;
  program_.name = ruleset.name;
  if (ruleset.loc.file != 0 && ruleset.loc.file <= sources_.size()) {
    program_.source_path = sources_.file(ruleset.loc.file).path();
  }
  for (uint32_t file = 1; file <= sources_.size(); ++file) program_.source_files.push_back(sources_.file(file).path());
  program_.sites.push_back(ir::Site{});  // site 0 is "no site"
  lowerTables();
  lowerInputs();
  lowerParams();
  lowerLets();
  lowerDecisions();
  lowerOutputs();
  lowerTests();
  return std::move(program_);
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
