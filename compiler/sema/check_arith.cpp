// Arithmetic: which kinds combine, the scale of every result, and exact quotients.
//
// Scales follow exact arithmetic: `+ -` take the larger scale (money 2 + money 8 -> 8), `*` adds them
// (money 2 * percent 6 -> money 8), and no result may need more than 18 places. `/` does not produce
// a value: it produces an exact quotient num / den, remembered as the scales of both products, which
// only round() (or a further `*` or `/`) accepts.
#include <fmt/format.h>

#include "checker.hpp"

namespace regelwerk::sema {

using ir::TypeKind;


static int numScale(const ExprInfo& info) { return info.quotient ? info.num_scale : info.type.scale; }
static int denScale(const ExprInfo& info) { return info.quotient ? info.den_scale : 0; }

bool Checker::checkScale(int scale, Location loc, std::string_view what) {
  if (scale <= ir::kMaxScale) return true;
  error("E0305", loc, fmt::format("{} would need {} decimal places; exact numbers hold at most 18", what, scale),
        "round a factor first, e.g. `round(x, 2)`");
  return false;
}

// date + days, days + date, date - days -> date; date - date -> days. Anything else with a date is
// an error that says how dates move.
static std::optional<TypeKind> dateResult(ast::BinaryOp op, TypeKind a, TypeKind b) {
  if (op == ast::BinaryOp::Add && ((a == TypeKind::Date && b == TypeKind::Days) ||
                                   (a == TypeKind::Days && b == TypeKind::Date))) {
    return TypeKind::Date;
  }
  if (op == ast::BinaryOp::Sub && a == TypeKind::Date && b == TypeKind::Date) return TypeKind::Days;
  if (op == ast::BinaryOp::Sub && a == TypeKind::Date && b == TypeKind::Days) return TypeKind::Date;
  return std::nullopt;
}

static ExprInfo checkDateArithmetic(Checker& checker, const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  TypeKind a = checker.info(lhs).type.kind, b = checker.info(rhs).type.kind;
  if (auto kind = dateResult(expr.binary_op, a, b)) return typed(ir::Type::of(*kind));
  if (a == TypeKind::Date && b == TypeKind::Date) {
    checker.error("E0301", expr.op_loc, "two dates cannot be added", "subtract them to get the days between");
    return failedInfo();
  }
  if (a != TypeKind::Date) {
    checker.error("E0301", expr.op_loc, fmt::format("a date cannot be subtracted from {}", kindWords(checker.info(lhs).type)),
                  "write the date first: `date - days`");
    return failedInfo();
  }
  std::string subject = subjectWords(lhs);
  checker.error("E0301", rhs.loc,
                fmt::format("{} is a date, which moves by a number of days, but this value is {}",
                            subject.empty() ? "the left side" : subject, kindWords(checker.info(rhs).type)),
                literalHint(rhs, ir::Type::of(TypeKind::Days)));
  return failedInfo();
}

ExprInfo Checker::checkAdditive(const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  check(lhs);
  check(rhs);
  bool left = plainValue(lhs), right = plainValue(rhs);
  if (!left || !right) return failedInfo();
  const ir::Type& a = info(lhs).type;
  const ir::Type& b = info(rhs).type;
  if (a.kind == TypeKind::Date || b.kind == TypeKind::Date) return checkDateArithmetic(*this, expr);
  bool instants = a.kind == TypeKind::Timestamp || b.kind == TypeKind::Timestamp || a.kind == TypeKind::Time ||
                  b.kind == TypeKind::Time;
  if (instants) return checkTimeArithmetic(expr);
  const char* op = expr.binary_op == ast::BinaryOp::Add ? "+" : "-";
  if (!isNumericKind(a.kind)) {
    reportNotNumber(lhs, op);
    return failedInfo();
  }
  if (!isNumericKind(b.kind)) {
    reportNotNumber(rhs, op);
    return failedInfo();
  }
  auto common = commonType(a, b);
  if (!common) {
    reportMismatch(lhs, rhs, "E0301", op);
    return failedInfo();
  }
  return typed(*common);
}

// The kind of a product, or none: int, decimal and percent multiply among themselves (a percent
// stays a percent: 0.5 * 5% = 2.5%), money by int/decimal/percent, days by int.
static std::optional<TypeKind> productKind(TypeKind a, TypeKind b) {
  auto pair = [&](TypeKind x, TypeKind y) { return (a == x && b == y) || (a == y && b == x); };
  if (a == TypeKind::Int && b == TypeKind::Int) return TypeKind::Int;
  if (pair(TypeKind::Int, TypeKind::Decimal) || pair(TypeKind::Decimal, TypeKind::Decimal)) return TypeKind::Decimal;
  if (pair(TypeKind::Percent, TypeKind::Int) || pair(TypeKind::Percent, TypeKind::Decimal) ||
      pair(TypeKind::Percent, TypeKind::Percent)) {
    return TypeKind::Percent;
  }
  if (pair(TypeKind::Money, TypeKind::Int) || pair(TypeKind::Money, TypeKind::Decimal) ||
      pair(TypeKind::Money, TypeKind::Percent)) {
    return TypeKind::Money;
  }
  if (pair(TypeKind::Days, TypeKind::Int)) return TypeKind::Days;
  if (pair(TypeKind::Duration, TypeKind::Int)) return TypeKind::Duration;
  return std::nullopt;
}

static std::string currencyOf(const ir::Type& a, const ir::Type& b) {
  return a.kind == TypeKind::Money ? a.currency : b.currency;
}

// Numerator and denominator scales of a product or quotient of two operands; either may itself be a
// quotient. `divide` swaps the right operand's parts: (n1/d1) / (n2/d2) = (n1*d2) / (d1*n2).
static ExprInfo quotientOf(const ExprInfo& a, const ExprInfo& b, bool divide, TypeKind kind, Location loc) {
  ExprInfo out;
  out.type = ir::Type::of(kind);
  out.type.currency = currencyOf(a.type, b.type);
  out.quotient = true;
  out.num_scale = numScale(a) + (divide ? denScale(b) : numScale(b));
  out.den_scale = denScale(a) + (divide ? numScale(b) : denScale(b));
  out.quotient_loc = a.quotient ? a.quotient_loc : (b.quotient && !divide ? b.quotient_loc : loc);
  return out;
}

// "1.5" as a percent: "150"; "0.125" → "12.5". The decimal point moves two places to the right.
static std::string asPercentText(const std::string& decimal) {
  size_t point = decimal.find('.');
  std::string digits = decimal.substr(0, point) + decimal.substr(point + 1) + "00";
  std::string whole = digits.substr(0, point + 2);
  std::string fraction = digits.substr(point + 2);
  whole.erase(0, std::min(whole.find_first_not_of('0'), whole.size() - 1));
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return fraction.empty() ? whole : whole + "." + fraction;
}

// W0301: money times a bare decimal literal with a fraction between 0 and 100, as in `open * 1.5`, is
// most often a rate written without its `%` (1.5% of `open`, not 150% of it). The rule set still runs;
// writing the factor as a percent (`150%`) or the rate with `%` (`1.5%`) says which was meant. Whole
// numbers (`amount * 2`, `amount * 2.0`) are factors and pass silently (docs/diagnostics.md, Warnings).
void Checker::warnBareFactor(const ast::Expr& money, const ast::Expr& factor) {
  if (factor.kind != ast::ExprKind::DecimalLit) return;
  const std::string& text = factor.text;
  size_t point = text.find('.');
  if (point == std::string::npos || point > 2) return;  // 100 and more is no rate
  if (text.find_first_not_of('0', point + 1) == std::string::npos) return;  // 2.0 is a whole factor
  std::string subject = subjectWords(money);
  warning("W0301", factor.loc,
          fmt::format("multiplying money{} by the bare number {} takes {}% of it; did you mean {}%?",
                      subject.empty() ? "" : " (" + subject + ")", text, asPercentText(text), text),
          fmt::format("write `{}%` for a rate, or `{}%` for the factor", text, asPercentText(text)));
}

ExprInfo Checker::checkMultiply(const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  check(lhs);
  check(rhs);
  bool left = plainValue(lhs, true), right = plainValue(rhs, true);
  if (!left || !right) return failedInfo();
  const ExprInfo& a = info(lhs);
  const ExprInfo& b = info(rhs);
  if (!isNumericKind(a.type.kind)) return reportNotNumber(lhs, "*"), failedInfo();
  if (!isNumericKind(b.type.kind)) return reportNotNumber(rhs, "*"), failedInfo();
  auto kind = productKind(a.type.kind, b.type.kind);
  if (!kind) {
    error("E0301", expr.op_loc,
          fmt::format("{} cannot be multiplied by {}", kindWords(a.type), kindWords(b.type)),
          a.type.kind == TypeKind::Money && b.type.kind == TypeKind::Money ? "multiply money by a number or a percent"
                                                                           : "");
    return failedInfo();
  }
  if (a.type.kind == TypeKind::Money) warnBareFactor(lhs, rhs);
  if (b.type.kind == TypeKind::Money) warnBareFactor(rhs, lhs);
  if (a.quotient || b.quotient) {
    ExprInfo out = quotientOf(a, b, false, *kind, expr.op_loc);
    bool ok = checkScale(out.num_scale, expr.op_loc, "this product") &&
              checkScale(out.den_scale, expr.op_loc, "this divisor");
    return ok ? out : failedInfo();
  }
  ir::Type type = ir::Type::of(*kind, a.type.scale + b.type.scale);
  type.currency = currencyOf(a.type, b.type);
  if (!checkScale(type.scale, expr.op_loc, "this product")) return failedInfo();
  return typed(type);
}

// The kind a quotient will have once rounded: money stays money (money / 12 is money), a ratio of
// like things is a decimal (days / days, percent / percent, duration / duration), ints divide into
// decimals.
static TypeKind quotientKind(TypeKind num, TypeKind den) {
  if (num == TypeKind::Int || num == TypeKind::Decimal) return TypeKind::Decimal;
  if ((num == TypeKind::Percent && den == TypeKind::Percent) || (num == TypeKind::Days && den == TypeKind::Days) ||
      (num == TypeKind::Duration && den == TypeKind::Duration)) {
    return TypeKind::Decimal;
  }
  return num;
}

static bool isDivisor(TypeKind kind) {
  return kind == TypeKind::Int || kind == TypeKind::Decimal || kind == TypeKind::Percent || kind == TypeKind::Days ||
         kind == TypeKind::Duration;
}

ExprInfo Checker::checkDivide(const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  check(lhs);
  check(rhs);
  bool left = plainValue(lhs, true), right = plainValue(rhs, true);
  if (!left || !right) return failedInfo();
  const ExprInfo& a = info(lhs);
  const ExprInfo& b = info(rhs);
  if (!isNumericKind(a.type.kind)) return reportNotNumber(lhs, "/"), failedInfo();
  if (!isDivisor(b.type.kind)) {
    std::string subject = subjectWords(rhs);
    error("E0301", rhs.loc,
          fmt::format("`/` divides by an int, a decimal, a percent, days or a duration, but {} is {}",
                      subject.empty() ? "this value" : subject, kindWords(b.type)));
    return failedInfo();
  }
  ExprInfo out = quotientOf(a, b, true, quotientKind(a.type.kind, b.type.kind), expr.op_loc);
  bool ok = checkScale(out.num_scale, expr.op_loc, "this quotient's numerator") &&
            checkScale(out.den_scale, expr.op_loc, "this quotient's divisor");
  return ok ? out : failedInfo();
}

}  // namespace regelwerk::sema
