// Turns fuzz bytes into a small rule file that should check, and into CSV rows for it: the input of
// the engines fuzz target. The bytes choose operators, literals, nesting, hit policy and cell values
// (most of them well-formed, some edge values and some raw bytes), so most inputs reach evaluation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace regelwerk::fuzz {

// Fuzz bytes read front to back; zeros once they run out, so every input generates something.
class ByteSource {
 public:
  ByteSource(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t byte() { return used_ < size_ ? data_[used_++] : 0; }
  size_t pick(size_t count) { return byte() % count; }
  uint64_t word();
  bool empty() const { return used_ >= size_; }
  std::string_view rest();

 private:
  const uint8_t* data_;
  size_t size_;
  size_t used_ = 0;
};

// The rule file: a fixed input of every type (with optional fields), two params, a let, one output
// per type computed by a generated expression, and a generated decision block.
std::string generateProgram(ByteSource* bytes);

// The CSV text for generateProgram's input: its header, then a few rows generated from the bytes.
std::string generateRows(ByteSource* bytes);

}  // namespace regelwerk::fuzz
