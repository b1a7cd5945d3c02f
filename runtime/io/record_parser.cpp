// Record parsing: split, check the field count, parse each bound cell straight into its column.
#include "record_parser.hpp"

#include <cassert>

#include "runtime/columnar/utf8.hpp"

namespace regelwerk {

namespace {

// The record without its line end: what the rejects file keeps, byte for byte. A record is at most
// kDefaultMaxRecordSize long (the chunker rejects longer ones), so this is bounded too.


}  // namespace

RecordParser::RecordParser(const std::vector<ir::InputColumn>& inputs, const HeaderBinding& binding,
                           CsvDialect dialect)
    : inputs_(&inputs), binding_(&binding), splitter_(dialect), fast_(inputs, binding, dialect) {
  for (size_t input = 0; input < inputs.size(); ++input) {
    const ir::InputColumn& column = inputs[input];
    plans_.push_back(ColumnPlan{CellParser(column.type, column.format), binding.field_of_input[input],
                                column.type.kind == ir::TypeKind::String});
  }
}

void RecordParser::rejectSplit(const SplitResult& split, Reject* reject) const {
  reject->reason = describeSplitError(split.error, split.error_field);
  const std::vector<std::string>& header = binding_->header;
  reject->column = split.error_field < header.size() ? printableText(header[split.error_field]) : "";
}

// Parses one cell into `column` at `row`. Why the quoted-empty case: `""` in a string column is the
// empty string even for `string?`, so that written `""` reads back as it was (an empty cell is missing).
bool RecordParser::fillCell(size_t input, size_t row, Batch* batch, Reject* reject) {
  const ColumnPlan& plan = plans_[input];
  Column* column = &batch->column(input);
  const CsvField& field = fields_[plan.field];
  std::string_view text = field.view();
  if (field.escaped) {
    splitter_.unescape(field, &scratch_);
    text = scratch_;
  }
  CellValue value;
  if (field.quoted && text.empty() && plan.is_string) {
    value.str = text;
  } else if (!plan.parser.parse(text, &value)) {
    reject->column = printableText(binding_->header[plan.field]);
    reject->reason = plan.parser.explain(text, (*inputs_)[input].name);
    return false;
  }
  if (column->optional()) column->valid()[row] = value.missing ? 0 : 1;
  switch (column->kind()) {
    case ir::Kind::I64: column->i64()[row] = value.i64; break;
    case ir::Kind::Bool: column->boolean()[row] = static_cast<uint8_t>(value.i64); break;
    case ir::Kind::Str:
      column->str()[row] = field.escaped ? batch->intern(text)
                                         : StrRef{value.str.data(), static_cast<int64_t>(value.str.size())};
      break;
  }
  return true;
}

bool RecordParser::fillRow(size_t row, Batch* batch, Reject* reject) {
  const size_t header_size = binding_->header.size();
  if (fields_.size() != header_size) {
    reject->column.clear();
    reject->reason = describeFieldCount(fields_.size(), header_size);
    return false;
  }
  for (size_t input = 0; input < plans_.size(); ++input)
    if (!fillCell(input, row, batch, reject)) return false;
  return true;
}

// The general path for one record: split into fields, check the count, parse each bound cell.
// *split says where the record ends either way; false with `reject` filled when it is rejected.
bool RecordParser::parseGeneral(const char* pos, const char* end, size_t row, Batch* batch, Reject* reject,
                                SplitResult* split) {
  *split = splitter_.split(pos, end, &fields_);
  if (split->error != SplitError::None) {
    rejectSplit(*split, reject);
    return false;
  }
  return fillRow(row, batch, reject);
}

// The loop over records: skips empty lines, keeps line numbers exact across quoted newlines, and
// stops at the batch capacity so the caller can evaluate and call again with the same cursor.
// Each record is first tried by the one-pass parser; it declines (null) anything it cannot parse
// exactly as the general path would, which then decides on values or the reject.
size_t RecordParser::parse(const Chunk& chunk, ChunkCursor* cursor, Batch* batch, std::vector<Reject>* rejects) {
  assert((chunk.text.empty() || chunk.text.back() == '\n') && "a Chunk ends with a line feed (see chunk.hpp)");
  assert(batch->columnCount() == plans_.size() && "the batch's columns follow the program's inputs");
  batch->setRows(0);
  batch->clearArena();
  const bool fast = fast_.enabled();
  if (fast) fast_.bind(batch);
  const char* begin = chunk.text.data();
  const char* end = begin + chunk.text.size();
  const char* pos = begin + cursor->offset;
  int64_t line = cursor->line;
  const size_t capacity = batch->capacity();
  row_text_.resize(capacity);
  std::vector<int64_t>& line_numbers = batch->lineNumbers();
  size_t rows = 0;
  Reject reject;
  while (rows < capacity && pos < end) {
    const size_t empty_line = emptyLineLength(pos, end);
    if (empty_line) {
      pos += empty_line;
      ++line;
      continue;
    }
    const char* fast_end = fast ? fast_.parse(pos, rows) : nullptr;
    if (fast_end != nullptr) {
      line_numbers[rows] = line;
      row_text_[rows] = recordWithoutLineEnd(pos, fast_end);
      ++rows;
      ++line;
      pos = fast_end;
      continue;
    }
    SplitResult split;
    if (parseGeneral(pos, end, rows, batch, &reject, &split)) {
      line_numbers[rows] = line;
      row_text_[rows] = recordWithoutLineEnd(pos, split.end);
      ++rows;
    } else {
      rejects->push_back(Reject{line, reject.column, reject.reason, std::string(recordWithoutLineEnd(pos, split.end))});
    }
    line += split.newlines;
    pos = split.end;
  }
  cursor->offset = static_cast<size_t>(pos - begin);
  cursor->line = line;
  batch->setRows(rows);
  return rows;
}

}  // namespace regelwerk
