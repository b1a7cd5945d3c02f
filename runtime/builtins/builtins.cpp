// Exact kernels: 128-bit rounding division, string equality and concatenation, table search.
#include "builtins.hpp"

#include <cstring>

#include "compiler/ir/ir.hpp"
#include "runtime/builtins/string_arena.hpp"
#include "runtime/columnar/civil_date.hpp"
#include "runtime/columnar/decimal_text.hpp"

namespace {

using i128 = __int128;

constexpr int32_t kOk = 0;
constexpr int32_t kOverflow = static_cast<int32_t>(regelwerk::ir::ErrorCode::Overflow);
constexpr int32_t kDivByZero = static_cast<int32_t>(regelwerk::ir::ErrorCode::DivisionByZero);

// value * 10^pow in 128 bits; false on overflow.
bool scaleUp(i128 value, int32_t pow, i128* out) {
  for (int32_t step = 0; step < pow; ++step) {
    if (__builtin_mul_overflow(value, static_cast<i128>(10), &value)) return false;
  }
  *out = value;
  return true;
}

i128 absolute(i128 value) { return value < 0 ? -value : value; }

// Whether the truncated quotient moves one step away from zero, given the remainder.
bool roundsAway(regelwerk::ir::RoundMode mode, i128 quotient, i128 remainder, i128 divisor, bool negative) {
  using regelwerk::ir::RoundMode;
  if (remainder == 0) return false;
  i128 twice = absolute(remainder) * 2;  // |remainder| < |divisor| < 2^127 / 10, no overflow
  i128 whole = absolute(divisor);
  switch (mode) {
    case RoundMode::HalfUp: return twice >= whole;
    case RoundMode::HalfEven: return twice > whole || (twice == whole && (quotient & 1) != 0);
    case RoundMode::Down: return false;
    case RoundMode::Up: return true;
    case RoundMode::Floor: return negative;
    case RoundMode::Ceiling: return !negative;
  }
  return false;
}

}  // namespace

extern "C" int32_t rw_round_div(int64_t num, int64_t den, int32_t mul_pow, int32_t div_pow, int32_t mode,
                                int64_t* out) {
  if (den == 0) return kDivByZero;
  i128 numerator = 0;
  i128 divisor = 0;
  if (!scaleUp(num, mul_pow, &numerator) || !scaleUp(den, div_pow, &divisor)) return kOverflow;
  i128 quotient = numerator / divisor;
  i128 remainder = numerator % divisor;
  bool negative = (numerator < 0) != (divisor < 0);
  if (roundsAway(static_cast<regelwerk::ir::RoundMode>(mode), quotient, remainder, divisor, negative)) {
    quotient += negative ? -1 : 1;
  }
  if (quotient > INT64_MAX || quotient < INT64_MIN) return kOverflow;
  *out = static_cast<int64_t>(quotient);
  return kOk;
}

extern "C" int32_t rw_str_eq(const char* a, int64_t a_size, const char* b, int64_t b_size) {
  if (a_size != b_size) return 0;
  return a_size == 0 || std::memcmp(a, b, static_cast<size_t>(a_size)) == 0 ? 1 : 0;
}

extern "C" int32_t rw_str_concat(void* arena, const char* a, int64_t a_size, const char* b, int64_t b_size,
                                 RwStr* out) {
  int64_t size = a_size + b_size;  // both are at most kMaxStringBytes or an input cell: no overflow
  if (size > regelwerk::ir::kMaxStringBytes) return static_cast<int32_t>(regelwerk::ir::ErrorCode::StringTooLong);
  char* bytes = static_cast<regelwerk::StringArena*>(arena)->allocate(size);
  if (a_size > 0) std::memcpy(bytes, a, static_cast<size_t>(a_size));
  if (b_size > 0) std::memcpy(bytes + a_size, b, static_cast<size_t>(b_size));
  *out = RwStr{bytes, size};
  return kOk;
}

// The same writers as runtime/columnar/cell_formatter.cpp, so text(x) and an output cell of x agree.
extern "C" int32_t rw_text(void* arena, int64_t value, int32_t places, int32_t date, RwStr* out) {
  char buffer[regelwerk::kMaxDecimalChars + 2];  // + the zeros of a percent at scale 0
  size_t size = 0;
  if (date != 0) {
    size = regelwerk::writeDate(value, buffer);
  } else {
    size = regelwerk::writeDecimal(value, places > 0 ? places : 0, buffer);
    for (int32_t zero = places; zero < 0 && value != 0; ++zero) buffer[size++] = '0';
  }
  char* bytes = static_cast<regelwerk::StringArena*>(arena)->allocate(static_cast<int64_t>(size));
  std::memcpy(bytes, buffer, size);
  *out = RwStr{bytes, static_cast<int64_t>(size)};
  return kOk;
}

extern "C" int64_t rw_table_find(const int64_t* keys, int64_t count, int64_t key, int32_t range) {
  int64_t low = 0;  // first row whose key is > `key`, by binary search
  int64_t high = count;
  while (low < high) {
    int64_t middle = low + (high - low) / 2;
    if (keys[middle] <= key) low = middle + 1;
    else high = middle;
  }
  int64_t row = low - 1;  // the last row whose key is <= `key`
  if (row < 0) return -1;
  if (range == 0 && keys[row] != key) return -1;
  return row;
}

// Bytewise order as std::string::compare: the common prefix by memcmp, then the shorter first.
static int compareBytes(const RwStr& a, const char* b, int64_t b_size) {
  int64_t common = a.size < b_size ? a.size : b_size;
  int order = common == 0 ? 0 : std::memcmp(a.data, b, static_cast<size_t>(common));
  if (order != 0) return order;
  return a.size < b_size ? -1 : a.size > b_size ? 1 : 0;
}

extern "C" int64_t rw_table_find_str(const RwStr* keys, int64_t count, const char* key, int64_t size) {
  int64_t low = 0;
  int64_t high = count;
  while (low < high) {
    int64_t middle = low + (high - low) / 2;
    int order = compareBytes(keys[middle], key, size);
    if (order == 0) return middle;
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return -1;
}

namespace {

// Act/Act (ISDA) weight of the days day .. end - 1: 366 per day of a year of 365 days and 365 per day of
// a leap year, so that the weighted sum over 365 * 366 is Σ 1/365 + Σ 1/366. Example: 2023-12-30 ..
// 2024-01-02 (two days of 2023, one of 2024): 2 * 366 + 1 * 365.
i128 actActDays(int64_t day, int64_t end) {
  i128 weighted = 0;
  while (day < end) {
    const int64_t year = regelwerk::civilFromDays(day).year;
    const int64_t next_year = regelwerk::daysFromCivil(year + 1, 1, 1);
    const int64_t stop = next_year < end ? next_year : end;
    weighted += static_cast<i128>(stop - day) * (regelwerk::isLeapYear(year) ? 365 : 366);
    day = stop;
  }
  return weighted;
}

}  // namespace

extern "C" int32_t rw_table_range_sum(const int64_t* keys, const int64_t* values, int64_t count, int64_t from,
                                      int64_t until, int64_t plus, int64_t basis, int64_t* out) {
  *out = 0;
  if (until <= from) return kOk;
  int64_t row = rw_table_find(keys, count, from, 1);
  if (row < 0) return static_cast<int32_t>(regelwerk::ir::ErrorCode::NoTableRow);
  // Act/Act walks the years one by one: a span far beyond the language's dates (0001 .. 9999) is refused
  // rather than walked.
  if (basis == regelwerk::ir::kActAct && static_cast<i128>(until) - from > (int64_t{1} << 32)) return kOverflow;
  i128 sum = 0;
  for (int64_t day = from; day < until; ++row) {
    int64_t end = row + 1 < count && keys[row + 1] < until ? keys[row + 1] : until;
    const i128 days = basis == regelwerk::ir::kActAct ? actActDays(day, end) : static_cast<i128>(end) - day;  // < 2^64, < 2^41 for act/act
    sum += (static_cast<i128>(values[row]) + plus) * days;  // |each term| < 2^64 * 2^63
    if (sum > INT64_MAX || sum < INT64_MIN) return kOverflow;
    day = end;
  }
  *out = static_cast<int64_t>(sum);
  return kOk;
}

namespace regelwerk {

const BuiltinSymbol* builtinSymbols(int* count) {
  static const BuiltinSymbol symbols[] = {
#define BUILTIN(name, ...) {#name, reinterpret_cast<void*>(&name)},
#include "builtins.def"
#undef BUILTIN
  };
  *count = static_cast<int>(sizeof(symbols) / sizeof(symbols[0]));
  return symbols;
}

}  // namespace regelwerk
