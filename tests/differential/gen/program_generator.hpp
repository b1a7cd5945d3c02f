// Seeded generator of well-typed random rule files. It generates by type: pick the type a place
// needs (a let's, an output's, a condition's bool), then an expression that produces it, tracking
// scales, optional values and enum context exactly as compiler/sema does, so every program checks.
#pragma once

#include <cstdint>

#include "program_model.hpp"

namespace regelwerk::difftest {

GProgram generateProgram(uint64_t seed);

// The simplest literal of `type` (0, 0.00 EUR, false, "", the first member, ...), for the shrinker.
GExpr simpleLiteral(const GProgram& program, const GType& type);

}  // namespace regelwerk::difftest
