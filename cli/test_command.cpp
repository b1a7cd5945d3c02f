// `regelwerk test`: rule files given or found in folders (recursively, sorted), each loaded with the
// `X.test.rules` beside it; an `X.test.rules` whose `X.rules` is also run is not run twice.
#include "test_command.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "console.hpp"
#include "rule_files.hpp"

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

}  // namespace

int runTestCommand(const std::vector<std::string>& paths, bool quiet) {
  std::vector<std::string> files;
  if (!collectRuleFiles(paths, &files)) return 2;
  size_t passed = 0;
  size_t failed = 0;
  bool rule_errors = false;
  for (const std::string& file : unitsToRun(files)) {
    Diagnostics diagnostics;
    std::string io_error;
    auto rules = RuleSet::load(file, &diagnostics, &io_error, LoadOptions{true});
    if (!rules) {
      print(stderr, "{}", io_error.empty() ? diagnostics.text : "regelwerk: " + io_error + "\n");
      rule_errors = true;
      continue;
    }
    print(stderr, "{}", diagnostics.text);  // warnings of a rule set that loaded
    TestSummary summary = runTests(*rules);
    if (!summary.error.empty()) {
      print(stderr, "regelwerk: {}: {}\n", file, summary.error);
      rule_errors = true;
      continue;
    }
    print("{}", renderTestResults(summary, !quiet));
    passed += summary.passed;
    failed += summary.failed;
  }
  print("{} passed, {} failed\n", passed, failed);
  if (rule_errors) return 2;
  return failed == 0 ? 0 : 1;
}

}  // namespace regelwerk::cli
