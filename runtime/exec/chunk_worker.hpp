// Turns one chunk of CSV records into output text, rejects and tallies: parse, evaluate, format.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/evaluator.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/record_parser.hpp"
#include "runtime/io/reject.hpp"
#include "tally.hpp"

namespace regelwerk {

// What every worker shares, read-only during the run.
struct RunContext {
  const ir::Program* program;
  const Evaluator* evaluator;
  const ParamSlot* params;
  const HeaderBinding* binding;
  const CsvWriter* writer;
  CsvDialect dialect;
  size_t batch_size;
  // The calling thread formats the output (ChunkResult::evaluated) instead of the worker: with one
  // worker, that thread is otherwise idle while the worker parses and evaluates. Only where
  // CsvWriter::linesAlwaysFit(), so formatting rejects no row and the rejects are final in the worker.
  bool caller_formats = false;
};

// One evaluated batch kept for the calling thread to format: its outputs and errors. Not copyable:
// `views` point into `output`.
struct EvaluatedBatch {
  EvaluatedBatch() = default;
  EvaluatedBatch(const EvaluatedBatch&) = delete;
  EvaluatedBatch& operator=(const EvaluatedBatch&) = delete;
  Batch output;
  std::vector<ColumnView> views;
  std::vector<RowError> errors;
  size_t rows = 0;
};

struct ChunkResult {
  ByteBuffer output;            // CSV lines of the evaluated rows, in input order (unless caller_formats)
  std::vector<Reject> rejects;  // parse and evaluation rejects, by line
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  // caller_formats: the chunk's evaluated batches, in order, after the lines in `output`; the first
  // `batches` are this chunk's (the rest are kept for the next chunk of the slot, so their columns are
  // allocated once). A deque: a batch never moves, so its views stay valid. At most
  // ChunkWorker::keptBatches() of them: a chunk of many short records has its earlier batches
  // formatted by the worker, so a slot's memory stays bounded.
  std::deque<EvaluatedBatch> evaluated;
  size_t batches = 0;
  // Appends this chunk's output lines to `out` (the worker's text, or the kept batches formatted).
  void appendOutput(const CsvWriter& writer, ByteBuffer* out) const;
  // Appends the lines of the first `batches` kept batches only.
  void appendKept(const CsvWriter& writer, ByteBuffer* out) const;
};

// One per thread: owns the scratch batches, so chunks are processed without allocating per row.
class ChunkWorker {
 public:
  explicit ChunkWorker(const RunContext& context);
  void process(const Chunk& chunk, ChunkResult* result);
  const Tally& tally() const { return tally_; }

 private:
  void evaluateBatch(size_t rows, ChunkResult* result);
  EvaluatedBatch& keepBatch(ChunkResult* result);
  void formatKept(ChunkResult* result);
  size_t rejectFailedRows(size_t rows, const RowError* errors, ChunkResult* result);
  void rejectLongLine(size_t row, ChunkResult* result);

  const RunContext* context_;
  RecordParser parser_;
  Batch input_;
  Batch output_;
  std::vector<ColumnView> input_views_;
  std::vector<ColumnView> output_views_;
  std::vector<RowError> errors_;
  std::vector<size_t> too_long_;  // rows of the batch whose output line is over the record limit
  ByteBuffer output_text_;  // the chunk's output, grown without zero-filling, swapped into the result
  size_t kept_batches_ = 1;  // caller_formats: the most batches a result keeps (kKeptBytes of columns)
  Tally tally_;
};

}  // namespace regelwerk
