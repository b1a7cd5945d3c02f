// ir::verify: accepts well-formed programs and names the node of each kind of violation.
#include <catch2/catch.hpp>

#include <climits>

#include "tests/unit/interp/ir_builder.hpp"

namespace regelwerk::test {
namespace {

using Catch::Matchers::Contains;
using ir::HitPolicy;
using ir::Op;
using ir::TypeKind;

// A small well-formed program touching every declaration; tests break one thing in it.
struct Good {
  ir::Program program;
  uint32_t amount, note, due, limit, open, fee, text, site;

  Good() {
    site = addSite(program, "", "let open");
    amount = addInput(program, "amount", typeOf(TypeKind::Money, false, 2));
    note = addInput(program, "note", typeOf(TypeKind::String, true));
    due = addInput(program, "due", typeOf(TypeKind::Date, true));
    limit = addParam(program, "limit", typeOf(TypeKind::Money, false, 2));
    open = addLet(program, "open", typeOf(TypeKind::Money, false, 2), add(input(program, amount), i64(1), site));
    addLet(program, "late", typeOf(TypeKind::Date, true), input(program, due));
    fee = addOutput(program, "fee", typeOf(TypeKind::Money, false, 2), i64(0));
    text = addOutput(program, "text", typeOf(TypeKind::String, true), input(program, note));
    ir::Decision& block = addDecision(program, HitPolicy::Exceptions, site);
    then(addRule(block, "r1", cmp(Op::Gt, let(program, open), param(program, limit)), 0b110), fee, i64(500));
    then(addRule(block, "r2", isMissing(input(program, note)), 0b100), text, str("none"));
    then(addRule(block, "r3", nullptr), fee, roundDiv(let(program, open), i64(3), ir::RoundMode::HalfEven, 2, 0));
    ir::Decision& first = addDecision(program, HitPolicy::First, site);
    addRule(first, "noop", notOf(boolean(false)));
  }
  ir::Decision& exceptions() { return program.decisions[0]; }
  ir::Rule& rule(size_t index) { return program.decisions[0].rules[index]; }
};

// The verifier's single complaint about `program`.
std::string onlyProblem(const ir::Program& program) {
  std::vector<std::string> problems = ir::verify(program);
  CAPTURE(problems);
  REQUIRE(problems.size() == 1);
  return problems[0];
}

TEST_CASE("verify: accepts a well-formed program", "[ir]") {
  Good good;
  CHECK(ir::verify(good.program).empty());
}

TEST_CASE("verify: accepts every op in its documented shape", "[ir]") {
  Good good;
  ir::Program& p = good.program;
  ir::ExprPtr big = ifThen(cmp(Op::StrNe, coalesce(input(p, good.note), str("")), str("x")),
                           max(min(neg(i64(1)), abs(i64(2))), mul(sub(i64(3), i64(4)), rescale(i64(5), 100))),
                           checkDate(coalesce(input(p, good.due), i64(0))));
  addOutput(p, "all", typeOf(TypeKind::Int), std::move(big));
  addOutput(p, "any", typeOf(TypeKind::Bool),
            orOf(andOf(cmp(Op::Le, i64(1), i64(2)), cmp(Op::Ne, boolean(true), boolean(false))),
                 cmp(Op::StrEq, str("a"), str("b"))));
  addOutput(p, "maybe", typeOf(TypeKind::Date, true), ifThen(boolean(true), let(p, 1), i64(3)));
  CHECK(ir::verify(p).empty());
}

TEST_CASE("verify: operand kinds follow the op table", "[ir]") {
  Good good;
  good.rule(0).assignments[0].value = add(i64(1), str("x"));
  CHECK_THAT(onlyProblem(good.program),
             Contains("decisions[0].rules[0](r1).assignments[0].value: add.checked operand 1 is Str, expected I64"));
}

TEST_CASE("verify: results must have their op's kind", "[ir]") {
  Good good;
  good.rule(0).condition = node(Op::Lt, ir::Kind::I64, 0, i64(1), i64(2));
  std::vector<std::string> problems = ir::verify(good.program);
  REQUIRE(problems.size() == 2);  // the node itself, and the slot it feeds
  CHECK_THAT(problems[0], Contains("rules[0](r1).condition: lt produces Bool, the node says I64"));
  CHECK_THAT(problems[1], Contains("rules[0](r1).condition: is I64 but the slot is Bool"));
}

TEST_CASE("verify: eq does not compare strings", "[ir]") {
  Good good;
  good.rule(0).condition = cmp(Op::Eq, str("a"), str("b"));
  CHECK_THAT(onlyProblem(good.program), Contains("use str_eq"));
}

TEST_CASE("verify: optional values only where ir.hpp allows them", "[ir]") {
  Good good;
  SECTION("an optional operand of add") {
    good.rule(2).assignments[0].value = add(input(good.program, good.due), i64(1));
    CHECK_THAT(onlyProblem(good.program), Contains("rules[2](r3).assignments[0].value: add.checked operand 0 is optional"));
  }
  SECTION("an optional result of add") {
    good.program.lets[1].value = add(i64(1), i64(2));
    good.program.lets[1].value->optional = true;
    CHECK_THAT(onlyProblem(good.program), Contains("lets[1](late).value: add.checked cannot be optional"));
  }
  SECTION("an optional value into a required output") {
    good.program.outputs[0].default_value = input(good.program, good.due);
    CHECK_THAT(onlyProblem(good.program), Contains("outputs[0](fee).default: is optional but the slot is not"));
  }
  SECTION("an optional input read as required") {
    good.program.outputs[1].default_value->optional = false;
    CHECK_THAT(onlyProblem(good.program), Contains("reads optional string? as required"));
  }
  SECTION("coalesce of a required value") {
    good.program.outputs[0].default_value = coalesce(i64(1), i64(2));
    CHECK_THAT(onlyProblem(good.program), Contains("coalesce of a value that cannot be missing"));
  }
  SECTION("is_missing of a required value") {
    good.rule(1).condition = isMissing(i64(1));
    CHECK_THAT(onlyProblem(good.program), Contains("is_missing of a value that cannot be missing"));
  }
  SECTION("an if with an optional branch that says it is required") {
    good.program.outputs[1].default_value = ifThen(boolean(true), input(good.program, good.note), str(""));
    good.program.outputs[1].default_value->optional = false;
    good.program.outputs[1].type.optional = false;
    CHECK_THAT(onlyProblem(good.program), Contains("if branch 1 is optional but the if is not"));
  }
  SECTION("a condition must be a required bool") {
    good.rule(0).condition = ifThen(boolean(true), boolean(true), boolean(false));
    good.rule(0).condition->optional = true;
    CHECK_THAT(onlyProblem(good.program), Contains("condition: is optional but the slot is not"));
  }
}

TEST_CASE("verify: indices in range and lets read only earlier lets", "[ir]") {
  Good good;
  SECTION("input") {
    good.program.outputs[0].default_value = input(good.program, good.amount);
    good.program.outputs[0].default_value->index = 7;
    CHECK_THAT(onlyProblem(good.program), Contains("outputs[0](fee).default: input 7 is out of range (3 inputs)"));
  }
  SECTION("param") {
    good.rule(0).condition->args[1]->index = 1;
    CHECK_THAT(onlyProblem(good.program), Contains("param 1 is out of range"));
  }
  SECTION("a let reading itself") {
    good.program.lets[0].value = let(good.program, good.open);
    CHECK_THAT(onlyProblem(good.program), Contains("lets[0](open).value: reads lets[0](open) before it is computed"));
  }
  SECTION("a let out of range") {
    good.rule(0).condition->args[0]->index = 2;
    CHECK_THAT(onlyProblem(good.program), Contains("let 2 is out of range"));
  }
  SECTION("an assignment to a missing output") {
    good.rule(0).assignments[0].output = 9;
    CHECK_THAT(onlyProblem(good.program), Contains("rules[0](r1).assignments[0]: output 9 is out of range"));
  }
  SECTION("a site") {
    good.program.lets[0].value->site = 2;
    CHECK_THAT(onlyProblem(good.program), Contains("lets[0](open).value: site 2 is out of range (2 sites)"));
  }
  SECTION("a decision site") {
    good.exceptions().site = 5;
    CHECK_THAT(onlyProblem(good.program), Contains("decisions[0]: site 5 is out of range"));
  }
  SECTION("no site 0") {
    good.program.sites.clear();
    good.program.lets[0].value->site = 0;
    good.exceptions().site = 0;
    good.program.decisions[1].site = 0;
    CHECK_THAT(onlyProblem(good.program), Contains("site 0 (\"no site\") is missing"));
  }
}

TEST_CASE("verify: immediates of RoundDiv, Rescale and bool constants", "[ir]") {
  Good good;
  ir::Expr& round = *good.rule(2).assignments[0].value;
  SECTION("powers 0..36 are fine") {
    round.imm = 36;
    round.imm2 = 0;
    CHECK(ir::verify(good.program).empty());
  }
  SECTION("power 37") {
    round.imm2 = 37;
    CHECK_THAT(onlyProblem(good.program), Contains("round_div power 37 is outside 0..36"));
  }
  SECTION("negative power") {
    round.imm = -1;
    CHECK_THAT(onlyProblem(good.program), Contains("round_div power -1"));
  }
  SECTION("rescale") {
    for (int64_t factor : {int64_t{0}, int64_t{-10}, int64_t{20}, int64_t{110}}) {
      good.program.outputs[0].default_value = rescale(i64(1), factor);
      CHECK_THAT(onlyProblem(good.program), Contains("is not a positive power of ten"));
    }
    for (int64_t factor : {int64_t{1}, int64_t{10}, int64_t{1000000000000000000}}) {
      good.program.outputs[0].default_value = rescale(i64(1), factor);
      CHECK(ir::verify(good.program).empty());
    }
  }
  SECTION("bool constant") {
    good.rule(1).condition = boolean(true);
    good.rule(1).condition->imm = 2;
    CHECK_THAT(onlyProblem(good.program), Contains("bool constant 2"));
  }
}

TEST_CASE("verify: arity and null operands", "[ir]") {
  Good good;
  SECTION("too few") {
    good.program.outputs[0].default_value = node(Op::Add, ir::Kind::I64, 0, i64(1));
    CHECK_THAT(onlyProblem(good.program), Contains("add.checked takes 2 operands, has 1"));
  }
  SECTION("null") {
    good.program.outputs[0].default_value = node(Op::Neg, ir::Kind::I64, 0, ir::ExprPtr());
    CHECK_THAT(onlyProblem(good.program), Contains("neg.checked operand 0 is missing"));
  }
  SECTION("a missing default") {
    good.program.outputs[0].default_value.reset();
    CHECK_THAT(onlyProblem(good.program), Contains("outputs[0](fee).default: is missing"));
  }
}

TEST_CASE("verify: exceptions blocks and defeated_by", "[ir]") {
  Good good;
  SECTION("at most 64 rules") {
    for (int rule = 0; rule < 61; ++rule) addRule(good.exceptions(), "more", nullptr);
    CHECK(ir::verify(good.program).empty());
    addRule(good.exceptions(), "one too many", nullptr);
    CHECK_THAT(onlyProblem(good.program), Contains("decisions[0]: has 65 rules; an exceptions block holds at most 64"));
  }
  SECTION("a rule outside the block") {
    good.rule(2).defeated_by = uint64_t{1} << 3;
    CHECK_THAT(onlyProblem(good.program), Contains("rules[2](r3): defeated_by names a rule outside the block"));
  }
  SECTION("a cycle") {
    good.rule(2).defeated_by = 0b100;
    CHECK_THAT(onlyProblem(good.program), Contains("rules[2](r3): overrides itself"));
  }
  SECTION("not transitive") {
    good.rule(0).defeated_by = 0b010;  // r2 overrides r1 and r3 overrides r2, so r3 must be listed
    CHECK_THAT(onlyProblem(good.program), Contains("rules[0](r1): defeated_by is not transitive"));
  }
  SECTION("outside an exceptions block") {
    good.program.decisions[1].rules[0].defeated_by = 1;
    CHECK_THAT(onlyProblem(good.program), Contains("decisions[1].rules[0](noop): has defeated_by outside"));
  }
}

TEST_CASE("verify: outputs are assigned with matching kinds, by one block", "[ir]") {
  Good good;
  SECTION("kind") {
    good.rule(0).assignments[0].value = str("5");
    CHECK_THAT(onlyProblem(good.program), Contains("rules[0](r1).assignments[0].value: is Str but the slot is I64"));
  }
  SECTION("twice in a rule") {
    then(good.rule(0), good.fee, i64(1));
    CHECK_THAT(onlyProblem(good.program), Contains("rules[0](r1).assignments[1]: assigns output `fee` twice"));
  }
  SECTION("in two blocks") {
    then(good.program.decisions[1].rules[0], good.fee, i64(1));
    CHECK_THAT(onlyProblem(good.program), Contains("decisions[1]: assigns output `fee`, already assigned by decisions[0]"));
  }
  SECTION("a let of the wrong kind") {
    good.program.lets[1].type = typeOf(TypeKind::Bool, true);
    std::vector<std::string> problems = ir::verify(good.program);
    CHECK_THAT(problems.at(0), Contains("lets[1](late).value: is I64 but the slot is Bool"));
  }
}

TEST_CASE("verify: reports several problems, each with its path", "[ir]") {
  Good good;
  good.rule(0).assignments[0].value = add(i64(1), str("x"));
  good.program.outputs[0].default_value = str("zero");
  std::vector<std::string> problems = ir::verify(good.program);
  REQUIRE(problems.size() == 2);
  CHECK_THAT(problems[0], Contains("decisions[0].rules[0](r1)"));
  CHECK_THAT(problems[1], Contains("outputs[0](fee).default"));
}

}  // namespace
}  // namespace regelwerk::test
