// Whole-rule-set checks of `regelwerk check` (docs/checks.md): rules that can never apply, rules
// shadowed under `first`, overlapping `unique` rules, `exceptions` winners that can disagree, and
// records no rule covers in a block marked `# check: complete`. Each finding that claims a record
// exists carries one, confirmed by the reference interpreter. The LSP can call checkRuleSet too.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk::analysis {

struct CheckOptions {
  int budget_millis = 2000;  // for the whole rule set; what is left undecided gets a note (W0406)
};

// A record that shows the finding: the CSV header and row (in the input's formats), and the
// `--param` arguments a run needs to see it (empty when the defaults do).
struct Counterexample {
  std::vector<std::string> csv_lines;
  std::string params;
};

struct Finding {
  Diagnostic diagnostic;  // Warning (W0401..W0405) or Note (W0406), at the rule or the `decide`
  bool has_example = false;
  Counterexample example;
};

// Runs every check on the program's decision blocks, and on a grouped rule set's stage programs, within
// the budget; findings sorted by position.
std::vector<Finding> checkRuleSet(const ir::Program& program, const SourceManager& sources,
                                  const CheckOptions& options = {});

// The diagnostic as `check` prints it, then the counterexample and how to replay it:
//    = counterexample: save these lines as a CSV file, then `regelwerk run a.rules --input FILE --explain 2`
//      level,amount
//      0,1.00
std::string renderFinding(const SourceManager& sources, const ir::Program& program, const Finding& finding);

}  // namespace regelwerk::analysis
