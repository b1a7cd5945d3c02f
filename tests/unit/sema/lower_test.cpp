// Lowering: the IR shape of the constructs whose meaning lowering makes explicit: rescales,
// RoundDiv powers, enum constants, `in`, dates, optional handling, param defaults, defeated_by.
#include <catch2/catch.hpp>

#include "compile_text.hpp"

namespace regelwerk::test {

using ir::Op;

static const char* const kFields = R"(  amount: money
  rate: percent
  ratio: decimal(4)
  level: int
  due_date: date
  maybe: money?
  kind: enum(consumer, business))";

static std::unique_ptr<Compiled> lowered(const std::string& body) {
  auto compiled = compileWith(kFields, body);
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  REQUIRE(ir::verify(*compiled->program).empty());
  return compiled;
}

TEST_CASE("round of a quotient: powers of ten cancel to imm / imm2", "[lower][round]") {
  auto compiled = lowered("let interest = round(amount * rate * ((due_date - due_date) / 365 days), 2, half_even)\n"
                          "let share = round(amount / 3, 2)\nlet per_ratio = round(amount / ratio, 2)\n"
                          "let coarse = round(ratio, 2)\nlet fine = round(amount, 4)\noutput o: int = 0");
  const ir::Expr& interest = compiled->loweredLet("interest");
  REQUIRE(interest.op == Op::RoundDiv);
  CHECK(interest.imm == 0);   // s = 8, t = 0, p = 2
  CHECK(interest.imm2 == 6);
  CHECK(interest.mode == ir::RoundMode::HalfEven);
  CHECK(interest.args[1]->op == Op::Const);
  CHECK(interest.args[1]->imm == 365);
  CHECK(interest.args[0]->op == Op::Mul);
  const ir::Expr& share = compiled->loweredLet("share");
  CHECK(share.imm == 0);
  CHECK(share.imm2 == 0);
  CHECK(share.mode == ir::RoundMode::HalfUp);  // the rule set's default
  const ir::Expr& per_ratio = compiled->loweredLet("per_ratio");
  CHECK(per_ratio.imm == 4);  // s = 2, t = 4, p = 2
  CHECK(per_ratio.imm2 == 0);
  const ir::Expr& coarse = compiled->loweredLet("coarse");  // exact value: den 1
  CHECK(coarse.args[1]->op == Op::Const);
  CHECK(coarse.args[1]->imm == 1);
  CHECK(coarse.imm == 0);
  CHECK(coarse.imm2 == 2);
  CHECK(compiled->loweredLet("fine").imm == 2);
}

TEST_CASE("the rounding setting is the default mode", "[lower][round]") {
  auto compiled = compileText(std::string("ruleset t\nrounding floor\ninput R\n") + kFields +
                              "\nlet x = round(amount / 3, 2)\noutput o: int = 0\n");
  REQUIRE(compiled->program);
  CHECK(compiled->loweredLet("x").mode == ir::RoundMode::Floor);
}

TEST_CASE("scales are aligned by explicit Rescale", "[lower][scales]") {
  auto compiled = lowered("let wide = amount * rate + amount\nlet cmp = amount * rate > 1.00 EUR\n"
                          "output fee: money = 5 EUR\noutput d: decimal(4) = level");
  const ir::Expr& wide = compiled->loweredLet("wide");
  REQUIRE(wide.op == Op::Add);
  CHECK(wide.args[0]->op == Op::Mul);
  REQUIRE(wide.args[1]->op == Op::Rescale);
  CHECK(wide.args[1]->imm == 1000000);
  const ir::Expr& cmp = compiled->loweredLet("cmp");
  REQUIRE(cmp.op == Op::Gt);
  REQUIRE(cmp.args[1]->op == Op::Rescale);
  CHECK(cmp.args[1]->args[0]->imm == 100);
  CHECK(cmp.args[1]->imm == 1000000);
  const ir::Expr& fee = compiled->loweredOutputDefault("fee");
  REQUIRE(fee.op == Op::Rescale);
  CHECK(fee.imm == 100);
  CHECK(compiled->loweredOutputDefault("d").op == Op::Rescale);
  CHECK(compiled->loweredOutputDefault("d").imm == 10000);
}

TEST_CASE("optional values are rescaled only when present", "[lower][optional]") {
  auto compiled = lowered("let x = maybe ?? 1 EUR\noutput m: money? = if level > 1 then maybe else 1 EUR");
  const ir::Expr& x = compiled->loweredLet("x");
  REQUIRE(x.op == Op::Coalesce);
  CHECK_FALSE(x.optional);
  CHECK(x.args[0]->op == Op::Input);
  REQUIRE(x.args[1]->op == Op::Rescale);
  CHECK(x.args[1]->imm == 100);
  const ir::Expr& m = compiled->loweredOutputDefault("m");
  CHECK(m.op == Op::If);
  CHECK(m.optional);
}

TEST_CASE("an optional value widened: If(IsMissing(x), x, Rescale(x ?? 0))", "[lower][optional]") {
  auto compiled = lowered("let x: decimal(6)? = if level > 1 then ratio else ratio\n"
                          "let y: money? = maybe\noutput m: money? = maybe\noutput w: decimal(8)? = x");
  const ir::Expr& w = compiled->loweredOutputDefault("w");
  REQUIRE(w.op == Op::If);
  CHECK(w.optional);
  CHECK(w.args[0]->op == Op::IsMissing);
  CHECK(w.args[1]->op == Op::Let);
  REQUIRE(w.args[2]->op == Op::Rescale);
  CHECK(w.args[2]->imm == 100);
  CHECK(w.args[2]->args[0]->op == Op::Coalesce);
}

TEST_CASE("enum members are constant indexes, in lowers to compares", "[lower][enums]") {
  auto compiled = lowered("let b = kind == business\nlet l = kind in (business, consumer)\n"
                          "let r = level in 1..2\nlet n = level not in 1..2\n"
                          "output action: enum(none, reminder, notice) = notice");
  const ir::Expr& b = compiled->loweredLet("b");
  REQUIRE(b.op == Op::Eq);
  CHECK(b.args[1]->op == Op::Const);
  CHECK(b.args[1]->imm == 1);
  const ir::Expr& l = compiled->loweredLet("l");
  REQUIRE(l.op == Op::Or);
  CHECK(l.args[0]->op == Op::Eq);
  CHECK(l.args[1]->args[1]->imm == 0);
  const ir::Expr& r = compiled->loweredLet("r");
  REQUIRE(r.op == Op::And);
  CHECK(r.args[0]->op == Op::Ge);
  CHECK(r.args[1]->op == Op::Le);
  CHECK(r.args[1]->args[1]->imm == 2);
  const ir::Expr& n = compiled->loweredLet("n");
  REQUIRE(n.op == Op::Not);
  CHECK(n.args[0]->op == Op::And);
  CHECK(compiled->loweredOutputDefault("action").imm == 2);
}

TEST_CASE("dates: date + days is checked, date - date is days", "[lower][dates]") {
  auto compiled = lowered("let later = due_date + 14 days\nlet earlier = due_date - 1 day\n"
                          "let between = due_date - 2026-01-01\noutput o: int = 0");
  const ir::Expr& later = compiled->loweredLet("later");
  REQUIRE(later.op == Op::CheckDate);
  CHECK(later.args[0]->op == Op::Add);
  CHECK(compiled->loweredLet("earlier").op == Op::CheckDate);
  const ir::Expr& between = compiled->loweredLet("between");
  REQUIRE(between.op == Op::Sub);
  CHECK(between.args[1]->imm == 20454);  // 2026-01-01 in days since 1970-01-01
}

TEST_CASE("min and max fold into nested binary ops at the widest scale", "[lower][calls]") {
  auto compiled = lowered("let m = min(amount, 5 EUR, amount * rate)\noutput o: int = 0");
  const ir::Expr& m = compiled->loweredLet("m");
  REQUIRE(m.op == Op::Min);
  REQUIRE(m.args[0]->op == Op::Min);
  CHECK(m.args[0]->args[0]->op == Op::Rescale);
  CHECK(m.args[0]->args[0]->imm == 1000000);
  CHECK(m.args[0]->args[1]->imm == 100000000);
  CHECK(m.args[1]->op == Op::Mul);
}

TEST_CASE("param defaults are parsed exactly", "[lower][params]") {
  auto compiled = lowered("param as_of: date = 2026-11-21\nparam wait: days = 14 days\n"
                          "param base_rate: percent = 1.27%\nparam fee: money = 5 EUR\nparam delta: int = -3\n"
                          "param level_name: enum(low, high) = high\nparam note: string = \"hi\"\nparam flag: bool = true\n"
                          "param open: date\noutput o: int = 0");
  const auto& params = compiled->program->params;
  REQUIRE(params.size() == 9);
  CHECK(params[0].default_i64 == 20778);
  CHECK(params[1].default_i64 == 14);
  CHECK(params[2].default_i64 == 12700);
  CHECK(params[3].default_i64 == 500);
  CHECK(params[4].default_i64 == -3);
  CHECK(params[5].default_i64 == 1);
  CHECK(params[6].default_str == "hi");
  CHECK(params[7].default_i64 == 1);
  CHECK_FALSE(params[8].has_default);
}

TEST_CASE("defeated_by is the transitive closure of overrides", "[lower][decisions]") {
  auto compiled = lowered("output o: int = 0\ndecide exceptions\n"
                          "  rule r1 then o = 1\n  rule r2 overrides r1 then o = 2\n"
                          "  rule r3 overrides r2 then o = 3\n  rule r4 overrides r1 then o = 4\n"
                          "  rule r5 then o = 5\nend");
  const auto& rules = compiled->program->decisions[0].rules;
  REQUIRE(rules.size() == 5);
  CHECK(rules[0].defeated_by == 0b01110);  // r2, r3 (through r2), r4
  CHECK(rules[1].defeated_by == 0b00100);  // r3
  CHECK(rules[2].defeated_by == 0);
  CHECK(rules[3].defeated_by == 0);
  CHECK(rules[4].defeated_by == 0);
  CHECK(compiled->program->decisions[0].policy == ir::HitPolicy::Exceptions);
}

TEST_CASE("failing ops carry a site with rule and context", "[lower][sites]") {
  auto compiled = lowered("let open = amount - amount\noutput fee: money = 0.00 EUR\n"
                          "decide first\n  rule notice then fee = round(open / 3, 2)\nend");
  const ir::Program& program = *compiled->program;
  const ir::Expr& open = compiled->loweredLet("open");
  REQUIRE(open.site != 0);
  CHECK(program.sites[open.site].context == "let open");
  CHECK(program.sites[open.site].rule.empty());
  const ir::Expr& fee = *program.decisions[0].rules[0].assignments[0].value;
  REQUIRE(fee.op == Op::RoundDiv);
  CHECK(program.sites[fee.site].rule == "notice");
  CHECK(program.sites[fee.site].context == "output fee");
  CHECK(program.sites[fee.site].loc.line == 13);
}

TEST_CASE("inputs: header from `from`, format copied", "[lower][inputs]") {
  auto compiled = compileText("ruleset t\ninput R\n  amount: money from \"amount_cents\" format \"cents\"\n"
                              "  id: int\noutput o: int = id\n");
  REQUIRE(compiled->program);
  const auto& inputs = compiled->program->inputs;
  CHECK(inputs[0].header == "amount_cents");
  CHECK(inputs[0].format == "cents");
  CHECK(inputs[1].header == "id");
  CHECK(inputs[1].format.empty());
}

}  // namespace regelwerk::test
