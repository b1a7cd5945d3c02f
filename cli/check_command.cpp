// `regelwerk check`: the whole-rule-set checks of runtime/analysis over a loaded rule set.
#include "check_command.hpp"

#include "runtime/analysis/analysis.hpp"
#include "console.hpp"

namespace regelwerk::cli {

int runCheckCommand(const RuleSet& rules, long budget_millis) {
  analysis::CheckOptions options;
  options.budget_millis = static_cast<int>(budget_millis);
  std::vector<analysis::Finding> findings = analysis::checkRuleSet(rules.program(), rules.sources(), options);
  for (const analysis::Finding& finding : findings) {
    write(stderr, analysis::renderFinding(rules.sources(), rules.program(), finding));
  }
  return 0;
}

}  // namespace regelwerk::cli
