// Checker results: the logical type and scale of expressions, name resolution, and which
// diagnostic codes a construct gets.
#include <catch2/catch.hpp>

#include "compile_text.hpp"

namespace regelwerk::test {

using ir::TypeKind;

static const char* const kFields = R"(  amount: money
  paid: money
  rate: percent
  ratio: decimal(4)
  level: int
  due_date: date
  last: date?
  kind: enum(consumer, business))";

static void requireType(const sema::ExprInfo& info, TypeKind kind, int scale) {
  CHECK_FALSE(info.failed);
  CHECK(info.type.kind == kind);
  CHECK(info.type.scale == scale);
}

TEST_CASE("literals carry their scale", "[sema][types]") {
  auto compiled = compileWith(kFields,
                              "let d = 1.5\nlet p = 1.27%\nlet q = 5%\nlet m = 5 EUR\nlet n = 12.50 EUR\n"
                              "let t = 14 days\nlet s = \"x\"\noutput o: int = 0");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  requireType(compiled->letValue("d"), TypeKind::Decimal, 1);
  requireType(compiled->letValue("p"), TypeKind::Percent, 4);
  requireType(compiled->letValue("q"), TypeKind::Percent, 2);
  requireType(compiled->letValue("m"), TypeKind::Money, 0);
  requireType(compiled->letValue("n"), TypeKind::Money, 2);
  requireType(compiled->letValue("t"), TypeKind::Days, 0);
  CHECK(compiled->letValue("m").type.currency == "EUR");
}

TEST_CASE("declared types: money 2, percent fraction 6, decimal alone 2", "[sema][types]") {
  auto compiled = compileWith("  a: money\n  b: percent\n  c: decimal\n  e: decimal(7)", "output o: int = 0");
  REQUIRE(compiled->program);
  CHECK(compiled->typed.fields[0].type.scale == 2);
  CHECK(compiled->typed.fields[1].type.scale == 6);
  CHECK(compiled->typed.fields[2].type.scale == 2);
  CHECK(compiled->typed.fields[3].type.scale == 7);
}

TEST_CASE("exact arithmetic: + widens, * adds scales", "[sema][types]") {
  auto compiled = compileWith(kFields,
                              "let open = amount - paid\nlet wide = amount + amount * rate\n"
                              "let product = amount * rate\nlet mixed = level + ratio\nlet scaled = ratio * ratio\n"
                              "let interval = due_date - due_date\nlet later = due_date + 14 days\n"
                              "let days_times = 14 days * 2\noutput o: int = 0");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  requireType(compiled->letValue("open"), TypeKind::Money, 2);
  requireType(compiled->letValue("product"), TypeKind::Money, 8);
  requireType(compiled->letValue("wide"), TypeKind::Money, 8);
  requireType(compiled->letValue("mixed"), TypeKind::Decimal, 4);
  requireType(compiled->letValue("scaled"), TypeKind::Decimal, 8);
  requireType(compiled->letValue("interval"), TypeKind::Days, 0);
  requireType(compiled->letValue("later"), TypeKind::Date, 0);
  requireType(compiled->letValue("days_times"), TypeKind::Days, 0);
}

TEST_CASE("quotients remember numerator and denominator scales", "[sema][types]") {
  auto compiled = compileWith(kFields,
                              "let q = round(amount * rate * ((due_date - due_date) / 365 days), 2)\n"
                              "let r = round(amount / ratio, 2)\nlet p = round(rate / 3, 1)\noutput o: int = 0");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  const ast::Expr& q = compiled->letExpr("q");
  const sema::ExprInfo& inner = compiled->typed.info(*q.args[0]);
  CHECK(inner.quotient);
  CHECK(inner.num_scale == 8);
  CHECK(inner.den_scale == 0);
  CHECK(inner.type.kind == TypeKind::Money);
  requireType(compiled->letValue("q"), TypeKind::Money, 2);
  const sema::ExprInfo& by_ratio = compiled->typed.info(*compiled->letExpr("r").args[0]);
  CHECK(by_ratio.num_scale == 2);
  CHECK(by_ratio.den_scale == 4);
  // round of a percent counts percent places: 1 place of percent is fraction scale 3.
  requireType(compiled->letValue("p"), TypeKind::Percent, 3);
}

TEST_CASE("a bare enum member takes its enum from the other side, a let its own name elsewhere", "[sema][names]") {
  auto compiled = compileWith(kFields,
                              "let consumer = kind == consumer\nlet again = consumer == true\n"
                              "output o: bool = if consumer then true else false");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  const ast::Expr& compare = compiled->letExpr("consumer");
  CHECK(compiled->typed.symbol(*compare.args[0]).kind == sema::SymbolKind::Field);
  CHECK(compiled->typed.symbol(*compare.args[1]).kind == sema::SymbolKind::EnumMember);
  CHECK(compiled->typed.symbol(*compare.args[1]).index == 0);
  const ast::Expr& again = compiled->letExpr("again");
  CHECK(compiled->typed.symbol(*again.args[0]).kind == sema::SymbolKind::Let);
}

TEST_CASE("member on the left is resolved from the right", "[sema][names]") {
  auto compiled = compileWith(kFields, "let b = business == kind\nlet c = kind in (business, consumer)\noutput o: int = 0");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  const ast::Expr& compare = compiled->letExpr("b");
  CHECK(compiled->typed.symbol(*compare.args[0]).kind == sema::SymbolKind::EnumMember);
  CHECK(compiled->typed.symbol(*compare.args[0]).index == 1);
}

TEST_CASE("optional values: ?? removes the optional, if keeps it", "[sema][types]") {
  auto compiled = compileWith(kFields,
                              "let a = last ?? due_date\nlet b = if level > 1 then last else due_date\n"
                              "let c = last is missing\noutput o: date? = b");
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  CHECK_FALSE(compiled->letValue("a").type.optional);
  CHECK(compiled->letValue("b").type.optional);
  CHECK(compiled->typed.lets[1].type.optional);
  CHECK(compiled->letValue("c").type.kind == TypeKind::Bool);
}

static std::vector<std::string> codesOf(const Compiled& compiled) {
  std::vector<std::string> codes;
  for (const Diagnostic& diag : compiled.diags.sorted()) codes.push_back(diag.code);
  return codes;
}

TEST_CASE("errors in domain words, with the fix after the caret", "[sema][diagnostics]") {
  auto compiled = compileWith(kFields, "output fee: money = 0.00 EUR\ndecide first\n  rule r then fee = 5\nend");
  std::vector<Diagnostic> diags = compiled->diags.sorted();
  REQUIRE(diags.size() == 1);
  const Diagnostic& diag = diags[0];
  CHECK(diag.code == "E0314");
  CHECK(diag.message == "`fee` is money but this value is an int");
  CHECK(diag.hint == "write 5.00 EUR");
  CHECK(diag.loc.col == 21);
}

TEST_CASE("one error per root cause: operands that failed silence their parents", "[sema][diagnostics]") {
  auto compiled = compileWith(kFields,
                              "let a = amount + nope\nlet b = a * 2 + a\nlet c = round(b / 2, 2)\n"
                              "output fee: money = c\noutput x: bool = a > 1.00 EUR and b < c");
  CHECK(codesOf(*compiled) == std::vector<std::string>{"E0201"});
  CHECK_FALSE(compiled->program);
}

TEST_CASE("scale and quotient rules", "[sema][diagnostics]") {
  CHECK(codesOf(*compileWith(kFields, "output fee: money = amount * rate")) == std::vector<std::string>{"E0306"});
  CHECK(codesOf(*compileWith(kFields, "output fee: money = amount / 2")) == std::vector<std::string>{"E0307"});
  CHECK(codesOf(*compileWith(kFields, "let x = (amount / 2) + amount\noutput o: int = 0")) ==
        std::vector<std::string>{"E0307"});
  CHECK(codesOf(*compileWith(kFields, "output fee: money = round(amount / 2, 2)")).empty());
  CHECK(codesOf(*compileWith(kFields, "let x = rate * rate * rate * rate\noutput o: int = 0")) ==
        std::vector<std::string>{"E0305"});
  CHECK(codesOf(*compileWith(kFields, "output fee: money = round(amount, 19)")) == std::vector<std::string>{"E0310"});
  CHECK(codesOf(*compileWith(kFields, "output fee: money = round(amount, 2, nearest)")) ==
        std::vector<std::string>{"E0311"});
}

TEST_CASE("optional values need ?? where a value is required", "[sema][diagnostics]") {
  CHECK(codesOf(*compileWith(kFields, "output d: date = last")) == std::vector<std::string>{"E0304"});
  CHECK(codesOf(*compileWith(kFields, "output d: date? = last")).empty());
  CHECK(codesOf(*compileWith(kFields, "output b: bool = last > due_date")) == std::vector<std::string>{"E0304"});
  CHECK(codesOf(*compileWith(kFields, "output b: bool = due_date is missing")) == std::vector<std::string>{"E0315"});
}

TEST_CASE("param defaults are literals of the param's type", "[sema][diagnostics]") {
  CHECK(codesOf(*compileWith(kFields, "param p: money = amount\noutput o: int = 0")) == std::vector<std::string>{"E0509"});
  CHECK(codesOf(*compileWith(kFields, "param p: money = 5\noutput o: int = 0")) == std::vector<std::string>{"E0314"});
  CHECK(codesOf(*compileWith(kFields, "param p: money = 1.005 EUR\noutput o: int = 0")) ==
        std::vector<std::string>{"E0306"});
  CHECK(codesOf(*compileWith(kFields, "param p: date? = 2026-01-01\noutput o: int = 0")) ==
        std::vector<std::string>{"E0318"});
  CHECK(codesOf(*compileWith(kFields, "param p: enum(low, high) = high\noutput o: int = 0")).empty());
}

TEST_CASE("decision checks", "[sema][diagnostics]") {
  const char* body = "output o: int = 0\ndecide exceptions\n  rule a overrides a then o = 1\nend";
  CHECK(codesOf(*compileWith(kFields, body)) == std::vector<std::string>{"E0405"});
  CHECK(codesOf(*compileWith(kFields, "output o: int = 0\ndecide unique\n  rule a when level then o = 1\nend")) ==
        std::vector<std::string>{"E0303"});
}

}  // namespace regelwerk::test
