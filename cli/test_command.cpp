// `regelwerk test`: rule files given or found in folders (recursively, sorted), each loaded with the
// `X.test.rules` beside it; an `X.test.rules` whose `X.rules` is also run is not run twice.
#include "test_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include "console.hpp"
#include <set>

#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Every `.rules` file under the paths; false (with a message printed) for a path that does not exist.
bool collectFiles(const std::vector<std::string>& paths, std::vector<std::string>* files) {
  for (const std::string& path : paths) {
    if (fs::is_regular_file(path)) {
      files->push_back(path);
      continue;
    }
    if (!fs::is_directory(path)) {
      print(stderr, "regelwerk: no such file or folder `{}`\n", path);
      return false;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file() && endsWith(entry.path().string(), ".rules")) found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    files->insert(files->end(), found.begin(), found.end());
  }
  return true;
}

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
  if (!collectFiles(paths, &files)) return 2;
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
