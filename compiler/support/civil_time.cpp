// Calendar arithmetic (Hinnant's civil algorithms) and the text forms of timestamps and times of day.
#include "civil_time.hpp"

namespace regelwerk::civil {

bool isLeap(int64_t year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

int monthDays(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && isLeap(year) ? 29 : kDays[month - 1];
}

int64_t daysFrom(int64_t year, int month, int day) {
  year -= month <= 2;
  int64_t era = (year >= 0 ? year : year - 399) / 400;
  int64_t year_of_era = year - era * 400;
  int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

Ymd ymdFrom(int64_t days) {
  days += 719468;
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t day_of_era = days - era * 146097;
  int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_index = (5 * day_of_year + 2) / 153;
  Ymd out;
  out.day = static_cast<int>(day_of_year - (153 * month_index + 2) / 5 + 1);
  out.month = static_cast<int>(month_index < 10 ? month_index + 3 : month_index - 9);
  out.year = year_of_era + era * 400 + (out.month <= 2);
  return out;
}

int64_t dayOf(int64_t seconds) {
  int64_t day = seconds / kSecondsPerDay;
  return seconds % kSecondsPerDay < 0 ? day - 1 : day;
}

static bool digitsAt(std::string_view text, size_t at, size_t count, int* out) {
  int value = 0;
  for (size_t index = at; index < at + count; ++index) {
    if (index >= text.size() || text[index] < '0' || text[index] > '9') return false;
    value = value * 10 + (text[index] - '0');
  }
  *out = value;
  return true;
}

// "+02:00" -> 7200 (east of UTC is positive); nullopt for anything else. Offsets reach ±23:59.
static std::optional<int64_t> parseOffset(std::string_view text, TimeTextError* error) {
  if (text == "Z") return 0;
  int hours = 0, minutes = 0;
  bool shape = text.size() == 6 && (text[0] == '+' || text[0] == '-') && text[3] == ':' &&
               digitsAt(text, 1, 2, &hours) && digitsAt(text, 4, 2, &minutes);
  if (!shape) {
    *error = TimeTextError::Malformed;
    return std::nullopt;
  }
  if (hours > 23 || minutes > 59) {
    *error = TimeTextError::BadOffset;
    return std::nullopt;
  }
  int64_t offset = hours * 3600 + minutes * 60;
  return text[0] == '-' ? -offset : offset;
}

TimestampText parseTimestamp(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool shape = text.size() >= 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' &&
               text[16] == ':' && digitsAt(text, 0, 4, &year) && digitsAt(text, 5, 2, &month) &&
               digitsAt(text, 8, 2, &day) && digitsAt(text, 11, 2, &hour) && digitsAt(text, 14, 2, &minute) &&
               digitsAt(text, 17, 2, &second);
  if (!shape) return {0, TimeTextError::Malformed};
  if (text[19] == '.' || text[19] == ',') return {0, TimeTextError::Fraction};
  TimeTextError error = TimeTextError::None;
  auto offset = parseOffset(text.substr(19), &error);
  if (!offset) return {0, error};
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) {
    return {0, TimeTextError::BadDate};
  }
  if (hour > 23 || minute > 59 || second > 59) return {0, TimeTextError::BadTime};
  int64_t local = daysFrom(year, month, day) * kSecondsPerDay + hour * 3600 + minute * 60 + second;
  int64_t seconds = local - *offset;
  if (seconds < kMinTimestamp || seconds > kMaxTimestamp) return {0, TimeTextError::Range};
  return {seconds, TimeTextError::None};
}

std::optional<int64_t> parseTimeOfDay(std::string_view text) {
  int hour = 0, minute = 0, second = 0;
  if (text.size() != 5 && text.size() != 8) return std::nullopt;
  if (text[2] != ':' || !digitsAt(text, 0, 2, &hour) || !digitsAt(text, 3, 2, &minute)) return std::nullopt;
  if (text.size() == 8 && (text[5] != ':' || !digitsAt(text, 6, 2, &second))) return std::nullopt;
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return hour * 3600 + minute * 60 + second;
}

std::string timestampProblem(TimeTextError error) {
  switch (error) {
    case TimeTextError::None: return "";
    case TimeTextError::Malformed:
      return "is not a timestamp; write YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS+HH:MM";
    case TimeTextError::Fraction: return "has a fraction of a second; timestamps are whole seconds";
    case TimeTextError::BadDate: return "has a day that is not in the calendar";
    case TimeTextError::BadTime: return "has a time of day outside 00:00:00 .. 23:59:59";
    case TimeTextError::BadOffset: return "has an offset outside -23:59 .. +23:59";
    case TimeTextError::Range:
      return "is outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z";
  }
  return "";
}

static void twoDigits(int64_t value, char* out) {
  out[0] = static_cast<char>('0' + value / 10);
  out[1] = static_cast<char>('0' + value % 10);
}

size_t formatTimeOfDay(int64_t seconds, char* out) {
  twoDigits(seconds / 3600, out);
  out[2] = ':';
  twoDigits(seconds / 60 % 60, out + 3);
  out[5] = ':';
  twoDigits(seconds % 60, out + 6);
  return 8;
}

size_t formatTimestamp(int64_t seconds, char* out) {
  int64_t day = dayOf(seconds);
  Ymd date = ymdFrom(day);
  twoDigits(date.year / 100, out);
  twoDigits(date.year % 100, out + 2);
  out[4] = '-';
  twoDigits(date.month, out + 5);
  out[7] = '-';
  twoDigits(date.day, out + 8);
  out[10] = 'T';
  formatTimeOfDay(seconds - day * kSecondsPerDay, out + 11);
  out[19] = 'Z';
  return 20;
}

std::string timestampText(int64_t seconds) {
  char buffer[20];
  return std::string(buffer, formatTimestamp(seconds, buffer));
}

std::string timeOfDayText(int64_t seconds) {
  char buffer[8];
  return std::string(buffer, formatTimeOfDay(seconds, buffer));
}

}  // namespace regelwerk::civil
