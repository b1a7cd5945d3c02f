// Reads a CSV input record by record with the key of each record: the front of every grouped input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/ir/type.hpp"
#include "runtime/columnar/cell_parser.hpp"
#include "runtime/exec/group_key.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/csv_splitter.hpp"
#include "runtime/io/reject.hpp"

namespace regelwerk {

using RejectSink = std::function<void(const Reject&)>;

struct KeyedCsvSpec {
  std::string name;  // for messages: the path, or "stdin"
  int fd = -1;       // not owned
  CsvDialect dialect;
  std::string key_column;
  KeyType key_type = KeyType::Int;
  size_t chunk_size = kDefaultChunkSize;
  std::string key_format;  // an int key's declared format (`format "whole.0"`), "" for none
};
// An empty `key_column` reads a shared input (`input Campaign shared`): no key; only a record that
// cannot be split (a quoting error) is rejected, and every other record comes with an empty key.

// Uses CsvChunker for record boundaries and CsvSplitter for fields, so records, line numbers, BOM,
// CRLF and quoted line feeds are exactly what the per-record reader sees. Empty lines are skipped.
// A record is rejected (given to the sink, counted, not yielded) when its key cannot be known:
// a quoting error anywhere in it, too few fields to reach the key column, an empty key cell, or for
// an int key a cell that is not an int. Every other problem (a wrong field count with a readable
// key, a bad cell elsewhere) is the evaluation's: the record stays in its group, so the group can
// be rejected as a whole. Example: with key `id` (int), `x1,a` is rejected with
// "`x1` is not an int (write digits, e.g. 42 or -7)"; `007,a` yields key 7.
class KeyedCsvReader final : public KeyedRecordStream {
 public:
  // `sink` may be empty (rejects are then only counted, as in a pre-scan).
  KeyedCsvReader(KeyedCsvSpec spec, RejectSink sink);

  // Reads the header and finds the key column. False with "NAME: …" when it cannot.
  bool open(std::string* error);
  bool next(KeyedRecord* record, std::string* error) override;

  // The header fields as read (unquoted, BOM stripped), for binding the other columns.
  const std::vector<std::string>& header() const { return header_; }
  uint64_t recordsRead() const { return records_read_; }
  uint64_t recordsRejected() const { return records_rejected_; }
  const std::string& name() const { return spec_.name; }

 private:
  bool findKeyColumn(const std::vector<std::string>& header, std::string* error);
  bool splitToKey(const char* pos, const char* end, SplitResult* split);
  bool readKey(const SplitResult& split, KeyView* key, Reject* reject);
  bool readIntKey(std::string_view text, KeyView* key, Reject* reject) const;
  void reject(Reject reject_row);

  KeyedCsvSpec spec_;
  RejectSink sink_;
  CsvChunker chunker_;
  CsvSplitter splitter_;
  ir::Type int_type_ = ir::Type::of(ir::TypeKind::Int);
  CellParser int_parser_;
  Chunk chunk_;
  ChunkCursor cursor_;
  std::vector<CsvField> fields_;
  std::string key_scratch_;  // an unescaped quoted key
  uint32_t key_field_ = 0;
  std::vector<std::string> header_;
  uint64_t records_read_ = 0;
  uint64_t records_rejected_ = 0;
};

}  // namespace regelwerk
