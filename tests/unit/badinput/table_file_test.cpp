// Table files that cannot be tables, through the loader: a file over the size limit. (The other bad
// table files are check goldens in tests/golden/check/tables/csv_*; this one cannot be checked in.)
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "runtime/exec/api.hpp"
#include "runtime/io/table_csv_reader.hpp"

namespace fs = std::filesystem;

TEST_CASE("bad table file: over the size limit, an error at the path without reading it", "[badinput][table]") {
  fs::path dir = fs::path(RW_BINARY_DIR) / "table-file-scratch" / "oversize";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "fees.rules") << "ruleset t\n"
                                       "table fees from \"huge.csv\" key level: int value fee: money\n"
                                       "input I\n  x: int\n"
                                       "output o: money = fees(x).fee ?? 0.00 EUR\n";
  std::ofstream(dir / "huge.csv") << "level,fee\n1,5.00\n";
  fs::resize_file(dir / "huge.csv", regelwerk::kMaxTableFileBytes + 1);  // sparse: nothing is written
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load((dir / "fees.rules").string(), &diagnostics, &io_error);
  CHECK(!rules);
  CHECK(io_error.empty());
  std::string path = (dir / "huge.csv").string();
  CHECK(diagnostics.text == (dir / "fees.rules").string() + ":2:17: error[E0705]: \"" + path +
                                "\" for table `fees` is larger than 16 MiB, the limit for a table file\n"
                                "    2 | table fees from \"huge.csv\" key level: int value fee: money\n"
                                "      |                 ^ a table is a CSV file of at most 16 MiB\n");
}
