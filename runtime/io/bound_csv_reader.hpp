// A CSV input read record by record as a run reads it, for the places that look at a few records
// outside a run (`run --explain`, the whole-rule-set checks reading their counterexamples back): the
// run's chunker, its header binding to the program's input fields, its record parser.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/record_parser.hpp"
#include "runtime/io/reject.hpp"

namespace regelwerk {

class BoundCsvReader {
 public:
  // Reads `fd` (not closed here) in `dialect`, `batch_rows` records at a time, into `inputs`' columns.
  BoundCsvReader(int fd, const std::vector<ir::InputColumn>& inputs, CsvDialect dialect, size_t batch_rows);

  // Reads the header and binds it to the input fields; false with the reason (an empty input, a
  // missing column): there is nothing to read then.
  bool start(std::string* error);

  // After start(): parses the next records into batch(), in file order, and appends those that cannot
  // be read to `rejects` (also on a call that returns 0); the row count, 0 at the end of the input
  // (or on a read error: `*error` is set).
  size_t next(std::vector<Reject>* rejects, std::string* error);

  Batch& batch() { return batch_; }

 private:
  const std::vector<ir::InputColumn>* inputs_;
  CsvDialect dialect_;
  CsvChunker chunker_;
  HeaderBinding binding_;
  std::optional<RecordParser> parser_;
  Batch batch_;
  Chunk chunk_;
  ChunkCursor cursor_{};
};

}  // namespace regelwerk
