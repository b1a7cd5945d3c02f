// Command-line parsing for `regelwerk`: subcommand, file, options; usage errors are one line (exit 2).
// The help texts are in help_text.cpp.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "runtime/db/pg_run.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

struct Args {
  std::string command;     // "check", "run", "test", "fmt", "help", "version"
  std::string help_topic;  // command "help": the command whose help was asked for, or "" for the overview
  std::string rules_path;
  std::string dump;     // "", "ast", "ir", "llvm"
  EngineKind engine = EngineKind::Jit;
  RunOptions run;
  bool quiet = false;
  bool no_cache = false;           // --no-cache: compile, do not read or write the compiled-code cache
  bool separator_given = false;    // --separator overrides the rule file's `separator`
  long explain_line = 0;           // `run --explain LINE`: explain that record instead of running the file
  db::DbOptions db;                // --db, --input-query, --output-table, --rejects-table (docs/database.md)
  std::vector<std::string> paths;  // `regelwerk test PATH...`, `regelwerk fmt PATH...`: files or folders
  bool coverage = false;           // `regelwerk test --coverage`: the rules no test exercised
  std::string junit_path;          // `regelwerk test --junit FILE`: JUnit XML for CI
  bool fmt_check = false;          // `regelwerk fmt --check`: change nothing, exit 1 if a file would change
  std::string new_rules_path;      // `regelwerk diff OLD NEW`: NEW (OLD is rules_path)
  long diff_limit = 10;            // `regelwerk diff --limit N`: changed records shown with their rules
  long check_budget_ms = 2000;     // `regelwerk check --budget MS`: the solver's time for the whole rule set
  std::set<std::string> given;     // options seen so far: each but --param may be given once
};

inline constexpr long kMaxCheckBudgetMillis = 600000;  // `check --budget`: ten minutes at most

// Returns false with `error` set for a usage error.
bool parseArgs(int argc, char** argv, Args* args, std::string* error);

}  // namespace regelwerk::cli
