// Typed cells: every input type's accepted text, stored value, and the reason for each rejection.
#include <catch2/catch.hpp>

#include "runtime/columnar/cell_parser.hpp"

using namespace regelwerk;
using ir::Type;
using ir::TypeKind;

namespace {

Type enumType(std::vector<std::string> members, bool optional = false) {
  Type type = Type::of(TypeKind::Enum);
  type.members = std::move(members);
  type.optional = optional;
  return type;
}

Type optionalOf(Type type) {
  type.optional = true;
  return type;
}

int64_t valueOf(const Type& type, std::string_view text, std::string_view format = "") {
  CellValue value;
  const std::string reason = parseCell(type, format, text, &value);
  INFO(text << ": " << reason);
  REQUIRE(reason.empty());
  REQUIRE_FALSE(value.missing);
  return value.i64;
}

std::string reasonFor(const Type& type, std::string_view text, std::string_view format = "",
                      std::string_view field = "") {
  CellValue value;
  return parseCell(type, format, text, &value, field);
}

}  // namespace

TEST_CASE("int and days cells", "[cell]") {
  const Type int_type = Type::of(TypeKind::Int);
  CHECK(valueOf(int_type, "42") == 42);
  CHECK(valueOf(int_type, "-7") == -7);
  CHECK(valueOf(int_type, "-9223372036854775808") == INT64_MIN);
  CHECK(reasonFor(int_type, "12.5") == "`12.5` is not an int (write digits, e.g. 42 or -7)");
  CHECK(reasonFor(int_type, "4x") == "`4x` is not an int (write digits, e.g. 42 or -7)");
  CHECK(reasonFor(int_type, "9223372036854775808") == "`9223372036854775808` is too large for int (beyond 64-bit range)");
  CHECK(reasonFor(int_type, " 42") ==
        "` 42` is not an int (write digits, e.g. 42 or -7) (note the leading or trailing space: cells are not trimmed)");
  const Type days = Type::of(TypeKind::Days);
  CHECK(valueOf(days, "14") == 14);
  CHECK(reasonFor(days, "14 days") == "`14 days` is not a number of days (write a whole number, e.g. 14)");
}

TEST_CASE("decimal and money cells at the type's scale", "[cell]") {
  const Type money = Type::of(TypeKind::Money, 2);
  CHECK(valueOf(money, "12.50") == 1250);
  CHECK(valueOf(money, "12.5") == 1250);
  CHECK(valueOf(money, "-0.05") == -5);
  CHECK(valueOf(money, "3") == 300);
  CHECK(reasonFor(money, "12.345") == "`12.345` has 3 decimal places; money allows 2");
  CHECK(reasonFor(money, "12,50") == "`12,50` is not an amount (write e.g. 12.50 or -3, without currency)");
  CHECK(reasonFor(money, "12.50 EUR") == "`12.50 EUR` is not an amount (write e.g. 12.50 or -3, without currency)");
  const Type decimal4 = Type::of(TypeKind::Decimal, 4);
  CHECK(valueOf(decimal4, "1.5") == 15000);
  CHECK(reasonFor(decimal4, "1.23456") == "`1.23456` has 5 decimal places; decimal(4) allows 4");
  CHECK(reasonFor(Type::of(TypeKind::Decimal, 0), "1.5") == "`1.5` has 1 decimal place; decimal(0) allows 0");
  CHECK(reasonFor(money, "99999999999999999999") == "`99999999999999999999` is too large for money (beyond 64-bit range)");
}

TEST_CASE("money with format cents reads integer minor units", "[cell]") {
  const Type money = Type::of(TypeKind::Money, 2);
  CHECK(valueOf(money, "1250", "cents") == 1250);
  CHECK(valueOf(money, "-5", "cents") == -5);
  CHECK(valueOf(Type::of(TypeKind::Money, 4), "1250", "cents") == 125000);  // 12.50 at scale 4
  CHECK(reasonFor(money, "12.50", "cents") ==
        "`12.50` is not a whole number of cents (format \"cents\": write 1250 for 12.50)");
  CHECK(reasonFor(Type::of(TypeKind::Money, 18), "1000", "cents") ==
        "`1000` is too large for money (beyond 64-bit range)");
}

TEST_CASE("percent cells are percent numbers stored as fractions", "[cell]") {
  const Type percent4 = Type::of(TypeKind::Percent, 4);
  CHECK(valueOf(percent4, "1.27") == 127);  // 1.27% = 0.0127
  CHECK(valueOf(percent4, "5") == 500);     // 5% = 0.05
  CHECK(valueOf(percent4, "-0.88") == -88);
  CHECK(valueOf(Type::of(TypeKind::Percent, 2), "5") == 5);
  CHECK(reasonFor(percent4, "1.275") == "`1.275` has 3 decimal places; percent allows 2");
  CHECK(reasonFor(percent4, "5%") == "`5%` is not a percent number (write 5 for 5%, 1.27 for 1.27%)");
  const Type percent1 = Type::of(TypeKind::Percent, 1);  // steps of 10%
  CHECK(valueOf(percent1, "50") == 5);
  CHECK(reasonFor(percent1, "15") == "`15` cannot be stored exactly as percent at scale 1");
}

TEST_CASE("bool, date, enum and string cells", "[cell]") {
  const Type boolean = Type::of(TypeKind::Bool);
  CHECK(valueOf(boolean, "true") == 1);
  CHECK(valueOf(boolean, "false") == 0);
  CHECK(reasonFor(boolean, "TRUE") == "`TRUE` is not a bool (write true or false)");
  CHECK(reasonFor(boolean, "1") == "`1` is not a bool (write true or false)");
  const Type date = Type::of(TypeKind::Date);
  CHECK(valueOf(date, "2026-11-21") == 20778);
  CHECK(reasonFor(date, "2025-02-30") == "`2025-02-30` is not a date (February 2025 has 28 days)");
  CHECK(reasonFor(date, "2024-04-31") == "`2024-04-31` is not a date (April 2024 has 30 days)");
  CHECK(reasonFor(date, "2025-13-01") == "`2025-13-01` is not a date (there is no month 13)");
  CHECK(reasonFor(date, "0000-01-01") == "`0000-01-01` is not a date (years run from 0001 to 9999)");
  CHECK(reasonFor(date, "2025-01-00") == "`2025-01-00` is not a date (there is no day 00)");
  CHECK(reasonFor(date, "21.11.2026") == "`21.11.2026` is not a date (write YYYY-MM-DD, e.g. 2026-11-21)");
  const Type customer = enumType({"consumer", "business"});
  CHECK(valueOf(customer, "consumer") == 0);
  CHECK(valueOf(customer, "business") == 1);
  CHECK(reasonFor(customer, "premium") == "`premium` is not one of consumer, business");
  CHECK(reasonFor(customer, "Consumer") == "`Consumer` is not one of consumer, business");
  CHECK(reasonFor(customer, "consume") == "`consume` is not one of consumer, business");
  CellValue value;
  CHECK(parseCell(Type::of(TypeKind::String), "", " as is, ", &value).empty());
  CHECK(value.str == " as is, ");
  CHECK_FALSE(value.missing);
}

TEST_CASE("empty cells: missing for T?, empty for string, else an error", "[cell]") {
  CellValue value;
  CHECK(parseCell(optionalOf(Type::of(TypeKind::Date)), "", "", &value).empty());
  CHECK(value.missing);
  CHECK(parseCell(Type::of(TypeKind::String), "", "", &value).empty());
  CHECK_FALSE(value.missing);
  CHECK(value.str.empty());
  CHECK(parseCell(optionalOf(Type::of(TypeKind::String)), "", "", &value).empty());
  CHECK(value.missing);
  CHECK(reasonFor(Type::of(TypeKind::Date), "", "", "due_date") ==
        "empty cell, but `due_date` is not optional (declare it `date?`)");
  CHECK(reasonFor(Type::of(TypeKind::Money, 2), "") == "empty cell, but the field is not optional (declare it `money?`)");
  CHECK(reasonFor(enumType({"a", "b"}), "", "", "kind") ==
        "empty cell, but `kind` is not optional (declare it `enum(a, b)?`)");
  // A present value in an optional column is not missing.
  CHECK(parseCell(optionalOf(Type::of(TypeKind::Int)), "", "5", &value).empty());
  CHECK_FALSE(value.missing);
  CHECK(value.i64 == 5);
}

TEST_CASE("long cell text is shortened in messages", "[cell]") {
  const std::string long_text(200, 'x');
  const std::string reason = reasonFor(Type::of(TypeKind::Int), long_text);
  CHECK(reason == "`" + std::string(60, 'x') + "…` (200 bytes) is not an int (write digits, e.g. 42 or -7)");
  // Never cut inside a UTF-8 sequence: 59 ASCII bytes then a two-byte ü straddling byte 60.
  const std::string text = std::string(59, 'a') + "\xC3\xBC" + std::string(10, 'b');
  CHECK(quoteForMessage(text) == "`" + std::string(59, 'a') + "…` (71 bytes)");
}
