// The differential suite for grouped rule sets (docs/groups.md): generated keyed inputs, aggregates,
// decisions, folds, distributions, `each` blocks and late aggregates, run by the interpreter and the
// JIT at 1 and 2 threads and with a memory limit that forces the external sort to spill; every run must give the
// reference's files (every output record), rejects and counts. With a total `order by`, the same
// records in another file order must give the same files too (and the same rejected records, as a
// set: their lines and reasons name places in the other file). The comparison is gen/grouped_run.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "group_generator.hpp"
#include "grouped_run.hpp"

namespace regelwerk::difftest {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kSeeds = 150;

}  // namespace

TEST_CASE("differential: grouped rule sets agree across engines and threads and spills and input orders", "[differential]") {
  fs::path scratch = fs::path(RW_BINARY_DIR) / "differential-scratch" / "grouped";
  std::set<std::string> seen;
  int64_t rows = 0, rejected = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    GroupCase generated = generateGroupCase(seed);
    seen.insert(generated.constructs.begin(), generated.constructs.end());
    GroupVerdict verdict = compareGroupCase(generated, scratch);
    INFO("seed " << seed << " (bench/differential_soak --grouped --seed " << seed << " --dump DIR)\n"
                 << generated.rules << verdict.detail);
    REQUIRE(verdict.checks);
    CHECK(verdict.agree);
    rows += verdict.rows_in;
    rejected += verdict.rows_rejected;
  }
  // Most records must be decided, or the suite compares rejects more than results.
  INFO(fmt::format("{} records, {} rejected", rows, rejected));
  CHECK(rejected * 2 < rows);
  // The generator must keep producing every construct (a regression in it would hide engine bugs).
  for (const char* construct :
       {"sum", "count", "min", "max", "first", "last", "exists", "all", "any", "where", "order-by", "decide",
        "no-one-input", "per-as", "fold", "fold-where", "fold-let", "fold-decide", "fold-state-condition", "state-int",
        "state-bool", "state-enum", "state-int?", "distribute", "distribute-tier-enum", "distribute-tier-int", "distribute-tier-keys",
        "distribute-ties", "distribute-loose-ties", "distribute-string-tie", "distribute-rest", "share-aggregate", "share-each", "each",
        "each-as", "each-let", "each-decide", "several-records", "late-aggregate", "late-where", "late-one-input",
        "late-let", "late-share-let", "late-state", "late-rest", "late-share-where", "late-share-value",
        "late-one-input-value", "late-each", "fold-rows", "fold-rows-text", "fold-one-input", "reject-group", "reject-fold",
        "range-fold", "range-fold-dates", "range-fold-one-input", "range-fold-rows", "reject-range-fold",
        "fold-rows-when", "range-fold-rows-when", "fold-reads-fold", "fold-aggregate", "range-fold-aggregate",
        "fold-aggregate-reads-let", "ledger", "range-ledger", "ledger-each", "ledger-aggregate", "ledger-late", "ledger-distribute", "ledger-rest", "ledger-rows", "ledger-rows-when", "ledger-step-aggregate", "ledger-lookup", "ledger-pool-aggregate",
        "shared", "shared-late", "shared-fold", "shared-each", "earlier-ledger-aggregate", "earlier-ledger-lookup",
        "distribute-ledger-amount", "derived", "derived-fold-writer", "derived-ledger-writer", "derived-fold", "derived-distribute",
        "derived-each"}) {
    INFO(construct);
    CHECK(seen.count(construct) == 1);
  }
}

TEST_CASE("differential: every found-grouped/ case agrees across engines and threads and spills and input orders",
          "[differential]") {
  fs::path found = fs::path(RW_SOURCE_DIR) / "tests" / "differential" / "found-grouped";
  if (!fs::exists(found)) return;
  for (const auto& entry : fs::directory_iterator(found)) {
    if (!entry.is_directory()) continue;
    GroupCase saved = loadGroupCase(entry.path());
    GroupVerdict verdict = compareGroupCase(saved, fs::path(RW_BINARY_DIR) / "differential-scratch" / "found-grouped" /
                                                       entry.path().filename());
    INFO(entry.path().string() << "\n" << verdict.detail);
    CHECK(verdict.checks);
    CHECK(verdict.agree);
  }
}

}  // namespace regelwerk::difftest
