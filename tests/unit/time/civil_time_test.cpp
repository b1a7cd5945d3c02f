// Timestamp and time-of-day text: offsets normalised to UTC, refused fractions and impossible
// values, the range edges, and the formatted form.
#include <catch2/catch.hpp>

#include "compiler/ir/ir.hpp"

#include "compiler/support/civil_time.hpp"
#include "runtime/builtins/time_kernels.hpp"

namespace regelwerk {
namespace {

using civil::TimeTextError;

TEST_CASE("timestamps with an offset are the same instant in UTC", "[time]") {
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00Z").seconds == 1741082400);
  CHECK(civil::parseTimestamp("2025-03-04T12:00:00+02:00").seconds == 1741082400);
  CHECK(civil::parseTimestamp("2025-03-04T04:30:00-05:30").seconds == 1741082400);
  CHECK(civil::parseTimestamp("1970-01-01T00:00:00Z").seconds == 0);
  CHECK(civil::timestampText(1741082400) == "2025-03-04T10:00:00Z");
  CHECK(civil::timestampText(-1) == "1969-12-31T23:59:59Z");
}

TEST_CASE("timestamps at the range edges and beyond", "[time]") {
  CHECK(civil::parseTimestamp("0001-01-01T00:00:00Z").seconds == civil::kMinTimestamp);
  CHECK(civil::parseTimestamp("9999-12-31T23:59:59Z").seconds == civil::kMaxTimestamp);
  CHECK(civil::timestampText(civil::kMinTimestamp) == "0001-01-01T00:00:00Z");
  CHECK(civil::timestampText(civil::kMaxTimestamp) == "9999-12-31T23:59:59Z");
  CHECK(civil::parseTimestamp("0001-01-01T00:00:00+00:01").error == TimeTextError::Range);
  CHECK(civil::parseTimestamp("9999-12-31T23:59:59-00:01").error == TimeTextError::Range);
}

TEST_CASE("timestamp texts that are refused, with the reason", "[time]") {
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00.5Z").error == TimeTextError::Fraction);
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00").error == TimeTextError::Malformed);
  CHECK(civil::parseTimestamp("2025-03-04 10:00:00Z").error == TimeTextError::Malformed);
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00z").error == TimeTextError::Malformed);
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00+0200").error == TimeTextError::Malformed);
  CHECK(civil::parseTimestamp("2025-02-29T10:00:00Z").error == TimeTextError::BadDate);
  CHECK(civil::parseTimestamp("2024-02-29T10:00:00Z").error == TimeTextError::None);
  CHECK(civil::parseTimestamp("2025-03-04T24:00:00Z").error == TimeTextError::BadTime);
  CHECK(civil::parseTimestamp("2025-03-04T23:59:60Z").error == TimeTextError::BadTime);
  CHECK(civil::parseTimestamp("2025-03-04T10:00:00+24:00").error == TimeTextError::BadOffset);
  CHECK(civil::timestampProblem(TimeTextError::Fraction) == "has a fraction of a second; timestamps are whole seconds");
}

TEST_CASE("times of day", "[time]") {
  CHECK(civil::parseTimeOfDay("21:00") == 75600);
  CHECK(civil::parseTimeOfDay("08:00:30") == 28830);
  CHECK(civil::parseTimeOfDay("23:59:59") == 86399);
  CHECK_FALSE(civil::parseTimeOfDay("24:00"));
  CHECK_FALSE(civil::parseTimeOfDay("8:00"));
  CHECK_FALSE(civil::parseTimeOfDay("08:00:60"));
  CHECK(civil::timeOfDayText(28830) == "08:00:30");
}

TEST_CASE("date kernels: ISO weekdays, parts, dates from parts", "[time]") {
  int64_t out = 0;
  CHECK(rw_date_weekday(0, 0, 0, nullptr, 0, &out) == 0);
  CHECK(out == 4);  // 1970-01-01 was a Thursday
  CHECK(rw_date_weekday(civil::daysFrom(2025, 3, 30), 0, 0, nullptr, 0, &out) == 0);
  CHECK(out == 7);
  CHECK(rw_date_weekday(civil::kMinDay, 0, 0, nullptr, 0, &out) == 0);
  CHECK(out == 1);  // 0001-01-01, proleptic Gregorian, was a Monday
  CHECK(rw_date_from_parts(2024, 2, 29, nullptr, 0, &out) == 0);
  CHECK(out == civil::daysFrom(2024, 2, 29));
  CHECK(rw_date_from_parts(2025, 2, 29, nullptr, 0, &out) == static_cast<int32_t>(ir::ErrorCode::InvalidDate));  // InvalidDate
  CHECK(rw_date_clamped(2025, 2, 29, nullptr, 0, &out) == 0);
  CHECK(out == civil::daysFrom(2025, 2, 28));
  CHECK(rw_date_clamped(2100, 2, 31, nullptr, 0, &out) == 0);
  CHECK(out == civil::daysFrom(2100, 2, 28));
  CHECK(rw_date_clamped(2025, 0, 1, nullptr, 0, &out) == static_cast<int32_t>(ir::ErrorCode::InvalidDate));
  CHECK(rw_date_clamped(10000, 1, 1, nullptr, 0, &out) == static_cast<int32_t>(ir::ErrorCode::InvalidDate));
  CHECK(rw_date_clamped(2025, 1, 0, nullptr, 0, &out) == static_cast<int32_t>(ir::ErrorCode::InvalidDate));
}

TEST_CASE("zoned kernels: unknown zones and results out of range are errors", "[time]") {
  int64_t out = 0;
  const char berlin[] = "Europe/Berlin";
  CHECK(rw_local_time(1741082400, 0, 0, berlin, 13, &out) == 0);
  CHECK(out == 11 * 3600);
  CHECK(rw_local_time(1741082400, 0, 0, "Mars/Olympus", 12, &out) == static_cast<int32_t>(ir::ErrorCode::UnknownTimeZone));  // UnknownTimeZone
  CHECK(rw_local_date(civil::kMinTimestamp, 0, 0, "America/New_York", 16, &out) == 5);  // DateOutOfRange
  CHECK(rw_at_local(civil::kMaxDay, 86399, 0, "America/New_York", 16, &out) == static_cast<int32_t>(ir::ErrorCode::TimestampOutOfRange));     // TimestampOutOfRange
  CHECK(rw_at_local(civil::kMaxDay, 86399, 0, "Asia/Tokyo", 10, &out) == 0);
  CHECK(out == civil::kMaxTimestamp - 9 * 3600);
}

}  // namespace
}  // namespace regelwerk
