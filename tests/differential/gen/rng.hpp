// A small seeded random source whose sequence is the same on every platform and standard library
// (splitmix64; no std:: distributions, whose results are implementation-defined).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace regelwerk::difftest {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // 0 .. bound-1 (0 when bound is 0).
  uint64_t below(uint64_t bound) { return bound == 0 ? 0 : next() % bound; }
  // lo .. hi, both included.
  int range(int lo, int hi) { return hi <= lo ? lo : lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo) + 1)); }
  bool chance(int percent) { return below(100) < static_cast<uint64_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    if (items.empty()) throw std::logic_error("Rng::pick from an empty list");
    return items[below(items.size())];
  }
  template <class T>
  void shuffle(std::vector<T>& items) {
    for (size_t index = items.size(); index > 1; --index) std::swap(items[index - 1], items[below(index)]);
  }

 private:
  uint64_t state_;
};

}  // namespace regelwerk::difftest
