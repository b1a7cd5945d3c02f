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

TEST_CASE("dumpAst prints the per block, the each, fold and ledger blocks and the distributions", "[syntax][dump]") {
  auto parsed = regelwerk::test::parseText(R"RULES(ruleset payments
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
input Payment key debtor_id many order by payment_id
  debtor_id: int
  payment_id: int
  amount: int
per debtor_id as Debtor
  fold Payment as Allocation when amount > 0
    ledger Claim
      state open: int = 10
      distribute amount over Claim amount open ties claim_id into paid rest left
    end
    output left: int = left
  end
  each Claim
    let x = open
  end
end
)RULES");
  INFO(parsed->rendered());
  REQUIRE(parsed->ruleset);
  CHECK(regelwerk::ast::dumpAst(*parsed->ruleset) ==
        R"DUMP((ruleset payments @1:9
  (input Claim @2:7
    (field debtor_id int @3:3)
    (field claim_id int @4:3))
  (input Payment @5:7
    (field debtor_id int @6:3)
    (field payment_id int @7:3)
    (field amount int @8:3))
  (let x @18:9 = open in block 2)
  (state open int @12:13 = 10 in block 1)
  (output left int @15:12 = left in block 0)
  (per debtor_id as Debtor @9:1)
  (block 0 fold Payment as Allocation when (> amount 0) @10:3)
  (block 1 ledger Claim of block 0 @11:5)
  (block 2 each Claim @17:3)
  (distribute amount over Claim amount open tie claim_id into paid rest left in block 1 @13:7))
)DUMP");
}
