// The SIMD and the scalar structural index must give the reader the same record boundaries, rows and
// rejects (quotes across 64-byte blocks, CRLF, separators and line feeds inside quotes, doubled
// quotes, misplaced quotes, a last line without a line feed), and both must agree with CsvSplitter.
#include "runtime/io/csv_structural_index.hpp"

#include <catch2/catch.hpp>
#include <random>

#include "csv_test_support.hpp"
#include "runtime/io/csv_splitter.hpp"
#include "runtime/io/record_scanner.hpp"

using namespace regelwerk;
using namespace regelwerk::test;

namespace {

// Sets the kernel for one scope and restores the previous one.
class KernelScope {
 public:
  explicit KernelScope(CsvKernel kernel) : previous_(activeCsvKernel()) { setCsvKernel(kernel); }
  ~KernelScope() { setCsvKernel(previous_); }
  KernelScope(const KernelScope&) = delete;
  KernelScope& operator=(const KernelScope&) = delete;

 private:
  CsvKernel previous_;
};

// Offsets after each record end, found with scanFirst from each record start (the chunker's header
// and skip path) and with scanLast over pieces of `piece` bytes (the chunker's path).
struct Boundaries {
  std::vector<size_t> first;
  std::vector<size_t> last;
};

Boundaries scanBoundaries(const std::string& text, CsvDialect dialect, size_t piece) {
  Boundaries result;
  const char* base = text.data();
  RecordScanner scanner(dialect);
  for (const char* pos = base; pos < base + text.size();) {
    scanner.reset();
    const char* found = scanner.scanFirst(pos, base + text.size());
    if (!found) break;
    result.first.push_back(static_cast<size_t>(found - base));
    pos = found;
  }
  scanner.reset();
  for (size_t start = 0; start < text.size(); start += piece) {
    const size_t stop = std::min(text.size(), start + piece);
    const char* found = scanner.scanLast(base + start, base + stop);
    if (found) result.last.push_back(static_cast<size_t>(found - base));
  }
  return result;
}

// The ends CsvSplitter gives record by record (the text must end with '\n', as a chunk does).
std::vector<size_t> splitterBoundaries(const std::string& text, CsvDialect dialect) {
  std::vector<size_t> ends;
  CsvSplitter splitter(dialect);
  std::vector<CsvField> fields;
  const char* base = text.data();
  for (const char* pos = base; pos < base + text.size();) {
    const SplitResult split = splitter.split(pos, base + text.size(), &fields);
    ends.push_back(static_cast<size_t>(split.end - base));
    pos = split.end;
  }
  return ends;
}

void checkKernelsAgree(const std::string& text, CsvDialect dialect) {
  INFO("text: " << text);
  Boundaries scalar, simd;
  {
    KernelScope scope(CsvKernel::Scalar);
    scalar = scanBoundaries(text, dialect, 64);
  }
  {
    KernelScope scope(CsvKernel::Avx2);
    simd = scanBoundaries(text, dialect, 64);
    CHECK(scanBoundaries(text, dialect, 100).first == simd.first);
  }
  CHECK(simd.first == scalar.first);
  CHECK(simd.last == scalar.last);
  // An unclosed quote has no record end for the scanner; the splitter ends it at the input's end.
  const bool all_closed = !simd.first.empty() && simd.first.back() == text.size();
  if (all_closed) CHECK(simd.first == splitterBoundaries(text, dialect));
}

void checkReadsAgree(const std::string& text, const std::vector<ir::InputColumn>& inputs, CsvDialect dialect) {
  INFO("text: " << text);
  ReadResult scalar;
  {
    KernelScope scope(CsvKernel::Scalar);
    scalar = readText(text, inputs, 256, 7, dialect);
  }
  KernelScope scope(CsvKernel::Avx2);
  for (size_t chunk_size : {64, 256, 4096}) {
    const ReadResult simd = readText(text, inputs, chunk_size, 7, dialect);
    REQUIRE(simd.error == scalar.error);
    CHECK(simd.rows == scalar.rows);
    CHECK(simd.lines == scalar.lines);
    REQUIRE(simd.rejects.size() == scalar.rejects.size());
    for (size_t reject = 0; reject < simd.rejects.size(); ++reject) {
      CHECK(simd.rejects[reject].line == scalar.rejects[reject].line);
      CHECK(simd.rejects[reject].column == scalar.rejects[reject].column);
      CHECK(simd.rejects[reject].reason == scalar.rejects[reject].reason);
      CHECK(simd.rejects[reject].raw_record == scalar.rejects[reject].raw_record);
    }
  }
}

std::string randomBody(std::mt19937* random, size_t size, char separator) {
  const char alphabet[] = {'a', 'b', separator, separator, '"', '"', '"', '\n', '\r', ' ', '1', 'x'};
  std::uniform_int_distribution<size_t> pick(0, sizeof alphabet - 1);
  std::string text;
  for (size_t byte = 0; byte < size; ++byte) text.push_back(alphabet[pick(*random)]);
  return text;
}

// Mostly well-formed records (so whole blocks take the index path) with quoted fields of random
// length holding separators, CRLF, LF and doubled quotes.
std::string randomRecords(std::mt19937* random, size_t records, char separator) {
  std::uniform_int_distribution<int> roll(0, 99);
  std::string text;
  for (size_t record = 0; record < records; ++record) {
    for (int field = 0; field < 2; ++field) {
      if (field) text.push_back(separator);
      if (roll(*random) < 50) {
        text.push_back('"');
        for (int byte = roll(*random); byte > 0; --byte) {
          const int kind = roll(*random);
          if (kind < 5)
            text += "\"\"";
          else if (kind < 10)
            text.push_back(separator);
          else if (kind < 13)
            text += "\r\n";
          else if (kind < 15)
            text.push_back('\n');
          else
            text.push_back('q');
        }
        text.push_back('"');
      } else {
        for (int byte = roll(*random) / 3; byte > 0; --byte) text.push_back('v');
      }
      if (roll(*random) == 0) text.push_back('"');  // now and then a misplaced quote
    }
    text += roll(*random) < 30 ? "\r\n" : "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("the SIMD and scalar index find the same record ends", "[csv][simd]") {
  if (!cpuHasAvx2Kernel()) WARN("this CPU has no AVX2/PCLMUL: both runs use the scalar kernel");
  const std::string quoted_across_blocks = std::string(60, 'a') + ",\"" + std::string(10, 'b') + "\n,\"\"" +
                                           std::string(70, 'c') + "\"\r\n" + std::string(63, 'd') + "\n";
  const std::vector<std::string> cases = {
      quoted_across_blocks,
      std::string(63, 'x') + "\"\n" + std::string(64, 'y') + "\n",  // a quote in an unquoted field at a block end
      std::string(62, 'x') + ",\"" + std::string(64, ',') + "\"\"\",z\n",  // doubled quote right after a block end
      std::string(61, 'x') + ",\"a\"\r\n" + std::string(100, 'z'),         // CRLF across a block, last line without LF
      std::string(62, 'x') + ",\"\"" + std::string(64, 'q') + "\n",        // closing quote on the last byte of a block
      std::string(64, 'x') + "\"ab\"c\nnext\n" + std::string(64, 'p') + "\n",
      "\"" + std::string(200, '\n') + "\"\n",
      "\"never closed" + std::string(150, ','),
      "a,\"b\"x,\"c" + std::string(130, '\n') + "\"\n",
  };
  for (const std::string& text : cases) {
    checkKernelsAgree(text, CsvDialect{});
    checkKernelsAgree("h1,h2\n" + text + "\n", CsvDialect{});
  }
  std::mt19937 random(20261205);
  for (int round = 0; round < 300; ++round) {
    INFO("round " << round);
    checkKernelsAgree(randomBody(&random, 50 + round * 3, ','), CsvDialect{});
    checkKernelsAgree(randomRecords(&random, 1 + round % 40, ','), CsvDialect{});
    std::string semicolons = randomRecords(&random, 1 + round % 30, ';') + "\n";
    checkKernelsAgree(semicolons, CsvDialect{';', '"'});
  }
}

TEST_CASE("the SIMD and scalar index give the reader the same rows and rejects", "[csv][simd]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("a", optionalType(ir::TypeKind::String)),
                                               inputColumn("b", ir::Type::of(ir::TypeKind::String))};
  std::mt19937 random(9);
  for (int round = 0; round < 150; ++round) {
    INFO("round " << round);
    checkReadsAgree("a,b\n" + randomRecords(&random, 5 + round, ','), inputs, CsvDialect{});
    checkReadsAgree("a,b\n" + randomBody(&random, 100 + round * 5, ','), inputs, CsvDialect{});
    checkReadsAgree("a;b\r\n" + randomRecords(&random, 5 + round, ';'), inputs, CsvDialect{';', '"'});
  }
}

TEST_CASE("REGELWERK_CSV_SCALAR and setCsvKernel choose the kernel", "[csv][simd]") {
  KernelScope scope(CsvKernel::Scalar);
  CHECK(activeCsvKernel() == CsvKernel::Scalar);
  CHECK(std::string(csvKernelName(activeCsvKernel())) == "scalar");
  const CsvKernel requested = setCsvKernel(CsvKernel::Avx2);
  CHECK(requested == (cpuHasAvx2Kernel() ? CsvKernel::Avx2 : CsvKernel::Scalar));
  CHECK(activeCsvKernel() == requested);
}

TEST_CASE("line numbers stay exact over chunks much larger than a counting round", "[csv][simd]") {
  const std::vector<ir::InputColumn> inputs = {inputColumn("a", ir::Type::of(ir::TypeKind::String))};
  std::string text = "a\n";
  std::vector<int64_t> expected_lines;
  int64_t line = 2;
  for (int record = 0; record < 20000; ++record) {
    expected_lines.push_back(line);
    if (record % 7 == 0) {
      text += "\"x\ny\"\n";  // a line feed inside quotes: the record takes two lines
      line += 2;
    } else {
      text += std::string(static_cast<size_t>(record % 13) + 1, 'v') + "\n";
      line += 1;
    }
  }
  for (size_t chunk_size : {size_t{5000}, size_t{70000}, kDefaultChunkSize}) {
    INFO("chunk " << chunk_size);
    const ReadResult result = readText(text, inputs, chunk_size, 2048);
    REQUIRE(result.error.empty());
    CHECK(result.lines == expected_lines);
  }
}
