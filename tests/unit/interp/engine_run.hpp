// Runs an engine (interpreter or JIT) over a hand-built ir::Program, for engine tests.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk::test {

inline std::vector<ir::Type> inputTypes(const ir::Program& program) {
  std::vector<ir::Type> types;
  for (const ir::InputColumn& column : program.inputs) types.push_back(column.type);
  return types;
}
inline std::vector<ir::Type> outputTypes(const ir::Program& program) {
  std::vector<ir::Type> types;
  for (const ir::Output& output : program.outputs) types.push_back(output.type);
  return types;
}

// The outputs and per-row errors of one evaluate() call, with typed accessors for assertions.
struct RunResult {
  Batch outputs;
  std::vector<RowError> errors;

  int64_t i64(size_t output, size_t row = 0) const { return outputs.column(output).i64()[row]; }
  bool boolean(size_t output, size_t row = 0) const { return outputs.column(output).boolean()[row] != 0; }
  std::string str(size_t output, size_t row = 0) const {
    StrRef ref = outputs.column(output).str()[row];
    return std::string(ref.data, static_cast<size_t>(ref.size));
  }
  bool valid(size_t output, size_t row = 0) const { return outputs.column(output).isValid(row); }
  ir::ErrorCode code(size_t row = 0) const { return static_cast<ir::ErrorCode>(errors[row].code); }
};

// Runs `engine` over every row of `inputs` (a batch built from inputTypes(program)).
inline RunResult run(const Evaluator& engine, const ir::Program& program, Batch& inputs,
                     const std::vector<ParamSlot>& params = {}) {
  RunResult result{Batch(outputTypes(program), inputs.rows()), std::vector<RowError>(inputs.rows())};
  result.outputs.setRows(inputs.rows());
  std::vector<ColumnView> in = inputs.views();
  std::vector<ColumnView> out = result.outputs.views();
  engine.evaluate(in.data(), params.data(), out.data(), result.errors.data(), static_cast<int64_t>(inputs.rows()));
  return result;
}

}  // namespace regelwerk::test
