// Turns a RowError from either engine into one sentence that names the rule file position and rule.
#pragma once

#include <string>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"

namespace regelwerk {

// "dunning.rules:22:7 rule notice: the result does not fit in 64 bits (overflow)".
std::string describeRowError(const ir::Program& program, const RowError& error);

}  // namespace regelwerk
