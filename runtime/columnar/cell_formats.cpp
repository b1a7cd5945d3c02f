// Declared input formats: ordered dates, two-text bools, ints with a zero fraction, local timestamps.
#include "runtime/columnar/cell_formats.hpp"

#include <cstring>

#include "compiler/support/civil_time.hpp"
#include "runtime/columnar/civil_date.hpp"

namespace regelwerk {

bool dateOrderNamed(std::string_view format, DateOrder* order) {
  if (format.empty() || format == "YYYY-MM-DD") *order = DateOrder::Iso;
  else if (format == "M/D/YYYY") *order = DateOrder::MonthFirst;
  else if (format == "D.M.YYYY") *order = DateOrder::DayFirst;
  else return false;
  return true;
}

namespace {

// Reads 1..max_digits digits at `pos`; false when there are none or more.
bool readNumber(std::string_view text, size_t* pos, size_t max_digits, int* out) {
  size_t start = *pos;
  int value = 0;
  while (*pos < text.size() && text[*pos] >= '0' && text[*pos] <= '9' && *pos - start < max_digits) {
    value = value * 10 + (text[*pos] - '0');
    ++*pos;
  }
  *out = value;
  return *pos > start && (*pos == text.size() || text[*pos] < '0' || text[*pos] > '9');
}

}  // namespace

bool parseOrderedDate(std::string_view text, DateOrder order, int64_t* days) {
  const char separator = order == DateOrder::MonthFirst ? '/' : '.';
  size_t pos = 0;
  int first = 0, second = 0, year = 0;
  if (!readNumber(text, &pos, 2, &first) || pos >= text.size() || text[pos++] != separator) return false;
  if (!readNumber(text, &pos, 2, &second) || pos >= text.size() || text[pos++] != separator) return false;
  size_t year_start = pos;
  if (!readNumber(text, &pos, 4, &year) || pos != text.size() || pos - year_start != 4) return false;
  int month = order == DateOrder::MonthFirst ? first : second;
  int day = order == DateOrder::MonthFirst ? second : first;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  *days = daysFromCivil(year, month, day);
  return true;
}

bool boolTextsNamed(std::string_view format, std::string* true_text, std::string* false_text) {
  size_t slash = format.find('/');
  if (slash == std::string_view::npos || format.find('/', slash + 1) != std::string_view::npos) return false;
  *true_text = std::string(format.substr(0, slash));
  *false_text = std::string(format.substr(slash + 1));
  return !true_text->empty() && !false_text->empty() && *true_text != *false_text;
}

std::string_view stripZeroFraction(std::string_view text) {
  size_t point = text.find('.');
  if (point == std::string_view::npos) return text;
  if (point + 1 == text.size()) return {};
  for (size_t pos = point + 1; pos < text.size(); ++pos) {
    if (text[pos] != '0') return {};
  }
  return text.substr(0, point);
}

std::string_view localZoneNamed(std::string_view format) {
  constexpr std::string_view kPrefix = "local ";
  if (format.size() <= kPrefix.size() || format.substr(0, kPrefix.size()) != kPrefix) return {};
  return format.substr(kPrefix.size());
}

bool parseLocalDateTime(std::string_view text, int64_t* local) {
  if (text.size() != 16 && text.size() != 19) return false;
  if (text[10] != ' ' && text[10] != 'T') return false;
  char iso[20];  // YYYY-MM-DDTHH:MM:SSZ, read by the timestamp parser as if it were UTC
  std::memcpy(iso, text.data(), text.size());
  iso[10] = 'T';
  if (text.size() == 16) std::memcpy(iso + 16, ":00", 3);
  iso[19] = 'Z';
  civil::TimestampText parsed = civil::parseTimestamp(std::string_view(iso, sizeof iso));
  if (parsed.error != civil::TimeTextError::None) return false;
  *local = parsed.seconds;
  return true;
}

}  // namespace regelwerk
