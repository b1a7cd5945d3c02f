// `regelwerk diff OLD.rules NEW.rules --input IN.csv`: which records two versions of a rule set decide
// differently. Exit 0 when none, 1 when some do, 2 for usage, rule or input errors (docs/diff.md).
#pragma once

#include "args.hpp"

namespace regelwerk::cli {

int runDiffCommand(const Args& args);

}  // namespace regelwerk::cli
