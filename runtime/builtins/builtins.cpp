// Exact kernels: 128-bit rounding division and string equality.
#include "builtins.hpp"

#include <cstring>

#include "compiler/ir/ir.hpp"

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
