// The CI differential run: fixed seeds, each a generated rule file and 1,000 generated rows, run by
// the interpreter and the JIT in several batch and thread configurations; every run must match the
// reference byte for byte. A disagreement is minimized and saved under found/<seed>/, which the
// replay case below then runs on every build.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/codegen/codegen.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/syntax/parser.hpp"
#include "coverage.hpp"
#include "csv_generator.hpp"
#include "differential_run.hpp"
#include "program_generator.hpp"
#include "shrinker.hpp"

namespace regelwerk::difftest {
namespace {

namespace fs = std::filesystem;

constexpr int kRows = 1000;
constexpr uint64_t kSeedsPerCase = 50;
constexpr int kShrinkBudget = 1500;
constexpr int kChunkRows = 40000;

fs::path foundDir() {
  return fs::path(RW_SOURCE_DIR) / "tests" / "differential" / "found";
}

fs::path scratchDir(const std::string& name) {
  return fs::path(RW_BINARY_DIR) / "differential-scratch" / name;
}

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Minimizes the case of `seed` and saves it; returns the report for the failure message.
std::string reproduce(uint64_t seed, const GProgram& program, const std::string& csv, const fs::path& scratch,
                      const std::vector<RunConfig>& configs) {
  Oracle oracle = [&](const std::string& rules, const std::string& module, const std::string& input,
                      const Params& params) {
    return compareEngines(rules, module, input, params, configs, scratch / "shrink");
  };
  Reproducer small = shrinkCase(program, csv, oracle, kShrinkBudget);
  fs::path folder = saveReproducer(small, foundDir(), seed);
  return fmt::format("minimized in {} runs ({}), saved to {}\n--- program.rules\n{}--- {}\n{}--- input.csv\n{}",
                     small.attempts, small.detail, folder.string(), render(small.program), kModuleFile,
                     renderModule(small.program), small.csv);
}

void runSeeds(uint64_t first) {
  fs::path scratch = scratchDir(fmt::format("seeds-{}", first));
  auto start = std::chrono::steady_clock::now();
  int64_t rows = 0, rejected = 0;
  for (uint64_t seed = first; seed < first + kSeedsPerCase; ++seed) {
    GProgram program = generateProgram(seed);
    std::string rules = render(program);
    std::string csv = generateCsv(program, seed, kRows);
    Verdict verdict =
        compareEngines(rules, renderModule(program), csv, givenParams(program), configsForSeed(seed), scratch);
    INFO("seed " << seed);
    if (!verdict.checks) {
      FAIL_CHECK("the generated program does not check (a generator or checker bug):\n" << rules << verdict.detail);
      continue;
    }
    rows += verdict.rows_in;
    rejected += verdict.rows_rejected;
    if (!verdict.agree)
      FAIL_CHECK("engines disagree: " << verdict.detail << "\n"
                                      << reproduce(seed, program, csv, scratch, configsForSeed(seed)));
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format("seeds {}..{}: {} rows, {} rejected, {:.1f} s\n", first, first + kSeedsPerCase - 1, rows,
                           rejected, seconds);
  CHECK(rows >= static_cast<int64_t>(kSeedsPerCase) * kRows * 9 / 10);
  CHECK(rejected < rows / 2);  // most rows are evaluated, not rejected
}

}  // namespace

#define RW_DIFFERENTIAL_SEEDS(first)                                     \
  TEST_CASE("differential: seeds " #first " to +49", "[differential]") { \
    runSeeds(first);                                                     \
  }

RW_DIFFERENTIAL_SEEDS(1)
RW_DIFFERENTIAL_SEEDS(51)
RW_DIFFERENTIAL_SEEDS(101)
RW_DIFFERENTIAL_SEEDS(151)
RW_DIFFERENTIAL_SEEDS(201)
RW_DIFFERENTIAL_SEEDS(251)
RW_DIFFERENTIAL_SEEDS(301)
RW_DIFFERENTIAL_SEEDS(351)
RW_DIFFERENTIAL_SEEDS(401)
RW_DIFFERENTIAL_SEEDS(451)
RW_DIFFERENTIAL_SEEDS(501)
RW_DIFFERENTIAL_SEEDS(551)
RW_DIFFERENTIAL_SEEDS(601)
RW_DIFFERENTIAL_SEEDS(651)
RW_DIFFERENTIAL_SEEDS(701)
RW_DIFFERENTIAL_SEEDS(751)
RW_DIFFERENTIAL_SEEDS(801)
RW_DIFFERENTIAL_SEEDS(851)
RW_DIFFERENTIAL_SEEDS(901)
RW_DIFFERENTIAL_SEEDS(951)

// Inputs of several reader chunks (about 1 MiB each), so two threads really split the work.
TEST_CASE("differential: multi-chunk inputs", "[differential]") {
  fs::path scratch = scratchDir("multi-chunk");
  std::vector<RunConfig> configs = {{EngineKind::Interp, 2048, 1}, {EngineKind::Jit, 2048, 2}, {EngineKind::Jit, 7, 2}};
  for (uint64_t seed = 9001; seed <= 9004; ++seed) {
    GProgram program = generateProgram(seed);
    std::string csv = generateCsv(program, seed, kChunkRows);
    INFO("seed " << seed << ", " << csv.size() << " bytes");
    Verdict verdict = compareEngines(render(program), renderModule(program), csv, givenParams(program), configs, scratch);
    REQUIRE(verdict.checks);
    CHECK(verdict.rows_in == kChunkRows);
    if (!verdict.agree)
      FAIL_CHECK("engines disagree: " << verdict.detail << "\n" << reproduce(seed, program, csv, scratch, configs));
  }
}

TEST_CASE("differential: every found/ case agrees in every configuration", "[differential]") {
  if (!fs::exists(foundDir())) return;
  for (const auto& entry : fs::directory_iterator(foundDir())) {
    if (!entry.is_directory()) continue;
    fs::path folder = entry.path();
    Params params;
    std::istringstream lines(readText(folder / "params"));
    for (std::string line; std::getline(lines, line);) {
      size_t equals = line.find('=');
      if (equals != std::string::npos) params.emplace_back(line.substr(0, equals), line.substr(equals + 1));
    }
    std::string module = fs::exists(folder / kModuleFile) ? readText(folder / kModuleFile) : "";
    Verdict verdict = compareEngines(readText(folder / "program.rules"), module, readText(folder / "input.csv"), params,
                                     allConfigs(), scratchDir("found") / folder.filename());
    INFO(folder.string());
    CHECK(verdict.checks);
    CHECK(verdict.detail == "");
    CHECK(verdict.agree);
  }
}

TEST_CASE("differential: the generator covers every construct of the language", "[differential]") {
  std::set<std::string> features;
  for (uint64_t seed = 1; seed <= 500; ++seed) collectFeatures(generateProgram(seed), features);
  for (const std::string& feature : expectedFeatures()) {
    INFO(feature);
    CHECK(features.count(feature) == 1);
  }
}

bool usesAccrual(const std::string& rules) {
  return rules.find("accrue(") != std::string::npos;
}

// The runtime edge of accrual is reached, not only written: programs with `accrue` reject some rows
// for a day before the first rate row (NoTableRow), and the engines agree on those rows too.
TEST_CASE("differential: accrual and lookups reach their edge cases", "[differential]") {
  fs::path scratch = scratchDir("edges");
  std::vector<RunConfig> configs = {{EngineKind::Interp, 7, 1}, {EngineKind::Jit, 2048, 2}};
  int programs = 0;
  int64_t before_first_row = 0, rows = 0, rejected = 0;
  for (uint64_t seed = 1; programs < 24 && seed < 800; ++seed) {
    GProgram program = generateProgram(seed);
    std::string rules = render(program), module = renderModule(program);
    if (!usesAccrual(rules + module)) continue;
    ++programs;
    Verdict verdict = compareEngines(rules, module, generateCsv(program, seed, 300), givenParams(program), configs, scratch);
    INFO("seed " << seed);
    REQUIRE(verdict.checks);
    CHECK(verdict.agree);
    rows += verdict.rows_in;
    rejected += verdict.rows_rejected;
    for (size_t at = 0; (at = verdict.rejects.find("before the first row", at)) != std::string::npos; ++at)
      ++before_first_row;
  }
  std::cout << fmt::format("accrual edges: {} programs, {} rows, {} rejected, {} before the first rate row\n", programs,
                           rows, rejected, before_first_row);
  CHECK(programs == 24);
  CHECK(before_first_row > 0);          // a day before the first rate row rejects the record ...
  CHECK(before_first_row < rows / 4);  // ... some records (17% with the generator of 2026-12-04), not most
}

// True if the JIT compiles `rules` (a program without modules) with the speculative pass.
bool speculates(const std::string& rules) {
  SourceManager sources;
  DiagnosticSink diags;
  std::optional<ast::Ruleset> ast = syntax::parseRuleset(sources, sources.add("generated.rules", rules), diags);
  std::optional<ir::Program> program = ast ? checkAndLower(*ast, sources, diags) : std::nullopt;
  return program && codegen::usesSpeculativePass(*program);
}

// The JIT's speculative pass (a branch-free, vectorised loop over the batch) leaves the rows whose
// checks fail to its scalar loop: programs that take it are generated, some of their rows overflow,
// and both engines agree on every row, at a batch size where the vector loop runs. (Each position
// where a check may mark a row has its own case in tests/unit/jit/speculative_test.cpp.)
TEST_CASE("differential: the JIT's speculative pass is reached and its marked rows agree", "[differential]") {
  fs::path scratch = scratchDir("speculative");
  std::vector<RunConfig> configs = {{EngineKind::Interp, 7, 1}, {EngineKind::Jit, 2048, 1}, {EngineKind::Jit, 13, 2}};
  int programs = 0;
  int64_t rows = 0, rejected = 0, overflows = 0;
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    GProgram program = generateProgram(seed);
    std::string rules = render(program);
    if (!renderModule(program).empty() || !speculates(rules)) continue;
    ++programs;
    Verdict verdict = compareEngines(rules, "", generateCsv(program, seed, 300), givenParams(program), configs, scratch);
    INFO("seed " << seed);
    REQUIRE(verdict.checks);
    CHECK(verdict.agree);
    rows += verdict.rows_in;
    rejected += verdict.rows_rejected;
    for (size_t at = 0; (at = verdict.rejects.find("(overflow)", at)) != std::string::npos; ++at) ++overflows;
  }
  std::cout << fmt::format("speculative pass: {} programs, {} rows, {} rejected, {} by an overflow\n", programs, rows,
                           rejected, overflows);
  CHECK(programs >= 20);
  CHECK(overflows > 0);  // rows the pass marked and the scalar loop rejected, not only cells that did not parse
}

TEST_CASE("differential: generation is deterministic per seed", "[differential]") {
  for (uint64_t seed : {1u, 77u, 500u}) {
    GProgram first = generateProgram(seed), second = generateProgram(seed);
    CHECK(render(first) == render(second));
    CHECK(renderModule(first) == renderModule(second));
    CHECK(generateCsv(first, seed, 100) == generateCsv(second, seed, 100));
  }
}

}  // namespace regelwerk::difftest
