// The interpreter's expression evaluator: one flat switch over ir::Op delegating to per-family functions.
#include <cassert>

#include "compiler/support/civil_time.hpp"
#include "frame.hpp"
#include "runtime/builtins/builtins.hpp"

namespace regelwerk::interp {

using ir::ErrorCode;
using ir::Expr;
using ir::Kind;
using ir::Op;

// 0001-01-01 and 9999-12-31 as days since 1970-01-01 (the range of `date`).
constexpr int64_t kMinDateDays = -719162;
constexpr int64_t kMaxDateDays = 2932896;

bool fail(Frame& frame, ErrorCode code, uint32_t site, int32_t rule_a, int32_t rule_b) {
  frame.error = RowError{static_cast<int32_t>(code), static_cast<int32_t>(site), rule_a, rule_b};
  return false;
}

bool sameValue(Kind kind, const Value& a, const Value& b) {
  if (a.valid != b.valid) return false;
  if (!a.valid) return true;
  if (kind == Kind::Str) return rw_str_eq(a.str.data, a.str.size, b.str.data, b.str.size) != 0;
  return a.i64 == b.i64;
}

static Value integer(int64_t value) {
  Value out;
  out.i64 = value;
  return out;
}

static Value missing() {
  Value out;
  out.valid = false;
  return out;
}

// --- leaves: constants, input columns, parameters, let slots -------------------------------------

static Value readInput(const Expr& expr, const Frame& frame) {
  const ColumnView& column = frame.inputs[expr.index];
  if (column.valid && column.valid[frame.row] == 0) return missing();
  Value out;
  switch (expr.kind) {
    case Kind::Bool: out.i64 = static_cast<const uint8_t*>(column.values)[frame.row]; break;
    case Kind::I64: out.i64 = static_cast<const int64_t*>(column.values)[frame.row]; break;
    case Kind::Str: out.str = static_cast<const StrRef*>(column.values)[frame.row]; break;
  }
  return out;
}

static Value evalLeaf(const Expr& expr, const Frame& frame) {
  switch (expr.op) {
    case Op::Const: {
      Value out = integer(expr.imm);
      if (expr.kind == Kind::Str) out.str = StrRef{expr.str.data(), static_cast<int64_t>(expr.str.size())};
      return out;
    }
    case Op::Input: return readInput(expr, frame);
    case Op::Param: {
      Value out = integer(frame.params[expr.index].i64);
      out.str = frame.params[expr.index].str;
      return out;
    }
    case Op::Let: return frame.lets[expr.index];
    case Op::Missing: return missing();
    default: assert(false && "not a leaf op"); return Value{};
  }
}

// --- missing values: `x is missing`, `x ?? y` ----------------------------------------------------

static bool evalMissing(const Expr& expr, Frame& frame, Value& out) {
  Value value;
  if (!evalExpr(*expr.args[0], frame, value)) return false;
  if (expr.op == Op::IsMissing) {
    out = integer(value.valid ? 0 : 1);
    return true;
  }
  // Coalesce: the right operand is evaluated only when the left one is missing.
  if (value.valid) {
    out = value;
    return true;
  }
  return evalExpr(*expr.args[1], frame, out);
}

// --- checked integer arithmetic ------------------------------------------------------------------

// Add, Sub, Mul, Min, Max of two evaluated operands; overflow of a checked op rejects the row.
static bool binaryArith(const Expr& expr, Frame& frame, int64_t lhs, int64_t rhs, Value& out) {
  int64_t result = 0;
  bool overflow = false;
  switch (expr.op) {
    case Op::Add: overflow = __builtin_add_overflow(lhs, rhs, &result); break;
    case Op::Sub: overflow = __builtin_sub_overflow(lhs, rhs, &result); break;
    case Op::Mul: overflow = __builtin_mul_overflow(lhs, rhs, &result); break;
    case Op::Min: result = lhs < rhs ? lhs : rhs; break;
    case Op::Max: result = lhs > rhs ? lhs : rhs; break;
    default: assert(false && "not a binary arithmetic op");
  }
  if (overflow) return fail(frame, ErrorCode::Overflow, expr.site);
  out = integer(result);
  return true;
}

// RoundDiv goes through the shared kernel so the JIT rounds identically.
// Example: round(7 / 2, 0, half_even) is RoundDiv(7, 2, imm 0, imm2 0, HalfEven) = 4.
static bool roundDiv(const Expr& expr, Frame& frame, int64_t num, int64_t den, Value& out) {
  int64_t result = 0;
  int32_t code = rw_round_div(num, den, static_cast<int32_t>(expr.imm), static_cast<int32_t>(expr.imm2),
                              static_cast<int32_t>(expr.mode), &result);
  if (code != 0) return fail(frame, static_cast<ErrorCode>(code), expr.site);
  out = integer(result);
  return true;
}

static bool evalBinaryArith(const Expr& expr, Frame& frame, Value& out) {
  Value lhs;
  Value rhs;
  if (!evalExpr(*expr.args[0], frame, lhs) || !evalExpr(*expr.args[1], frame, rhs)) return false;
  if (expr.op == Op::RoundDiv) return roundDiv(expr, frame, lhs.i64, rhs.i64, out);
  return binaryArith(expr, frame, lhs.i64, rhs.i64, out);
}

// Neg, Abs, Rescale and CheckDate: one I64 operand. Neg and Abs of INT64_MIN overflow.
static bool evalUnaryArith(const Expr& expr, Frame& frame, Value& out) {
  Value operand;
  if (!evalExpr(*expr.args[0], frame, operand)) return false;
  int64_t value = operand.i64;
  int64_t result = value;
  bool overflow = false;
  switch (expr.op) {
    case Op::Neg: overflow = __builtin_sub_overflow(int64_t{0}, value, &result); break;
    case Op::Abs: overflow = value < 0 && __builtin_sub_overflow(int64_t{0}, value, &result); break;
    case Op::Rescale: overflow = __builtin_mul_overflow(value, expr.imm, &result); break;
    case Op::CheckDate:
      if (value < kMinDateDays || value > kMaxDateDays) return fail(frame, ErrorCode::DateOutOfRange, expr.site);
      break;
    case Op::CheckTimestamp:
      if (value < civil::kMinTimestamp || value > civil::kMaxTimestamp) {
        return fail(frame, ErrorCode::TimestampOutOfRange, expr.site);
      }
      break;
    default: assert(false && "not a unary arithmetic op");
  }
  if (overflow) return fail(frame, ErrorCode::Overflow, expr.site);
  out = integer(result);
  return true;
}

// --- comparisons ---------------------------------------------------------------------------------

static bool compare(Op op, int64_t lhs, int64_t rhs) {
  switch (op) {
    case Op::Eq: return lhs == rhs;
    case Op::Ne: return lhs != rhs;
    case Op::Lt: return lhs < rhs;
    case Op::Le: return lhs <= rhs;
    case Op::Gt: return lhs > rhs;
    case Op::Ge: return lhs >= rhs;
    default: assert(false && "not a comparison op"); return false;
  }
}

static bool evalCompare(const Expr& expr, Frame& frame, Value& out) {
  Value lhs;
  Value rhs;
  if (!evalExpr(*expr.args[0], frame, lhs) || !evalExpr(*expr.args[1], frame, rhs)) return false;
  bool result = false;
  if (expr.op == Op::StrEq || expr.op == Op::StrNe) {
    bool equal = rw_str_eq(lhs.str.data, lhs.str.size, rhs.str.data, rhs.str.size) != 0;
    result = expr.op == Op::StrEq ? equal : !equal;
  } else {
    result = compare(expr.op, lhs.i64, rhs.i64);
  }
  out = integer(result ? 1 : 0);
  return true;
}

// `"A-" ++ code`: the shared kernel copies both into this thread's arena, or rejects an overlong result.
static bool evalConcat(const Expr& expr, Frame& frame, Value& out) {
  Value lhs;
  Value rhs;
  if (!evalExpr(*expr.args[0], frame, lhs) || !evalExpr(*expr.args[1], frame, rhs)) return false;
  RwStr joined{nullptr, 0};
  int32_t code = rw_str_concat(frame.strings, lhs.str.data, lhs.str.size, rhs.str.data, rhs.str.size, &joined);
  if (code != 0) return fail(frame, static_cast<ErrorCode>(code), expr.site);
  out = Value{};
  out.str = StrRef{joined.data, joined.size};
  return true;
}

// text(x) of a number or date: the shared kernel writes it as the CSV writer would.
static bool evalText(const Expr& expr, Frame& frame, Value& out) {
  Value operand;
  if (!evalExpr(*expr.args[0], frame, operand)) return false;
  RwStr text{nullptr, 0};
  rw_text(frame.strings, operand.i64, static_cast<int32_t>(expr.imm), static_cast<int32_t>(expr.imm2), &text);
  out = Value{};
  out.str = StrRef{text.data, text.size};
  return true;
}

// --- logic: short-circuit and/or, not, if --------------------------------------------------------

// `a and b` evaluates b only when a is true, `a or b` only when a is false: a guard such as
// `amount > 0 and total / amount > 2` must not fail on the right when the left already decides.
static bool evalAndOr(const Expr& expr, Frame& frame, Value& out) {
  if (!evalExpr(*expr.args[0], frame, out)) return false;
  bool decided = expr.op == Op::And ? out.i64 == 0 : out.i64 != 0;
  if (decided) return true;
  return evalExpr(*expr.args[1], frame, out);
}

static bool evalLogic(const Expr& expr, Frame& frame, Value& out) {
  switch (expr.op) {
    case Op::And:
    case Op::Or: return evalAndOr(expr, frame, out);
    case Op::Not:
      if (!evalExpr(*expr.args[0], frame, out)) return false;
      out = integer(out.i64 == 0 ? 1 : 0);
      return true;
    case Op::Reject:
      if (!evalExpr(*expr.args[0], frame, out)) return false;
      if (out.valid && out.i64 != 0) return fail(frame, ErrorCode::Rejected, expr.site);
      out = integer(0);
      return true;
    case Op::If: {
      Value condition;
      if (!evalExpr(*expr.args[0], frame, condition)) return false;
      return evalExpr(*expr.args[condition.i64 != 0 ? 1 : 2], frame, out);
    }
    default: assert(false && "not a logic op"); return false;
  }
}

// --- tables and local slots -----------------------------------------------------------------------

// `fees(level).fee` -> the fee of level's row, or missing; the same kernel as the JIT finds the row.
static bool evalTableLookup(const Expr& expr, Frame& frame, Value& out) {
  Value key;
  if (!evalExpr(*expr.args[0], frame, key)) return false;
  const ir::Table& table = frame.program->tables[expr.index];
  int64_t count = static_cast<int64_t>(table.keys.size());
  int64_t row = table.key_type.isString()
                    ? rw_table_find_str((*frame.str_keys)[expr.index].data(), count, key.str.data, key.str.size)
                    : rw_table_find(table.keys.data(), count, key.i64, table.range ? 1 : 0);
  if (row < 0) {
    out = missing();
    return true;
  }
  out = integer(table.columns[static_cast<size_t>(expr.imm)].values[static_cast<size_t>(row)]);
  return true;
}

static bool evalRangeSum(const Expr& expr, Frame& frame, Value& out) {
  Value from;
  Value until;
  Value plus;
  if (!evalExpr(*expr.args[0], frame, from) || !evalExpr(*expr.args[1], frame, until) ||
      !evalExpr(*expr.args[2], frame, plus)) {
    return false;
  }
  const ir::Table& table = frame.program->tables[expr.index];
  int64_t sum = 0;
  int32_t code = rw_table_range_sum(table.keys.data(), table.columns[static_cast<size_t>(expr.imm)].values.data(),
                                    static_cast<int64_t>(table.keys.size()), from.i64, until.i64, plus.i64, expr.imm2, &sum);
  if (code != 0) return fail(frame, static_cast<ErrorCode>(code), expr.site);
  out = integer(sum);
  return true;
}

// `local_time(at, tz)` and the other time functions: the kernel of builtins.def the JIT calls too.
static bool evalTimeCall(const Expr& expr, Frame& frame, Value& out) {
  const ir::TimeFnInfo& fn = ir::timeFnInfo(static_cast<ir::TimeFn>(expr.imm));
  int64_t ints[3] = {0, 0, 0};
  StrRef zone{nullptr, 0};
  for (size_t arg = 0; arg < expr.args.size(); ++arg) {
    Value value;
    if (!evalExpr(*expr.args[arg], frame, value)) return false;
    if (arg < static_cast<size_t>(fn.int_args)) ints[arg] = value.i64;
    else zone = value.str;
  }
  int64_t result = 0;
  int32_t code = timeKernel(static_cast<int>(expr.imm))(ints[0], ints[1], ints[2], zone.data, zone.size, &result);
  if (code != 0) return fail(frame, static_cast<ErrorCode>(code), expr.site);
  out = integer(result);
  return true;
}

// `with` evaluates its value once into the slot, then the body that reads it (an inlined function).
static bool evalWith(const Expr& expr, Frame& frame, Value& out) {
  if (!evalExpr(*expr.args[0], frame, frame.locals[expr.index])) return false;
  return evalExpr(*expr.args[1], frame, out);
}

bool evalExpr(const Expr& expr, Frame& frame, Value& out) {
  switch (expr.op) {
    case Op::TableLookup: return evalTableLookup(expr, frame, out);
    case Op::RangeSum: return evalRangeSum(expr, frame, out);
    case Op::TimeCall: return evalTimeCall(expr, frame, out);
    case Op::With: return evalWith(expr, frame, out);
    case Op::Local: out = frame.locals[expr.index]; return true;
    case Op::Const:
    case Op::Input:
    case Op::Param:
    case Op::Let:
    case Op::Missing: out = evalLeaf(expr, frame); return true;
    case Op::Concat: return evalConcat(expr, frame, out);
    case Op::Text: return evalText(expr, frame, out);
    case Op::IsMissing:
    case Op::Coalesce: return evalMissing(expr, frame, out);
    case Op::Add:
    case Op::Sub:
    case Op::Mul:
    case Op::Min:
    case Op::Max:
    case Op::RoundDiv: return evalBinaryArith(expr, frame, out);
    case Op::Neg:
    case Op::Abs:
    case Op::Rescale:
    case Op::CheckDate:
    case Op::CheckTimestamp: return evalUnaryArith(expr, frame, out);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::StrEq:
    case Op::StrNe: return evalCompare(expr, frame, out);
    case Op::And:
    case Op::Or:
    case Op::Not:
    case Op::Reject:
    case Op::If: return evalLogic(expr, frame, out);
  }
  assert(false && "unknown op");
  return false;
}

}  // namespace regelwerk::interp
