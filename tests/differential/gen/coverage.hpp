// Which language constructs a set of generated programs uses, so a test can require every one.
#pragma once

#include <set>
#include <string>

#include "program_model.hpp"

namespace regelwerk::difftest {

// Adds feature names such as "field:money?", "decimal(3)", "op:??", "round:half_even", "policy:unique",
// "exceptions:overrides" to `features`.
void collectFeatures(const GProgram& program, std::set<std::string>& features);

// Every feature the generator is meant to produce.
std::set<std::string> expectedFeatures();

}  // namespace regelwerk::difftest
