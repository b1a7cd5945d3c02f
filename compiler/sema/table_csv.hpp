// Types the rows of a `table ... from "file.csv"` at compile time: the named columns of the file's
// cells (tokenized by the loader with the data reader's splitter, see runtime/io/table_csv_reader),
// each cell parsed exactly into its column's type. Other columns of the file are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/type.hpp"
#include "compiler/support/csv_rows.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk::sema {

struct TableCsvColumn {
  std::string name;
  const ir::Type* type;  // an optional type takes empty cells (as kNoValue)
};

// The value of an empty cell in an optional column (a range's open end).
inline constexpr int64_t kNoValue = INT64_MIN;

struct TableCsvError {
  const char* code;
  Location loc;  // in the CSV file
  std::string message;
  std::string hint;
};

struct TableCsvResult {
  std::vector<std::vector<int64_t>> columns;  // per wanted column, one value per row
  std::vector<Location> row_locs;             // where each row starts (for duplicate-key messages)
  std::vector<std::string> texts;             // the cells of a string column (its values are 0)
  std::vector<TableCsvError> errors;
};

// The wanted columns of `csv`; errors point at the cells' lines and columns in the CSV file.
TableCsvResult readTableCsv(const CsvRows& csv, const std::vector<TableCsvColumn>& wanted);

// One cell as the value of `type`: "2.27" into percent is 22700 (2.27% at scale 6), "2025-07-01" a date,
// "-0.88" a negative number. Returns "" or why the cell does not parse.
std::string parseTableCell(std::string_view text, const ir::Type& type, int64_t* out);

}  // namespace regelwerk::sema
