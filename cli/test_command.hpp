// `regelwerk test PATH...`: finds rule files, runs their tests through both engines, reports.
#pragma once

#include <string>
#include <vector>

namespace regelwerk::cli {

// Prints one line per failing test and ends with `N passed, N failed`. Returns 0 when every test
// passed, 1 when a test failed, 2 for a usage error or a rule file with errors.
int runTestCommand(const std::vector<std::string>& paths, bool quiet);

}  // namespace regelwerk::cli
