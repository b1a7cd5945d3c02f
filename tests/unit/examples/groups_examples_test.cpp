// examples/waterfall and examples/events (shared/bench/groups.md) through their run.sh and the real
// `regelwerk` binary: on the small generated data, sorted and shuffled, with both engines at 1 and 2
// threads, every run exits 0, its output has groups.md's reference CHECKSUM line (computed by
// groups_checksum) and the same bytes as the hand-written baseline's. Also run.sh's argument checks and
// groups_checksum on groups.md's worked example and on malformed files.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;

// groups.md "Reference checksums (seed 42)", small sizes: waterfall 2,000 x 50, events 10,000 x 10.
const char* const kSmallWaterfall =
    "CHECKSUM waterfall claims=100000 payout_sum=25446091080529 payout_zero=31967 payout_mix=104459939132566 "
    "estates=2000 paid_sum=25446091080529 surplus_sum=706762577668 quota_n=1977 quota_sum=10689910 "
    "quota_mix=10690630254";
const char* const kSmallEvents =
    "CHECKSUM events contacts=10000 none=715 pending=2730 confirmed=3186 withdrawn=3369 send=452 no_cart=3132 "
    "too_early=1494 purchased=1641 no_consent=1032 unsubscribed=1479 capped=272 quiet=498 last_cart_n=6868 "
    "last_cart_sum=11969441434467 mix=953099445 cart_mix=14470732660932";

struct Workload {
  std::string name;
  std::string groups, per_group;  // gen_groups arguments
  std::vector<std::string> outputs;
  std::string reference;
};

// A fresh folder per test case under the build tree (ctest runs the cases in parallel).
fs::path freshScratch(const std::string& case_name) {
  const fs::path dir = fs::path(RW_BINARY_DIR) / "examples-groups-scratch" / case_name;
  fs::remove_all(dir);
  return testing::scratchFolder("examples-groups-scratch", case_name);
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

std::string runScript(const std::string& workload) {
  return quoted(fs::path(RW_SOURCE_DIR) / "examples" / workload / "run.sh");
}

// The CHECKSUM line groups_checksum prints for `out`, or its complaint.
std::string checksumOf(const fs::path& dir, const std::string& workload, const fs::path& out) {
  const testing::CommandResult result =
      testing::runIn(dir, quoted(RW_GROUPS_CHECKSUM) + " " + workload + " " + quoted(out));
  std::string line = result.output.substr(0, result.output.find('\n'));
  return result.exit_code == 0 ? line : "groups_checksum failed: " + result.output;
}

void generate(const fs::path& dir, const Workload& workload, const std::string& order) {
  const fs::path data = dir / order;
  fs::create_directories(data);
  const std::string shuffle = order == "shuffled" ? " --shuffle" : "";
  const testing::CommandResult result = testing::runIn(
      dir, quoted(RW_GEN_GROUPS) + shuffle + " " + workload.name + " " + workload.groups + " " + workload.per_group +
               " 42 " + quoted(data));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
}

// The hand-written baseline on the sorted data: the bytes every configuration must reproduce.
fs::path runBaseline(const fs::path& dir, const Workload& workload) {
  const fs::path out = dir / "handwritten";
  fs::create_directories(out);
  const testing::CommandResult result = testing::runIn(
      dir, quoted(RW_GROUPS_HANDWRITTEN) + " " + workload.name + " " + quoted(dir / "sorted") + " " + quoted(out));
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  REQUIRE(checksumOf(dir, workload.name, out) == workload.reference);
  return out;
}

// run.sh with `--engine E --threads T` on one input order; the engine is this build's binary.
void checkConfiguration(const fs::path& dir, const Workload& workload, const fs::path& baseline,
                        const std::string& order, const std::string& engine, int threads) {
  const std::string options = "--engine " + engine + " --threads " + std::to_string(threads);
  INFO("configuration: " << workload.name << " example, " << order << " input, run.sh DATA OUT " << options);
  const fs::path out = dir / ("out-" + order + "-" + engine + "-t" + std::to_string(threads));
  fs::create_directories(out);
  const testing::CommandResult result =
      testing::runIn(dir, "REGELWERK=" + quoted(RW_BINARY_DIR "/cli/regelwerk") + " " + runScript(workload.name) +
                              " " + quoted(dir / order) + " " + quoted(out) + " " + options);
  INFO("run.sh said: " << result.output);
  CHECK(result.exit_code == 0);
  if (result.exit_code != 0) return;
  CHECK(checksumOf(dir, workload.name, out) == workload.reference);
  for (const std::string& file : workload.outputs) {
    INFO(file << " compared with the hand-written baseline's " << (baseline / file).string());
    const bool same = testing::readFile(out / file) == testing::readFile(baseline / file);
    CHECK(same);
  }
}

void checkWorkload(const Workload& workload) {
  const fs::path dir = freshScratch(workload.name);
  for (const char* order : {"sorted", "shuffled"}) generate(dir, workload, order);
  const fs::path baseline = runBaseline(dir, workload);
  for (const char* order : {"sorted", "shuffled"}) {
    for (const char* engine : {"interp", "jit"}) {
      for (int threads : {1, 2}) checkConfiguration(dir, workload, baseline, order, engine, threads);
    }
  }
}

}  // namespace

TEST_CASE("waterfall example: groups.md small size, both engines, 1 and 2 threads, sorted and shuffled",
          "[examples][groups]") {
  checkWorkload({"waterfall", "2000", "50", {"payouts.csv", "estate_totals.csv"}, kSmallWaterfall});
}

TEST_CASE("events example: groups.md small size, both engines, 1 and 2 threads, sorted and shuffled",
          "[examples][groups]") {
  checkWorkload({"events", "10000", "10", {"decisions.csv"}, kSmallEvents});
}

TEST_CASE("groups examples: run.sh names its arguments and refuses a missing OUT_DIR", "[examples][groups]") {
  const fs::path dir = freshScratch("run-sh-arguments");
  for (const char* workload : {"waterfall", "events"}) {
    INFO(workload << "/run.sh");
    const testing::CommandResult no_args = testing::runIn(dir, runScript(workload));
    CHECK(no_args.exit_code == 2);
    CHECK(no_args.output.find("usage: ") != std::string::npos);
    CHECK(no_args.output.find("DATA_DIR OUT_DIR [ENGINE_OPTIONS") != std::string::npos);
    const fs::path data = dir / workload;
    fs::create_directories(data);
    const bool waterfall = std::string(workload) == "waterfall";
    for (const char* file : {waterfall ? "estates.csv" : "contacts.csv", waterfall ? "claims.csv" : "events.csv"})
      testing::writeFile(data / file, "header\n");
    const testing::CommandResult no_out =
        testing::runIn(dir, runScript(workload) + " " + quoted(data) + " " + quoted(dir / "absent"));
    CHECK(no_out.exit_code == 2);
    CHECK(no_out.output.find("OUT_DIR " + (dir / "absent").string() + " does not exist") != std::string::npos);
    const testing::CommandResult no_data =
        testing::runIn(dir, runScript(workload) + " " + quoted(dir / "nothing") + " " + quoted(dir));
    CHECK(no_data.exit_code == 2);
    CHECK(no_data.output.find((dir / "nothing").string() + "/" + (waterfall ? "estates.csv" : "contacts.csv") +
                              " does not exist") != std::string::npos);
  }
}

TEST_CASE("groups_checksum: groups.md's worked examples, and malformed files by file and line",
          "[examples][groups]") {
  const fs::path dir = freshScratch("checksum-tool");
  testing::writeFile(dir / "payouts.csv",
                     "estate_id,claim_id,payout_cents\n1,11,215\n1,12,216\n1,13,215\n1,14,54\n1,15,300\n1,16,0\n"
                     "3,31,200\n3,32,1\n");
  testing::writeFile(dir / "estate_totals.csv",
                     "estate_id,paid_cents,surplus_cents,quota_bp\n1,1000,0,5385\n2,0,50,\n3,201,0,1\n");
  testing::writeFile(dir / "decisions.csv",
                     "contact_id,consent,decision,reason,last_cart_at\n7,confirmed,send,,2025-03-20T10:00:00Z\n"
                     "8,confirmed,skip,quiet,2025-03-20T10:00:00Z\n9,pending,skip,too_early,2025-03-29T06:00:01Z\n");
  CHECK(checksumOf(dir, "waterfall", dir) ==
        "CHECKSUM waterfall claims=8 payout_sum=1201 payout_zero=1 payout_mix=19240 estates=3 paid_sum=1201 "
        "surplus_sum=50 quota_n=2 quota_sum=5386 quota_mix=5388");
  CHECK(checksumOf(dir, "events", dir) ==
        "CHECKSUM events contacts=3 none=0 pending=1 confirmed=2 withdrawn=0 send=1 no_cart=0 too_early=1 "
        "purchased=0 no_consent=0 unsubscribed=0 capped=0 quiet=1 last_cart_n=3 last_cart_sum=5228157601 mix=410 "
        "cart_mix=8898558");

  struct Bad {
    const char* file;
    const char* text;
    const char* message;
  };
  const Bad bad_files[] = {
      {"payouts.csv", "estate_id,claim_id,payout_cents\n1,11,215\n1,12,-3\n", "payouts.csv:3: field `payout_cents`"},
      {"payouts.csv", "estate_id,claim_id,payout_cents\n1,11,215\n1,12\n", "payouts.csv:3: the line has 2 fields"},
      {"payouts.csv", "estate_id,claim_id,payout_cents\n1,11,215", "payouts.csv:2: the last line does not end"},
      {"payouts.csv", "estate_id,claim,payout_cents\n", "payouts.csv:1: the header is"},
      {"decisions.csv", "contact_id,consent,decision,reason,last_cart_at\n7,confirmed,send,quiet,\n",
       "decisions.csv:2: field `reason` is `quiet`"},
      {"decisions.csv", "contact_id,consent,decision,reason,last_cart_at\n7,maybe,send,,\n",
       "decisions.csv:2: field `consent` is `maybe`"},
      {"decisions.csv", "contact_id,consent,decision,reason,last_cart_at\n7,none,skip,no_cart,2025-02-29T00:00:00Z\n",
       "decisions.csv:2: field `last_cart_at` is `2025-02-29T00:00:00Z`"},
  };
  for (const Bad& bad : bad_files) {
    const fs::path folder = dir / "bad";
    fs::remove_all(folder);
    fs::create_directories(folder);
    testing::writeFile(folder / bad.file, bad.text);
    testing::writeFile(folder / "estate_totals.csv", "estate_id,paid_cents,surplus_cents,quota_bp\n");
    const std::string workload = std::string(bad.file) == "decisions.csv" ? "events" : "waterfall";
    const testing::CommandResult result =
        testing::runIn(dir, quoted(RW_GROUPS_CHECKSUM) + " " + workload + " " + quoted(folder));
    INFO(bad.text << "\ngave: " << result.output);
    CHECK(result.exit_code == 1);
    CHECK(result.output.find(bad.message) != std::string::npos);
    CHECK(result.output.find("CHECKSUM") == std::string::npos);
  }
}
