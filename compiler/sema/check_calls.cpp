// Built-in functions: round, min, max, abs. Their arity and argument kinds are checked here; lowering
// turns them into RoundDiv, nested Min/Max and Abs.
#include <fmt/format.h>

#include "checker.hpp"
#include "literals.hpp"
#include "round_modes.hpp"
#include "time_functions.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

// The built-in functions, as the hint of an unknown function lists them.
static const std::vector<std::string>& builtinFunctions() {
  static const std::vector<std::string> names = {"abs",   "accrue",     "at_local",   "date", "date_clamped", "day",
                                                 "int",   "local_date", "local_time", "max",  "min",          "month",
                                                 "round", "text",       "weekday",    "year"};
  return names;
}

ExprInfo Checker::checkCall(const ast::Expr& expr) {
  auto table = tables_.find(expr.text);
  if (table != tables_.end()) return checkTableLookup(expr, table->second);
  if (!expr.member.empty()) {
    error("E0709", expr.member_loc, fmt::format("`{}` is not a table, so `.{}` reads nothing", expr.text, expr.member));
    return failedInfo();
  }
  auto function = functions_.find(expr.text);
  if (function != functions_.end()) return checkFunctionCall(expr, function->second);
  if (expr.text == "accrue") return checkAccrue(expr);
  for (const ast::FunctionDecl& later : ast_.functions) {
    if (later.name != expr.text) continue;
    error("E0807", expr.loc, fmt::format("function `{}` is declared later, at line {}", expr.text, later.loc.line),
          "a function can call only the functions declared before it (so there is no recursion)");
    return failedInfo();
  }
  for (size_t arg = 0; arg < expr.arg_names.size(); ++arg) {
    if (expr.arg_names[arg].empty()) continue;
    error("E0313", expr.args[arg]->loc,
          fmt::format("`{}` takes no named arguments; `{}:` is not supported", expr.text, expr.arg_names[arg]),
          "write the arguments in order");
    return failedInfo();
  }
  if (expr.text == "round") return checkRound(expr);
  if (expr.text == "int") return checkIntConversion(expr);
  if (expr.text == "text") return checkText(expr);
  if (expr.text == "min" || expr.text == "max") return checkMinMax(expr);
  if (expr.text == "abs") return checkAbs(expr);
  if (const TimeFunction* time = timeFunction(expr.text)) return checkTimeCall(expr, *time);
  error("E0208", expr.loc, fmt::format("unknown function `{}`", expr.text),
        functionHint(expr.text, builtinFunctions()));
  return failedInfo();
}

// `places` must be an int literal 0..18: it fixes the scale of the result at compile time.
static std::optional<int> literalPlaces(const ast::Expr& places) {
  if (places.kind != ast::ExprKind::IntLit) return std::nullopt;
  auto value = parseInt(places.text);
  if (!value || *value > ir::kMaxScale) return std::nullopt;
  return static_cast<int>(*value);
}

// The type round(x, places) gives: x's kind with `places` places. Places count as the language
// writes the number, so round(rate, 2) of a percent keeps 2 places of percent (fraction scale 4). An
// int rounded to places > 0 becomes a decimal; days have no places.
static std::optional<ir::Type> roundedType(const ir::Type& value, int places) {
  ir::Type out = value.required();
  switch (value.kind) {
    case TypeKind::Int:
      if (places > 0) out.kind = TypeKind::Decimal;
      out.scale = places;
      return out;
    case TypeKind::Days:
    case TypeKind::Duration:
      if (places != 0) return std::nullopt;
      out.scale = 0;
      return out;
    case TypeKind::Percent:
      if (places + 2 > ir::kMaxScale) return std::nullopt;
      out.scale = places + 2;
      return out;
    default: out.scale = places; return out;
  }
}

ExprInfo Checker::checkRound(const ast::Expr& expr) {
  if (expr.args.size() != 2 && expr.args.size() != 3) {
    error("E0312", expr.loc, fmt::format("`round` takes 2 or 3 arguments, not {}", expr.args.size()),
          "write round(x, places) or round(x, places, mode)");
    return failedInfo();
  }
  const ast::Expr& value = *expr.args[0];
  check(value);
  check(*expr.args[1]);
  bool ok = plainValue(value, true);
  if (ok && !isNumericKind(info(value).type.kind)) {
    reportNotNumber(value, "round");
    ok = false;
  }
  auto places = literalPlaces(*expr.args[1]);
  if (!places && !info(*expr.args[1]).failed) {
    error("E0310", expr.args[1]->loc, "the places of `round` must be a whole number from 0 to 18, written as a literal",
          "write round(x, 2)");
    ok = false;
  }
  if (expr.args.size() == 3) ok = checkModeArgument(*expr.args[2]) && ok;
  if (!ok || !places) return failedInfo();
  auto type = roundedType(info(value).type, *places);
  if (!type) {
    error("E0310", expr.args[1]->loc,
          info(value).type.kind == TypeKind::Percent ? "a percent has at most 16 places"
                                                     : fmt::format("{} is whole, so it rounds to 0 places",
                                                                   kindWords(info(value).type)),
          info(value).type.kind == TypeKind::Percent ? "" : "write round(x, 0)");
    return failedInfo();
  }
  return typed(*type);
}

// The mode argument of round(x, 2, MODE) and int(x, MODE): a bare rounding-mode name.
bool Checker::checkModeArgument(const ast::Expr& mode) {
  if (mode.kind == ast::ExprKind::Name && roundModeNamed(mode.text)) return true;
  std::string written = mode.kind == ast::ExprKind::Name ? " `" + mode.text + "`" : "";
  error("E0311", mode.loc, fmt::format("unknown rounding mode{}; the modes are {}", written, roundModeList()),
        closestRoundMode(mode.text));
  return false;
}

// min(a, b, ...) and max(...): values of one kind; the result has the widest scale.
ExprInfo Checker::checkMinMax(const ast::Expr& expr) {
  if (expr.args.size() < 2) {
    error("E0312", expr.loc, fmt::format("`{}` needs at least 2 arguments", expr.text),
          fmt::format("write {}(a, b)", expr.text));
    return failedInfo();
  }
  bool ok = true;
  for (const auto& arg : expr.args) ok = !check(*arg).failed && ok;
  for (const auto& arg : expr.args) ok = ok && plainValue(*arg);
  if (!ok) return failedInfo();
  ir::Type result = info(*expr.args[0]).type;
  for (const auto& arg : expr.args) {
    const ir::Type& type = info(*arg).type;
    if (!isOrderableKind(type.kind)) return reportNotNumber(*arg, expr.text), failedInfo();
    auto common = commonType(result, type);
    if (!common) return reportMismatch(*expr.args[0], *arg, "E0312", expr.text), failedInfo();
    result = *common;
  }
  return typed(result);
}

ExprInfo Checker::checkAbs(const ast::Expr& expr) {
  if (expr.args.size() != 1) {
    error("E0312", expr.loc, fmt::format("`abs` takes 1 argument, not {}", expr.args.size()), "write abs(x)");
    return failedInfo();
  }
  const ast::Expr& value = *expr.args[0];
  check(value);
  if (!plainValue(value)) return failedInfo();
  if (!isNumericKind(info(value).type.kind)) return reportNotNumber(value, "abs"), failedInfo();
  return typed(info(value).type);
}

}  // namespace regelwerk::sema
