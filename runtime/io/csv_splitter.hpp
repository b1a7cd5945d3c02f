// Splits one CSV record into fields in place (no copies): the hot loop of the reader.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/io/csv_dialect.hpp"

namespace regelwerk {

// One field of a record. For a quoted field `data` is the text inside the quotes, with any `""`
// still doubled (`escaped` says so; unescape before use).
struct CsvField {
  const char* data;
  uint32_t size;
  bool quoted;
  bool escaped;
  std::string_view view() const { return std::string_view(data, size); }
};

enum class SplitError : uint8_t {
  None,
  QuoteInUnquotedField,   // `ab"c`: a quote in the middle of a field that does not start with one
  TextAfterClosingQuote,  // `"ab"c`
  UnterminatedQuote,      // `"ab` up to the end of the input
};

struct SplitResult {
  const char* end;           // just past the record's '\n' (the next record's start)
  int64_t newlines;          // '\n' bytes consumed, including those inside quoted fields
  SplitError error;
  uint32_t error_field;      // 0-based field index of the error
};

// The length of an empty line at `pos` (`\n` or `\r\n`), 0 when the line has text. Both readers skip
// empty lines between records; they only count for line numbers.
inline size_t emptyLineLength(const char* pos, const char* end) {
  if (*pos == '\n') return 1;
  return *pos == '\r' && pos + 1 < end && pos[1] == '\n' ? 2 : 0;
}

// A record as it stands in the file, without its line end (`\n` or `\r\n`): what rejects keep.
inline std::string_view recordWithoutLineEnd(const char* begin, const char* end) {
  if (end > begin && end[-1] == '\n') --end;
  if (end > begin && end[-1] == '\r') --end;
  return std::string_view(begin, static_cast<size_t>(end - begin));
}

// Why a record does not split, in the words of the data reader's rejects and the table reader's
// errors: `field 3 opens a quote that is never closed (the input ends inside it)`.
std::string describeSplitError(SplitError error, uint32_t field);

// A record whose field count differs from the header's: `row has 7 fields, the header has 8`.
std::string describeFieldCount(size_t fields, size_t header_fields);

class CsvSplitter {
 public:
  explicit CsvSplitter(CsvDialect dialect);

  // Splits the record that starts at `pos`. Requires end[-1] == '\n' (see Chunk). A trailing '\r'
  // before the '\n' is dropped. On an error the result still skips the whole record, exactly as
  // RecordScanner delimits it. Example: `1,"a ""b""",x\r\n` -> 1 | a ""b"" (escaped) | x.
  SplitResult split(const char* pos, const char* end, std::vector<CsvField>* fields) const;

  // The text of a quoted field with `""` turned into `"`.
  void unescape(const CsvField& field, std::string* out) const;

 private:
  SplitResult fail(const char* record, const char* end, SplitError error, size_t field) const;
  bool readQuoted(const char** pos, const char* end, std::vector<CsvField>* fields, int64_t* newlines) const;

  CsvDialect dialect_;
  uint8_t stops_[256];  // non-zero for bytes that end the fast unquoted scan: separator, quote, CR, LF
};

}  // namespace regelwerk
