// Decimal text <-> scaled int64: exact parsing, padding, rejection of extra places, overflow, formatting.
#include <catch2/catch.hpp>

#include <cstdint>

#include "runtime/columnar/decimal_text.hpp"

using namespace regelwerk;

namespace {

int64_t parsed(std::string_view text, int scale) {
  int64_t value = -12345;
  REQUIRE(parseDecimal(text, scale, &value) == NumberError::None);
  return value;
}

NumberError errorOf(std::string_view text, int scale) {
  int64_t value = 0;
  return parseDecimal(text, scale, &value);
}

}  // namespace

TEST_CASE("decimals parse at the target scale, padding fewer places", "[decimal]") {
  CHECK(parsed("12.50", 2) == 1250);
  CHECK(parsed("12.5", 2) == 1250);
  CHECK(parsed("12", 2) == 1200);
  CHECK(parsed("0", 2) == 0);
  CHECK(parsed("-0", 2) == 0);
  CHECK(parsed("-0.05", 2) == -5);
  CHECK(parsed("007", 0) == 7);
  CHECK(parsed("1.27", 4) == 12700);
  CHECK(parsed("0.000000000000000001", 18) == 1);
  CHECK(parsed("-3", 0) == -3);
  CHECK(parsed("9.223372036854775807", 18) == INT64_MAX);
}

TEST_CASE("decimals reject more places than the scale, never rounding", "[decimal]") {
  CHECK(errorOf("12.345", 2) == NumberError::TooManyPlaces);
  CHECK(errorOf("12.500", 2) == NumberError::TooManyPlaces);
  CHECK(errorOf("12.5", 0) == NumberError::TooManyPlaces);
  CHECK(errorOf("0.0000000000000000001", 18) == NumberError::TooManyPlaces);
  CHECK(decimalPlaces("12.345") == 3);
  CHECK(decimalPlaces("12") == 0);
}

TEST_CASE("decimals reject anything but -?[0-9]+(.[0-9]+)?", "[decimal]") {
  for (const char* text : {"", "-", "+5", ".5", "5.", "1,5", "1.2.3", " 1", "1 ", "1e5", "0x10", "--1", "1-",
                           "12.5x", "abc", "\xD9\xA1\xD9\xA2", "1_000", "NaN", "inf"}) {
    INFO(text);
    CHECK(errorOf(text, 2) == NumberError::Syntax);
  }
  // Syntax outranks the other errors.
  CHECK(errorOf("99999999999999999999999.123x", 2) == NumberError::Syntax);
}

TEST_CASE("decimals at the int64 edges", "[decimal]") {
  CHECK(parsed("9223372036854775807", 0) == INT64_MAX);
  CHECK(parsed("-9223372036854775808", 0) == INT64_MIN);
  CHECK(parsed("-92233720368547758.08", 2) == INT64_MIN);
  CHECK(parsed("92233720368547758.07", 2) == INT64_MAX);
  CHECK(parsed("00000000000000000000000000009223372036854775807", 0) == INT64_MAX);
  CHECK(errorOf("9223372036854775808", 0) == NumberError::Overflow);
  CHECK(errorOf("-9223372036854775809", 0) == NumberError::Overflow);
  CHECK(errorOf("92233720368547758.08", 2) == NumberError::Overflow);
  CHECK(errorOf("92233720368547758", 3) == NumberError::Overflow);  // overflows only through the padding
  CHECK(errorOf("18446744073709551616", 0) == NumberError::Overflow);  // wraps uint64
  CHECK(errorOf("99999999999999999999999999999999", 0) == NumberError::Overflow);
  // Too many places outranks overflow: the analyst fixes the places first.
  CHECK(errorOf("99999999999999999999999.123", 2) == NumberError::TooManyPlaces);
}

TEST_CASE("decimals format at their scale", "[decimal]") {
  CHECK(formatDecimal(-5, 2) == "-0.05");
  CHECK(formatDecimal(1250, 2) == "12.50");
  CHECK(formatDecimal(0, 0) == "0");
  CHECK(formatDecimal(0, 2) == "0.00");
  CHECK(formatDecimal(7, 0) == "7");
  CHECK(formatDecimal(-7, 0) == "-7");
  CHECK(formatDecimal(1, 18) == "0.000000000000000001");
  CHECK(formatDecimal(5, 3) == "0.005");  // an odd number of places: one digit after the pairs
  CHECK(formatDecimal(12345, 3) == "12.345");
  CHECK(formatDecimal(-100, 1) == "-10.0");
  CHECK(formatDecimal(INT64_MIN, 0) == "-9223372036854775808");
  CHECK(formatDecimal(INT64_MIN, 2) == "-92233720368547758.08");
  CHECK(formatDecimal(INT64_MIN, 18) == "-9.223372036854775808");
  CHECK(formatDecimal(INT64_MAX, 18) == "9.223372036854775807");
  CHECK(formatDecimal(INT64_MAX, 0) == "9223372036854775807");
}

TEST_CASE("decimal text round-trips at every scale", "[decimal]") {
  const int64_t samples[] = {0, 1, -1, 9, 10, -10, 99, 1250, -1250, 123456789, INT64_MAX, INT64_MIN,
                             INT64_MAX / 10, INT64_MIN / 7, 1000000000000000000};
  for (int scale = 0; scale <= 18; ++scale)
    for (int64_t value : samples) {
      const std::string text = formatDecimal(value, scale);
      INFO(text << " at scale " << scale);
      CHECK(parsed(text, scale) == value);
    }
}

TEST_CASE("scaleUp is checked multiplication by a power of ten", "[decimal]") {
  int64_t out = 0;
  CHECK(scaleUp(12, 3, &out));
  CHECK(out == 12000);
  CHECK(scaleUp(-922337203685477580, 1, &out));
  CHECK(out == -9223372036854775800);
  CHECK_FALSE(scaleUp(922337203685477581, 1, &out));
  CHECK(pow10(0) == 1);
  CHECK(pow10(18) == 1000000000000000000);
}
