// Prints the run summary to standard error, so standard output can carry the CSV (`--output -`).
#include "run_report.hpp"

#include <cstdio>
#include "console.hpp"
#include <fstream>
#include <string>

namespace regelwerk::cli {

static void printTally(const OutputTally& tally) {
  if (!tally.sum.empty()) {
    print(stderr, "  {:<16} sum {}\n", tally.output, tally.sum);
    return;
  }
  std::string line;
  for (const auto& [value, count] : tally.counts) line += fmt::format("  {}={}", value, count);
  print(stderr, "  {:<16}{}\n", tally.output, line);
}

// The process's peak resident memory in MiB (VmHWM), or -1 where /proc is not available. Read from
// /proc/self rather than getrusage, whose ru_maxrss carries over a parent's peak across fork and exec.
static long peakMemoryMiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

void printRunReport(const ir::Program& program, const Engine& engine, const RunSummary& summary) {
  print(stderr, "rows in {} = rows out {} + rows rejected {}\n", summary.rows_in, summary.rows_out,
             summary.rows_rejected);
  for (const InputCount& input : summary.inputs) {
    print(stderr, "  {:<16} rows in {} = rows out {} + rows rejected {}\n", input.name, input.rows_in, input.rows_out,
          input.rows_rejected);
  }
  for (const OutputTally& tally : summary.tallies) printTally(tally);
  double rate = summary.seconds > 0 ? static_cast<double>(summary.rows_in) / summary.seconds : 0;
  print(stderr, "{} ({}): {:.3f} s, {:.0f} records/s{}, peak memory {} MiB\n", program.name,
             engine.kind() == EngineKind::Jit ? "jit" : "interp", summary.seconds, rate,
             engine.kind() == EngineKind::Jit ? fmt::format(", compiled in {:.1f} ms", engine.compileMillis()) : "",
             peakMemoryMiB());
}

}  // namespace regelwerk::cli
