// Exact decimal text <-> scaled int64: hand-written loops, the hot path of every numeric CSV cell.
#include "decimal_text.hpp"

#include <cassert>
#include <cstring>

namespace regelwerk {

namespace {

constexpr int64_t kPowers[19] = {1,
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
                                 1000000000000000000};

inline bool isDigit(char c) { return static_cast<unsigned>(c - '0') < 10; }

// Reads a run of digits into `magnitude`; `overflow` becomes sticky once uint64 wraps.
// Returns the first non-digit position.
inline const char* readDigits(const char* pos, const char* end, uint64_t* magnitude, bool* overflow) {
  uint64_t value = *magnitude;
  bool wrapped = *overflow;
  for (; pos < end && isDigit(*pos); ++pos) {
    wrapped |= __builtin_mul_overflow(value, uint64_t{10}, &value);
    wrapped |= __builtin_add_overflow(value, static_cast<uint64_t>(*pos - '0'), &value);
  }
  *magnitude = value;
  *overflow = wrapped;
  return pos;
}

// Applies the sign to an unsigned magnitude; the limit is 2^63 for negatives, 2^63 - 1 otherwise.
inline bool signedFromMagnitude(uint64_t magnitude, bool negative, int64_t* out) {
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(INT64_MAX);
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return false;
  *out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
  return true;
}

}  // namespace

int64_t pow10(int power) {
  assert(power >= 0 && power <= 18 && "pow10 covers int64 powers only");
  return kPowers[power];
}

// The common case: at most 18 characters after the sign, so the digits cannot overflow and the loop
// needs no checks; only the padding to `scale` can.
static NumberError parseShort(const char* pos, const char* end, bool negative, int scale, int64_t* out) {
  uint64_t magnitude = 0;
  const char* digits = pos;
  for (; pos < end && isDigit(*pos); ++pos) magnitude = magnitude * 10 + static_cast<uint64_t>(*pos - '0');
  if (pos == digits) return NumberError::Syntax;
  int places = 0;
  if (pos < end) {
    if (*pos != '.') return NumberError::Syntax;
    const char* fraction = ++pos;
    for (; pos < end && isDigit(*pos); ++pos) magnitude = magnitude * 10 + static_cast<uint64_t>(*pos - '0');
    places = static_cast<int>(pos - fraction);
    if (places == 0 || pos != end) return NumberError::Syntax;
  }
  if (places > scale) return NumberError::TooManyPlaces;
  if (places < scale && __builtin_mul_overflow(magnitude, static_cast<uint64_t>(kPowers[scale - places]), &magnitude))
    return NumberError::Overflow;
  return signedFromMagnitude(magnitude, negative, out) ? NumberError::None : NumberError::Overflow;
}

NumberError parseDecimal(std::string_view text, int scale, int64_t* out) {
  assert(scale >= 0 && scale <= 18 && "scale out of range");
  const char* pos = text.data();
  const char* end = pos + text.size();
  bool negative = pos < end && *pos == '-';
  if (negative) ++pos;
  if (end - pos <= 18) return parseShort(pos, end, negative, scale, out);
  uint64_t magnitude = 0;
  bool overflow = false;
  const char* int_end = readDigits(pos, end, &magnitude, &overflow);
  if (int_end == pos) return NumberError::Syntax;
  int places = 0;
  if (int_end < end) {
    if (*int_end != '.') return NumberError::Syntax;
    const char* frac_end = readDigits(int_end + 1, end, &magnitude, &overflow);
    places = static_cast<int>(frac_end - (int_end + 1));
    if (places == 0 || frac_end != end) return NumberError::Syntax;
  }
  if (places > scale) return NumberError::TooManyPlaces;
  if (overflow) return NumberError::Overflow;
  if (places < scale && __builtin_mul_overflow(magnitude, static_cast<uint64_t>(kPowers[scale - places]), &magnitude))
    return NumberError::Overflow;
  return signedFromMagnitude(magnitude, negative, out) ? NumberError::None : NumberError::Overflow;
}

int decimalPlaces(std::string_view text) {
  size_t point = text.find('.');
  return point == std::string_view::npos ? 0 : static_cast<int>(text.size() - point - 1);
}

bool scaleUp(int64_t value, int power, int64_t* out) { return !__builtin_mul_overflow(value, pow10(power), out); }

// Builds the text right to left (places, point, integer digits, sign) in a scratch buffer; scale 0
// (ints, cents) skips the scratch copy.
size_t writeDecimal(int64_t value, int scale, char* buffer) {
  assert(scale >= 0 && scale <= 18 && "scale out of range");
  char* end = scale == 0 ? writeInteger(value, buffer) : writeFixed(value, scale, buffer);
  return static_cast<size_t>(end - buffer);
}

void appendDecimal(int64_t value, int scale, std::string* out) {
  char buffer[kMaxDecimalChars];
  out->append(buffer, writeDecimal(value, scale, buffer));
}

std::string formatDecimal(int64_t value, int scale) {
  std::string out;
  appendDecimal(value, scale, &out);
  return out;
}

}  // namespace regelwerk
