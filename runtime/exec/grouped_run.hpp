// The grouped half of regelwerk::run (docs/groups.md): several keyed inputs, one output row per group.
#pragma once

#include <vector>

#include "regelwerk/regelwerk.hpp"

namespace regelwerk {

// Called by run() once the options are checked and the params bound, for a rule set with a Grouping.
RunSummary runGrouped(const RuleSet& rules, const Engine& engine, const RunOptions& options,
                      const std::vector<ParamSlot>& params);

}  // namespace regelwerk
