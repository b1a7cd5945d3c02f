// `bench_diff [--rows N] [--repeats R] [--threads N] [--data DIR]`: `regelwerk diff` against one
// `regelwerk run`. Generates N dunning invoices (gen_dunning, seed 42), writes a second version of
// examples/dunning/dunning.rules (wait 21 days instead of 14, consumer fee 7.50 instead of 5.00), and
// times, as whole processes of the built command, `run` of the first version and `diff` of the two over
// the same file, R times round-robin after one untimed warm-up each (which fills the compiled-code cache
// under DIR). Prints the medians, peak RSS and the ratio diff ÷ run (the target is at most 2).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace regelwerk::bench;

struct Options {
  long rows = 1000000;
  int repeats = 3;
  int threads = allThreads();
  std::string data_dir = RW_BINARY_DIR "/bench-diff-data";
};

bool parseOptions(int argc, char** argv, Options* options) {
  for (int index = 1; index + 1 < argc; index += 2) {
    std::string name = argv[index], value = argv[index + 1];
    if (name == "--rows")
      options->rows = std::atol(value.c_str());
    else if (name == "--repeats")
      options->repeats = std::atoi(value.c_str());
    else if (name == "--threads")
      options->threads = std::atoi(value.c_str());
    else if (name == "--data")
      options->data_dir = value;
    else
      return false;
  }
  return argc % 2 == 1 && options->rows > 0 && options->repeats > 0 && options->threads > 0;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Replaces `from` (which must occur once) by `to`; false when it does not occur.
bool replaceOnce(std::string* text, const std::string& from, const std::string& to) {
  size_t at = text->find(from);
  if (at == std::string::npos) return false;
  text->replace(at, from.size(), to);
  return true;
}

// The second version: dun after 21 days instead of 14, and a consumer notice costs 7.50 instead of 5.00.
bool writeSecondVersion(const fs::path& first, const fs::path& second) {
  std::string text = readText(first);
  if (!replaceOnce(&text, "param wait: days = 14 days", "param wait: days = 21 days") ||
      !replaceOnce(&text, "fee = if consumer then 5.00 EUR", "fee = if consumer then 7.50 EUR")) {
    std::fprintf(stderr, "bench_diff: %s no longer has the lines this benchmark changes\n", first.c_str());
    return false;
  }
  std::ofstream(second, std::ios::binary) << text;
  return true;
}

bool generateInput(const Options& options, const fs::path& input) {
  if (fs::exists(input)) return true;
  std::fprintf(stderr, "generating %ld invoices in %s\n", options.rows, input.c_str());
  ProcessRun generated = runProcess({RW_GEN_DUNNING, std::to_string(options.rows), "42"}, {input.string(), ""});
  return generated.status == 0;
}

struct Timings {
  std::vector<double> seconds;
  int64_t max_rss_kib = 0;
};

// One timed process; `expected` is the exit status a correct run has (diff: 1, some records change).
bool measure(const std::vector<std::string>& args, int expected, Timings* timings) {
  ProcessRun run = runProcess(args, {"", ""});
  if (run.status != expected) {
    std::fprintf(stderr, "bench_diff: `%s %s` exited with %d, expected %d\n", args[0].c_str(), args[1].c_str(),
                 run.status, expected);
    return false;
  }
  timings->seconds.push_back(run.seconds);
  timings->max_rss_kib = std::max(timings->max_rss_kib, run.max_rss_kib);
  return true;
}

void printTable(const Options& options, const Timings& run, const Timings& diff, const std::string& report) {
  double run_s = median(run.seconds), diff_s = median(diff.seconds);
  std::printf("bench_diff: %ld rows, %d threads, %d repeats; %s; load %s\n\n", options.rows, options.threads,
              options.repeats, cpuModel().c_str(), loadAverage().c_str());
  std::printf("| command | median wall s | records/s | peak RSS MiB |\n|---|---:|---:|---:|\n");
  std::printf("| regelwerk run dunning.rules | %.3f | %.0f | %.0f |\n", run_s,
              static_cast<double>(options.rows) / run_s, static_cast<double>(run.max_rss_kib) / 1024.0);
  std::printf("| regelwerk diff dunning.rules dunning_v2.rules | %.3f | %.0f | %.0f |\n", diff_s,
              static_cast<double>(options.rows) / diff_s, static_cast<double>(diff.max_rss_kib) / 1024.0);
  std::printf("\ndiff ÷ run = %.2f (target: at most 2.00)\n", diff_s / run_s);
  std::printf("%s", report.substr(0, report.find("\n\n") + 1).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: bench_diff [--rows N] [--repeats R] [--threads N] [--data DIR]\n");
    return 2;
  }
  fs::path dir = options.data_dir;
  fs::create_directories(dir);
  fs::path input = dir / ("dunning-" + std::to_string(options.rows) + ".csv");
  fs::path first = fs::path(RW_SOURCE_DIR) / "examples/dunning/dunning.rules";
  fs::path second = dir / "dunning_v2.rules";
  if (!generateInput(options, input) || !writeSecondVersion(first, second)) return 1;
  ::setenv("REGELWERK_CACHE", (dir / "cache").c_str(), 1);
  std::string threads = std::to_string(options.threads);
  std::vector<std::string> run = {
      RW_REGELWERK, "run",       first.string(), "--input", input.string(), "--output", (dir / "out.csv").string(),
      "--quiet",    "--threads", threads};
  std::vector<std::string> diff = {RW_REGELWERK, "diff",         first.string(), second.string(),
                                   "--input",    input.string(), "--output",     (dir / "report.txt").string(),
                                   "--threads",  threads};
  Timings warm, run_times, diff_times;
  if (!measure(run, 0, &warm) || !measure(diff, 1, &warm)) return 1;
  for (int round = 0; round < options.repeats; ++round) {
    if (!measure(run, 0, &run_times) || !measure(diff, 1, &diff_times)) return 1;
  }
  printTable(options, run_times, diff_times, readText(dir / "report.txt"));
  return 0;
}
