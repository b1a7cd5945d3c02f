// `fold v in LOW..HIGH` (docs/language.md, "A fold over a range") through the real `regelwerk` binary on
// both engines: one step per int or date in ascending order, a row per step (or, with `as R when c`,
// per step where c holds), the final states as group values, an empty range, a range too long, and
// errors in a bound or a step rejecting the whole group.
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
using regelwerk::testing::grouped::run;
using regelwerk::testing::grouped::scratch;
using regelwerk::testing::grouped::write;

using regelwerk::testing::grouped::contains;
using regelwerk::testing::grouped::forEveryEngine;

// Straight-line depreciation over the years of each asset's life, the last year taking the rest.
const char* const kAssetRules = R"(ruleset assets
input Asset key asset_id
  asset_id: int
  cost: int
  first_year: int
  life: int
per asset_id
  fold year in first_year..first_year + life - 1 as Schedule
    state booked: int = 0
    let amount = if year == first_year + life - 1 then cost - booked else int(cost / life, down)
    decide first
      rule step then booked = booked + amount
    end
    output asset_id: int = asset_id
    output year: int = year
    output amount: int = amount
  end
  output asset_id: int = asset_id
  output booked: int = booked
end
)";

// Nights from arrival to the night before leaving; Friday and Saturday nights cost 2000 more.
const char* const kStayRules = R"(ruleset stays
input Stay key guest_id
  guest_id: int
  arrive: date
  leave: date
  rate_cents: int
input Extra key guest_id many order by extra_id
  guest_id: int
  extra_id: int
  cents: int
per guest_id as Bill
  fold night in arrive..leave - 1 days as Night
    state weekend_nights: int = 0
    state total: int = 0
    let weekend = weekday(night) in 5..6
    let price = if weekend then rate_cents + 2000 else rate_cents
    decide first
      rule weekend when weekend then weekend_nights = weekend_nights + 1, total = total + price
      rule weekday then total = total + price
    end
    output guest_id: int = guest_id
    output night: date = night
    output price: int = price
  end
  output guest_id: int = guest_id
  output weekend_nights: int = weekend_nights
  output total: int = total + sum(cents over Extra)
end
)";

}  // namespace

// Asset 1: 1000 over 2020..2022 is 333, 333 and the rest 334; asset 2 has one year; asset 3 a life of 0
// (2022..2021: no step, nothing booked); asset 4's range has 200,000 years; asset 5's last year
// overflows while its bound is computed.
TEST_CASE("range fold: one step per int of the range, a row per step, the final state, empty and rejected ranges",
          "[groups][range]") {
  caseName() = "range_fold_ints";
  fs::remove_all(scratch());
  write("assets.rules", kAssetRules);
  write("assets.csv",
        "asset_id,cost,first_year,life\n1,1000,2020,3\n2,500,2021,1\n3,7,2022,0\n4,10,2000,200000\n"
        "5,1,9223372036854775807,2\n");
  forEveryEngine("assets.rules --input Asset=assets.csv --output assets=out_assets.csv --output Schedule=out_schedule.csv "
                 "--rejects out_rejects.csv",
                 {"out_assets.csv", "out_schedule.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_assets.csv") == "asset_id,booked\n1,1000\n2,500\n3,0\n");
                   CHECK(read("out_schedule.csv") == "asset_id,year,amount\n1,2020,333\n1,2021,333\n1,2022,334\n2,2021,500\n");
                   CHECK(read("out_rejects.csv") ==
                         "input,line,column,reason,record\n"
                         "Asset,5,,\"`asset_id` 4: the range 2000 .. 201999 of `fold year in` has 200000 values, more than "
                         "the 100000 a fold over a range may take; check its bounds\",\"4,10,2000,200000\"\n"
                         "Asset,6,,`asset_id` 5: assets.rules:8:39 (the range of `fold year in`): the exact result does not "
                         "fit in 64 bits (overflow),\"5,1,9223372036854775807,2\"\n");
                   CHECK(contains(result.output, "Asset            rows in 5 = rows out 3 + rows rejected 2"));
                 });
}

// 2026-01-01 is a Thursday; 2026-02-27 a Friday (2026 is no leap year: the stay runs into March).
// Guest 3's rate overflows on the Friday night, which names the step; guest 4 leaves the day it arrives.
TEST_CASE("range fold: one step per day between two dates, beside a many input, a failing step names its value",
          "[groups][range]") {
  caseName() = "range_fold_dates";
  fs::remove_all(scratch());
  write("stays.rules", kStayRules);
  write("stays.csv",
        "guest_id,arrive,leave,rate_cents\n1,2026-01-01,2026-01-04,10000\n2,2026-02-27,2026-03-02,5000\n"
        "3,2026-01-01,2026-01-03,9223372036854775000\n4,2026-05-05,2026-05-05,7000\n");
  write("extras.csv", "guest_id,extra_id,cents\n1,1,500\n1,2,250\n2,3,100\n3,4,1\n");
  forEveryEngine("stays.rules --input Stay=stays.csv --input Extra=extras.csv --output Bill=out_bill.csv "
                 "--output Night=out_nights.csv --rejects out_rejects.csv",
                 {"out_bill.csv", "out_nights.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_bill.csv") == "guest_id,weekend_nights,total\n1,2,34750\n2,2,19100\n4,0,0\n");
                   CHECK(read("out_nights.csv") ==
                         "guest_id,night,price\n1,2026-01-01,10000\n1,2026-01-02,12000\n1,2026-01-03,12000\n"
                         "2,2026-02-27,7000\n2,2026-02-28,7000\n2,2026-03-01,5000\n");
                   const std::string reason =
                       "`guest_id` 3, `night` = 2026-01-02: stays.rules:16:44 (let price): the exact result does not fit in "
                       "64 bits (overflow)";
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n"
                                                    "Stay,4,,\"" + reason + "\",\"3,2026-01-01,2026-01-03,9223372036854775000\"\n"
                                                    "Extra,5,,\"" + reason + "\",\"3,4,1\"\n");
                   CHECK(contains(result.output, "Stay             rows in 4 = rows out 3 + rows rejected 1"));
                   CHECK(contains(result.output, "Extra            rows in 4 = rows out 3 + rows rejected 1"));
                 });
}

// `as Night when weekend`: the same steps and states (the bill is unchanged), but rows for the Friday
// and Saturday nights only.
TEST_CASE("range fold: `as R when c` writes the rows of the steps where c holds, and every step still counts",
          "[groups][range]") {
  caseName() = "range_fold_rows_when";
  fs::remove_all(scratch());
  std::string rules = kStayRules;
  const std::string head = "fold night in arrive..leave - 1 days as Night";
  rules.replace(rules.find(head), head.size(), head + " when weekend");
  write("stays.rules", rules);
  write("stays.csv", "guest_id,arrive,leave,rate_cents\n1,2026-01-01,2026-01-04,10000\n2,2026-02-27,2026-03-02,5000\n");
  write("extras.csv", "guest_id,extra_id,cents\n1,1,500\n");
  forEveryEngine("stays.rules --input Stay=stays.csv --input Extra=extras.csv --output Bill=out_bill.csv "
                 "--output Night=out_nights.csv",
                 {"out_bill.csv", "out_nights.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_bill.csv") == "guest_id,weekend_nights,total\n1,2,34500\n2,2,19000\n");
                   CHECK(read("out_nights.csv") == "guest_id,night,price\n1,2026-01-02,12000\n1,2026-01-03,12000\n"
                                                   "2,2026-02-27,7000\n2,2026-02-28,7000\n");
                 });
}

// Folds run in the order written, and a fold reads the final states of the folds before it, in its
// steps and (over a range) in its bounds. Account 1: 100, -30, 30 give balance 100 and 2 deposits, so
// the share fold sees balance 100 at every step and the range runs over 2020..2021; account 2 has no
// deposit, so its range 2024..2023 is empty.
TEST_CASE("range fold: a fold reads the final states of the folds before it, in its steps and its bounds",
          "[groups][range]") {
  caseName() = "fold_reads_fold";
  fs::remove_all(scratch());
  write("chain.rules", R"(ruleset chain
input Account key account_id
  account_id: int
  opened: int
input Event key account_id many order by seq
  account_id: int
  seq: int
  amount: int
per account_id
  fold Event
    state balance: int = 0
    state deposits: int = 0
    decide first
      rule deposit when amount > 0 then balance = balance + amount, deposits = deposits + 1
      rule withdraw then balance = balance + amount
    end
  end
  fold Event as Share
    state running: int = 0
    decide first
      rule add then running = running + amount
    end
    output account_id: int = account_id
    output seq: int = seq
    output part_of_final: int = if balance == 0 then 0 else int(100 * (running + amount) / balance, down)
  end
  fold year in opened..opened + deposits - 1 as Year
    state interest: int = 0
    decide first
      rule accrue then interest = interest + balance
    end
    output account_id: int = account_id
    output year: int = year
    output interest_so_far: int = interest + balance
  end
  output account_id: int = account_id
  output balance: int = balance
  output interest: int = interest
end
)");
  write("accounts.csv", "account_id,opened\n1,2020\n2,2024\n");
  write("events.csv", "account_id,seq,amount\n1,3,30\n1,1,100\n1,2,-30\n2,1,-5\n");
  forEveryEngine("chain.rules --input Account=accounts.csv --input Event=events.csv --output chain=out_chain.csv "
                 "--output Share=out_share.csv --output Year=out_year.csv",
                 {"out_chain.csv", "out_share.csv", "out_year.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_chain.csv") == "account_id,balance,interest\n1,100,200\n2,-5,0\n");
                   CHECK(read("out_share.csv") == "account_id,seq,part_of_final\n1,1,100\n1,2,70\n1,3,100\n2,1,100\n");
                   CHECK(read("out_year.csv") == "account_id,year,interest_so_far\n1,2020,100\n1,2021,200\n");
                 });
}

// Aggregates in a fold are evaluated at every step, over the group's records, reading the step's value
// and the states before it. Asset 1: units 30, 50, 20 in 2020..2022 of 100 (the amounts are the
// cumulative shares of 1000: 300, 800 - 300, 1000 - 800); asset 2's 2021 has no Year row (0 units,
// first/min missing) and 2022 two rows (declared order by year then tag: first 4, last 3); asset 3's
// units overflow when summed.
TEST_CASE("range fold: aggregates in a fold, per step, over another input by the step's year",
          "[groups][range]") {
  caseName() = "fold_aggregates";
  fs::remove_all(scratch());
  write("units.rules", R"(ruleset units
input Asset key asset_id
  asset_id: int
  first_year: int
  years: int
  total_units: int
  cost: int
input Year key asset_id many order by year, tag
  asset_id: int
  year: int
  tag: int
  units: int
per asset_id
  fold y in first_year..first_year + years - 1 as Schedule
    state used: int = 0
    let units_y = sum(units over Year where year == y)
    decide first
      rule step then used = used + units_y
    end
    output asset_id: int = asset_id
    output year: int = y
    output units: int = units_y
    output rows_y: int = count(Year where year == y)
    output first_units: int? = first(units over Year where year == y)
    output last_units: int? = last(units over Year where year == y)
    output least: int? = min(units over Year where year == y)
    output later: bool = exists(Year where year > y and units > used)
    output amount: int = int(cost * (used + units_y) / total_units, half_up) - int(cost * used / total_units, half_up)
  end
  output asset_id: int = asset_id
  output used: int = used
end
)");
  write("assets.csv", "asset_id,first_year,years,total_units,cost\n1,2020,3,100,1000\n2,2021,2,10,500\n3,2022,1,5,7\n");
  write("years.csv", "asset_id,year,tag,units\n1,2021,1,50\n1,2020,1,30\n1,2022,1,20\n2,2022,2,3\n2,2022,1,4\n"
                     "3,2022,1,9223372036854775807\n3,2022,2,1\n");
  forEveryEngine("units.rules --input Asset=assets.csv --input Year=years.csv --output units=out_units.csv "
                 "--output Schedule=out_schedule.csv --rejects out_rejects.csv",
                 {"out_units.csv", "out_schedule.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_units.csv") == "asset_id,used\n1,100\n2,7\n");
                   CHECK(read("out_schedule.csv") ==
                         "asset_id,year,units,rows_y,first_units,last_units,least,later,amount\n"
                         "1,2020,30,1,30,30,30,true,300\n1,2021,50,1,50,50,50,false,500\n1,2022,20,1,20,20,20,false,200\n"
                         "2,2021,0,0,,,,true,0\n2,2022,7,2,4,3,3,false,350\n");
                   const std::string reason = "`asset_id` 3: an aggregate in a fold (sum over Year) does not fit in 64 bits (overflow)";
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n"
                                                    "Asset,4,,`asset_id` 3: an aggregate in a fold (sum over Year) does not fit in 64 "
                                                    "bits (overflow),\"3,2022,1,5,7\"\n"
                                                    "Year,7,," + reason + ",\"3,2022,1,9223372036854775807\"\n"
                                                    "Year,8,," + reason + ",\"3,2022,2,1\"\n");
                 });
}

// An aggregate in a fold over the folded input itself: inside it, `campaign` and `seq` are the other
// record's, so the step's own values are named by lets first (which read no aggregate). Contact 1's
// candidate A at seq 3 finds the sent A at seq 2; B finds no sent B; contact 2 has one record.
TEST_CASE("range fold: an aggregate in a fold reads the step's values through the fold's lets",
          "[groups][range]") {
  caseName() = "fold_aggregate_lets";
  fs::remove_all(scratch());
  write("alias.rules", R"(ruleset alias
input Item key k many order by seq
  k: int
  seq: int
  kind: enum(event, sent, candidate)
  campaign: string
per k
  fold Item as Outcome when kind == candidate
    let cid = campaign
    let mine = seq
    let logged = exists(Item where kind == sent and campaign == cid)
    let before_me = count(Item where seq < mine)
    output seq: int = seq
    output campaign: string = cid
    output logged: bool = logged
    output before_me: int = before_me
  end
end
)");
  write("items.csv", "k,seq,kind,campaign\n1,4,candidate,B\n1,1,event,\n1,2,sent,A\n1,3,candidate,A\n2,1,candidate,A\n");
  forEveryEngine("alias.rules --input Item=items.csv --output Outcome=out_outcome.csv",
                 {"out_outcome.csv"}, [&](const testing_run& result) {
    REQUIRE(result.exit_code == 0);
    CHECK(read("out_outcome.csv") == "seq,campaign,logged,before_me\n3,A,true,2\n4,B,false,3\n1,A,false,0\n");
  });
}

// A module's folds run before the folds of the rule set that uses it, so the rule set's fold reads the
// module's final states: 2 items in group 1 give the range 1..2; group 2's 1 item gives 1..1.
TEST_CASE("range fold: a rule set's fold reads the final state of a fold in a module it uses", "[groups][range]") {
  caseName() = "fold_reads_module_fold";
  fs::remove_all(scratch());
  write("count.rules", R"(module count
input Item key asset_id many order by x
  asset_id: int
  x: int
per asset_id
  fold Item
    state items: int = 0
    decide first
      rule a then items = items + 1
    end
  end
  output items: int = items
end
)");
  write("uses.rules", R"(ruleset uses
use "./count.rules"
per asset_id
  fold y in 1..items as Step
    state total: int = 0
    decide first
      rule add then total = total + y
    end
    output asset_id: int = asset_id
    output y: int = y
  end
  output total: int = total
end
)");
  write("items.csv", "asset_id,x\n1,5\n1,6\n2,7\n");
  forEveryEngine("uses.rules --input Item=items.csv --output uses=out_uses.csv --output Step=out_step.csv",
                 {"out_uses.csv", "out_step.csv"}, [&](const testing_run& result) {
    REQUIRE(result.exit_code == 0);
    CHECK(read("out_uses.csv") == "total,items\n3,2\n1,1\n");  // the rule set's outputs, then the module's
    CHECK(read("out_step.csv") == "asset_id,y\n1,1\n1,2\n2,1\n");
  });
}
