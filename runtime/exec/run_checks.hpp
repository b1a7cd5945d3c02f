// Checks a run makes before it reads anything (options, separator, files named twice) and the batch
// size it actually uses. Each failure is one line for the user, with what to do.
#pragma once

#include <cstddef>
#include <string>

#include "runtime/exec/api.hpp"

namespace regelwerk {

// Scratch memory one worker may use for its batches; --batch-size only ever lowers the batch below it.
inline constexpr size_t kBatchMemoryBudget = size_t{32} << 20;

// False with `error` when the run must not start: see run_checks.cpp.
bool checkRun(const RuleSet& rules, const RunOptions& options, std::string* error);

// Whether output written with `separator` reads back unchanged (false for `.`, `-`, digits, letters…).
bool separatorReadsBack(char separator);

// `requested` rows, or fewer where the rule set's columns would exceed kBatchMemoryBudget.
size_t effectiveBatchSize(const ir::Program& program, size_t requested);

}  // namespace regelwerk
