// Calendar arithmetic and strict ISO date text for date cells.
#include "civil_date.hpp"


namespace regelwerk {

namespace {

inline int digitAt(std::string_view text, size_t index) { return static_cast<unsigned char>(text[index]) - '0'; }

inline bool isDigitAt(std::string_view text, size_t index) { return static_cast<unsigned>(digitAt(text, index)) < 10; }

// `YYYY-MM-DD`: ten bytes, digits everywhere except the two dashes.
bool hasIsoShape(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t index : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!isDigitAt(text, index)) return false;
  return true;
}

}  // namespace

CivilDate civilFromDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;                                                       // [0, 146096]
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // [0, 365]
  const int64_t shifted_month = (5 * day_of_year + 2) / 153;                                          // [0, 11]
  const int day = static_cast<int>(day_of_year - (153 * shifted_month + 2) / 5 + 1);
  const int month = static_cast<int>(shifted_month < 10 ? shifted_month + 3 : shifted_month - 9);
  const int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  return CivilDate{year, month, day};
}

DateError parseDate(std::string_view text, int64_t* days) {
  if (!hasIsoShape(text)) return DateError::Syntax;
  const int year = digitAt(text, 0) * 1000 + digitAt(text, 1) * 100 + digitAt(text, 2) * 10 + digitAt(text, 3);
  const int month = digitAt(text, 5) * 10 + digitAt(text, 6);
  const int day = digitAt(text, 8) * 10 + digitAt(text, 9);
  if (year == 0) return DateError::Year;
  if (month < 1 || month > 12) return DateError::Month;
  if (day < 1 || day > daysInMonth(year, month)) return DateError::Day;
  *days = daysFromCivil(year, month, day);
  return DateError::None;
}

// Writes `value` with at least `width` digits (zero padded); returns the length.
static size_t writePadded(int64_t value, int width, char* buffer) {
  char digits[24];
  int count = 0;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do {
    digits[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  while (count < width) digits[count++] = '0';
  char* pos = buffer;
  if (value < 0) *pos++ = '-';
  while (count > 0) *pos++ = digits[--count];
  return static_cast<size_t>(pos - buffer);
}

// Writes two digits of a value in 0..99.
static inline void writeTwoDigits(int value, char* buffer) {
  buffer[0] = static_cast<char>('0' + value / 10);
  buffer[1] = static_cast<char>('0' + value % 10);
}

size_t writeDate(int64_t days, char* buffer) {
  const CivilDate date = civilFromDays(days);
  size_t length = 0;
  if (date.year >= 0 && date.year <= 9999) {  // the language's range: fixed width, no loops
    writeTwoDigits(static_cast<int>(date.year / 100), buffer);
    writeTwoDigits(static_cast<int>(date.year % 100), buffer + 2);
    length = 4;
  } else {
    length = writePadded(date.year, 4, buffer);
  }
  buffer[length] = '-';
  writeTwoDigits(date.month, buffer + length + 1);
  buffer[length + 3] = '-';
  writeTwoDigits(date.day, buffer + length + 4);
  return length + 6;
}

void appendDate(int64_t days, std::string* out) {
  char buffer[kMaxDateChars];
  out->append(buffer, writeDate(days, buffer));
}

std::string formatDate(int64_t days) {
  std::string out;
  appendDate(days, &out);
  return out;
}

}  // namespace regelwerk
