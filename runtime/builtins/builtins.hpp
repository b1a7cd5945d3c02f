// Kernels shared by the interpreter and the JIT, so both compute bit-identical results.
#pragma once

#include <cstdint>

extern "C" {

// round(num * 10^mul_pow / (den * 10^div_pow)) with `mode` (an ir::RoundMode), computed exactly in
// 128-bit integers. Writes the result to *out and returns 0, or returns an ir::ErrorCode:
// DivisionByZero when den == 0, Overflow when an intermediate exceeds 128 bits or the result int64.
// Example: rw_round_div(313500000 * 689, 365, 0, 6, HalfUp) is interest in cents of money scale 8.
int32_t rw_round_div(int64_t num, int64_t den, int32_t mul_pow, int32_t div_pow, int32_t mode, int64_t* out);

// 1 if the two byte strings are equal, else 0.
int32_t rw_str_eq(const char* a, int64_t a_size, const char* b, int64_t b_size);
}

namespace regelwerk {

struct BuiltinSymbol {
  const char* name;
  void* address;
};

// Every kernel of builtins.def with its address, for the JIT's symbol map.
const BuiltinSymbol* builtinSymbols(int* count);

}  // namespace regelwerk
