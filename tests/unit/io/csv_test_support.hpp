// Test helpers: run text through the chunker and the record parser and collect what comes out.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/record_parser.hpp"

namespace regelwerk::test {

inline ir::InputColumn inputColumn(std::string name, ir::Type type, std::string header = "", std::string format = "") {
  return ir::InputColumn{name, header.empty() ? name : header, std::move(type), std::move(format)};
}

inline ir::Type optionalType(ir::TypeKind kind, int scale = 0) {
  ir::Type type = ir::Type::of(kind, scale);
  type.optional = true;
  return type;
}

inline ir::Type enumOf(std::vector<std::string> members) {
  ir::Type type = ir::Type::of(ir::TypeKind::Enum);
  type.members = std::move(members);
  return type;
}

// A file descriptor holding `text` (an unlinked temporary file), closed on destruction.
class TextFile {
 public:
  explicit TextFile(const std::string& text) : file_(std::tmpfile()) {
    std::fwrite(text.data(), 1, text.size(), file_);
    std::fflush(file_);
    std::rewind(file_);
  }
  ~TextFile() { std::fclose(file_); }
  int fd() const { return fileno(file_); }

 private:
  std::FILE* file_;
};

struct ReadResult {
  std::string error;                           // header, binding or chunker error
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // cells re-formatted as text ("<missing>" for missing)
  std::vector<int64_t> lines;
  std::vector<std::string> record_texts;
  std::vector<Reject> rejects;
  size_t chunks = 0;
  size_t parse_calls = 0;
};

inline std::string cellText(const ir::Type& type, const std::string& format, const Column& column, size_t row) {
  if (!column.isValid(row)) return "<missing>";
  CellValue value;
  switch (column.kind()) {
    case ir::Kind::I64: value.i64 = column.i64()[row]; break;
    case ir::Kind::Bool: value.i64 = column.boolean()[row]; break;
    case ir::Kind::Str: {
      const StrRef text = column.str()[row];
      return std::string(text.data, static_cast<size_t>(text.size));
    }
  }
  std::string out;
  formatCell(type, format, value, &out);
  return out;
}

// Reads `fd` end to end: header, binding, every chunk, every batch.
inline ReadResult readFd(int fd, const std::vector<ir::InputColumn>& inputs, size_t chunk_size = kDefaultChunkSize,
                         size_t batch_capacity = 2048, CsvDialect dialect = {},
                         size_t max_record_size = kDefaultMaxRecordSize) {
  ReadResult result;
  CsvChunker chunker(fd, dialect, chunk_size, max_record_size);
  if (!chunker.readHeader(&result.header, &result.error)) return result;
  HeaderBinding binding;
  if (!bindHeader(inputs, result.header, &binding, &result.error)) return result;
  std::vector<ir::Type> types;
  for (const ir::InputColumn& input : inputs) types.push_back(input.type);
  Batch batch(types, batch_capacity);
  RecordParser parser(inputs, binding, dialect);
  Chunk chunk;
  while (chunker.next(&chunk, &result.error)) {
    ++result.chunks;
    result.rejects.insert(result.rejects.end(), chunk.rejects.begin(), chunk.rejects.end());
    for (ChunkCursor cursor = cursorAt(chunk); !atEnd(chunk, cursor);) {
      const size_t rows = parser.parse(chunk, &cursor, &batch, &result.rejects);
      ++result.parse_calls;
      for (size_t row = 0; row < rows; ++row) {
        std::vector<std::string> cells;
        for (size_t input = 0; input < inputs.size(); ++input)
          cells.push_back(cellText(inputs[input].type, inputs[input].format, batch.column(input), row));
        result.rows.push_back(std::move(cells));
        result.lines.push_back(batch.lineNumbers()[row]);
        result.record_texts.emplace_back(parser.recordText(row));
      }
    }
  }
  return result;
}

inline ReadResult readText(const std::string& text, const std::vector<ir::InputColumn>& inputs,
                           size_t chunk_size = kDefaultChunkSize, size_t batch_capacity = 2048, CsvDialect dialect = {}) {
  TextFile file(text);
  return readFd(file.fd(), inputs, chunk_size, batch_capacity, dialect);
}

}  // namespace regelwerk::test
