// Dates: Hinnant's conversions, strict YYYY-MM-DD parsing, leap rules, range edges, round trips.
#include <catch2/catch.hpp>

#include "runtime/columnar/civil_date.hpp"

using namespace regelwerk;

namespace {

int64_t parsed(std::string_view text) {
  int64_t days = -1;
  REQUIRE(parseDate(text, &days) == DateError::None);
  return days;
}

DateError errorOf(std::string_view text) {
  int64_t days = 0;
  return parseDate(text, &days);
}

}  // namespace

TEST_CASE("days since 1970-01-01 for known dates", "[date]") {
  CHECK(parsed("1970-01-01") == 0);
  CHECK(parsed("1970-01-02") == 1);
  CHECK(parsed("1969-12-31") == -1);
  CHECK(parsed("2000-03-01") == 11017);
  CHECK(parsed("2026-11-21") == 20778);
  CHECK(parsed("2024-02-29") == 19782);
  CHECK(parsed("0001-01-01") == -719162);
  CHECK(parsed("9999-12-31") == 2932896);
  CHECK(kMinDateDays == -719162);
  CHECK(kMaxDateDays == 2932896);
  // The dunning workload: overdue = as_of - due_date.
  CHECK(parsed("2026-11-21") - parsed("2025-01-01") == 689);
}

TEST_CASE("leap years follow the Gregorian rules", "[date]") {
  CHECK(isLeapYear(2024));
  CHECK_FALSE(isLeapYear(2025));
  CHECK_FALSE(isLeapYear(1900));
  CHECK(isLeapYear(2000));
  CHECK_FALSE(isLeapYear(2100));
  CHECK(isLeapYear(1600));
  CHECK(parsed("2024-02-29") + 1 == parsed("2024-03-01"));
  CHECK(errorOf("2025-02-29") == DateError::Day);
  CHECK(errorOf("1900-02-29") == DateError::Day);
  CHECK(parsed("2000-02-29") + 1 == parsed("2000-03-01"));
  CHECK(parsed("1900-02-28") + 1 == parsed("1900-03-01"));
  CHECK(parsed("2025-12-31") - parsed("2025-01-01") == 364);
  CHECK(parsed("2024-12-31") - parsed("2024-01-01") == 365);
}

TEST_CASE("month and day edges", "[date]") {
  CHECK(errorOf("2025-02-30") == DateError::Day);
  CHECK(errorOf("2025-04-31") == DateError::Day);
  CHECK(errorOf("2025-01-32") == DateError::Day);
  CHECK(errorOf("2025-01-00") == DateError::Day);
  CHECK(errorOf("2025-13-01") == DateError::Month);
  CHECK(errorOf("2025-00-10") == DateError::Month);
  CHECK(errorOf("0000-01-01") == DateError::Year);
  CHECK(parsed("2025-12-31") + 1 == parsed("2026-01-01"));
  CHECK(parsed("2025-01-31") + 1 == parsed("2025-02-01"));
  CHECK(parsed("2025-04-30") + 1 == parsed("2025-05-01"));
}

TEST_CASE("dates must be exactly YYYY-MM-DD", "[date]") {
  for (const char* text : {"", "2025-1-01", "2025-01-1", "25-01-01", "2025/01/01", "21.11.2026", "2025-01-01 ",
                           " 2025-01-01", "2025-01-01T00:00", "20250101", "+025-01-01", "2025-0a-01", "12025-01-01",
                           "2025-01--1"}) {
    INFO(text);
    CHECK(errorOf(text) == DateError::Syntax);
  }
}

TEST_CASE("every day from 0001 to 9999 round-trips", "[date]") {
  int64_t expected = kMinDateDays;
  for (int64_t year = 1; year <= 9999; ++year)
    for (int month = 1; month <= 12; ++month)
      for (int day = 1; day <= daysInMonth(year, month); ++day) {
        const int64_t days = daysFromCivil(year, month, day);
        if (days != expected) FAIL("gap at " << year << "-" << month << "-" << day);
        if (!(civilFromDays(days) == CivilDate{year, month, day})) FAIL("civilFromDays " << days);
        ++expected;
      }
  CHECK(expected == kMaxDateDays + 1);
}

TEST_CASE("dates format as ISO text", "[date]") {
  CHECK(formatDate(0) == "1970-01-01");
  CHECK(formatDate(20778) == "2026-11-21");
  CHECK(formatDate(kMinDateDays) == "0001-01-01");
  CHECK(formatDate(kMaxDateDays) == "9999-12-31");
  CHECK(formatDate(19782) == "2024-02-29");
  for (int64_t days = kMinDateDays; days <= kMaxDateDays; days += 997) CHECK(parsed(formatDate(days)) == days);
}
