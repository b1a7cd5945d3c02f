// `regelwerk diff`: two versions of a rule set over one input, read once; which records change which
// outputs, the money sums of each version, the records one version rejects, and the first changed records
// with the rules that decided them. docs/diff.md describes the report.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk {

struct DiffOptions {
  std::string input_path;  // "-" reads standard input
  // Each is given to the versions that declare it; a name neither version declares is an error.
  std::vector<std::pair<std::string, std::string>> params;
  int threads = 0;  // 0: all cores
  size_t batch_size = 2048;
  char separator = ',';
  size_t sample_limit = 10;  // changed records shown with their rules
  std::string report_path;   // where the caller writes the report ("" is standard output): checked only,
                             // so that it is never the input or a rule file
};

// An output other than enum and bool with more different value pairs than this lists none of them.
inline constexpr size_t kMaxValuePairs = 20;

// One value pair of an enum or bool output, e.g. `none → reminder`, and how many records made it.
struct ValueTransition {
  std::string from;
  std::string to;
  int64_t records = 0;
};

// An output both versions have: the records both accept whose value differs.
struct OutputChange {
  std::string output;
  std::string type_change;  // "money → decimal(3)" when the types differ (compared as written), else ""
  int64_t records = 0;
  // Every value pair seen, most records first; for outputs other than enum, bool and string only up to
  // kMaxValuePairs different pairs (more: `too_many_pairs`, and none listed).
  std::vector<ValueTransition> transitions;
  bool too_many_pairs = false;
};

// One money output's sum over the records each version accepts, exact at the output's scale.
struct MoneyChange {
  std::string output;
  std::string old_total;   // "" when the old version has no such money output
  std::string new_total;   // "" when the new version has none
  std::string difference;  // new - old with a sign ("+12.50", "-3.00", "0.00"); "" unless both have it
};

// Records accepted by one version and rejected by the other, by the rejecting version's reason (for a
// field that does not parse, the field: `field `amount` cannot be read`).
struct RejectChange {
  bool now_rejected = true;  // accepted → rejected; false: rejected → accepted
  std::string reason;
  int64_t records = 0;
};

// One changed record as the report shows it: both outcomes and the rules that decided them.
struct ChangedRecord {
  int64_t line = 0;                  // the line of the input where the record starts
  std::string record;                // as it is in the file
  std::vector<std::string> changes;  // "action: none → reminder", "accepted → rejected: …"
  std::string old_explanation;       // explainRow's lines, or why the version rejects the record
  std::string new_explanation;
};

struct DiffSummary {
  int exit_code = 0;  // 0 no record changes, 1 some do, 2 input or usage error (`error` says why)
  std::string error;
  int64_t rows_in = 0;  // = unchanged + changed + accepted_rejected + rejected_accepted + rejected_both
  int64_t unchanged = 0;
  int64_t changed = 0;  // accepted by both, some output differs
  int64_t accepted_rejected = 0;
  int64_t rejected_accepted = 0;
  int64_t rejected_both = 0;
  std::vector<std::string> only_old;  // outputs only one version has, in declaration order
  std::vector<std::string> only_new;
  std::vector<OutputChange> outputs;   // the shared outputs, in the old version's order
  std::vector<MoneyChange> money;      // the old version's money outputs, then the new version's others
  std::vector<RejectChange> rejects;   // most records first
  std::vector<ChangedRecord> samples;  // the first sample_limit changed records, in input order
  double seconds = 0;
};

// Reads `options.input_path` once and evaluates both versions on every batch, on all threads; explains
// the first sample_limit changed records afterwards with the interpreter. Rule sets with keyed inputs
// are refused (exit code 2).
DiffSummary diffRun(const RuleSet& old_rules, const Engine& old_engine, const RuleSet& new_rules,
                    const Engine& new_engine, const DiffOptions& options);

}  // namespace regelwerk
