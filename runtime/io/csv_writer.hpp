// Writes output rows as CSV text: the worker-thread half of output (the exec layer writes the bytes).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/byte_buffer.hpp"
#include "runtime/io/csv_dialect.hpp"

namespace regelwerk {

// Formats the header (output names) and rows of evaluated batches. `outputs` must outlive it.
// Const after construction, so one writer can serve all worker threads.
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<ir::Output>& outputs, CsvDialect dialect = {});

  // Appends `name1,name2,…\n`.
  void appendHeader(std::string* out) const;
  // Appends one line per row whose errors[row].code is 0 (every row when `errors` is null).
  // `columns` follow ir::Program::outputs; optional outputs carry validity (0 = missing = empty cell).
  void appendRows(const ColumnView* columns, const RowError* errors, size_t rows, std::string* out) const;
  // The same rows appended to a ByteBuffer, which grows without zero-filling: the hot path.
  void appendRows(const ColumnView* columns, const RowError* errors, size_t rows, ByteBuffer* out) const;

 private:
  // A name written by copying one fixed 16-byte block and advancing by its length.
  struct Name {
    char text[16];
    uint32_t size;
  };
  struct OutputPlan {
    CellFormatter::Shape shape;
    ir::Kind kind;
    uint32_t first_name;  // Enum, Bool: index into names_
  };

  size_t rowBound(const ColumnView* columns, size_t row) const;
  // Forced inline into appendRows: one call per batch instead of one per row and cell.
  [[gnu::always_inline]] inline char* writeRow(const ColumnView* columns, size_t row, char* out) const;
  [[gnu::always_inline]] inline char* writeCell(size_t output, const ColumnView& column, size_t row, char* out) const;
  bool planNames(const std::vector<std::string>& names, OutputPlan* plan);
  size_t outputNameCount(size_t output) const {
    return plans_[output].kind == ir::Kind::Bool ? 2 : (*outputs_)[output].type.members.size();
  }

  const std::vector<ir::Output>* outputs_;
  CsvDialect dialect_;
  std::vector<CellFormatter> formatters_;
  std::vector<ir::Kind> kinds_;
  std::vector<OutputPlan> plans_;
  std::vector<Name> names_;
  size_t fixed_bound_ = 0;       // bytes a row can take without its string cells
  bool has_strings_ = false;     // then each row adds its strings' maxSize
};

}  // namespace regelwerk
