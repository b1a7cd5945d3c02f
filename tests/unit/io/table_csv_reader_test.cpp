// The table reader: the data reader's tokenizer over a whole table file, located cells, and the size
// bound for regular files, pipes and directories.
#include "runtime/io/table_csv_reader.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace regelwerk;
namespace fs = std::filesystem;

namespace {

// One folder per test case (ctest runs cases in parallel), under the build tree.
fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(RW_BINARY_DIR) / "table-reader-scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

struct Split {
  std::optional<CsvRows> rows;
  DiagnosticSink sink;
};

Split split(std::string_view text) {
  Split result;
  result.rows = splitTableCsv(text, 1, result.sink);
  return result;
}

std::vector<std::string> texts(const std::vector<CsvCell>& cells) {
  std::vector<std::string> out;
  for (const CsvCell& cell : cells) out.push_back(cell.text);
  return out;
}

std::string where(const Location& loc) {
  return std::to_string(loc.line) + ":" + std::to_string(loc.col);
}

}  // namespace

TEST_CASE("table reader: quoted cells are unquoted and located where they start", "[io][table]") {
  Split result = split("level,\"fee\"\r\n\r\n1,\"5\"\"0\"\n2,\"a\nb\"\n\"é\",x");
  REQUIRE(result.rows);
  CHECK(texts(result.rows->header) == std::vector<std::string>{"level", "fee"});
  REQUIRE(result.rows->rows.size() == 3);
  CHECK(texts(result.rows->rows[0]) == std::vector<std::string>{"1", "5\"0"});
  CHECK(where(result.rows->rows[0][1].loc) == "3:3");
  CHECK(texts(result.rows->rows[1]) == std::vector<std::string>{"2", "a\nb"});
  CHECK(where(result.rows->rows[1][0].loc) == "4:1");
  CHECK(texts(result.rows->rows[2]) == std::vector<std::string>{"é", "x"});
  CHECK(where(result.rows->rows[2][1].loc) == "6:5");  // columns count code points: `"é",` is 4
}

TEST_CASE("table reader: each bad row is one E0712 at the cell, as the data reader words it", "[io][table]") {
  Split result = split("a,b\n1,x\"y\n2,\"z\"w\n3,4,5\n6\n");
  CHECK(!result.rows);
  std::vector<std::string> seen;
  for (const Diagnostic& diag : result.sink.all())
    seen.push_back(diag.code + " " + where(diag.loc) + " " + diag.message);
  CHECK(seen ==
        std::vector<std::string>{
            "E0712 2:3 field 2 has a quote inside unquoted text; quote the whole field and double the inner quote",
            "E0712 3:3 field 2 has text after its closing quote; a quoted field must end at the quote",
            "E0712 4:5 row has 3 fields, the header has 2", "E0712 5:1 row has 1 field, the header has 2"});
}

TEST_CASE("table reader: an empty file or header line is E0705, errors stop after a cap", "[io][table]") {
  Split empty = split("");
  REQUIRE(empty.sink.all().size() == 1);
  CHECK(empty.sink.all()[0].message == "the file is empty; it needs a header line");
  Split blank = split("\r\nlevel\n");
  REQUIRE(blank.sink.all().size() == 1);
  CHECK(blank.sink.all()[0].message == "the header line is empty: expected column names on line 1");
  std::string ragged = "a,b\n";
  for (int row = 0; row < 100; ++row) ragged += "1\n";
  CHECK(split(ragged).sink.all().size() == kMaxTableCsvErrors);
}

TEST_CASE("table file: a byte order mark is dropped, a directory is refused", "[io][table]") {
  fs::path dir = scratch("bom");
  std::ofstream(dir / "t.csv", std::ios::binary) << "\xEF\xBB\xBFlevel\n1\n";
  TableFile file = readTableFile((dir / "t.csv").string());
  CHECK(file.problem.empty());
  CHECK(file.text == "level\n1\n");
  CHECK(readTableFile(dir.string()).problem == "is a directory, not a CSV file");
  CHECK(readTableFile((dir / "missing.csv").string()).open_errno == ENOENT);
}

TEST_CASE("table file: a regular file over the limit is refused by its size, before reading", "[io][table]") {
  fs::path path = scratch("oversize") / "huge.csv";
  std::ofstream(path, std::ios::binary) << "level\n";
  fs::resize_file(path, kMaxTableFileBytes + 1);  // sparse: nothing is written
  TableFile file = readTableFile(path.string());
  CHECK(file.problem == "is larger than 16 MiB, the limit for a table file");
  CHECK(file.text.empty());
  fs::resize_file(path, 101);
  CHECK(readTableFile(path.string(), 100).problem == "is larger than 100 bytes, the limit for a table file");
  CHECK(readTableFile(path.string(), 101).problem.empty());
}

// A pipe has no size: the read itself stops one byte past the limit (as for /dev/zero).
TEST_CASE("table file: a pipe that yields more than the limit is refused", "[io][table]") {
  fs::path path = scratch("fifo") / "endless.csv";
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  std::thread writer([&] {
    std::ofstream out(path, std::ios::binary);
    out << std::string(1000, 'x');  // the reader stops early; the rest goes to a closed pipe
  });
  TableFile file = readTableFile(path.string(), 100);
  CHECK(file.problem == "is larger than 100 bytes, the limit for a table file");
  writer.join();
}
