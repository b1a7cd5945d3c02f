// An aggregate's `where` decides which records its value is computed for (lowering: the filter is a let,
// the value an `if` over it), at group level, per step of a fold and per pair of a ledger, through the
// real `regelwerk` binary on both engines. Expected files are worked out by hand.
#include <catch2/catch.hpp>

#include <string>

#include "tests/unit/grouped_runs/scratch.hpp"

namespace {

using testing_run = regelwerk::testing::CommandResult;
using regelwerk::testing::grouped::forEveryEngine;
using regelwerk::testing::grouped::read;
using regelwerk::testing::grouped::startCase;
using regelwerk::testing::grouped::write;

TEST_CASE("an aggregate's value is computed only for the records its `where` keeps", "[groups][aggregate]") {
  // `100 / n` divides by zero on the record with n = 0, which every `where` leaves out: at group level,
  // per step of a fold and per pair of a ledger, the group is decided, not rejected (it was, before).
  startCase("aggregate_where_guards_value");
  write("guard.rules", R"(ruleset guard
input Item key k many order by n
  k: int
  n: int
input Div key k many order by d
  k: int
  d: int
per k as S
  output k: int = k
  output s: decimal(0) = sum(round(100 / n, 0) over Item where n != 0)
  fold Item as F
    output t: decimal(0) = sum(round(100 / n, 0) over Item where n != 0 and n <= 5)
  end
  fold y in 1..1
    ledger Item as L
      state u: int = 0
      let m = n
      let v = sum(round(100 / d, 0) over Div where d != 0 and d != m)
      decide first
        rule a then u = 1
      end
      output lv: decimal(0) = v
    end
  end
end
)");
  write("items.csv", "k,n\n1,0\n1,5\n1,10\n");
  write("divs.csv", "k,d\n1,0\n1,5\n1,10\n");
  forEveryEngine("guard.rules --input Item=items.csv --input Div=divs.csv --output S=out.csv --output F=out_f.csv --output L=out_l.csv "
                 "--rejects out_rejects.csv",
                 {"out.csv", "out_f.csv", "out_l.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out.csv") == "k,s\n1,30\n");           // 100 / 5 + 100 / 10
                   CHECK(read("out_f.csv") == "t\n20\n20\n20\n");      // n = 5 only, at every step
                   CHECK(read("out_l.csv") == "lv\n30\n10\n20\n");     // per Item n: the Divs but 0 and n
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n");
                 });
}

}  // namespace
