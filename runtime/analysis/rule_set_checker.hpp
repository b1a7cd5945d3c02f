// The checks over one program's decision blocks, as solver questions with a shared time budget.
// Internal to runtime/analysis; callers use checkRuleSet (analysis.hpp).
#pragma once

#include <z3++.h>

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "runtime/analysis/analysis.hpp"
#include "runtime/analysis/counterexample.hpp"
#include "runtime/analysis/z3_encoder.hpp"

namespace regelwerk::analysis {

enum class Answer { Sat, Unsat, Unknown };

// A record the interpreter confirmed, with its trace.
struct Confirmed {
  Record record;
  RowTrace trace;
};

class RuleSetChecker {
 public:
  // `replayable`: a record of the program is one CSV line the analyst can run (not a grouped rule set or
  // a stage program), so the checks that show a record (W0403..W0405) apply. Every question shares the
  // deadline, which spans the whole rule set.
  RuleSetChecker(const ir::Program& program, const SourceManager& sources, const CheckOptions& options,
                 std::chrono::steady_clock::time_point deadline, bool replayable);
  // The findings of every block, in block order (checkRuleSet sorts them by position).
  std::vector<Finding> run();

 private:
  struct RuleFacts {
    z3::expr applies;
    bool exact = true;
    bool never = false;  // proven to never apply (W0401 given)
  };
  using Accept = std::function<bool(const RowTrace&)>;

  Answer ask(const std::vector<z3::expr>& facts);
  std::optional<Confirmed> confirm(std::vector<z3::expr> facts, const Accept& accept, Answer* last);
  void checkBlock(size_t block);
  void checkNeverApplies(size_t block);
  void checkShadowed(size_t block);
  void checkUnique(size_t block);
  void checkExceptions(size_t block);
  void checkComplete(size_t block);
  bool confirmUniquePair(size_t block, size_t first, size_t second);
  z3::expr winner(size_t block, size_t rule);
  z3::expr disagree(size_t block, size_t first, size_t second, bool* shared);
  void report(const char* code, Location loc, std::string message, std::string hint,
              const std::optional<Confirmed>& example = std::nullopt);
  void undecided(size_t block);

  const ir::Program& program_;
  const SourceManager& sources_;
  CheckOptions options_;
  std::chrono::steady_clock::time_point deadline_;
  z3::context context_;
  Encoder encoder_;
  z3::solver solver_;
  std::optional<z3::model> model_;
  bool existential_ = true;  // records can be replayed (see the constructor)
  std::vector<std::vector<RuleFacts>> blocks_;
  std::set<size_t> undecided_;
  std::vector<Finding> findings_;
};

// Whether the analyst asked for completeness: `decide first  # check: complete`, or the comment alone
// on the line before the `decide`.
bool asksCompleteness(const SourceManager& sources, const ir::Decision& decision);

}  // namespace regelwerk::analysis
