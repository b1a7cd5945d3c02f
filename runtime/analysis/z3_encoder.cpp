// From IR to Z3: one translation per op family; what is not linear becomes a fresh variable.
#include "z3_encoder.hpp"

#include <cassert>
#include <limits>
#include <string>

namespace regelwerk::analysis {

using ir::Kind;
using ir::Op;
using ir::TypeKind;

// 0001-01-01 .. 9999-12-31 as days and as seconds since 1970-01-01 (the ranges of date and timestamp).
constexpr int64_t kMinDateDays = -719162;
constexpr int64_t kMaxDateDays = 2932896;
constexpr int64_t kMinTimestamp = -62135596800;
constexpr int64_t kMaxTimestamp = 253402300799;

Encoder::Encoder(z3::context& context, const ir::Program& program)
    : context_(context), program_(program), lets_(program.lets.size()), locals_(program.local_count) {
  for (size_t column = 0; column < program.inputs.size(); ++column) {
    inputs_.push_back(variable("in" + std::to_string(column), program.inputs[column].type));
  }
  for (size_t param = 0; param < program.params.size(); ++param) {
    ir::Type type = program.params[param].type.required();
    params_.push_back(variable("param" + std::to_string(param), type));
  }
}

Term Encoder::variable(const std::string& name, const ir::Type& type) {
  z3::expr value = type.isBool() ? context_.bool_const(name.c_str()) : context_.int_const(name.c_str());
  z3::expr present = type.optional ? context_.bool_const((name + "?").c_str()) : context_.bool_val(true);
  return Term{present, value, true};
}

// What cannot be translated exactly: any value at all, any presence if the IR says it may be missing.
Term Encoder::fresh(const ir::Expr& expr) {
  std::string name = "opaque" + std::to_string(fresh_count_++);
  z3::expr value = expr.kind == Kind::Bool ? context_.bool_const(name.c_str()) : context_.int_const(name.c_str());
  z3::expr present = expr.optional ? context_.bool_const((name + "?").c_str()) : context_.bool_val(true);
  return Term{present, value, false};
}

z3::expr Encoder::zero(Kind kind) { return kind == Kind::Bool ? context_.bool_val(false) : context_.int_val(0); }

// Strings are compared only for equality, so each distinct text is a distinct integer; a string field
// is any integer (one of the texts, or some other text).
int64_t Encoder::stringId(const std::string& text) {
  auto [it, inserted] = string_ids_.emplace(text, static_cast<int64_t>(strings_.size()));
  if (inserted) strings_.push_back(text);
  return it->second;
}

const std::string* Encoder::stringOf(int64_t id) const {
  if (id < 0 || id >= static_cast<int64_t>(strings_.size())) return nullptr;
  return &strings_[static_cast<size_t>(id)];
}

Term Encoder::let(uint32_t index) {
  if (!lets_[index]) lets_[index] = encode(*program_.lets[index].value);
  return *lets_[index];
}

Term Encoder::encode(const ir::Expr& expr) {
  switch (expr.op) {
    case Op::Const:
      if (expr.kind == Kind::Str) return Term{context_.bool_val(true), context_.int_val(stringId(expr.str)), true};
      if (expr.kind == Kind::Bool) return Term{context_.bool_val(true), context_.bool_val(expr.imm != 0), true};
      return Term{context_.bool_val(true), context_.int_val(expr.imm), true};
    case Op::Input: return inputs_[expr.index];
    case Op::Param: return params_[expr.index];
    case Op::Let: return let(expr.index);
    case Op::Local: return locals_[expr.index] ? *locals_[expr.index] : fresh(expr);
    case Op::With: return with(expr);
    case Op::Missing: return Term{context_.bool_val(false), zero(expr.kind), true};
    case Op::IsMissing:
    case Op::Coalesce: return missingValue(expr);
    case Op::Add:
    case Op::Sub:
    case Op::Neg:
    case Op::Abs:
    case Op::Min:
    case Op::Max:
    case Op::Rescale: return arithmetic(expr);
    case Op::Mul: return multiply(expr);
    case Op::RoundDiv: return roundDiv(expr);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::StrEq:
    case Op::StrNe: return compare(expr);
    case Op::And:
    case Op::Or:
    case Op::Not:
    case Op::If: return logic(expr);
    case Op::CheckDate:
    case Op::CheckTimestamp: return encode(*expr.args[0]);  // out of range is an error, not another value
    case Op::Reject: return Term{context_.bool_val(true), context_.bool_val(false), true};
    case Op::Concat:
    case Op::Text:
    case Op::TableLookup:
    case Op::RangeSum:
    case Op::TimeCall: return fresh(expr);
  }
  return fresh(expr);
}

// `x is missing`, `x ?? y`.
Term Encoder::missingValue(const ir::Expr& expr) {
  Term a = encode(*expr.args[0]);
  if (expr.op == Op::IsMissing) return Term{context_.bool_val(true), !a.present, a.exact};
  Term b = encode(*expr.args[1]);
  return Term{a.present || b.present, z3::ite(a.present, a.value, b.value), a.exact && b.exact};
}

// `with` binds a local slot for its body (a value used twice, as lowering shares it).
Term Encoder::with(const ir::Expr& expr) {
  std::optional<Term> saved = locals_[expr.index];
  locals_[expr.index] = encode(*expr.args[0]);
  Term body = encode(*expr.args[1]);
  locals_[expr.index] = saved;
  return body;
}

// Checked arithmetic as unbounded integers: a record whose evaluation overflows is rejected, so on
// every record that is evaluated the two agree.
Term Encoder::arithmetic(const ir::Expr& expr) {
  Term a = encode(*expr.args[0]);
  z3::expr one = context_.bool_val(true);
  if (expr.op == Op::Neg) return Term{one, -a.value, a.exact};
  if (expr.op == Op::Abs) return Term{one, z3::ite(a.value >= 0, a.value, -a.value), a.exact};
  if (expr.op == Op::Rescale) return Term{one, a.value * context_.int_val(expr.imm), a.exact};
  Term b = encode(*expr.args[1]);
  bool exact = a.exact && b.exact;
  switch (expr.op) {
    case Op::Add: return Term{one, a.value + b.value, exact};
    case Op::Sub: return Term{one, a.value - b.value, exact};
    case Op::Min: return Term{one, z3::ite(a.value <= b.value, a.value, b.value), exact};
    default: return Term{one, z3::ite(a.value >= b.value, a.value, b.value), exact};
  }
}

// `amount * 2` stays linear; `amount * rate` with both unknown does not, and becomes a fresh value.
Term Encoder::multiply(const ir::Expr& expr) {
  Term a = encode(*expr.args[0]);
  Term b = encode(*expr.args[1]);
  z3::expr left = a.value.simplify();
  z3::expr right = b.value.simplify();
  if (!left.is_numeral() && !right.is_numeral()) return fresh(expr);
  return Term{context_.bool_val(true), left * right, a.exact && b.exact};
}

// "1" followed by `zeros` zeros times `factor`, as Z3's unbounded integer: 10^36 does not fit int64.
static z3::expr scaledNumeral(z3::context& context, int64_t factor, int64_t zeros) {
  bool negative = factor < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(factor) : static_cast<uint64_t>(factor);
  std::string digits = (negative ? "-" : "") + std::to_string(magnitude) + std::string(static_cast<size_t>(zeros), '0');
  return context.int_val(digits.c_str());
}

// round(num * 10^imm / (den * 10^imm2)) by a constant divisor D > 0, with Z3's `div` (the floor for a
// positive divisor): Floor is N div D, Ceiling -((-N) div D), HalfUp (2|N| + D) div 2D with N's sign.
// HalfEven and a divisor that is not a constant become fresh values.
Term Encoder::roundDiv(const ir::Expr& expr) {
  Term num = encode(*expr.args[0]);
  Term den = encode(*expr.args[1]);
  int64_t divisor = 0;
  z3::expr den_value = den.value.simplify();
  if (!den_value.is_numeral() || !den_value.is_numeral_i64(divisor) || divisor == 0 || expr.mode == ir::RoundMode::HalfEven) return fresh(expr);
  if (divisor == std::numeric_limits<int64_t>::min()) return fresh(expr);
  z3::expr n = num.value * scaledNumeral(context_, 1, expr.imm);
  if (divisor < 0) n = -n;
  z3::expr d = scaledNumeral(context_, divisor < 0 ? -divisor : divisor, expr.imm2);
  z3::expr floor_div = n / d;
  z3::expr ceil_div = -((-n) / d);
  z3::expr result = floor_div;
  switch (expr.mode) {
    case ir::RoundMode::Floor: result = floor_div; break;
    case ir::RoundMode::Ceiling: result = ceil_div; break;
    case ir::RoundMode::Down: result = z3::ite(n >= 0, floor_div, ceil_div); break;
    case ir::RoundMode::Up: result = z3::ite(n >= 0, ceil_div, floor_div); break;
    case ir::RoundMode::HalfUp:
    case ir::RoundMode::HalfEven:
      result = z3::ite(n >= 0, (2 * n + d) / (2 * d), -((-2 * n + d) / (2 * d)));
      break;
  }
  return Term{context_.bool_val(true), result, num.exact && den.exact};
}

Term Encoder::compare(const ir::Expr& expr) {
  Term a = encode(*expr.args[0]);
  Term b = encode(*expr.args[1]);
  bool exact = a.exact && b.exact;
  z3::expr one = context_.bool_val(true);
  switch (expr.op) {
    case Op::Eq:
    case Op::StrEq: return Term{one, a.value == b.value, exact};
    case Op::Ne:
    case Op::StrNe: return Term{one, a.value != b.value, exact};
    case Op::Lt: return Term{one, a.value < b.value, exact};
    case Op::Le: return Term{one, a.value <= b.value, exact};
    case Op::Gt: return Term{one, a.value > b.value, exact};
    default: return Term{one, a.value >= b.value, exact};
  }
}

// and, or, not, if: short-circuiting changes only which errors a record meets, not its value.
Term Encoder::logic(const ir::Expr& expr) {
  Term a = encode(*expr.args[0]);
  z3::expr one = context_.bool_val(true);
  if (expr.op == Op::Not) return Term{one, !a.value, a.exact};
  Term b = encode(*expr.args[1]);
  if (expr.op == Op::And) return Term{one, a.value && b.value, a.exact && b.exact};
  if (expr.op == Op::Or) return Term{one, a.value || b.value, a.exact && b.exact};
  Term c = encode(*expr.args[2]);
  return Term{z3::ite(a.value, b.present, c.present), z3::ite(a.value, b.value, c.value),
              a.exact && b.exact && c.exact};
}

z3::expr Encoder::condition(const ir::Rule& rule, bool* exact) {
  *exact = true;
  if (!rule.condition) return context_.bool_val(true);
  Term term = encode(*rule.condition);
  *exact = term.exact;
  return term.present && term.value;
}

z3::expr Encoder::typeRange(const z3::expr& value, const ir::Type& type) const {
  auto between = [&](int64_t low, int64_t high) { return value >= context_.int_val(low) && value <= context_.int_val(high); };
  switch (type.kind) {
    case TypeKind::Bool: return context_.bool_val(true);
    case TypeKind::Enum: return between(0, static_cast<int64_t>(type.members.size()) - 1);
    case TypeKind::Date: return between(kMinDateDays, kMaxDateDays);
    case TypeKind::Timestamp: return between(kMinTimestamp, kMaxTimestamp);
    case TypeKind::Time: return between(0, 86399);
    case TypeKind::String: return value >= 0;
    default: return between(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  }
}

z3::expr Encoder::domain() const {
  z3::expr all = context_.bool_val(true);
  for (size_t column = 0; column < inputs_.size(); ++column) {
    all = all && typeRange(inputs_[column].value, program_.inputs[column].type);
  }
  for (size_t param = 0; param < params_.size(); ++param) {
    all = all && typeRange(params_[param].value, program_.params[param].type);
  }
  return all;
}

z3::expr Encoder::defaults() {
  z3::expr all = context_.bool_val(true);
  for (size_t index = 0; index < params_.size(); ++index) {
    const ir::Param& param = program_.params[index];
    if (!param.has_default) continue;
    if (param.type.isString()) {
      all = all && params_[index].value == context_.int_val(stringId(param.default_str));
    } else if (param.type.isBool()) {
      all = all && params_[index].value == context_.bool_val(param.default_i64 != 0);
    } else {
      all = all && params_[index].value == context_.int_val(param.default_i64);
    }
  }
  return all;
}

// `reject "…" when c` lowers to a let whose value is Reject(c): a record that is evaluated has c false
// or missing. Only exact conditions are kept, so that a proof built on them is exact too.
z3::expr Encoder::notRejected() {
  z3::expr all = context_.bool_val(true);
  for (const ir::Let& let_decl : program_.lets) {
    if (!let_decl.value || let_decl.value->op != Op::Reject) continue;
    Term condition = encode(*let_decl.value->args[0]);
    if (condition.exact) all = all && !(condition.present && condition.value);
  }
  return all;
}

}  // namespace regelwerk::analysis
