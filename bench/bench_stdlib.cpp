// The standard library's grouped modules end to end (issue 9) through the built `regelwerk`, at 1 and
// 2 threads, 3 runs each, with the median wall time, records/s over all input rows and the median
// peak resident set of the child. No baseline: the figure is the module's own cost. Run from the
// build folder:
//   bench/bench_stdlib [insolvency] [PROCEEDINGS] [SCRATCH_DIR]     (default 100,000, bench-stdlib-data)
//   bench/bench_stdlib autoresponder [CONTACTS] [SCRATCH_DIR]       (default 1,000,000, bench-autoresponder-data)
//   bench/bench_stdlib debtor [DEBTORS] [SCRATCH_DIR]               (default 200,000, bench-debtor-data)
//   bench/bench_stdlib dunning [DEBTORS] [SCRATCH_DIR]              (default 50,000, bench-dunning-data)
// Each writes its workload once into SCRATCH_DIR (a fixed seed: every run reads the same bytes), then
// runs the CLI as a child process; the outputs go to SCRATCH_DIR/out.
// std.insolvency: per proceeding 1–4 assets
// (5 % third-party owned, kinds and realisers mixed), securities on about half the assets with their
// secured amounts at most 85 % of the proceeds (so no § 52 shortfall claims are needed), 5–30 claims
// over 20 creditors (90 % § 38, the rest § 39 ranks), two § 54 costs and 0–3 § 55 liabilities; 10 %
// of the proceedings are at the opening check.
// std.interest.debtor: per debtor (30 % consumers, as_of 2025-12-31) 1–8 claims (principal 10–5,000 EUR,
// due in 2025, 40 % due by the calendar, 30 % with a first letter, 20 % with collection costs, types
// and contract dates mixed) and 0–6 payments (10 % designated, amounts up to the claims' sum, 5 % after
// as_of); the output's digest at 1 and 2 threads must agree.
// std.dunning.debtor: per debtor (30 % consumers, 2 % with insolvency opened on 2025-06-01, as_of
// 2025-09-30, so one step per day from the debtor's first event, up to 273 days) 1–5 claims (principal 10–500
// EUR, due January to August 2025, 40 % due by the calendar, 20 % with collection costs), 0–3 payments
// (20 % designated, up to half the claims' sum), a dispute on 10 % of the debtors (outcomes mixed) and a
// recorded first letter on 20 % of the claims (7–10 days after the due date); the digests of the claim
// balances and the dunning steps at 1 and 2 threads must agree.
// std.autoresponder: 10 events per contact, seven campaign steps, the send log and the facts per
// contact and campaign (autoresponder_workload.cpp says the mix), now = 2025-03-30T06:00:00Z; the outcome counts and the
// output's digest at 1 and 2 threads must agree (exit status 1 otherwise).
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/autoresponder_workload.hpp"
#include "bench/bench_random.hpp"
#include "bench/bench_support.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::bench::median;
using regelwerk::bench::ProcessRun;
using regelwerk::bench::Random;
using regelwerk::bench::runProcess;

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
    if (owned_by_other || !random.chance(50) || loan >= 5) continue;  // at most 6 loans: the workload of the earlier results
    int securities = static_cast<int>(random.range(1, 2));
    for (int security = 0; security < securities; ++security, ++rows) {
      int64_t secured = proceeds * 85 / 100 / securities;  // all of them together at most 85 % of P
      files.security << id << ',' << ++loan << ',' << asset << ",BANK" << random.range(1, 5) << ',' << money(secured) << ','
                     << random.range(1, 2) << ",land_charge,2024-0" << random.range(1, 9) << "-15,true\n";
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
  files.security << "proceeding_id,loan_no,asset_no,creditor_id,secured_amount,priority,right,created,personal_liability\n";
  files.claim << "proceeding_id,claim_no,creditor_id,amount,rank,shortfall_of_loan\n";
  files.cost << "proceeding_id,cost_id,amount,kind\n";
  files.liability << "proceeding_id,liability_id,amount,class\n";
  Random random(20261204);
  int64_t rows = 0;
  for (int index = 0; index < proceedings; ++index) rows += writeProceeding(random, index, files);
  return rows;
}

// A file name for an input or record: `ClaimBalance` -> `claim_balance`, `Contact_summary` -> `contact_summary`.
std::string snakeCase(const std::string& name) {
  std::string file;
  for (size_t at = 0; at < name.size(); ++at) {
    const unsigned char c = static_cast<unsigned char>(name[at]);
    if (std::isupper(c) && at > 0 && name[at - 1] != '_') file += '_';
    file += static_cast<char>(std::tolower(c));
  }
  return file;
}

// `regelwerk run` of standard-library module `rules` (under stdlib-rules/std/) reading each of `inputs`
// from data/<its name in snake case>.csv and writing each of `records` to out/<its name in snake
// case>.csv, the rejects to out/rejects.csv, at `threads` threads, with `extra` arguments.
std::vector<std::string> moduleRun(const std::string& rules, const fs::path& data, std::initializer_list<const char*> inputs, const fs::path& out,
                                   std::initializer_list<const char*> records, int threads, std::initializer_list<std::string> extra = {}) {
  std::vector<std::string> args = {RW_REGELWERK, "run", std::string(RW_SOURCE_DIR) + "/stdlib-rules/std/" + rules};
  for (const char* input : inputs) args.insert(args.end(), {"--input", std::string(input) + "=" + (data / (snakeCase(input) + ".csv")).string()});
  for (const char* record : records) args.insert(args.end(), {"--output", std::string(record) + "=" + (out / (snakeCase(record) + ".csv")).string()});
  args.insert(args.end(), extra);
  args.insert(args.end(), {"--rejects", (out / "rejects.csv").string(), "--threads", std::to_string(threads)});
  return args;
}

std::vector<std::string> insolvencyRun(const fs::path& data, const fs::path& out, int threads) {
  return moduleRun("insolvency.rules", data, {"Proceeding", "Asset", "Security", "Claim", "Cost", "Liability"}, out,
                   {"Outcome", "Realisation", "SecuredPayout", "CostPayout", "LiabilityPayout", "ClaimPayout"}, threads);
}

std::vector<std::string> autoresponderRun(const fs::path& data, const fs::path& out, int threads) {
  return moduleRun("autoresponder.rules", data, {"Contact", "Event", "Sent", "Campaign", "Unless", "Fact"}, out, {"Outcome", "Contact_summary"}, threads,
                   {"--param", std::string("now=") + regelwerk::bench::kAutoresponderNowText});
}

std::string day2025(Random& random, int from = 0, int to = 364) {
  static const int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int day = static_cast<int>(random.range(from, to));
  int month = 0;
  while (day >= kMonthDays[month]) day -= kMonthDays[month++];
  char text[16];
  std::snprintf(text, sizeof text, "2025-%02d-%02d", month + 1, day + 1);
  return text;
}

int64_t writeDebtorWorkload(const fs::path& folder, int debtors) {
  fs::create_directories(folder);
  std::ofstream debtor(folder / "debtor.csv"), claim(folder / "claim.csv"), payment(folder / "payment.csv");
  debtor << "debtor_id,debtor_consumer,as_of\n";
  claim << "debtor_id,claim_id,principal,claim_type,creditor_consumer,contract_date,continuing_obligation,due_date,due_by_calendar,"
           "invoice_received,consumer_notice_on_invoice,first_letter_sent,collection_costs,collection_costs_incurred\n";
  payment << "debtor_id,payment_id,paid_on,amount,designated_claim_id\n";
  Random random(20261205);
  int64_t rows = 0;
  for (int id = 1; id <= debtors; ++id) {
    debtor << id << (random.chance(30) ? ",true" : ",false") << ",2025-12-31\n";
    int claims = static_cast<int>(random.range(1, 8));
    int64_t total = 0;
    for (int index = 1; index <= claims; ++index) {
      int64_t cents = random.range(1000, 500000);
      total += cents;
      bool letter = random.chance(30), costs = random.chance(20);
      claim << id << ',' << index << ',' << money(cents) << (random.chance(80) ? ",entgelt" : ",other") << ",false,"
            << (random.chance(90) ? "2024-01-01" : "2013-06-01") << (random.chance(10) ? ",true," : ",false,") << day2025(random, 0, 300)
            << (random.chance(40) ? ",true," : ",false,") << (random.chance(50) ? day2025(random, 0, 300) : "") << ",false,"
            << (letter ? day2025(random, 100, 330) : "") << ',' << (costs ? money(random.range(1000, 9000)) : "0.00") << ','
            << (costs && random.chance(50) ? day2025(random, 150, 360) : "") << '\n';
    }
    int payments = static_cast<int>(random.range(0, 6));
    for (int index = 1; index <= payments; ++index) {
      payment << id << ',' << index << ',' << (random.chance(5) ? "2026-01-15" : day2025(random, 30, 364)) << ','
              << money(random.range(100, std::max<int64_t>(total / 2, 200))) << ',';
      if (random.chance(10)) payment << random.range(1, claims);
      payment << '\n';
    }
    rows += 1 + claims + payments;
  }
  return rows;
}

std::vector<std::string> debtorRun(const fs::path& data, const fs::path& out, int threads) {
  return moduleRun("interest/debtor.rules", data, {"Debtor", "Claim", "Payment"}, out, {"Allocation", "ClaimBalance", "DebtorBalance"}, threads);
}

int64_t writeDunningWorkload(const fs::path& folder, int debtors) {
  fs::create_directories(folder);
  std::ofstream debtor(folder / "debtor.csv"), claim(folder / "claim.csv"), payment(folder / "payment.csv"),
      dispute(folder / "dispute.csv"), letter(folder / "letter.csv");
  debtor << "debtor_id,debtor_consumer,insolvency_opened,as_of\n";
  claim << "debtor_id,claim_id,principal,claim_type,creditor_consumer,contract_date,continuing_obligation,due_date,due_by_calendar,"
           "invoice_received,consumer_notice_on_invoice,collection_costs,collection_costs_incurred\n";
  payment << "debtor_id,payment_id,paid_on,amount,designated_claim_id\n";
  dispute << "debtor_id,claim_id,opened,resolved,outcome,agreed_principal\n";
  letter << "debtor_id,claim_id,level,sent,fee\n";
  Random random(20261206);
  int64_t rows = 0;
  static const char* const kOutcomes[] = {"none", "creditor", "debtor", "partial"};
  for (int id = 1; id <= debtors; ++id) {
    debtor << id << (random.chance(30) ? ",true," : ",false,") << (random.chance(2) ? "2025-06-01" : "") << ",2025-09-30\n";
    int claims = static_cast<int>(random.range(1, 5));
    // The disputed claim, if any; it has no recorded letter (one sent while a dispute is open is rejected).
    const int disputed = random.chance(10) ? static_cast<int>(random.range(1, claims)) : 0;
    int64_t total = 0;
    for (int index = 1; index <= claims; ++index) {
      int64_t cents = random.range(1000, 50000);
      total += cents;
      int due = static_cast<int>(random.range(0, 240));
      bool costs = random.chance(20);
      claim << id << ',' << index << ',' << money(cents) << (random.chance(80) ? ",entgelt" : ",other") << ",false,2024-01-01,"
            << (random.chance(50) ? "true," : "false,") << day2025(random, due, due) << (random.chance(40) ? ",true,," : ",false,,")
            << "false," << (costs ? money(random.range(1000, 9000)) : "0.00") << ",\n";
      if (index != disputed && random.chance(20)) letter << id << ',' << index << ",1," << day2025(random, due + 7, due + 10) << ",0.00\n", ++rows;
    }
    int payments = static_cast<int>(random.range(0, 3));
    for (int index = 1; index <= payments; ++index) {
      payment << id << ',' << index << ',' << day2025(random, 30, 272) << ',' << money(random.range(100, std::max<int64_t>(total / 2, 200))) << ',';
      if (random.chance(20)) payment << random.range(1, claims);
      payment << '\n';
    }
    if (disputed > 0) {
      const char* outcome = kOutcomes[random.range(0, 3)];
      bool open = std::string(outcome) == "none";
      dispute << id << ',' << disputed << ',' << day2025(random, 60, 150) << ',' << (open ? "" : day2025(random, 160, 220))
              << ',' << outcome << ',' << (std::string(outcome) == "partial" ? "5.00" : "") << '\n';
      ++rows;
    }
    rows += 1 + claims + payments;
  }
  return rows;
}

std::vector<std::string> dunningRun(const fs::path& data, const fs::path& out, int threads) {
  return moduleRun("dunning/debtor.rules", data, {"Debtor", "Claim", "Payment", "Dispute", "Letter"}, out,
                   {"DunningStep", "DebtorDay", "ClaimBalance", "DebtorBalance"}, threads);
}

// What one output file holds, to compare the thread counts and to show the mix: rows per value of
// `column` (e.g. the autoresponder's outcomes; an empty cell counts as "(empty)") and a 64-bit FNV-1a
// digest of the whole file.
struct OutputSummary {
  std::map<std::string, int64_t> by_value;
  uint64_t digest = 14695981039346656037ULL;
  bool operator==(const OutputSummary&) const = default;
};

std::vector<std::string> splitCells(const std::string& line) {
  std::vector<std::string> cells(1);
  for (char c : line) {
    if (c == ',') cells.emplace_back();
    else cells.back() += c;
  }
  return cells;
}

OutputSummary summarizeOutput(const fs::path& file, const std::string& column) {
  OutputSummary summary;
  std::ifstream in(file);
  std::string line;
  size_t at = std::string::npos;
  for (bool header = true; std::getline(in, line); header = false) {
    for (char c : line) summary.digest = (summary.digest ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    summary.digest = (summary.digest ^ '\n') * 1099511628211ULL;
    std::vector<std::string> cells = splitCells(line);
    if (header) {
      at = static_cast<size_t>(std::find(cells.begin(), cells.end(), column) - cells.begin());
      continue;
    }
    ++summary.by_value[at < cells.size() ? cells[at] : std::string()];
  }
  return summary;
}

// Runs `command(threads)` 3 times at 1 and 2 threads and prints one table row per thread count:
// median wall time, input records/s, median peak RSS of the child and the engine's row summary.
// `on_output(threads)` looks at the output of the last run. Returns false when a run failed.
bool measureThreads(const std::function<std::vector<std::string>(int)>& command, int64_t rows, const fs::path& out,
                    const std::function<void(int)>& on_output) {
  std::printf("| threads | median s (min–max) | records/s | peak MiB | summary |\n|--:|--:|--:|--:|---|\n");
  for (int threads : {1, 2}) {
    std::vector<double> seconds, rss;
    std::string summary;
    for (int repeat = 0; repeat < 3; ++repeat) {
      ProcessRun run = runProcess(command(threads), {"", (out / "summary.txt").string()});
      if (run.status != 0) {
        std::fprintf(stderr, "regelwerk failed (status %d); see %s\n", run.status, (out / "summary.txt").c_str());
        return false;
      }
      seconds.push_back(run.seconds);
      rss.push_back(static_cast<double>(run.max_rss_kib) / 1024.0);
      std::ifstream report(out / "summary.txt");
      std::getline(report, summary);  // "rows in N = rows out N + rows rejected N"
    }
    double wall = median(seconds);
    std::printf("| %d | %.2f (%.2f–%.2f) | %.0f | %.0f | %s |\n", threads, wall, *std::min_element(seconds.begin(), seconds.end()),
                *std::max_element(seconds.begin(), seconds.end()), static_cast<double>(rows) / wall, median(rss), summary.c_str());
    std::fflush(stdout);
    on_output(threads);
  }
  return true;
}

// Whether the output summarised after the 1-thread and the 2-thread runs is the same; says so.
bool sameAtBothThreadCounts(const std::vector<OutputSummary>& outputs, const char* what) {
  bool same = outputs.size() == 2 && outputs[0] == outputs[1];
  std::printf("%s at 2 threads = at 1 thread (digest %016llx): %s\n", what, static_cast<unsigned long long>(outputs.front().digest),
              same ? "yes" : "NO");
  return same;
}

int benchInsolvency(int proceedings, const fs::path& data) {
  int64_t rows = writeWorkload(data, proceedings);
  fs::path out = data / "out";
  fs::create_directories(out);
  std::printf("std.insolvency, %d proceedings, %lld input rows; %s; load %s\n", proceedings, static_cast<long long>(rows),
              regelwerk::bench::cpuModel().c_str(), regelwerk::bench::loadAverage().c_str());
  auto command = [&](int threads) { return insolvencyRun(data, out, threads); };
  return measureThreads(command, rows, out, [](int) {}) ? 0 : 1;
}

// The autoresponder: the workload is generated once (autoresponder_workload.cpp), then the runs; the
// outcome counts of the output at 1 and at 2 threads must agree, and so must the files' digests.
int benchAutoresponder(int64_t contacts, const fs::path& data) {
  regelwerk::bench::AutoresponderCounts counts = regelwerk::bench::writeAutoresponderWorkload(data, contacts, 20261205);
  fs::path out = data / "out";
  fs::create_directories(out);
  std::printf("std.autoresponder, %lld contacts; rows: %lld events, %lld sent, %lld facts; the module makes %lld candidates (",
              static_cast<long long>(contacts), static_cast<long long>(counts.events), static_cast<long long>(counts.sent),
              static_cast<long long>(counts.facts), static_cast<long long>(counts.candidates));
  for (const auto& [campaign, n] : counts.candidates_by_campaign) std::printf(" %s %lld", campaign.c_str(), static_cast<long long>(n));
  std::printf(" ); %s; load %s; driver peak %lld KiB\n", regelwerk::bench::cpuModel().c_str(), regelwerk::bench::loadAverage().c_str(),
              static_cast<long long>(regelwerk::bench::peakRssKibOfSelf()));
  std::vector<OutputSummary> outputs;
  auto command = [&](int threads) { return autoresponderRun(data, out, threads); };
  auto on_output = [&](int) { outputs.push_back(summarizeOutput(out / "outcome.csv", "outcome")); };
  if (!measureThreads(command, counts.contacts + counts.items(), out, on_output)) return 1;
  std::printf("\noutcome rows (the 1-thread run, one per candidate):\n");
  for (const auto& [outcome, n] : outputs.front().by_value) std::printf("  %s %lld\n", outcome.empty() ? "(empty)" : outcome.c_str(), static_cast<long long>(n));
  return sameAtBothThreadCounts(outputs, "output") ? 0 : 1;
}

// std.interest.debtor: the claim balances at 1 and 2 threads must be the same file.
int benchDebtor(int debtors, const fs::path& data) {
  int64_t rows = writeDebtorWorkload(data, debtors);
  fs::path out = data / "out";
  fs::create_directories(out);
  std::printf("std.interest.debtor, %d debtors, %lld input rows; %s; load %s\n", debtors, static_cast<long long>(rows),
              regelwerk::bench::cpuModel().c_str(), regelwerk::bench::loadAverage().c_str());
  std::vector<OutputSummary> outputs;
  auto command = [&](int threads) { return debtorRun(data, out, threads); };
  auto on_output = [&](int) { outputs.push_back(summarizeOutput(out / "claim_balance.csv", "debtor_id")); };
  if (!measureThreads(command, rows, out, on_output)) return 1;
  return sameAtBothThreadCounts(outputs, "claim balances") ? 0 : 1;
}

// std.dunning.debtor: the claim balances and the dunning steps at 1 and 2 threads must be the same files;
// the steps' actions of the 1-thread run are printed.
int benchDunning(int debtors, const fs::path& data) {
  int64_t rows = writeDunningWorkload(data, debtors);
  fs::path out = data / "out";
  fs::create_directories(out);
  std::printf("std.dunning.debtor, %d debtors, %lld input rows; %s; load %s\n", debtors, static_cast<long long>(rows),
              regelwerk::bench::cpuModel().c_str(), regelwerk::bench::loadAverage().c_str());
  std::vector<OutputSummary> balances, steps;
  auto command = [&](int threads) { return dunningRun(data, out, threads); };
  auto on_output = [&](int) {
    balances.push_back(summarizeOutput(out / "claim_balance.csv", "status"));
    steps.push_back(summarizeOutput(out / "dunning_step.csv", "action"));
  };
  if (!measureThreads(command, rows, out, on_output)) return 1;
  std::printf("\ndunning steps (the 1-thread run):");
  for (const auto& [action, n] : steps.front().by_value) std::printf(" %s %lld", action.c_str(), static_cast<long long>(n));
  std::printf("\nclaims on as_of:");
  for (const auto& [status, n] : balances.front().by_value) std::printf(" %s %lld", status.c_str(), static_cast<long long>(n));
  std::printf("\n");
  bool same = sameAtBothThreadCounts(balances, "claim balances");
  return sameAtBothThreadCounts(steps, "dunning steps") && same ? 0 : 1;
}

}  // namespace

// bench_stdlib [insolvency] [PROCEEDINGS] [DIR] | bench_stdlib autoresponder [CONTACTS] [DIR] | bench_stdlib debtor|dunning [DEBTORS] [DIR]
int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& arg : args) {
    // An option is never a count or a folder: without this, `--help` ran the default workload and
    // wrote its data into the current directory.
    if (!arg.empty() && arg[0] == '-') {
      if (arg != "--help") std::fprintf(stderr, "bench_stdlib: unknown option %s\n", arg.c_str());
      std::fprintf(arg == "--help" ? stdout : stderr,
                   "usage: bench_stdlib [insolvency] [PROCEEDINGS=100000] [DIR=bench-stdlib-data]\n"
                   "       bench_stdlib autoresponder [CONTACTS=1000000] [DIR=bench-autoresponder-data]\n"
                   "       bench_stdlib debtor [DEBTORS=200000] [DIR=bench-debtor-data]\n"
                   "       bench_stdlib dunning [DEBTORS=50000] [DIR=bench-dunning-data]\n"
                   "DIR receives the generated data and the outputs (its out/ folder).\n");
      return arg == "--help" ? 0 : 2;
    }
  }
  std::string module = "insolvency";
  if (!args.empty() && (args[0] == "insolvency" || args[0] == "autoresponder" || args[0] == "debtor" || args[0] == "dunning")) {
    module = args[0];
    args.erase(args.begin());
  }
  if (module == "autoresponder") {
    return benchAutoresponder(args.size() > 0 ? std::atoll(args[0].c_str()) : 1000000,
                              args.size() > 1 ? fs::path(args[1]) : fs::path("bench-autoresponder-data"));
  }
  if (module == "debtor") {
    return benchDebtor(args.size() > 0 ? std::atoi(args[0].c_str()) : 200000, args.size() > 1 ? fs::path(args[1]) : fs::path("bench-debtor-data"));
  }
  if (module == "dunning") {
    return benchDunning(args.size() > 0 ? std::atoi(args[0].c_str()) : 50000, args.size() > 1 ? fs::path(args[1]) : fs::path("bench-dunning-data"));
  }
  return benchInsolvency(args.size() > 0 ? std::atoi(args[0].c_str()) : 100000,
                         args.size() > 1 ? fs::path(args[1]) : fs::path("bench-stdlib-data"));
}
