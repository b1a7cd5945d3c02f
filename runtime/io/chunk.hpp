// A chunk of whole CSV records: the unit the reader thread hands to parser/evaluator threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/io/byte_buffer.hpp"
#include "runtime/io/reject.hpp"

namespace regelwerk {

// Whole records in file order. Invariant: `text` is empty or ends with '\n' (the chunker appends
// one after a last record that has none), so record scans need no bounds check in the fast path;
// ByteBuffer's zeroed padding also lets a parser load a word at any field start.
// Batches parsed from a chunk point into `text`: the chunk must outlive them.
// A record longer than the record limit is not in `text`: the chunker rejects it itself, and hands
// the reject over in a chunk of its own (text empty, `rejects` holding it).
struct Chunk {
  ByteBuffer text;
  int64_t first_line = 0;  // 1-based line number (in the file) of the first record
  uint64_t sequence = 0;   // 0, 1, 2, … in file order, for writing results in order
  std::vector<Reject> rejects;  // records the chunker rejected (too long); before `text` in file order
};

// Where parsing stopped inside a chunk: a byte offset at a record start and that record's line.
struct ChunkCursor {
  size_t offset = 0;
  int64_t line = 0;
};

inline ChunkCursor cursorAt(const Chunk& chunk) { return ChunkCursor{0, chunk.first_line}; }
inline bool atEnd(const Chunk& chunk, const ChunkCursor& cursor) { return cursor.offset >= chunk.text.size(); }

}  // namespace regelwerk
