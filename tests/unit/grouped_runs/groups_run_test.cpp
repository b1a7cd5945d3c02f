// Grouped rule sets through the real `regelwerk` binary (docs/groups.md): keyed inputs joined into
// groups, aggregates, one output row per group in key order, rejects of whole groups, the counts per
// input, and the same bytes whatever the engine, the input order and the thread count.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/grouped_runs/scratch.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;

using Result = testing::CommandResult;

using testing::grouped::caseName;
using testing::grouped::read;
using testing::grouped::run;
using testing::grouped::scratch;
using testing::grouped::write;

const char* const kRules = R"(ruleset totals
param small: int = 100000
input Estate key estate_id
  estate_id: int
  pool_cents: int
input Claim key estate_id many order by claim_id
  estate_id: int
  claim_id: int
  creditor_id: string
  tier: enum(costs, unsecured, sub1)
  amount_cents: int
per estate_id
  let claimed = sum(amount_cents over Claim)
  output estate_id: int = estate_id
  output claims: int = count(Claim)
  output unsecured: int = count(Claim where tier == unsecured)
  output claimed_cents: int = claimed
  output surplus_cents: int = max(pool_cents - claimed, 0)
  output largest: int? = max(amount_cents over Claim)
  output smallest_costs: int? = min(amount_cents over Claim where tier == costs)
  output first_creditor: string? = first(creditor_id over Claim)
  output last_creditor: string? = last(creditor_id over Claim)
  output all_small: bool = all(amount_cents < small over Claim)
  output any_sub: bool = any(tier == sub1 over Claim)
  output has_costs: bool = exists(Claim where tier == costs)
  output status: enum(open, covered) = open
  decide first
    rule covered when pool_cents >= claimed then status = covered
  end
end
)";

// Estate 2 has no claims; claims are out of claim_id order within estate 1.
const char* const kEstates = "estate_id,pool_cents\n1,1000\n2,50\n3,201\n";
const char* const kClaims =
    "estate_id,claim_id,creditor_id,tier,amount_cents\n"
    "1,12,CR12,unsecured,400\n"
    "1,11,cr7,unsecured,400\n"
    "3,31,CR1,costs,200\n"
    "1,15,CR5,costs,300\n"
    "1,14,CR5,unsecured,100\n"
    "3,32,CR2,sub1,200000\n";

const char* const kExpected =
    "estate_id,claims,unsecured,claimed_cents,surplus_cents,largest,smallest_costs,first_creditor,last_creditor,"
    "all_small,any_sub,has_costs,status\n"
    "1,4,3,1200,0,400,300,cr7,CR5,true,false,true,open\n"
    "2,0,0,0,50,,,,,true,false,false,covered\n"
    "3,2,0,200200,0,200000,200,CR1,CR2,false,true,true,open\n";

void setUp(const std::string& name) {
  caseName() = name;
  fs::remove_all(scratch());
  write("totals.rules", kRules);
  write("estates.csv", kEstates);
  write("claims.csv", kClaims);
}

}  // namespace

TEST_CASE("groups: aggregates per key, one row per group in key order, counts per input", "[groups]") {
  setUp("basic");
  Result result = run("totals.rules --input Estate=estates.csv --input Claim=claims.csv --output out.csv");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(read("out.csv") == kExpected);
  CHECK(result.output.find("rows in 9 = rows out 9 + rows rejected 0") != std::string::npos);
  CHECK(result.output.find("Estate           rows in 3 = rows out 3 + rows rejected 0") != std::string::npos);
  CHECK(result.output.find("Claim            rows in 6 = rows out 6 + rows rejected 0") != std::string::npos);
}

TEST_CASE("groups: the same bytes for every engine, input order, thread count and memory limit", "[groups]") {
  setUp("same_bytes");
  // The claims in reverse and the estates shuffled: the sort puts them in key order.
  write("claims_reversed.csv",
        "estate_id,claim_id,creditor_id,tier,amount_cents\n3,32,CR2,sub1,200000\n1,14,CR5,unsecured,100\n"
        "1,15,CR5,costs,300\n3,31,CR1,costs,200\n1,11,cr7,unsecured,400\n1,12,CR12,unsecured,400\n");
  write("estates_shuffled.csv", "estate_id,pool_cents\n3,201\n1,1000\n2,50\n");
  const char* const variants[] = {
      "--input Estate=estates.csv --input Claim=claims.csv --engine interp",
      "--input Claim=claims_reversed.csv --input Estate=estates_shuffled.csv --engine jit --threads 2",
      "--input Estate=estates_shuffled.csv --input Claim=claims_reversed.csv --engine interp --memory-limit 1M",
  };
  for (const char* variant : variants) {
    Result result = run(std::string("totals.rules --quiet --output out.csv ") + variant);
    INFO(variant << "\n" << result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(read("out.csv") == kExpected);
  }
}

TEST_CASE("groups: a record that fails rejects its whole group, and the counts add up", "[groups]") {
  setUp("rejects");
  write("claims_bad.csv",
        "estate_id,claim_id,creditor_id,tier,amount_cents\n1,12,CR12,unsecured,400\n3,31,CR1,premium,200\n"
        "3,32,CR2,sub1,200000\n1,11,cr7,unsecured,400\n");
  Result stopped = run("totals.rules --input Estate=estates.csv --input Claim=claims_bad.csv --output out.csv");
  CHECK(stopped.exit_code == 2);
  CHECK(stopped.output.find("claims_bad.csv:3: field `tier`: `premium` is not one of costs, unsecured, sub1") !=
        std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
  Result kept = run("totals.rules --input Estate=estates.csv --input Claim=claims_bad.csv --output out.csv "
                    "--rejects rejects.csv");
  INFO(kept.output);
  REQUIRE(kept.exit_code == 0);
  CHECK(read("out.csv").find("\n3,") == std::string::npos);
  CHECK(read("out.csv").find("1,2,2,800,200,400,,cr7,CR12,true,false,false,covered\n") != std::string::npos);
  std::string rejects = read("rejects.csv");
  CHECK(rejects.find("input,line,column,reason,record\n") == 0);
  CHECK(rejects.find("Estate,4,,\"claims_bad.csv:3: field `tier`: `premium` is not one of costs, unsecured, sub1\",\"3,201\"") !=
        std::string::npos);
  // The bad record names its own cell; the group's other records carry the group's reason.
  CHECK(rejects.find("Claim,3,tier,\"`premium` is not one of costs, unsecured, sub1\"") != std::string::npos);
  CHECK(rejects.find("Claim,4,,") != std::string::npos);
  CHECK(kept.output.find("rows in 7 = rows out 4 + rows rejected 3") != std::string::npos);
  CHECK(kept.output.find("Claim            rows in 4 = rows out 2 + rows rejected 2") != std::string::npos);
}

TEST_CASE("groups: a group without or with two records of its `one` input is rejected", "[groups]") {
  setUp("one_input");
  write("estates_gap.csv", "estate_id,pool_cents\n1,1000\n1,5\n2,50\n");
  Result result = run("totals.rules --input Estate=estates_gap.csv --input Claim=claims.csv --output out.csv "
                      "--rejects rejects.csv --quiet");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(read("out.csv") ==
        "estate_id,claims,unsecured,claimed_cents,surplus_cents,largest,smallest_costs,first_creditor,last_creditor,"
        "all_small,any_sub,has_costs,status\n2,0,0,0,50,,,,,true,false,false,covered\n");
  std::string rejects = read("rejects.csv");
  CHECK(rejects.find("a second `Estate` record for `estate_id` 1 (it has one record per key)") != std::string::npos);
  CHECK(rejects.find("no `Estate` record for `estate_id` 3") != std::string::npos);
}

TEST_CASE("groups: a sum that overflows rejects its group with the reason", "[groups]") {
  setUp("overflow");
  write("claims_huge.csv", "estate_id,claim_id,creditor_id,tier,amount_cents\n2,1,A,costs,9223372036854775807\n2,2,B,costs,1\n");
  Result result = run("totals.rules --input Estate=estates.csv --input Claim=claims_huge.csv --output out.csv "
                      "--rejects rejects.csv --quiet");
  REQUIRE(result.exit_code == 0);
  CHECK(read("rejects.csv").find("(sum over Claim) does not fit in 64 bits (overflow)") != std::string::npos);
  CHECK(read("out.csv").find("\n2,") == std::string::npos);
}

TEST_CASE("groups: without a `one` input the key is the group's field, string keys in byte order", "[groups]") {
  setUp("string_keys");
  write("events.rules", R"(ruleset events
input Event key contact many order by at
  contact: string
  at: int
  kind: enum(signup, purchase)
per contact
  output contact: string = contact
  output purchases: int = count(Event where kind == purchase)
  output last_kind: enum(signup, purchase)? = last(kind over Event)
end
)");
  write("events.csv", "contact,at,kind\ncr7,5,signup\nCR12,9,purchase\ncr7,2,purchase\nC_3,1,signup\nCR12,3,signup\n");
  Result result = run("events.rules --input Event=events.csv --output out.csv --quiet");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(read("out.csv") == "contact,purchases,last_kind\nCR12,1,purchase\nC_3,0,signup\ncr7,1,signup\n");
}

TEST_CASE("groups: inputs are named on the command line, each once", "[groups]") {
  setUp("naming");
  const std::pair<std::string, std::string> cases[] = {
      {"--input Estate=estates.csv", "missing --input Claim=FILE (the rule set reads `Estate`, `Claim`; for an input "
                                     "without records, give a file with its header line only)"},
      {"--input Estate=estates.csv --input Claim=claims.csv --input Court=x.csv",
       "the rule set has no input `Court`; it reads `Estate`, `Claim`"},
      {"--input estates.csv", "this rule set reads several inputs: name each, as in --input Estate=FILE"},
      {"--input Estate=estates.csv --input Estate=claims.csv --input Claim=claims.csv", "--input Estate is given twice"},
      {"--input Estate=estates.csv --input Claim=claims.csv --rejects claims.csv",
       "--input Claim `claims.csv` and --rejects `claims.csv` are the same file"},
  };
  for (const auto& [args, message] : cases) {
    Result result = run("totals.rules --output out.csv " + args);
    INFO(args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(message) != std::string::npos);
  }
}

TEST_CASE("groups: a record whose key cannot be read is rejected on its own, and the counts add up", "[groups]") {
  setUp("bad_key");
  write("claims_key.csv", "estate_id,claim_id,creditor_id,tier,amount_cents\n1,12,CR12,unsecured,400\nx,13,CR1,costs,5\n");
  Result stopped = run("totals.rules --input Estate=estates.csv --input Claim=claims_key.csv --output out.csv");
  CHECK(stopped.exit_code == 2);
  CHECK(stopped.output.find("claims_key.csv:3: ") != std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
  Result kept = run("totals.rules --input Estate=estates.csv --input Claim=claims_key.csv --output out.csv "
                    "--rejects rejects.csv");
  INFO(kept.output);
  REQUIRE(kept.exit_code == 0);
  CHECK(read("rejects.csv").find("Claim,3,") != std::string::npos);
  CHECK(read("rejects.csv").find("\"x,13,CR1,costs,5\"") != std::string::npos);
  CHECK(kept.output.find("Claim            rows in 2 = rows out 1 + rows rejected 1") != std::string::npos);
}

// Each input is split at its own declared separator (a shared one too); `--separator` overrides them
// all and is the output's.
TEST_CASE("groups: each input's declared separator splits its records, unless --separator is given", "[groups]") {
  caseName() = "separators";
  fs::remove_all(scratch());
  write("seps.rules", R"(ruleset seps
input Estate key estate_id separator ";"
  estate_id: int
  pool: int
input Claim key estate_id many order by claim_id
  estate_id: int
  claim_id: int
  amount: int
input Rate shared separator "tab"
  r: int
  w: int
per estate_id as Totals
  output estate_id: int = estate_id
  output claimed: int = sum(amount over Claim)
  output pool: int = pool
  output weights: int = sum(r * w over Rate)
end
)");
  write("estates.csv", "estate_id;pool\n1;100\n2;50\n");
  write("claims.csv", "estate_id,claim_id,amount\n1,1,5\n1,2,7\n2,3,1\n");
  write("rates.tsv", "r\tw\n1\t3\n2\t4\n");
  const std::string inputs = "seps.rules --input Estate=estates.csv --input Claim=claims.csv --input Rate=rates.tsv";
  for (const char* engine : {" --engine interp", " --engine jit"}) {
    fs::remove(scratch() / "out.csv");
    Result declared = run(inputs + " --output out.csv" + engine);
    INFO(declared.output);
    REQUIRE(declared.exit_code == 0);
    CHECK(read("out.csv") == "estate_id,claimed,pool,weights\n1,12,100,11\n2,1,50,11\n");
  }
  // Told `;`, the run splits the comma-separated claims at `;` too: their header has no `estate_id` column.
  Result told = run(inputs + " --output out_told.csv --separator \";\"");
  CHECK(told.exit_code == 2);
  CHECK(told.output.find("claims.csv: missing key column `estate_id`; the header has: `estate_id,claim_id,amount`") !=
        std::string::npos);
  write("claims_semicolon.csv", "estate_id;claim_id;amount\n1;1;5\n");
  write("rates_semicolon.csv", "r;w\n1;3\n");
  Result all = run("seps.rules --input Estate=estates.csv --input Claim=claims_semicolon.csv --input Rate=rates_semicolon.csv "
                   "--output out_all.csv --separator \";\"");
  INFO(all.output);
  REQUIRE(all.exit_code == 0);
  CHECK(read("out_all.csv") == "estate_id;claimed;pool;weights\n1;5;100;3\n2;0;50;3\n");
}
