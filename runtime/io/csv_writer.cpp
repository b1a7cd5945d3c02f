// Output CSV: row-major text from column views, one CellFormatter per output.
#include "csv_writer.hpp"

#include <algorithm>

namespace regelwerk {

namespace {

// The value of `row` in a column view, as a CellValue of the column's physical kind.
CellValue cellAt(const ColumnView& column, ir::Kind kind, size_t row) {
  CellValue value;
  if (column.valid && column.valid[row] == 0) {
    value.missing = true;
    return value;
  }
  switch (kind) {
    case ir::Kind::I64: value.i64 = static_cast<const int64_t*>(column.values)[row]; break;
    case ir::Kind::Bool: value.i64 = static_cast<const uint8_t*>(column.values)[row]; break;
    case ir::Kind::Str: {
      const StrRef text = static_cast<const StrRef*>(column.values)[row];
      value.str = std::string_view(text.data, static_cast<size_t>(text.size));
      break;
    }
  }
  return value;
}

}  // namespace

CsvWriter::CsvWriter(const std::vector<ir::Output>& outputs, CsvDialect dialect)
    : outputs_(&outputs), dialect_(dialect) {
  for (const ir::Output& output : outputs) {
    formatters_.emplace_back(output.type, output.format, dialect.separator, dialect.quote);
    kinds_.push_back(ir::physicalKind(output.type));
  }
}

void CsvWriter::appendHeader(std::string* out) const {
  for (size_t output = 0; output < outputs_->size(); ++output) {
    if (output) out->push_back(dialect_.separator);
    appendCsvField((*outputs_)[output].name, dialect_.separator, dialect_.quote, out);
  }
  out->push_back('\n');
}

// Writes one row at `out`, which has room for rowSize(): the cells and separators, then '\n'.
char* CsvWriter::writeRow(const CellValue* cells, char* out) const {
  for (size_t output = 0; output < formatters_.size(); ++output) {
    if (output) *out++ = dialect_.separator;
    out = formatters_[output].write(cells[output], out);
  }
  *out++ = '\n';
  return out;
}

// Rows are written through a raw pointer into `out`, grown geometrically, so a cell costs its digits
// and not a std::string append; `out` is trimmed to the written length at the end.
void CsvWriter::appendRows(const ColumnView* columns, const RowError* errors, size_t rows, std::string* out) const {
  size_t used = out->size();
  std::vector<CellValue> cells(formatters_.size());
  for (size_t row = 0; row < rows; ++row) {
    if (errors && errors[row].code != 0) continue;
    size_t bound = formatters_.size() + 1;
    for (size_t output = 0; output < formatters_.size(); ++output) {
      cells[output] = cellAt(columns[output], kinds_[output], row);
      bound += formatters_[output].maxSize(cells[output]);
    }
    if (out->size() < used + bound) out->resize(std::max(2 * out->size(), used + bound + 4096));
    used = static_cast<size_t>(writeRow(cells.data(), out->data() + used) - out->data());
  }
  out->resize(used);
}

}  // namespace regelwerk
