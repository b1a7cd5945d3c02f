// The CSV dialect: which byte separates fields and which byte quotes them.
#pragma once

#include <cstring>
#include <string>
#include <string_view>

namespace regelwerk {

struct CsvDialect {
  char separator = ',';
  char quote = '"';
};

// A UTF-8 byte order mark: dropped before the header of data and table files alike.
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The length of the byte order mark at the start of `text` (0 or 3).
inline size_t bomLength(const char* text, size_t size) {
  return size >= kUtf8Bom.size() && std::memcmp(text, kUtf8Bom.data(), kUtf8Bom.size()) == 0 ? kUtf8Bom.size() : 0;
}

// "" when the dialect can be read unambiguously, else why not (e.g. the separator is the quote).
inline std::string checkDialect(const CsvDialect& dialect) {
  auto isLineEnd = [](char c) { return c == '\n' || c == '\r'; };
  if (isLineEnd(dialect.separator) || isLineEnd(dialect.quote)) return "the separator and quote cannot be CR or LF";
  if (dialect.separator == dialect.quote) return "the separator and the quote must be different characters";
  return "";
}

}  // namespace regelwerk
