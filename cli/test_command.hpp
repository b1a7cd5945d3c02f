// `regelwerk test PATH...`: finds rule files, runs their tests through both engines, reports.
#pragma once

#include <string>
#include <vector>

namespace regelwerk::cli {

// Prints one line per failing test and ends with `N passed, N failed`. Returns 0 when every test
// passed, 1 when a test failed, 2 for a usage error or a rule file with errors.
struct TestOptions {
  bool quiet = false;      // only failing tests and the last line
  bool coverage = false;   // print the rule coverage (cli/test_report.hpp)
  std::string junit_path;  // write JUnit XML there (through the one file-commit path)
};

int runTestCommand(const std::vector<std::string>& paths, const TestOptions& options);

}  // namespace regelwerk::cli
