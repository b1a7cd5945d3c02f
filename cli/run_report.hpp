// The summary printed after `regelwerk run`: counts that add up, outcomes, money sums, throughput.
#pragma once

#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

void printRunReport(const ir::Program& program, const Engine& engine, const RunSummary& summary);

}  // namespace regelwerk::cli
