// Runs one rule file and one CSV through several engine configurations with regelwerk::run and
// compares everything a run produces: output bytes, rejects bytes, counts, exit code, tallies.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk::difftest {

struct RunConfig {
  EngineKind engine = EngineKind::Interp;
  size_t batch_size = 2048;
  int threads = 1;
};

std::string configName(const RunConfig& config);  // "jit@2048/2t"

// The configurations seed `seed` runs: always interp@7/1t (the reference, first) and jit@2048/2t,
// plus one more by rotation, and a batch-size-1 configuration for every fourth seed.
std::vector<RunConfig> configsForSeed(uint64_t seed);
// Every configuration: replayed regression cases run all of them.
std::vector<RunConfig> allConfigs();

using Params = std::vector<std::pair<std::string, std::string>>;

struct Verdict {
  bool checks = true;   // the rule file passed the checker (else `detail` has the diagnostics)
  bool agree = true;    // every configuration gave the reference's results
  std::string detail;   // what differs, or the diagnostics
  int64_t rows_in = 0;  // of the reference run
  int64_t rows_rejected = 0;
  std::string rejects;  // the reference run's rejects file
};

// Compiles `rules_text` once (as `scratch`/generated.rules, with `module_text`, when not empty, beside
// it as gen_module.rules), runs it over `csv` in each configuration with the separator the rule file
// declares, and compares each run with the first.
Verdict compareEngines(const std::string& rules_text, const std::string& module_text, const std::string& csv,
                       const Params& params, const std::vector<RunConfig>& configs,
                       const std::filesystem::path& scratch);

}  // namespace regelwerk::difftest
