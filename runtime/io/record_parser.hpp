// Parses chunks of CSV records into columnar batches; bad records become Rejects, not errors.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/cell_parser.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/csv_splitter.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/reject.hpp"
#include "runtime/io/unquoted_record_parser.hpp"

namespace regelwerk {

// One parser per worker thread (it keeps scratch buffers); `inputs` and `binding` must outlive it.
// A record is rejected, with the first problem found, when it has a quoting error, a field count
// different from the header's, or a cell that does not parse (see CellParser). Empty lines are
// skipped. Unquoted fields and quoted fields without `""` become StrRefs into the chunk; fields with
// `""` are unescaped into the batch's arena.
class RecordParser {
 public:
  RecordParser(const std::vector<ir::InputColumn>& inputs, const HeaderBinding& binding, CsvDialect dialect = {});

  // Fills `batch` (its columns follow `inputs`; previous rows and arena are dropped) with records
  // from `chunk` starting at *cursor, until the batch is full or the chunk ends; advances *cursor
  // and sets batch->lineNumbers(). Appends failed records to `rejects`. Returns the row count.
  // Usage: for (auto cursor = cursorAt(chunk); !atEnd(chunk, cursor);) parse(chunk, &cursor, …);
  size_t parse(const Chunk& chunk, ChunkCursor* cursor, Batch* batch, std::vector<Reject>* rejects);

  // The text of batch row `row` from the last parse() (without its line end), for rejecting rows
  // that fail later, during evaluation. Valid while the chunk lives.
  std::string_view recordText(size_t row) const { return row_text_[row]; }

 private:
  struct ColumnPlan {
    CellParser parser;
    uint32_t field;
    bool is_string;
  };

  bool parseGeneral(const char* pos, const char* end, size_t row, Batch* batch, Reject* reject, SplitResult* split);
  bool fillRow(size_t row, Batch* batch, Reject* reject);
  bool fillCell(size_t input, size_t row, Batch* batch, Reject* reject);
  void rejectSplit(const SplitResult& split, Reject* reject) const;

  const std::vector<ir::InputColumn>* inputs_;
  const HeaderBinding* binding_;
  CsvSplitter splitter_;
  UnquotedRecordParser fast_;
  std::vector<ColumnPlan> plans_;
  std::vector<CsvField> fields_;
  std::vector<std::string_view> row_text_;
  std::string scratch_;
};

}  // namespace regelwerk
