// The interface both engines implement: evaluate a batch of records held in columns.
#pragma once

#include <cstdint>

#include "runtime/columnar/batch.hpp"

namespace regelwerk {

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // Evaluates rows [0, rows). `inputs` follow ir::Program::inputs, `params` ir::Program::params,
  // `outputs` ir::Program::outputs (their validity bytes are written for optional outputs).
  // errors[row].code is 0 for an evaluated row, else the row's outputs are unspecified.
  // Safe to call from several threads at once on different batches.
  virtual void evaluate(const ColumnView* inputs, const ParamSlot* params, ColumnView* outputs, RowError* errors,
                        int64_t rows) const = 0;
};

}  // namespace regelwerk
