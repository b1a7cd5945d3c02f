// The reference interpreter: evaluates an ir::Program row by row by walking its expression trees.
// Its behaviour defines the meaning of the IR; the JIT must agree with it bit for bit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk {

// An Evaluator over `program`. The interpreter keeps a reference: `program` must outlive it.
// The program should pass ir::verify(); the interpreter asserts rather than re-checks.
std::unique_ptr<Evaluator> makeInterpreter(const ir::Program& program);

// What happened to one rule while a row was evaluated (the explanation facility).
enum class RuleOutcome : uint8_t {
  NotEvaluated,  // `first`: an earlier rule won; or the row failed before this condition
  DidNotApply,   // its condition was false
  Won,           // it applied and its assignments were made
  Applied,       // `first`/`unique`: applied but did not win (only after a conflict)
  Overridden,    // `exceptions`: applied, but an applicable rule that overrides it applied too
};

struct RuleTrace {
  RuleOutcome outcome = RuleOutcome::NotEvaluated;
  int32_t overridden_by = -1;  // Overridden: the first applicable rule (index in the block) overriding it
};

// A let's value in a traced row (texts copied out of the interpreter's scratch).
struct TracedValue {
  int64_t i64 = 0;
  std::string str;
  bool present = true;
};

// The trace of one row: per decision block, per rule; `error` as evaluate() would report it; the
// row's let values (empty when the row failed: a let after the failure was never computed).
struct RowTrace {
  std::vector<std::vector<RuleTrace>> decisions;
  RowError error{0, 0, -1, -1};
  std::vector<TracedValue> lets;
};

// Evaluates row `row` of `inputs` with the interpreter's exact semantics, recording which rules'
// conditions held in each decision block, which won and which were overridden.
RowTrace traceRow(const ir::Program& program, const ColumnView* inputs, const ParamSlot* params, int64_t row);

}  // namespace regelwerk
