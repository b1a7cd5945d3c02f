// Column storage for batches.
#include "batch.hpp"

namespace regelwerk {

static size_t wordsFor(ir::Kind kind, size_t capacity) { return (capacity * valueBytes(kind) + 7) / 8; }

Column::Column(ir::Kind kind, bool optional, size_t capacity)
    : kind_(kind), optional_(optional), values_(wordsFor(kind, capacity) + 1, 0) {
  if (optional_) valid_.assign(capacity + 1, 1);
}

ColumnView Column::view() { return ColumnView{values_.data(), optional_ ? valid_.data() : nullptr}; }

Batch::Batch(const std::vector<ir::Type>& types, size_t capacity) : capacity_(capacity) {
  columns_.reserve(types.size());
  for (const ir::Type& type : types) columns_.emplace_back(ir::physicalKind(type), type.optional, capacity);
  line_numbers_.assign(capacity, 0);
}

std::vector<ColumnView> Batch::views() {
  std::vector<ColumnView> out;
  out.reserve(columns_.size());
  for (Column& column : columns_) out.push_back(column.view());
  return out;
}

StrRef Batch::intern(std::string_view text) {
  arena_.emplace_back(text);
  return StrRef{arena_.back().data(), static_cast<int64_t>(arena_.back().size())};
}

CellValue cellAt(const ColumnView& column, ir::Kind kind, size_t row) {
  CellValue value;
  value.missing = column.valid != nullptr && column.valid[row] == 0;
  if (value.missing) return value;
  switch (kind) {
    case ir::Kind::I64: value.i64 = static_cast<const int64_t*>(column.values)[row]; break;
    case ir::Kind::Bool: value.i64 = static_cast<const uint8_t*>(column.values)[row]; break;
    case ir::Kind::Str: {
      const StrRef text = static_cast<const StrRef*>(column.values)[row];
      value.str = std::string_view(text.data ? text.data : "", static_cast<size_t>(text.size));
      break;
    }
  }
  return value;
}

}  // namespace regelwerk
