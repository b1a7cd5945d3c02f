// UTF-8 validation (RFC 3629), with an 8-bytes-at-a-time path for ASCII, the common case.
#include "utf8.hpp"

#include <cstdint>
#include <cstring>
#include <string>

namespace regelwerk {

namespace {

// Length of the sequence starting at `lead`, or 0 for a byte that cannot start one.
size_t sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The allowed range of the second byte depends on the lead byte (no overlongs, no surrogates,
// nothing above U+10FFFF); later continuation bytes are 0x80..0xBF.
bool secondByteFits(unsigned char lead, unsigned char second) {
  unsigned char low = 0x80, high = 0xBF;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  return second >= low && second <= high;
}

bool wellFormedAt(const unsigned char* bytes, size_t length) {
  if (!secondByteFits(bytes[0], bytes[1])) return false;
  for (size_t index = 2; index < length; ++index) {
    if ((bytes[index] & 0xC0) != 0x80) return false;
  }
  return true;
}

// The length of the well-formed sequence at `pos`, or 0 when the byte there starts none.
size_t validSequenceAt(const unsigned char* bytes, size_t pos, size_t size) {
  const size_t length = sequenceLength(bytes[pos]);
  if (length == 0 || pos + length > size) return 0;
  if (length > 1 && !wellFormedAt(bytes + pos, length)) return 0;
  return length;
}

void appendEscapedByte(unsigned char byte, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  switch (byte) {
    case '\t': out->append("\\t"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    default: break;
  }
  const char escaped[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xF]};
  out->append(escaped, sizeof escaped);
}

}  // namespace

std::string printableText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (size_t pos = 0; pos < text.size();) {
    const unsigned char byte = bytes[pos];
    const size_t length = validSequenceAt(bytes, pos, text.size());
    if (length == 0 || byte < 0x20 || byte == 0x7F) {
      appendEscapedByte(byte, &out);
      ++pos;
      continue;
    }
    out.append(text.substr(pos, length));
    pos += length;
  }
  return out;
}

size_t firstInvalidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t pos = 0;
  while (pos < text.size()) {
    if (pos + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, bytes + pos, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        pos += 8;
        continue;
      }
    }
    size_t length = sequenceLength(bytes[pos]);
    if (length == 0 || pos + length > text.size()) return pos;
    if (length > 1 && !wellFormedAt(bytes + pos, length)) return pos;
    pos += length;
  }
  return std::string_view::npos;
}

}  // namespace regelwerk
