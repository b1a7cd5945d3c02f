// Deciding one record with one version of a diff: parse its text alone, evaluate, describe the outcome.
#include "diff_record.hpp"

#include "row_error.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/io/chunk.hpp"

namespace regelwerk {

std::string parseRejectKey(const Reject& reject) {
  if (reject.column.empty()) return reject.reason;
  return "field `" + reject.column + "` cannot be read";
}

SingleRecord::SingleRecord(const DiffVersion& version, CsvDialect dialect)
    : version_(&version),
      parser_(version.program->inputs, version.binding, dialect),
      input_(ir::typesOf(version.program->inputs), 1),
      output_(ir::typesOf(version.program->outputs), 1),
      errors_(1) {}

// Example: the old version reads `amount` as money and the new one as int; the record `7,1.50` is
// rejected by the shared parse, and decided here once per version: rejected by the new one only.
RecordOutcome SingleRecord::decide(std::string_view text, int64_t line, const Evaluator& evaluator,
                                   const RuleSet* explain) {
  RecordOutcome outcome;
  Chunk chunk;
  chunk.text.append(text);
  chunk.text.append("\n");
  chunk.first_line = line;
  rejects_.clear();
  ChunkCursor cursor = cursorAt(chunk);
  size_t rows = parser_.parse(chunk, &cursor, &input_, &rejects_);
  if (rows == 0) {
    outcome.rejected = true;
    outcome.reason_key = rejects_.empty() ? "the record cannot be read" : parseRejectKey(rejects_.front());
    outcome.reason = rejects_.empty()
                         ? outcome.reason_key
                         : (rejects_.front().column.empty() ? "" : "field `" + rejects_.front().column + "`: ") +
                               rejects_.front().reason;
    return outcome;
  }
  const ir::Program& program = *version_->program;
  std::vector<ColumnView> inputs = input_.views();
  std::vector<ColumnView> outputs = output_.views();
  evaluator.evaluate(inputs.data(), version_->params.data(), outputs.data(), errors_.data(), 1);
  if (errors_[0].code != 0) {
    outcome.rejected = true;
    outcome.reason_key = outcome.reason = describeRowError(program, errors_[0]);
  } else {
    for (size_t output = 0; output < program.outputs.size(); ++output) {
      outcome.outputs.push_back(valueText(program.outputs[output].type, cellAt(outputs[output], output_.column(output).kind(), 0)));
    }
  }
  if (explain != nullptr) outcome.explanation = explainRow(*explain, inputs.data(), version_->params.data(), 0);
  return outcome;
}

}  // namespace regelwerk
