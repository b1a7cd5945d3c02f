// The CSV dialect: which byte separates fields and which byte quotes them.
#pragma once

#include <string>

namespace regelwerk {

struct CsvDialect {
  char separator = ',';
  char quote = '"';
};

// "" when the dialect can be read unambiguously, else why not (e.g. the separator is the quote).
inline std::string checkDialect(const CsvDialect& dialect) {
  auto isLineEnd = [](char c) { return c == '\n' || c == '\r'; };
  if (isLineEnd(dialect.separator) || isLineEnd(dialect.quote)) return "the separator and quote cannot be CR or LF";
  if (dialect.separator == dialect.quote) return "the separator and the quote must be different characters";
  return "";
}

}  // namespace regelwerk
