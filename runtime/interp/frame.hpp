// Values and the per-row context of the interpreter's expression evaluator.
#pragma once

#include <cstdint>

#include "compiler/ir/ir.hpp"
#include <vector>

#include "runtime/builtins/builtins.hpp"
#include "runtime/builtins/string_arena.hpp"
#include "runtime/columnar/batch.hpp"

namespace regelwerk::interp {

// One value of any physical kind. Bool and I64 live in `i64` (Bool as 0/1), strings in `str`;
// `valid` is false only for a missing value of an optional expression.
struct Value {
  int64_t i64 = 0;
  StrRef str{nullptr, 0};
  bool valid = true;
};

// Everything an expression can read while one row is evaluated, plus that row's first error.
// Owned by one evaluate() call, so concurrent calls share nothing mutable.
struct Frame {
  const ColumnView* inputs = nullptr;
  const ParamSlot* params = nullptr;
  const Value* lets = nullptr;  // let slots; only those already computed are read (verify() ensures it)
  Value* locals = nullptr;      // With/Local slots (ir::Program::local_count)
  const ir::Program* program = nullptr;  // for its tables
  const std::vector<std::vector<RwStr>>* str_keys = nullptr;  // per table: its string keys for the kernel
  StringArena* strings = nullptr;  // where Concat puts its results (this thread's arena)
  int64_t row = 0;
  RowError error{0, 0, -1, -1};
};

// Records the row's error and returns false, so failing paths read `return fail(...)`.
bool fail(Frame& frame, ir::ErrorCode code, uint32_t site, int32_t rule_a = -1, int32_t rule_b = -1);

// Evaluates `expr` for frame.row into `out`. Returns false after recording the first error in frame.error.
bool evalExpr(const ir::Expr& expr, Frame& frame, Value& out);

// Whether two values of `kind` are the same: I64/Bool by value, Str by bytes, validity included.
bool sameValue(ir::Kind kind, const Value& a, const Value& b);

}  // namespace regelwerk::interp
