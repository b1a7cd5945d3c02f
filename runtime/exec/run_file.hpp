// Sorted runs on disk: the binary format an external sort spills to and merges from.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/exec/group_key.hpp"
#include "runtime/io/byte_buffer.hpp"

namespace regelwerk {

// One record in a run file: line (int64), record size (uint32), key size (uint32), then the int key
// (int64) or the string key's bytes, then the record's bytes. Native byte order: a run file never
// leaves the process that wrote it.
class RunWriter {
 public:
  // Takes ownership of `fd` (an empty file open for writing), which it hands on with release().
  RunWriter(int fd, KeyType key_type, size_t buffer_size);
  ~RunWriter();
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  bool write(const KeyedRecord& record, std::string* error);
  // Flushes and rewinds the file for reading; returns the fd (now the caller's), -1 on an error.
  int finish(std::string* error);
  uint64_t bytesWritten() const { return bytes_written_; }

 private:
  bool flush(std::string* error);

  int fd_;
  KeyType key_type_;
  size_t buffer_size_;
  ByteBuffer buffer_;
  uint64_t bytes_written_ = 0;
};

// Reads a run file back record by record; views are valid until the next call.
class RunReader final : public KeyedRecordStream {
 public:
  // Takes ownership of `fd`, positioned at the start of a run.
  RunReader(int fd, KeyType key_type, size_t buffer_size);
  ~RunReader() override;
  RunReader(const RunReader&) = delete;
  RunReader& operator=(const RunReader&) = delete;

  bool next(KeyedRecord* record, std::string* error) override;

 private:
  bool ensure(size_t bytes, std::string* error);

  int fd_;
  KeyType key_type_;
  size_t buffer_size_;
  ByteBuffer buffer_;
  size_t offset_ = 0;  // next unread byte in buffer_
  bool eof_ = false;
};

}  // namespace regelwerk
