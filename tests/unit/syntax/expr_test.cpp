// Expression parsing: precedence, associativity, literals and operator positions.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using regelwerk::test::dumpLet;
using regelwerk::test::parseText;
namespace ast = regelwerk::ast;

TEST_CASE("precedence from docs/language.md, lowest first", "[syntax][expr]") {
  CHECK(dumpLet("a or b and c") == "(or a (and b c))");
  CHECK(dumpLet("a and b or c") == "(or (and a b) c)");
  CHECK(dumpLet("not a and b") == "(and (not a) b)");
  CHECK(dumpLet("not a == b") == "(not (== a b))");
  CHECK(dumpLet("a == b ?? c") == "(== a (?? b c))");
  CHECK(dumpLet("a ?? b + c") == "(?? a (+ b c))");
  CHECK(dumpLet("a + b * c") == "(+ a (* b c))");
  CHECK(dumpLet("-a * b") == "(* (neg a) b)");
  CHECK(dumpLet("(a + b) * c") == "(* (+ a b) c)");
  CHECK(dumpLet("if a or b then c + 1 else d") == "(if (or a b) (+ c 1) d)");
  CHECK(dumpLet("if a then b else if c then d else e") == "(if a b (if c d e))");
}

TEST_CASE("associativity: arithmetic and logic to the left, ?? to the right", "[syntax][expr]") {
  CHECK(dumpLet("a - b - c") == "(- (- a b) c)");
  CHECK(dumpLet("a / b * c") == "(* (/ a b) c)");
  CHECK(dumpLet("a or b or c") == "(or (or a b) c)");
  CHECK(dumpLet("a ?? b ?? c") == "(?? a (?? b c))");
  CHECK(dumpLet("- - a") == "(neg (neg a))");
  CHECK(dumpLet("not not a") == "(not (not a))");
}

TEST_CASE("membership, ranges and missing values", "[syntax][expr]") {
  CHECK(dumpLet("level in (1, 2, 3)") == "(in level (1 2 3))");
  CHECK(dumpLet("kind not in (consumer)") == "(not-in kind (consumer))");
  CHECK(dumpLet("level in 1..2") == "(in-range level 1 2)");
  CHECK(dumpLet("rate not in 1.5..2.5") == "(not-in-range rate 1.5 2.5)");
  CHECK(dumpLet("level in (1)..(2)") == "(in-range level 1 2)");
  CHECK(dumpLet("due in 2026-01-01..2026-12-31") == "(in-range due (date 2026-01-01) (date 2026-12-31))");
  CHECK(dumpLet("note is missing") == "(is-missing note)");
  CHECK(dumpLet("note is not missing and a") == "(and (is-not-missing note) a)");
  CHECK(dumpLet("a + 1 in (b ?? 2, 3)") == "(in (+ a 1) ((?? b 2) 3))");
}

TEST_CASE("literal tokens keep their text, units are split off", "[syntax][expr]") {
  CHECK(dumpLet("42") == "42");
  CHECK(dumpLet("12.50") == "12.50");
  CHECK(dumpLet("12.50 EUR") == "(money 12.50 EUR)");
  CHECK(dumpLet("5   CHF") == "(money 5 CHF)");
  CHECK(dumpLet("14 days") == "(days 14)");
  CHECK(dumpLet("1 day") == "(days 1)");
  CHECK(dumpLet("5%") == "(percent 5)");
  CHECK(dumpLet("1.27%") == "(percent 1.27)");
  CHECK(dumpLet("2026-11-21") == "(date 2026-11-21)");
  CHECK(dumpLet("true or false") == "(or true false)");
  CHECK(dumpLet(R"("say \"hi\" \\ bye")") == R"("say \"hi\" \\ bye")");
  CHECK(dumpLet("-5 EUR") == "(neg (money 5 EUR))");
  CHECK(dumpLet("2026-11-21 - 14 days") == "(- (date 2026-11-21) (days 14))");
}

TEST_CASE("a number next to a name is not a unit unless it is one", "[syntax][expr]") {
  // `days2` and `dayset` are names, so `3 days2` is two tokens and does not parse.
  CHECK_FALSE(parseText("ruleset t\nlet x = 3 days2\n")->ruleset);
  CHECK_FALSE(parseText("ruleset t\nlet x = 5 EURO\n")->ruleset);
  CHECK(dumpLet("3 daysx") ==
        "syntax error: t.rules:2:11: error[E0101]: unexpected `daysx`; expected a declaration or end of file\n"
        "    2 | let x = 3 daysx\n"
        "      |           ^\n");
}

TEST_CASE("string values are unescaped", "[syntax][expr]") {
  auto parsed = parseText("ruleset t\nlet s = \"a \\\"b\\\" \\\\ c\"\n");
  REQUIRE(parsed->ruleset);
  const ast::Expr& value = *parsed->ruleset->lets[0].value;
  CHECK(value.kind == ast::ExprKind::StringLit);
  CHECK(value.text == "a \"b\" \\ c");
}

TEST_CASE("calls with positional and named arguments", "[syntax][expr]") {
  CHECK(dumpLet("round(x * 3%, 2, half_up)") == "(call round (* x (percent 3)) 2 half_up)");
  CHECK(dumpLet("f(a, mode: b)") == "(call f a mode:b)");
  CHECK(dumpLet("today()") == "(call today)");
  auto parsed = parseText("ruleset t\nlet x = f(a, mode: b)\n");
  REQUIRE(parsed->ruleset);
  const ast::Expr& call = *parsed->ruleset->lets[0].value;
  CHECK(call.kind == ast::ExprKind::Call);
  CHECK(call.text == "f");
  CHECK(call.arg_names == std::vector<std::string>{"", "mode"});
}

TEST_CASE("expression locations: start, operator, parentheses, code points", "[syntax][expr][loc]") {
  //                              123456789012345678901
  auto parsed = parseText("ruleset t\nlet x = (a + b) * -c\nlet ü = \"é\" ?? d not in (1)\n");
  REQUIRE(parsed->ruleset);
  const ast::Expr& mul = *parsed->ruleset->lets[0].value;
  CHECK(mul.kind == ast::ExprKind::Binary);
  CHECK(mul.binary_op == ast::BinaryOp::Mul);
  CHECK(mul.loc == regelwerk::Location{1, 2, 9});
  CHECK(mul.op_loc == regelwerk::Location{1, 2, 17});
  const ast::Expr& add = *mul.args[0];
  CHECK(add.loc == regelwerk::Location{1, 2, 9});      // the `(`
  CHECK(add.op_loc == regelwerk::Location{1, 2, 12});  // the `+`
  CHECK(add.args[0]->loc == regelwerk::Location{1, 2, 10});
  const ast::Expr& neg = *mul.args[1];
  CHECK(neg.kind == ast::ExprKind::Unary);
  CHECK(neg.loc == regelwerk::Location{1, 2, 19});
  CHECK(neg.op_loc == neg.loc);
  // Line 3 has multi-byte characters: columns count code points, not bytes.
  const ast::LetDecl& let = parsed->ruleset->lets[1];
  CHECK(let.name == "ü");
  CHECK(let.loc == regelwerk::Location{1, 3, 5});
  const ast::Expr& in = *let.value;
  CHECK(in.kind == ast::ExprKind::InList);
  CHECK(in.negated);
  CHECK(in.loc == regelwerk::Location{1, 3, 9});
  CHECK(in.op_loc == regelwerk::Location{1, 3, 18});
  CHECK(in.args[0]->op_loc == regelwerk::Location{1, 3, 13});  // the `??`
  CHECK(in.args[1]->loc == regelwerk::Location{1, 3, 26});
}

TEST_CASE("expression ids are dense from 0 across the whole file", "[syntax][expr]") {
  auto parsed = parseText("ruleset t\nlet a = 1 + 2\nlet b = f(a)\noutput o: int = a\n");
  REQUIRE(parsed->ruleset);
  const ast::Ruleset& ruleset = *parsed->ruleset;
  CHECK(ruleset.expr_count == 6);
  std::vector<uint32_t> ids;
  auto collect = [&](const ast::Expr& expr, auto& self) -> void {
    ids.push_back(expr.id);
    for (const auto& arg : expr.args) self(*arg, self);
  };
  for (const auto& let : ruleset.lets) collect(*let.value, collect);
  collect(*ruleset.outputs[0].default_value, collect);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<uint32_t>{0, 1, 2, 3, 4, 5});
}
