// Writes output rows as CSV text: the worker-thread half of output (the exec layer writes the bytes).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/cell_formatter.hpp"
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

 private:
  char* writeRow(const CellValue* cells, char* out) const;

  const std::vector<ir::Output>* outputs_;
  CsvDialect dialect_;
  std::vector<CellFormatter> formatters_;
  std::vector<ir::Kind> kinds_;
};

}  // namespace regelwerk
