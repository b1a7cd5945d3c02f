// `input X shared` (docs/language.md, "Shared inputs"): an input without a key whose records every
// group reads — in aggregates (also late ones, whose filter reads the group's fields), as the steps of a
// fold with per-step aggregates over the group's own records, and in an `each` block (one row per
// group and shared record) — through the real `regelwerk` binary on both engines; a shared record that
// cannot be read stops the run before any group is written. Expected files are worked out by hand.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/unit/grouped_runs/scratch.hpp"

namespace {

namespace fs = std::filesystem;

using testing_run = regelwerk::testing::CommandResult;
using regelwerk::testing::grouped::contains;
using regelwerk::testing::grouped::forEveryEngine;
using regelwerk::testing::grouped::read;
using regelwerk::testing::grouped::scratch;
using regelwerk::testing::grouped::startCase;
using regelwerk::testing::grouped::test;
using regelwerk::testing::grouped::write;

// Campaigns every contact sees: per contact and campaign (in priority order) how many of the contact's
// events trigger it, and whether the contact's tier qualifies.
const char* const kCampaignRules = R"(ruleset shared_campaigns
input Contact key contact_id
  contact_id: string
  tier: int
input Event key contact_id many order by at
  contact_id: string
  type: string
  at: int
input Campaign shared order by priority, campaign_id
  campaign_id: string
  priority: int
  event_type: string
  min_tier: int
per contact_id as Summary
  fold Campaign as Candidate
    state steps: int = 0
    let hits = count(Event where type == event_type)
    decide first
      rule step then steps = steps + 1
    end
    output contact_id: string = contact_id
    output campaign: string = campaign_id
    output hits: int = hits
  end
  output contact_id: string = contact_id
  output campaigns: int = count(Campaign where min_tier <= tier)
  output first_campaign: string? = first(campaign_id over Campaign)
  output steps: int = steps
  each Campaign as Offer
    output contact_id: string = contact_id
    output campaign: string = campaign_id
    output eligible: bool = tier >= min_tier
  end
end
)";

const char* const kContacts = "contact_id,tier\nc1,1\nc2,2\nc3,1\n";
// c4 has no Contact record: its group is rejected, the campaigns are not (they are no group's own).
const char* const kEvents = "contact_id,type,at\nc1,signup,1\nc1,purchase,5\nc2,purchase,3\nc3,x,1\nc4,purchase,2\n";

const std::string kRun = "campaigns.rules --input Contact=contacts.csv --input Event=events.csv --input Campaign=campaigns.csv "
                         "--output Summary=out_summary.csv --output Candidate=out_candidates.csv --output Offer=out_offers.csv";

void writeCampaignCase(const char* name, const std::string& campaigns) {
  startCase(name);
  write("campaigns.rules", kCampaignRules);
  write("contacts.csv", kContacts);
  write("events.csv", kEvents);
  write("campaigns.csv", campaigns);
}

TEST_CASE("shared input: every group reads all its records, in its declared order", "[groups][shared]") {
  // File order is not priority order: `order by priority` puts welcome first.
  writeCampaignCase("shared_every_group", "campaign_id,priority,event_type,min_tier\nthanks,2,purchase,1\n"
                                          "welcome,1,signup,1\nvip,3,purchase,2\n");
  forEveryEngine(kRun + " --rejects out_rejects.csv",
                 {"out_summary.csv", "out_candidates.csv", "out_offers.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_summary.csv") ==
                         "contact_id,campaigns,first_campaign,steps\nc1,2,welcome,3\nc2,3,welcome,3\nc3,2,welcome,3\n");
                   CHECK(read("out_candidates.csv") ==
                         "contact_id,campaign,hits\nc1,welcome,1\nc1,thanks,1\nc1,vip,1\nc2,welcome,0\nc2,thanks,1\n"
                         "c2,vip,1\nc3,welcome,0\nc3,thanks,0\nc3,vip,0\n");
                   CHECK(read("out_offers.csv") ==
                         "contact_id,campaign,eligible\nc1,welcome,true\nc1,thanks,true\nc1,vip,false\nc2,welcome,true\n"
                         "c2,thanks,true\nc2,vip,true\nc3,welcome,true\nc3,thanks,true\nc3,vip,false\n");
                   CHECK(read("out_rejects.csv") == "input,line,column,reason,record\n"
                                                    "Event,6,,no `Contact` record for `contact_id` c4,\"c4,purchase,2\"\n");
                   // Each shared record is read once and counted once, however many groups read it.
                   CHECK(contains(result.output, "Campaign         rows in 3 = rows out 3 + rows rejected 0"));
                   CHECK(contains(result.output, "rows in 11 = rows out 10 + rows rejected 1"));
                 });
}

TEST_CASE("shared input: without records, every group sees none", "[groups][shared]") {
  writeCampaignCase("shared_empty", "campaign_id,priority,event_type,min_tier\n");
  forEveryEngine(kRun + " --rejects out_rejects.csv",
                 {"out_summary.csv", "out_candidates.csv", "out_offers.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out_summary.csv") == "contact_id,campaigns,first_campaign,steps\nc1,0,,0\nc2,0,,0\nc3,0,,0\n");
                   CHECK(read("out_candidates.csv") == "contact_id,campaign,hits\n");
                   CHECK(read("out_offers.csv") == "contact_id,campaign,eligible\n");
                 });
}

TEST_CASE("shared input: a record that cannot be read stops the run, even with --rejects", "[groups][shared]") {
  const std::vector<std::string> outputs = {"out_summary.csv", "out_candidates.csv", "out_offers.csv", "out_rejects.csv"};
  auto nothing_written = [&] {
    for (const std::string& output : outputs) CHECK_FALSE(fs::exists(scratch() / output));
  };
  SECTION("a bad cell: every group would fail, so no group is rejected for it") {
    writeCampaignCase("shared_bad_cell", "campaign_id,priority,event_type,min_tier\nwelcome,1,signup,1\nthanks,x2,purchase,1\n");
    forEveryEngine(kRun + " --rejects out_rejects.csv", outputs, [&](const testing_run& result) {
      CHECK(result.exit_code == 2);
      CHECK(contains(result.output, "campaigns.csv:3: field `priority`: `x2` is not an int (write digits, e.g. 42 or -7)\n"
                                    "(every group reads the records of a shared input, so the run stopped here and wrote "
                                    "no output: fix the record)"));
      nothing_written();
    });
  }
  SECTION("a bad cell with --rejects -: the rejects header has gone out, and the message says so") {
    writeCampaignCase("shared_bad_cell_stdout",
                      "campaign_id,priority,event_type,min_tier\nwelcome,1,signup,1\nthanks,x2,purchase,1\n");
    forEveryEngine(kRun + " --rejects -", outputs, [&](const testing_run& result) {
      CHECK(result.exit_code == 2);
      CHECK(result.output.rfind("input,line,column,reason,record\n", 0) == 0);
      CHECK(contains(result.output,
                     "campaigns.csv:3: field `priority`: `x2` is not an int (write digits, e.g. 42 or -7)\n"
                     "(every group reads the records of a shared input, so the run stopped here; what it "
                     "had written to standard output before this point stays there, and no file was "
                     "replaced: fix the record)"));
      nothing_written();
    });
  }
  SECTION("a quote never closed: the record cannot be split, so it cannot be set aside either") {
    writeCampaignCase("shared_bad_quote", "campaign_id,priority,event_type,min_tier\nwelcome,1,signup,1\n\"thanks,2,purchase,1\n");
    forEveryEngine(kRun + " --rejects out_rejects.csv", outputs, [&](const testing_run& result) {
      CHECK(result.exit_code == 2);
      CHECK(contains(result.output, "campaigns.csv:3: field 1 opens a quote that is never closed"));
      CHECK(contains(result.output, "(every group reads the records of a shared input, so the run stopped here"));
      nothing_written();
    });
  }
}

// A division per record of both inputs: a 0 fails the record's evaluation.
const char* const kDivRules = R"(ruleset div
input Event key contact_id many order by at
  contact_id: string
  at: int
input Campaign shared order by priority
  campaign_id: string
  priority: int
per contact_id as Summary
  output n: int = count(Event where round(10 / at, 2) > 1)
  output m: int = count(Campaign where round(10 / priority, 2) > 1)
end
)";

TEST_CASE("shared input: a bad shared record stops the run even where another record failed the group first",
          "[groups][shared]") {
  // Every group already fails on its own records (c1's event cell, c2's division by zero), so no group
  // would report the shared record: the run must stop on it all the same, naming it, not the group's.
  startCase("shared_after_group_failure");
  write("div.rules", kDivRules);
  write("events.csv", "contact_id,at\nc1,x1\nc2,0\n");
  for (const char* campaigns : {"campaign_id,priority\nthanks,zz\n", "campaign_id,priority\nthanks,0\n"}) {
    write("campaigns.csv", campaigns);
    const bool bad_cell = std::string(campaigns).find("zz") != std::string::npos;
    forEveryEngine("div.rules --input Event=events.csv --input Campaign=campaigns.csv --output out.csv --rejects out_rejects.csv",
                   {"out.csv", "out_rejects.csv"}, [&](const testing_run& result) {
                     CHECK(result.exit_code == 2);
                     CHECK(contains(result.output, bad_cell ? "campaigns.csv:2: field `priority`: `zz` is not an int"
                                                            : "campaigns.csv:2: div.rules:10:"));
                     CHECK(contains(result.output, "every group reads the records of a shared input"));
                     CHECK_FALSE(fs::exists(scratch() / "out.csv"));
                   });
  }
}

TEST_CASE("shared input: a fold over it reads the group's key when no input has one record per key", "[groups][shared]") {
  startCase("shared_fold_key");
  write("key.rules", R"(ruleset group_key
input Event key contact_id many order by at
  contact_id: int
  at: int
input Campaign shared order by priority
  priority: int
per contact_id as Summary
  output cid: int = contact_id
  fold Campaign as Step
    output k: int = contact_id
    output p: int = priority
  end
end
)");
  write("events.csv", "contact_id,at\n7,1\n9,2\n");
  write("campaigns.csv", "priority\n2\n1\n");
  forEveryEngine("key.rules --input Event=events.csv --input Campaign=campaigns.csv --output Summary=out.csv --output Step=out_steps.csv",
                 {"out.csv", "out_steps.csv"}, [&](const testing_run& result) {
                   REQUIRE(result.exit_code == 0);
                   CHECK(read("out.csv") == "cid\n7\n9\n");
                   CHECK(read("out_steps.csv") == "k,p\n7,1\n7,2\n9,1\n9,2\n");
                 });
}

TEST_CASE("shared input: a group test gives its records like any other input's", "[groups][shared]") {
  startCase("shared_group_test");
  write("campaigns.rules", std::string(kCampaignRules) + R"(
test "a contact sees every campaign"
  given Contact: contact_id = "c9", tier = 1
  given Event: type = "purchase", at = 4
  given Campaign: campaign_id = "vip", priority = 3, event_type = "purchase", min_tier = 2
  given Campaign: campaign_id = "welcome", priority = 1, event_type = "signup", min_tier = 1
  expect Summary: campaigns = 1, first_campaign = "welcome", steps = 2
  expect Candidate: campaign = "welcome", hits = 0
  expect Candidate: campaign = "vip", hits = 1
  expect Offer: campaign = "welcome", eligible = true
  expect Offer: campaign = "vip", eligible = false
end
)");
  testing_run result = test("campaigns.rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(contains(result.output, "1 passed, 0 failed"));
}

TEST_CASE("shared input: a group test whose shared record would stop a run fails; shared records alone form no group",
          "[groups][shared]") {
  startCase("shared_group_test_problems");
  write("div.rules", std::string(kDivRules) + R"(
test "a shared record that fails"
  given Event: at = 1
  given Campaign: campaign_id = "welcome", priority = 0
  expect rejected "division by zero"
end
)");
  testing_run failing = test("div.rules");
  INFO(failing.output);
  CHECK(failing.exit_code != 0);
  CHECK(contains(failing.output, "a record of a shared input would stop every run"));
  write("alone.rules", std::string(kCampaignRules) + R"(
test "only campaigns"
  given Campaign: campaign_id = "welcome", priority = 1, event_type = "signup", min_tier = 1
  expect Summary: campaigns = 0
end
)");
  testing_run alone = test("alone.rules");
  INFO(alone.output);
  CHECK(alone.exit_code != 0);
  CHECK(contains(alone.output, "error[E0604]: test \"only campaigns\" gives no record of a keyed input (shared records form no group)"));
}

}  // namespace
