// Reads CSV input from a file descriptor in chunks of whole records, with flat memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/record_limit.hpp"
#include "runtime/io/record_scanner.hpp"

namespace regelwerk {

inline constexpr size_t kDefaultChunkSize = size_t{1} << 20;

// The reader-thread half of the pipeline: read(2) into buffers, cut at the last record end, carry
// the partial record over to the next chunk. Works on files and pipes (stdin) alike; memory stays at
// about two chunks however large the input. A record longer than the chunk size grows that chunk;
// one longer than `max_record_size` (line end included; a runaway quote, usually) is rejected: it
// comes as a chunk of its own whose `rejects` hold its line, the reason and its first
// max_record_size bytes, and the reader skips to its end (with constant memory) and goes on.
// A header that long is an error.
// Not thread-safe: one thread calls readHeader() once, then next() until it returns false.
class CsvChunker {
 public:
  // Does not take ownership of `fd`.
  explicit CsvChunker(int fd, CsvDialect dialect = {}, size_t chunk_size = kDefaultChunkSize,
                      size_t max_record_size = kDefaultMaxRecordSize);

  // Reads the header record: strips a UTF-8 BOM, unquotes the fields. False with `error` for an
  // empty input ("input is empty: expected a header line"), a malformed header or a read error.
  bool readHeader(std::vector<std::string>* fields, std::string* error);

  // The next chunk of whole records (about chunk_size bytes); reuses chunk->text's capacity.
  // False at the end of the input (`error` empty) or on a read error (`error` set).
  bool next(Chunk* chunk, std::string* error);

 private:
  enum class Buffered : uint8_t { RecordEnd, TooLong, Failed };

  bool fill(ByteBuffer* buffer, size_t target, std::string* error);
  Buffered bufferUntilRecordEnd(ByteBuffer* buffer, bool first_only, size_t* record_end, std::string* error);
  std::string tooLongReason() const;
  void rejectTooLong(Chunk* chunk);
  bool skipRestOfRecord(std::string* error);
  void stripBom(ByteBuffer* buffer);

  int fd_;
  CsvDialect dialect_;
  size_t chunk_size_;
  size_t max_record_size_;
  RecordScanner scanner_;
  ByteBuffer carry_;  // bytes read after the last record end, the start of the next chunk
  bool eof_ = false;
  bool skipping_ = false;  // the last chunk was a too-long record's reject: skip to its end first
  int64_t next_line_ = 1;
  uint64_t sequence_ = 0;
};

}  // namespace regelwerk
