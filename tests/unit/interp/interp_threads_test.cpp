// Interpreter: one Evaluator used from several threads at once gives the same rows as used alone.
#include <catch2/catch.hpp>

#include <climits>
#include <thread>

#include "engine_run.hpp"
#include "ir_builder.hpp"
#include "runtime/interp/interpreter.hpp"

namespace regelwerk::test {
namespace {

using ir::Op;

// out = first rule: level * 3 when level is even, else the default level - 1; overflow on big levels.
ir::Program evenOdd() {
  ir::Program program;
  uint32_t site = addSite(program, "even", "");
  uint32_t level = addInput(program, "level", typeOf(ir::TypeKind::Int));
  uint32_t out = addOutput(program, "out", typeOf(ir::TypeKind::Int), sub(input(program, level), i64(1), site));
  ir::Decision& block = addDecision(program, ir::HitPolicy::First, site);
  ir::ExprPtr even = cmp(Op::Eq, sub(input(program, level), mul(roundDiv(input(program, level), i64(2), ir::RoundMode::Down),
                                                    i64(2))), i64(0));
  then(addRule(block, "even", std::move(even)), out, mul(input(program, level), i64(3), site));
  return program;
}

Batch levels(const ir::Program& program, int64_t first, size_t rows) {
  Batch batch(inputTypes(program), rows);
  batch.setRows(rows);
  for (size_t row = 0; row < rows; ++row) batch.column(0).i64()[row] = first + static_cast<int64_t>(row);
  batch.column(0).i64()[rows / 2] = INT64_MAX - 1;  // one overflowing row per batch
  return batch;
}

TEST_CASE("interp: concurrent evaluate() calls do not interfere", "[interp]") {
  ir::Program program = evenOdd();
  REQUIRE(ir::verify(program).empty());
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  Batch a = levels(program, 0, 5000);
  Batch b = levels(program, 100001, 5000);
  RunResult alone_a = run(*engine, program, a);
  RunResult alone_b = run(*engine, program, b);
  std::vector<RunResult> together;
  together.reserve(2);
  together.push_back(RunResult{Batch(), {}});
  together.push_back(RunResult{Batch(), {}});
  std::thread left([&] { together[0] = run(*engine, program, a); });
  std::thread right([&] { together[1] = run(*engine, program, b); });
  left.join();
  right.join();
  for (size_t row = 0; row < 5000; ++row) {
    CHECK(together[0].errors[row].code == alone_a.errors[row].code);
    CHECK(together[1].errors[row].code == alone_b.errors[row].code);
    if (alone_a.errors[row].code == 0) CHECK(together[0].i64(0, row) == alone_a.i64(0, row));
    if (alone_b.errors[row].code == 0) CHECK(together[1].i64(0, row) == alone_b.i64(0, row));
  }
  CHECK(alone_a.i64(0, 4) == 12);
  CHECK(alone_a.i64(0, 5) == 4);
  CHECK(alone_a.code(2500) == ir::ErrorCode::Overflow);
}

}  // namespace
}  // namespace regelwerk::test
