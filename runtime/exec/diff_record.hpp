// One record decided by one version on its own, from its text: what a diff does for the few records the
// shared parse rejects (the other version may read them), and for the changed records it shows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "diff_plan.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/io/record_parser.hpp"

namespace regelwerk {

class RuleSet;

struct RecordOutcome {
  bool rejected = false;
  std::string reason_key;            // rejected: the reason without the record's values (counted by it)
  std::string reason;                // rejected: the whole reason
  std::vector<std::string> outputs;  // accepted: the plain text of every output, in the program's order
  std::string explanation;           // accepted, when asked for: explainRow's lines
};

// Why a record the parser rejected is rejected, without its values: `field `amount` cannot be read`.
std::string parseRejectKey(const Reject& reject);

class SingleRecord {
 public:
  SingleRecord(const DiffVersion& version, CsvDialect dialect);
  // Parses `text` (one record, without its line end) and evaluates it with `evaluator`; with `explain`
  // set, also traces the rules that decided it (explainRow, over `explain`'s program).
  RecordOutcome decide(std::string_view text, int64_t line, const Evaluator& evaluator, const RuleSet* explain);
  // The outputs of the last record decide() accepted, in row 0.
  const Batch& outputs() const { return output_; }

 private:
  const DiffVersion* version_;
  RecordParser parser_;
  Batch input_;
  Batch output_;
  std::vector<RowError> errors_;
  std::vector<Reject> rejects_;
};

}  // namespace regelwerk
