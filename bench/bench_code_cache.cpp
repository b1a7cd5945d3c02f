// The compiled-code cache measured (bench/README.md): the dunning rules compiled cold (an empty cache:
// emit, optimise, machine code, store, load) and warm (emit, key, load the stored object), medians of
// --repeats, in one process after one warm-up compile (LLVM's one-time initialisation is not counted).
//   bench_code_cache [--rules FILE] [--repeats N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/jit/code_cache.hpp"
#include "runtime/jit/jit_engine.hpp"

namespace fs = std::filesystem;

namespace {

struct Sample {
  double total_ms = 0;
  regelwerk::JitTimings timings;
};

Sample compileOnce(const regelwerk::ir::Program& program) {
  Sample sample;
  std::string error;
  const auto start = std::chrono::steady_clock::now();
  auto evaluator = regelwerk::compileJitTimed(program, &error, &sample.timings);
  sample.total_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!evaluator) std::fprintf(stderr, "bench_code_cache: %s\n", error.c_str()), std::exit(1);
  return sample;
}

std::string option(int argc, char** argv, const char* name, const char* fallback) {
  for (int index = 1; index + 1 < argc; ++index) {
    if (std::string(argv[index]) == name) return argv[index + 1];
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  regelwerk::bench::requireKnownOptions(
      argc, argv, {"--rules", "--repeats"},
      "usage: bench_code_cache [--rules FILE=examples/dunning/dunning.rules] [--repeats R=21]\n");
  const std::string path = option(argc, argv, "--rules", RW_SOURCE_DIR "/examples/dunning/dunning.rules");
  const int repeats = std::atoi(option(argc, argv, "--repeats", "21").c_str());
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(path, &diagnostics, &io_error);
  if (!rules) return std::fprintf(stderr, "%s%s\n", io_error.c_str(), diagnostics.text.c_str()), 1;
  const fs::path folder = fs::path(RW_BINARY_DIR) / "bench" / "code-cache-scratch";
  regelwerk::setCodeCache({false, ""});
  compileOnce(rules->program());  // LLVM's one-time initialisation
  std::vector<double> cold, warm, cold_optimize, cold_machine, warm_load, emit;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    fs::remove_all(folder);
    regelwerk::setCodeCache({true, folder.string()});
    Sample first = compileOnce(rules->program());
    Sample second = compileOnce(rules->program());
    if (first.timings.from_cache || !second.timings.from_cache) return std::fprintf(stderr, "no cache hit\n"), 1;
    cold.push_back(first.total_ms);
    cold_optimize.push_back(first.timings.optimize_ms);
    cold_machine.push_back(first.timings.machine_code_ms);
    warm.push_back(second.total_ms);
    warm_load.push_back(second.timings.load_ms);
    emit.push_back(second.timings.emit_ms);
  }
  fs::remove_all(folder);
  using regelwerk::bench::median;
  std::printf("CPU: %s; %s; medians of %d\n\n", regelwerk::bench::cpuModel().c_str(), path.c_str(), repeats);
  std::printf("| compile | ms |\n|---|--:|\n");
  std::printf("| cold: emit, optimise (%.2f), machine code (%.2f), store, load | %.2f |\n", median(cold_optimize),
              median(cold_machine), median(cold));
  std::printf("| warm: emit (%.2f), key, read and check the entry, load (%.2f) | %.2f |\n", median(emit),
              median(warm_load), median(warm));
  return 0;
}
