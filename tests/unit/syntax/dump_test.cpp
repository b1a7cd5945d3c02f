// The `--dump=ast` format: stable text with positions for every declaration.
#include <catch2/catch.hpp>

#include "parse_helpers.hpp"

TEST_CASE("dumpAst prints every declaration with its position", "[syntax][dump]") {
  auto parsed = regelwerk::test::parseText(R"RULES(ruleset dunning
currency EUR
input Invoice
  amount: money from "amount_cents" format "cents"
  note: string?
param wait: days = 14 days
let open: money = amount - 0.00 EUR
output fee: money = 0.00 EUR format "cents"
decide exceptions
  rule r1 "§ 1" when wait > 3 days then fee = round(open * 1.5%, 2, mode: half_up)
  rule r2 overrides r1
end
)RULES");
  INFO(parsed->rendered());
  REQUIRE(parsed->ruleset);
  CHECK(regelwerk::ast::dumpAst(*parsed->ruleset) ==
        R"DUMP((ruleset dunning @1:9
  (currency EUR @2:1)
  (input Invoice @3:7
    (field amount money @4:3 from "amount_cents" format "cents")
    (field note string? @5:3))
  (param wait days @6:7 = (days 14))
  (let open money @7:5 = (- amount (money 0.00 EUR)))
  (output fee money @8:8 = (money 0.00 EUR) format "cents")
  (decide exceptions @9:1
    (rule r1 @10:8 "§ 1"
      (when (> wait (days 3)))
      (then (= fee (call round (* open (percent 1.5)) 2 mode:half_up))))
    (rule r2 @11:8 overrides (r1))))
)DUMP");
}

TEST_CASE("dumpExpr tags literals by kind and spells every operator", "[syntax][dump]") {
  using regelwerk::test::dumpLet;
  CHECK(dumpLet("a != b and c < d or e >= f") == "(or (and (!= a b) (< c d)) (>= e f))");
  CHECK(dumpLet("a <= b") == "(<= a b)");
  CHECK(dumpLet("x is not missing") == "(is-not-missing x)");
  CHECK(dumpLet("\"tab\\\\\"") == "\"tab\\\\\"");
}
