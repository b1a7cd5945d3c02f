// Smoke: a one-output program compiles and runs.
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;

TEST_CASE("smoke: a + b", "[jit]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  builder.addOutput("sum", arith(Op::Add, input(0), input(1)));
  JitRun jit(builder.program);
  regelwerk::Batch batch = jit.inputBatch(2);
  batch.column(0).i64()[0] = 2;
  batch.column(1).i64()[0] = 3;
  batch.column(0).i64()[1] = INT64_MAX;
  batch.column(1).i64()[1] = 1;
  jit.run(batch);
  CHECK(jit.error(0).code == 0);
  CHECK(jit.i64(0, 0) == 5);
  CHECK(jit.error(1).code == 1);
}
