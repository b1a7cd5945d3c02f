// Prints the run summary to standard error, so standard output can carry the CSV (`--output -`).
#include "run_report.hpp"

#include <cstdio>
#include <fmt/format.h>

namespace regelwerk::cli {

static void printTally(const OutputTally& tally) {
  if (!tally.sum.empty()) {
    fmt::print(stderr, "  {:<16} sum {}\n", tally.output, tally.sum);
    return;
  }
  std::string line;
  for (const auto& [value, count] : tally.counts) line += fmt::format("  {}={}", value, count);
  fmt::print(stderr, "  {:<16}{}\n", tally.output, line);
}

void printRunReport(const ir::Program& program, const Engine& engine, const RunSummary& summary) {
  fmt::print(stderr, "rows in {} = rows out {} + rows rejected {}\n", summary.rows_in, summary.rows_out,
             summary.rows_rejected);
  for (const OutputTally& tally : summary.tallies) printTally(tally);
  double rate = summary.seconds > 0 ? static_cast<double>(summary.rows_in) / summary.seconds : 0;
  fmt::print(stderr, "{} ({}): {:.3f} s, {:.0f} records/s{}\n", program.name,
             engine.kind() == EngineKind::Jit ? "jit" : "interp", summary.seconds, rate,
             engine.kind() == EngineKind::Jit ? fmt::format(", compiled in {:.1f} ms", engine.compileMillis()) : "");
}

}  // namespace regelwerk::cli
