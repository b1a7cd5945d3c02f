// `bench_groups [--estates N] [--claims-per K] [--contacts N] [--events-per K] [--repeats R] [--engine jit|interp]
// [--threads N] [--data DIR] [--only waterfall|events] [--remove-data]`: the grouped benchmark of
// shared/bench/groups.md. For each workload and input order (sorted, shuffled) it runs the hand-written
// baseline (groups_handwritten, one thread) and the engine through examples/<workload>/run.sh at 1 and N
// threads, each R times round-robin, one child process per run; it prints a markdown table of median wall
// times, records/s, peak RSS and the engine ÷ baseline ratio, and checks every run's output against the
// baseline's (CHECKSUM line from groups_checksum, and the output files byte for byte). README.md beside
// this file explains each figure.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"

namespace {

namespace fs = std::filesystem;
using namespace regelwerk::bench;

struct Options {
  int64_t estates = 100000, claims_per = 50, contacts = 1000000, events_per = 10;
  int repeats = 3;
  std::string engine = "jit";
  int threads = allThreads();
  std::string data_dir = RW_BINARY_DIR "/bench-groups-data";
  std::vector<std::string> workloads = {"waterfall", "events"};
  bool remove_data = false;
};

// One workload of groups.md at one size: its generator arguments, files and the documented line.
struct Workload {
  std::string name;
  int64_t groups = 0, per_group = 0;
  std::vector<std::string> inputs, outputs;
  std::string documented;  // groups.md's CHECKSUM line for this size, empty if it lists none

  std::string folder(const Options& options) const {
    return options.data_dir + "/" + name + "-" + std::to_string(groups) + "x" + std::to_string(per_group) + "-seed42";
  }
};

// groups.md "Reference checksums (seed 42)", standard sizes.
constexpr const char* kStandardWaterfall =
    "CHECKSUM waterfall claims=5000000 payout_sum=1295619196538984 payout_zero=1608989 payout_mix=5131049391673654 "
    "estates=100000 paid_sum=1295619196538984 surplus_sum=32970356343439 quota_n=98307 quota_sum=528699329 "
    "quota_mix=2627251120850";
constexpr const char* kStandardEvents =
    "CHECKSUM events contacts=1000000 none=68590 pending=271978 confirmed=321575 withdrawn=337857 send=47056 "
    "no_cart=309755 too_early=150635 purchased=166043 no_consent=103264 unsubscribed=146208 capped=28127 "
    "quiet=48912 last_cart_n=690245 last_cart_sum=1202935800386673 mix=95506199243 cart_mix=1453992165132507";

Workload makeWorkload(const std::string& name, const Options& options) {
  Workload workload;
  workload.name = name;
  if (name == "waterfall") {
    workload.groups = options.estates;
    workload.per_group = options.claims_per;
    workload.inputs = {"estates.csv", "claims.csv"};
    workload.outputs = {"payouts.csv", "estate_totals.csv"};
    if (workload.groups == 100000 && workload.per_group == 50) workload.documented = kStandardWaterfall;
  } else {
    workload.groups = options.contacts;
    workload.per_group = options.events_per;
    workload.inputs = {"contacts.csv", "events.csv"};
    workload.outputs = {"decisions.csv"};
    if (workload.groups == 1000000 && workload.per_group == 10) workload.documented = kStandardEvents;
  }
  return workload;
}

enum class Order { Sorted, Shuffled };
constexpr Order kOrders[] = {Order::Sorted, Order::Shuffled};
const char* orderName(Order order) { return order == Order::Sorted ? "sorted" : "shuffled"; }

// A contender: the baseline, or the engine at a thread count.
struct Contender {
  std::string label;  // "baseline", "engine-t1", "engine-t2"
  int threads = 1;
  bool engine = false;
};

std::vector<Contender> contenders(const Options& options) {
  std::vector<Contender> list = {{"baseline", 1, false}, {"engine-t1", 1, true}};
  if (options.threads != 1) list.push_back({"engine-t" + std::to_string(options.threads), options.threads, true});
  return list;
}

// ---- data ----

bool fileExists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

// Generates the workload's files in `dir` unless a previous run completed them there (the `.complete`
// stamp is written last, so an interrupted generation is redone).
bool ensureData(const Workload& workload, Order order, const std::string& dir, std::string* error) {
  const std::string stamp = dir + "/.complete";
  if (fileExists(stamp)) return true;
  fs::create_directories(dir);
  std::vector<std::string> args = {RW_GEN_GROUPS};
  if (order == Order::Shuffled) args.push_back("--shuffle");
  for (const std::string& arg : {workload.name, std::to_string(workload.groups), std::to_string(workload.per_group),
                                 std::string("42"), dir})
    args.push_back(arg);
  std::fprintf(stderr, "generating %s %s data in %s\n", workload.name.c_str(), orderName(order), dir.c_str());
  if (runProcess(args).status != 0) {
    *error = std::string("generator `") + RW_GEN_GROUPS + "` failed for " + dir;
    return false;
  }
  std::ofstream(stamp) << "gen_groups " << workload.groups << " " << workload.per_group << " 42\n";
  return true;
}

// Data rows of a CSV file (lines after the header), read in blocks so the driver stays small.
int64_t dataRows(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return 0;
  int64_t lines = 0;
  char buffer[1 << 16];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, file)) > 0;) lines += std::count(buffer, buffer + got, '\n');
  std::fclose(file);
  return lines > 0 ? lines - 1 : 0;
}

bool sameBytes(const std::string& left_path, const std::string& right_path) {
  std::FILE* left = std::fopen(left_path.c_str(), "rb");
  std::FILE* right = std::fopen(right_path.c_str(), "rb");
  bool same = left != nullptr && right != nullptr;
  static char left_buffer[1 << 16], right_buffer[1 << 16];
  while (same) {
    const size_t left_got = std::fread(left_buffer, 1, sizeof left_buffer, left);
    const size_t right_got = std::fread(right_buffer, 1, sizeof right_buffer, right);
    same = left_got == right_got && std::memcmp(left_buffer, right_buffer, left_got) == 0;
    if (left_got == 0) break;
  }
  if (left) std::fclose(left);
  if (right) std::fclose(right);
  return same;
}

// ---- runs ----

struct Cell {
  std::vector<double> seconds;
  int64_t max_rss_kib = 0;
  std::vector<std::string> problems;
};

// (workload, order, contender label) → figures
using Results = std::map<std::string, Cell>;
std::string cellKey(const Workload& workload, Order order, const std::string& label) {
  return workload.name + "/" + orderName(order) + "/" + label;
}

std::vector<std::string> commandOf(const Workload& workload, const Contender& contender, const Options& options,
                                   const std::string& data, const std::string& out) {
  if (!contender.engine) return {RW_GROUPS_HANDWRITTEN, workload.name, data, out};
  return {RW_SOURCE_DIR "/examples/" + workload.name + "/run.sh", data, out, "--engine", options.engine,
          "--threads", std::to_string(contender.threads)};
}

// The output's CHECKSUM line (groups_checksum), or "" with the tool's complaint in `problem`.
std::string checksumLine(const Workload& workload, const std::string& out, const std::string& log,
                         std::string* problem) {
  const ProcessRun run = runProcess({RW_GROUPS_CHECKSUM, workload.name, out}, {"", log});
  std::string line = run.out.substr(0, run.out.find('\n'));
  if (run.status != 0 || line.rfind("CHECKSUM ", 0) != 0) {
    *problem = "groups_checksum failed (status " + std::to_string(run.status) + "), see " + log;
    return "";
  }
  return line;
}

std::string lastLine(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// Everything one run checks; each problem is printed at once (loudly) and kept for the table.
void noteProblem(Cell* cell, const std::string& where, const std::string& problem) {
  std::fprintf(stderr, "\n*** MISMATCH %s: %s\n", where.c_str(), problem.c_str());
  cell->problems.push_back(problem);
}

// One timed run of `contender`, then its checks: exit status, the checksum line against the baseline's
// (the baseline's own line against its printed one), and the output files against the baseline's bytes.
void runOnce(const Workload& workload, Order order, const Contender& contender, const Options& options,
             std::map<std::string, std::string>* baseline_lines, Results* results) {
  const std::string root = workload.folder(options), data = root + "/" + orderName(order);
  const std::string out = root + "/out-" + orderName(order) + "-" + contender.label;
  const std::string baseline_out = root + "/out-" + orderName(order) + "-baseline";
  const std::string log = out + ".log", where = cellKey(workload, order, contender.label);
  fs::remove_all(out);
  fs::create_directories(out);
  Cell& cell = (*results)[where];
  const ProcessRun run = runProcess(commandOf(workload, contender, options, data, out), {"", log});
  cell.max_rss_kib = std::max(cell.max_rss_kib, run.max_rss_kib);
  if (run.status != 0) {
    noteProblem(&cell, where, "exit status " + std::to_string(run.status) + ": " + lastLine(log) + " (" + log + ")");
    return;
  }
  cell.seconds.push_back(run.seconds);
  std::string problem;
  const std::string line = checksumLine(workload, out, out + ".checksum.log", &problem);
  if (line.empty()) return noteProblem(&cell, where, problem);
  std::string& reference = (*baseline_lines)[workload.name];
  if (!contender.engine) {
    const std::string printed = run.out.substr(0, run.out.find('\n'));
    if (printed != line) noteProblem(&cell, where, "printed `" + printed + "` but its files give `" + line + "`");
    if (reference.empty()) reference = line;
  }
  if (line != reference) noteProblem(&cell, where, "`" + line + "` differs from the baseline's `" + reference + "`");
  if (!contender.engine) return;
  for (const std::string& file : workload.outputs) {
    if (!sameBytes(out + "/" + file, baseline_out + "/" + file))
      noteProblem(&cell, where, file + " differs from the baseline's " + baseline_out + "/" + file);
  }
}

// Round-robin: every repeat runs each order and contender once, so noise from other processes falls on
// all of them alike.
void measure(const Workload& workload, const Options& options, std::map<std::string, std::string>* baseline_lines,
             Results* results) {
  for (int repeat = 0; repeat < options.repeats; ++repeat) {
    for (Order order : kOrders) {
      for (const Contender& contender : contenders(options)) {
        std::fprintf(stderr, "\r%s: run %d of %d, %s input, %s   ", workload.name.c_str(), repeat + 1, options.repeats,
                     orderName(order), contender.label.c_str());
        runOnce(workload, order, contender, options, baseline_lines, results);
      }
    }
  }
  std::fprintf(stderr, "\n");
}

// ---- the report ----

std::string thousands(int64_t value) {
  std::string digits = std::to_string(value), text;
  for (size_t pos = 0; pos < digits.size(); ++pos) {
    if (pos > 0 && (digits.size() - pos) % 3 == 0) text += ',';
    text += digits[pos];
  }
  return text;
}

// "1.234 (1.201–1.290)": median seconds and the range.
std::string secondsCell(const std::vector<double>& seconds) {
  if (seconds.empty()) return "–";
  const auto [fastest, slowest] = std::minmax_element(seconds.begin(), seconds.end());
  return format("%.3f", median(seconds)) + format(" (%.3f", *fastest) + format("–%.3f)", *slowest);
}

std::string recordsPerSecondCell(const std::vector<double>& seconds, int64_t records) {
  if (seconds.empty()) return "–";
  return format("%.2f M", static_cast<double>(records) / 1e6 / median(seconds));
}

std::string ratioCell(const Cell& cell, const Cell& baseline) {
  if (cell.seconds.empty() || baseline.seconds.empty()) return "–";
  return format("%.2f×", median(cell.seconds) / median(baseline.seconds));
}

void printHeader(const Options& options, const std::vector<Workload>& workloads, const std::string& load) {
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
  std::string sizes;
  for (const Workload& workload : workloads)
    sizes += (sizes.empty() ? "" : ", ") + workload.name + " " + thousands(workload.groups) + " × " +
             std::to_string(workload.per_group);
  std::printf("## %s — groups: %s (seed 42), median of %d runs\n\n", date, sizes.c_str(), options.repeats);
  std::printf("CPU `%s`, %d hardware threads, load average at start %s. Engine: `run.sh DATA OUT --engine %s "
              "--threads 1%s` with `%s` (build type %s); baseline: `groups_handwritten` (-O2, one thread).\n\n",
              cpuModel().c_str(), allThreads(), load.c_str(), options.engine.c_str(),
              options.threads == 1 ? "" : ("|" + std::to_string(options.threads)).c_str(),
              std::getenv("REGELWERK"), RW_BUILD_TYPE);
}

void printTable(const Options& options, const std::vector<Workload>& workloads, const Results& results,
                const std::map<std::string, int64_t>& records) {
  std::printf("| workload | input | program | threads | records | wall s, median (range) | records/s | peak RSS, MiB "
              "| time ÷ baseline | output = baseline |\n|---|---|---|--:|--:|--:|--:|--:|--:|---|\n");
  for (const Workload& workload : workloads) {
    for (Order order : kOrders) {
      const Cell& baseline = results.at(cellKey(workload, order, "baseline"));
      for (const Contender& contender : contenders(options)) {
        const Cell& cell = results.at(cellKey(workload, order, contender.label));
        const int64_t rows = records.at(workload.name);
        std::printf("| %s | %s | %s | %d | %s | %s | %s | %.0f | %s | %s |\n", workload.name.c_str(), orderName(order),
                    contender.engine ? ("regelwerk " + options.engine).c_str() : "hand-written", contender.threads,
                    thousands(rows).c_str(), secondsCell(cell.seconds).c_str(),
                    recordsPerSecondCell(cell.seconds, rows).c_str(), static_cast<double>(cell.max_rss_kib) / 1024.0,
                    contender.engine ? ratioCell(cell, baseline).c_str() : "1.00×",
                    cell.problems.empty() && !cell.seconds.empty() ? "ok" : "**MISMATCH**");
      }
    }
  }
}

void printNotes(const std::vector<Workload>& workloads, const std::map<std::string, std::string>& baseline_lines) {
  std::printf("\nRecords = data rows of both input files. Wall time is the whole child process (engine: bash, "
              "then `regelwerk run` with parsing, compiling, reading, grouping, evaluating, writing). Peak RSS is "
              "wait4's ru_maxrss of the child; it includes this driver's own %lld KiB at fork time.\n\n",
              static_cast<long long>(peakRssKibOfSelf()));
  for (const Workload& workload : workloads) {
    auto found = baseline_lines.find(workload.name);
    const std::string line = found == baseline_lines.end() ? "" : found->second;
    std::printf("%s baseline: `%s`%s\n\n", workload.name.c_str(), line.c_str(),
                workload.documented.empty()    ? " (groups.md lists no checksum for this size)"
                : workload.documented == line ? " (= groups.md)"
                                               : " (**differs from groups.md**)");
  }
}

bool printFailures(const Results& results) {
  bool failed = false;
  for (const auto& [where, cell] : results) {
    for (const std::string& problem : cell.problems) std::printf("- **%s**: %s\n", where.c_str(), problem.c_str());
    failed = failed || !cell.problems.empty() || cell.seconds.empty();
  }
  return failed;
}

// ---- driver ----

bool parseCount(const char* text, int64_t* value) {
  char* end = nullptr;
  *value = std::strtoll(text, &end, 10);
  return *end == '\0' && *value > 0;
}

bool parseOptions(int argc, char** argv, Options* options) {
  for (int arg = 1; arg < argc; ++arg) {
    const std::string name = argv[arg];
    if (name == "--remove-data") {
      options->remove_data = true;
      continue;
    }
    if (arg + 1 >= argc) return false;
    const char* value = argv[++arg];
    int64_t number = 0;
    const std::map<std::string, int64_t*> counts = {{"--estates", &options->estates},
                                                    {"--claims-per", &options->claims_per},
                                                    {"--contacts", &options->contacts},
                                                    {"--events-per", &options->events_per}};
    if (counts.count(name)) {
      if (!parseCount(value, counts.at(name))) return false;
    } else if (name == "--repeats" || name == "--threads") {
      if (!parseCount(value, &number) || number > 1000) return false;
      (name == "--repeats" ? options->repeats : options->threads) = static_cast<int>(number);
    } else if (name == "--engine" && (std::string(value) == "jit" || std::string(value) == "interp")) {
      options->engine = value;
    } else if (name == "--only" && (std::string(value) == "waterfall" || std::string(value) == "events")) {
      options->workloads = {value};
    } else if (name == "--data") {
      options->data_dir = fs::absolute(value).string();
    } else {
      return false;
    }
  }
  return true;
}

const char* const kUsage =
    "usage: bench_groups [--estates N=100000] [--claims-per K=50] [--contacts N=1000000] [--events-per K=10]\n"
    "                    [--repeats R=3] [--engine jit|interp] [--threads N=all] [--data DIR] [--only WORKLOAD]\n"
    "                    [--remove-data]\n"
    "  DIR defaults to <build>/bench-groups-data; generated data is kept there and reused unless --remove-data.\n"
    "  The engine is $REGELWERK if set, else the regelwerk binary of this build.\n";

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "%s", kUsage);
    return 2;
  }
  ::setenv("REGELWERK", RW_REGELWERK, 0);  // run.sh's engine: this build's, unless the caller chose one
  std::vector<Workload> workloads;
  for (const std::string& name : options.workloads) workloads.push_back(makeWorkload(name, options));
  Results results;
  std::map<std::string, std::string> baseline_lines;
  std::map<std::string, int64_t> records;
  const std::string load_at_start = loadAverage();
  for (const Workload& workload : workloads) {
    std::string error;
    for (Order order : kOrders) {
      if (!ensureData(workload, order, workload.folder(options) + "/" + orderName(order), &error)) {
        std::fprintf(stderr, "bench_groups: %s\n", error.c_str());
        return 2;
      }
    }
    for (const std::string& input : workload.inputs)
      records[workload.name] += dataRows(workload.folder(options) + "/sorted/" + input);
    measure(workload, options, &baseline_lines, &results);
    if (options.remove_data) fs::remove_all(workload.folder(options));
  }
  printHeader(options, workloads, load_at_start);
  printTable(options, workloads, results, records);
  printNotes(workloads, baseline_lines);
  const bool failed = printFailures(results);
  if (!options.remove_data) std::fprintf(stderr, "data and outputs kept in %s\n", options.data_dir.c_str());
  return failed ? 1 : 0;
}
