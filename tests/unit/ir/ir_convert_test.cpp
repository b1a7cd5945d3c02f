// ir::verify and ir::print for the conversion ops: concat, text and missing.
#include <catch2/catch.hpp>

#include "tests/unit/interp/ir_builder.hpp"

namespace regelwerk::test {
namespace {

using Catch::Matchers::Contains;
using ir::Op;
using ir::TypeKind;

ir::ExprPtr missingOf(ir::Kind kind) {
  return leaf(Op::Missing, kind, true);
}

ir::ExprPtr textOf(ir::ExprPtr value, int64_t places, int64_t date = 0) {
  ir::ExprPtr out = node(Op::Text, ir::Kind::Str, 0, std::move(value));
  out->imm = places;
  out->imm2 = date;
  return out;
}

std::string problemsOf(const ir::Program& program) {
  std::string out;
  for (const std::string& problem : ir::verify(program)) out += problem + "\n";
  return out;
}

TEST_CASE("verify: concat, text and missing in their documented shapes", "[ir]") {
  ir::Program program;
  addSite(program, "");
  uint32_t site = addSite(program, "", "output label");
  addOutput(program, "label", typeOf(TypeKind::String),
            node(Op::Concat, ir::Kind::Str, site, str("R-"), textOf(i64(-5), 2)));
  addOutput(program, "day", typeOf(TypeKind::String), textOf(i64(0), 0, 1));
  addOutput(program, "none", typeOf(TypeKind::Money, true, 2), missingOf(ir::Kind::I64));
  addOutput(program, "maybe", typeOf(TypeKind::String, true),
            ifThen(boolean(true), str("a"), missingOf(ir::Kind::Str)));
  CHECK(problemsOf(program).empty());
  std::string printed = ir::print(program);
  CHECK_THAT(printed, Contains("(concat.checked (const \"R-\") (text 2 (const -5)))"));
  CHECK_THAT(printed, Contains("(text date (const 0))"));
  CHECK_THAT(printed, Contains("(missing)"));
}

TEST_CASE("verify: concat takes required strings; text a required I64; missing is optional", "[ir]") {
  ir::Program program;
  addSite(program, "");
  addOutput(program, "a", typeOf(TypeKind::String), node(Op::Concat, ir::Kind::Str, 0, str("x"), i64(1)));
  addOutput(program, "b", typeOf(TypeKind::String),
            node(Op::Concat, ir::Kind::Str, 0, str("x"), missingOf(ir::Kind::Str)));
  addOutput(program, "c", typeOf(TypeKind::String), textOf(str("x"), 0));
  addOutput(program, "d", typeOf(TypeKind::String), textOf(i64(1), 19));
  addOutput(program, "e", typeOf(TypeKind::String), textOf(i64(1), 0, 2));
  addOutput(program, "f", typeOf(TypeKind::Int, true), leaf(Op::Missing, ir::Kind::I64, false));
  std::string problems = problemsOf(program);
  CHECK_THAT(problems, Contains("outputs[0](a).default: concat.checked operand 1 is I64, expected Str"));
  CHECK_THAT(problems, Contains("outputs[1](b).default: concat.checked operand 1 is optional"));
  CHECK_THAT(problems, Contains("outputs[2](c).default: text operand 0 is Str, expected I64"));
  CHECK_THAT(problems, Contains("outputs[3](d).default: text places 19 are outside -2..18"));
  CHECK_THAT(problems, Contains("outputs[4](e).default: text form 2 is neither number (0) nor date (1)"));
  CHECK_THAT(problems, Contains("outputs[5](f).default: missing must be optional"));
}

}  // namespace
}  // namespace regelwerk::test
