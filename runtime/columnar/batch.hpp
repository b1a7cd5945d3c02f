// Columnar batches: what readers fill, what both engines read and write. No LLVM, no ANTLR.
//
// A column holds `rows` values of one physical kind (uint8_t for Bool, int64_t for I64 kinds,
// StrRef for strings) and, for optional fields, one validity byte per row (1 = present).
// Strings point into memory the batch keeps alive (the input text or the batch's arena).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/cell_value.hpp"

namespace regelwerk {

struct StrRef {
  const char* data;
  int64_t size;
};

// The bytes one value of physical kind `kind` takes in a column: a byte per Bool, an int64_t, a StrRef.
constexpr size_t valueBytes(ir::Kind kind) {
  return kind == ir::Kind::Bool ? 1 : kind == ir::Kind::I64 ? sizeof(int64_t) : sizeof(StrRef);
}

// Plain view handed to engines: base pointers only, so the JIT can load them once per batch.
struct ColumnView {
  void* values;    // uint8_t*, int64_t* or StrRef*
  uint8_t* valid;  // null when the column cannot be missing
};

// Per-row outcome of evaluation. code == 0: the row was evaluated; otherwise it is rejected.
struct RowError {
  int32_t code;    // ir::ErrorCode
  int32_t site;    // index into ir::Program::sites
  int32_t rule_a;  // conflicts: rule indices within the decision block; else -1
  int32_t rule_b;
};

// One value per parameter, set once per run. Engines read `i64` for Bool/I64 kinds, `str` for strings.
struct ParamSlot {
  int64_t i64;
  StrRef str;
};

// The value of `row` in a column view of physical kind `kind`, as formatting, diffs and explanations
// read it: missing, the string, or the I64 / Bool value.
CellValue cellAt(const ColumnView& column, ir::Kind kind, size_t row);

class Column {
 public:
  Column(ir::Kind kind, bool optional, size_t capacity);
  ir::Kind kind() const { return kind_; }
  bool optional() const { return optional_; }
  ColumnView view();

  int64_t* i64() { return reinterpret_cast<int64_t*>(values_.data()); }
  uint8_t* boolean() { return reinterpret_cast<uint8_t*>(values_.data()); }
  StrRef* str() { return reinterpret_cast<StrRef*>(values_.data()); }
  uint8_t* valid() { return optional_ ? valid_.data() : nullptr; }
  const int64_t* i64() const { return reinterpret_cast<const int64_t*>(values_.data()); }
  const uint8_t* boolean() const { return reinterpret_cast<const uint8_t*>(values_.data()); }
  const StrRef* str() const { return reinterpret_cast<const StrRef*>(values_.data()); }
  const uint8_t* valid() const { return optional_ ? valid_.data() : nullptr; }
  bool isValid(size_t row) const { return !optional_ || valid_[row] != 0; }

 private:
  ir::Kind kind_;
  bool optional_;
  std::vector<uint64_t> values_;  // 8-byte aligned storage, sized for `capacity` values of `kind_`
  std::vector<uint8_t> valid_;
};

// A batch of records in columns, plus where each record came from (for error messages).
class Batch {
 public:
  Batch() = default;
  // One column per type, in order, each with room for `capacity` rows.
  Batch(const std::vector<ir::Type>& types, size_t capacity);

  size_t rows() const { return rows_; }
  void setRows(size_t rows) { rows_ = rows; }
  size_t capacity() const { return capacity_; }
  size_t columnCount() const { return columns_.size(); }
  Column& column(size_t index) { return columns_[index]; }
  const Column& column(size_t index) const { return columns_[index]; }
  std::vector<ColumnView> views();

  // Source line of each row (1-based line of the input file where the record starts).
  std::vector<int64_t>& lineNumbers() { return line_numbers_; }
  const std::vector<int64_t>& lineNumbers() const { return line_numbers_; }

  // Copies `text` into storage owned by the batch; the StrRef stays valid as long as the batch.
  StrRef intern(std::string_view text);
  void clearArena() { arena_.clear(); }

 private:
  size_t rows_ = 0;
  size_t capacity_ = 0;
  std::vector<Column> columns_;
  std::vector<int64_t> line_numbers_;
  std::deque<std::string> arena_;
};

}  // namespace regelwerk
