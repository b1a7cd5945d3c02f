// The fixed random numbers of the benchmark workload generators written in C++ (bench_stdlib): every
// run, on every machine, writes the same bytes for the same seed.
#pragma once

#include <cstdint>

namespace regelwerk::bench {

// A 64-bit LCG (Knuth's MMIX constants), the upper 31 bits of the state: fast, fixed, portable.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  // Uniform in [low, high] (both included; the range must be below 2^31 for uniformity).
  int64_t range(int64_t low, int64_t high) { return low + static_cast<int64_t>(next() % static_cast<uint64_t>(high - low + 1)); }
  bool chance(int percent) { return range(1, 100) <= percent; }

 private:
  uint64_t state_;
};

}  // namespace regelwerk::bench
