// ir::print: the --dump=ir text of a small program, golden inline.
#include <catch2/catch.hpp>

#include "tests/unit/interp/ir_builder.hpp"

namespace regelwerk::test {
namespace {

using ir::HitPolicy;
using ir::Op;
using ir::TypeKind;

// A cut-down dunning rule set: every kind of declaration and a few op families.
ir::Program dunning() {
  ir::Program p;
  p.name = "dunning";
  p.source_path = "dunning.rules";
  uint32_t site = addSite(p, "", "let open");
  uint32_t amount = addInput(p, "amount", typeOf(TypeKind::Money, false, 2));
  p.inputs[amount].header = "amount_cents";
  p.inputs[amount].format = "cents";
  uint32_t note = addInput(p, "note", typeOf(TypeKind::String, true));
  uint32_t wait = addParam(p, "wait", typeOf(TypeKind::Days));
  p.params[wait].has_default = true;
  p.params[wait].default_i64 = 14;
  uint32_t open = addLet(p, "open", typeOf(TypeKind::Money, false, 2), sub(input(p, amount), i64(500), site));
  uint32_t fee = addOutput(p, "fee", typeOf(TypeKind::Money, false, 2), i64(0));
  p.outputs[fee].format = "cents";
  uint32_t text = addOutput(p, "text", typeOf(TypeKind::String, true), input(p, note));
  ir::Decision& block = addDecision(p, HitPolicy::Exceptions, site);
  ir::Rule& r1 = then(addRule(block, "r1", cmp(Op::Gt, let(p, open), i64(0)), 0b10), fee,
                      roundDiv(mul(let(p, open), param(p, wait)), i64(365), ir::RoundMode::HalfEven, 0, 2));
  r1.label = "10.2.1 (1)";
  then(addRule(block, "r2", andOf(isMissing(input(p, note)), boolean(true))), text, str("say \"hi\"\n"));
  then(addRule(block, "always", nullptr), fee, rescale(i64(7), 100));
  return p;
}

TEST_CASE("print: golden text of a small program", "[ir]") {
  const char* expected =
      "ruleset dunning (dunning.rules)\n"
      "input 0 amount: money from \"amount_cents\" format \"cents\"\n"
      "input 1 note: string?\n"
      "param 0 wait: days = 14\n"
      "let 0 open: money = (sub.checked (input 0 amount) (const 500))\n"
      "decide 0 exceptions\n"
      "  rule 0 r1 \"10.2.1 (1)\" defeated_by 1\n"
      "    when (gt (let 0 open) (const 0))\n"
      "    then fee = (round_div half_even 0 2 (mul.checked (let 0 open) (param 0 wait)) (const 365))\n"
      "  rule 1 r2\n"
      "    when (and (is_missing (input 1 note)) (const true))\n"
      "    then text = (const \"say \\\"hi\\\"\\x0a\")\n"
      "  rule 2 always\n"
      "    then fee = (rescale.checked 100 (const 7))\n"
      "end\n"
      "output 0 fee: money = (const 0) format \"cents\"\n"
      "output 1 text: string? = (input 1 note)\n";
  ir::Program program = dunning();
  CHECK(ir::verify(program).empty());
  CHECK(ir::print(program) == expected);
}

TEST_CASE("print: broken IR still prints", "[ir]") {
  ir::Program program = dunning();
  program.outputs[0].default_value.reset();
  program.lets[0].value->args[0]->index = 9;
  std::string text = ir::print(program);
  CHECK_THAT(text, Catch::Matchers::Contains("output 0 fee: money = <null> format \"cents\""));
  CHECK_THAT(text, Catch::Matchers::Contains("(input 9 ?)"));
}

}  // namespace
}  // namespace regelwerk::test
