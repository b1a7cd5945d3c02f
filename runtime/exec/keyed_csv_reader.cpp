// The keyed CSV reader: header lookup of the key column, record loop, key parsing, rejects.
#include "keyed_csv_reader.hpp"

#include <cstring>
#include <utility>

namespace regelwerk {

namespace {

std::string headerList(const std::vector<std::string>& header) {
  std::string list;
  for (const std::string& name : header) list += (list.empty() ? "`" : ", `") + name + "`";
  return list;
}

}  // namespace

KeyedCsvReader::KeyedCsvReader(KeyedCsvSpec spec, RejectSink sink)
    : spec_(std::move(spec)),
      sink_(std::move(sink)),
      chunker_(spec_.fd, spec_.dialect, spec_.chunk_size),
      splitter_(spec_.dialect),
      int_parser_(int_type_, spec_.key_format) {}

bool KeyedCsvReader::findKeyColumn(const std::vector<std::string>& header, std::string* error) {
  if (spec_.key_column.empty()) return true;  // a shared input: no key
  std::vector<uint32_t> found;
  for (uint32_t field = 0; field < header.size(); ++field)
    if (header[field] == spec_.key_column) found.push_back(field);
  if (found.size() == 1) {
    key_field_ = found[0];
    return true;
  }
  if (found.empty()) {
    *error = spec_.name + ": missing key column `" + spec_.key_column + "`; the header has: " + headerList(header);
    return false;
  }
  *error = spec_.name + ": key column `" + spec_.key_column + "` appears " + std::to_string(found.size()) +
           " times in the header (fields " + std::to_string(found[0] + 1) + " and " + std::to_string(found[1] + 1) +
           "); rename one so the key is unambiguous";
  return false;
}

bool KeyedCsvReader::open(std::string* error) {
  if (!chunker_.readHeader(&header_, error)) {
    *error = spec_.name + ": " + *error;
    return false;
  }
  return findKeyColumn(header_, error);
}

void KeyedCsvReader::reject(Reject reject_row) {
  ++records_rejected_;
  if (sink_) sink_(reject_row);
}

bool KeyedCsvReader::readIntKey(std::string_view text, KeyView* key, Reject* reject) const {
  CellValue value;
  if (int_parser_.parse(text, &value)) {
    key->number = value.i64;
    return true;
  }
  reject->reason = int_parser_.explain(text, spec_.key_column);
  return false;
}

// The key cell of the record just split: unquoted and undoubled; an empty unquoted cell is no key
// (a quoted `""` is the empty string, a valid string key).
bool KeyedCsvReader::readKey(const SplitResult& split, KeyView* key, Reject* reject) {
  reject->column = spec_.key_column;
  if (split.error != SplitError::None) {
    reject->reason = describeSplitError(split.error, split.error_field);
    return false;
  }
  if (spec_.key_column.empty()) {
    *key = KeyView{};
    return true;
  }
  if (fields_.size() <= key_field_) {
    reject->column.clear();
    reject->reason = "row has " + std::to_string(fields_.size()) + (fields_.size() == 1 ? " field" : " fields") +
                     "; the key `" + spec_.key_column + "` is field " + std::to_string(key_field_ + 1);
    return false;
  }
  const CsvField& field = fields_[key_field_];
  std::string_view text = field.view();
  if (field.escaped) {
    splitter_.unescape(field, &key_scratch_);
    text = key_scratch_;
  }
  if (text.empty() && !field.quoted) {
    reject->reason = "empty key cell: every record needs a `" + spec_.key_column + "`";
    return false;
  }
  key->text = text;
  if (spec_.key_type == KeyType::String) return true;
  return readIntKey(text, key, reject);
}

// Why: splitting every field of every record only to find its key and its end cost 13 % of a grouped
// run over unquoted input (std.autoresponder, `perf`). A record without a quote is split up to its key
// field only, its end found with memchr; any other record (a quote, too few fields, no line end) takes
// the general splitter, which also gives the messages. Same fields up to the key, same end.
bool KeyedCsvReader::splitToKey(const char* pos, const char* end, SplitResult* split) {
  const char* line_end = static_cast<const char*>(std::memchr(pos, '\n', static_cast<size_t>(end - pos)));
  if (line_end == nullptr || std::memchr(pos, spec_.dialect.quote, static_cast<size_t>(line_end - pos)) != nullptr) return false;
  fields_.clear();
  const char* field = pos;
  for (uint32_t index = 0; index <= key_field_; ++index) {
    const char* separator =
        static_cast<const char*>(std::memchr(field, spec_.dialect.separator, static_cast<size_t>(line_end - field)));
    if (separator == nullptr && index < key_field_) return false;
    const char* stop = separator != nullptr ? separator : line_end - (line_end > field && line_end[-1] == '\r' ? 1 : 0);
    fields_.push_back(CsvField{field, static_cast<uint32_t>(stop - field), false, false});
    field = stop + 1;
  }
  *split = SplitResult{line_end + 1, 1, SplitError::None, 0};
  return true;
}

bool KeyedCsvReader::next(KeyedRecord* record, std::string* error) {
  for (;;) {
    if (atEnd(chunk_, cursor_)) {
      if (!chunker_.next(&chunk_, error)) {
        if (!error->empty()) *error = spec_.name + ": " + *error;
        return false;
      }
      cursor_ = cursorAt(chunk_);
    }
    const char* begin = chunk_.text.data();
    const char* end = begin + chunk_.text.size();
    const char* pos = begin + cursor_.offset;
    if (size_t empty = emptyLineLength(pos, end)) {
      cursor_.offset += empty;
      ++cursor_.line;
      continue;
    }
    SplitResult split;
    if (!splitToKey(pos, end, &split)) split = splitter_.split(pos, end, &fields_);
    const int64_t line = cursor_.line;
    cursor_.offset = static_cast<size_t>(split.end - begin);
    cursor_.line += split.newlines;
    ++records_read_;
    const std::string_view text = recordWithoutLineEnd(pos, split.end);
    Reject problem;
    if (!readKey(split, &record->key, &problem)) {
      problem.line = line;
      problem.raw_record = std::string(text);  // whole, as the data reader keeps it
      reject(std::move(problem));
      continue;
    }
    record->text = text;
    record->line = line;
    return true;
  }
}

}  // namespace regelwerk
