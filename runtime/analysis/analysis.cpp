// Entry point of the whole-rule-set checks and their rendering with the counterexample.
#include "analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "rule_set_checker.hpp"

namespace regelwerk::analysis {

// One program's decision blocks; a solver failure ends this program's checks with a note.
static void checkProgram(const ir::Program& program, bool replayable, const SourceManager& sources,
                         const CheckOptions& options, std::chrono::steady_clock::time_point deadline,
                         std::vector<Finding>* findings) {
  if (program.decisions.empty()) return;
  try {
    RuleSetChecker checker(program, sources, options, deadline, replayable);
    for (Finding& finding : checker.run()) findings->push_back(std::move(finding));
  } catch (const z3::exception& failure) {
    Finding note;
    note.diagnostic = Diagnostic{Severity::Note, "W0406", program.decisions.front().loc,
                                 fmt::format("the whole-rule-set checks stopped: the solver failed ({})", failure.msg()),
                                 ""};
    findings->push_back(std::move(note));
  }
}

// The program itself, then (a grouped rule set) every stage program: their blocks get the checks that
// claim no record exists; their records are not one CSV line, so nothing is replayed (docs/checks.md).
std::vector<Finding> checkRuleSet(const ir::Program& program, const SourceManager& sources,
                                  const CheckOptions& options) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.budget_millis);
  std::vector<Finding> findings;
  checkProgram(program, program.grouping == nullptr, sources, options, deadline, &findings);
  if (program.grouping) {
    for (const ir::Program* stage : program.grouping->stagePrograms()) {
      checkProgram(*stage, false, sources, options, deadline, &findings);
    }
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.diagnostic.loc == b.diagnostic.loc) return a.diagnostic.code < b.diagnostic.code;
    return a.diagnostic.loc < b.diagnostic.loc;
  });
  return findings;
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
