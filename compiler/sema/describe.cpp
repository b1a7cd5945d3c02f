// Types and expressions in the words an analyst uses: "`fee` is money but this value is an int".
#include <fmt/format.h>

#include "checker.hpp"
#include "literals.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

std::string kindWords(const ir::Type& type) {
  switch (type.kind) {
    case TypeKind::Bool: return "a bool";
    case TypeKind::Int: return "an int";
    case TypeKind::Decimal: return "a decimal";
    case TypeKind::Money: return "money";
    case TypeKind::Percent: return "a percent";
    case TypeKind::Date: return "a date";
    case TypeKind::Days: return "a number of days";
    case TypeKind::Timestamp: return "a timestamp";
    case TypeKind::Duration: return "a duration";
    case TypeKind::Time: return "a time of day";
    case TypeKind::String: return "a string";
    case TypeKind::Enum: return "an " + ir::typeName(type.required());
  }
  return "a value";
}

bool isNumericKind(TypeKind kind) {
  return kind == TypeKind::Int || kind == TypeKind::Decimal || kind == TypeKind::Money ||
         kind == TypeKind::Percent || kind == TypeKind::Days || kind == TypeKind::Duration;
}

bool isLiteral(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::DecimalLit:
    case ast::ExprKind::MoneyLit:
    case ast::ExprKind::PercentLit:
    case ast::ExprKind::DateLit:
    case ast::ExprKind::DaysLit:
    case ast::ExprKind::StringLit:
    case ast::ExprKind::TimestampLit:
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::TimeLit:
    case ast::ExprKind::BoolLit: return true;
    default: return false;
  }
}

std::string literalText(const ast::Expr& expr) {
  switch (expr.kind) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::DecimalLit:
    case ast::ExprKind::DateLit:
    case ast::ExprKind::TimestampLit:
    case ast::ExprKind::TimeLit:
    case ast::ExprKind::BoolLit: return expr.text;
    case ast::ExprKind::DurationLit: return expr.text + " " + expr.currency;
    case ast::ExprKind::MoneyLit: return expr.text + " " + expr.currency;
    case ast::ExprKind::PercentLit: return expr.text + "%";
    case ast::ExprKind::DaysLit: return expr.text + (expr.text == "1" ? " day" : " days");
    case ast::ExprKind::StringLit: return "\"" + expr.text + "\"";
    default: return "";
  }
}

std::string subjectWords(const ast::Expr& expr) {
  if (expr.kind == ast::ExprKind::Name) return "`" + expr.text + "`";
  if (isLiteral(expr)) return "`" + literalText(expr) + "`";
  if (expr.kind == ast::ExprKind::Missing) return "`missing`";
  return "";
}

int languagePlaces(const ir::Type& type) {
  return type.kind == TypeKind::Percent ? type.scale - 2 : type.scale;
}

std::string placesWords(const ir::Type& type) {
  int places = languagePlaces(type);
  return fmt::format("{} place{}", places, places == 1 ? "" : "s");
}

// `5` wanted as money -> "5.00"; keeps the places a literal already has if it has at least two.
static std::string withMoneyPlaces(const std::string& number) {
  size_t point = number.find('.');
  if (point == std::string::npos) return number + ".00";
  size_t places = number.size() - point - 1;
  return places >= 2 ? number : number + std::string(2 - places, '0');
}

// What to write instead of a plain number literal where another kind is expected: `fee = 5` gets
// "write 5.00 EUR", `rate + 5` gets "write 5%", `overdue >= 14` gets "write 14 days", `at > 2025-03-04`
// (a timestamp and a date) gets the instant at midnight UTC and how to take an instant's day instead.
std::string literalHint(const ast::Expr& blamed, const ir::Type& wanted) {
  if (blamed.kind == ast::ExprKind::DateLit && wanted.kind == TypeKind::Timestamp) {
    return fmt::format("write an instant: {}T00:00:00Z is midnight UTC; local_date(t, \"Europe/Berlin\") is the "
                       "day of an instant t",
                       blamed.text);
  }
  bool number = blamed.kind == ast::ExprKind::IntLit || blamed.kind == ast::ExprKind::DecimalLit;
  if (!number) return "";
  switch (wanted.kind) {
    case TypeKind::Money: return fmt::format("write {} {}", withMoneyPlaces(blamed.text), wanted.currency);
    case TypeKind::Percent: return fmt::format("write {}%", blamed.text);
    case TypeKind::Days:
      if (blamed.kind != ast::ExprKind::IntLit) return "";
      return fmt::format("write {} {}", blamed.text, blamed.text == "1" ? "day" : "days");
    case TypeKind::Duration:
      if (blamed.kind != ast::ExprKind::IntLit) return "";
      return fmt::format("write {0} s, {0} min, {0} h or {0} days", blamed.text);
    default: return "";
  }
}

}  // namespace regelwerk::sema
