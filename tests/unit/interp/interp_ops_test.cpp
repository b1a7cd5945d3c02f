// Interpreter: every Op with exact values, overflow edges, rounding, dates, strings and missing values.
#include <catch2/catch.hpp>

#include <climits>

#include "engine_run.hpp"
#include "ir_builder.hpp"
#include "runtime/interp/interpreter.hpp"

namespace regelwerk::test {
namespace {

using ir::ErrorCode;
using ir::Op;
using ir::RoundMode;

constexpr uint32_t kSite = 3;  // the site tests put on failing nodes

ir::TypeKind typeKindFor(ir::Kind kind) {
  if (kind == ir::Kind::Bool) return ir::TypeKind::Bool;
  return kind == ir::Kind::Str ? ir::TypeKind::String : ir::TypeKind::Int;
}

// Evaluates `expr` as the default of output 0 over `rows` rows of `program`'s (already filled) inputs.
RunResult evalOutput(ir::ExprPtr expr, ir::Program& program, Batch& inputs) {
  while (program.sites.size() <= kSite) addSite(program, "");
  ir::Type type = typeOf(typeKindFor(expr->kind), expr->optional);
  addOutput(program, "out", type, std::move(expr));
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  return run(*engine, program, inputs);
}

RunResult evalRow(ir::ExprPtr expr) {
  ir::Program program;
  Batch inputs({}, 1);
  inputs.setRows(1);
  return evalOutput(std::move(expr), program, inputs);
}

int64_t valueOf(ir::ExprPtr expr) {
  RunResult result = evalRow(std::move(expr));
  REQUIRE(result.code() == ErrorCode::None);
  return result.i64(0);
}

bool truthOf(ir::ExprPtr expr) {
  RunResult result = evalRow(std::move(expr));
  REQUIRE(result.code() == ErrorCode::None);
  return result.boolean(0);
}

// The error of a one-row evaluation; checks it carries the failing node's site and no rules.
ErrorCode errorOf(ir::ExprPtr expr) {
  RunResult result = evalRow(std::move(expr));
  if (result.code() != ErrorCode::None) {
    CHECK(result.errors[0].site == static_cast<int32_t>(kSite));
    CHECK(result.errors[0].rule_a == -1);
    CHECK(result.errors[0].rule_b == -1);
  }
  return result.code();
}

TEST_CASE("interp: constants and arithmetic give exact values", "[interp]") {
  CHECK(valueOf(i64(-42)) == -42);
  CHECK(valueOf(add(i64(1250), i64(-300))) == 950);
  CHECK(valueOf(sub(i64(5), i64(12))) == -7);
  CHECK(valueOf(mul(i64(-125), i64(8))) == -1000);
  CHECK(valueOf(neg(i64(17))) == -17);
  CHECK(valueOf(neg(i64(INT64_MAX))) == -INT64_MAX);
  CHECK(valueOf(abs(i64(-17))) == 17);
  CHECK(valueOf(abs(i64(17))) == 17);
  CHECK(valueOf(rescale(i64(-1250), 100)) == -125000);
  CHECK(valueOf(rescale(i64(7), 1)) == 7);
  CHECK(valueOf(min(i64(3), i64(-4))) == -4);
  CHECK(valueOf(max(i64(3), i64(-4))) == 3);
  CHECK(valueOf(add(i64(INT64_MAX - 1), i64(1))) == INT64_MAX);
  CHECK(valueOf(sub(i64(INT64_MIN + 1), i64(1))) == INT64_MIN);
}

TEST_CASE("interp: checked arithmetic rejects overflow at the node's site", "[interp]") {
  CHECK(errorOf(add(i64(INT64_MAX), i64(1), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(add(i64(INT64_MIN), i64(-1), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(sub(i64(INT64_MIN), i64(1), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(sub(i64(0), i64(INT64_MIN), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(mul(i64(INT64_MIN), i64(-1), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(mul(i64(INT64_MAX / 2 + 1), i64(2), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(neg(i64(INT64_MIN), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(abs(i64(INT64_MIN), kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(rescale(i64(INT64_MAX / 10 + 1), 10, kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(rescale(i64(INT64_MIN / 100 - 1), 100, kSite)) == ErrorCode::Overflow);
  CHECK(valueOf(rescale(i64(INT64_MAX / 10), 10)) == INT64_MAX / 10 * 10);
}

TEST_CASE("interp: the first error in left-to-right order is the one reported", "[interp]") {
  ir::Program program;
  Batch inputs({}, 1);
  inputs.setRows(1);
  addSite(program, "");
  addSite(program, "");
  ir::ExprPtr sum = add(add(i64(INT64_MAX), i64(1), 1), neg(i64(INT64_MIN), 2), 3);
  RunResult result = evalOutput(std::move(sum), program, inputs);
  CHECK(result.code() == ErrorCode::Overflow);
  CHECK(result.errors[0].site == 1);
}

struct RoundCase {
  int64_t num;
  int64_t den;
  RoundMode mode;
  int64_t expected;
};

TEST_CASE("interp: RoundDiv rounds exact ties and negatives in all six modes", "[interp]") {
  const RoundCase cases[] = {
      {5, 2, RoundMode::HalfUp, 3},     {5, 2, RoundMode::HalfEven, 2},   {5, 2, RoundMode::Down, 2},
      {5, 2, RoundMode::Up, 3},         {5, 2, RoundMode::Floor, 2},      {5, 2, RoundMode::Ceiling, 3},
      {-5, 2, RoundMode::HalfUp, -3},   {-5, 2, RoundMode::HalfEven, -2}, {-5, 2, RoundMode::Down, -2},
      {-5, 2, RoundMode::Up, -3},       {-5, 2, RoundMode::Floor, -3},    {-5, 2, RoundMode::Ceiling, -2},
      {5, -2, RoundMode::HalfUp, -3},   {-5, -2, RoundMode::HalfEven, 2}, {7, 2, RoundMode::HalfEven, 4},
      {-7, 2, RoundMode::HalfEven, -4}, {7, 3, RoundMode::HalfUp, 2},     {8, 3, RoundMode::HalfUp, 3},
      {-7, 3, RoundMode::Floor, -3},    {-7, 3, RoundMode::Ceiling, -2},  {7, 3, RoundMode::Up, 3},
      {-8, 3, RoundMode::Down, -2},     {6, 3, RoundMode::Up, 2},         {-6, 3, RoundMode::Floor, -2},
  };
  for (const RoundCase& c : cases) {
    CAPTURE(c.num, c.den, static_cast<int>(c.mode));
    CHECK(valueOf(roundDiv(i64(c.num), i64(c.den), c.mode)) == c.expected);
  }
}

TEST_CASE("interp: RoundDiv scales by powers of ten on both sides", "[interp]") {
  // 123.45 (scale 2) rounded to 0 places: 12345 / 10^2.
  CHECK(valueOf(roundDiv(i64(12345), i64(1), RoundMode::HalfUp, 0, 2)) == 123);
  CHECK(valueOf(roundDiv(i64(12350), i64(1), RoundMode::HalfEven, 0, 2)) == 124);
  CHECK(valueOf(roundDiv(i64(-12350), i64(1), RoundMode::HalfEven, 0, 2)) == -124);
  // 1/3 at 2 places.
  CHECK(valueOf(roundDiv(i64(1), i64(3), RoundMode::HalfUp, 2, 0)) == 33);
  CHECK(valueOf(roundDiv(i64(2), i64(3), RoundMode::HalfUp, 2, 0)) == 67);
  // The kernel's documented example: interest in cents.
  CHECK(valueOf(roundDiv(i64(313500000LL * 689), i64(365), RoundMode::HalfUp, 0, 6)) == 592);
  // A 128-bit intermediate that fits again after dividing.
  CHECK(valueOf(roundDiv(i64(INT64_MAX), i64(INT64_MAX), RoundMode::HalfUp, 18, 18)) == 1);
}

TEST_CASE("interp: RoundDiv rejects division by zero and int64 overflow", "[interp]") {
  CHECK(errorOf(roundDiv(i64(5), i64(0), RoundMode::HalfUp, 0, 0, kSite)) == ErrorCode::DivisionByZero);
  CHECK(errorOf(roundDiv(i64(0), i64(0), RoundMode::Floor, 0, 0, kSite)) == ErrorCode::DivisionByZero);
  CHECK(errorOf(roundDiv(i64(INT64_MAX), i64(1), RoundMode::HalfUp, 1, 0, kSite)) == ErrorCode::Overflow);
  CHECK(errorOf(roundDiv(i64(INT64_MIN), i64(-1), RoundMode::Down, 0, 0, kSite)) == ErrorCode::Overflow);
}

TEST_CASE("interp: comparisons of ints and bools", "[interp]") {
  CHECK(truthOf(cmp(Op::Eq, i64(3), i64(3))));
  CHECK_FALSE(truthOf(cmp(Op::Eq, i64(3), i64(4))));
  CHECK(truthOf(cmp(Op::Ne, i64(3), i64(4))));
  CHECK(truthOf(cmp(Op::Lt, i64(-4), i64(3))));
  CHECK_FALSE(truthOf(cmp(Op::Lt, i64(3), i64(3))));
  CHECK(truthOf(cmp(Op::Le, i64(3), i64(3))));
  CHECK(truthOf(cmp(Op::Gt, i64(INT64_MAX), i64(INT64_MIN))));
  CHECK_FALSE(truthOf(cmp(Op::Ge, i64(2), i64(3))));
  CHECK(truthOf(cmp(Op::Eq, boolean(true), boolean(true))));
  CHECK(truthOf(cmp(Op::Ne, boolean(true), boolean(false))));
}

TEST_CASE("interp: string equality is bytewise", "[interp]") {
  CHECK(truthOf(cmp(Op::StrEq, str("Mahnung"), str("Mahnung"))));
  CHECK_FALSE(truthOf(cmp(Op::StrEq, str("Mahnung"), str("mahnung"))));
  CHECK_FALSE(truthOf(cmp(Op::StrEq, str("ab"), str("abc"))));
  CHECK(truthOf(cmp(Op::StrEq, str(""), str(""))));
  CHECK(truthOf(cmp(Op::StrNe, str("a"), str(""))));
  CHECK_FALSE(truthOf(cmp(Op::StrNe, str("\xC3\xA4"), str("\xC3\xA4"))));
  CHECK(truthOf(cmp(Op::StrNe, str(std::string("a\0b", 3)), str(std::string("a\0c", 3)))));
}

TEST_CASE("interp: and, or, not truth tables", "[interp]") {
  for (bool a : {false, true}) {
    for (bool b : {false, true}) {
      CHECK(truthOf(andOf(boolean(a), boolean(b))) == (a && b));
      CHECK(truthOf(orOf(boolean(a), boolean(b))) == (a || b));
    }
    CHECK(truthOf(notOf(boolean(a))) == !a);
  }
}

ir::ExprPtr overflowingTest() { return cmp(Op::Gt, add(i64(INT64_MAX), i64(1), kSite), i64(0)); }

TEST_CASE("interp: and/or/if/coalesce evaluate only what they need", "[interp]") {
  CHECK_FALSE(truthOf(andOf(boolean(false), overflowingTest())));
  CHECK(truthOf(orOf(boolean(true), overflowingTest())));
  CHECK(errorOf(andOf(boolean(true), overflowingTest())) == ErrorCode::Overflow);
  CHECK(errorOf(orOf(boolean(false), overflowingTest())) == ErrorCode::Overflow);
  CHECK(valueOf(ifThen(boolean(true), i64(1), add(i64(INT64_MAX), i64(1), kSite))) == 1);
  CHECK(valueOf(ifThen(boolean(false), add(i64(INT64_MAX), i64(1), kSite), i64(2))) == 2);
  CHECK(errorOf(ifThen(boolean(false), i64(1), add(i64(INT64_MAX), i64(1), kSite))) == ErrorCode::Overflow);
}

TEST_CASE("interp: CheckDate accepts exactly 0001-01-01 .. 9999-12-31", "[interp]") {
  CHECK(valueOf(checkDate(i64(-719162))) == -719162);
  CHECK(valueOf(checkDate(i64(2932896))) == 2932896);
  CHECK(valueOf(checkDate(i64(20000))) == 20000);
  CHECK(errorOf(checkDate(i64(-719163), kSite)) == ErrorCode::DateOutOfRange);
  CHECK(errorOf(checkDate(i64(2932897), kSite)) == ErrorCode::DateOutOfRange);
  CHECK(errorOf(checkDate(i64(INT64_MIN), kSite)) == ErrorCode::DateOutOfRange);
}

// --- inputs, params and missing values -----------------------------------------------------------

// An optional int input `x` with rows 5, missing, -3.
struct OptionalInput {
  ir::Program program;
  Batch inputs;
  uint32_t x = 0;

  OptionalInput() {
    x = addInput(program, "x", typeOf(ir::TypeKind::Int, true));
    inputs = Batch(inputTypes(program), 3);
    inputs.setRows(3);
    inputs.column(x).i64()[0] = 5;
    inputs.column(x).valid()[1] = 0;
    inputs.column(x).i64()[2] = -3;
  }
};

TEST_CASE("interp: IsMissing and Coalesce see the validity of optional inputs", "[interp]") {
  OptionalInput table;
  SECTION("is missing") {
    RunResult result = evalOutput(isMissing(input(table.program, table.x)), table.program, table.inputs);
    CHECK(result.boolean(0, 0) == false);
    CHECK(result.boolean(0, 1) == true);
    CHECK(result.boolean(0, 2) == false);
  }
  SECTION("coalesce with a required fallback is required") {
    RunResult result = evalOutput(coalesce(input(table.program, table.x), i64(7)), table.program, table.inputs);
    CHECK(result.i64(0, 0) == 5);
    CHECK(result.i64(0, 1) == 7);
    CHECK(result.i64(0, 2) == -3);
  }
  SECTION("the fallback is evaluated only when needed") {
    ir::ExprPtr expr = coalesce(input(table.program, table.x), add(i64(INT64_MAX), i64(1), kSite));
    RunResult result = evalOutput(std::move(expr), table.program, table.inputs);
    CHECK(result.code(0) == ErrorCode::None);
    CHECK(result.code(1) == ErrorCode::Overflow);
    CHECK(result.code(2) == ErrorCode::None);
    CHECK(result.i64(0, 2) == -3);
  }
}

TEST_CASE("interp: optional values flow through If and Let into optional outputs", "[interp]") {
  OptionalInput table;
  SECTION("coalesce with an optional fallback stays optional") {
    uint32_t y = addInput(table.program, "y", typeOf(ir::TypeKind::Int, true));
    table.inputs = Batch(inputTypes(table.program), 3);
    table.inputs.setRows(3);
    table.inputs.column(0).valid()[0] = 0;
    table.inputs.column(0).valid()[1] = 0;
    table.inputs.column(1).valid()[1] = 0;
    table.inputs.column(1).i64()[0] = 9;
    table.inputs.column(0).i64()[2] = 4;
    ir::ExprPtr expr = coalesce(input(table.program, table.x), input(table.program, y));
    RunResult result = evalOutput(std::move(expr), table.program, table.inputs);
    CHECK(result.valid(0, 0));
    CHECK(result.i64(0, 0) == 9);
    CHECK_FALSE(result.valid(0, 1));
    CHECK(result.valid(0, 2));
    CHECK(result.i64(0, 2) == 4);
  }
  SECTION("if with an optional branch, through a let") {
    uint32_t slot = addLet(table.program, "x_or_none", typeOf(ir::TypeKind::Int, true),
                           ifThen(isMissing(input(table.program, table.x)), input(table.program, table.x),
                                  neg(coalesce(input(table.program, table.x), i64(0)), kSite)));
    RunResult result = evalOutput(let(table.program, slot), table.program, table.inputs);
    CHECK(result.i64(0, 0) == -5);
    CHECK_FALSE(result.valid(0, 1));
    CHECK(result.i64(0, 2) == 3);
  }
}

TEST_CASE("interp: bool and string inputs and params", "[interp]") {
  ir::Program program;
  uint32_t flag = addInput(program, "flag", typeOf(ir::TypeKind::Bool));
  uint32_t name = addInput(program, "name", typeOf(ir::TypeKind::String));
  uint32_t limit = addParam(program, "limit", typeOf(ir::TypeKind::Int));
  uint32_t who = addParam(program, "who", typeOf(ir::TypeKind::String));
  addOutput(program, "hit", typeOf(ir::TypeKind::Bool),
            andOf(input(program, flag), cmp(Op::StrEq, input(program, name), param(program, who))));
  addOutput(program, "limit", typeOf(ir::TypeKind::Int), param(program, limit));
  addOutput(program, "name", typeOf(ir::TypeKind::String), input(program, name));
  Batch inputs(inputTypes(program), 2);
  inputs.setRows(2);
  inputs.column(flag).boolean()[0] = 1;
  inputs.column(flag).boolean()[1] = 1;
  inputs.column(name).str()[0] = inputs.intern("acme");
  inputs.column(name).str()[1] = inputs.intern("acne");
  std::string acme = "acme";
  std::vector<ParamSlot> params{{250, {nullptr, 0}}, {0, {acme.data(), 4}}};
  std::unique_ptr<Evaluator> engine = makeInterpreter(program);
  RunResult result = run(*engine, program, inputs, params);
  CHECK(result.boolean(0, 0));
  CHECK_FALSE(result.boolean(0, 1));
  CHECK(result.i64(1, 1) == 250);
  CHECK(result.str(2, 1) == "acne");
}

}  // namespace
}  // namespace regelwerk::test
