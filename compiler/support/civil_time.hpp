// Text forms and calendar arithmetic of instants and times of day, shared by the checker (literals),
// the CSV cell parser and formatter, and the time kernels, so every reader agrees on one grammar.
//
// A timestamp is whole seconds since 1970-01-01T00:00:00Z, from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59Z. Text: `2025-03-04T10:00:00Z` or with an offset `2025-03-04T12:00:00+02:00`
// (normalised to UTC); fractions of a second are refused. A time of day is seconds since midnight,
// 0 .. 86399, written `21:00` or `08:00:30`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regelwerk::civil {

inline constexpr int64_t kSecondsPerDay = 86400;
inline constexpr int64_t kMinTimestamp = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestamp = 253402300799;  // 9999-12-31T23:59:59Z
inline constexpr int64_t kMinDay = -719162;             // 0001-01-01 as days since 1970-01-01
inline constexpr int64_t kMaxDay = 2932896;             // 9999-12-31

struct Ymd {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
};

bool isLeap(int64_t year);
int monthDays(int64_t year, int month);
// Days since 1970-01-01 of any proleptic Gregorian (year, month, day) with a valid month and day.
int64_t daysFrom(int64_t year, int month, int day);
Ymd ymdFrom(int64_t days);
// Floor division of seconds into (days, seconds of that day): -1 s is day -1, 86399 s.
int64_t dayOf(int64_t seconds);

enum class TimeTextError { None, Malformed, Fraction, BadDate, BadTime, BadOffset, Range };

struct TimestampText {
  int64_t seconds = 0;
  TimeTextError error = TimeTextError::None;
};

// "2025-03-04T12:00:00+02:00" -> the instant 2025-03-04T10:00:00Z in seconds.
TimestampText parseTimestamp(std::string_view text);
// "21:00" -> 75600, "08:00:30" -> 28830; nullopt unless HH:MM or HH:MM:SS with HH < 24, MM, SS < 60.
std::optional<int64_t> parseTimeOfDay(std::string_view text);
// What is wrong with a timestamp text, in words: "has a fraction of a second; ...".
std::string timestampProblem(TimeTextError error);

// `YYYY-MM-DDTHH:MM:SSZ` (20 characters) into out; the value must be in range.
size_t formatTimestamp(int64_t seconds, char* out);
// `HH:MM:SS` (8 characters).
size_t formatTimeOfDay(int64_t seconds, char* out);
std::string timestampText(int64_t seconds);
std::string timeOfDayText(int64_t seconds);

}  // namespace regelwerk::civil
