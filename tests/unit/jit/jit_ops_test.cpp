// JIT: every op of ir.hpp with exact values, overflow at the int64 edges, short circuits, CheckDate,
// strings, parameters and optional inputs.
#include "tests/unit/jit/ir_build.hpp"

using namespace rwtest;
using regelwerk::Batch;
using regelwerk::ParamSlot;
using regelwerk::StrRef;

namespace {

ExprPtr a() {
  return input(0);
}
ExprPtr b() {
  return input(1);
}
ExprPtr neg(ExprPtr operand, uint32_t site = 1) {
  return withSite(node(Op::Neg, Kind::I64, std::move(operand)), site);
}
ExprPtr absolute(ExprPtr operand) {
  return withSite(node(Op::Abs, Kind::I64, std::move(operand)), 1);
}
ExprPtr checkDate(ExprPtr days) {
  return withSite(node(Op::CheckDate, Kind::I64, std::move(days)), 3);
}
ExprPtr overflowing() {
  return arith(Op::Add, num(INT64_MAX), b(), 9);
}  // overflows when b > 0

}  // namespace

TEST_CASE("arithmetic gives exact results", "[jit][ops]") {
  CHECK(value(arith(Op::Add, a(), b()), 2, 3) == 5);
  CHECK(value(arith(Op::Sub, a(), b()), 2, 3) == -1);
  CHECK(value(arith(Op::Mul, a(), b()), -4, 5) == -20);
  CHECK(value(neg(a()), 7) == -7);
  CHECK(value(neg(a()), INT64_MAX) == -INT64_MAX);
  CHECK(value(absolute(a()), -9) == 9);
  CHECK(value(absolute(a()), INT64_MIN + 1) == INT64_MAX);
  CHECK(value(rescale(a(), 100), -12) == -1200);
  CHECK(value(node(Op::Min, Kind::I64, a(), b()), -3, 2) == -3);
  CHECK(value(node(Op::Max, Kind::I64, a(), b()), -3, 2) == 2);
  CHECK(value(arith(Op::Mul, a(), b()), -(int64_t{1} << 32), int64_t{1} << 31) == INT64_MIN);
  CHECK(value(arith(Op::Add, a(), b()), INT64_MAX, 0) == INT64_MAX);
  CHECK(value(arith(Op::Sub, a(), b()), INT64_MIN + 1, 1) == INT64_MIN);
}

TEST_CASE("checked ops overflow at the int64 edges with their site", "[jit][ops]") {
  auto overflow = [](ExprPtr expr, int64_t x, int64_t y) {
    Outcome outcome = eval(std::move(expr), x, y);
    CHECK(outcome.code == kOverflow);
    CHECK(outcome.site == 4);
  };
  overflow(arith(Op::Add, a(), b(), 4), INT64_MAX, 1);
  overflow(arith(Op::Add, a(), b(), 4), INT64_MIN, -1);
  overflow(arith(Op::Sub, a(), b(), 4), INT64_MIN, 1);
  overflow(arith(Op::Sub, a(), b(), 4), 0, INT64_MIN);
  overflow(arith(Op::Mul, a(), b(), 4), INT64_MIN, -1);
  overflow(arith(Op::Mul, a(), b(), 4), int64_t{1} << 32, int64_t{1} << 31);
  overflow(neg(a(), 4), INT64_MIN, 0);
  overflow(withSite(node(Op::Abs, Kind::I64, a()), 4), INT64_MIN, 0);
  overflow(rescale(a(), 10, 4), INT64_MAX / 10 + 1, 0);
  overflow(rescale(a(), 1000000000000000000, 4), -10, 0);
}

TEST_CASE("comparisons of ints are signed, of bools false < true", "[jit][ops]") {
  struct Case {
    Op op;
    int64_t x, y;
    bool expected;
  };
  const Case cases[] = {{Op::Eq, 2, 2, true},
                        {Op::Eq, 2, 3, false},
                        {Op::Ne, 2, 3, true},
                        {Op::Ne, 2, 2, false},
                        {Op::Lt, -1, 0, true},
                        {Op::Lt, 0, 0, false},
                        {Op::Le, 0, 0, true},
                        {Op::Le, 1, 0, false},
                        {Op::Gt, 0, -1, true},
                        {Op::Gt, 0, 0, false},
                        {Op::Ge, 0, 0, true},
                        {Op::Ge, -5, 0, false},
                        {Op::Lt, INT64_MIN, INT64_MAX, true},
                        {Op::Gt, INT64_MIN, INT64_MAX, false}};
  for (const Case& item : cases) {
    INFO("op " << static_cast<int>(item.op) << " " << item.x << " " << item.y);
    CHECK(value(compare(item.op, a(), b()), item.x, item.y) == item.expected);
  }
  // Bool operands: (a != 0) op (b != 0).
  auto flag = [](ExprPtr operand) { return compare(Op::Ne, std::move(operand), num(0)); };
  CHECK(value(compare(Op::Lt, flag(a()), flag(b())), 0, 1) == 1);
  CHECK(value(compare(Op::Lt, flag(a()), flag(b())), 1, 0) == 0);
  CHECK(value(compare(Op::Ge, flag(a()), flag(b())), 1, 0) == 1);
  CHECK(value(compare(Op::Eq, flag(a()), flag(b())), 5, 7) == 1);
  CHECK(value(compare(Op::Ne, flag(a()), flag(b())), 0, 7) == 1);
}

TEST_CASE("and, or, not short-circuit left to right", "[jit][ops]") {
  ExprPtr a_zero = compare(Op::Eq, a(), num(0));
  // a == 0 and (INT64_MAX + b > 0): the right side runs only when a == 0.
  auto conjunction = [] {
    return node(Op::And, Kind::Bool, compare(Op::Eq, a(), num(0)), compare(Op::Gt, overflowing(), num(0)));
  };
  CHECK(value(conjunction(), 1, 1) == 0);
  CHECK(eval(conjunction(), 0, 1).code == kOverflow);
  CHECK(eval(conjunction(), 0, 1).site == 9);
  CHECK(value(conjunction(), 0, 0) == 1);
  auto disjunction = [] {
    return node(Op::Or, Kind::Bool, compare(Op::Eq, a(), num(0)), compare(Op::Gt, overflowing(), num(0)));
  };
  CHECK(value(disjunction(), 0, 1) == 1);
  CHECK(eval(disjunction(), 1, 1).code == kOverflow);
  CHECK(value(disjunction(), 1, 0) == 1);
  CHECK(value(node(Op::Not, Kind::Bool, std::move(a_zero)), 0) == 0);
  CHECK(value(node(Op::Not, Kind::Bool, compare(Op::Eq, a(), num(0))), 3) == 1);
}

TEST_CASE("if evaluates only the chosen branch", "[jit][ops]") {
  auto choose = [] { return ifThen(compare(Op::Eq, a(), num(0)), num(11), overflowing()); };
  CHECK(value(choose(), 0, 1) == 11);
  CHECK(eval(choose(), 1, 1).code == kOverflow);
  CHECK(value(choose(), 1, 0) == INT64_MAX);
}

TEST_CASE("check_date accepts 0001-01-01 through 9999-12-31", "[jit][ops]") {
  auto outcomes = evalPairs(
      checkDate(a()), {{-719162, 0}, {-719163, 0}, {2932896, 0}, {2932897, 0}, {0, 0}, {INT64_MIN, 0}, {INT64_MAX, 0}});
  CHECK(outcomes[0].code == 0);
  CHECK(outcomes[0].value == -719162);
  CHECK(outcomes[1].code == kDateOutOfRange);
  CHECK(outcomes[1].site == 3);
  CHECK(outcomes[2].code == 0);
  CHECK(outcomes[2].value == 2932896);
  CHECK(outcomes[3].code == kDateOutOfRange);
  CHECK(outcomes[4].code == 0);
  CHECK(outcomes[5].code == kDateOutOfRange);
  CHECK(outcomes[6].code == kDateOutOfRange);
}

TEST_CASE("strings compare bytewise and flow to outputs", "[jit][ops][str]") {
  ProgramBuilder builder;
  builder.addInput("s", Kind::Str);
  builder.addInput("t", Kind::Str);
  builder.addParam("greeting", Kind::Str);
  builder.addOutput("eq", node(Op::StrEq, Kind::Bool, input(0, Kind::Str), input(1, Kind::Str)));
  builder.addOutput("ne", node(Op::StrNe, Kind::Bool, input(0, Kind::Str), input(1, Kind::Str)));
  builder.addOutput("is_abc", node(Op::StrEq, Kind::Bool, input(0, Kind::Str), text("abc")));
  builder.addOutput(
      "pick", ifThen(node(Op::StrEq, Kind::Bool, input(0, Kind::Str), text("abc")), text("yes"), param(0, Kind::Str)));
  builder.addOutput("copy", input(1, Kind::Str));
  JitRun jit(builder.program);

  const std::string nul_a("a\0b", 3), nul_c("a\0c", 3);
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"abc", "abc"}, {"abc", "abd"}, {"abc", "ab"}, {"", ""}, {nul_a, nul_a}, {nul_a, nul_c}, {"x", ""}};
  Batch batch = jit.inputBatch(rows.size());
  for (size_t row = 0; row < rows.size(); ++row) {
    batch.column(0).str()[row] = batch.intern(rows[row].first);
    batch.column(1).str()[row] = batch.intern(rows[row].second);
  }
  std::string hello = "hello";
  jit.run(batch, {ParamSlot{0, StrRef{hello.data(), static_cast<int64_t>(hello.size())}}});
  const bool expected_eq[] = {true, false, false, true, true, false, false};
  for (size_t row = 0; row < rows.size(); ++row) {
    INFO("row " << row);
    CHECK(jit.error(row).code == 0);
    CHECK(jit.flag(0, row) == expected_eq[row]);
    CHECK(jit.flag(1, row) == !expected_eq[row]);
    CHECK(jit.flag(2, row) == (rows[row].first == "abc"));
    CHECK(jit.str(3, row) == (rows[row].first == "abc" ? "yes" : "hello"));
    CHECK(jit.str(4, row) == rows[row].second);
  }
}

TEST_CASE("parameters are read once per call, bools from i64", "[jit][ops]") {
  ProgramBuilder builder;
  builder.addInput("a");
  builder.addParam("offset");
  builder.addParam("enabled", Kind::Bool);
  builder.addOutput("out", ifThen(param(1, Kind::Bool), arith(Op::Add, input(0), param(0)), num(-1)));
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(3);
  for (int64_t row = 0; row < 3; ++row) batch.column(0).i64()[row] = row * 10;
  jit.run(batch, {ParamSlot{5, {}}, ParamSlot{1, {}}});
  CHECK(jit.i64(0, 0) == 5);
  CHECK(jit.i64(0, 2) == 25);
  jit.run(batch, {ParamSlot{5, {}}, ParamSlot{0, {}}});
  CHECK(jit.i64(0, 1) == -1);
}

// Inputs: x: int?, y: int?. Row 0 both present, row 1 x missing, row 2 both missing.
TEST_CASE("optional inputs: is missing, ??, if and optional outputs", "[jit][ops][optional]") {
  ProgramBuilder builder;
  builder.addInput("x", Kind::I64, true);
  builder.addInput("y", Kind::I64, true);
  builder.addInput("b");
  uint32_t x_or_y = builder.addLet("x_or_y", coalesce(input(0, Kind::I64, true), input(1, Kind::I64, true)));
  builder.addOutput("x_missing", node(Op::IsMissing, Kind::Bool, input(0, Kind::I64, true)));
  builder.addOutput("x_or_5", coalesce(input(0, Kind::I64, true), num(5)));
  builder.addOutput("x_or_overflow", coalesce(input(0, Kind::I64, true), arith(Op::Add, num(INT64_MAX), input(2))));
  builder.addOutput("x_or_y", let(x_or_y, Kind::I64, true), true);
  builder.addOutput("y_if_b", ifThen(compare(Op::Eq, input(2), num(0)), input(1, Kind::I64, true), num(-1)), true);
  builder.addOutput("x_copy", input(0, Kind::I64, true), true);
  JitRun jit(builder.program);

  Batch batch = jit.inputBatch(3);
  int64_t* x = batch.column(0).i64();
  int64_t* y = batch.column(1).i64();
  uint8_t* x_valid = batch.column(0).valid();
  uint8_t* y_valid = batch.column(1).valid();
  x[0] = 1, y[0] = 2, x_valid[0] = 1, y_valid[0] = 1, batch.column(2).i64()[0] = 1;
  x[1] = 99, y[1] = 3, x_valid[1] = 0, y_valid[1] = 1, batch.column(2).i64()[1] = 0;
  x[2] = 99, y[2] = 99, x_valid[2] = 0, y_valid[2] = 0, batch.column(2).i64()[2] = 0;
  jit.run(batch);

  CHECK(jit.error(0).code == 0);
  CHECK(jit.flag(0, 0) == false);
  CHECK(jit.i64(1, 0) == 1);
  CHECK(jit.i64(2, 0) == 1);  // present x: the overflowing fallback never runs
  CHECK(jit.i64(3, 0) == 1);
  CHECK(jit.valid(3, 0));
  CHECK(jit.i64(4, 0) == -1);
  CHECK(jit.valid(4, 0));
  CHECK(jit.valid(5, 0));
  CHECK(jit.i64(5, 0) == 1);

  CHECK(jit.error(1).code == 0);  // b == 0: the fallback INT64_MAX + 0 fits
  CHECK(jit.flag(0, 1) == true);
  CHECK(jit.i64(1, 1) == 5);
  CHECK(jit.i64(2, 1) == INT64_MAX);
  CHECK(jit.i64(3, 1) == 3);
  CHECK(jit.valid(3, 1));
  CHECK(jit.i64(4, 1) == 3);
  CHECK(jit.valid(4, 1));
  CHECK_FALSE(jit.valid(5, 1));

  CHECK(jit.error(2).code == 0);
  CHECK_FALSE(jit.valid(3, 2));
  CHECK_FALSE(jit.valid(4, 2));
  CHECK_FALSE(jit.valid(5, 2));
  CHECK(jit.i64(3, 2) == 0);  // missing values are written as 0, as the interpreter writes them
  CHECK(jit.i64(4, 2) == 0);
  CHECK(jit.i64(5, 2) == 0);

  batch.column(2).i64()[1] = 1;  // now the fallback of the missing x overflows
  jit.run(batch);
  CHECK(jit.error(1).code == kOverflow);
  CHECK(jit.error(1).site == 1);
}

TEST_CASE("malformed IR is an error, not a crash", "[jit]") {
  ProgramBuilder builder;
  builder.addInput("x", Kind::I64, true);
  builder.addOutput("out", arith(Op::Add, input(0, Kind::I64, true), num(1)));  // optional operand of Add
  declareSites(builder.program);
  std::string error;
  CHECK_FALSE(regelwerk::compileJit(builder.program, &error));
  INFO(error);
  CHECK(error.find("optional") != std::string::npos);  // ir::verify names the optional operand
}

TEST_CASE("missing optional strings and bools are written as empty and false", "[jit][ops][optional]") {
  ProgramBuilder builder;
  builder.addInput("note", Kind::Str, true);
  builder.addInput("flag", Kind::Bool, true);
  builder.addOutput("note", input(0, Kind::Str, true), true);
  builder.addOutput("flag", input(1, Kind::Bool, true), true);
  JitRun jit(builder.program);
  Batch batch = jit.inputBatch(2);
  batch.column(0).str()[0] = batch.intern("hi");
  batch.column(0).str()[1] = batch.intern("stale");
  batch.column(0).valid()[1] = 0;
  batch.column(1).boolean()[0] = 1;
  batch.column(1).boolean()[1] = 1;
  batch.column(1).valid()[1] = 0;
  jit.run(batch);
  CHECK(jit.str(0, 0) == "hi");
  CHECK(jit.flag(1, 0));
  CHECK_FALSE(jit.valid(0, 1));
  CHECK_FALSE(jit.valid(1, 1));
  // The bytes written for missing values: {null, 0} and 0.
  CHECK(jit.strRef(0, 1).data == nullptr);
  CHECK(jit.strRef(0, 1).size == 0);
  CHECK_FALSE(jit.flag(1, 1));
}
