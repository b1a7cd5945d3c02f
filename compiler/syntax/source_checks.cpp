// File-size and UTF-8 checks, done on bytes before any ANTLR code runs.
#include "source_checks.hpp"

#include <fmt/format.h>

#include "parser.hpp"

namespace regelwerk::syntax {
namespace {

// Length of the well-formed UTF-8 sequence at `pos`, or 0 when it is malformed (overlong forms,
// surrogates and code points above U+10FFFF included).
size_t utf8SequenceLength(std::string_view text, size_t pos) {
  auto byte = [&](size_t at) { return at < text.size() ? static_cast<unsigned char>(text[at]) : 0u; };
  unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  auto cont = [&](size_t at, unsigned low = 0x80, unsigned high = 0xBF) {
    unsigned char b = byte(at);
    return b >= low && b <= high;
  };
  if (lead >= 0xC2 && lead <= 0xDF) return cont(pos + 1) ? 2 : 0;
  if (lead == 0xE0) return cont(pos + 1, 0xA0) && cont(pos + 2) ? 3 : 0;
  if (lead == 0xED) return cont(pos + 1, 0x80, 0x9F) && cont(pos + 2) ? 3 : 0;
  if (lead >= 0xE1 && lead <= 0xEF) return cont(pos + 1) && cont(pos + 2) ? 3 : 0;
  if (lead == 0xF0) return cont(pos + 1, 0x90) && cont(pos + 2) && cont(pos + 3) ? 4 : 0;
  if (lead >= 0xF1 && lead <= 0xF3) return cont(pos + 1) && cont(pos + 2) && cont(pos + 3) ? 4 : 0;
  if (lead == 0xF4) return cont(pos + 1, 0x80, 0x8F) && cont(pos + 2) && cont(pos + 3) ? 4 : 0;
  return 0;
}

// Reports the first malformed byte with its line and code-point column.
bool checkUtf8(std::string_view text, SyntaxErrorSink& errors) {
  uint32_t line = 1;
  uint32_t col = 1;
  for (size_t pos = 0; pos < text.size();) {
    size_t length = utf8SequenceLength(text, pos);
    if (length == 0) {
      errors.report("E0112", line, col,
                    fmt::format("the file is not valid UTF-8 (byte 0x{:02X})", static_cast<unsigned char>(text[pos])),
                    "save the file as UTF-8");
      return false;
    }
    if (text[pos] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
    pos += length;
  }
  return true;
}

}  // namespace

bool checkSourceText(std::string_view text, SyntaxErrorSink& errors) {
  if (text.size() > kMaxFileBytes) {
    errors.report(
        "E0105", 1, 1,
        fmt::format("the file is {} bytes; rule files may be at most {} bytes (4 MiB)", text.size(), kMaxFileBytes),
        "split the rules into several files");
    return false;
  }
  return checkUtf8(text, errors);
}

}  // namespace regelwerk::syntax
