// Interpreter: lets, hit policies (first, unique, exceptions), lazy defaults and per-row errors.
#include <catch2/catch.hpp>

#include <climits>

#include "engine_run.hpp"
#include "ir_builder.hpp"
#include "runtime/interp/interpreter.hpp"

namespace regelwerk::test {
namespace {

using ir::ErrorCode;
using ir::HitPolicy;
using ir::Op;

// A rule set over one int input `level` with sites: 1 = the decision block, 2 = a failing node.
struct Fixture {
  ir::Program program;
  Batch inputs;
  uint32_t level = 0;
  uint32_t block_site = 0;
  uint32_t node_site = 0;

  Fixture() {
    level = addInput(program, "level", typeOf(ir::TypeKind::Int));
    block_site = addSite(program, "", "decide");
    node_site = addSite(program, "r", "");
  }
  // `level == value`
  ir::ExprPtr levelIs(int64_t value) { return cmp(Op::Eq, input(program, level), i64(value)); }
  // A condition that overflows whenever it is evaluated on a row with level > 0.
  ir::ExprPtr overflows() { return cmp(Op::Gt, add(i64(INT64_MAX), input(program, level), node_site), i64(0)); }
  // `level == 0 and <overflow>`: fails exactly on rows with level 0 where it is evaluated.
  ir::ExprPtr overflowsAtZero() {
    return andOf(levelIs(0), cmp(Op::Gt, add(i64(INT64_MAX), i64(1), node_site), i64(0)));
  }
  RunResult runLevels(std::vector<int64_t> levels) {
    inputs = Batch(inputTypes(program), levels.size());
    inputs.setRows(levels.size());
    for (size_t row = 0; row < levels.size(); ++row) inputs.column(level).i64()[row] = levels[row];
    std::unique_ptr<Evaluator> engine = makeInterpreter(program);
    return run(*engine, program, inputs);
  }
};

void checkNoError(const RunResult& result, size_t row = 0) {
  CHECK(result.errors[row].code == 0);
  CHECK(result.errors[row].site == 0);
  CHECK(result.errors[row].rule_a == -1);
  CHECK(result.errors[row].rule_b == -1);
}

void checkConflict(const RunResult& result, ErrorCode code, int32_t site, int32_t rule_a, int32_t rule_b) {
  CHECK(result.code() == code);
  CHECK(result.errors[0].site == site);
  CHECK(result.errors[0].rule_a == rule_a);
  CHECK(result.errors[0].rule_b == rule_b);
}

TEST_CASE("interp: lets are evaluated in order and read earlier lets", "[interp]") {
  Fixture f;
  uint32_t doubled = addLet(f.program, "doubled", typeOf(ir::TypeKind::Int), mul(input(f.program, f.level), i64(2)));
  uint32_t plus = addLet(f.program, "plus", typeOf(ir::TypeKind::Int), add(let(f.program, doubled), i64(1)));
  addOutput(f.program, "out", typeOf(ir::TypeKind::Int), let(f.program, plus));
  RunResult result = f.runLevels({4, -4});
  CHECK(result.i64(0, 0) == 9);
  CHECK(result.i64(0, 1) == -7);
}

TEST_CASE("interp: an error in an unused let rejects the row", "[interp]") {
  Fixture f;
  addLet(f.program, "unused", typeOf(ir::TypeKind::Int), add(input(f.program, f.level), i64(1), f.node_site));
  addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(0));
  RunResult result = f.runLevels({1, INT64_MAX});
  checkNoError(result, 0);
  CHECK(result.code(1) == ErrorCode::Overflow);
  CHECK(result.errors[1].site == static_cast<int32_t>(f.node_site));
}

TEST_CASE("interp: first hit policy", "[interp]") {
  Fixture f;
  uint32_t out = addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(-1));
  ir::Decision& block = addDecision(f.program, HitPolicy::First, f.block_site);
  then(addRule(block, "one", f.levelIs(1)), out, i64(10));
  then(addRule(block, "low", cmp(Op::Le, input(f.program, f.level), i64(2))), out, i64(20));
  then(addRule(block, "never reached when low applies", f.overflows()), out, i64(30));
  RunResult result = f.runLevels({1, 2, 0, 5});
  CHECK(result.i64(out, 0) == 10);  // both `one` and `low` apply: the first wins
  CHECK(result.i64(out, 1) == 20);
  CHECK(result.i64(out, 2) == 20);
  checkNoError(result, 2);                           // the overflowing condition is not evaluated
  CHECK(result.code(3) == ErrorCode::Overflow);      // but it is when no earlier rule applies
}

TEST_CASE("interp: first hit policy without a hit keeps the default, unconditional rules apply", "[interp]") {
  Fixture f;
  uint32_t out = addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(-1));
  uint32_t other = addOutput(f.program, "other", typeOf(ir::TypeKind::Int), i64(-2));
  ir::Decision& first = addDecision(f.program, HitPolicy::First, f.block_site);
  then(addRule(first, "one", f.levelIs(1)), out, i64(10));
  ir::Decision& always = addDecision(f.program, HitPolicy::First, f.block_site);
  then(addRule(always, "always", nullptr), other, input(f.program, f.level));
  RunResult result = f.runLevels({1, 3});
  CHECK(result.i64(out, 0) == 10);
  CHECK(result.i64(out, 1) == -1);
  CHECK(result.i64(other, 1) == 3);
}

TEST_CASE("interp: unique hit policy", "[interp]") {
  Fixture f;
  uint32_t out = addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(-1));
  ir::Decision& block = addDecision(f.program, HitPolicy::Unique, f.block_site);
  then(addRule(block, "r0", f.levelIs(0)), out, i64(100));
  then(addRule(block, "r1", cmp(Op::Ge, input(f.program, f.level), i64(5))), out, i64(101));
  then(addRule(block, "r2", f.levelIs(1)), out, i64(102));
  then(addRule(block, "r3", cmp(Op::Ge, input(f.program, f.level), i64(7))), out, i64(103));
  then(addRule(block, "r4", orOf(cmp(Op::Ge, input(f.program, f.level), i64(5)), f.overflowsAtZero())), out,
       i64(104));
  SECTION("one applicable rule wins, after every condition was evaluated") {
    RunResult result = f.runLevels({1, 6, 3});
    CHECK(result.i64(out, 0) == 102);
    CHECK(result.code(1) == ErrorCode::UniqueConflict);  // r1 and r4 apply
    CHECK(result.errors[1].rule_a == 1);
    CHECK(result.errors[1].rule_b == 4);
    CHECK(result.i64(out, 2) == -1);
  }
  SECTION("a second applicable rule stops the block before later conditions") {
    RunResult result = f.runLevels({8});  // r1 and r3 apply; r4 is not evaluated
    checkConflict(result, ErrorCode::UniqueConflict, static_cast<int32_t>(f.block_site), 1, 3);
  }
  SECTION("a failing later condition rejects the row even though one rule already applies") {
    RunResult result = f.runLevels({0});  // r0 applies; r4's right operand overflows
    CHECK(result.code() == ErrorCode::Overflow);
    CHECK(result.errors[0].site == static_cast<int32_t>(f.node_site));
  }
}

TEST_CASE("interp: unique stops at the second applicable rule", "[interp]") {
  Fixture f;
  uint32_t out = addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(-1));
  ir::Decision& block = addDecision(f.program, HitPolicy::Unique, f.block_site);
  addRule(block, "r0", f.levelIs(0));
  then(addRule(block, "r1", nullptr), out, i64(1));
  then(addRule(block, "r2", nullptr), out, i64(2));
  addRule(block, "r3", f.overflows());
  RunResult result = f.runLevels({1});
  checkConflict(result, ErrorCode::UniqueConflict, static_cast<int32_t>(f.block_site), 1, 2);
}

// decide exceptions with three outputs; rules are added per test.
struct ExceptionsFixture : Fixture {
  uint32_t a = 0;
  uint32_t b = 0;
  ir::Decision* block = nullptr;

  ExceptionsFixture() {
    a = addOutput(program, "a", typeOf(ir::TypeKind::Int), i64(-1));
    b = addOutput(program, "b", typeOf(ir::TypeKind::Int), i64(-2));
    block = &addDecision(program, HitPolicy::Exceptions, block_site);
  }
};

TEST_CASE("interp: exceptions winners are applicable rules no applicable rule overrides", "[interp]") {
  ExceptionsFixture f;
  // r3 overrides r2 overrides r1, so r1 is defeated by {r2, r3} and r2 by {r3}.
  then(addRule(*f.block, "r1", cmp(Op::Ge, input(f.program, f.level), i64(1)), 0b110), f.a, i64(1));
  then(addRule(*f.block, "r2", f.levelIs(2), 0b100), f.a, i64(2));
  then(addRule(*f.block, "r3", cmp(Op::Ge, input(f.program, f.level), i64(3)), 0), f.a, i64(3));
  RunResult result = f.runLevels({0, 1, 2, 3});
  CHECK(result.i64(f.a, 0) == -1);  // nothing applies: default
  CHECK(result.i64(f.a, 1) == 1);   // only r1
  CHECK(result.i64(f.a, 2) == 2);   // r1 and r2: r2 overrides r1
  CHECK(result.i64(f.a, 3) == 3);   // r1 and r3 apply, r2 does not: r3 still wins over r1
  for (size_t row = 0; row < 4; ++row) checkNoError(result, row);
}

TEST_CASE("interp: exceptions evaluates every condition", "[interp]") {
  ExceptionsFixture f;
  then(addRule(*f.block, "r0", nullptr), f.a, i64(1));
  addRule(*f.block, "r1", f.overflows());
  RunResult result = f.runLevels({1});
  CHECK(result.code() == ErrorCode::Overflow);
  CHECK(result.errors[0].site == static_cast<int32_t>(f.node_site));
}

TEST_CASE("interp: exceptions winners agreeing on a value do not conflict", "[interp]") {
  ExceptionsFixture f;
  then(then(addRule(*f.block, "r0", nullptr), f.a, i64(5)), f.b, i64(6));
  then(addRule(*f.block, "r1", nullptr), f.b, sub(i64(7), i64(1)));
  then(addRule(*f.block, "r2", f.levelIs(9)), f.b, i64(8));
  RunResult result = f.runLevels({0, 9});
  CHECK(result.i64(f.a, 0) == 5);
  CHECK(result.i64(f.b, 0) == 6);
  checkNoError(result, 0);
  CHECK(result.code(1) == ErrorCode::ExceptionsConflict);
  CHECK(result.errors[1].site == static_cast<int32_t>(f.block_site));
  CHECK(result.errors[1].rule_a == 0);  // the earliest winner that assigned b
  CHECK(result.errors[1].rule_b == 2);
}

TEST_CASE("interp: exceptions conflict names the earlier winner that assigned the output", "[interp]") {
  ExceptionsFixture f;
  then(addRule(*f.block, "r0", nullptr), f.a, i64(1));
  addRule(*f.block, "r1 defeated", nullptr, 0b100);
  then(addRule(*f.block, "r2", nullptr), f.b, i64(2));
  then(addRule(*f.block, "r3", nullptr), f.b, i64(3));
  RunResult result = f.runLevels({0});
  checkConflict(result, ErrorCode::ExceptionsConflict, static_cast<int32_t>(f.block_site), 2, 3);
}

TEST_CASE("interp: exceptions compares strings by bytes and missing values by validity", "[interp]") {
  ir::Program program;
  uint32_t note = addInput(program, "note", typeOf(ir::TypeKind::String, true));
  uint32_t site = addSite(program, "", "decide");
  uint32_t text = addOutput(program, "text", typeOf(ir::TypeKind::String, true), str("none"));
  ir::Decision& block = addDecision(program, HitPolicy::Exceptions, site);
  then(addRule(block, "r0", nullptr), text, input(program, note));
  then(addRule(block, "r1", nullptr), text, coalesce(input(program, note), str("x")));
  Batch inputs(inputTypes(program), 3);
  inputs.setRows(3);
  inputs.column(note).str()[0] = inputs.intern("x");  // a different buffer from the constant "x"
  inputs.column(note).valid()[1] = 0;                  // missing vs "x": different
  inputs.column(note).str()[2] = inputs.intern("y");
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  RunResult result = run(*engine, program, inputs);
  CHECK(result.code(0) == ErrorCode::None);
  CHECK(result.str(text, 0) == "x");
  CHECK(result.code(1) == ErrorCode::ExceptionsConflict);
  CHECK(result.code(2) == ErrorCode::None);
  CHECK(result.str(text, 2) == "y");
}

TEST_CASE("interp: two missing values agree in exceptions", "[interp]") {
  ir::Program program;
  uint32_t when = addInput(program, "when", typeOf(ir::TypeKind::Date, true));
  uint32_t site = addSite(program, "", "decide");
  uint32_t out = addOutput(program, "out", typeOf(ir::TypeKind::Date, true), i64(0));
  ir::Decision& block = addDecision(program, HitPolicy::Exceptions, site);
  then(addRule(block, "r0", nullptr), out, input(program, when));
  then(addRule(block, "r1", nullptr), out, input(program, when));
  Batch inputs(inputTypes(program), 1);
  inputs.setRows(1);
  inputs.column(when).valid()[0] = 0;
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  RunResult result = run(*engine, program, inputs);
  CHECK(result.code() == ErrorCode::None);
  CHECK_FALSE(result.valid(out));
}

TEST_CASE("interp: defaults are evaluated only for unassigned outputs, in declaration order", "[interp]") {
  Fixture f;
  uint32_t fee = addOutput(f.program, "fee", typeOf(ir::TypeKind::Int), add(i64(INT64_MAX), i64(1), f.node_site));
  uint32_t other = addOutput(f.program, "other", typeOf(ir::TypeKind::Int), neg(i64(INT64_MIN), 0));
  ir::Decision& block = addDecision(f.program, HitPolicy::First, f.block_site);
  then(then(addRule(block, "both", f.levelIs(1)), fee, i64(5)), other, i64(6));
  then(addRule(block, "other only", f.levelIs(2)), other, i64(7));
  RunResult result = f.runLevels({1, 2, 3});
  checkNoError(result, 0);
  CHECK(result.i64(fee, 0) == 5);
  CHECK(result.i64(other, 0) == 6);
  CHECK(result.code(1) == ErrorCode::Overflow);  // fee's default overflows
  CHECK(result.errors[1].site == static_cast<int32_t>(f.node_site));
  CHECK(result.code(2) == ErrorCode::Overflow);  // fee's default comes first in declaration order
  CHECK(result.errors[2].site == static_cast<int32_t>(f.node_site));
}

TEST_CASE("interp: errors reject only their own rows", "[interp]") {
  Fixture f;
  uint32_t out = addOutput(f.program, "out", typeOf(ir::TypeKind::Int), i64(0));
  ir::Decision& block = addDecision(f.program, HitPolicy::First, f.block_site);
  then(addRule(block, "bump", nullptr), out, add(input(f.program, f.level), i64(1), f.node_site));
  RunResult result = f.runLevels({1, INT64_MAX, -3, INT64_MAX, INT64_MIN});
  CHECK(result.i64(out, 0) == 2);
  CHECK(result.i64(out, 2) == -2);
  CHECK(result.i64(out, 4) == INT64_MIN + 1);
  for (size_t row : {0u, 2u, 4u}) checkNoError(result, row);
  for (size_t row : {1u, 3u}) {
    CHECK(result.code(row) == ErrorCode::Overflow);
    CHECK(result.errors[row].site == static_cast<int32_t>(f.node_site));
    CHECK(result.errors[row].rule_a == -1);
  }
}

TEST_CASE("interp: optional outputs write validity bytes", "[interp]") {
  ir::Program program;
  uint32_t note = addInput(program, "note", typeOf(ir::TypeKind::String, true));
  uint32_t flag = addInput(program, "flag", typeOf(ir::TypeKind::Bool, true));
  addOutput(program, "note", typeOf(ir::TypeKind::String, true), input(program, note));
  addOutput(program, "flag", typeOf(ir::TypeKind::Bool, true), input(program, flag));
  Batch inputs(inputTypes(program), 2);
  inputs.setRows(2);
  inputs.column(note).str()[0] = inputs.intern("bitte zahlen");
  inputs.column(flag).boolean()[0] = 1;
  inputs.column(note).valid()[1] = 0;
  inputs.column(flag).valid()[1] = 0;
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  RunResult result = run(*engine, program, inputs);
  CHECK(result.valid(0, 0));
  CHECK(result.str(0, 0) == "bitte zahlen");
  CHECK(result.valid(1, 0));
  CHECK(result.boolean(1, 0));
  CHECK_FALSE(result.valid(0, 1));
  CHECK_FALSE(result.valid(1, 1));
}

}  // namespace
}  // namespace regelwerk::test
