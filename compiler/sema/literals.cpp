// Exact literal parsing: no floating point anywhere, every number error becomes a diagnostic.
#include "literals.hpp"

#include <cassert>
#include <limits>

#include "compiler/ir/type.hpp"

namespace regelwerk::sema {

int64_t powerOfTen(int exponent) {
  assert(exponent >= 0 && exponent <= 18 && "int64 holds powers of ten up to 10^18");
  int64_t power = 1;
  for (int step = 0; step < exponent; ++step) power *= 10;
  return power;
}

static bool isDigit(char ch) { return ch >= '0' && ch <= '9'; }

// Appends one digit to `value` (value * 10 + digit); false on int64 overflow.
static bool appendDigit(int64_t& value, char digit) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t add = digit - '0';
  if (value > (kMax - add) / 10) return false;
  value = value * 10 + add;
  return true;
}

std::optional<int64_t> parseInt(std::string_view text) {
  if (text.empty()) return std::nullopt;
  int64_t value = 0;
  for (char ch : text) {
    if (!isDigit(ch) || !appendDigit(value, ch)) return std::nullopt;
  }
  return value;
}

FixedResult parseFixed(std::string_view text, int extra_scale) {
  FixedResult result;
  size_t point = text.find('.');
  std::string_view whole = text.substr(0, point);
  std::string_view places = point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  result.fixed.scale = static_cast<int>(places.size()) + extra_scale;
  if (whole.empty()) return {{}, FixedError::Malformed};
  if (result.fixed.scale > ir::kMaxScale) {
    result.error = FixedError::TooManyPlaces;
    return result;
  }
  int64_t value = 0;
  for (std::string_view part : {whole, places}) {
    for (char ch : part) {
      if (!isDigit(ch)) return {{}, FixedError::Malformed};
      if (!appendDigit(value, ch)) return {{}, FixedError::OutOfRange};
    }
  }
  result.fixed.value = value;
  return result;
}

static bool isLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && isLeapYear(year)) return 29;
  return kDays[month - 1];
}

// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
int64_t daysFromCivil(int year, int month, int day) {
  int64_t y = year - (month <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t year_of_era = y - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

static std::optional<int> digitsAt(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t offset = 0; offset < count; ++offset) {
    char ch = text[pos + offset];
    if (!isDigit(ch)) return std::nullopt;
    value = value * 10 + (ch - '0');
  }
  return value;
}

DateResult parseDate(std::string_view text) {
  DateResult result;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return {0, DateError::Malformed};
  auto year = digitsAt(text, 0, 4), month = digitsAt(text, 5, 2), day = digitsAt(text, 8, 2);
  if (!year || !month || !day) return {0, DateError::Malformed};
  result.year = *year;
  result.month = *month;
  result.day = *day;
  if (*year < 1) result.error = DateError::YearRange;
  else if (*month < 1 || *month > 12) result.error = DateError::MonthRange;
  else if (*day < 1 || *day > daysInMonth(*year, *month)) result.error = DateError::DayRange;
  else result.days = daysFromCivil(*year, *month, *day);
  return result;
}

}  // namespace regelwerk::sema
