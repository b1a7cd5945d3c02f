// Writes output rows as CSV text: the worker-thread half of output (the exec layer writes the bytes).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/byte_buffer.hpp"
#include "runtime/io/record_limit.hpp"
#include "runtime/io/csv_dialect.hpp"

namespace regelwerk {

// Formats the header (output names) and rows of evaluated batches. `outputs` must outlive it.
// Const after construction, so one writer can serve all worker threads.
// Every line it writes reads back: cells are quoted where the dialect needs it (see CellFormatter),
// and a line longer than `max_line` bytes (the reader's record limit, line end included) is not
// written but reported to the caller, who rejects its row.
class CsvWriter {
 public:
  explicit CsvWriter(const std::vector<ir::Output>& outputs, CsvDialect dialect = {},
                     size_t max_line = kDefaultMaxRecordSize);

  // Appends `name1,name2,…\n`.
  void appendHeader(std::string* out) const;
  // Appends one line per row whose errors[row].code is 0 (every row when `errors` is null).
  // `columns` follow ir::Program::outputs; optional outputs carry validity (0 = missing = empty cell).
  // Rows whose line would be longer than max_line are skipped and their indices appended to
  // `too_long` (when it is null, the caller has no rejects and such a row is written anyway).
  void appendRows(const ColumnView* columns, const RowError* errors, size_t rows, std::string* out) const;
  // The same rows appended to a ByteBuffer, which grows without zero-filling: the hot path.
  void appendRows(const ColumnView* columns, const RowError* errors, size_t rows, ByteBuffer* out,
                  std::vector<size_t>* too_long = nullptr) const;

  // The exact length of `row`'s line, line end included.
  size_t lineSize(const ColumnView* columns, size_t row) const;
  size_t maxLine() const { return max_line_; }
  // True when no row's line can be longer than max_line (no string outputs, and the fixed bound fits),
  // so appendRows never reports a row as too long.
  bool linesAlwaysFit() const { return !has_strings_ && fixed_bound_ <= max_line_; }

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
    int scale;            // Fixed: places after the point
  };

  size_t rowBound(const ColumnView* columns, size_t row) const;
  // Forced inline into appendRows: one call per batch instead of one per row and cell.
  [[gnu::always_inline]] inline char* writeRow(const ColumnView* columns, size_t row, char* out) const;
  [[gnu::always_inline]] inline char* writeCell(size_t output, const ColumnView& column, size_t row, char* out) const;
  bool planNames(const CellFormatter& formatter, size_t count, OutputPlan* plan);
  size_t outputNameCount(size_t output) const {
    return plans_[output].kind == ir::Kind::Bool ? 2 : (*outputs_)[output].type.members.size();
  }

  const std::vector<ir::Output>* outputs_;
  CsvDialect dialect_;
  std::vector<CellFormatter> formatters_;
  std::vector<ir::Kind> kinds_;
  std::vector<OutputPlan> plans_;
  std::vector<Name> names_;
  size_t max_line_;
  size_t fixed_bound_ = 0;       // bytes a row can take without its string cells
  bool has_strings_ = false;     // then each row adds its strings' maxSize
};

}  // namespace regelwerk
