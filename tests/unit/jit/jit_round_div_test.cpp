// JIT: RoundDiv in all six modes (ties, negatives, scales), its errors, and the inline 64-bit fast
// path checked against the rw_round_div kernel on edge values and many small operands.
#include <random>

#include "runtime/builtins/builtins.hpp"
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;
using regelwerk::ir::RoundMode;

namespace {

ExprPtr divide(RoundMode mode, int64_t mul_pow = 0, int64_t div_pow = 0) {
  return roundDiv(input(0), input(1), mul_pow, div_pow, mode, 6);
}

int64_t rounded(RoundMode mode, int64_t num, int64_t den, int64_t mul_pow = 0, int64_t div_pow = 0) {
  return value(divide(mode, mul_pow, div_pow), num, den);
}

const RoundMode kModes[] = {RoundMode::HalfUp, RoundMode::HalfEven, RoundMode::Down,
                            RoundMode::Up,     RoundMode::Floor,    RoundMode::Ceiling};

// Values around every boundary the fast path tests: zero, ties, powers of ten, int64 limits.
std::vector<int64_t> edgeValues() {
  std::vector<int64_t> values = {0,
                                 1,
                                 2,
                                 3,
                                 4,
                                 5,
                                 6,
                                 7,
                                 9,
                                 10,
                                 11,
                                 15,
                                 25,
                                 35,
                                 365,
                                 3650000,
                                 1000000007,
                                 int64_t{1} << 31,
                                 int64_t{1} << 32,
                                 INT64_MAX / 10,
                                 INT64_MAX / 10 + 1,
                                 1000000000000000000,
                                 INT64_MAX / 2,
                                 INT64_MAX - 1,
                                 INT64_MAX};
  size_t positives = values.size();
  for (size_t index = 1; index < positives; ++index) values.push_back(-values[index]);
  values.push_back(INT64_MIN);
  return values;
}

}  // namespace

TEST_CASE("round_div: the six modes on ties and negatives", "[jit][rounddiv]") {
  CHECK(rounded(RoundMode::HalfUp, 25, 10) == 3);
  CHECK(rounded(RoundMode::HalfUp, -25, 10) == -3);
  CHECK(rounded(RoundMode::HalfUp, 25, -10) == -3);
  CHECK(rounded(RoundMode::HalfUp, 24, 10) == 2);
  CHECK(rounded(RoundMode::HalfEven, 25, 10) == 2);
  CHECK(rounded(RoundMode::HalfEven, 35, 10) == 4);
  CHECK(rounded(RoundMode::HalfEven, -25, 10) == -2);
  CHECK(rounded(RoundMode::HalfEven, -35, 10) == -4);
  CHECK(rounded(RoundMode::HalfEven, 26, 10) == 3);
  CHECK(rounded(RoundMode::Down, 29, 10) == 2);
  CHECK(rounded(RoundMode::Down, -29, 10) == -2);
  CHECK(rounded(RoundMode::Up, 21, 10) == 3);
  CHECK(rounded(RoundMode::Up, -21, 10) == -3);
  CHECK(rounded(RoundMode::Up, 20, 10) == 2);
  CHECK(rounded(RoundMode::Floor, 21, 10) == 2);
  CHECK(rounded(RoundMode::Floor, -21, 10) == -3);
  CHECK(rounded(RoundMode::Floor, -21, -10) == 2);
  CHECK(rounded(RoundMode::Ceiling, 21, 10) == 3);
  CHECK(rounded(RoundMode::Ceiling, -21, 10) == -2);
  CHECK(rounded(RoundMode::Ceiling, 21, -10) == -2);
}

TEST_CASE("round_div: scales multiply the numerator and the divisor", "[jit][rounddiv]") {
  CHECK(rounded(RoundMode::HalfUp, 1, 3, 2) == 33);
  CHECK(rounded(RoundMode::HalfUp, 2, 3, 2) == 67);
  CHECK(rounded(RoundMode::HalfUp, 12345, 1, 0, 2) == 123);
  CHECK(rounded(RoundMode::HalfUp, 12350, 1, 0, 2) == 124);
  // Interest of dunning.md: open * rate(bp) * days / (10000 * 365), half up.
  CHECK(rounded(RoundMode::HalfUp, int64_t{313500} * 627 * 689, 365, 0, 4) ==
        (int64_t{313500} * 627 * 689 + 1825000) / 3650000);
  // The kernel's own example: exact in 128 bits although num * 10^6 > int64.
  int64_t expected = 0;
  REQUIRE(rw_round_div(int64_t{313500000} * 689, 365, 0, 6, 0, &expected) == 0);
  CHECK(rounded(RoundMode::HalfUp, int64_t{313500000} * 689, 365, 0, 6) == expected);
  CHECK(rounded(RoundMode::HalfUp, INT64_MAX, 10, 1) == INT64_MAX);  // 128-bit intermediate
}

TEST_CASE("round_div: division by zero and overflow", "[jit][rounddiv]") {
  for (RoundMode mode : kModes) {
    Outcome by_zero = eval(divide(mode), 5, 0);
    CHECK(by_zero.code == kDivisionByZero);
    CHECK(by_zero.site == 6);
    CHECK(eval(divide(mode, 1), INT64_MAX, 1).code == kOverflow);
    CHECK(eval(divide(mode, 36), INT64_MAX, 1).code == kOverflow);
    CHECK(eval(divide(mode), INT64_MIN, -1).code == kOverflow);
  }
  CHECK(eval(divide(RoundMode::HalfUp, 0, 36), 5, 0).code == kDivisionByZero);
}

// Every mode and a spread of powers (inside and outside the fast path's 0..18): the JIT must give
// the kernel's code and value on every pair of edge values.
TEST_CASE("round_div: fast path equals the kernel on edge values", "[jit][rounddiv]") {
  const std::vector<int64_t> values = edgeValues();
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t num : values) {
    for (int64_t den : values) rows.emplace_back(num, den);
  }
  const std::pair<int64_t, int64_t> powers[] = {{0, 0},  {0, 4},  {2, 0},  {1, 1}, {18, 0},
                                                {0, 18}, {17, 3}, {19, 0}, {0, 20}};
  for (RoundMode mode : kModes) {
    for (auto [mul_pow, div_pow] : powers) {
      std::vector<Outcome> outcomes = evalPairs(divide(mode, mul_pow, div_pow), rows);
      for (size_t row = 0; row < rows.size(); ++row) {
        int64_t expected = 0;
        int32_t code = rw_round_div(rows[row].first, rows[row].second, static_cast<int32_t>(mul_pow),
                                    static_cast<int32_t>(div_pow), static_cast<int32_t>(mode), &expected);
        INFO("mode " << static_cast<int>(mode) << " pow " << mul_pow << "/" << div_pow << " : " << rows[row].first
                     << " / " << rows[row].second);
        REQUIRE(outcomes[row].code == code);
        if (code == 0) REQUIRE(outcomes[row].value == expected);
      }
    }
  }
}

TEST_CASE("round_div: fast path equals the kernel on small random operands", "[jit][rounddiv]") {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<int64_t> nums(-2000, 2000);
  std::uniform_int_distribution<int64_t> dens(-40, 40);
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int count = 0; count < 20000; ++count) rows.emplace_back(nums(random), dens(random));
  for (RoundMode mode : kModes) {
    for (int64_t mul_pow : {0, 1, 3}) {
      std::vector<Outcome> outcomes = evalPairs(divide(mode, mul_pow, 1), rows);
      for (size_t row = 0; row < rows.size(); ++row) {
        int64_t expected = 0;
        int32_t code = rw_round_div(rows[row].first, rows[row].second, static_cast<int32_t>(mul_pow), 1,
                                    static_cast<int32_t>(mode), &expected);
        INFO("mode " << static_cast<int>(mode) << " " << rows[row].first << " / " << rows[row].second);
        REQUIRE(outcomes[row].code == code);
        if (code == 0) REQUIRE(outcomes[row].value == expected);
      }
    }
  }
}

// With a constant divisor LLVM folds the divisor checks and turns the division into a multiply:
// a different instruction sequence, so it is compared with the kernel on its own.
TEST_CASE("round_div: constant divisors equal the kernel", "[jit][rounddiv]") {
  const std::vector<int64_t> values = edgeValues();
  std::vector<std::pair<int64_t, int64_t>> rows;
  for (int64_t num : values) rows.emplace_back(num, 0);
  for (int64_t num = -1000; num <= 1000; ++num) rows.emplace_back(num, 0);
  for (RoundMode mode : kModes) {
    for (int64_t den : {int64_t{1}, int64_t{-1}, int64_t{2}, int64_t{3}, int64_t{-10}, int64_t{365}, INT64_MIN}) {
      std::vector<Outcome> outcomes = evalPairs(roundDiv(input(0), num(den), 0, 1, mode, 6), rows);
      for (size_t row = 0; row < rows.size(); ++row) {
        int64_t expected = 0;
        int32_t code = rw_round_div(rows[row].first, den, 0, 1, static_cast<int32_t>(mode), &expected);
        INFO("mode " << static_cast<int>(mode) << " " << rows[row].first << " / " << den);
        REQUIRE(outcomes[row].code == code);
        if (code == 0) REQUIRE(outcomes[row].value == expected);
      }
    }
  }
}
