// Finds where CSV records end (a '\n' outside quotes) without splitting fields: the chunker's job.
#pragma once

#include <cstdint>

#include "runtime/io/csv_dialect.hpp"

namespace regelwerk {

// A resumable state machine over bytes. A quote opens a quoted field only at the start of a field
// (a quote inside an unquoted field is data here; the record parser rejects it), `""` inside quotes
// is an escaped quote, and only '\n' ends a record (so CRLF works: '\r' is stripped by the parser).
// It agrees with CsvSplitter on every record boundary, valid or not, so any chunk size gives the
// same records. Example: `a,"x\ny",b\nc` has one record end, after `b\n`.
// Whole 64-byte blocks go through the structural index (csv_structural_index.hpp): the in-quotes
// mask is the quote parity, and the record ends are the line feeds outside quotes. That equals the
// state machine when every quote stands where RFC 4180 puts it; a block with a quote anywhere else
// (`5" screen`, `"a"b`) is stepped byte by byte instead, so the result never depends on the kernel.
class RecordScanner {
 public:
  explicit RecordScanner(CsvDialect dialect) : dialect_(dialect) {}

  // Continues over [pos, end); returns the position after the last record end seen in it (null if
  // none). The state carries over to the next call.
  const char* scanLast(const char* pos, const char* end);
  // Continues over [pos, end) and stops after the first record end (null if there is none).
  const char* scanFirst(const char* pos, const char* end);

  void reset() { state_ = State::FieldStart; }
  bool inQuotes() const { return state_ == State::Quoted; }

 private:
  enum class State : uint8_t { FieldStart, Unquoted, Quoted, QuoteInQuoted };

  bool step(char c);  // true when `c` ends a record
  bool stepBlock(const char* block, uint64_t* record_ends);
  const char* scanBytes(const char* pos, const char* end, bool first_only);
  const char* scanLastWithoutQuotes(const char* pos, const char* end);

  CsvDialect dialect_;
  State state_ = State::FieldStart;
};

}  // namespace regelwerk
