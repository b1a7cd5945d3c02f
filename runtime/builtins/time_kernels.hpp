// Time kernels shared by the interpreter and the JIT (ir::Op::TimeCall): local date and time of an
// instant in an IANA zone, the instant of a local date and time, date parts and dates from parts.
//
// One signature for all, so both engines call them the same way: up to three int64 arguments (unused
// ones are 0), a zone name (null, 0 when the kernel takes none), the result through `out`. Each returns
// 0 or an ir::ErrorCode: UnknownTimeZone, InvalidDate, DateOutOfRange, TimestampOutOfRange.
#pragma once

#include <cstdint>

extern "C" {

using RwTimeKernel = int32_t (*)(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);

// local_date(t, zone): the wall-clock day of instant `a` in `zone`. 2025-03-30T01:00:00Z in
// Europe/Berlin is 2025-03-30 (03:00 CEST).
int32_t rw_local_date(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
// local_time(t, zone): the wall-clock time of day, seconds since local midnight (08:00 -> 28800).
int32_t rw_local_time(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
// at_local(date a, time b, zone): the instant; gaps move forward by the gap, folds take the earlier
// instant (tz::Zone::utcOf).
int32_t rw_at_local(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
// year(d), month(d) 1..12, day(d) 1..31, weekday(d) ISO 1 = Monday .. 7 = Sunday.
int32_t rw_date_year(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
int32_t rw_date_month(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
int32_t rw_date_day(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
int32_t rw_date_weekday(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
// date(y, m, d): InvalidDate unless 1 <= y <= 9999, 1 <= m <= 12 and d is a day of that month.
int32_t rw_date_from_parts(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
// date_clamped(y, m, d): as date(), but a day past the month's end is its last day: (2025, 2, 29)
// -> 2025-02-28 (anniversaries of 29 February). Year or month out of range, or d < 1: InvalidDate.
int32_t rw_date_clamped(int64_t a, int64_t b, int64_t c, const char* zone, int64_t zone_size, int64_t* out);
}

namespace regelwerk {

// The kernel of ir::TimeFn `fn` (its index), for the interpreter.
RwTimeKernel timeKernel(int fn);

}  // namespace regelwerk
