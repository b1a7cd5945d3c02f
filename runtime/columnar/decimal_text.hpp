// Exact decimal text <-> scaled int64 (value * 10^scale), without floating point or locale.
#pragma once

#include <cstddef>
#include <cstdint>
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

// Writes `value` as plain digits (writeDecimal at scale 0) at `out`, which has room for 20 bytes;
// returns the end. Counts the digits first, so it writes in place, two digits per division.
// Example: -4000 -> "-4000"; INT64_MIN is exact.
char* writeInteger(int64_t value, char* out);
std::string formatDecimal(int64_t value, int scale);

}  // namespace regelwerk
