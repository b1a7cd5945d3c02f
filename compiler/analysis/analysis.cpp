// Entry point of the whole-rule-set checks and their rendering with the counterexample.
#include "analysis.hpp"

#include <fmt/format.h>

#include "rule_set_checker.hpp"

namespace regelwerk::analysis {

std::vector<Finding> checkRuleSet(const ir::Program& program, const SourceManager& sources,
                                  const CheckOptions& options) {
  if (program.decisions.empty()) return {};
  try {
    RuleSetChecker checker(program, sources, options);
    return checker.run();
  } catch (const z3::exception& failure) {
    Finding note;
    note.diagnostic = Diagnostic{Severity::Note, "W0406", Location{},
                                 fmt::format("the whole-rule-set checks stopped: the solver failed ({})", failure.msg()),
                                 ""};
    return {note};
  }
}

std::string renderFinding(const SourceManager& sources, const ir::Program& program, const Finding& finding) {
  std::string out = renderDiagnostic(sources, finding.diagnostic);
  if (!finding.has_example) return out;
  out += fmt::format("      = counterexample: save these two lines as a CSV file, then see what happens to it with "
                     "`regelwerk run {} --input FILE.csv --explain 2{}`\n",
                     program.source_path, finding.example.params);
  for (const std::string& line : finding.example.csv_lines) out += "        " + line + "\n";
  return out;
}

}  // namespace regelwerk::analysis
