// Exact decimal text <-> scaled int64 (value * 10^scale), without floating point or locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace regelwerk {

enum class NumberError : uint8_t {
  None,
  Syntax,         // not `-?[0-9]+(\.[0-9]+)?`
  TooManyPlaces,  // more decimal places than the target scale
  Overflow,       // the scaled value does not fit in int64
};

// Longest text writeDecimal produces: sign, 19 digits, point, 18 places of zero padding, slack.
inline constexpr size_t kMaxDecimalChars = 48;

// 10^power for power in 0..18.
int64_t pow10(int power);

// Parses `-?[0-9]+(\.[0-9]+)?` into value * 10^scale (scale 0..18); fewer places are padded.
// Errors are ranked syntax > too many places > overflow, so "1.2x" is a syntax error even if long.
// Example: parseDecimal("12.5", 2) -> 1250; parseDecimal("12.345", 2) -> TooManyPlaces.
NumberError parseDecimal(std::string_view text, int scale, int64_t* out);

// Number of digits after the point in a syntactically valid decimal ("12.345" -> 3, "7" -> 0).
int decimalPlaces(std::string_view text);

// value * 10^power, or false when it overflows int64 (power 0..18).
bool scaleUp(int64_t value, int power, int64_t* out);

// Writes value / 10^scale as text into buffer (kMaxDecimalChars bytes); returns the length.
// Example: (-5, 2) -> "-0.05"; (1250, 2) -> "12.50"; (0, 0) -> "0"; INT64_MIN is exact.
size_t writeDecimal(int64_t value, int scale, char* buffer);
void appendDecimal(int64_t value, int scale, std::string* out);
std::string formatDecimal(int64_t value, int scale);

namespace decimal_detail {

// Two digits per division: "00" "01" … "99".
inline constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Writes the digits of `magnitude` backwards, ending at `end`; returns the first digit's position.
inline char* digitsBackward(uint64_t magnitude, char* end) {
  while (magnitude >= 100) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * (magnitude % 100), 2);
    magnitude /= 100;
  }
  if (magnitude >= 10) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * magnitude, 2);
    return end;
  }
  *--end = static_cast<char>('0' + magnitude);
  return end;
}

// 1 + floor(log10(magnitude)), 1 for 0: a log2 estimate by the bit length (1233/4096 ~ log10 2)
// corrected by one compare. kDigitBounds[0] is 0 so that 0 and 1..9 both count one digit.
inline int digitCount(uint64_t magnitude) {
  static constexpr uint64_t kDigitBounds[20] = {0,
                                                10,
                                                100,
                                                1000,
                                                10000,
                                                100000,
                                                1000000,
                                                10000000,
                                                100000000,
                                                1000000000,
                                                10000000000,
                                                100000000000,
                                                1000000000000,
                                                10000000000000,
                                                100000000000000,
                                                1000000000000000,
                                                10000000000000000,
                                                100000000000000000,
                                                1000000000000000000,
                                                10000000000000000000u};
  const int bits = 64 - __builtin_clzll(magnitude | 1);
  const int guess = (bits * 1233) >> 12;
  return guess + (magnitude >= kDigitBounds[guess] ? 1 : 0);
}

}  // namespace decimal_detail

// Writes `value` as plain digits (writeDecimal at scale 0) at `out`, which has room for 20 bytes;
// returns the end. Counts the digits first, so it writes in place, two digits per division.
// Example: -4000 -> "-4000"; INT64_MIN is exact.
inline char* writeInteger(int64_t value, char* out) {
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  if (value < 0) *out++ = '-';
  char* end = out + decimal_detail::digitCount(magnitude);
  decimal_detail::digitsBackward(magnitude, end);
  return end;
}

// Writes value / 10^scale (scale 1..18) at `out`, which has room for kMaxDecimalChars bytes; returns
// the end. One division splits the whole part from the places; both are then written two digits per
// step, the places zero-padded, so no digit costs a division of its own.
// Example: (-5, 2) -> "-0.05"; (1250, 2) -> "12.50"; INT64_MIN is exact.
inline char* writeFixed(int64_t value, int scale, char* out) {
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  const uint64_t unit = static_cast<uint64_t>(pow10(scale));
  uint64_t places = magnitude % unit;
  if (value < 0) *out++ = '-';
  out = writeInteger(static_cast<int64_t>(magnitude / unit), out);
  *out++ = '.';
  char* end = out + scale;
  char* pos = end;
  while (pos - out >= 2) {
    pos -= 2;
    std::memcpy(pos, decimal_detail::kDigitPairs + 2 * (places % 100), 2);
    places /= 100;
  }
  if (pos > out) *--pos = static_cast<char>('0' + places);
  return end;
}

}  // namespace regelwerk
