// Engine comparison over whole runs.
#include "differential_run.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "program_model.hpp"

namespace regelwerk::difftest {

namespace fs = std::filesystem;

std::string configName(const RunConfig& config) {
  return fmt::format("{}@{}/{}t", config.engine == EngineKind::Jit ? "jit" : "interp", config.batch_size,
                     config.threads);
}

std::vector<RunConfig> allConfigs() {
  return {{EngineKind::Interp, 7, 1},    {EngineKind::Jit, 2048, 2}, {EngineKind::Interp, 1, 1},
          {EngineKind::Jit, 1, 1},       {EngineKind::Jit, 7, 1},    {EngineKind::Jit, 7, 2},
          {EngineKind::Interp, 2048, 2}, {EngineKind::Jit, 2048, 1}, {EngineKind::Interp, 2048, 1}};
}

std::vector<RunConfig> configsForSeed(uint64_t seed) {
  static const RunConfig rotation[] = {{EngineKind::Jit, 7, 1},
                                       {EngineKind::Interp, 2048, 2},
                                       {EngineKind::Jit, 2048, 1},
                                       {EngineKind::Jit, 7, 2},
                                       {EngineKind::Interp, 2048, 1}};
  std::vector<RunConfig> configs = {{EngineKind::Interp, 7, 1}, {EngineKind::Jit, 2048, 2}};
  configs.push_back(rotation[seed % 5]);
  if (seed % 4 == 0) configs.push_back({seed % 8 == 0 ? EngineKind::Jit : EngineKind::Interp, 1, 1});
  return configs;
}

static std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

static void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

namespace {

struct Outcome {
  std::string failure;  // the engine could not be created
  RunSummary summary;
  std::string output;
  std::string rejects;
};

}  // namespace

static Outcome runConfig(const RuleSet& rules, const Engine& engine, const RunConfig& config, const Params& params,
                         const fs::path& scratch) {
  RunOptions options;
  options.input_path = (scratch / "input.csv").string();
  options.output_path = (scratch / "output.csv").string();
  options.rejects_path = (scratch / "rejects.csv").string();
  options.params = params;
  options.batch_size = config.batch_size;
  options.threads = config.threads;
  options.separator = declaredSeparator(rules);
  Outcome outcome;
  outcome.summary = run(rules, engine, options);
  outcome.output = readText(options.output_path);
  outcome.rejects = readText(options.rejects_path);
  return outcome;
}

// "line 12: `3,0.50` vs `3,0.49`" for the first line where two texts differ.
static std::string firstDifference(const std::string& a, const std::string& b) {
  std::istringstream left(a), right(b);
  std::string line_a, line_b;
  for (int line = 1;; ++line) {
    bool more_a = static_cast<bool>(std::getline(left, line_a));
    bool more_b = static_cast<bool>(std::getline(right, line_b));
    if (!more_a && !more_b) return "the texts differ only in line ends";
    if (!more_a || !more_b || line_a != line_b) {
      return fmt::format("line {}: `{}` vs `{}`", line, more_a ? line_a : "<end>", more_b ? line_b : "<end>");
    }
  }
}

static std::string tallyText(const RunSummary& summary) {
  std::string out;
  for (const OutputTally& tally : summary.tallies) {
    out += tally.output + ":" + tally.sum;
    for (const auto& [value, count] : tally.counts) out += fmt::format(" {}={}", value, count);
    out += ";";
  }
  return out;
}

// Empty when `other` matches the reference, else what differs first.
static std::string difference(const Outcome& reference, const Outcome& other) {
  const RunSummary& a = reference.summary;
  const RunSummary& b = other.summary;
  if (!other.failure.empty()) return other.failure;
  if (a.exit_code != b.exit_code || a.error != b.error) {
    return fmt::format("exit {} `{}` vs exit {} `{}`", a.exit_code, a.error, b.exit_code, b.error);
  }
  if (a.rows_in != b.rows_in || a.rows_out != b.rows_out || a.rows_rejected != b.rows_rejected) {
    return fmt::format("counts in/out/rejected {}/{}/{} vs {}/{}/{}", a.rows_in, a.rows_out, a.rows_rejected, b.rows_in,
                       b.rows_out, b.rows_rejected);
  }
  if (reference.output != other.output) return "output " + firstDifference(reference.output, other.output);
  if (reference.rejects != other.rejects) return "rejects " + firstDifference(reference.rejects, other.rejects);
  if (tallyText(a) != tallyText(b)) return fmt::format("tallies `{}` vs `{}`", tallyText(a), tallyText(b));
  return "";
}

static std::string accountingProblem(const RunSummary& summary) {
  if (summary.rows_in == summary.rows_out + summary.rows_rejected) return "";
  return fmt::format("rows in {} != out {} + rejected {}", summary.rows_in, summary.rows_out, summary.rows_rejected);
}

Verdict compareEngines(const std::string& rules_text, const std::string& module_text, const std::string& csv,
                       const Params& params, const std::vector<RunConfig>& configs, const fs::path& scratch) {
  Verdict verdict;
  Diagnostics diagnostics;
  fs::create_directories(scratch);
  fs::remove(scratch / kModuleFile);
  if (!module_text.empty()) writeText(scratch / kModuleFile, module_text);
  auto rules = RuleSet::fromText((scratch / "generated.rules").string(), rules_text, &diagnostics);
  if (!rules) {
    verdict.checks = false;
    verdict.detail = diagnostics.text;
    return verdict;
  }
  writeText(scratch / "input.csv", csv);
  std::map<EngineKind, std::unique_ptr<Engine>> engines;
  std::vector<Outcome> outcomes;
  for (const RunConfig& config : configs) {
    auto& engine = engines[config.engine];
    std::string error;
    if (!engine) engine = Engine::create(*rules, config.engine, &error);
    if (!engine) {
      outcomes.push_back(Outcome{fmt::format("{} could not be created: {}", configName(config), error), {}, {}, {}});
      continue;
    }
    outcomes.push_back(runConfig(*rules, *engine, config, params, scratch));
  }
  verdict.rows_in = outcomes[0].summary.rows_in;
  verdict.rows_rejected = outcomes[0].summary.rows_rejected;
  verdict.rejects = outcomes[0].rejects;
  for (size_t index = 0; index < outcomes.size() && verdict.agree; ++index) {
    std::string problem = index == 0 ? outcomes[0].failure : difference(outcomes[0], outcomes[index]);
    if (problem.empty() && outcomes[index].failure.empty()) problem = accountingProblem(outcomes[index].summary);
    if (problem.empty()) continue;
    verdict.agree = false;
    verdict.detail = fmt::format("{} vs {}: {}", configName(configs[0]), configName(configs[index]), problem);
  }
  return verdict;
}

}  // namespace regelwerk::difftest
