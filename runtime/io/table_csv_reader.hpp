// Reads the CSV file of a `table ... from "x.csv"` with the data reader's tokenizer (CsvSplitter: the
// same quoting, BOM and line-end rules and the same messages), bounded in size, into located cells for
// the checker. The loader (runtime/exec/rule_loader) calls it; compiler/sema only sees the cells.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/support/csv_rows.hpp"
#include "compiler/support/diagnostics.hpp"

namespace regelwerk {

// A table is read whole at compile time and becomes constants of the program: 16 MiB is far more
// than any lookup table needs, and it stops a path such as /dev/zero from filling the memory.
inline constexpr size_t kMaxTableFileBytes = size_t{16} << 20;

struct TableFile {
  std::string text;    // the file's bytes, a leading UTF-8 byte order mark dropped
  int open_errno = 0;  // non-zero: the file could not be opened (the loader tries its next place)
  std::string problem;  // opened but unusable, completing "\"x.csv\" for table `t` …": "is a directory, not a CSV file"
};

// Reads at most `max_bytes` from `path`. A directory, a regular file larger than the limit (told by
// its size, before reading) and a device or pipe that yields more than the limit are problems.
TableFile readTableFile(const std::string& path, size_t max_bytes = kMaxTableFileBytes);

// Splits `text` (a table file as readTableFile returns it, added to the sources as `file`) into the
// header and rows of cells. Empty lines are skipped. Problems go to `sink` at the file's line and
// column: E0705 for an empty file or header line, E0712 for quoting errors and rows with another
// number of cells than the header (at most kMaxTableCsvErrors of those). nullopt when there was any.
// Example: `level,fee\n1,"5""0"\n` is header `level`, `fee` and one row `1`, `5"0`.
std::optional<CsvRows> splitTableCsv(std::string_view text, uint32_t file, DiagnosticSink& sink);

inline constexpr size_t kMaxTableCsvErrors = 20;

}  // namespace regelwerk
