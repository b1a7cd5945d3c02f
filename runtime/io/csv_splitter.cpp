// Field splitting with a table-driven fast path for unquoted fields.
#include "csv_splitter.hpp"

#include <algorithm>
#include <cstring>

#include "runtime/io/record_scanner.hpp"

namespace regelwerk {

std::string describeSplitError(SplitError error, uint32_t field) {
  const std::string where = "field " + std::to_string(field + 1);
  switch (error) {
    case SplitError::QuoteInUnquotedField:
      return where + " has a quote inside unquoted text; quote the whole field and double the inner quote";
    case SplitError::TextAfterClosingQuote:
      return where + " has text after its closing quote; a quoted field must end at the quote";
    case SplitError::UnterminatedQuote: return where + " opens a quote that is never closed (the input ends inside it)";
    case SplitError::None: break;
  }
  return "";
}

std::string describeFieldCount(size_t fields, size_t header_fields) {
  return "row has " + std::to_string(fields) + (fields == 1 ? " field" : " fields") + ", the header has " +
         std::to_string(header_fields);
}

CsvSplitter::CsvSplitter(CsvDialect dialect) : dialect_(dialect) {
  std::memset(stops_, 0, sizeof stops_);
  for (char c : {dialect.separator, dialect.quote, '\r', '\n'}) stops_[static_cast<unsigned char>(c)] = 1;
}

SplitResult CsvSplitter::fail(const char* record, const char* end, SplitError error, size_t field) const {
  RecordScanner scanner(dialect_);
  const char* record_end = scanner.scanFirst(record, end);
  if (!record_end) record_end = end;
  const int64_t newlines = std::count(record, record_end, '\n');
  return SplitResult{record_end, newlines, error, static_cast<uint32_t>(field)};
}

// Reads a quoted field whose opening quote is at *pos; leaves *pos on the byte after the closing
// quote. False when the quote is never closed.
bool CsvSplitter::readQuoted(const char** pos, const char* end, std::vector<CsvField>* fields,
                             int64_t* newlines) const {
  const char* start = *pos + 1;
  const char* scan = start;
  bool escaped = false;
  for (;;) {
    const char* quote = static_cast<const char*>(std::memchr(scan, dialect_.quote, static_cast<size_t>(end - scan)));
    if (!quote) return false;
    *newlines += std::count(scan, quote, '\n');
    if (quote + 1 < end && quote[1] == dialect_.quote) {
      escaped = true;
      scan = quote + 2;
      continue;
    }
    fields->push_back(CsvField{start, static_cast<uint32_t>(quote - start), true, escaped});
    *pos = quote + 1;
    return true;
  }
}

// The fast path is the inner `while`: one table lookup per byte until a separator, quote or line end.
SplitResult CsvSplitter::split(const char* pos, const char* end, std::vector<CsvField>* fields) const {
  fields->clear();
  const char* record = pos;
  int64_t newlines = 0;
  for (;;) {
    if (*pos == dialect_.quote) {
      if (!readQuoted(&pos, end, fields, &newlines)) return fail(record, end, SplitError::UnterminatedQuote, fields->size());
      if (pos == end) return SplitResult{pos, newlines, SplitError::None, 0};
    } else {
      const char* start = pos;
      for (;;) {
        while (!stops_[static_cast<unsigned char>(*pos)]) ++pos;
        if (*pos != '\r' || pos[1] == '\n') break;
        ++pos;  // a lone CR is data
      }
      if (*pos == dialect_.quote) return fail(record, end, SplitError::QuoteInUnquotedField, fields->size());
      fields->push_back(CsvField{start, static_cast<uint32_t>(pos - start), false, false});
    }
    const char c = *pos;
    if (c == dialect_.separator) {
      ++pos;
      continue;
    }
    if (c == '\n') return SplitResult{pos + 1, newlines + 1, SplitError::None, 0};
    if (c == '\r' && pos + 1 < end && pos[1] == '\n') return SplitResult{pos + 2, newlines + 1, SplitError::None, 0};
    return fail(record, end, SplitError::TextAfterClosingQuote, fields->size() - 1);
  }
}

void CsvSplitter::unescape(const CsvField& field, std::string* out) const {
  out->clear();
  const char* pos = field.data;
  const char* end = field.data + field.size;
  while (pos < end) {
    out->push_back(*pos);
    pos += (*pos == dialect_.quote) ? 2 : 1;
  }
}

}  // namespace regelwerk
