// The JIT's speculative pass (compiler/codegen/emit_speculative.cpp): a failing check marks its row
// only where the checked value is needed — the taken side of an if, the right side of and/or where it
// is evaluated, the fallback of ?? where the value is missing, the winning rule, a default no rule
// replaced — and every marked row gets the scalar loop's result. Each program runs over rows of edge
// values (enough rows for the vector loop), on the JIT and the interpreter, and must agree row by row.
#include <random>

#include "compiler/codegen/codegen.hpp"
#include "runtime/interp/interpreter.hpp"
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;

namespace {

constexpr size_t kRows = 512;

// a, b: int; c: int? — drawn from edge values and small numbers, c missing on about a third of the rows.
regelwerk::Batch edgeRows(const JitRun& jit, uint64_t seed) {
  static const int64_t kEdges[] = {INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 0, 1, -1, 2, -2,
                                   int64_t{1} << 31, (int64_t{1} << 31) + 1, 3037000499, -3037000499,
                                   int64_t{1} << 62, -(int64_t{1} << 62), 4611686018427387903};
  regelwerk::Batch batch = jit.inputBatch(kRows);
  std::mt19937_64 random(seed);
  auto draw = [&]() -> int64_t {
    if (random() % 2) return kEdges[random() % std::size(kEdges)];
    return static_cast<int64_t>(random() % 2001) - 1000;
  };
  for (size_t row = 0; row < kRows; ++row) {
    batch.column(0).i64()[row] = draw();
    batch.column(1).i64()[row] = draw();
    batch.column(2).i64()[row] = draw();
    batch.column(2).valid()[row] = random() % 3 != 0;
  }
  return batch;
}

// Runs `program` (inputs a, b, c?) on both engines over seeded edge rows; every row must agree: the
// error record, or every output's value and presence. Returns how many rows the engines rejected.
size_t agreeOnEdges(regelwerk::ir::Program& program) {
  REQUIRE(regelwerk::codegen::usesSpeculativePass(program));
  JitRun jit(program);
  std::unique_ptr<regelwerk::Evaluator> interp = regelwerk::makeInterpreter(program);
  size_t rejected = 0;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    regelwerk::Batch inputs = edgeRows(jit, seed);
    jit.run(inputs);
    std::vector<regelwerk::ir::Type> types;
    for (const regelwerk::ir::Output& output : program.outputs) types.push_back(output.type);
    regelwerk::Batch outputs(types, kRows);
    std::vector<regelwerk::RowError> errors(kRows);
    std::vector<regelwerk::ColumnView> in = inputs.views();
    std::vector<regelwerk::ColumnView> out = outputs.views();
    interp->evaluate(in.data(), nullptr, out.data(), errors.data(), static_cast<int64_t>(kRows));
    for (size_t row = 0; row < kRows; ++row) {
      INFO("seed " << seed << " row " << row << ": a=" << inputs.column(0).i64()[row] << " b="
                   << inputs.column(1).i64()[row] << " c=" << inputs.column(2).i64()[row]
                   << (inputs.column(2).valid()[row] ? "" : " (missing)"));
      REQUIRE(jit.error(row).code == errors[row].code);
      REQUIRE(jit.error(row).site == errors[row].site);
      REQUIRE(jit.error(row).rule_a == errors[row].rule_a);
      REQUIRE(jit.error(row).rule_b == errors[row].rule_b);
      if (errors[row].code != 0) {
        ++rejected;
        continue;
      }
      for (size_t output = 0; output < program.outputs.size(); ++output) {
        REQUIRE(jit.valid(output, row) == outputs.column(output).isValid(row));
        if (!outputs.column(output).isValid(row)) continue;
        if (program.outputs[output].type.kind == regelwerk::ir::TypeKind::Bool) {
          REQUIRE(jit.flag(output, row) == (outputs.column(output).boolean()[row] != 0));
        } else {
          REQUIRE(jit.i64(output, row) == outputs.column(output).i64()[row]);
        }
      }
    }
  }
  return rejected;
}

ProgramBuilder threeInputs() {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  builder.addInput("c", Kind::I64, /*optional=*/true);
  return builder;
}

ExprPtr optionalC() { return input(2, Kind::I64, true); }

}  // namespace

TEST_CASE("speculative pass: an overflow marks its row only on the side of the if the row takes", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  builder.addOutput("then_side", ifThen(compare(Op::Lt, input(0), num(0)), arith(Op::Add, input(0), input(1), 1), num(7)));
  builder.addOutput("else_side", ifThen(compare(Op::Lt, input(0), num(0)), num(7), arith(Op::Sub, input(0), input(1), 2)));
  CHECK(agreeOnEdges(builder.program) > 0);
}

TEST_CASE("speculative pass: the right side of and/or marks only where it is evaluated", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  builder.addOutput("and", node(Op::And, Kind::Bool, compare(Op::Gt, input(0), num(0)),
                                compare(Op::Gt, arith(Op::Sub, input(0), input(1), 1), num(0))));
  builder.addOutput("or", node(Op::Or, Kind::Bool, compare(Op::Gt, input(0), num(0)),
                               compare(Op::Gt, arith(Op::Mul, input(0), input(1), 2), num(0))));
  CHECK(agreeOnEdges(builder.program) > 0);
}

TEST_CASE("speculative pass: the fallback of ?? marks only where the value is missing", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  builder.addOutput("filled", coalesce(optionalC(), arith(Op::Add, input(0), input(1), 1)));
  builder.addOutput("kept", coalesce(optionalC(), ifThen(compare(Op::Gt, input(0), num(0)), optionalC(),
                                                          arith(Op::Mul, input(1), num(3), 2))),
                    /*optional=*/true);
  CHECK(agreeOnEdges(builder.program) > 0);
}

// The product of two magnitudes with 32 leading zeros each fits (2^62 + 2^31) but the speculative
// test cannot tell: those rows are marked and the scalar loop accepts them with the exact product.
TEST_CASE("speculative pass: products the pass cannot prove are computed by the scalar loop", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  builder.addOutput("product", arith(Op::Mul, input(0), input(1), 1));
  builder.addOutput("scaled", rescale(input(0), 1000, 2));
  builder.addOutput("negated", node(Op::Neg, Kind::I64, input(1)));
  builder.program.outputs.back().default_value->site = 3;
  builder.addOutput("magnitude", node(Op::Abs, Kind::I64, input(0)));
  builder.program.outputs.back().default_value->site = 4;
  agreeOnEdges(builder.program);
  JitRun jit(builder.program);
  regelwerk::Batch batch = jit.inputBatch(64);
  for (size_t row = 0; row < 64; ++row) {
    batch.column(0).i64()[row] = (int64_t{1} << 31) + 1;
    batch.column(1).i64()[row] = row % 2 ? -(int64_t{1} << 31) : (int64_t{1} << 31);
    batch.column(2).valid()[row] = 0;
  }
  jit.run(batch);
  for (size_t row = 0; row < 64; ++row) {
    REQUIRE(jit.error(row).code == 0);
    CHECK(jit.i64(0, row) == (row % 2 ? -1 : 1) * ((int64_t{1} << 62) + (int64_t{1} << 31)));
  }
}

TEST_CASE("speculative pass: first and unique decide, their winners' assignments and defaults mark", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  uint32_t out = builder.addOutput("out", arith(Op::Add, input(1), input(0), 9));
  uint32_t pick = builder.addOutput("pick", num(0));
  regelwerk::ir::Decision& first = builder.decide(regelwerk::ir::HitPolicy::First, builder.site("first"));
  assign(addRule(first, "negative", compare(Op::Lt, input(0), num(0))), out, arith(Op::Sub, num(0), input(0), 2));
  assign(addRule(first, "big", compare(Op::Gt, input(0), num(1000))), out, arith(Op::Mul, input(0), input(1), 3));
  regelwerk::ir::Decision& unique = builder.decide(regelwerk::ir::HitPolicy::Unique, builder.site("unique"));
  assign(addRule(unique, "small b", compare(Op::Lt, input(1), num(10))), pick, num(1));
  assign(addRule(unique, "a times 10 is 0", compare(Op::Eq, rescale(input(0), 10, 4), num(0))), pick,
         arith(Op::Add, input(1), input(1), 5));
  CHECK(agreeOnEdges(builder.program) > 0);
}

TEST_CASE("speculative pass: a division by a column is marked where the divisor is 0", "[jit][speculative]") {
  ProgramBuilder builder = threeInputs();
  builder.addOutput("quotient", ifThen(compare(Op::Gt, input(0), num(0)),
                                       roundDiv(input(1), input(0), 2, 0, regelwerk::ir::RoundMode::HalfEven, 1),
                                       roundDiv(input(0), input(1), 0, 0, regelwerk::ir::RoundMode::Floor, 2)));
  CHECK(agreeOnEdges(builder.program) > 0);
}
