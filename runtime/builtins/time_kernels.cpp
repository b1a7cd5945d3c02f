// Time kernels over compiler/support's calendar and tzdata reader (see time_kernels.hpp).
#include "time_kernels.hpp"

#include <string_view>

#include "compiler/ir/ir.hpp"
#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"

namespace {

using regelwerk::ir::ErrorCode;
namespace civil = regelwerk::civil;

constexpr int32_t code(ErrorCode error) { return static_cast<int32_t>(error); }

const regelwerk::tz::Zone* zoneOf(const char* zone, int64_t zone_size) {
  return regelwerk::tz::findZone(std::string_view(zone, static_cast<size_t>(zone_size)));
}

// Local seconds since 1970-01-01T00:00 of instant `utc` in `zone`.
bool localSeconds(int64_t utc, const char* zone, int64_t zone_size, int64_t* local) {
  const regelwerk::tz::Zone* found = zoneOf(zone, zone_size);
  if (!found) return false;
  *local = utc + found->offsetAt(utc);
  return true;
}

int32_t fromParts(int64_t year, int64_t month, int64_t day, bool clamp, int64_t* out) {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return code(ErrorCode::InvalidDate);
  int last = civil::monthDays(year, static_cast<int>(month));
  if (day > last) {
    if (!clamp) return code(ErrorCode::InvalidDate);
    day = last;
  }
  *out = civil::daysFrom(year, static_cast<int>(month), static_cast<int>(day));
  return 0;
}

}  // namespace

extern "C" int32_t rw_local_date(int64_t a, int64_t, int64_t, const char* zone, int64_t zone_size, int64_t* out) {
  int64_t local = 0;
  if (!localSeconds(a, zone, zone_size, &local)) return code(ErrorCode::UnknownTimeZone);
  int64_t day = civil::dayOf(local);
  if (day < civil::kMinDay || day > civil::kMaxDay) return code(ErrorCode::DateOutOfRange);
  *out = day;
  return 0;
}

extern "C" int32_t rw_local_time(int64_t a, int64_t, int64_t, const char* zone, int64_t zone_size, int64_t* out) {
  int64_t local = 0;
  if (!localSeconds(a, zone, zone_size, &local)) return code(ErrorCode::UnknownTimeZone);
  *out = local - civil::dayOf(local) * civil::kSecondsPerDay;
  return 0;
}

extern "C" int32_t rw_at_local(int64_t a, int64_t b, int64_t, const char* zone, int64_t zone_size, int64_t* out) {
  const regelwerk::tz::Zone* found = zoneOf(zone, zone_size);
  if (!found) return code(ErrorCode::UnknownTimeZone);
  int64_t instant = found->utcOf(a * civil::kSecondsPerDay + b);
  if (instant < civil::kMinTimestamp || instant > civil::kMaxTimestamp) return code(ErrorCode::TimestampOutOfRange);
  *out = instant;
  return 0;
}

extern "C" int32_t rw_date_year(int64_t a, int64_t, int64_t, const char*, int64_t, int64_t* out) {
  *out = civil::ymdFrom(a).year;
  return 0;
}

extern "C" int32_t rw_date_month(int64_t a, int64_t, int64_t, const char*, int64_t, int64_t* out) {
  *out = civil::ymdFrom(a).month;
  return 0;
}

extern "C" int32_t rw_date_day(int64_t a, int64_t, int64_t, const char*, int64_t, int64_t* out) {
  *out = civil::ymdFrom(a).day;
  return 0;
}

// 1970-01-01 was a Thursday (ISO 4).
extern "C" int32_t rw_date_weekday(int64_t a, int64_t, int64_t, const char*, int64_t, int64_t* out) {
  *out = ((a + 3) % 7 + 7) % 7 + 1;
  return 0;
}

extern "C" int32_t rw_date_from_parts(int64_t a, int64_t b, int64_t c, const char*, int64_t, int64_t* out) {
  return fromParts(a, b, c, false, out);
}

extern "C" int32_t rw_date_clamped(int64_t a, int64_t b, int64_t c, const char*, int64_t, int64_t* out) {
  return fromParts(a, b, c, true, out);
}

namespace regelwerk {

RwTimeKernel timeKernel(int fn) {
  static const RwTimeKernel kKernels[ir::kTimeFnCount] = {
      rw_local_date, rw_local_time, rw_at_local,        rw_date_year,   rw_date_month,
      rw_date_day,   rw_date_weekday, rw_date_from_parts, rw_date_clamped,
  };
  return kKernels[fn];
}

}  // namespace regelwerk
