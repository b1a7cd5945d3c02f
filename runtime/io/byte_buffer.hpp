// A growable byte buffer for the CSV hot paths: grows without zero-filling, keeps zeroed slack after its end.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace regelwerk {

// Why not std::string: resize() zero-fills every new byte before read(2) or a formatter overwrites
// it, and nothing may be read past size(). ByteBuffer grows uninitialised (resizeForOverwrite) and
// always keeps kPadding zero bytes readable after size(), so a parser may load a whole word at a
// field start without a bounds check (see UnquotedRecordParser). Example: read(2) into
// data() + size() after resizeForOverwrite(size() + n), then resize(size() + got).
class ByteBuffer {
 public:
  static constexpr size_t kPadding = 64;

  ByteBuffer() = default;
  ByteBuffer(ByteBuffer&& other) noexcept { swap(other); }
  ByteBuffer& operator=(ByteBuffer&& other) noexcept {
    swap(other);
    return *this;
  }
  ByteBuffer(const ByteBuffer&) = delete;
  ByteBuffer& operator=(const ByteBuffer&) = delete;

  const char* data() const { return bytes_ ? bytes_.get() : kEmpty; }
  char* data() { return bytes_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  bool empty() const { return size_ == 0; }
  char back() const { return bytes_[size_ - 1]; }
  std::string_view view() const { return std::string_view(data(), size_); }
  operator std::string_view() const { return view(); }

  void clear() { setSize(0); }
  void swap(ByteBuffer& other) noexcept {
    std::swap(bytes_, other.bytes_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

  // Makes room for `size` bytes and sets the size; bytes past the old size are unspecified until
  // written. Keeps the contents up to the old size.
  void resizeForOverwrite(size_t size) {
    reserve(size);
    size_ = size;
  }
  // Shrinks, or grows with unspecified bytes like resizeForOverwrite; then re-zeroes the padding.
  void resize(size_t size) {
    reserve(size);
    setSize(size);
  }
  void reserve(size_t size) {
    if (size > capacity_) grow(size);
  }
  // Room for at least `extra` more bytes past size(), growing geometrically.
  char* ensureTail(size_t extra) {
    if (size_ + extra > capacity_) grow(std::max(size_ + extra, 2 * capacity_));
    return bytes_.get() + size_;
  }
  // Sets the size after writing up to `end` (within capacity).
  void setEnd(const char* end) { setSize(static_cast<size_t>(end - bytes_.get())); }

  void assign(const char* text, size_t size) {
    clear();
    append(text, size);
  }
  void append(const char* text, size_t size) {
    char* tail = ensureTail(size);
    if (size) std::memcpy(tail, text, size);
    setSize(size_ + size);
  }
  void append(std::string_view text) { append(text.data(), text.size()); }
  void push_back(char c) {
    *ensureTail(1) = c;
    setSize(size_ + 1);
  }
  void erasePrefix(size_t count) {
    assert(count <= size_ && "erasePrefix past the end");
    if (count == 0) return;  // also an empty buffer, whose bytes_ is null (memmove from null is UB)
    std::memmove(bytes_.get(), bytes_.get() + count, size_ - count);
    setSize(size_ - count);
  }

 private:
  static constexpr char kEmpty[kPadding] = {};

  void setSize(size_t size) {
    size_ = size;
    if (bytes_) std::memset(bytes_.get() + size_, 0, kPadding);
  }
  void grow(size_t capacity) {
    std::unique_ptr<char[]> bytes(new char[capacity + kPadding]);
    if (size_) std::memcpy(bytes.get(), bytes_.get(), size_);
    std::memset(bytes.get() + size_, 0, kPadding);
    bytes_ = std::move(bytes);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace regelwerk
