// The five checks of docs/checks.md. Claims that no record exists (never applies, shadowed) rest on an
// unsat answer over an exact translation; claims that a record exists rest on one the interpreter ran.
#include "rule_set_checker.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace regelwerk::analysis {

using ir::HitPolicy;
using Clock = std::chrono::steady_clock;

// A model that fails the interpreter is excluded and the solver asked again, this many times.
constexpr int kConfirmTries = 3;

RuleSetChecker::RuleSetChecker(const ir::Program& program, const SourceManager& sources, const CheckOptions& options,
                               Clock::time_point deadline, bool replayable)
    : program_(program),
      sources_(sources),
      options_(options),
      deadline_(deadline),
      encoder_(context_, program),
      solver_(context_),
      existential_(replayable) {
  solver_.add(encoder_.domain());
  solver_.add(encoder_.notRejected());
  for (const ir::Decision& decision : program.decisions) {
    std::vector<RuleFacts> facts;
    for (const ir::Rule& rule : decision.rules) {
      bool exact = true;
      z3::expr applies = encoder_.condition(rule, &exact);
      facts.push_back(RuleFacts{applies, exact, false});
    }
    blocks_.push_back(std::move(facts));
  }
}

// One question under the remaining budget; a Sat answer leaves its model in model_.
Answer RuleSetChecker::ask(const std::vector<z3::expr>& facts) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
  if (left <= 0) return Answer::Unknown;
  z3::params params(context_);
  params.set("timeout", static_cast<unsigned>(left));
  solver_.set(params);
  solver_.push();
  for (const z3::expr& fact : facts) solver_.add(fact);
  z3::check_result result = solver_.check();
  if (result == z3::sat) model_ = solver_.get_model();
  solver_.pop();
  if (result == z3::sat) return Answer::Sat;
  return result == z3::unsat ? Answer::Unsat : Answer::Unknown;
}

// Asks for a record satisfying `facts` that the interpreter's trace accepts and whose CSV text the
// reader reads back as the same record; a model that fails (an over-approximated condition, an
// overflow in a let, a value the input's text cannot hold) is excluded and the next one tried.
std::optional<Confirmed> RuleSetChecker::confirm(std::vector<z3::expr> facts, const Accept& accept, Answer* last) {
  for (int attempt = 0; attempt < kConfirmTries; ++attempt) {
    *last = ask(facts);
    // Unsat once models were excluded: records exist, none could be confirmed (say so, claim nothing).
    if (*last == Answer::Unsat && attempt > 0) *last = Answer::Sat;
    if (*last != Answer::Sat) return std::nullopt;
    Record record = recordFromModel(*model_, encoder_, program_);
    RowTrace trace = traceRecord(program_, record);
    if (accept(trace) && readsBack(program_, record)) return Confirmed{std::move(record), std::move(trace)};
    facts.push_back(excluding(context_, encoder_, program_, record));
  }
  return std::nullopt;
}

// How a finding names a rule: "rule `reminder`", or "row 3" for a decision table's row (the table's
// rules are `row_N` only internally; the analyst wrote rows).
static std::string title(const ir::Rule& rule) {
  if (rule.table_row != 0) return fmt::format("row {}", rule.table_row);
  return fmt::format("rule `{}`", rule.name);
}

// "rules `a` and `b`", or "rows 2 and 5" in a decision table.
static std::string pairTitle(const ir::Rule& first, const ir::Rule& second) {
  if (first.table_row != 0 && second.table_row != 0) {
    return fmt::format("rows {} and {}", first.table_row, second.table_row);
  }
  return fmt::format("rules `{}` and `{}`", first.name, second.name);
}

// "`a`, `b` and row 3": the rules that cover a shadowed one.
static std::string listTitles(const std::vector<const ir::Rule*>& rules) {
  std::string out;
  for (size_t index = 0; index < rules.size(); ++index) {
    if (index > 0) out += index + 1 == rules.size() ? " and " : ", ";
    const ir::Rule& rule = *rules[index];
    out += rule.table_row != 0 ? fmt::format("row {}", rule.table_row) : "`" + rule.name + "`";
  }
  return out;
}

void RuleSetChecker::report(const char* code, Location loc, std::string message, std::string hint,
                            const std::optional<Confirmed>& example) {
  Finding finding;
  finding.diagnostic = Diagnostic{Severity::Warning, code, loc, std::move(message), std::move(hint)};
  if (example) {
    finding.has_example = true;
    finding.example = Counterexample{csvLines(program_, example->record), paramArguments(program_, example->record)};
  }
  findings_.push_back(std::move(finding));
}

void RuleSetChecker::undecided(size_t block) { undecided_.insert(block); }

std::vector<Finding> RuleSetChecker::run() {
  for (size_t block = 0; block < program_.decisions.size(); ++block) checkBlock(block);
  for (size_t block : undecided_) {
    const ir::Decision& decision = program_.decisions[block];
    Finding note;
    note.diagnostic = Diagnostic{Severity::Note, "W0406", decision.loc,
                                 fmt::format("could not decide every check of this `decide {}` block within the "
                                             "budget of {} ms; the checks that did finish are reported",
                                             ir::hitPolicyName(decision.policy), options_.budget_millis),
                                 ""};
    findings_.push_back(std::move(note));
  }
  return std::move(findings_);
}

void RuleSetChecker::checkBlock(size_t block) {
  checkNeverApplies(block);
  switch (program_.decisions[block].policy) {
    case HitPolicy::First: checkShadowed(block); break;
    case HitPolicy::Unique: checkUnique(block); break;
    case HitPolicy::Exceptions: checkExceptions(block); break;
  }
  if (asksCompleteness(sources_, program_.decisions[block])) checkComplete(block);
}

// W0401, only from an exact translation. An over-approximated condition's unsat would be a proof too
// (its fresh variables stand for any value), but then the reason lies in a part the solver did not
// see — a table, a time function — and the finding could not be explained from the condition as written.
void RuleSetChecker::checkNeverApplies(size_t block) {
  const ir::Decision& decision = program_.decisions[block];
  for (size_t index = 0; index < decision.rules.size(); ++index) {
    RuleFacts& facts = blocks_[block][index];
    if (!decision.rules[index].condition || !facts.exact) continue;
    Answer answer = ask({facts.applies});
    if (answer == Answer::Unknown) undecided(block);
    if (answer != Answer::Unsat) continue;
    facts.never = true;
    const ir::Rule& rule = decision.rules[index];
    report("W0401", rule.loc, fmt::format("{} can never apply: no record satisfies its condition", title(rule)),
           rule.table_row != 0 ? "fix the row's cells, or remove the row" : "fix the condition, or remove the rule");
  }
}

// W0402: under `first`, rule j never wins when every record it matches makes an earlier rule apply.
void RuleSetChecker::checkShadowed(size_t block) {
  const ir::Decision& decision = program_.decisions[block];
  const std::vector<RuleFacts>& facts = blocks_[block];
  bool exact_so_far = true;
  for (size_t later = 0; later < facts.size(); ++later) {
    exact_so_far = exact_so_far && facts[later].exact;
    if (later == 0 || facts[later].never || !exact_so_far) continue;
    std::vector<z3::expr> question{facts[later].applies};
    for (size_t earlier = 0; earlier < later; ++earlier) question.push_back(!facts[earlier].applies);
    Answer answer = ask(question);
    if (answer == Answer::Unknown) undecided(block);
    if (answer != Answer::Unsat) continue;
    std::vector<const ir::Rule*> covering;
    for (size_t earlier = 0; earlier < later; ++earlier) {
      if (ask({facts[earlier].applies, facts[later].applies}) == Answer::Sat) {
        covering.push_back(&decision.rules[earlier]);
      }
    }
    Answer last = Answer::Unknown;
    std::optional<Confirmed> example;
    if (existential_) {
      auto wins_earlier = [&](const RowTrace& trace) {
        return trace.error.code == 0 && trace.decisions[block][later].outcome == RuleOutcome::NotEvaluated;
      };
      example = confirm({encoder_.defaults(), facts[later].applies}, wins_earlier, &last);
    }
    const ir::Rule& rule = decision.rules[later];
    report("W0402", rule.loc,
           fmt::format("{} is shadowed: every record it matches is matched by {} before it, so under "
                       "`decide first` it never wins",
                       title(rule), covering.empty() ? std::string("an earlier rule") : listTitles(covering)),
           rule.table_row != 0 ? "move the row above the rows that cover it, or remove it"
                               : "move it before the rules that cover it, or remove it",
           example);
  }
}

// W0403: two rules of a `unique` block apply to one record (the record is rejected as a conflict).
// One question per rule first (does any earlier rule overlap it?), then the pairs of the rules that do,
// with every other earlier rule not applying, so that the trace names exactly this pair.
void RuleSetChecker::checkUnique(size_t block) {
  if (!existential_) return;
  const std::vector<RuleFacts>& facts = blocks_[block];
  for (size_t second = 1; second < facts.size(); ++second) {
    if (facts[second].never) continue;
    z3::expr any_earlier = context_.bool_val(false);
    for (size_t first = 0; first < second; ++first) any_earlier = any_earlier || facts[first].applies;
    Answer answer = ask({encoder_.defaults(), facts[second].applies, any_earlier});
    if (answer == Answer::Unknown) undecided(block);
    if (answer != Answer::Sat) continue;
    for (size_t first = 0; first < second; ++first) {
      if (!facts[first].never && confirmUniquePair(block, first, second)) break;
    }
  }
}

bool RuleSetChecker::confirmUniquePair(size_t block, size_t first, size_t second) {
  const ir::Decision& decision = program_.decisions[block];
  const std::vector<RuleFacts>& facts = blocks_[block];
  std::vector<z3::expr> question{encoder_.defaults(), facts[first].applies, facts[second].applies};
  for (size_t other = 0; other < second; ++other) {
    if (other != first) question.push_back(!facts[other].applies);
  }
  auto conflict = [&](const RowTrace& trace) {
    return trace.error.code == static_cast<int32_t>(ir::ErrorCode::UniqueConflict) &&
           trace.error.site == static_cast<int32_t>(decision.site) && trace.error.rule_a == static_cast<int32_t>(first) &&
           trace.error.rule_b == static_cast<int32_t>(second);
  };
  Answer last = Answer::Unknown;
  std::optional<Confirmed> example = confirm(std::move(question), conflict, &last);
  if (last == Answer::Unknown) undecided(block);
  if (!example) return false;
  const ir::Rule& rule = decision.rules[second];
  report("W0403", rule.loc,
         fmt::format("{} of this `decide unique` {} both apply to some records, which are then rejected as a "
                     "conflict",
                     pairTitle(decision.rules[first], rule), rule.table_row != 0 ? "table" : "block"),
         "make the conditions exclude each other, or use `decide first` if the order settles it", example);
  return true;
}

// A rule wins in an `exceptions` block when it applies and no rule that overrides it applies.
z3::expr RuleSetChecker::winner(size_t block, size_t rule) {
  const ir::Rule& decl = program_.decisions[block].rules[rule];
  z3::expr wins = blocks_[block][rule].applies;
  for (size_t other = 0; other < blocks_[block].size() && other < 64; ++other) {
    if ((decl.defeated_by >> other) & 1U) wins = wins && !blocks_[block][other].applies;
  }
  return wins;
}

// Some output both rules assign gets different values (or one leaves it missing).
z3::expr RuleSetChecker::disagree(size_t block, size_t first, size_t second, bool* shared) {
  const ir::Rule& a = program_.decisions[block].rules[first];
  const ir::Rule& b = program_.decisions[block].rules[second];
  z3::expr differs = context_.bool_val(false);
  *shared = false;
  for (const ir::Assignment& left : a.assignments) {
    for (const ir::Assignment& right : b.assignments) {
      if (left.output != right.output) continue;
      *shared = true;
      Term x = encoder_.encode(*left.value);
      Term y = encoder_.encode(*right.value);
      differs = differs || x.present != y.present || (x.present && x.value != y.value);
    }
  }
  return differs;
}

static bool overrides(const ir::Rule& rule, size_t other) { return other < 64 && ((rule.defeated_by >> other) & 1U); }

// W0404: two rules with no override between them can both win and assign one output different values.
void RuleSetChecker::checkExceptions(size_t block) {
  if (!existential_) return;
  const ir::Decision& decision = program_.decisions[block];
  std::set<std::pair<int32_t, int32_t>> reported;
  for (size_t second = 1; second < decision.rules.size(); ++second) {
    for (size_t first = 0; first < second; ++first) {
      const ir::Rule& a = decision.rules[first];
      const ir::Rule& b = decision.rules[second];
      if (blocks_[block][first].never || blocks_[block][second].never) continue;
      if (overrides(a, second) || overrides(b, first)) continue;
      bool shared = false;
      z3::expr differs = disagree(block, first, second, &shared);
      if (!shared) continue;
      auto conflict = [&](const RowTrace& trace) {
        return trace.error.code == static_cast<int32_t>(ir::ErrorCode::ExceptionsConflict) &&
               trace.error.site == static_cast<int32_t>(decision.site) &&
               !reported.count({trace.error.rule_a, trace.error.rule_b});
      };
      Answer last = Answer::Unknown;
      std::optional<Confirmed> example =
          confirm({encoder_.defaults(), winner(block, first), winner(block, second), differs}, conflict, &last);
      if (last == Answer::Unknown) undecided(block);
      if (!example) continue;
      auto [rule_a, rule_b] = std::pair{example->trace.error.rule_a, example->trace.error.rule_b};
      reported.insert({rule_a, rule_b});
      const ir::Rule& earlier = decision.rules[static_cast<size_t>(rule_a)];
      const ir::Rule& later = decision.rules[static_cast<size_t>(rule_b)];
      report("W0404", later.loc,
             later.table_row != 0
                 ? fmt::format("{} of this `decide any` table both apply and assign different values: such records "
                               "are rejected as a conflict",
                               pairTitle(earlier, later))
                 : fmt::format("{} of this `decide exceptions` block can both win and assign different values, and "
                               "neither overrides the other: such records are rejected as a conflict",
                               pairTitle(earlier, later)),
             later.table_row != 0
                 ? std::string("make the rows' conditions exclude each other, or give them the same results")
                 : fmt::format("say which wins (`rule {} overrides {}`), or make the conditions exclude each other",
                               later.name, earlier.name),
             example);
    }
  }
}

// W0405: a block marked `# check: complete` leaves some record to the outputs' defaults.
void RuleSetChecker::checkComplete(size_t block) {
  const ir::Decision& decision = program_.decisions[block];
  if (!existential_) return;
  std::vector<z3::expr> question{encoder_.defaults()};
  for (const RuleFacts& facts : blocks_[block]) question.push_back(!facts.applies);
  auto uncovered = [&](const RowTrace& trace) {
    if (trace.error.code != 0) return false;
    return std::all_of(trace.decisions[block].begin(), trace.decisions[block].end(),
                       [](const RuleTrace& rule) { return rule.outcome == RuleOutcome::DidNotApply; });
  };
  Answer last = Answer::Unknown;
  std::optional<Confirmed> example = confirm(std::move(question), uncovered, &last);
  if (example) {
    bool table = !decision.rules.empty() && decision.rules.front().table_row != 0;
    if (table) {
      report("W0405", decision.loc, "this decision table is marked complete, but no row of it applies to some records",
             "add a row for them, or a last row of `-` cells", example);
    } else {
      report("W0405", decision.loc,
             fmt::format("this `decide {}` block is marked complete, but no rule of it applies to some records",
                         ir::hitPolicyName(decision.policy)),
             "add a rule for them, or a last rule without `when`", example);
    }
    return;
  }
  if (last == Answer::Unknown) return undecided(block);
  if (last == Answer::Unsat) return;  // no record left uncovered (sound even over an over-approximation)
  findings_.push_back(Finding{Diagnostic{Severity::Note, "W0406", decision.loc,
                                         "could not confirm whether this block is complete: the records the solver "
                                         "found were covered or rejected when the interpreter ran them, or their "
                                         "CSV line does not read back as the same record",
                                         ""},
                              false, {}});
}

static std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// `# check: complete` as the comment of the `decide` line, or alone on the line before it.
static bool isCompletePragma(std::string_view comment) {
  comment = trimmed(comment);
  if (comment.empty() || comment.front() != '#') return false;
  comment = trimmed(comment.substr(1));
  if (comment.substr(0, 6) != "check:") return false;
  return trimmed(comment.substr(6)) == "complete";
}

bool asksCompleteness(const SourceManager& sources, const ir::Decision& decision) {
  if (decision.loc.file == 0 || !decision.loc.valid()) return false;
  const SourceFile& file = sources.file(decision.loc.file);
  std::string_view line = file.lineText(decision.loc.line);
  size_t hash = line.find('#');
  if (hash != std::string_view::npos && isCompletePragma(line.substr(hash))) return true;
  return decision.loc.line > 1 && isCompletePragma(file.lineText(decision.loc.line - 1));
}

}  // namespace regelwerk::analysis
