// Runs an evaluation golden through every engine and batch configuration and compares exactly.
#include "golden_eval.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fmt/format.h>
#include <sstream>

#include "golden_files.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk::golden {
namespace {

namespace fs = std::filesystem;

struct Config {
  EngineKind engine;
  size_t batch_size;
  int threads;
};

const Config kConfigs[] = {
    {EngineKind::Interp, 1, 1}, {EngineKind::Interp, 7, 1}, {EngineKind::Interp, 2048, 2},
    {EngineKind::Jit, 1, 1},    {EngineKind::Jit, 7, 1},    {EngineKind::Jit, 2048, 1}, {EngineKind::Jit, 2048, 2},
};

std::string engineName(EngineKind kind) { return kind == EngineKind::Jit ? "jit" : "interp"; }

std::vector<std::pair<std::string, std::string>> readParams(const fs::path& path) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!fs::exists(path)) return params;
  std::istringstream lines(readFile(path));
  std::string line;
  while (std::getline(lines, line)) {
    size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    params.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  return params;
}

struct Outcome {
  RunSummary summary;
  std::string output;
  std::string rejects;
};

Outcome runOnce(const RuleSet& rules, const Config& config, const fs::path& input, const fs::path& scratch,
                const std::vector<std::pair<std::string, std::string>>& params) {
  std::string error;
  auto engine = Engine::create(rules, config.engine, &error);
  REQUIRE(engine != nullptr);
  RunOptions options;
  options.input_path = input.string();
  options.output_path = (scratch / "out.csv").string();
  options.rejects_path = (scratch / "rejects.csv").string();
  options.params = params;
  options.batch_size = config.batch_size;
  options.separator = declaredSeparator(rules);
  options.threads = config.threads;
  Outcome outcome;
  outcome.summary = run(rules, *engine, options);
  outcome.output = readFile(options.output_path);
  outcome.rejects = readFile(options.rejects_path);
  return outcome;
}

void checkCounts(const RunSummary& summary) {
  INFO(summary.error);
  REQUIRE(summary.exit_code == 0);
  CHECK(summary.rows_in == summary.rows_out + summary.rows_rejected);
}

// Blanks the cells of `columns` (0-based) in every other data row; lines with quotes are left as they are.
std::string blankColumns(const std::string& csv, const std::vector<size_t>& columns) {
  std::istringstream lines(csv);
  std::string line, out;
  for (int row = 0; std::getline(lines, line); ++row) {
    if (row == 0 || row % 2 == 0 || line.find('"') != std::string::npos) {
      out += line + "\n";
      continue;
    }
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    for (size_t column : columns) {
      if (column < cells.size()) cells[column].clear();
    }
    out += fmt::format("{}\n", fmt::join(cells, ","));
  }
  return out;
}

// Positions of the optional input fields in the golden's header line.
std::vector<size_t> optionalColumns(const ir::Program& program, const std::string& csv) {
  std::string header = csv.substr(0, csv.find('\n'));
  std::vector<std::string> names;
  std::istringstream fields(header);
  for (std::string name; std::getline(fields, name, ',');) names.push_back(name);
  std::vector<size_t> out;
  for (const ir::InputColumn& column : program.inputs) {
    if (!column.type.optional) continue;
    for (size_t position = 0; position < names.size(); ++position) {
      if (names[position] == column.header) out.push_back(position);
    }
  }
  return out;
}

void checkMissingInjected(const RuleSet& rules, const fs::path& input, const fs::path& scratch,
                          const std::vector<std::pair<std::string, std::string>>& params) {
  std::string csv = readFile(input);
  std::vector<size_t> columns = optionalColumns(rules.program(), csv);
  if (columns.empty()) return;
  fs::path blanked = scratch / "blanked.csv";
  writeFile(blanked, blankColumns(csv, columns));
  Outcome interp = runOnce(rules, {EngineKind::Interp, 7, 1}, blanked, scratch, params);
  Outcome native = runOnce(rules, {EngineKind::Jit, 7, 2}, blanked, scratch, params);
  checkCounts(interp.summary);
  checkCounts(native.summary);
  INFO("missing values injected into the optional columns");
  CHECK(interp.output == native.output);
  CHECK(interp.rejects == native.rejects);
}

// The golden's own `test` blocks (and its X.test.rules) must all pass through both engines.
void checkTestBlocks(const std::string& rules_path) {
  Diagnostics diagnostics;
  std::string io_error;
  auto rules = RuleSet::load(rules_path, &diagnostics, &io_error, LoadOptions{true});
  INFO(diagnostics.text << io_error);
  REQUIRE(rules != nullptr);
  TestSummary summary = runTests(*rules);
  INFO(renderTestResults(summary, false) << summary.error);
  CHECK(summary.failed == 0);
}

}  // namespace

void runEvalGolden(const std::string& rules_path) {
  fs::path root(RW_SOURCE_DIR);
  fs::current_path(root);
  fs::path base = root / rules_path;
  std::string stem = base.stem().string();
  fs::path folder = base.parent_path();
  Diagnostics diagnostics;
  std::string io_error;
  auto rules = RuleSet::load(rules_path, &diagnostics, &io_error);
  INFO(diagnostics.text << io_error);
  REQUIRE(rules != nullptr);
  auto params = readParams(folder / (stem + ".params"));
  fs::path input = folder / (stem + ".input.csv");
  fs::path scratch = fs::path(RW_BINARY_DIR) / "golden-scratch" / rules_path;
  fs::create_directories(scratch);
  for (const Config& config : kConfigs) {
    INFO(fmt::format("{} engine, batch size {}, {} threads", engineName(config.engine), config.batch_size,
                     config.threads));
    Outcome outcome = runOnce(*rules, config, input, scratch, params);
    checkCounts(outcome.summary);
    std::string report;
    bool same_output = matchOrUpdate(folder / (stem + ".expected.csv"), outcome.output, &report);
    INFO(report);
    CHECK(same_output);
    bool same_rejects = matchOrUpdate(folder / (stem + ".rejects.csv"), outcome.rejects, &report);
    INFO(report);
    CHECK(same_rejects);
  }
  checkMissingInjected(*rules, input, scratch, params);
  checkTestBlocks(rules_path);
}

}  // namespace regelwerk::golden
