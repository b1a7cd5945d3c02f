// `regelwerk check FILE`: after the checker's diagnostics, the whole-rule-set checks (docs/checks.md).
#pragma once

#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

// Prints each finding (warnings W0401..W0405, notes W0406) with its counterexample to standard error.
// Findings are warnings: the rule set still runs, so the exit code is 0; 2 when the checks' module
// (regelwerk-analysis.so, cli/analysis_loader.hpp) cannot be loaded.
int runCheckCommand(const RuleSet& rules, long budget_millis);

}  // namespace regelwerk::cli
