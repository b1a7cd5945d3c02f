// Counterexample records: read from a Z3 model, replayed through the reference interpreter (the judge
// of whether a finding is real), and written as a CSV line the analyst can save and run.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/analysis/z3_encoder.hpp"
#include "compiler/ir/ir.hpp"
#include "runtime/interp/interpreter.hpp"

namespace regelwerk::analysis {

// One field or param value in its physical form (as a CSV cell reads it).
struct CellSlot {
  bool present = true;
  int64_t i64 = 0;
  std::string str;
};

// A complete input record and the params of a run.
struct Record {
  std::vector<CellSlot> inputs;  // one per ir::Program::inputs
  std::vector<CellSlot> params;  // one per ir::Program::params
};

// The record a model describes; fields the model leaves open get 0 / false / the first member.
Record recordFromModel(const z3::model& model, const Encoder& encoder, const ir::Program& program);

// Evaluates the record with the interpreter, tracing every decision block (runtime/interp).
RowTrace traceRecord(const ir::Program& program, const Record& record);

// A formula that excludes this record's field values, so the next model is a different record.
z3::expr excluding(z3::context& context, const Encoder& encoder, const ir::Program& program, const Record& record);

// The CSV header and the one row, with the rule set's separator and the fields' formats:
// {"level,amount_cents", "0,1250"}.
std::vector<std::string> csvLines(const ir::Program& program, const Record& record);

// Whether the reader reads `csvLines(program, record)` back as exactly this record: one row, not
// rejected, every value and presence the same. A model whose text does not (a field format the writer
// cannot produce, two fields from one column, a separator inside a value) is no counterexample.
bool readsBack(const ir::Program& program, const Record& record);

// ` --param wait=3` for each param whose value differs from its default (or that has none); values
// quoted for the shell.
std::string paramArguments(const ir::Program& program, const Record& record);

}  // namespace regelwerk::analysis
