// Resource limits: nesting depth, operator count and file size are rejected before ANTLR runs.
#include <catch2/catch.hpp>
#include <chrono>

#include "parse_helpers.hpp"

using regelwerk::test::parseText;

namespace {

std::string repeat(const std::string& piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t copy = 0; copy < times; ++copy) out += piece;
  return out;
}

// The first line of the rendered diagnostics: `file:line:col: error[code]: message`.
std::string firstLine(const std::string& rendered) {
  return rendered.substr(0, rendered.find('\n'));
}

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("10,000 nested parentheses give E0103 quickly, without a stack overflow", "[syntax][limits]") {
  auto start = std::chrono::steady_clock::now();
  auto parsed = parseText("ruleset t\nlet x = " + repeat("(", 10000) + "1" + repeat(")", 10000) + "\n");
  CHECK(secondsSince(start) < 2.0);
  CHECK_FALSE(parsed->ruleset);
  REQUIRE(parsed->diags.errorCount() == 1);
  // Column 9 is the first `(`; the 257th opens at column 265.
  CHECK(firstLine(parsed->rendered()) ==
        "t.rules:2:265: error[E0103]: this expression nests deeper than 256 levels of parentheses, `if` and `not`");
  CHECK(parsed->diags.all()[0].hint == "split it into several `let` declarations");
}

TEST_CASE("256 levels of parentheses still parse", "[syntax][limits]") {
  auto parsed = parseText("ruleset t\nlet x = " + repeat("(", 256) + "1" + repeat(")", 256) + "\n");
  INFO(parsed->rendered());
  REQUIRE(parsed->ruleset);
  CHECK(parsed->ruleset->lets[0].value->kind == regelwerk::ast::ExprKind::IntLit);
  CHECK_FALSE(parseText("ruleset t\nlet x = " + repeat("(", 257) + "1" + repeat(")", 257) + "\n")->ruleset);
}

TEST_CASE("`else if` chains, `not` and unary minus count as nesting", "[syntax][limits]") {
  auto chain = parseText("ruleset t\nlet x = " + repeat("if a then 1 else ", 10000) + "2\n");
  CHECK(firstLine(chain->rendered()).find("error[E0103]") != std::string::npos);
  CHECK(parseText("ruleset t\nlet x = " + repeat("if a then 1 else ", 256) + "2\n")->ruleset);
  CHECK(firstLine(parseText("ruleset t\nlet x = " + repeat("not ", 10000) + "a\n")->rendered()).find("error[E0103]") !=
        std::string::npos);
  CHECK(firstLine(parseText("ruleset t\nlet x = " + repeat("-", 10000) + "1\n")->rendered()).find("error[E0103]") !=
        std::string::npos);
  CHECK(firstLine(parseText("ruleset t\nlet x = " + repeat("-(", 5000) + "1" + repeat(")", 5000) + "\n")->rendered())
            .find("error[E0103]") != std::string::npos);
}

TEST_CASE("nesting is counted per expression, not per file", "[syntax][limits]") {
  // 200 levels in each of two lets, and many `if`s side by side in a call, are fine.
  std::string deep = repeat("(", 200) + "1" + repeat(")", 200);
  auto parsed = parseText("ruleset t\nlet x = " + deep + "\nlet y = " + deep + "\nlet z = f(" +
                          repeat("if a then 1 else 2, ", 300) + "3)\n");
  INFO(parsed->rendered());
  CHECK(parsed->ruleset);
  // An unclosed `(` is a syntax error on its own line, not a nesting error for the rest of the file.
  auto unclosed = parseText("ruleset t\n" + repeat("let x = (1\n", 300));
  CHECK(firstLine(unclosed->rendered()) == "t.rules:2:11: error[E0102]: missing `)` before `let`");
}

TEST_CASE("more than 4096 binary operators in one expression give E0104", "[syntax][limits]") {
  CHECK(parseText("ruleset t\nlet x = 1" + repeat(" + 1", 4096) + "\n")->ruleset);
  auto parsed = parseText("ruleset t\nlet x = 1" + repeat(" + 1", 100000) + "\n");
  CHECK_FALSE(parsed->ruleset);
  // `let x = 1` is 9 columns; each ` + 1` adds 4, so the 4097th `+` is at 9 + 4096 * 4 + 2.
  CHECK(firstLine(parsed->rendered()) == "t.rules:2:16395: error[E0104]: this expression has more than 4096 operators");
}

TEST_CASE("a long chain of operators folds without deep recursion in the parser", "[syntax][limits]") {
  auto parsed =
      parseText("ruleset t\nlet x = a" + repeat(" ?? a", 4000) + "\nlet y = a" + repeat(" or a", 4000) + "\n");
  REQUIRE(parsed->ruleset);
  const regelwerk::ast::Expr* node = parsed->ruleset->lets[0].value.get();
  size_t depth = 0;
  while (node->kind == regelwerk::ast::ExprKind::Binary) {
    node = node->args[1].get();  // `??` is right-associative: the chain hangs off the right
    ++depth;
  }
  CHECK(depth == 4000);
  CHECK(parsed->ruleset->expr_count == 2 * (4001 + 4000));
}

TEST_CASE("files over 4 MiB give E0105 before lexing", "[syntax][limits]") {
  std::string text = "ruleset t\n" + std::string(regelwerk::syntax::kMaxFileBytes, '#') + "\n";
  auto parsed = parseText(text);
  CHECK_FALSE(parsed->ruleset);
  REQUIRE(parsed->diags.errorCount() == 1);
  CHECK(parsed->diags.all()[0].code == "E0105");
  CHECK(parsed->diags.all()[0].message == "the file is 4194315 bytes; rule files may be at most 4194304 bytes (4 MiB)");
  CHECK(parsed->diags.all()[0].loc == regelwerk::Location{1, 1, 1});
}
