// Calendar dates <-> days since 1970-01-01 (proleptic Gregorian, Hinnant's algorithms), strict ISO text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace regelwerk {

struct CivilDate {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

constexpr bool isLeapYear(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

constexpr int daysInMonth(int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a valid civil date (Hinnant's days_from_civil).
// Example: daysFromCivil(1970, 1, 1) == 0, daysFromCivil(2026, 11, 21) == 20778.
constexpr int64_t daysFromCivil(int64_t year, int month, int day) {
  const int64_t y = month <= 2 ? year - 1 : year;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                                    // [0, 399]
  const int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

// The civil date of a day count (Hinnant's civil_from_days); valid for any int64 within ±2^55.
CivilDate civilFromDays(int64_t days);

// The language's date range: 0001-01-01 .. 9999-12-31.
inline constexpr int64_t kMinDateDays = daysFromCivil(1, 1, 1);
inline constexpr int64_t kMaxDateDays = daysFromCivil(9999, 12, 31);

enum class DateError : uint8_t {
  None,
  Syntax,  // not YYYY-MM-DD with ASCII digits
  Year,    // year 0000
  Month,   // month 00 or > 12
  Day,     // day 00 or beyond the month's length
};

// Parses exactly `YYYY-MM-DD` into days since 1970-01-01.
// Example: "2024-02-29" -> 19782; "2025-02-29" -> DateError::Day.
DateError parseDate(std::string_view text, int64_t* days);

// Length of writeDate's output for dates in range; out-of-range years widen it.
inline constexpr size_t kMaxDateChars = 32;

// Writes the ISO date of `days` into buffer (kMaxDateChars bytes); returns the length.
size_t writeDate(int64_t days, char* buffer);
void appendDate(int64_t days, std::string* out);
std::string formatDate(int64_t days);

}  // namespace regelwerk
