// The standard library's grouped modules end to end (issue 9): std.insolvency over N generated
// proceedings (default 100,000) through the built `regelwerk`, at 1 and 2 threads, 3 runs each, with
// the median wall time, records/s over all input rows and the peak resident set. No baseline: the
// figure is the module's own cost. Run from the build folder:
//   bench/bench_stdlib [PROCEEDINGS] [SCRATCH_DIR]
// The workload (written once into SCRATCH_DIR, default bench-stdlib-data): per proceeding 1–4 assets
// (5 % third-party owned, kinds and realisers mixed), securities on about half the assets with their
// secured amounts at most 85 % of the proceeds (so no § 52 shortfall claims are needed), 5–30 claims
// over 20 creditors (90 % § 38, the rest § 39 ranks), two § 54 costs and 0–3 § 55 liabilities; 10 %
// of the proceedings are at the opening check. A fixed seed: every run reads the same bytes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::bench::median;
using regelwerk::bench::ProcessRun;
using regelwerk::bench::runProcess;

// A 64-bit LCG (Knuth's MMIX constants): fast, fixed, the same on every machine.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }
  int64_t range(int64_t low, int64_t high) { return low + static_cast<int64_t>(next() % static_cast<uint64_t>(high - low + 1)); }
  bool chance(int percent) { return range(1, 100) <= percent; }

 private:
  uint64_t state_;
};

std::string money(int64_t cents) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%02lld", static_cast<long long>(cents / 100), static_cast<long long>(cents % 100));
  return text;
}

struct Files {
  std::ofstream proceeding, asset, security, claim, cost, liability;
};

int64_t writeProceeding(Random& random, int index, Files& files) {
  std::string id = "P" + std::to_string(100000 + index);
  int64_t rows = 1;
  files.proceeding << id << (random.chance(10) ? ",opening_check" : ",distribution") << ",2025-01-01,"
                   << (random.chance(20) ? "2000.00" : "0.00") << (random.chance(60) ? ",true\n" : ",false\n");
  static const char* kKinds[] = {"movable", "receivable", "immovable", "cash"};
  static const char* kRealisers[] = {"administrator", "creditor", "creditor_in_possession", "forced_auction"};
  int assets = static_cast<int>(random.range(1, 4));
  int loan = 0;
  for (int asset = 1; asset <= assets; ++asset, ++rows) {
    int64_t proceeds = random.range(1000, 200000) * 100;
    bool owned_by_other = random.chance(5);
    files.asset << id << ',' << asset << ',' << kKinds[random.range(0, 3)] << ',' << money(proceeds) << ','
                << (owned_by_other ? "true" : "false") << ',' << kRealisers[random.range(0, 3)] << ",,\n";
    if (owned_by_other || !random.chance(50) || loan >= 5) continue;  // the module numbers loans 1–6
    int securities = static_cast<int>(random.range(1, 2));
    for (int security = 0; security < securities; ++security, ++rows) {
      int64_t secured = proceeds * 85 / 100 / securities;  // all of them together at most 85 % of P
      files.security << id << ',' << ++loan << ',' << asset << ",BANK" << random.range(1, 5) << ',' << money(secured) << ','
                     << random.range(1, 2) << ",land_charge,2024-0" << random.range(1, 9) << "-15,2025-01-01,true\n";
    }
  }
  static const char* kSubordinated[] = {"r39_1", "r39_2", "r39_3", "r39_5"};
  int claims = static_cast<int>(random.range(5, 30));
  for (int claim = 1; claim <= claims; ++claim, ++rows) {
    const char* rank = random.chance(90) ? "r38" : kSubordinated[random.range(0, 3)];
    files.claim << id << ',' << claim << ",C" << random.range(1, 20) << ',' << money(random.range(100, 50000) * 100) << ','
                << rank << ",\n";
  }
  files.cost << id << ",court," << money(random.range(500, 5000) * 100) << ",fee\n";
  files.cost << id << ",expenses," << money(random.range(100, 2000) * 100) << ",expense\n";
  rows += 2;
  int liabilities = static_cast<int>(random.range(0, 3));
  static const char* kClasses[] = {"new", "old", "support"};
  for (int liability = 1; liability <= liabilities; ++liability, ++rows) {
    files.liability << id << ",L" << liability << ',' << money(random.range(100, 20000) * 100) << ',' << kClasses[random.range(0, 2)] << '\n';
  }
  return rows;
}

int64_t writeWorkload(const fs::path& folder, int proceedings) {
  fs::create_directories(folder);
  Files files{std::ofstream(folder / "proceeding.csv"), std::ofstream(folder / "asset.csv"), std::ofstream(folder / "security.csv"),
              std::ofstream(folder / "claim.csv"),      std::ofstream(folder / "cost.csv"),  std::ofstream(folder / "liability.csv")};
  files.proceeding << "proceeding_id,stage,opening_date,cost_advance,debtor_is_entity\n";
  files.asset << "proceeding_id,asset_no,kind,proceeds,third_party_owned,realiser,actual_realisation_cost,vat_burden\n";
  files.security << "proceeding_id,loan_no,asset_no,creditor_id,secured_amount,priority,right,created,proceeding_opened,personal_liability\n";
  files.claim << "proceeding_id,claim_no,creditor_id,amount,rank,shortfall_of_loan\n";
  files.cost << "proceeding_id,cost_id,amount,kind\n";
  files.liability << "proceeding_id,liability_id,amount,class\n";
  Random random(20261204);
  int64_t rows = 0;
  for (int index = 0; index < proceedings; ++index) rows += writeProceeding(random, index, files);
  return rows;
}

std::vector<std::string> insolvencyRun(const fs::path& data, const fs::path& out, int threads) {
  std::vector<std::string> args = {RW_REGELWERK, "run", std::string(RW_SOURCE_DIR) + "/stdlib-rules/std/insolvency.rules"};
  for (const char* input : {"Proceeding", "Asset", "Security", "Claim", "Cost", "Liability"}) {
    std::string file = input;
    for (char& c : file) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    args.push_back("--input");
    args.push_back(std::string(input) + "=" + (data / (file + ".csv")).string());
  }
  for (const char* record : {"Outcome", "Realisation", "SecuredPayout", "CostPayout", "LiabilityPayout", "ClaimPayout"}) {
    args.push_back("--output");
    args.push_back(std::string(record) + "=" + (out / (std::string(record) + ".csv")).string());
  }
  args.insert(args.end(), {"--rejects", (out / "rejects.csv").string(), "--threads", std::to_string(threads)});
  return args;
}

}  // namespace

int main(int argc, char** argv) {
  int proceedings = argc > 1 ? std::atoi(argv[1]) : 100000;
  fs::path data = argc > 2 ? fs::path(argv[2]) : fs::path("bench-stdlib-data");
  int64_t rows = writeWorkload(data, proceedings);
  fs::path out = data / "out";
  fs::create_directories(out);
  std::printf("std.insolvency, %d proceedings, %lld input rows; %s; load %s\n", proceedings, static_cast<long long>(rows),
              regelwerk::bench::cpuModel().c_str(), regelwerk::bench::loadAverage().c_str());
  std::printf("| threads | median s | records/s | peak MiB | summary |\n|--:|--:|--:|--:|---|\n");
  for (int threads : {1, 2}) {
    std::vector<double> seconds, rss;
    std::string summary;
    for (int repeat = 0; repeat < 3; ++repeat) {
      ProcessRun run = runProcess(insolvencyRun(data, out, threads), {"", (out / "summary.txt").string()});
      if (run.status != 0) {
        std::fprintf(stderr, "regelwerk failed (status %d); see %s\n", run.status, (out / "summary.txt").c_str());
        return 1;
      }
      seconds.push_back(run.seconds);
      rss.push_back(static_cast<double>(run.max_rss_kib) / 1024.0);
      std::ifstream report(out / "summary.txt");
      std::getline(report, summary);  // "rows in N = rows out N + rows rejected N"
    }
    double wall = median(seconds);
    std::printf("| %d | %.2f | %.0f | %.0f | %s |\n", threads, wall, static_cast<double>(rows) / wall, median(rss), summary.c_str());
  }
  return 0;
}
