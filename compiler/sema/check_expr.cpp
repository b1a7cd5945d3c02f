// Type checking of expressions: literals, names, logic, comparisons, `in`, `??`, `is missing`, `if`.
// Arithmetic is in check_arith.cpp, calls in check_calls.cpp. Every result lands in
// TypedRuleset::exprs[expr.id]; an operand that already failed makes its parent fail silently.
#include <cassert>
#include <fmt/format.h>

#include "checker.hpp"
#include "literals.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

ExprInfo failedInfo() {
  ExprInfo info;
  info.failed = true;
  return info;
}


std::optional<ir::Type> commonType(const ir::Type& a, const ir::Type& b) {
  bool mix = (a.kind == TypeKind::Int && b.kind == TypeKind::Decimal) ||
             (a.kind == TypeKind::Decimal && b.kind == TypeKind::Int);
  bool days_as_duration = (a.kind == TypeKind::Days && b.kind == TypeKind::Duration) ||
                          (a.kind == TypeKind::Duration && b.kind == TypeKind::Days);
  if (days_as_duration) {
    ir::Type out = ir::Type::of(TypeKind::Duration);
    out.optional = a.optional || b.optional;
    return out;
  }
  if (a.kind != b.kind && !mix) return std::nullopt;
  if (a.kind == TypeKind::Enum && a.members != b.members) return std::nullopt;
  if (a.kind == TypeKind::Money && a.currency != b.currency) return std::nullopt;
  ir::Type out = a;
  if (mix) out.kind = TypeKind::Decimal;
  out.scale = std::max(a.scale, b.scale);
  out.optional = a.optional || b.optional;
  return out;
}

const ExprInfo& Checker::check(const ast::Expr& expr, const ir::Type* hint) {
  ExprInfo result = checkKind(expr, hint);
  out_.exprs[expr.id] = std::move(result);
  return out_.exprs[expr.id];
}

ExprInfo Checker::checkKind(const ast::Expr& expr, const ir::Type* hint) {
  switch (expr.kind) {
    case ast::ExprKind::Name: return checkName(expr, hint);
    case ast::ExprKind::Unary: return checkUnary(expr);
    case ast::ExprKind::Binary: return checkBinary(expr, hint);
    case ast::ExprKind::InList: return checkInList(expr);
    case ast::ExprKind::InRange: return checkInRange(expr);
    case ast::ExprKind::IsMissing: return checkIsMissing(expr);
    case ast::ExprKind::If: return checkIf(expr, hint);
    case ast::ExprKind::Call: return isRecordCount(expr) ? checkAggregate(expr) : checkCall(expr);
    case ast::ExprKind::Aggregate: return checkAggregate(expr);
    case ast::ExprKind::Missing: return checkMissing(expr, hint);
    default: return checkLiteral(expr);
  }
}

static std::string tooLarge(const ast::Expr& expr) {
  return fmt::format("`{}` is too large: exact numbers hold at most 19 digits", literalText(expr));
}

// Numbers with a point: `12.50`, `12.50 EUR`, `1.27%`. The percent is stored as the fraction, so its
// scale is two more than the places written (1.27% -> 0.0127, scale 4).
static std::optional<Fixed> checkFixed(Checker& checker, const ast::Expr& expr, int extra_scale) {
  FixedResult parsed = parseFixed(expr.text, extra_scale);
  if (parsed.error == FixedError::TooManyPlaces) {
    checker.error("E0503", expr.loc,
                  fmt::format("`{}` has {} places; a number has at most {}", literalText(expr),
                              parsed.fixed.scale - extra_scale, ir::kMaxScale - extra_scale));
    return std::nullopt;
  }
  if (parsed.error != FixedError::None) {
    checker.error("E0501", expr.loc, tooLarge(expr));
    return std::nullopt;
  }
  return parsed.fixed;
}

static std::string dateProblem(const DateResult& date) {
  static const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                  "July",    "August",   "September", "October", "November", "December"};
  switch (date.error) {
    case DateError::Malformed: return "is not a date; write dates as YYYY-MM-DD";
    case DateError::YearRange: return "is outside the calendar; dates run from 0001-01-01 to 9999-12-31";
    case DateError::MonthRange: return fmt::format("is not a date: there is no month {}", date.month);
    case DateError::DayRange:
      return fmt::format("is not a date: {} {} has {} days", kMonths[date.month - 1], date.year,
                         daysInMonth(date.year, date.month));
    case DateError::None: break;
  }
  return "";
}

ExprInfo Checker::checkLiteral(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::DaysLit: {
      if (!parseInt(expr.text)) {
        error("E0501", expr.loc, tooLarge(expr), "the largest int is 9223372036854775807");
        return failedInfo();
      }
      return typed(ir::Type::of(expr.kind == ast::ExprKind::IntLit ? TypeKind::Int : TypeKind::Days));
    }
    case ast::ExprKind::DecimalLit: {
      auto fixed = checkFixed(*this, expr, 0);
      return fixed ? typed(ir::Type::of(TypeKind::Decimal, fixed->scale)) : failedInfo();
    }
    case ast::ExprKind::PercentLit: {
      auto fixed = checkFixed(*this, expr, 2);
      return fixed ? typed(ir::Type::of(TypeKind::Percent, fixed->scale)) : failedInfo();
    }
    case ast::ExprKind::MoneyLit: {
      if (expr.currency != out_.currency) {
        error("E0504", expr.loc,
              fmt::format("this amount is in {} but the rule set's currency is {}", expr.currency, out_.currency),
              fmt::format("write {} {}, or set `currency {}`", expr.text, out_.currency, expr.currency));
        return failedInfo();
      }
      auto fixed = checkFixed(*this, expr, 0);
      if (!fixed) return failedInfo();
      ir::Type type = ir::Type::of(TypeKind::Money, fixed->scale);
      type.currency = out_.currency;
      return typed(type);
    }
    case ast::ExprKind::DateLit: {
      DateResult date = parseDate(expr.text);
      if (date.error != DateError::None) {
        error("E0502", expr.loc, fmt::format("`{}` {}", expr.text, dateProblem(date)));
        return failedInfo();
      }
      return typed(ir::Type::of(TypeKind::Date));
    }
    case ast::ExprKind::StringLit: return typed(ir::Type::of(TypeKind::String));
    case ast::ExprKind::BoolLit: return typed(ir::Type::of(TypeKind::Bool));
    case ast::ExprKind::TimestampLit:
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::TimeLit: return checkTimeLiteral(expr);
    default: break;
  }
  assert(false && "checkLiteral called on a non-literal");
  return failedInfo();
}

// Reports what is wrong with an operand that is not a plain value: a quotient that needs round(),
// or a value that may be missing. Already-failed operands are silent.
bool Checker::plainValue(const ast::Expr& expr, bool allow_quotient, bool allow_optional) {
  const ExprInfo& operand = info(expr);
  if (operand.failed) return false;
  if (operand.quotient && !allow_quotient) {
    reportQuotient(expr);
    return false;
  }
  if (operand.type.optional && !allow_optional) {
    reportOptional(expr);
    return false;
  }
  return true;
}

void Checker::reportOptional(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::Missing) {
    error("E0332", expr.loc, "`missing` is no value to compute with or compare",
          "to test a value write `x is missing`; `missing` can be stored in a `T?` let or output, be an `if` "
          "branch or follow `??`");
    return;
  }
  std::string subject = expr.kind == ast::ExprKind::Name ? "`" + expr.text + "`" : "this value";
  std::string name = expr.kind == ast::ExprKind::Name ? expr.text : "x";
  error("E0304", expr.loc, fmt::format("{} may be missing, so it cannot be used here", subject),
        fmt::format("write `{} ?? default`", name));
}

// `overdue / 365 days` outside round(): the caret goes to the `/`; the hint repeats it inside round
// when both sides are names or literals.
void Checker::reportQuotient(const ast::Expr& expr) {
  std::string inner = "...";
  if (expr.kind == ast::ExprKind::Binary && expr.binary_op == ast::BinaryOp::Div) {
    std::string num = subjectWords(*expr.args[0]), den = subjectWords(*expr.args[1]);
    if (!num.empty() && !den.empty()) {
      inner = num.substr(1, num.size() - 2) + " / " + den.substr(1, den.size() - 2);
    }
  }
  bool accrual = expr.kind == ast::ExprKind::Call;
  error("E0307", info(expr).quotient_loc,
        accrual ? "`accrue` gives an exact sum of daily interest, which must be rounded before it is used"
                : "`/` gives an exact quotient, which must be rounded before it is used",
        fmt::format("write `round({}, 2)`", inner));
}

void Checker::reportNotNumber(const ast::Expr& expr, std::string_view op) {
  std::string subject = subjectWords(expr);
  error("E0301", expr.loc,
        fmt::format("`{}` needs numbers, money, percents or days, but {} is {}", op,
                    subject.empty() ? "this value" : subject, kindWords(info(expr).type)));
}

// Two operands of different kinds: the caret goes to the literal if exactly one side is one (that
// is what the analyst will retype), else to the right side. `amount + 5` -> at `5`: "`amount` is
// money but this value is an int", hint "write 5.00 EUR".
void Checker::reportMismatch(const ast::Expr& lhs, const ast::Expr& rhs, const char* code, std::string_view op) {
  bool blame_left = isLiteral(lhs) && !isLiteral(rhs);
  const ast::Expr& blamed = blame_left ? lhs : rhs;
  const ast::Expr& other = blame_left ? rhs : lhs;
  std::string subject = subjectWords(other);
  if (subject.empty()) subject = blame_left ? "the right side" : "the left side";
  const ir::Type& wanted = info(other).type;
  error(code, blamed.loc,
        fmt::format("{} is {} but this value is {}", subject, kindWords(wanted), kindWords(info(blamed).type)),
        literalHint(blamed, wanted));
}

ExprInfo Checker::checkUnary(const ast::Expr& expr) {
  const ast::Expr& operand = *expr.args[0];
  check(operand);
  if (expr.unary_op == ast::UnaryOp::Not) {
    return checkCondition(operand, "`not`") ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
  }
  if (!plainValue(operand)) return failedInfo();
  if (!isNumericKind(info(operand).type.kind)) {
    reportNotNumber(operand, "-");
    return failedInfo();
  }
  return typed(info(operand).type);
}

ExprInfo Checker::checkBinary(const ast::Expr& expr, const ir::Type* hint) {
  switch (expr.binary_op) {
    case ast::BinaryOp::Add:
    case ast::BinaryOp::Sub: return checkAdditive(expr);
    case ast::BinaryOp::Mul: return checkMultiply(expr);
    case ast::BinaryOp::Div: return checkDivide(expr);
    case ast::BinaryOp::And:
    case ast::BinaryOp::Or: return checkLogic(expr);
    case ast::BinaryOp::Coalesce: return checkCoalesce(expr, hint);
    case ast::BinaryOp::Concat: return checkConcat(expr);
    default: return checkCompare(expr);
  }
}

bool Checker::checkCondition(const ast::Expr& expr, std::string_view what) {
  if (!plainValue(expr)) return false;
  const ir::Type& type = info(expr).type;
  if (type.kind == TypeKind::Bool) return true;
  std::string subject = subjectWords(expr);
  error("E0303", expr.loc,
        fmt::format("{} needs a condition that is true or false, but {} is {}", what,
                    subject.empty() ? "this value" : subject, kindWords(type)));
  return false;
}

ExprInfo Checker::checkLogic(const ast::Expr& expr) {
  check(*expr.args[0]);
  check(*expr.args[1]);
  const char* what = expr.binary_op == ast::BinaryOp::And ? "`and`" : "`or`";
  bool left = checkCondition(*expr.args[0], what);
  bool right = checkCondition(*expr.args[1], what);
  return left && right ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
}

// Checks operands that must have one type, so that a bare enum member among them takes its enum
// from the others: in `reminder == action` the anchor is `action`, checked first; `reminder` is then
// checked expecting action's type. `missing` takes its type the same way (`if c then d else missing`).
// If the anchor fails, bare members and `missing` are marked failed silently.
void Checker::checkOperandsAnchored(const std::vector<const ast::Expr*>& operands, const ir::Type* hint) {
  auto takes_context = [&](const ast::Expr& operand) {
    return isBareMember(operand) || operand.kind == ast::ExprKind::Missing;
  };
  const ast::Expr* anchor = nullptr;
  for (const ast::Expr* operand : operands) {
    if (!takes_context(*operand)) {
      anchor = operand;
      break;
    }
  }
  std::optional<ir::Type> context = hint ? std::optional<ir::Type>(hint->required()) : std::nullopt;
  bool anchor_failed = false;
  if (anchor) {
    const ExprInfo& checked = check(*anchor, hint);
    anchor_failed = checked.failed;
    if (!checked.failed && !checked.quotient) context = checked.type.required();
  }
  for (const ast::Expr* operand : operands) {
    if (operand == anchor) continue;
    bool silent = operand->kind == ast::ExprKind::Missing || !values_.count(operand->text);
    if (anchor_failed && takes_context(*operand) && silent) {
      out_.exprs[operand->id] = failedInfo();
      continue;
    }
    check(*operand, context ? &*context : nullptr);
  }
}

bool isOrderableKind(TypeKind kind) {
  return isNumericKind(kind) || kind == TypeKind::Date || kind == TypeKind::Timestamp || kind == TypeKind::Time;
}

bool Checker::checkComparable(const ast::Expr& lhs, const ast::Expr& rhs, bool ordering, const char* code) {
  bool left = plainValue(lhs), right = plainValue(rhs);
  if (!left || !right) return false;
  auto common = commonType(info(lhs).type, info(rhs).type);
  if (!common) {
    reportMismatch(lhs, rhs, code, "");
    return false;
  }
  if (ordering && !isOrderableKind(common->kind)) {
    error("E0317", lhs.loc,
          fmt::format("{} cannot be ordered; `<`, `<=`, `>`, `>=` and ranges compare numbers, money, "
                      "percents, dates, days, timestamps, durations and times of day",
                      kindWords(*common)),
          "use `==` or `in (...)`");
    return false;
  }
  return true;
}

ExprInfo Checker::checkCompare(const ast::Expr& expr) {
  checkOperandsAnchored({expr.args[0].get(), expr.args[1].get()}, nullptr);
  bool ordering = expr.binary_op != ast::BinaryOp::Eq && expr.binary_op != ast::BinaryOp::Ne;
  if (!checkComparable(*expr.args[0], *expr.args[1], ordering, "E0302")) return failedInfo();
  return typed(ir::Type::of(TypeKind::Bool));
}

ExprInfo Checker::checkInList(const ast::Expr& expr) {
  std::vector<const ast::Expr*> operands;
  for (const auto& arg : expr.args) operands.push_back(arg.get());
  checkOperandsAnchored(operands, nullptr);
  const ast::Expr& value = *expr.args[0];
  if (!plainValue(value)) return failedInfo();
  bool ok = true;
  for (size_t item = 1; item < expr.args.size(); ++item) {
    ok = checkComparable(value, *expr.args[item], false, "E0302") && ok;
  }
  return ok ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
}

// `dunning_level in 1..2`: both bounds compare with the value as `<=` does.
ExprInfo Checker::checkInRange(const ast::Expr& expr) {
  checkOperandsAnchored({expr.args[0].get(), expr.args[1].get(), expr.args[2].get()}, nullptr);
  const ast::Expr& value = *expr.args[0];
  if (!plainValue(value)) return failedInfo();
  bool low = checkComparable(value, *expr.args[1], true, "E0316");
  bool high = low && checkComparable(value, *expr.args[2], true, "E0316");
  return low && high ? typed(ir::Type::of(TypeKind::Bool)) : failedInfo();
}

ExprInfo Checker::checkIsMissing(const ast::Expr& expr) {
  const ast::Expr& value = *expr.args[0];
  const ExprInfo& checked = check(value);
  if (checked.failed) return failedInfo();
  if (!plainValue(value, false, true)) return failedInfo();
  if (!checked.type.optional) {
    std::string subject = subjectWords(value);
    error("E0315", expr.op_loc,
          fmt::format("{} is never missing, so `is {}missing` is always {}", subject.empty() ? "this value" : subject,
                      expr.negated ? "not " : "", expr.negated ? "true" : "false"),
          "declare the field as `T?` if it may be empty");
    return failedInfo();
  }
  return typed(ir::Type::of(TypeKind::Bool));
}

// `last_notice_date ?? due_date`: the left side must be able to be missing; the result is missing only
// if the right side can be.
ExprInfo Checker::checkCoalesce(const ast::Expr& expr, const ir::Type* hint) {
  const ast::Expr& value = *expr.args[0];
  const ast::Expr& fallback = *expr.args[1];
  checkOperandsAnchored({&value, &fallback}, hint);
  bool left = plainValue(value, false, true), right = plainValue(fallback, false, true);
  if (!left || !right) return failedInfo();
  if (!info(value).type.optional) {
    std::string subject = subjectWords(value);
    error("E0315", expr.op_loc,
          fmt::format("{} is never missing, so `??` never uses its right side", subject.empty() ? "this value" : subject),
          "remove `?? ...`");
    return failedInfo();
  }
  auto common = commonType(info(value).type, info(fallback).type);
  if (!common) {
    reportMismatch(value, fallback, "E0301", "??");
    return failedInfo();
  }
  common->optional = info(fallback).type.optional;
  return typed(*common);
}

ExprInfo Checker::checkIf(const ast::Expr& expr, const ir::Type* hint) {
  const ast::Expr& then_branch = *expr.args[1];
  const ast::Expr& else_branch = *expr.args[2];
  check(*expr.args[0]);
  bool condition = checkCondition(*expr.args[0], "`if`");
  checkOperandsAnchored({&then_branch, &else_branch}, hint);
  bool then_ok = plainValue(then_branch, false, true), else_ok = plainValue(else_branch, false, true);
  if (!condition || !then_ok || !else_ok) return failedInfo();
  auto common = commonType(info(then_branch).type, info(else_branch).type);
  if (!common) {
    std::string subject = subjectWords(then_branch);
    error("E0309", else_branch.loc,
          fmt::format("{} is {} but this `else` branch is {}", subject.empty() ? "the `then` branch" : subject,
                      kindWords(info(then_branch).type), kindWords(info(else_branch).type)),
          literalHint(else_branch, info(then_branch).type));
    return failedInfo();
  }
  return typed(*common);
}

void Checker::error(const char* code, Location loc, std::string message, std::string hint) {
  if (table_row_ != 0) message = "row " + std::to_string(table_row_) + ": " + message;
  diags_.error(code, loc, std::move(message), std::move(hint));
}

void Checker::warning(const char* code, Location loc, std::string message, std::string hint) {
  diags_.add(Diagnostic{Severity::Warning, code, loc, std::move(message), std::move(hint)});
}

}  // namespace regelwerk::sema
