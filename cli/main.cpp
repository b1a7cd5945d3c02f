// `regelwerk`: check a rule file, or run it over a CSV file. Thin: all work is in the public API.
#include <cstdio>
#include <fmt/format.h>

#include "args.hpp"
#include "regelwerk/regelwerk.hpp"
#include "run_report.hpp"
#include "test_command.hpp"

namespace {

using regelwerk::cli::Args;

constexpr int kExitOk = 0;
constexpr int kExitRuleErrors = 1;
constexpr int kExitUsage = 2;

int printDump(const regelwerk::RuleSet& rules, const std::string& what) {
  if (what == "ast") fmt::print("{}", rules.dumpAst());
  if (what == "ir") fmt::print("{}", rules.dumpIr());
  if (what == "llvm") {
    std::string error;
    std::string text = regelwerk::dumpLlvm(rules, &error);
    if (!error.empty()) {
      fmt::print(stderr, "regelwerk: internal error in the JIT: {}\n", error);
      return kExitUsage;
    }
    fmt::print("{}", text);
  }
  return kExitOk;
}

// Loads and checks the rule file; prints diagnostics. Null with *exit_code set on failure.
std::unique_ptr<regelwerk::RuleSet> loadRules(const Args& args, int* exit_code) {
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(args.rules_path, &diagnostics, &io_error);
  if (!io_error.empty()) {
    fmt::print(stderr, "regelwerk: {}\n", io_error);
    *exit_code = kExitUsage;
    return nullptr;
  }
  fmt::print(stderr, "{}", diagnostics.text);
  if (!rules) {
    fmt::print(stderr, "{}: {} error{}; nothing was run\n", args.rules_path, diagnostics.errors,
               diagnostics.errors == 1 ? "" : "s");
    *exit_code = kExitRuleErrors;
  }
  return rules;
}

int runRules(const Args& args, const regelwerk::RuleSet& rules) {
  std::string error;
  auto engine = regelwerk::Engine::create(rules, args.engine, &error);
  if (!engine) {
    fmt::print(stderr, "regelwerk: internal error in the JIT: {}\n", error);
    return kExitUsage;
  }
  regelwerk::RunOptions options = args.run;
  if (!args.separator_given) options.separator = regelwerk::declaredSeparator(rules);
  if (args.explain_line > 0) {
    std::string text;
    if (!regelwerk::explainRecord(rules, options, args.explain_line, &text, &error)) {
      fmt::print(stderr, "regelwerk: {}\n", error);
      return kExitUsage;
    }
    return fmt::print("{}", text), kExitOk;
  }
  regelwerk::RunSummary summary = regelwerk::run(rules, *engine, options);
  if (summary.exit_code != 0) {
    fmt::print(stderr, "regelwerk: {}\n", summary.error);
    return summary.exit_code;
  }
  if (!args.quiet) regelwerk::cli::printRunReport(rules.program(), *engine, summary);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  std::string error;
  if (!regelwerk::cli::parseArgs(argc, argv, &args, &error)) {
    fmt::print(stderr, "regelwerk: {}\n{}", error, regelwerk::cli::usageText());
    return kExitUsage;
  }
  if (args.command == "help") return fmt::print("{}", regelwerk::cli::usageText()), kExitOk;
  if (args.command == "version") return fmt::print("regelwerk 0.1.0\n"), kExitOk;
  if (args.command == "test") return regelwerk::cli::runTestCommand(args.test_paths, args.quiet);
  int exit_code = kExitOk;
  auto rules = loadRules(args, &exit_code);
  if (!rules) return exit_code;
  if (!args.dump.empty()) return printDump(*rules, args.dump);
  if (args.command == "check") return kExitOk;
  return runRules(args, *rules);
}
