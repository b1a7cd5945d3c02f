// Type checking of the conversions: `missing` (a `T?` with no value, typed by its context), string
// concatenation `a ++ b`, and `int(x, MODE)` (a whole number from a decimal, money, a quotient or days).
#include <fmt/format.h>

#include "checker.hpp"
#include "round_modes.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

// `missing` has the type the context expects, made optional: `output reason: string? = missing`,
// `then fee = missing`, the other branch of an `if` or the left side of `??`. With no context there
// is no type to give it: `let x = missing` is E0330.
ExprInfo Checker::checkMissing(const ast::Expr& expr, const ir::Type* hint) {
  if (!hint) {
    error("E0330", expr.loc, "`missing` has no type here: nothing says what kind of value is missing",
          "declare the type, as in `let x: money? = missing`, or write it as an `if` branch beside a value: "
          "`if c then fee else missing`");
    return failedInfo();
  }
  ir::Type type = hint->required();
  type.optional = true;
  return typed(type);
}

// `missing` stored in a let, output or parameter that cannot be missing (`output fee: money = missing`).
bool Checker::reportMissingStored(const ast::Expr& value, const ir::Type& target, std::string_view target_name) {
  if (info(value).failed) return false;
  if (target.optional) return true;
  error("E0331", value.loc, fmt::format("{} is {}, which is never missing", target_name, kindWords(target)),
        fmt::format("declare it `{}?` if it may be missing", ir::typeName(target)));
  return false;
}

// `"A-" ++ code`: both sides strings that are present. Other kinds are not formatted on their own.
ExprInfo Checker::checkConcat(const ast::Expr& expr) {
  bool ok = true;
  for (const auto& operand : expr.args) {
    check(*operand);
    if (!plainValue(*operand)) {
      ok = false;
      continue;
    }
    if (info(*operand).type.kind == TypeKind::String) continue;
    std::string subject = subjectWords(*operand);
    error("E0333", operand->loc,
          fmt::format("`++` joins strings, but {} is {}", subject.empty() ? "this value" : subject,
                      kindWords(info(*operand).type)),
          fmt::format("write text({}) to join it as the CSV writer writes it",
                      operand->kind == ast::ExprKind::Name ? operand->text : "x"));
    ok = false;
  }
  return ok ? typed(ir::Type::of(TypeKind::String)) : failedInfo();
}

// text(x): any value that is present, written as the CSV writer writes an output of its type.
ExprInfo Checker::checkText(const ast::Expr& expr) {
  if (expr.args.size() != 1) {
    error("E0312", expr.loc, fmt::format("`text` takes 1 argument, not {}", expr.args.size()), "write text(x)");
    return failedInfo();
  }
  check(*expr.args[0]);
  if (!plainValue(*expr.args[0])) return failedInfo();
  return typed(ir::Type::of(TypeKind::String));
}

// int(x, MODE) is round(x, 0, MODE) as an int; the mode must be written (no `rounding` default), so
// the reader sees how 2.5 becomes 2 or 3. Days and ints are whole: int(d) takes no mode.
ExprInfo Checker::checkIntConversion(const ast::Expr& expr) {
  if (expr.args.empty() || expr.args.size() > 2) {
    error("E0312", expr.loc, fmt::format("`int` takes 1 or 2 arguments, not {}", expr.args.size()),
          "write int(x, half_up) for a decimal or money, int(d) for days");
    return failedInfo();
  }
  const ast::Expr& value = *expr.args[0];
  check(value);
  if (!plainValue(value, true)) return failedInfo();
  const ExprInfo& checked = info(value);
  TypeKind kind = checked.type.kind;
  std::string subject = subjectWords(value);
  if (subject.empty()) subject = "this value";
  std::string name = value.kind == ast::ExprKind::Name ? value.text : "x";
  bool whole = !checked.quotient && (kind == TypeKind::Int || kind == TypeKind::Days);
  if (!whole && kind != TypeKind::Decimal && kind != TypeKind::Money && !checked.quotient) {
    error("E0336", value.loc,
          fmt::format("`int` converts decimals, money and days, but {} is {}", subject, kindWords(checked.type)),
          kind == TypeKind::Percent ? "a percent is a fraction (5% is 0.05); round it instead: round(rate, 0, half_up)"
          : kind == TypeKind::Date  ? "the days between two dates are `int(later - earlier)`"
                                    : "");
    return failedInfo();
  }
  if (whole && expr.args.size() == 2) {
    error("E0335", expr.args[1]->loc,
          fmt::format("{} is {}, which is whole: a rounding mode changes nothing", subject, kindWords(checked.type)),
          fmt::format("write int({}) without a mode", name));
    return failedInfo();
  }
  if (!whole && expr.args.size() == 1) {
    error("E0334", expr.loc,
          fmt::format("`int` of {} must say how to round: {} may have places", kindWords(checked.type), subject),
          fmt::format("write int({}, half_up), or another mode: {}", name, roundModeList()));
    return failedInfo();
  }
  if (expr.args.size() == 2 && !checkModeArgument(*expr.args[1])) return failedInfo();
  return typed(ir::Type::of(TypeKind::Int));
}

}  // namespace regelwerk::sema
