// Grouped runs on several threads (docs/groups.md, "Runtime"): batches of groups are evaluated
// concurrently and written in key order, so output, rejects and counts are the same bytes whatever the
// thread count, the batch size, the input order and the engine; a run that stops says the same thing.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;

using Result = testing::CommandResult;

constexpr int kEstates = 3000;
constexpr int kBadTier = 1500;      // its claim has a tier the enum does not know
constexpr int kNoEstate = 2200;     // claims, but no Estate record
constexpr int kTwoEstates = 777;    // two Estate records

const char* const kRules = R"(ruleset totals
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
  output claimed_cents: int = claimed
  output surplus_cents: int = max(pool_cents - claimed, 0)
  output largest: int? = max(amount_cents over Claim)
  output first_creditor: string? = first(creditor_id over Claim)
  output last_creditor: string? = last(creditor_id over Claim)
  output any_sub: bool = any(tier == sub1 over Claim)
  output status: enum(open, covered) = open
  decide first
    rule covered when pool_cents >= claimed then status = covered
  end
end
)";

fs::path scratch(const std::string& name) { return testing::scratchFolder("grouped-parallel-scratch", name); }

// Estates 1..3000 with 1 to 4 claims each (claim ids descending within an estate, so the rule's
// `order by` has work to do), and three groups that are rejected in the middle of the key range.
void writeInputs(const fs::path& folder) {
  std::vector<std::string> estates;
  std::vector<std::string> claims;
  const char* const tiers[] = {"costs", "unsecured", "sub1"};
  for (int estate = 1; estate <= kEstates; ++estate) {
    std::string pool = std::to_string((estate * 131) % 4000);
    if (estate != kNoEstate) estates.push_back(std::to_string(estate) + "," + pool);
    if (estate == kTwoEstates) estates.push_back(std::to_string(estate) + ",5");
    int count = 1 + estate % 4;
    for (int claim = count; claim >= 1; --claim) {
      std::string tier = estate == kBadTier ? "premium" : tiers[(estate + claim) % 3];
      claims.push_back(std::to_string(estate) + "," + std::to_string(claim) + ",CR" +
                       std::to_string((estate * claim) % 97) + "," + tier + "," +
                       std::to_string((estate * 31 + claim * 17) % 1000 + 1));
    }
  }
  auto join = [](const std::string& header, const std::vector<std::string>& records) {
    std::string text = header + "\n";
    for (const std::string& record : records) text += record + "\n";
    return text;
  };
  testing::writeFile(folder / "estates.csv", join("estate_id,pool_cents", estates));
  testing::writeFile(folder / "claims.csv", join("estate_id,claim_id,creditor_id,tier,amount_cents", claims));
  std::mt19937 random(42);
  for (std::vector<std::string>* records : {&estates, &claims}) {
    for (size_t index = records->size() - 1; index > 0; --index) {
      std::swap((*records)[index], (*records)[random() % (index + 1)]);
    }
  }
  testing::writeFile(folder / "estates_shuffled.csv", join("estate_id,pool_cents", estates));
  testing::writeFile(folder / "claims_shuffled.csv", join("estate_id,claim_id,creditor_id,tier,amount_cents", claims));
  testing::writeFile(folder / "totals.rules", kRules);
}

// The summary without its last line (times, speed and memory differ from run to run).
std::string summaryCounts(const std::string& output) {
  size_t last = output.rfind("totals (");
  return output.substr(0, last == std::string::npos ? output.size() : last);
}

struct Outcome {
  int exit_code;
  std::string counts;
  std::string output;
  std::string rejects;
};

Outcome runConfiguration(const fs::path& folder, const std::string& args) {
  fs::remove(folder / "out.csv");
  fs::remove(folder / "rejects.csv");
  Result result = testing::runIn(folder, testing::regelwerkCommand() + " run totals.rules --output out.csv " + args);
  return Outcome{result.exit_code, summaryCounts(result.output), testing::readFile(folder / "out.csv"),
                 testing::readFile(folder / "rejects.csv")};
}

size_t lines(const std::string& text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

}  // namespace

TEST_CASE("groups in parallel: the same output, rejects and counts for every thread count, batch size, "
          "input order and engine",
          "[groups][threads]") {
  fs::path folder = scratch("same_bytes");
  writeInputs(folder);
  Outcome first = runConfiguration(folder, "--input Estate=estates.csv --input Claim=claims.csv --rejects rejects.csv "
                                           "--engine interp --threads 1");
  INFO(first.counts);
  REQUIRE(first.exit_code == 0);
  CHECK(lines(first.output) == 1 + kEstates - 3);
  CHECK(first.output.find("\n1500,") == std::string::npos);
  CHECK(first.output.find("\n2200,") == std::string::npos);
  CHECK(first.output.find("\n777,") == std::string::npos);
  CHECK(first.output.find("\n778,") != std::string::npos);
  CHECK(lines(first.rejects) == 1 + 7);
  CHECK(first.rejects.find("Estate,779,,estates.csv:779: a second `Estate` record") != std::string::npos);
  CHECK(first.rejects.find("`premium` is not one of costs, unsecured, sub1") != std::string::npos);
  CHECK(first.rejects.find("no `Estate` record for `estate_id` 2200") != std::string::npos);
  CHECK(first.counts.find("rows in 10500 = rows out 10493 + rows rejected 7") != std::string::npos);
  CHECK(first.counts.find("Estate           rows in 3000 = rows out 2997 + rows rejected 3") != std::string::npos);
  CHECK(first.counts.find("status            open=929  covered=2068") != std::string::npos);
  CHECK(first.counts.find("Claim            rows in 7500 = rows out 7496 + rows rejected 4") != std::string::npos);
  // Rejects name lines of the file read, so each input order has its own; they come group by group
  // (GroupWorker::rejectGroups), so batch size and threads do not change them.
  std::map<std::string, std::string> rejects_of;  // per input order: the first run's
  for (const char* engine : {"interp", "jit"}) {
    for (const char* inputs : {"--input Estate=estates.csv --input Claim=claims.csv",
                               "--input Claim=claims_shuffled.csv --input Estate=estates_shuffled.csv"}) {
      for (int threads : {1, 2, 3, 8}) {
        for (const char* batch : {"--batch-size 1", "--batch-size 7", ""}) {
          std::ostringstream args;
          args << inputs << " --rejects rejects.csv --engine " << engine << " --threads " << threads << " " << batch;
          Outcome outcome = runConfiguration(folder, args.str());
          INFO(args.str() << "\n" << outcome.counts);
          REQUIRE(outcome.exit_code == 0);
          CHECK(outcome.counts == first.counts);
          CHECK(outcome.output == first.output);
          std::string& rejects = rejects_of[inputs];
          if (rejects.empty()) rejects = outcome.rejects;
          CHECK(outcome.rejects == rejects);
        }
      }
    }
  }
  CHECK(rejects_of["--input Estate=estates.csv --input Claim=claims.csv"] == first.rejects);
}

TEST_CASE("groups in parallel: without --rejects the first rejected group in key order stops the run, "
          "with the same message at any thread count",
          "[groups][threads]") {
  fs::path folder = scratch("stop");
  writeInputs(folder);
  for (const char* engine : {"interp", "jit"}) {
    for (int threads : {1, 2, 3, 8}) {
      for (const char* batch : {"--batch-size 1", ""}) {
        std::ostringstream args;
        args << "--input Claim=claims_shuffled.csv --input Estate=estates_shuffled.csv --engine " << engine
             << " --threads " << threads << " " << batch;
        Outcome outcome = runConfiguration(folder, args.str());
        INFO(args.str());
        CHECK(outcome.exit_code == 2);
        CHECK(outcome.counts.find("a second `Estate` record for `estate_id` 777 (it has one record per key)\n"
                                  "(the run stopped here and wrote no output; use --rejects FILE to set such "
                                  "groups aside and go on)") != std::string::npos);
        CHECK(outcome.counts.find("1500") == std::string::npos);
        CHECK(!fs::exists(folder / "out.csv"));
      }
    }
  }
}

TEST_CASE("groups in parallel: a run that stops after writing groups to standard output says they stay there",
          "[groups][threads]") {
  fs::path folder = scratch("stop_stdout");
  writeInputs(folder);
  for (int threads : {1, 2}) {
    Result result = testing::runIn(folder, testing::regelwerkCommand() +
                                               " run totals.rules --input Estate=estates.csv --input Claim=claims.csv"
                                               " --output - --batch-size 16 --threads " +
                                               std::to_string(threads) + " > seen.csv 2> message.txt; echo $?");
    const std::string message = testing::readFile(folder / "message.txt");
    INFO(threads << " threads: " << message);
    CHECK(result.output == "2\n");
    CHECK(message.find("a second `Estate` record for `estate_id` 777 (it has one record per key)\n"
                       "(the run stopped here; what it had written to standard output before this point stays there, "
                       "and no file was replaced; use --rejects FILE to set such groups aside and go on)") !=
          std::string::npos);
    // The batches of 16 groups before the one holding 777 went out in key order (up to 768); none after.
    const std::string seen = testing::readFile(folder / "seen.csv");
    CHECK(seen.rfind(
              "estate_id,claims,claimed_cents,surplus_cents,largest,first_creditor,last_creditor,any_sub,status\n1,",
              0) == 0);
    CHECK(seen.find("\n768,") != std::string::npos);
    CHECK(seen.find("\n777,") == std::string::npos);
  }
}
