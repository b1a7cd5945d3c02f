// JIT: the three hit policies (which rule wins, which conditions run, conflict rule indices),
// transitive overrides, conflicts on optional and string values, and lazily evaluated defaults.
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;
using regelwerk::Batch;
using regelwerk::ir::HitPolicy;

namespace {

constexpr uint32_t kBlockSite = 2;

// INT64_MAX + input(col) > INT64_MAX: false for 0 or less, overflow (site 9) for more.
ExprPtr overflowsIfPositive(uint32_t column) {
  return compare(Op::Gt, arith(Op::Add, num(INT64_MAX), input(column), 9), num(INT64_MAX));
}

// Fills int column `column` of rows with `values`.
void fill(Batch& batch, size_t column, const std::vector<int64_t>& values) {
  for (size_t row = 0; row < values.size(); ++row) batch.column(column).i64()[row] = values[row];
}

}  // namespace

// Inputs a, b. Rules: r0 a == 1 -> 10; r1 a == 1 or a == 2 -> 20; r2 INT64_MAX + b > INT64_MAX -> 30;
// r3 always -> (nothing). Default -1.
TEST_CASE("first: the first applicable rule wins, later conditions are not evaluated", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  uint32_t out = builder.addOutput("out", num(-1));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::First, builder.site("block"));
  assign(addRule(block, "r0", compare(Op::Eq, input(0), num(1))), out, num(10));
  assign(addRule(block, "r1",
                 node(Op::Or, Kind::Bool, compare(Op::Eq, input(0), num(1)), compare(Op::Eq, input(0), num(2)))),
         out, num(20));
  assign(addRule(block, "r2", overflowsIfPositive(1)), out, num(30));
  addRule(block, "r3", nullptr);
  JitRun jit(builder.program);

  Batch batch = jit.inputBatch(5);
  fill(batch, 0, {1, 2, 3, 3, 2});
  fill(batch, 1, {1, 1, 0, 1, 0});
  jit.run(batch);
  CHECK(jit.error(0).code == 0);
  CHECK(jit.i64(0, 0) == 10);  // r2 would overflow, but r0 already won
  CHECK(jit.i64(0, 1) == 20);
  CHECK(jit.i64(0, 2) == -1);  // r3 applies and assigns nothing: the default stays
  CHECK(jit.error(3).code == kOverflow);
  CHECK(jit.error(3).site == 9);
  CHECK(jit.error(3).rule_a == -1);
  CHECK(jit.error(3).rule_b == -1);
  CHECK(jit.error(4).code == 0);
  CHECK(jit.i64(0, 4) == 20);
}

// Inputs a, b. r0 a >= 1 -> INT64_MAX + b (site 9); r1 a >= 2 -> 2; r2 a >= 3 -> 3;
// r3 INT64_MAX + b > INT64_MAX (overflows when b > 0). Default -1.
TEST_CASE("unique: a second applicable rule is a conflict naming both", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  uint32_t out = builder.addOutput("out", num(-1));
  uint32_t block_site = builder.site("block");
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::Unique, block_site);
  assign(addRule(block, "r0", compare(Op::Ge, input(0), num(1))), out, arith(Op::Add, num(INT64_MAX), input(1), 9));
  assign(addRule(block, "r1", compare(Op::Ge, input(0), num(2))), out, num(2));
  assign(addRule(block, "r2", compare(Op::Ge, input(0), num(3))), out, num(3));
  assign(addRule(block, "r3", overflowsIfPositive(1)), out, num(4));
  JitRun jit(builder.program);

  Batch batch = jit.inputBatch(5);
  fill(batch, 0, {0, 1, 2, 3, 1});
  fill(batch, 1, {0, 0, 1, 1, 1});
  jit.run(batch);
  CHECK(jit.error(0).code == 0);
  CHECK(jit.i64(0, 0) == -1);
  CHECK(jit.error(1).code == 0);
  CHECK(jit.i64(0, 1) == INT64_MAX);
  // r0 and r1 apply: conflict; neither r2/r3's conditions nor r0's overflowing assignment run.
  CHECK(jit.error(2).code == kUniqueConflict);
  CHECK(jit.error(2).site == static_cast<int32_t>(block_site));
  CHECK(jit.error(2).rule_a == 0);
  CHECK(jit.error(2).rule_b == 1);
  CHECK(jit.error(3).code == kUniqueConflict);
  CHECK(jit.error(3).rule_a == 0);
  CHECK(jit.error(3).rule_b == 1);
  // Only r0 applies, so r3's condition is evaluated and overflows before any assignment.
  CHECK(jit.error(4).code == kOverflow);
  CHECK(jit.error(4).site == 9);
}

TEST_CASE("unique: conflict between later rules names them", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  uint32_t out = builder.addOutput("out", num(-1));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::Unique, kBlockSite);
  builder.site();
  builder.site();
  for (int64_t rule = 0; rule < 4; ++rule) {
    assign(addRule(block, "r" + std::to_string(rule), compare(Op::Eq, input(0), num(rule % 2 ? 7 : rule))), out,
           num(rule));
  }
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(3);
  fill(batch, 0, {7, 2, 5});
  jit.run(batch);
  CHECK(jit.error(0).code == kUniqueConflict);
  CHECK(jit.error(0).rule_a == 1);
  CHECK(jit.error(0).rule_b == 3);
  CHECK(jit.error(0).site == static_cast<int32_t>(kBlockSite));
  CHECK(jit.error(1).code == 0);
  CHECK(jit.i64(0, 1) == 2);
  CHECK(jit.i64(0, 2) == -1);
}

// Bool inputs p0..p5 and int b. r0 (p0) out = 0 - b; r1 overrides r0 (p1) out = 1;
// r2 overrides r1 (p2) out = 2, so it defeats r0 transitively; r3 (p3) out = 2; r4 (p4) out = 7;
// r5 (p5) INT64_MAX + b > INT64_MAX, assigns nothing. Default -1.
TEST_CASE("exceptions: overrides, transitive defeat, conflicts by value", "[jit][decide]") {
  ProgramBuilder builder;
  for (int flag = 0; flag < 6; ++flag) builder.addInput("p" + std::to_string(flag), Kind::Bool);
  uint32_t b = builder.addInput("b");
  uint32_t out = builder.addOutput("out", num(-1));
  uint32_t block_site = builder.site("block");
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::Exceptions, block_site);
  assign(addRule(block, "r0", input(0, Kind::Bool)), out, arith(Op::Sub, num(0), input(b), 8));
  assign(addRule(block, "r1", input(1, Kind::Bool)), out, num(1));
  assign(addRule(block, "r2", input(2, Kind::Bool)), out, num(2));
  assign(addRule(block, "r3", input(3, Kind::Bool)), out, num(2));
  assign(addRule(block, "r4", input(4, Kind::Bool)), out, num(7));
  addRule(block, "r5", node(Op::And, Kind::Bool, input(5, Kind::Bool), overflowsIfPositive(b)));
  block.rules[0].defeated_by = 0b110;
  block.rules[1].defeated_by = 0b100;
  JitRun jit(builder.program);

  struct Row {
    std::vector<int> applicable;
    int64_t b;
  };
  const std::vector<Row> rows = {{{}, 0},        {{0}, 5},         {{0, 1}, INT64_MIN}, {{0, 2}, INT64_MIN},
                                 {{0, 1, 2}, 0}, {{1, 3}, 0},      {{2, 3}, 0},         {{0, 3}, 0},
                                 {{2, 3, 4}, 0}, {{0}, INT64_MIN}, {{1, 5}, 1},         {{1, 3, 5}, 1}};
  Batch batch = jit.inputBatch(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    for (int flag : rows[row].applicable) batch.column(flag).boolean()[row] = 1;
    batch.column(b).i64()[row] = rows[row].b;
  }
  jit.run(batch);
  auto winner = [&](size_t row, int64_t expected) {
    INFO("row " << row);
    CHECK(jit.error(row).code == 0);
    CHECK(jit.i64(0, row) == expected);
  };
  auto conflict = [&](size_t row, int32_t rule_a, int32_t rule_b) {
    INFO("row " << row);
    CHECK(jit.error(row).code == kExceptionsConflict);
    CHECK(jit.error(row).site == static_cast<int32_t>(block_site));
    CHECK(jit.error(row).rule_a == rule_a);
    CHECK(jit.error(row).rule_b == rule_b);
  };
  winner(0, -1);
  winner(1, -5);
  winner(2, 1);  // r0 is defeated: its overflowing assignment (0 - INT64_MIN) never runs
  winner(3, 2);  // r2 defeats r0 through r1, although r1 does not apply
  winner(4, 2);
  conflict(5, 1, 3);
  winner(6, 2);  // r2 and r3 agree
  conflict(7, 0, 3);
  conflict(8, 2, 4);  // the first winner that assigned `out` is named
  CHECK(jit.error(9).code == kOverflow);
  CHECK(jit.error(9).site == 8);
  CHECK(jit.error(10).code == kOverflow);  // every condition runs, even after a winner applies
  CHECK(jit.error(10).site == 9);
  CHECK(jit.error(11).code == kOverflow);  // conditions come before the assignments' conflict
}

// Bool inputs p0..p3, optional ints x, y, string s. r0 (p0) opt = x, txt = "abc"; r1 (p1) opt = y;
// r2 (p2) txt = s; r3 (p3) opt = 4.
TEST_CASE("exceptions: missing values and strings in conflicts", "[jit][decide][optional]") {
  ProgramBuilder builder;
  for (int flag = 0; flag < 4; ++flag) builder.addInput("p" + std::to_string(flag), Kind::Bool);
  uint32_t x = builder.addInput("x", Kind::I64, true);
  uint32_t y = builder.addInput("y", Kind::I64, true);
  uint32_t s = builder.addInput("s", Kind::Str);
  uint32_t opt = builder.addOutput("opt", num(-1), true);
  uint32_t txt = builder.addOutput("txt", text("none"));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::Exceptions, kBlockSite);
  builder.site();
  builder.site();
  regelwerk::ir::Rule& r0 = addRule(block, "r0", input(0, Kind::Bool));
  assign(r0, opt, input(x, Kind::I64, true));
  assign(r0, txt, text("abc"));
  assign(addRule(block, "r1", input(1, Kind::Bool)), opt, input(y, Kind::I64, true));
  assign(addRule(block, "r2", input(2, Kind::Bool)), txt, input(s, Kind::Str));
  assign(addRule(block, "r3", input(3, Kind::Bool)), opt, num(4));
  JitRun jit(builder.program);

  struct Row {
    std::vector<int> applicable;
    bool x_valid, y_valid;
    int64_t x, y;
    std::string s;
  };
  const std::vector<Row> rows = {
      {{0, 1}, false, false, 1, 2, ""},    // both missing: equal
      {{0, 1}, false, true, 1, 2, ""},     // missing vs present: conflict
      {{0, 1}, true, true, 3, 3, ""},      // equal values
      {{0, 1}, true, true, 3, 4, ""},      // different values
      {{0, 3}, true, false, 4, 0, ""},     // present 4 vs constant 4
      {{0, 2}, true, false, 1, 0, "abc"},  // equal strings
      {{0, 2}, true, false, 1, 0, "abd"},  // same length, other bytes
      {{0, 2}, true, false, 1, 0, "ab"},   // other length
      {{1}, false, false, 0, 0, ""},       // a missing value wins alone
  };
  Batch batch = jit.inputBatch(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    for (int flag : rows[row].applicable) batch.column(flag).boolean()[row] = 1;
    batch.column(x).i64()[row] = rows[row].x;
    batch.column(x).valid()[row] = rows[row].x_valid;
    batch.column(y).i64()[row] = rows[row].y;
    batch.column(y).valid()[row] = rows[row].y_valid;
    batch.column(s).str()[row] = batch.intern(rows[row].s);
  }
  jit.run(batch);
  CHECK(jit.error(0).code == 0);
  CHECK_FALSE(jit.valid(opt, 0));
  CHECK(jit.str(txt, 0) == "abc");
  CHECK(jit.error(1).code == kExceptionsConflict);
  CHECK(jit.error(1).rule_a == 0);
  CHECK(jit.error(1).rule_b == 1);
  CHECK(jit.error(2).code == 0);
  CHECK(jit.i64(opt, 2) == 3);
  CHECK(jit.valid(opt, 2));
  CHECK(jit.error(3).code == kExceptionsConflict);
  CHECK(jit.error(4).code == 0);
  CHECK(jit.i64(opt, 4) == 4);
  CHECK(jit.error(5).code == 0);
  CHECK(jit.str(txt, 5) == "abc");
  CHECK(jit.error(6).code == kExceptionsConflict);
  CHECK(jit.error(6).rule_a == 0);
  CHECK(jit.error(6).rule_b == 2);
  CHECK(jit.error(7).code == kExceptionsConflict);
  CHECK(jit.error(8).code == 0);
  CHECK_FALSE(jit.valid(opt, 8));
  CHECK(jit.i64(opt, 8) == 0);
  CHECK(jit.str(txt, 8) == "none");
}

TEST_CASE("exceptions: 64 rules use every bit of the mask", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  uint32_t out = builder.addOutput("out", num(-1));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::Exceptions, kBlockSite);
  builder.site();
  builder.site();
  for (int64_t rule = 0; rule < 64; ++rule) {
    // rule r applies when a >= r and overrides every earlier rule.
    regelwerk::ir::Rule& current = addRule(block, "r" + std::to_string(rule), compare(Op::Ge, input(0), num(rule)));
    assign(current, out, num(rule * 100));
  }
  for (int64_t rule = 0; rule < 64; ++rule) {
    for (int64_t later = rule + 1; later < 64; ++later) block.rules[rule].defeated_by |= uint64_t{1} << later;
  }
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(4);
  fill(batch, 0, {-1, 0, 40, 63});
  jit.run(batch);
  CHECK(jit.i64(0, 0) == -1);
  CHECK(jit.i64(0, 1) == 0);
  CHECK(jit.i64(0, 2) == 4000);
  CHECK(jit.i64(0, 3) == 6300);
  block.rules.emplace_back();
  std::string error;
  CHECK_FALSE(regelwerk::compileJit(builder.program, &error));
  CHECK(error.find("64") != std::string::npos);
}

// Output `out` defaults to INT64_MAX + b; rule r0 (a == 1) sets it to 1. Output `other` defaults to
// out-independent a * 2 and is never assigned.
TEST_CASE("defaults are evaluated only for outputs no rule assigned", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  uint32_t out = builder.addOutput("out", arith(Op::Add, num(INT64_MAX), input(1), 9));
  uint32_t other = builder.addOutput("other", arith(Op::Mul, input(0), num(2), 5));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::First, kBlockSite);
  builder.site();
  builder.site();
  assign(addRule(block, "r0", compare(Op::Eq, input(0), num(1))), out, num(1));
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(4);
  fill(batch, 0, {1, 2, 2, INT64_MAX});
  fill(batch, 1, {1, 1, 0, 0});
  jit.run(batch);
  CHECK(jit.error(0).code == 0);
  CHECK(jit.i64(out, 0) == 1);
  CHECK(jit.i64(other, 0) == 2);
  CHECK(jit.error(1).code == kOverflow);
  CHECK(jit.error(1).site == 9);
  CHECK(jit.error(2).code == 0);
  CHECK(jit.i64(out, 2) == INT64_MAX);
  CHECK(jit.i64(other, 2) == 4);
  CHECK(jit.error(3).code == kOverflow);  // defaults run in declaration order: `out` fits, `other` not
  CHECK(jit.error(3).site == 5);
}

TEST_CASE("lets are evaluated eagerly, in order, before decisions", "[jit][decide]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addInput("b");
  uint32_t doubled = builder.addLet("doubled", arith(Op::Mul, input(0), num(2), 7));
  builder.addLet("unused", arith(Op::Add, input(1), num(1), 8));
  uint32_t out = builder.addOutput("out", num(0));
  regelwerk::ir::Decision& block = builder.decide(HitPolicy::First, kBlockSite);
  builder.site();
  builder.site();
  assign(addRule(block, "big", compare(Op::Gt, let(doubled), num(10))), out, let(doubled));
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(4);
  fill(batch, 0, {6, 1, INT64_MAX, 1});
  fill(batch, 1, {0, 0, INT64_MAX, INT64_MAX});
  jit.run(batch);
  CHECK(jit.i64(out, 0) == 12);
  CHECK(jit.i64(out, 1) == 0);
  CHECK(jit.error(2).code == kOverflow);
  CHECK(jit.error(2).site == 7);  // the first let fails first
  CHECK(jit.error(3).code == kOverflow);
  CHECK(jit.error(3).site == 8);  // an unused let still rejects the row
}
