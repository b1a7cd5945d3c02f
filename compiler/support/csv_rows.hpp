// A CSV file as rows of text cells, each with its place in the file: what the loader hands the
// checker for a `table ... from "x.csv"` (runtime/io/table_csv_reader tokenizes, sema types the cells).
#pragma once

#include <string>
#include <vector>

#include "compiler/support/source_file.hpp"

namespace regelwerk {

struct CsvCell {
  std::string text;  // unquoted: `"a ""b"""` is `a "b"`
  Location loc;      // where the cell starts (its opening quote, if quoted)
};

// Every row has as many cells as the header (the reader refuses ragged rows); empty lines are gone.
struct CsvRows {
  std::vector<CsvCell> header;             // at least one name
  std::vector<std::vector<CsvCell>> rows;  // in file order
};

}  // namespace regelwerk
