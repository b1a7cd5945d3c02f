// `regelwerk`: check a rule file, run it over a CSV file, run its tests. Thin: all work is in the public API.
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>

#include "args.hpp"
#include "check_command.hpp"
#include "console.hpp"
#include "fmt_command.hpp"
#include "lsp_server.hpp"
#include "diff_command.hpp"
#include "help_text.hpp"
#include "runtime/exec/api.hpp"
#include "run_report.hpp"
#include "runtime/jit/code_cache.hpp"
#include "test_command.hpp"

namespace {

using regelwerk::cli::Args;
using regelwerk::cli::print;

constexpr int kExitOk = 0;
constexpr int kExitRuleErrors = 1;
constexpr int kExitUsage = 2;

int printDump(const regelwerk::RuleSet& rules, const std::string& what) {
  if (what == "ast") print("{}", rules.dumpAst());
  if (what == "ir") print("{}", rules.dumpIr());
  if (what == "llvm") {
    std::string error;
    std::string text = regelwerk::dumpLlvm(rules, &error);
    if (!error.empty()) {
      print(stderr, "regelwerk: internal error in the JIT: {}\n", error);
      return kExitUsage;
    }
    print("{}", text);
  }
  return kExitOk;
}

// Loads and checks the rule file; prints diagnostics. Null with *exit_code set on failure.
std::unique_ptr<regelwerk::RuleSet> loadRules(const Args& args, int* exit_code) {
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(args.rules_path, &diagnostics, &io_error);
  if (!io_error.empty()) {
    print(stderr, "regelwerk: {}\n", io_error);
    *exit_code = kExitUsage;
    return nullptr;
  }
  print(stderr, "{}", diagnostics.text);
  if (!rules) {
    print(stderr, "{}: {} error{}; nothing was run\n", args.rules_path, diagnostics.errors,
               diagnostics.errors == 1 ? "" : "s");
    *exit_code = kExitRuleErrors;
  }
  return rules;
}

int runRules(const Args& args, const regelwerk::RuleSet& rules) {
  std::string error;
  auto engine = regelwerk::Engine::create(rules, args.engine, &error);
  if (!engine) {
    print(stderr, "regelwerk: internal error in the JIT: {}\n", error);
    return kExitUsage;
  }
  regelwerk::RunOptions options = args.run;
  if (!args.separator_given) options.separator = regelwerk::declaredSeparator(rules);
  options.separator_given = args.separator_given;
  if (args.explain_line > 0) {
    std::string text;
    if (!regelwerk::explainRecord(rules, options, args.explain_line, &text, &error)) {
      print(stderr, "regelwerk: {}\n", error);
      return kExitUsage;
    }
    return print("{}", text), kExitOk;
  }
  regelwerk::RunSummary summary = args.db.any() ? regelwerk::db::runWithDatabase(rules, *engine, options, args.db)
                                                : regelwerk::run(rules, *engine, options);
  if (summary.exit_code != 0) {
    print(stderr, "regelwerk: {}\n", summary.error);
    return summary.exit_code;
  }
  if (!args.quiet) regelwerk::cli::printRunReport(rules.program(), *engine, summary);
  return kExitOk;
}

// Standard input, output or error closed by the caller (`2>&-`): the first files the run opens would
// get those numbers, and messages would land in the output. Each closed one is held by /dev/null, and
// the caller learns which were closed, so that `--output -` to a closed stdout is still an error.
std::array<bool, 3> holdStandardDescriptors() {
  std::array<bool, 3> closed{};
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    closed[static_cast<size_t>(fd)] = true;
    int held = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (held >= 0 && held != fd) {
      ::dup2(held, fd);
      ::close(held);
    }
  }
  return closed;
}

// "-" names a standard stream the caller closed: nothing could be read from or written to it.
bool checkStandardStreams(const Args& args, const std::array<bool, 3>& closed) {
  const char* problem = nullptr;
  if (closed[0] && args.run.input_path == "-") problem = "--input - reads standard input, which is closed";
  // `diff` writes its report to standard output unless --output names a file.
  const bool report_to_stdout = args.command == "diff" && args.run.output_path.empty();
  if (closed[1] && (args.run.output_path == "-" || args.run.rejects_path == "-" || report_to_stdout)) {
    problem = "- writes standard output, which is closed: name a file";
  }
  if (problem == nullptr) return true;
  print(stderr, "regelwerk: {}\n", problem);
  return false;
}

// SIGINT, SIGTERM, SIGHUP: remove the run's temporary files (output files stay as they were), say so in one
// line, and exit 128 + the signal number as shells do. Only async-signal-safe calls here.
extern "C" void onTerminationSignal(int signal_number) {
  regelwerk::removePendingOutputs();
  const char* name = signal_number == SIGINT ? "SIGINT" : signal_number == SIGTERM ? "SIGTERM" : "SIGHUP";
  const char* rest = ": stopped; output files were left as they were and temporary files removed\n";
  (void)!::write(STDERR_FILENO, "regelwerk: ", 11);
  (void)!::write(STDERR_FILENO, name, std::strlen(name));
  (void)!::write(STDERR_FILENO, rest, std::strlen(rest));
  ::_exit(128 + signal_number);
}

// A reader that goes away (`--output - | head -1`) is a write error with a message, not a silent death.
void installSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = onTerminationSignal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal_number, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

// `regelwerk --help` prints the overview, `regelwerk run --help` the page of `run`.
void printHelp(const std::string& topic) {
  print("{}", topic.empty() ? regelwerk::cli::usageText() : regelwerk::cli::commandHelp(topic));
}

int runCommand(int argc, char** argv, const std::array<bool, 3>& closed_streams) {
  Args args;
  std::string error;
  if (argc < 2) return print(stderr, "{}", regelwerk::cli::usageText()), kExitUsage;
  if (!regelwerk::cli::parseArgs(argc, argv, &args, &error)) {
    bool has_page = regelwerk::cli::commandHelp(args.command) != nullptr;
    print(stderr, "regelwerk: {} (see regelwerk {}--help)\n", error, has_page ? args.command + " " : "");
    return kExitUsage;
  }
  if (args.command == "help") return printHelp(args.help_topic), kExitOk;
  if (args.no_cache) regelwerk::setCodeCache({false, ""});
  if (args.command == "version") return print("regelwerk 0.1.0\n"), kExitOk;
  if (args.command == "test")
    return regelwerk::cli::runTestCommand(args.paths, {args.quiet, args.coverage, args.junit_path});
  if (args.command == "diff") {
    if (!checkStandardStreams(args, closed_streams)) return kExitUsage;
    return regelwerk::cli::runDiffCommand(args);
  }
  if (args.command == "lsp") return regelwerk::cli::runLspServer(stdin, stdout);
  if (args.command == "fmt") return regelwerk::cli::runFmtCommand(args.paths, args.fmt_check);
  int exit_code = kExitOk;
  auto rules = loadRules(args, &exit_code);
  if (!rules) return exit_code;
  if (!args.dump.empty()) return printDump(*rules, args.dump);
  if (args.command == "check") return regelwerk::cli::runCheckCommand(*rules, args.check_budget_ms);
  if (!checkStandardStreams(args, closed_streams)) return kExitUsage;
  return runRules(args, *rules);
}

}  // namespace

// The last resort: whatever escapes is one line and exit code 2, never an abort.
int main(int argc, char** argv) {
  std::array<bool, 3> closed_streams = holdStandardDescriptors();
  installSignalHandlers();
  try {
    return runCommand(argc, argv, closed_streams);
  } catch (const std::bad_alloc&) {
    regelwerk::cli::write(stderr, "regelwerk: out of memory; outputs were left as they were\n");
  } catch (const std::exception& failure) {
    regelwerk::cli::write(stderr, std::string("regelwerk: internal error: ") + failure.what() +
                                      "; outputs were left as they were (please report this)\n");
  } catch (...) {
    regelwerk::cli::write(stderr, "regelwerk: internal error; outputs were left as they were (please report this)\n");
  }
  return kExitUsage;
}
