// Kernels shared by the interpreter and the JIT, so both compute bit-identical results.
#pragma once

#include <cstdint>

#include "time_kernels.hpp"

extern "C" {

// round(num * 10^mul_pow / (den * 10^div_pow)) with `mode` (an ir::RoundMode), computed exactly in
// 128-bit integers. Writes the result to *out and returns 0, or returns an ir::ErrorCode:
// DivisionByZero when den == 0, Overflow when an intermediate exceeds 128 bits or the result int64.
// Example: rw_round_div(313500000 * 689, 365, 0, 6, HalfUp) is interest in cents of money scale 8.
int32_t rw_round_div(int64_t num, int64_t den, int32_t mul_pow, int32_t div_pow, int32_t mode, int64_t* out);

// 1 if the two byte strings are equal, else 0.
int32_t rw_str_eq(const char* a, int64_t a_size, const char* b, int64_t b_size);

// The row of a lookup table for `key`, by binary search over `keys` (strictly increasing): exact
// tables (range == 0) the row whose key equals `key`; range tables the last row whose key is <= `key`.
// -1 when there is none. Example: keys {2002-01-01, 2002-07-01}, range, key 2002-03-15 -> 0.
int64_t rw_table_find(const int64_t* keys, int64_t count, int64_t key, int32_t range);

// A string key as the kernels see it (the layout of StrRef).
struct RwStr {
  const char* data;
  int64_t size;
};

// a then b in `arena` (a regelwerk::StringArena): writes the joined string to *out and returns 0, or
// returns ir::ErrorCode StringTooLong when it would be longer than ir::kMaxStringBytes.
// Example: ("A-", 2) and ("17", 2) -> "A-17".
int32_t rw_str_concat(void* arena, const char* a, int64_t a_size, const char* b, int64_t b_size, RwStr* out);

// `value` as the CSV writer writes it, in `arena`: date != 0 a date `YYYY-MM-DD` (days since
// 1970-01-01); else a number with `places` places (`-0.05` for -5 at 2), places < 0 appending -places
// zeros to a nonzero value. Writes the text to *out and returns 0. Example: (127, 2, 0) -> "1.27".
int32_t rw_text(void* arena, int64_t value, int32_t places, int32_t date, RwStr* out);

// The row whose string key equals (key, size), by binary search over `keys` (strictly increasing
// bytewise, a prefix before its extensions); -1 when there is none.
int64_t rw_table_find_str(const RwStr* keys, int64_t count, const char* key, int64_t size);

// The sum over every day d with from <= d < until of (values[row(d)] + plus), where row(d) is the range
// row in force on day d, computed per row crossed: (values[row] + plus) * days in that row. Writes the
// sum to *out and returns 0; 0 when until <= from; ir::ErrorCode NoTableRow when a day lies before the
// first row, Overflow when the sum leaves int64. Example: rates 2.27% until 06-30 and 1.27% from 07-01,
// plus 5%, from 06-26 until 07-06: 5 * 7.27% + 5 * 6.27%. `basis` 1 (Act/Act ISDA) weighs each day 366
// in a year of 365 days and 365 in a leap year (the caller divides by 365 * 366); 0 weighs every day 1.
int32_t rw_table_range_sum(const int64_t* keys, const int64_t* values, int64_t count, int64_t from, int64_t until,
                           int64_t plus, int64_t basis, int64_t* out);
}

namespace regelwerk {

struct BuiltinSymbol {
  const char* name;
  void* address;
};

// Every kernel of builtins.def with its address, for the JIT's symbol map.
const BuiltinSymbol* builtinSymbols(int* count);

}  // namespace regelwerk
