// Differential soak: generates random rule files and inputs (tests/differential/gen) and runs them
// through the interpreter and the JIT until stopped, or for --seconds N; stops at the first
// disagreement or crash, minimizes it and saves it under tests/differential/found/<seed>/.
//
//   differential_soak [--seconds N] [--start SEED] [--rows N] [--no-fork]
//   differential_soak --seed N [--dump DIR]     one seed: compare (and minimize if it fails), or
//                                              write its program.rules, input.csv and params to DIR
//   differential_soak --case DIR                a saved case (program.rules, input.csv, params) in
//                                              every configuration
//   differential_soak --grouped [--seconds N] [--start SEED]
//                                              grouped rule sets (tests/differential/gen/group_generator:
//                                              keyed inputs, aggregates, folds, distribute, each blocks,
//                                              several output records) instead; a failing seed is
//                                              saved whole (not minimized) under
//                                              tests/differential/found-grouped/<seed>/
//   differential_soak --grouped --seed N [--dump DIR]   one grouped seed; DIR gets its files
//
// Each program runs in a forked child by default, so a crash or a hang (60 s) of an engine is
// reported and minimized like any other disagreement.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string>

#include "csv_generator.hpp"
#include "differential_run.hpp"
#include "group_generator.hpp"
#include "grouped_run.hpp"
#include "program_generator.hpp"
#include "shrinker.hpp"

namespace fs = std::filesystem;
using namespace regelwerk::difftest;

namespace {

struct Options {
  double seconds = 0;  // 0: until stopped
  uint64_t start = 0;
  bool start_given = false;
  int rows = 1000;
  bool fork = true;
  bool grouped = false;
  bool one_seed = false;
  uint64_t seed = 0;
  std::string dump;
  std::string case_dir;
};

bool parseOptions(int argc, char** argv, Options* options) {
  for (int arg = 1; arg < argc; ++arg) {
    std::string name = argv[arg];
    const char* value = arg + 1 < argc ? argv[arg + 1] : nullptr;
    if (name == "--no-fork") {
      options->fork = false;
      continue;
    }
    if (name == "--grouped") {
      options->grouped = true;
      continue;
    }
    if (!value) return false;
    ++arg;
    if (name == "--seconds")
      options->seconds = std::stod(value);
    else if (name == "--start")
      options->start = std::stoull(value), options->start_given = true;
    else if (name == "--rows")
      options->rows = std::stoi(value);
    else if (name == "--seed")
      options->seed = std::stoull(value), options->one_seed = true;
    else if (name == "--case")
      options->case_dir = value;
    else if (name == "--dump")
      options->dump = value;
    else
      return false;
  }
  return true;
}

// The verdict of `compare` run in a child process: one status byte (agree, checks) and the detail text.
Verdict compareInChild(const std::function<Verdict()>& compare) {
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) return compare();
  std::fflush(nullptr);
  pid_t child = fork();
  if (child == 0) {
    close(pipe_ends[0]);
    alarm(60);
    Verdict verdict = compare();
    std::string message = fmt::format("{}{}{} {} ", verdict.agree ? 1 : 0, verdict.checks ? 1 : 0, verdict.rows_in,
                                      verdict.rows_rejected) +
                          verdict.detail;
    ssize_t written = write(pipe_ends[1], message.data(), message.size());
    _exit(written == static_cast<ssize_t>(message.size()) ? 0 : 3);
  }
  close(pipe_ends[1]);
  std::string message;
  char buffer[4096];
  for (ssize_t got; (got = read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    message.append(buffer, static_cast<size_t>(got));
  close(pipe_ends[0]);
  int status = 0;
  waitpid(child, &status, 0);
  Verdict verdict;
  if (WIFSIGNALED(status) || message.size() < 2) {
    verdict.agree = false;
    int signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    verdict.detail = signal == SIGALRM ? "a run took longer than 60 s"
                                       : fmt::format("the run crashed (signal {} {})", signal, strsignal(signal));
    return verdict;
  }
  verdict.agree = message[0] == '1';
  verdict.checks = message[1] == '1';
  size_t space = message.find(' ', 2), second = message.find(' ', space + 1);
  verdict.rows_in = std::stoll(message.substr(2, space - 2));
  verdict.rows_rejected = std::stoll(message.substr(space + 1, second - space - 1));
  verdict.detail = message.substr(second + 1);
  return verdict;
}

struct Soak {
  Options options;
  fs::path scratch = fs::temp_directory_path() / fmt::format("differential-soak-{}", getpid());

  Verdict compare(const std::string& rules, const std::string& module, const std::string& csv, const Params& params,
                  uint64_t seed) {
    auto configs = configsForSeed(seed);
    auto compare = [&] { return compareEngines(rules, module, csv, params, configs, scratch); };
    return options.fork ? compareInChild(compare) : compare();
  }

  // Minimizes the failing case of `seed`, saves it and prints it; returns the exit code.
  int report(uint64_t seed, const GProgram& program, const std::string& csv, const Verdict& verdict) {
    if (!verdict.checks) {
      fmt::print("seed {}: the generated program does not check (a generator or checker bug)\n{}{}\n", seed,
                 render(program), verdict.detail);
      return 1;
    }
    fmt::print("seed {}: {}\nminimizing...\n", seed, verdict.detail);
    std::fflush(stdout);
    Oracle oracle = [&](const std::string& rules, const std::string& module, const std::string& input,
                        const Params& params) { return compare(rules, module, input, params, seed); };
    Reproducer small = shrinkCase(program, csv, oracle, 3000);
    fs::path folder = saveReproducer(small, fs::path(RW_SOURCE_DIR) / "tests/differential/found", seed);
    fmt::print("minimized in {} runs: {}\nsaved to {}\n--- program.rules\n{}--- {}\n{}--- input.csv\n{}",
               small.attempts, small.detail, folder.string(), render(small.program), kModuleFile,
               renderModule(small.program), small.csv);
    return 1;
  }

  int oneSeed() {
    GProgram program = generateProgram(options.seed);
    std::string csv = generateCsv(program, options.seed, options.rows);
    if (!options.dump.empty()) {
      fs::create_directories(options.dump);
      std::ofstream(fs::path(options.dump) / "program.rules") << render(program);
      if (program.module) std::ofstream(fs::path(options.dump) / kModuleFile) << renderModule(program);
      std::ofstream(fs::path(options.dump) / "input.csv") << csv;
      std::ofstream params(fs::path(options.dump) / "params");
      for (const auto& [name, value] : givenParams(program)) params << name << "=" << value << "\n";
    }
    if (!options.dump.empty()) scratch = options.dump;  // keeps the last run's output.csv and rejects.csv
    Verdict verdict = compare(render(program), renderModule(program), csv, givenParams(program), options.seed);
    if (verdict.checks && verdict.agree) {
      fmt::print("seed {}: the engines agree ({} rows, {} rejected)\n", options.seed, verdict.rows_in,
                 verdict.rows_rejected);
      return 0;
    }
    return report(options.seed, program, csv, verdict);
  }

  int savedCase() {
    fs::path folder = options.case_dir;
    auto text = [&](const char* name) {
      std::ifstream in(folder / name, std::ios::binary);
      return std::string(std::istreambuf_iterator<char>(in), {});
    };
    Params params;
    std::istringstream lines(text("params"));
    for (std::string line; std::getline(lines, line);) {
      size_t equals = line.find('=');
      if (equals != std::string::npos) params.emplace_back(line.substr(0, equals), line.substr(equals + 1));
    }
    std::string module = fs::exists(folder / kModuleFile) ? text(kModuleFile) : "";
    auto compare = [&] {
      return compareEngines(text("program.rules"), module, text("input.csv"), params, allConfigs(), scratch);
    };
    Verdict verdict = options.fork ? compareInChild(compare) : compare();
    if (!verdict.checks)
      fmt::print("{}: the program does not check\n{}", folder.string(), verdict.detail);
    else if (verdict.agree)
      fmt::print("{}: the engines agree in every configuration ({} rows, {} rejected)\n", folder.string(),
                 verdict.rows_in, verdict.rows_rejected);
    else
      fmt::print("{}: {}\n", folder.string(), verdict.detail);
    return verdict.checks && verdict.agree ? 0 : 1;
  }

  // A grouped case in every variant of tests/differential/gen/grouped_run (in a child unless --no-fork).
  Verdict compareGrouped(const GroupCase& generated) {
    auto compare = [&] {
      GroupVerdict grouped = compareGroupCase(generated, scratch);
      Verdict verdict;
      verdict.checks = grouped.checks;
      verdict.agree = grouped.agree;
      verdict.detail = grouped.detail;
      verdict.rows_in = grouped.rows_in;
      verdict.rows_rejected = grouped.rows_rejected;
      return verdict;
    };
    return options.fork ? compareInChild(compare) : compare();
  }

  // Saves the failing grouped case of `seed` whole (there is no grouped shrinker) and prints it.
  int reportGrouped(uint64_t seed, const GroupCase& generated, const Verdict& verdict) {
    fs::path folder = fs::path(RW_SOURCE_DIR) / "tests/differential/found-grouped" / std::to_string(seed);
    saveGroupCase(generated, folder);
    std::ofstream(folder / "note.txt") << "differential_soak --grouped --seed " << seed << "\n" << verdict.detail;
    fmt::print("seed {} (grouped): {}\n{}{}\nsaved to {}\n", seed,
               verdict.checks ? "the runs disagree" : "the rule set does not check (a generator or checker bug)",
               generated.rules, verdict.detail, folder.string());
    return 1;
  }

  int groupedSeed() {
    GroupCase generated = generateGroupCase(options.seed);
    if (!options.dump.empty()) saveGroupCase(generated, options.dump);
    Verdict verdict = compareGrouped(generated);
    if (!verdict.checks || !verdict.agree) return reportGrouped(options.seed, generated, verdict);
    fmt::print("seed {} (grouped): every variant agrees ({} records, {} rejected)\n", options.seed, verdict.rows_in,
               verdict.rows_rejected);
    return 0;
  }

  int soak() {
    uint64_t seed = options.start_given
                        ? options.start
                        : static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    std::string what = options.grouped ? "grouped rule sets" : fmt::format("{} rows per program", options.rows);
    fmt::print("differential soak from seed {} ({}{})\n", seed, what, options.fork ? ", one child process per program" : "");
    auto start = std::chrono::steady_clock::now();
    auto last_report = start;
    int64_t programs = 0, rows = 0, rejected = 0;
    for (;; ++seed) {
      Verdict verdict;
      if (options.grouped) {
        GroupCase generated = generateGroupCase(seed);
        verdict = compareGrouped(generated);
        if (!verdict.checks || !verdict.agree) return reportGrouped(seed, generated, verdict);
      } else {
        GProgram program = generateProgram(seed);
        std::string csv = generateCsv(program, seed, options.rows);
        verdict = compare(render(program), renderModule(program), csv, givenParams(program), seed);
        if (!verdict.checks || !verdict.agree) return report(seed, program, csv, verdict);
      }
      ++programs;
      rows += verdict.rows_in;
      rejected += verdict.rows_rejected;
      auto now = std::chrono::steady_clock::now();
      double elapsed = std::chrono::duration<double>(now - start).count();
      bool done = options.seconds > 0 && elapsed >= options.seconds;
      if (done || std::chrono::duration<double>(now - last_report).count() >= 10) {
        fmt::print("{:.0f} s: {} programs ({:.1f}/s), {} rows ({:.0f}/s, {:.1f}% rejected), last seed {}\n", elapsed,
                   programs, programs / elapsed, rows, rows / elapsed, rows ? 100.0 * rejected / rows : 0.0, seed);
        std::fflush(stdout);
        last_report = now;
      }
      if (done) return 0;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  Soak soak;
  if (!parseOptions(argc, argv, &soak.options)) {
    std::fprintf(stderr,
                 "usage: differential_soak [--grouped] [--seconds N] [--start SEED] [--rows N] [--no-fork] "
                 "[--seed N [--dump DIR]] [--case DIR]\n");
    return 2;
  }
  fs::path scratch = soak.scratch;
  int code = !soak.options.case_dir.empty()                  ? soak.savedCase()
             : soak.options.one_seed && soak.options.grouped ? soak.groupedSeed()
             : soak.options.one_seed                         ? soak.oneSeed()
                                                             : soak.soak();
  fs::remove_all(scratch);
  return code;
}
