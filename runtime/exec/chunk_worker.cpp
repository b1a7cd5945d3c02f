// Parse → evaluate → format for one chunk; rows that fail either step become rejects with their line.
#include "chunk_worker.hpp"

#include <algorithm>

#include "row_error.hpp"

namespace regelwerk {

// Not an ir::ErrorCode: set after evaluation on a row whose line is too long, read only by the tally.
constexpr int32_t kLineTooLong = -1;

// caller_formats: about how much memory one chunk's kept batches may hold. A batch costs its
// columns, its error records and about a KiB of bookkeeping.
constexpr size_t kKeptBytes = size_t{4} << 20;
constexpr size_t kKeptBatchOverhead = 1024;

size_t keptBatches(const RunContext& context) {
  size_t row_bytes = sizeof(RowError);
  for (const ir::Output& output : context.program->outputs) {
    row_bytes += valueBytes(ir::physicalKind(output.type)) + (output.type.optional ? 1 : 0);
  }
  return std::max<size_t>(1, kKeptBytes / (context.batch_size * row_bytes + kKeptBatchOverhead));
}

ChunkWorker::ChunkWorker(const RunContext& context)
    : context_(&context),
      parser_(context.program->inputs, *context.binding, context.dialect),
      input_(ir::typesOf(context.program->inputs), context.batch_size),
      output_(ir::typesOf(context.program->outputs), context.batch_size),
      errors_(context.batch_size),
      tally_(*context.program) {
  input_views_ = input_.views();
  output_views_ = output_.views();
  if (context.caller_formats) kept_batches_ = keptBatches(context);
}

void ChunkWorker::process(const Chunk& chunk, ChunkResult* result) {
  result->rejects = chunk.rejects;  // records too long to read, rejected by the chunker
  result->rows_in = static_cast<int64_t>(chunk.rejects.size());
  result->rows_out = 0;
  result->batches = 0;
  output_text_.clear();
  for (ChunkCursor cursor = cursorAt(chunk); !atEnd(chunk, cursor);) {
    size_t parse_rejects_before = result->rejects.size();
    size_t rows = parser_.parse(chunk, &cursor, &input_, &result->rejects);
    result->rows_in += static_cast<int64_t>(rows + result->rejects.size() - parse_rejects_before);
    if (rows > 0) evaluateBatch(rows, result);
  }
  // Hand the text over without copying; the result's previous buffer becomes the next chunk's.
  result->output.swap(output_text_);
  // Parse rejects and evaluation rejects were appended batch by batch; report them in file order.
  std::stable_sort(result->rejects.begin(), result->rejects.end(),
                   [](const Reject& a, const Reject& b) { return a.line < b.line; });
}

void ChunkWorker::evaluateBatch(size_t rows, ChunkResult* result) {
  const RunContext& context = *context_;
  if (context.caller_formats) {
    EvaluatedBatch& kept = keepBatch(result);
    context.evaluator->evaluate(input_views_.data(), context.params, kept.views.data(), kept.errors.data(),
                                static_cast<int64_t>(rows));
    kept.rows = rows;
    const size_t failed = rejectFailedRows(rows, kept.errors.data(), result);
    tally_.add(kept.views.data(), kept.errors.data(), rows);
    result->rows_out += static_cast<int64_t>(rows - failed);
    return;
  }
  context.evaluator->evaluate(input_views_.data(), context.params, output_views_.data(), errors_.data(),
                              static_cast<int64_t>(rows));
  size_t failed = rejectFailedRows(rows, errors_.data(), result);
  too_long_.clear();
  context.writer->appendRows(output_views_.data(), errors_.data(), rows, &output_text_, &too_long_);
  for (size_t row : too_long_) rejectLongLine(row, result);
  failed += too_long_.size();
  tally_.add(output_views_.data(), errors_.data(), rows);
  result->rows_out += static_cast<int64_t>(rows - failed);
}

// The next kept batch of the result, made the first time a slot holds that many.
EvaluatedBatch& ChunkWorker::keepBatch(ChunkResult* result) {
  if (result->batches == kept_batches_) formatKept(result);
  if (result->batches == result->evaluated.size()) {
    EvaluatedBatch& made = result->evaluated.emplace_back();
    made.output = Batch(ir::typesOf(context_->program->outputs), context_->batch_size);
    made.views = made.output.views();
    made.errors.resize(context_->batch_size);
  }
  return result->evaluated[result->batches++];
}

// The kept batches so far become the worker's text (lines come out in order: the result's text, then
// its kept batches), and their storage is kept for the batches that follow.
void ChunkWorker::formatKept(ChunkResult* result) {
  result->appendKept(*context_->writer, &output_text_);
  result->batches = 0;
}

// A reject for every row the evaluator failed; returns their count.
size_t ChunkWorker::rejectFailedRows(size_t rows, const RowError* errors, ChunkResult* result) {
  size_t failed = 0;
  for (size_t row = 0; row < rows; ++row) {
    if (errors[row].code == 0) continue;
    ++failed;
    Reject reject;
    reject.line = input_.lineNumbers()[row];
    reject.reason = describeRowError(*context_->program, errors[row]);
    reject.raw_record = std::string(parser_.recordText(row));
    result->rejects.push_back(std::move(reject));
  }
  return failed;
}

void ChunkResult::appendOutput(const CsvWriter& writer, ByteBuffer* out) const {
  out->append(output.view());
  appendKept(writer, out);
}

void ChunkResult::appendKept(const CsvWriter& writer, ByteBuffer* out) const {
  for (size_t batch = 0; batch < batches; ++batch) {
    const EvaluatedBatch& kept = evaluated[batch];
    writer.appendRows(kept.views.data(), kept.errors.data(), kept.rows, out);
  }
}

// A row whose output line would be longer than a record may be is rejected, not written: the
// output file must read back. Its error code keeps it out of the tallies.
void ChunkWorker::rejectLongLine(size_t row, ChunkResult* result) {
  const CsvWriter& writer = *context_->writer;
  errors_[row].code = kLineTooLong;
  Reject reject;
  reject.line = input_.lineNumbers()[row];
  reject.reason = "the output line for this record would be " +
                  std::to_string(writer.lineSize(output_views_.data(), row)) + " bytes, more than the " +
                  describeRecordLimit(writer.maxLine()) + " a CSV record may have, so it could not be read back";
  reject.raw_record = std::string(parser_.recordText(row));
  result->rejects.push_back(std::move(reject));
}

}  // namespace regelwerk
