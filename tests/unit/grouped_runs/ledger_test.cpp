// `ledger X ... end` in a fold (docs/language.md, "States per record: `ledger`") through the real
// `regelwerk` binary on both engines: states per record of another input carried across the fold's
// steps, read after the fold in aggregates and `each` blocks, in a fold over records and over a range;
// a failing record of a step rejects the whole group, naming the record and the step.
// Every expected file is worked out by hand from the rules and the calendar.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/unit/grouped_runs/scratch.hpp"

namespace {

namespace fs = std::filesystem;

using testing_run = regelwerk::testing::CommandResult;
using regelwerk::testing::grouped::caseName;
using regelwerk::testing::grouped::read;
using regelwerk::testing::grouped::scratch;
using regelwerk::testing::grouped::startCase;
using regelwerk::testing::grouped::write;

using regelwerk::testing::grouped::contains;

using regelwerk::testing::grouped::forEveryEngine;

// Interest per claim at the rate of the event before: at each rate event, every claim accrues
// principal × rate × days since it was last counted (from its `since`), then the new rate applies.
const char* const kAccrualRules = R"(ruleset accrual
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  principal: int
  since: date
input Event key debtor_id many order by on, event_id
  debtor_id: int
  event_id: int
  on: date
  rate: int
per debtor_id as Debtor
  fold Event as Step
    state rate_before: int = 0
    ledger Claim
      state accrued: int = 0
      state counted_to: date = since
      let span = on - counted_to
      decide first
        rule accrue when on > counted_to then accrued = accrued + principal * rate_before * int(span / 1 days, down), counted_to = on
      end
    end
    decide first
      rule next then rate_before = rate
    end
    output event_id: int = event_id
  end
  output total: int = sum(accrued over Claim)
  output over_100: int = count(Claim where accrued > 100)
  each Claim as ClaimState
    output claim_id: int = claim_id
    output accrued: int = accrued
    output counted_to: date = counted_to
  end
end
)";

// Dunning over time: one step per day, and per claim a letter level that rises 14 days after its due
// date and 14 days after each letter, up to 3; a row per letter (`ledger Claim as Letter when letter`).
const char* const kDunningRules = R"(ruleset dunning
input Debtor key debtor_id
  debtor_id: int
  start: date
  as_of: date
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  due: date
per debtor_id as Letters
  fold day in start..as_of
    ledger Claim as Letter when letter
      state level: int = 0
      state last_letter: date? = missing
      let letter = (level == 0 and day >= due + 14 days) or (level in 1..2 and day >= (last_letter ?? day) + 14 days)
      decide first
        rule send when letter then level = level + 1, last_letter = day
      end
      output claim_id: int = claim_id
      output sent: date = day
      output letter_level: int = level + 1
    end
  end
  output debtor_id: int = debtor_id
  output letters: int = sum(level over Claim)
  each Claim as ClaimLevel
    output claim_id: int = claim_id
    output level: int = level
    output last_letter: date? = last_letter
  end
end
)";

// The inputs of the payment rule sets below: a debtor's claims and payments (kPoolAggregateRules adds
// a field to Payment).
const std::string kClaimAndPaymentInputs = R"(input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  principal: int
  rank: int
input Payment key debtor_id many order by paid_on, payment_id
  debtor_id: int
  payment_id: int
  paid_on: date
  amount: int
)";

// C1-R7's shape: each payment shared over the debtor's claims by rank (lower first), equal ranks pro
// rata by the largest remainder, ties by claim id; what no claim takes is the step's rest. The fold
// counts the claims at every step and sums what they still owe after it (the ledger's states after the
// step).
const std::string kPaymentRules = "ruleset payments\n" + kClaimAndPaymentInputs + R"(per debtor_id as Debtor
  fold Payment as Allocation
    let claims = count(Claim)
    let owed = sum(open over Claim)
    ledger Claim
      state open: int = principal
      distribute amount over Claim amount open by rank ties claim_id into paid rest unapplied
      decide first
        rule pay then open = open - paid
      end
    end
    output payment_id: int = payment_id
    output claims: int = claims
    output owed_after: int = owed
    output unapplied: int = unapplied
  end
  output open_total: int = sum(open over Claim)
  each Claim as ClaimState
    output claim_id: int = claim_id
    output open: int = open
  end
end
)";

// Aggregates in a ledger: per claim and day, whether one of its disputes is open (a lookup into
// another input by the claim's id), and the payments of the day designated to it, which put it first in
// the day's distribution; a row when a letter goes out or a pause begins.
const char* const kDisputeRules = R"(ruleset paused
input Debtor key debtor_id
  debtor_id: int
  start: date
  as_of: date
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  due: date
  open: int
input Dispute key debtor_id many order by claim_id, opened
  debtor_id: int
  claim_id: int
  opened: date
  resolved: date?
input Payment key debtor_id many order by paid_on, payment_id
  debtor_id: int
  payment_id: int
  paid_on: date
  amount: int
  designated: int?
per debtor_id as Letters
  fold day in start..as_of
    let paid_today = sum(amount over Payment where paid_on == day)
    ledger Claim as Event when letter or pause_begins
      state level: int = 0
      state last_letter: date? = missing
      state paused_days: int = 0
      state owed: int = open
      let cid = claim_id
      let disputed = exists(Dispute where claim_id == cid and opened <= day and (resolved ?? 9999-12-31) > day)
      let pause_begins = exists(Dispute where claim_id == cid and opened == day)
      let designated_today = sum(amount over Payment where paid_on == day and (designated ?? -1) == cid)
      let first = if designated_today > 0 then 0 else 1
      distribute paid_today over Claim amount owed by first ties claim_id into paid rest unapplied
      let letter = not disputed and ((level == 0 and day >= due + 14 days) or (level in 1..2 and day >= (last_letter ?? day) + 14 days))
      decide first
        rule send when letter then level = level + 1, last_letter = day, owed = owed - paid
        rule pause when disputed then paused_days = paused_days + 1, owed = owed - paid
        rule pay then owed = owed - paid
      end
      output claim_id: int = claim_id
      output on: date = day
      output what: string = if letter then "letter" else "pause"
      output disputes: int = count(Dispute where claim_id == cid)
    end
  end
  output debtor_id: int = debtor_id
  each Claim as ClaimLevel
    output claim_id: int = claim_id
    output level: int = level
    output paused_days: int = paused_days
    output owed: int = owed
  end
end
)";

// A ledger let that overflows for claim 2, read by an aggregate over Dispute: the triple that fails
// names the dispute, the claim and the step.
const char* const kLookupFailureRules = R"(ruleset e
input Debtor key debtor_id
  debtor_id: int
  start: date
  as_of: date
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  open: int
input Dispute key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  amt: int
per debtor_id as Out
  fold day in start..as_of
    ledger Claim
      state owed: int = open
      let cid = claim_id
      let big = owed * 1000000000000000000
      let n = count(Dispute where claim_id == cid and amt < big)
      decide first
        rule r then owed = owed + n
      end
    end
  end
  output debtor_id: int = debtor_id
end
)";

// C1-R7's designated payment: the claim it names takes what it owes first (`taken`, per record before
// the sharing), and the pool is what the payment leaves (`amount - sum(taken over Claim)`, an aggregate
// of the ledger's records in the pool), shared over the rest by rank.
const std::string kPoolAggregateRules = "ruleset pooled\n" + kClaimAndPaymentInputs + R"(  designated: int?
per debtor_id as Debtor
  fold Payment as Allocation
    ledger Claim
      state open: int = principal
      let cid = claim_id
      let designated_here = if (designated ?? -1) == cid then amount else 0
      let taken = min(designated_here, open)
      distribute amount - sum(taken over Claim) over Claim amount open - taken by rank ties claim_id into paid rest unapplied
      decide first
        rule pay then open = open - taken - paid
      end
    end
    output payment_id: int = payment_id
    output unapplied: int = unapplied
  end
  each Claim as ClaimState
    output claim_id: int = claim_id
    output open: int = open
  end
end
)";

// A pool aggregate over a let that overflows: the shares program's failure rejects the group.
const std::string kPoolFailureRules = "ruleset pooled\n" + kClaimAndPaymentInputs + R"(per debtor_id as Debtor
  fold Payment as Allocation
    ledger Claim
      state open: int = principal
      let big = open * 1000000000000000000
      distribute amount - sum(big over Claim) over Claim amount open by rank ties claim_id into paid rest unapplied
      decide first
        rule pay then open = open - paid
      end
    end
    output payment_id: int = payment_id
  end
end
)";

}  // namespace

// Debtor 1: claim 1 (10 from 01-01) and claim 2 (20 from 01-05). Event 1 (01-03) applies rate 0: claim
// 1 accrues 0 and is counted to 01-03; claim 2 is not yet running. Event 2 (01-10) at rate 1: claim 1
// accrues 10 × 1 × 7 = 70, claim 2 20 × 1 × 5 = 100. Debtor 2: claim 3 (5 from 02-01); event 3 (02-02)
// at rate 0, event 4 (02-05) at rate 3: 5 × 3 × 3 = 45. Debtor 3's claim overflows at its second event.
TEST_CASE("ledger: states per record of another input across a fold's steps, read after the fold", "[groups][ledger]") {
  caseName() = "ledger_accrual";
  fs::remove_all(scratch());
  write("accrual.rules", kAccrualRules);
  write("claims.csv",
        "debtor_id,claim_id,principal,since\n1,1,10,2024-01-01\n1,2,20,2024-01-05\n2,3,5,2024-02-01\n"
        "3,4,9223372036854775807,2024-03-01\n");
  write("events.csv",
        "debtor_id,event_id,on,rate\n1,1,2024-01-03,1\n1,2,2024-01-10,2\n2,3,2024-02-02,3\n2,4,2024-02-05,1\n"
        "3,5,2024-03-02,2\n3,6,2024-03-04,1\n");
  forEveryEngine("accrual.rules --input Claim=claims.csv --input Event=events.csv --output Debtor=out_debtors.csv "
                 "--output ClaimState=out_claims.csv --output Step=out_steps.csv --rejects out_rejects.csv",
                 {"out_debtors.csv", "out_claims.csv", "out_steps.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_debtors.csv") == "total,over_100\n170,0\n45,0\n");
                   CHECK(read("out_claims.csv") ==
                         "claim_id,accrued,counted_to\n1,70,2024-01-10\n2,100,2024-01-10\n3,45,2024-02-05\n");
                   CHECK(read("out_steps.csv") == "event_id\n1\n2\n3\n4\n");
                   const std::string reason =
                       "claims.csv:5, at the step events.csv:7: accrual.rules:20:77 rule accrue (output accrued): the exact "
                       "result does not fit in 64 bits (overflow)";
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n"
                                                    "Claim,5,,\"" + reason + "\",\"3,4,9223372036854775807,2024-03-01\"\n"
                                                    "Event,6,,\"" + reason + "\",\"3,5,2024-03-02,2\"\n"
                                                    "Event,7,,\"" + reason + "\",\"3,6,2024-03-04,1\"\n");
                   CHECK(contains(result.output, "Claim            rows in 4 = rows out 3 + rows rejected 1"));
                 });
}

// Debtor 1 (2026-01-01 .. 02-28): claim 1 due 01-01 gets letters on 01-15, 01-29 and 02-12 (level 3, no
// fourth); claim 2 due 02-01 gets its first on 02-15 (the second would be 03-01, after as_of). Debtor 2
// (03-01 .. 03-10): claim 3 due 03-01 would get its first on 03-15: none. Debtor 3 has no claim.
TEST_CASE("ledger: per-record states in a fold over a range of days, a row per letter (dunning over time)", "[groups][ledger]") {
  caseName() = "ledger_dunning";
  fs::remove_all(scratch());
  write("dunning.rules", kDunningRules);
  write("debtors.csv", "debtor_id,start,as_of\n1,2026-01-01,2026-02-28\n2,2026-03-01,2026-03-10\n3,2026-01-01,2026-01-02\n");
  write("claims.csv", "debtor_id,claim_id,due\n1,1,2026-01-01\n1,2,2026-02-01\n2,3,2026-03-01\n");
  forEveryEngine("dunning.rules --input Debtor=debtors.csv --input Claim=claims.csv --output Letters=out_letters.csv "
                 "--output ClaimLevel=out_levels.csv --output Letter=out_letter_rows.csv",
                 {"out_letters.csv", "out_levels.csv", "out_letter_rows.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_letters.csv") == "debtor_id,letters\n1,4\n2,0\n3,0\n");
                   CHECK(read("out_levels.csv") == "claim_id,level,last_letter\n1,3,2026-02-12\n2,1,2026-02-15\n3,0,\n");
                   CHECK(read("out_letter_rows.csv") ==
                         "claim_id,sent,letter_level\n1,2026-01-15,1\n1,2026-01-29,2\n1,2026-02-12,3\n2,2026-02-15,1\n");
                 });
}

// Debtor 1: claim 1 (100, rank 1), claims 2 and 3 (50 each, rank 2). Payment 1 (80) goes to claim 1 (20
// left); payment 2 (60) pays claim 1's 20, then 40 over claims 2 and 3 pro rata: 20 each (30 left each);
// payment 3 (100) pays 30 + 30 and leaves 40 unapplied. Debtor 2: three claims of 10, rank 1, share a
// payment of 10: 10 × 10 / 30 = 3 each and one extra unit, equal remainders, to the lowest claim id.
// Debtor 3 has no claim: its payment is unapplied. Debtor 4's payment is negative: its group is
// rejected, naming the payment.
TEST_CASE("ledger: a distribution inside a step shares each payment over the ledger's records", "[groups][ledger]") {
  caseName() = "ledger_payments";
  fs::remove_all(scratch());
  write("payments.rules", kPaymentRules);
  write("claims.csv", "debtor_id,claim_id,principal,rank\n1,1,100,1\n1,2,50,2\n1,3,50,2\n2,4,10,1\n2,5,10,1\n2,6,10,1\n4,9,1,1\n");
  write("payments.csv",
        "debtor_id,payment_id,paid_on,amount\n1,1,2025-01-01,80\n1,2,2025-01-02,60\n1,3,2025-01-03,100\n2,4,2025-01-01,10\n"
        "3,5,2025-01-01,7\n4,7,2025-01-01,-5\n");
  forEveryEngine("payments.rules --input Claim=claims.csv --input Payment=payments.csv --output Debtor=out_debtors.csv "
                 "--output ClaimState=out_claims.csv --output Allocation=out_allocations.csv --rejects out_rejects.csv",
                 {"out_debtors.csv", "out_claims.csv", "out_allocations.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_debtors.csv") == "open_total\n0\n20\n0\n");
                   CHECK(read("out_claims.csv") == "claim_id,open\n1,0\n2,0\n3,0\n4,6\n5,7\n6,7\n");
                   // `claims`: a step aggregate beside the rest column; `owed_after`: the ledger's states after the step
                   CHECK(read("out_allocations.csv") ==
                         "payment_id,claims,owed_after,unapplied\n1,3,120,0\n2,3,60,0\n3,3,0,40\n4,3,20,0\n5,0,0,7\n");
                   const std::string reason =
                       "payments.csv:7: payments.rules:18:7: distribute: the amount or a claim is negative (both must be >= 0)";
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n"
                                                    "Claim,8,," + reason + ",\"4,9,1,1\"\n"
                                                    "Payment,7,," + reason + ",\"4,7,2025-01-01,-5\"\n");
                 });
}

// A rule set that uses std.interest.debtor (a grouped module with a ledger and a distribution, whose
// functions call std.interest's) and adds an output of its own: DOMAIN.md D5 (3,650.00, FID 2025-06-01,
// 1,000.00 paid on 06-11: 7.27 interest crystallised, 2,657.27 principal left, 10.59 more by 07-01).
TEST_CASE("ledger: a rule set uses a module with a ledger and adds its own output", "[groups][ledger]") {
  caseName() = "ledger_module";
  fs::remove_all(scratch());
  write("balances.rules", "ruleset balances\nuse std.interest.debtor\nper debtor_id\n  output payments: int = count(Payment)\nend\n");
  write("debtors.csv", "debtor_id,debtor_consumer,as_of\n1,true,2025-07-01\n");
  write("claims.csv",
        "debtor_id,claim_id,principal,claim_type,creditor_consumer,contract_date,continuing_obligation,due_date,"
        "due_by_calendar,invoice_received,consumer_notice_on_invoice,first_letter_sent,collection_costs,"
        "collection_costs_incurred\n1,1,3650.00,entgelt,false,2024-01-01,false,2025-05-31,true,,false,,0.00,\n");
  write("payments.csv", "debtor_id,payment_id,paid_on,amount,designated_claim_id\n1,1,2025-06-11,1000.00,\n");
  forEveryEngine("balances.rules --input Debtor=debtors.csv --input Claim=claims.csv --input Payment=payments.csv "
                 "--output DebtorBalance=out_debtors.csv --output ClaimBalance=out_claims.csv --output Allocation=out_allocations.csv",
                 {"out_debtors.csv", "out_claims.csv", "out_allocations.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_debtors.csv") == "payments,debtor_id,claims,paid,open_principal\n1,1,1,1000.00,2657.27\n");
                   CHECK(read("out_claims.csv") ==
                         "debtor_id,claim_id,open_principal,open_interest,open_costs,open_total\n1,1,2657.27,10.59,0.00,2667.86\n");
                   CHECK(read("out_allocations.csv") == "debtor_id,payment_id,paid_on,amount,known,unapplied\n1,1,2025-06-11,1000.00,true,0.00\n");
                 });
}

// Debtor 1 (2026-01-01 .. 02-28): payment 1 (30 on 01-05) is designated to claim 2, which owes 50: it
// takes all 30 (20 left). Payment 2 (30 on 01-06) is not designated: claims 1 (100) and 2 (20) share it
// pro rata, 25 and 5 (75 and 15 left). Claim 2's first dispute runs 01-10 .. 01-19 (resolved 01-20), so
// its first letter, due on 01-15, goes out on 01-20; its second (02-03) waits for the dispute opened
// 02-01, which is never resolved: paused 10 + 28 days. Claim 1 has no dispute: letters 01-15, 01-29 and
// 02-12. Debtor 2 (03-01 .. 03-10): claim 3's first letter would be on 03-15.
TEST_CASE("ledger: aggregates in a ledger look up another input per record and step", "[groups][ledger]") {
  caseName() = "ledger_aggregates";
  fs::remove_all(scratch());
  write("paused.rules", kDisputeRules);
  write("debtors.csv", "debtor_id,start,as_of\n1,2026-01-01,2026-02-28\n2,2026-03-01,2026-03-10\n");
  write("claims.csv", "debtor_id,claim_id,due,open\n1,1,2026-01-01,100\n1,2,2026-01-01,50\n2,3,2026-03-01,10\n");
  write("disputes.csv", "debtor_id,claim_id,opened,resolved\n1,2,2026-01-10,2026-01-20\n1,2,2026-02-01,\n");
  write("payments.csv", "debtor_id,payment_id,paid_on,amount,designated\n1,1,2026-01-05,30,2\n1,2,2026-01-06,30,\n");
  forEveryEngine("paused.rules --input Debtor=debtors.csv --input Claim=claims.csv --input Dispute=disputes.csv --input Payment=payments.csv "
                 "--output Letters=out_debtors.csv --output ClaimLevel=out_claims.csv --output Event=out_events.csv",
                 {"out_debtors.csv", "out_claims.csv", "out_events.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_debtors.csv") == "debtor_id\n1\n2\n");
                   CHECK(read("out_claims.csv") == "claim_id,level,paused_days,owed\n1,3,0,75\n2,1,38,15\n3,0,0,10\n");
                   CHECK(read("out_events.csv") ==
                         "claim_id,on,what,disputes\n2,2026-01-10,pause,2\n1,2026-01-15,letter,0\n2,2026-01-20,letter,2\n"
                         "1,2026-01-29,letter,0\n2,2026-02-01,pause,2\n1,2026-02-12,letter,0\n");
                   CHECK(contains(result.output, "Dispute          rows in 2 = rows out 2 + rows rejected 0"));
                 });
}

// Debtor 1: the aggregate over claim 1's dispute runs for claim 2's pair too (its filter reads `big`,
// which overflows for claim 2's 10): the reason names the dispute, claim 2 and the step. Debtor 2 has no
// dispute: the ledger's own program fails, naming the claim and the step.
TEST_CASE("ledger: a failing value read by an aggregate in a ledger names both records and the step", "[groups][ledger]") {
  caseName() = "ledger_lookup_failure";
  fs::remove_all(scratch());
  write("e.rules", kLookupFailureRules);
  write("d.csv", "debtor_id,start,as_of\n1,2026-01-01,2026-01-02\n2,2026-01-01,2026-01-02\n");
  write("c.csv", "debtor_id,claim_id,open\n1,1,1\n1,2,10\n2,3,10\n");
  write("disp.csv", "debtor_id,claim_id,amt\n1,1,5\n");
  forEveryEngine("e.rules --input Debtor=d.csv --input Claim=c.csv --input Dispute=disp.csv --output out.csv --rejects rejects.csv",
                 {"out.csv", "rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   const std::string overflow = "e.rules:19:22 (let big): the exact result does not fit in 64 bits (overflow)";
                   CHECK(contains(read("rejects.csv"), "disp.csv:2 with c.csv:3, at the step `debtor_id` 1, `day` = 2026-01-01: " + overflow));
                   CHECK(contains(read("rejects.csv"), "c.csv:4, at the step `debtor_id` 2, `day` = 2026-01-01: " + overflow));
                 });
}

// Claims 1 (100, rank 1), 2 and 3 (50 each, rank 2). Payment 1 (30) names claim 3: it takes 30 (20 left),
// the pool is 0. Payment 2 (60) names claim 3 again: it takes its 20, the pool of 40 goes to claim 1
// (rank 1): 60 left. Payment 3 (100, none named): claim 1's 60, then 40 to claim 2 (claim 3 owes 0): 10.
TEST_CASE("ledger: a distribution's pool aggregates the ledger's records before the sharing", "[groups][ledger]") {
  caseName() = "ledger_pool_aggregate";
  fs::remove_all(scratch());
  write("pooled.rules", kPoolAggregateRules);
  write("claims.csv", "debtor_id,claim_id,principal,rank\n1,1,100,1\n1,2,50,2\n1,3,50,2\n");
  write("payments.csv", "debtor_id,payment_id,paid_on,amount,designated\n1,1,2025-01-01,30,3\n1,2,2025-01-02,60,3\n1,3,2025-01-03,100,\n");
  forEveryEngine("pooled.rules --input Claim=claims.csv --input Payment=payments.csv --output Allocation=out_allocations.csv "
                 "--output ClaimState=out_claims.csv",
                 {"out_allocations.csv", "out_claims.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_allocations.csv") == "payment_id,unapplied\n1,0\n2,0\n3,0\n");
                   CHECK(read("out_claims.csv") == "claim_id,open\n1,0\n2,10\n3,0\n");
                 });
}

// `big` overflows for claim 1 at the first step: the group is rejected naming the claim and the step
// (the pool aggregate carries no program of its own; its values are the shares program's).
TEST_CASE("ledger: a failing value of a pool aggregate rejects the group, naming the record and the step", "[groups][ledger]") {
  caseName() = "ledger_pool_failure";
  fs::remove_all(scratch());
  write("pooled.rules", kPoolFailureRules);
  write("claims.csv", "debtor_id,claim_id,principal,rank\n1,1,100,1\n1,2,50,2\n");
  write("payments.csv", "debtor_id,payment_id,paid_on,amount\n1,1,2025-01-01,30\n");
  forEveryEngine("pooled.rules --input Claim=claims.csv --input Payment=payments.csv --output out.csv --rejects rejects.csv",
                 {"out.csv", "rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(contains(read("rejects.csv"),
                                  "claims.csv:2, at the step payments.csv:2: pooled.rules:16:22 (let big): the exact result does not fit in 64 bits (overflow)"));
                   CHECK(contains(result.output, "Payment          rows in 1 = rows out 0 + rows rejected 1"));
                 });
}

// A ledger's final states read by later folds, in aggregates over its input: per loan, what all its
// securities received over the assets (a fold's step aggregate), and per claim the shortfall of the
// loan it names (an aggregate in a later fold's ledger over another input).
const char* const kLoanRules = R"(ruleset loans
input Estate key estate_id
  estate_id: int
input Asset key estate_id many order by asset_no
  estate_id: int
  asset_no: int
  proceeds: int
input Security key estate_id many order by asset_no, loan_no
  estate_id: int
  loan_no: int
  asset_no: int
  amount: int
input Claim key estate_id many order by claim_no
  estate_id: int
  claim_no: int
  loan: int?
  amount: int
per estate_id as Totals
  fold Asset
    let a = asset_no
    ledger Security
      state got: int = 0
      distribute proceeds over Security amount (if asset_no == a then amount else 0) by loan_no ties asset_no into now rest left
      decide first
        rule take then got = got + now
      end
    end
  end
  fold Security as LoanRow
    let l = loan_no
    let loan_got = sum(got over Security where loan_no == l)
    output loan_no: int = loan_no
    output asset_no: int = asset_no
    output loan_got: int = loan_got
  end
  fold once in 1..1
    ledger Claim as Due
      state seen: int = 0
      let sl = loan ?? -1
      let short = sum(amount - got over Security where loan_no == sl)
      output claim_no: int = claim_no
      output owed: int = if loan is missing then amount else short
    end
  end
  output estate_id: int = estate_id
  output got_total: int = sum(got over Security)
end
)";

TEST_CASE("ledger: later folds aggregate a ledger's final states, in their steps and in their ledgers", "[groups][ledger]") {
  startCase("ledger_later_folds");
  write("loans.rules", kLoanRules);
  write("estates.csv", "estate_id\n1\n2\n");
  write("assets.csv", "estate_id,asset_no,proceeds\n1,1,100\n1,2,30\n2,1,5\n");
  write("securities.csv", "estate_id,loan_no,asset_no,amount\n1,1,1,80\n1,2,1,50\n1,1,2,80\n2,1,1,10\n");
  write("claims.csv", "estate_id,claim_no,loan,amount\n1,1,,40\n1,2,1,0\n1,3,2,0\n2,1,1,0\n");
  // Estate 1: asset 1 (100) pays loan 1's security 80 and loan 2's 20 (by loan_no); asset 2 (30) pays
  // loan 1's second security 30. Loan 1 received 110 of 80 + 80 secured (short 50), loan 2 20 of 50
  // (short 30). Estate 2: 5 of 10 (short 5).
  forEveryEngine("loans.rules --input Estate=estates.csv --input Asset=assets.csv --input Security=securities.csv "
                 "--input Claim=claims.csv --output Totals=out_totals.csv --output LoanRow=out_loans.csv --output Due=out_due.csv",
                 {"out_totals.csv", "out_loans.csv", "out_due.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_totals.csv") == "estate_id,got_total\n1,130\n2,5\n");
                   CHECK(read("out_loans.csv") == "loan_no,asset_no,loan_got\n1,1,110\n2,1,20\n1,2,110\n1,1,5\n");
                   CHECK(read("out_due.csv") == "claim_no,owed\n1,40\n2,50\n3,30\n1,5\n");
                 });
}

// A group distribution whose amount is a ledger state: it shares the states' final values (a claim
// without an amount claims 10 × its number, set in a fold), by rank, then by claim number.
TEST_CASE("ledger: a group distribution's amount may be a ledger state, read after the folds", "[groups][ledger]") {
  startCase("ledger_distribution_amount");
  write("claimed.rules", R"(ruleset claimed
input Estate key estate_id
  estate_id: int
  pool: int
input Claim key estate_id many order by claim_no
  estate_id: int
  claim_no: int
  amount: int?
  rank: int
per estate_id as Totals
  fold once in 1..1
    ledger Claim
      state claimed: int = amount ?? 0
      decide first
        rule computed when amount is missing then claimed = 10 * claim_no
      end
    end
  end
  distribute pool over Claim amount claimed by rank ties claim_no into paid rest left
  output estate_id: int = estate_id
  output left: int = left
  each Claim as Payout
    output claim_no: int = claim_no
    output claimed: int = claimed
    output paid: int = paid
  end
end
)");
  write("estates.csv", "estate_id,pool\n1,35\n2,100\n");
  write("claims.csv", "estate_id,claim_no,amount,rank\n1,1,,1\n1,2,5,1\n1,3,,2\n2,1,,1\n");
  // Estate 1: rank 1 claims 10 and 5 are paid in full, rank 2's 30 gets the 20 left; estate 2: 10 of 100.
  forEveryEngine("claimed.rules --input Estate=estates.csv --input Claim=claims.csv --output Totals=out_totals.csv "
                 "--output Payout=out_payouts.csv",
                 {"out_totals.csv", "out_payouts.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_totals.csv") == "estate_id,left\n1,0\n2,90\n");
                   CHECK(read("out_payouts.csv") == "claim_no,claimed,paid\n1,10,10\n2,5,5\n3,30,20\n1,10,10\n");
                 });
}

// A step aggregate that fails names the aggregated record and the step (as a ledger's aggregate does).
TEST_CASE("fold: a failing step aggregate names its record and its step", "[groups]") {
  startCase("step_aggregate_failure");
  write("stepfail.rules", R"(ruleset stepfail
input Claim key debtor_id many order by claim_id
  debtor_id: int
  claim_id: int
  amount: int
input Payment key debtor_id many order by payment_id
  debtor_id: int
  payment_id: int
  factor: int
per debtor_id as Debtor
  fold Payment as Step
    let scaled = sum(amount * factor over Claim)
    output payment_id: int = payment_id
    output scaled: int = scaled
  end
  output debtor_id: int = debtor_id
end
)");
  write("claims.csv", "debtor_id,claim_id,amount\n1,1,5\n2,2,4611686018427387904\n");
  write("payments.csv", "debtor_id,payment_id,factor\n1,1,2\n2,2,1\n2,3,2\n");
  // Debtor 2's second payment doubles 2^62: the pair of claims.csv:3 and payments.csv:4 overflows.
  forEveryEngine("stepfail.rules --input Claim=claims.csv --input Payment=payments.csv --output Debtor=out_debtors.csv "
                 "--output Step=out_steps.csv --rejects out_rejects.csv",
                 {"out_debtors.csv", "out_steps.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_debtors.csv") == "debtor_id\n1\n");
                   CHECK(read("out_steps.csv") == "payment_id,scaled\n1,10\n");
                   CHECK(contains(read("out_rejects.csv"), "\"claims.csv:3, at the step payments.csv:4: stepfail.rules:12:29 "
                                                            "(aggregate): the exact result does not fit in 64 bits (overflow)\""));
                 });
}
