// `bench_csv [--rows N,M,…] [--repeats R] [--dir DIR]`: the CSV reader alone, one thread. Generates
// the dunning input with gen_dunning (default 1,000,000 and 10,000,000 rows, seed 42) and a copy with
// every `customer_type` cell quoted (`"consumer"`: the quoted path of the chunker), reads each into
// the typed columns of examples/dunning (no rules, no output) with the scalar and the AVX2 structural
// index in turn, and prints the median MB/s (input bytes ÷ wall time from open to the last batch)
// and ns/row per kernel. The data goes to DIR (default: a folder under the current directory),
// deleted at the end.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/csv_structural_index.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/record_parser.hpp"

namespace {

using namespace regelwerk;
using Clock = std::chrono::steady_clock;

ir::InputColumn column(std::string name, ir::Type type, std::string header = "", std::string format = "") {
  return ir::InputColumn{name, header.empty() ? name : header, std::move(type), std::move(format)};
}

// The input of examples/dunning/dunning.rules.
std::vector<ir::InputColumn> dunningInputs() {
  ir::Type customer_type = ir::Type::of(ir::TypeKind::Enum);
  customer_type.members = {"consumer", "business"};
  ir::Type last_notice = ir::Type::of(ir::TypeKind::Date);
  last_notice.optional = true;
  return {column("id", ir::Type::of(ir::TypeKind::Int)),
          column("customer_type", customer_type),
          column("amount", ir::Type::of(ir::TypeKind::Money, 2), "amount_cents", "cents"),
          column("paid", ir::Type::of(ir::TypeKind::Money, 2), "paid_cents", "cents"),
          column("due_date", ir::Type::of(ir::TypeKind::Date)),
          column("last_notice_date", last_notice),
          column("dunning_level", ir::Type::of(ir::TypeKind::Int)),
          column("disputed", ir::Type::of(ir::TypeKind::Bool))};
}

struct ReadFigures {
  double seconds = 0;
  int64_t rows = 0;
  size_t rejects = 0;
};

// One full read of `path` into typed batches of 2048 rows; exits on any error.
ReadFigures readFile(const std::string& path, const std::vector<ir::InputColumn>& inputs) {
  const Clock::time_point start = Clock::now();
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    std::perror(path.c_str());
    std::exit(1);
  }
  std::string error;
  std::vector<std::string> header;
  CsvChunker chunker(fd);
  HeaderBinding binding;
  if (!chunker.readHeader(&header, &error) || !bindHeader(inputs, header, &binding, &error)) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), error.c_str());
    std::exit(1);
  }
  std::vector<ir::Type> types;
  for (const ir::InputColumn& input : inputs) types.push_back(input.type);
  Batch batch(types, 2048);
  RecordParser parser(inputs, binding);
  Chunk chunk;
  std::vector<Reject> rejects;
  ReadFigures figures;
  while (chunker.next(&chunk, &error))
    for (ChunkCursor cursor = cursorAt(chunk); !atEnd(chunk, cursor);)
      figures.rows += static_cast<int64_t>(parser.parse(chunk, &cursor, &batch, &rejects));
  ::close(fd);
  figures.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  figures.rejects = rejects.size();
  return figures;
}

// The same file with the second field (customer_type) quoted on every data line.
void writeQuotedCopy(const std::string& from, const std::string& to) {
  std::ifstream in(from);
  std::ofstream out(to);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    const size_t first = line.find(',');
    const size_t second = line.find(',', first + 1);
    if (header || first == std::string::npos || second == std::string::npos) {
      out << line << '\n';
    } else {
      out << line.substr(0, first + 1) << '"' << line.substr(first + 1, second - first - 1) << '"'
          << line.substr(second) << '\n';
    }
    header = false;
  }
}

std::vector<int64_t> parseRowCounts(const std::string& text) {
  std::vector<int64_t> counts;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t comma = text.find(',', start);
    counts.push_back(std::stoll(text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return counts;
}

void measure(const std::string& label, const std::string& path, int repeats) {
  const std::vector<ir::InputColumn> inputs = dunningInputs();
  const double bytes = static_cast<double>(std::filesystem::file_size(path));
  const CsvKernel kernels[] = {CsvKernel::Scalar, CsvKernel::Avx2};
  std::vector<double> seconds[2];
  ReadFigures last;
  for (int repeat = 0; repeat < repeats; ++repeat)
    for (int kernel = 0; kernel < 2; ++kernel) {
      setCsvKernel(kernels[kernel]);
      last = readFile(path, inputs);
      seconds[kernel].push_back(last.seconds);
    }
  for (int kernel = 0; kernel < 2; ++kernel) {
    const double wall = bench::median(seconds[kernel]);
    std::printf("| %s | %s | %.0f | %.1f | %.2f | %lld | %zu | %s |\n", label.c_str(),
                csvKernelName(setCsvKernel(kernels[kernel])), bytes / wall / 1e6,
                wall * 1e9 / static_cast<double>(last.rows), wall, static_cast<long long>(last.rows), last.rejects,
                bench::loadAverage().c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string rows_text = "1000000,10000000";
  int repeats = 5;
  std::string dir = "bench-csv-data";
  bench::requireKnownOptions(
      argc, argv, {"--rows", "--repeats", "--dir"},
      "usage: bench_csv [--rows N,M,...=1000000,10000000] [--repeats R=5] [--dir DIR=bench-csv-data]\n");
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    const std::string name = argv[arg];
    if (name == "--rows")
      rows_text = argv[arg + 1];
    else if (name == "--repeats")
      repeats = std::atoi(argv[arg + 1]);
    else
      dir = argv[arg + 1];
  }
  std::filesystem::create_directories(dir);
  std::printf("CPU: %s; AVX2+PCLMUL: %s; load average at start: %s; 1 thread, median of %d\n\n",
              bench::cpuModel().c_str(), cpuHasAvx2Kernel() ? "yes" : "no", bench::loadAverage().c_str(), repeats);
  std::printf("| input | index | MB/s | ns/row | wall s | rows | rejects | load average after |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  for (int64_t rows : parseRowCounts(rows_text)) {
    const std::string plain = dir + "/invoices-" + std::to_string(rows) + ".csv";
    const std::string quoted = dir + "/invoices-" + std::to_string(rows) + "-quoted.csv";
    bench::ProcessOptions options;
    options.stdout_path = plain;
    if (bench::runProcess({RW_GEN_DUNNING, std::to_string(rows), "42"}, options).status != 0) {
      std::fprintf(stderr, "gen_dunning failed\n");
      return 1;
    }
    writeQuotedCopy(plain, quoted);
    measure(std::to_string(rows) + " rows", plain, repeats);
    measure(std::to_string(rows) + " rows, customer_type quoted", quoted, repeats);
    std::filesystem::remove(plain);
    std::filesystem::remove(quoted);
  }
  std::filesystem::remove(dir);
  return 0;
}
