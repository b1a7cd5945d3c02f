// Output CSV: row-major text from column views, one plan per output with inline common shapes.
#include "csv_writer.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

namespace {

constexpr size_t kIntegerChars = 20;  // sign and 19 digits, or 20 digits

}  // namespace

CsvWriter::CsvWriter(const std::vector<ir::Output>& outputs, CsvDialect dialect, size_t max_line)
    : outputs_(&outputs), dialect_(dialect), max_line_(max_line) {
  fixed_bound_ = outputs.size() + 1;  // separators and the line feed
  for (const ir::Output& output : outputs) {
    formatters_.emplace_back(output.type, output.format, dialect.separator, dialect.quote);
    kinds_.push_back(ir::physicalKind(output.type));
    OutputPlan plan{formatters_.back().shape(), kinds_.back(), 0, formatters_.back().fixedScale()};
    const bool named = plan.shape == CellFormatter::Shape::Enum || plan.shape == CellFormatter::Shape::Bool;
    const size_t count = plan.shape == CellFormatter::Shape::Bool ? 2 : output.type.members.size();
    if (named && !planNames(formatters_.back(), count, &plan)) plan.shape = CellFormatter::Shape::Other;
    plans_.push_back(plan);
    has_strings_ = has_strings_ || kinds_.back() == ir::Kind::Str;
    const size_t most = kinds_.back() == ir::Kind::Str ? 0 : formatters_.back().maxSize(CellValue{});
    fixed_bound_ += std::max({most, kIntegerChars, sizeof(Name::text)});
  }
}

// Member cell texts (quoted already where the dialect needs it) up to 16 bytes go into fixed
// blocks; false (write through the formatter) for longer ones.
bool CsvWriter::planNames(const CellFormatter& formatter, size_t count, OutputPlan* plan) {
  for (size_t member = 0; member < count; ++member)
    if (formatter.memberText(member).size() > sizeof(Name::text)) return false;
  plan->first_name = static_cast<uint32_t>(names_.size());
  for (size_t member = 0; member < count; ++member) {
    const std::string& name = formatter.memberText(member);
    Name block{};
    std::memcpy(block.text, name.data(), name.size());
    block.size = static_cast<uint32_t>(name.size());
    names_.push_back(block);
  }
  return true;
}

void CsvWriter::appendHeader(std::string* out) const {
  for (size_t output = 0; output < outputs_->size(); ++output) {
    if (output) out->push_back(dialect_.separator);
    appendCsvField((*outputs_)[output].name, dialect_.separator, dialect_.quote, out);
  }
  out->push_back('\n');
}

// Room a row needs: fixed for non-string outputs, plus each string cell's own bound.
size_t CsvWriter::rowBound(const ColumnView* columns, size_t row) const {
  if (!has_strings_) return fixed_bound_;
  size_t bound = fixed_bound_;
  for (size_t output = 0; output < plans_.size(); ++output)
    if (kinds_[output] == ir::Kind::Str)
      bound += formatters_[output].maxSize(cellAt(columns[output], kinds_[output], row));
  return bound;
}

// The common shapes inline: integers and fixed-point numbers (money, decimals) in place, names as one 16-byte copy (the row bound leaves
// room for the whole block; only `size` bytes count). Others go through the CellFormatter.
char* CsvWriter::writeCell(size_t output, const ColumnView& column, size_t row, char* out) const {
  if (column.valid && column.valid[row] == 0) return out;  // missing: an empty cell
  const OutputPlan& plan = plans_[output];
  switch (plan.shape) {
    case CellFormatter::Shape::Integer: return writeInteger(static_cast<const int64_t*>(column.values)[row], out);
    case CellFormatter::Shape::Fixed: return writeFixed(static_cast<const int64_t*>(column.values)[row], plan.scale, out);
    case CellFormatter::Shape::Enum:
    case CellFormatter::Shape::Bool: {
      const int64_t index = plan.kind == ir::Kind::Bool ? static_cast<const uint8_t*>(column.values)[row]
                                                        : static_cast<const int64_t*>(column.values)[row];
      assert(index >= 0 && static_cast<size_t>(index) < outputNameCount(output) && "enum index out of range");
      const Name& name = names_[plan.first_name + static_cast<size_t>(index)];
      std::memcpy(out, name.text, sizeof name.text);
      return out + name.size;
    }
    case CellFormatter::Shape::Other: break;
  }
  return formatters_[output].write(cellAt(column, plan.kind, row), out);
}

char* CsvWriter::writeRow(const ColumnView* columns, size_t row, char* out) const {
  for (size_t output = 0; output < plans_.size(); ++output) {
    if (output) *out++ = dialect_.separator;
    out = writeCell(output, columns[output], row, out);
  }
  *out++ = '\n';
  return out;
}

size_t CsvWriter::lineSize(const ColumnView* columns, size_t row) const {
  size_t size = plans_.size();  // separators and the line feed
  for (size_t output = 0; output < plans_.size(); ++output)
    size += formatters_[output].exactSize(cellAt(columns[output], kinds_[output], row));
  return size;
}

// One bounds check per row against the buffer's capacity; the buffer grows geometrically and is
// never zero-filled, and its size is set once at the end. The line-length check costs one compare
// of the bound already computed: only a row whose bound exceeds max_line_ (a string of megabytes)
// is measured exactly.
void CsvWriter::appendRows(const ColumnView* columns, const RowError* errors, size_t rows, ByteBuffer* out,
                           std::vector<size_t>* too_long) const {
  char* cursor = out->ensureTail(0);
  const char* limit = cursor + (out->capacity() - out->size());
  for (size_t row = 0; row < rows; ++row) {
    if (errors && errors[row].code != 0) continue;
    const size_t bound = rowBound(columns, row);
    if (bound > max_line_ && too_long && lineSize(columns, row) > max_line_) [[unlikely]] {
      too_long->push_back(row);
      continue;
    }
    if (static_cast<size_t>(limit - cursor) < bound) {
      out->setEnd(cursor);
      cursor = out->ensureTail(std::max(bound, (rows - row) * fixed_bound_));
      limit = cursor + (out->capacity() - out->size());
    }
    cursor = writeRow(columns, row, cursor);
  }
  out->setEnd(cursor);
}

void CsvWriter::appendRows(const ColumnView* columns, const RowError* errors, size_t rows, std::string* out) const {
  ByteBuffer text;
  appendRows(columns, errors, rows, &text);
  out->append(text.data(), text.size());
}

}  // namespace regelwerk
