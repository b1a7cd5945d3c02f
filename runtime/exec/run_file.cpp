// Run files: buffered binary writes and reads of keyed records.
#include "run_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace regelwerk {

namespace {

struct RunRecordHeader {
  int64_t line;
  uint32_t record_size;
  uint32_t key_size;
};

std::string ioError(const char* what) {
  return std::string(what) + " a temporary sort file: " + std::strerror(errno);
}

}  // namespace

RunWriter::RunWriter(int fd, KeyType key_type, size_t buffer_size)
    : fd_(fd), key_type_(key_type), buffer_size_(std::max<size_t>(buffer_size, 4096)) {
  buffer_.reserve(buffer_size_);
}

RunWriter::~RunWriter() {
  if (fd_ >= 0) ::close(fd_);
}

bool RunWriter::flush(std::string* error) {
  const char* pos = buffer_.data();
  const char* end = pos + buffer_.size();
  while (pos < end) {
    const ssize_t wrote = ::write(fd_, pos, static_cast<size_t>(end - pos));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) {
      *error = ioError("cannot write");
      return false;
    }
    pos += wrote;
  }
  bytes_written_ += buffer_.size();
  buffer_.clear();
  return true;
}

bool RunWriter::write(const KeyedRecord& record, std::string* error) {
  const bool int_key = key_type_ == KeyType::Int;
  const RunRecordHeader header{record.line, static_cast<uint32_t>(record.text.size()),
                               static_cast<uint32_t>(int_key ? sizeof(int64_t) : record.key.text.size())};
  const size_t size = sizeof header + header.key_size + header.record_size;
  if (buffer_.size() + size > buffer_size_ && !flush(error)) return false;
  buffer_.append(reinterpret_cast<const char*>(&header), sizeof header);
  if (int_key)
    buffer_.append(reinterpret_cast<const char*>(&record.key.number), sizeof(int64_t));
  else
    buffer_.append(record.key.text);
  buffer_.append(record.text);
  return true;
}

int RunWriter::finish(std::string* error) {
  if (!flush(error)) return -1;
  if (::lseek(fd_, 0, SEEK_SET) != 0) {
    *error = ioError("cannot rewind");
    return -1;
  }
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

RunReader::RunReader(int fd, KeyType key_type, size_t buffer_size)
    : fd_(fd), key_type_(key_type), buffer_size_(std::max<size_t>(buffer_size, 4096)) {}

RunReader::~RunReader() {
  if (fd_ >= 0) ::close(fd_);
}

// Makes `bytes` unread bytes available from offset_ (moving the unread tail to the front and
// growing the buffer for a record larger than it). False at the end of the file or on an error.
bool RunReader::ensure(size_t bytes, std::string* error) {
  if (buffer_.size() - offset_ >= bytes) return true;
  buffer_.erasePrefix(offset_);
  offset_ = 0;
  const size_t target = std::max(bytes, buffer_size_);
  while (!eof_ && buffer_.size() < bytes) {
    const size_t size = buffer_.size();
    buffer_.resizeForOverwrite(target);
    const ssize_t got = ::read(fd_, buffer_.data() + size, target - size);
    buffer_.resize(size + static_cast<size_t>(std::max<ssize_t>(got, 0)));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      *error = ioError("cannot read");
      return false;
    }
    eof_ = got == 0;
  }
  if (buffer_.size() >= bytes) return true;
  if (buffer_.size() != 0) *error = "a temporary sort file ends inside a record (was it changed?)";
  return false;
}

bool RunReader::next(KeyedRecord* record, std::string* error) {
  RunRecordHeader header;
  if (!ensure(sizeof header, error)) return false;
  std::memcpy(&header, buffer_.data() + offset_, sizeof header);
  const size_t size = sizeof header + header.key_size + header.record_size;
  if (!ensure(size, error)) {
    if (error->empty()) *error = "a temporary sort file ends inside a record (was it changed?)";
    return false;
  }
  const char* key = buffer_.data() + offset_ + sizeof header;
  record->line = header.line;
  if (key_type_ == KeyType::Int)
    std::memcpy(&record->key.number, key, sizeof(int64_t));
  else
    record->key.text = std::string_view(key, header.key_size);
  record->text = std::string_view(key + header.key_size, header.record_size);
  offset_ += size;
  return true;
}

}  // namespace regelwerk
