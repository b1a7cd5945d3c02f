// Syntax diagnostics: exact rendered text (code, position, message, hint) for each E01xx code.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

using regelwerk::test::errorsOf;

TEST_CASE("E0101 names a small expected set in words", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = then\n") ==
        "t.rules:2:9: error[E0101]: unexpected `then`; expected an expression\n"
        "    2 | let x = then\n"
        "      |         ^\n");
  CHECK(errorsOf("ruleset t\nparam p: 5\n") ==
        "t.rules:2:10: error[E0101]: unexpected `5`; expected a type\n"
        "    2 | param p: 5\n"
        "      |          ^\n");
  CHECK(errorsOf("ruleset t\nlet x = if a then b\nlet y = 2\n") ==
        "t.rules:3:1: error[E0101]: unexpected `let`; expected `else`\n"
        "    3 | let y = 2\n"
        "      | ^\n");
  CHECK(errorsOf("let x = 1\n") ==
        "t.rules:1:1: error[E0101]: unexpected `let`; expected `ruleset`, `module` or `tests`\n"
        "    1 | let x = 1\n"
        "      | ^\n");
}

TEST_CASE("E0101 at the end of the file points after the last token", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = 1 +\n") ==
        "t.rules:2:12: error[E0101]: unexpected end of file; expected an expression\n"
        "    2 | let x = 1 +\n"
        "      |            ^\n");
}

TEST_CASE("E0117 names the block whose `end` is missing, at the end of the file or before a declaration",
          "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\ndecide first\n  rule r when a then x = 1\n") ==
        "t.rules:3:27: error[E0117]: the `decide first` block that starts on line 2 has no `end`\n"
        "    3 |   rule r when a then x = 1\n"
        "      |                           ^ write `end` after its last rule\n");
  CHECK(errorsOf("ruleset t\ntable fees key level: int value fee: int rows\n  1 | 2\nlet x = 1\n") ==
        "t.rules:3:8: error[E0117]: the `rows` of table `fees` that starts on line 2 has no `end`\n"
        "    3 |   1 | 2\n"
        "      |        ^ write `end` after its last row\n");
  CHECK(errorsOf("ruleset t\ndecide first\n  rule r when a then x = 1 +\n") ==
        "t.rules:3:29: error[E0101]: unexpected end of file; expected an expression\n"
        "    3 |   rule r when a then x = 1 +\n"
        "      |                             ^\n");
}

TEST_CASE("E0101 hints at `==` and at decision blocks", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\ndecide first\n  rule a when x = 1\nend\n") ==
        "t.rules:3:17: error[E0101]: unexpected `=`; expected `rule` or `end`\n"
        "    3 |   rule a when x = 1\n"
        "      |                 ^ to compare, write `==`\n");
  CHECK(errorsOf("ruleset t\nrule r when a\n") ==
        "t.rules:2:1: error[E0101]: unexpected `rule`; expected a declaration or end of file\n"
        "    2 | rule r when a\n"
        "      | ^ rules belong in a block: decide first ... end\n");
  CHECK(errorsOf("ruleset t\nlet x = 5 EURO\n") ==
        "t.rules:2:11: error[E0101]: unexpected `EURO`; expected a declaration or end of file\n"
        "    2 | let x = 5 EURO\n"
        "      |           ^ money is a number and a three-letter currency code, such as 5.00 EUR\n");
}

TEST_CASE("E0102 shows the missing token after the previous one", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = (a + b\nlet y = 1\n") ==
        "t.rules:2:15: error[E0102]: missing `)` before `let`\n"
        "    2 | let x = (a + b\n"
        "      |               ^\n");
  CHECK(errorsOf("ruleset t\ninput I\n  a int\n") ==
        "t.rules:3:4: error[E0102]: missing `:` before `int`\n"
        "    3 |   a int\n"
        "      |    ^\n");
}

TEST_CASE("E0106 stray characters, with hints for pasted quotes and currency signs", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = 5 $\n") ==
        "t.rules:2:11: error[E0106]: unexpected character `$`\n"
        "    2 | let x = 5 $\n"
        "      |           ^ write money with its currency code: 12.50 EUR\n");
  CHECK(errorsOf("ruleset t\nlet x = \xE2\x80\x9Chello\xE2\x80\x9D\n") ==
        "t.rules:2:9: error[E0106]: unexpected character `\xE2\x80\x9C`\n"
        "    2 | let x = \xE2\x80\x9Chello\xE2\x80\x9D\n"
        "      |         ^ write strings with straight quotes: \"...\"\n");
  CHECK(errorsOf("ruleset t\nlet x = `a`\n") ==
        "t.rules:2:9: error[E0106]: unexpected character ` (a backtick)\n"
        "    2 | let x = `a`\n"
        "      |         ^\n");
  CHECK(errorsOf("ruleset t\nlet x = a\xC2\xA0+ b\n") ==
        "t.rules:2:10: error[E0106]: unexpected character U+00A0\n"
        "    2 | let x = a\xC2\xA0+ b\n"
        "      |          ^\n");
}

TEST_CASE("E0107 unterminated string", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = \"abc\nlet y = 1\n") ==
        "t.rules:2:9: error[E0107]: this string has no closing `\"`\n"
        "    2 | let x = \"abc\n"
        "      |         ^ a string ends on the line where it starts\n");
}

TEST_CASE("E0108 unknown escape, at the backslash", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = \"C:\\new\"\n") ==
        "t.rules:2:12: error[E0108]: unknown escape `\\n` in a string\n"
        "    2 | let x = \"C:\\new\"\n"
        "      |            ^ only \\\" and \\\\ are escapes; write \\\\ for a backslash\n");
}

TEST_CASE("E0109 reserved word as a name", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\ninput Invoice\n  date: date\n") ==
        "t.rules:3:3: error[E0109]: `date` is a reserved word and cannot be used as a name\n"
        "    3 |   date: date\n"
        "      |   ^ rename the field; `from \"date\"` still reads the CSV column `date`\n");
  CHECK(errorsOf("ruleset t\nlet in = 5\n") ==
        "t.rules:2:5: error[E0109]: `in` is a reserved word and cannot be used as a name\n"
        "    2 | let in = 5\n"
        "      |     ^ choose another name\n");
}

TEST_CASE("E0110 chained comparisons", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet x = 1 < a < 3\n") ==
        "t.rules:2:15: error[E0110]: comparisons cannot be chained\n"
        "    2 | let x = 1 < a < 3\n"
        "      |               ^ join two comparisons with `and`: a < b and b < c\n");
  CHECK(errorsOf("ruleset t\nlet x = a is missing == b\n").find("2:22: error[E0110]") != std::string::npos);
  // Parenthesized, the comparison is an operand: a type question for sema, not a syntax error.
  CHECK(errorsOf("ruleset t\nlet x = (a < b) == c\n") == "parsed without errors");
}

TEST_CASE("E0111 output without a default", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\noutput fee: money format \"cents\"\n") ==
        "t.rules:2:8: error[E0111]: output `fee` has no default value\n"
        "    2 | output fee: money format \"cents\"\n"
        "      |        ^ every output needs one: add `= value` after the type\n");
}

TEST_CASE("E0112 invalid UTF-8, at its code-point column", "[syntax][diag]") {
  CHECK(errorsOf("ruleset t\nlet \xC3\xA4 = \"\xFF\"\n") ==
        "t.rules:2:10: error[E0112]: the file is not valid UTF-8 (byte 0xFF)\n"
        "    2 | let \xC3\xA4 = \"\xFF\"\n"
        "      |          ^ save the file as UTF-8\n");
}

TEST_CASE("several errors per file, one per line, sorted", "[syntax][diag]") {
  std::string text =
      "ruleset t\n"
      "let x = 1\n"
      "let y = * 2\n"
      "let z = 3 $ )\n"
      "output o: int = (1\n"
      "param p: 5\n";
  CHECK(errorsOf(text) ==
        "t.rules:3:9: error[E0101]: unexpected `*`; expected an expression\n"
        "    3 | let y = * 2\n"
        "      |         ^\n"
        "t.rules:4:11: error[E0106]: unexpected character `$`\n"
        "    4 | let z = 3 $ )\n"
        "      |           ^ write money with its currency code: 12.50 EUR\n"
        "t.rules:5:19: error[E0102]: missing `)` before `param`\n"
        "    5 | output o: int = (1\n"
        "      |                   ^\n"
        "t.rules:6:10: error[E0101]: unexpected `5`; expected a type\n"
        "    6 | param p: 5\n"
        "      |          ^\n");
}

TEST_CASE("syntax errors return no AST but leave other files' diagnostics alone", "[syntax][diag]") {
  auto parsed = regelwerk::test::parseText("ruleset t\nlet x = \n");
  CHECK_FALSE(parsed->ruleset);
  CHECK(parsed->diags.errorCount() == 1);
  CHECK(parsed->diags.all()[0].code == "E0101");
  CHECK(parsed->diags.all()[0].loc == regelwerk::Location{1, 2, 8});
}
