// `regelwerk test` for grouped rule sets: each test is one group, evaluated by a GroupWorker of each
// engine from CSV lines rendered out of the test's values, as `regelwerk run` would read them.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk {

// The params of one test: defaults, then the test's own values. "" or why a param has no value.
std::string testParams(const ir::Program& program, const ir::TestCase& test, std::vector<ParamSlot>* slots);

// Runs test `index` of a grouped rule set through both engines; adds what differs to `result`.
void runGroupTest(const RuleSet& rules, const Engine& interp, const Engine& jit, size_t index, TestResult* result);

}  // namespace regelwerk
