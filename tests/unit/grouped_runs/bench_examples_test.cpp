// examples/waterfall and examples/events on the small inputs of shared/bench/groups.md ("Example"
// sections: 3 estates with 8 claims, 3 contacts with 16 events), copied here as written there, through
// the real `regelwerk` binary on both engines, in file order and shuffled: the output files must be
// exactly the ones groups.md shows.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;

using Result = testing::CommandResult;

fs::path scratch(const std::string& name) { return testing::scratchFolder("grouped-bench-examples-scratch", name); }

std::string example(const std::string& relative) { return std::string("'") + RW_SOURCE_DIR + "/examples/" + relative + "'"; }

const char* const kEstates = "estate_id,pool_cents\n1,1000\n2,50\n3,201\n";
const char* const kClaims =
    "estate_id,claim_id,creditor_id,tier,amount_cents\n"
    "1,11,cr7,unsecured,400\n"
    "1,12,CR12,unsecured,400\n"
    "1,13,C_3,unsecured,400\n"
    "1,14,CR5,unsecured,100\n"
    "1,15,CR5,costs,300\n"
    "1,16,CR9,sub1,250\n"
    "3,31,CR1,costs,200\n"
    "3,32,CR2,unsecured,20000\n";
// The same rows in another order.
const char* const kEstatesShuffled = "estate_id,pool_cents\n3,201\n1,1000\n2,50\n";
const char* const kClaimsShuffled =
    "estate_id,claim_id,creditor_id,tier,amount_cents\n"
    "3,32,CR2,unsecured,20000\n"
    "1,14,CR5,unsecured,100\n"
    "1,16,CR9,sub1,250\n"
    "1,12,CR12,unsecured,400\n"
    "3,31,CR1,costs,200\n"
    "1,11,cr7,unsecured,400\n"
    "1,15,CR5,costs,300\n"
    "1,13,C_3,unsecured,400\n";

const char* const kPayouts =
    "estate_id,claim_id,payout_cents\n"
    "1,11,215\n"
    "1,12,216\n"
    "1,13,215\n"
    "1,14,54\n"
    "1,15,300\n"
    "1,16,0\n"
    "3,31,200\n"
    "3,32,1\n";
const char* const kEstateTotals = "estate_id,paid_cents,surplus_cents,quota_bp\n1,1000,0,5385\n2,0,50,\n3,201,0,1\n";

const char* const kContacts = "contact_id,tz\n7,Europe/Berlin\n8,America/New_York\n9,Asia/Tokyo\n";
const char* const kEvents =
    "contact_id,event_id,at,kind\n"
    "7,1,2025-03-01T09:00:00Z,signup\n"
    "7,2,2025-03-08T09:00:00Z,doi_confirmed\n"
    "7,5,2025-03-20T10:00:00Z,purchase\n"
    "7,3,2025-03-20T10:00:00Z,cart_abandoned\n"
    "7,4,2025-03-23T06:00:00Z,sent_marketing\n"
    "7,6,2025-03-25T12:00:00Z,sent_marketing\n"
    "7,7,2025-03-29T12:00:00Z,sent_marketing\n"
    "7,8,2025-03-31T00:00:00Z,unsubscribe\n"
    "8,11,2025-03-01T09:00:00Z,signup\n"
    "8,12,2025-03-01T09:05:00Z,doi_confirmed\n"
    "8,13,2025-03-20T10:00:00Z,cart_abandoned\n"
    "9,21,2025-03-01T09:00:00Z,signup\n"
    "9,22,2025-03-08T09:00:01Z,doi_confirmed\n"
    "9,24,2025-03-10T00:00:00Z,signup\n"
    "9,23,2025-03-10T00:00:00Z,unsubscribe\n"
    "9,25,2025-03-29T06:00:01Z,cart_abandoned\n";
const char* const kContactsShuffled = "contact_id,tz\n9,Asia/Tokyo\n7,Europe/Berlin\n8,America/New_York\n";
const char* const kEventsShuffled =
    "contact_id,event_id,at,kind\n"
    "9,25,2025-03-29T06:00:01Z,cart_abandoned\n"
    "7,8,2025-03-31T00:00:00Z,unsubscribe\n"
    "8,13,2025-03-20T10:00:00Z,cart_abandoned\n"
    "7,3,2025-03-20T10:00:00Z,cart_abandoned\n"
    "9,23,2025-03-10T00:00:00Z,unsubscribe\n"
    "7,2,2025-03-08T09:00:00Z,doi_confirmed\n"
    "9,22,2025-03-08T09:00:01Z,doi_confirmed\n"
    "7,6,2025-03-25T12:00:00Z,sent_marketing\n"
    "8,12,2025-03-01T09:05:00Z,doi_confirmed\n"
    "7,1,2025-03-01T09:00:00Z,signup\n"
    "9,24,2025-03-10T00:00:00Z,signup\n"
    "7,7,2025-03-29T12:00:00Z,sent_marketing\n"
    "8,11,2025-03-01T09:00:00Z,signup\n"
    "7,5,2025-03-20T10:00:00Z,purchase\n"
    "9,21,2025-03-01T09:00:00Z,signup\n"
    "7,4,2025-03-23T06:00:00Z,sent_marketing\n";

const char* const kDecisions =
    "contact_id,consent,decision,reason,last_cart_at\n"
    "7,confirmed,send,,2025-03-20T10:00:00Z\n"
    "8,confirmed,skip,quiet,2025-03-20T10:00:00Z\n"
    "9,pending,skip,too_early,2025-03-29T06:00:01Z\n";

}  // namespace

TEST_CASE("bench examples: examples/waterfall gives groups.md's payouts.csv and estate_totals.csv", "[groups][examples]") {
  const fs::path dir = scratch("waterfall");
  testing::writeFile(dir / "estates.csv", kEstates);
  testing::writeFile(dir / "claims.csv", kClaims);
  testing::writeFile(dir / "estates_shuffled.csv", kEstatesShuffled);
  testing::writeFile(dir / "claims_shuffled.csv", kClaimsShuffled);
  for (const char* engine : {"interp", "jit"}) {
    for (const char* suffix : {"", "_shuffled"}) {
      fs::remove(dir / "payouts.csv");
      fs::remove(dir / "estate_totals.csv");
      const std::string inputs = std::string("--input Estate=estates") + suffix + ".csv --input Claim=claims" + suffix + ".csv";
      Result result = testing::runIn(dir, testing::regelwerkCommand() + " run " + example("waterfall/waterfall.rules") +
                                              " " + inputs + " --output Payout=payouts.csv --output Totals=estate_totals.csv"
                                              " --engine " + engine);
      INFO("engine " << engine << ", inputs " << inputs << "\n" << result.output);
      REQUIRE(result.exit_code == 0);
      CHECK(testing::readFile(dir / "payouts.csv") == kPayouts);
      CHECK(testing::readFile(dir / "estate_totals.csv") == kEstateTotals);
      CHECK(result.output.find("Estate           rows in 3 = rows out 3 + rows rejected 0") != std::string::npos);
      CHECK(result.output.find("Claim            rows in 8 = rows out 8 + rows rejected 0") != std::string::npos);
    }
  }
}

TEST_CASE("bench examples: examples/events gives groups.md's decisions.csv", "[groups][examples]") {
  const fs::path dir = scratch("events");
  testing::writeFile(dir / "contacts.csv", kContacts);
  testing::writeFile(dir / "events.csv", kEvents);
  testing::writeFile(dir / "contacts_shuffled.csv", kContactsShuffled);
  testing::writeFile(dir / "events_shuffled.csv", kEventsShuffled);
  for (const char* engine : {"interp", "jit"}) {
    for (const char* suffix : {"", "_shuffled"}) {
      for (const char* output : {"--output decisions.csv", "--output Decision=decisions.csv"}) {
        fs::remove(dir / "decisions.csv");
        const std::string inputs =
            std::string("--input Contact=contacts") + suffix + ".csv --input Event=events" + suffix + ".csv";
        Result result = testing::runIn(dir, testing::regelwerkCommand() + " run " + example("events/events.rules") + " " +
                                                inputs + " " + output + " --engine " + engine);
        INFO("engine " << engine << ", " << inputs << " " << output << "\n" << result.output);
        REQUIRE(result.exit_code == 0);
        CHECK(testing::readFile(dir / "decisions.csv") == kDecisions);
        CHECK(result.output.find("Contact          rows in 3 = rows out 3 + rows rejected 0") != std::string::npos);
        CHECK(result.output.find("Event            rows in 16 = rows out 16 + rows rejected 0") != std::string::npos);
      }
    }
  }
}
