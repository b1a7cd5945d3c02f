// Exact parsing of literal text (numbers, dates) shared by the checker, which reports bad literals,
// and by lowering, which turns checked literals into constants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regelwerk::sema {

// A fixed-point number: `12.50` is {1250, 2}.
struct Fixed {
  int64_t value = 0;
  int scale = 0;
};

enum class FixedError { None, OutOfRange, TooManyPlaces, Malformed };

struct FixedResult {
  Fixed fixed;
  FixedError error = FixedError::None;
};

// "12.50" -> {1250, 2}. `extra_scale` shifts the point: a percent "1.27" with extra_scale 2 is the
// fraction 0.0127 -> {127, 4}. More than 18 places or a value outside int64 is an error.
FixedResult parseFixed(std::string_view text, int extra_scale = 0);

// "42" -> 42; nullopt outside int64 or when not all digits.
std::optional<int64_t> parseInt(std::string_view text);

enum class DateError { None, Malformed, YearRange, MonthRange, DayRange };

struct DateResult {
  int64_t days = 0;  // since 1970-01-01
  DateError error = DateError::None;
  int year = 0, month = 0, day = 0;
};

// "2026-11-21" -> days since 1970-01-01; checks the calendar (2025-02-30 is an error) and the range
// 0001-01-01 .. 9999-12-31.
DateResult parseDate(std::string_view text);

int daysInMonth(int year, int month);
int64_t daysFromCivil(int year, int month, int day);

// 10^exponent for 0 <= exponent <= 18.
int64_t powerOfTen(int exponent);

}  // namespace regelwerk::sema
