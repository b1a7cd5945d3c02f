// `regelwerk check`: the whole-rule-set checks of runtime/analysis over a loaded rule set.
#include "check_command.hpp"

#include "analysis_loader.hpp"
#include "console.hpp"

namespace regelwerk::cli {

int runCheckCommand(const RuleSet& rules, long budget_millis) {
  std::string error;
  const analysis::AnalysisModule* checks = loadAnalysisModule(&error);
  if (!checks) return print(stderr, "regelwerk check: {}\n", error), 2;  // the exit code of a usage error
  analysis::CheckOptions options;
  options.budget_millis = static_cast<int>(budget_millis);
  std::vector<analysis::Finding> findings = checks->check_rule_set(rules.program(), rules.sources(), options);
  for (const analysis::Finding& finding : findings) {
    write(stderr, checks->render_finding(rules.sources(), rules.program(), finding));
  }
  return 0;
}

}  // namespace regelwerk::cli
