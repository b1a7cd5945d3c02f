// `regelwerk test`: rule files given or found in folders (recursively, sorted), each loaded with the
// `X.test.rules` beside it; an `X.test.rules` whose `X.rules` is also run is not run twice.
#include "test_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "console.hpp"
#include "rule_files.hpp"
#include "runtime/exec/output_file.hpp"
#include "test_report.hpp"

#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

namespace {

// X.test.rules is run through X.rules when that is in the list too.
std::vector<std::string> unitsToRun(const std::vector<std::string>& files) {
  std::set<std::string> all(files.begin(), files.end());
  std::vector<std::string> units;
  for (const std::string& file : files) {
    if (endsWith(file, ".test.rules")) {
      std::string target = file.substr(0, file.size() - std::string(".test.rules").size()) + ".rules";
      if (all.count(target)) continue;
    }
    if (std::find(units.begin(), units.end(), file) == units.end()) units.push_back(file);
  }
  return units;
}

// Loads one rule file (with its X.test.rules) and runs its tests; prints its results.
TestUnit runUnit(const std::string& file, bool quiet) {
  TestUnit unit{file, {}, {}, 0};
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diagnostics;
  std::string io_error;
  auto rules = RuleSet::load(file, &diagnostics, &io_error, LoadOptions{true});
  if (!rules) {
    print(stderr, "{}", io_error.empty() ? diagnostics.text : "regelwerk: " + io_error + "\n");
    unit.error = io_error.empty() ? fmt::format("{} error{} in the rule file", diagnostics.errors,
                                                diagnostics.errors == 1 ? "" : "s")
                                  : io_error;
    return unit;
  }
  print(stderr, "{}", diagnostics.text);  // warnings of a rule set that loaded
  unit.summary = runTests(*rules);
  unit.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!unit.summary.error.empty()) {
    print(stderr, "regelwerk: {}: {}\n", file, unit.summary.error);
    unit.error = unit.summary.error;
    return unit;
  }
  print("{}", renderTestResults(unit.summary, !quiet));
  return unit;
}

bool writeReport(const std::string& path, const std::string& text) {
  OutputFile file;
  std::string error;
  if (!file.open(path, "JUnit report", &error) || !file.write(text) || !commitTogether({&file}, &error)) {
    print(stderr, "regelwerk: {}\n", error.empty() ? file.error() : error);
    return false;
  }
  return true;
}

}  // namespace

int runTestCommand(const std::vector<std::string>& paths, const TestOptions& options) {
  std::vector<std::string> files;
  if (!collectRuleFiles(paths, &files)) return 2;
  std::vector<TestUnit> units;
  size_t passed = 0;
  size_t failed = 0;
  bool rule_errors = false;
  for (const std::string& file : unitsToRun(files)) {
    units.push_back(runUnit(file, options.quiet));
    passed += units.back().summary.passed;
    failed += units.back().summary.failed;
    rule_errors = rule_errors || !units.back().error.empty();
  }
  print("{} passed, {} failed\n", passed, failed);
  if (options.coverage) print("{}", renderCoverage(units));
  if (!options.junit_path.empty() && !writeReport(options.junit_path, renderJunit(units))) return 2;
  if (rule_errors) return 2;
  return failed == 0 ? 0 : 1;
}

}  // namespace regelwerk::cli
