// Type checking of time: timestamp, duration and time-of-day literals, the arithmetic of instants
// (`at + 24 h`, `now - at`, `at + 7 days`) and the time functions (local_date, local_time, at_local,
// year, month, day, weekday, date, date_clamped). Durations are numbers of seconds; `days` widen to a
// duration (× 86400) wherever one is expected.
#include <fmt/format.h>

#include "checker.hpp"
#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"
#include "literals.hpp"
#include "time_functions.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

const TimeFunction* timeFunction(std::string_view name) {
  using K = TypeKind;
  static const TimeFunction kFunctions[] = {
      {"local_date", ir::TimeFn::LocalDate, {K::Timestamp, K::String}, K::Date, "local_date(t, zone)"},
      {"local_time", ir::TimeFn::LocalTime, {K::Timestamp, K::String}, K::Time, "local_time(t, zone)"},
      {"at_local", ir::TimeFn::AtLocal, {K::Date, K::Time, K::String}, K::Timestamp, "at_local(d, 08:00, zone)"},
      {"year", ir::TimeFn::Year, {K::Date}, K::Int, "year(d)"},
      {"month", ir::TimeFn::Month, {K::Date}, K::Int, "month(d)"},
      {"day", ir::TimeFn::Day, {K::Date}, K::Int, "day(d)"},
      {"weekday", ir::TimeFn::Weekday, {K::Date}, K::Int, "weekday(d)"},
      {"date", ir::TimeFn::DateFromParts, {K::Int, K::Int, K::Int}, K::Date, "date(year, month, day)"},
      {"date_clamped", ir::TimeFn::DateClamped, {K::Int, K::Int, K::Int}, K::Date, "date_clamped(year, month, day)"},
  };
  for (const TimeFunction& function : kFunctions) {
    if (name == function.name) return &function;
  }
  return nullptr;
}

std::optional<int64_t> durationSeconds(std::string_view number, std::string_view unit) {
  auto count = parseInt(number);
  if (!count) return std::nullopt;
  int64_t factor = unit == "h" ? 3600 : unit == "min" ? 60 : 1;
  int64_t seconds = 0;
  if (__builtin_mul_overflow(*count, factor, &seconds)) return std::nullopt;
  return seconds;
}

ExprInfo Checker::checkTimeLiteral(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::TimestampLit) {
    civil::TimestampText parsed = civil::parseTimestamp(expr.text);
    if (parsed.error != civil::TimeTextError::None) {
      error("E0901", expr.loc, fmt::format("`{}` {}", expr.text, civil::timestampProblem(parsed.error)),
            parsed.error == civil::TimeTextError::Fraction ? "write whole seconds, e.g. 2025-03-04T10:00:00Z" : "");
      return failedInfo();
    }
    return typed(ir::Type::of(TypeKind::Timestamp));
  }
  if (expr.kind == ast::ExprKind::TimeLit) {
    if (!civil::parseTimeOfDay(expr.text)) {
      error("E0902", expr.loc, fmt::format("`{}` is not a time of day; times run from 00:00 to 23:59:59", expr.text),
            "write HH:MM or HH:MM:SS, e.g. 21:00 or 08:00:30");
      return failedInfo();
    }
    return typed(ir::Type::of(TypeKind::Time));
  }
  if (!durationSeconds(expr.text, expr.currency)) {
    error("E0501", expr.loc, fmt::format("`{} {}` is too large: a duration holds at most 9223372036854775807 seconds",
                                         expr.text, expr.currency));
    return failedInfo();
  }
  return typed(ir::Type::of(TypeKind::Duration));
}

static bool movesInstant(TypeKind kind) { return kind == TypeKind::Duration || kind == TypeKind::Days; }

// timestamp ± duration (or days) -> timestamp; duration + timestamp -> timestamp; timestamp - timestamp
// -> duration. A time of day has no arithmetic: the instant of a local time is at_local(...).
static std::optional<TypeKind> instantResult(ast::BinaryOp op, TypeKind a, TypeKind b) {
  bool add = op == ast::BinaryOp::Add;
  if (a == TypeKind::Timestamp && movesInstant(b)) return TypeKind::Timestamp;
  if (add && movesInstant(a) && b == TypeKind::Timestamp) return TypeKind::Timestamp;
  if (!add && a == TypeKind::Timestamp && b == TypeKind::Timestamp) return TypeKind::Duration;
  return std::nullopt;
}

ExprInfo Checker::checkTimeArithmetic(const ast::Expr& expr) {
  const ast::Expr& lhs = *expr.args[0];
  const ast::Expr& rhs = *expr.args[1];
  TypeKind a = info(lhs).type.kind, b = info(rhs).type.kind;
  if (auto kind = instantResult(expr.binary_op, a, b)) return typed(ir::Type::of(*kind));
  if (a == TypeKind::Time || b == TypeKind::Time) {
    error("E0905", expr.op_loc, "a time of day cannot be added to or subtracted from",
          "compare times of day, or move the instant: `at + 30 min`, `at_local(d, 08:00, zone)`");
    return failedInfo();
  }
  if (a == TypeKind::Timestamp && b == TypeKind::Timestamp) {
    error("E0905", expr.op_loc, "two timestamps cannot be added", "subtract them to get the duration between");
    return failedInfo();
  }
  const ast::Expr& other = a == TypeKind::Timestamp ? rhs : lhs;
  std::string subject = subjectWords(other);
  error("E0905", other.loc,
        fmt::format("a timestamp moves by a duration (`24 h`, `30 min`, `45 s`) or days, but {} is {}",
                    subject.empty() ? "this value" : subject, kindWords(info(other).type)),
        a == TypeKind::Timestamp || b == TypeKind::Timestamp ? "" : "");
  return failedInfo();
}

// An argument of a time function: a plain value of the parameter's kind (days are no duration here).
bool Checker::checkTimeArgument(const ast::Expr& call, const TimeFunction& function, size_t index) {
  const ast::Expr& arg = *call.args[index];
  if (!plainValue(arg)) return false;
  TypeKind wanted = function.params[index];
  const ir::Type& type = info(arg).type;
  if (type.kind == wanted) return true;
  std::string subject = subjectWords(arg);
  std::string wanted_words = wanted == TypeKind::String ? "a time zone name (a string)" : kindWords(ir::Type::of(wanted));
  error("E0904", arg.loc,
        fmt::format("argument {} of `{}` is {}, but {} is {}", index + 1, function.name, wanted_words,
                    subject.empty() ? "this value" : subject, kindWords(type)),
        fmt::format("write {}", function.usage));
  return false;
}

// A zone written as a literal is looked up now: a typo is a check error, not a rejected row per record.
bool Checker::checkZoneLiteral(const ast::Expr& zone) {
  if (zone.kind != ast::ExprKind::StringLit || tz::findZone(zone.text)) return true;
  error("E0903", zone.loc, fmt::format("unknown time zone \"{}\"", zone.text),
        "write an IANA zone name of the system's tzdata, e.g. \"Europe/Berlin\" or \"UTC\"");
  return false;
}

// date(2025, 2, 29) with literal parts is checked now.
bool Checker::checkDateParts(const ast::Expr& call, const TimeFunction& function) {
  if (function.fn != ir::TimeFn::DateFromParts) return true;
  for (const auto& arg : call.args) {
    if (arg->kind != ast::ExprKind::IntLit) return true;
  }
  int64_t year = *parseInt(call.args[0]->text), month = *parseInt(call.args[1]->text), day = *parseInt(call.args[2]->text);
  if (year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= civil::monthDays(year, static_cast<int>(month))) {
    return true;
  }
  error("E0906", call.loc, fmt::format("date({}, {}, {}) is not a day of the calendar", year, month, day),
        "date_clamped(y, m, d) moves a day past the month's end to its last day");
  return false;
}

ExprInfo Checker::checkTimeCall(const ast::Expr& expr, const TimeFunction& function) {
  if (expr.args.size() != function.params.size()) {
    error("E0904", expr.loc,
          fmt::format("`{}` takes {} argument{}, not {}", function.name, function.params.size(),
                      function.params.size() == 1 ? "" : "s", expr.args.size()),
          fmt::format("write {}", function.usage));
    return failedInfo();
  }
  bool ok = true;
  for (const auto& arg : expr.args) ok = !check(*arg).failed && ok;
  for (size_t index = 0; ok && index < expr.args.size(); ++index) ok = checkTimeArgument(expr, function, index);
  if (ok && function.params.back() == TypeKind::String) ok = checkZoneLiteral(*expr.args.back());
  if (ok) ok = checkDateParts(expr, function);
  return ok ? typed(ir::Type::of(function.result)) : failedInfo();
}

std::optional<int64_t> timeLiteralValue(const ast::Expr& expr, const ir::Type& target) {
  switch (expr.kind) {
    case ast::ExprKind::TimestampLit: return civil::parseTimestamp(expr.text).seconds;
    case ast::ExprKind::TimeLit: return civil::parseTimeOfDay(expr.text);
    case ast::ExprKind::DurationLit: return durationSeconds(expr.text, expr.currency);
    case ast::ExprKind::DaysLit: {
      auto days = parseInt(expr.text);
      int64_t seconds = 0;
      if (!days || target.kind != TypeKind::Duration) return days;
      if (__builtin_mul_overflow(*days, civil::kSecondsPerDay, &seconds)) return std::nullopt;
      return seconds;
    }
    default: return std::nullopt;
  }
}

}  // namespace regelwerk::sema
