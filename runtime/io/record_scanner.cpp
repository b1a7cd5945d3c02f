// Record boundaries for the chunker: a byte state machine with a memchr fast path for quote-free text.
#include "record_scanner.hpp"

#include <cstring>

#include "runtime/io/csv_structural_index.hpp"

namespace regelwerk {

// One byte of the state machine; see the class comment for the rules.
inline bool RecordScanner::step(char c) {
  switch (state_) {
    case State::FieldStart:
    case State::Unquoted:
      if (c == '\n') {
        state_ = State::FieldStart;
        return true;
      }
      if (c == dialect_.separator) state_ = State::FieldStart;
      else if (c == dialect_.quote && state_ == State::FieldStart) state_ = State::Quoted;
      else state_ = State::Unquoted;
      return false;
    case State::Quoted:
      if (c == dialect_.quote) state_ = State::QuoteInQuoted;
      return false;
    case State::QuoteInQuoted:
      if (c == dialect_.quote) {
        state_ = State::Quoted;
        return false;
      }
      state_ = State::FieldStart;
      if (c == '\n') return true;
      if (c != dialect_.separator) state_ = State::Unquoted;
      return false;
  }
  return false;
}

// Most files have no quotes at all: then the last '\n' is the last record end and the state at
// `end` only depends on the last byte.
const char* RecordScanner::scanLastWithoutQuotes(const char* pos, const char* end) {
  const char* last = static_cast<const char*>(memrchr(pos, '\n', static_cast<size_t>(end - pos)));
  const char back = end[-1];
  state_ = back == '\n' || back == dialect_.separator ? State::FieldStart : State::Unquoted;
  return last ? last + 1 : nullptr;
}

// The index of one 64-byte block applied to the state: true with the record ends (line feeds
// outside quotes) as a bitmask when every quote in the block opens a field (after a separator, a
// line feed, the block start in FieldStart, or a closing quote: `""`) or closes one (followed by a
// separator, LF, CRLF or a quote); then the quote parity is exactly the state machine's Quoted state.
// False, state untouched, when a quote stands anywhere else: the caller steps the block bytewise.
// Example: `1,"a,b\n""c",2\n` has one record end, the last byte; `,a"b,` is refused.
bool RecordScanner::stepBlock(const char* block, uint64_t* record_ends) {
  BlockMasks masks;
  indexBlock(block, dialect_.separator, dialect_.quote, &masks);
  const bool inside_before = state_ == State::Quoted;
  const uint64_t inside = masks.quote_parity ^ (inside_before ? ~uint64_t{0} : 0);
  const uint64_t opening = masks.quote & inside;
  const uint64_t closing = masks.quote & ~inside;
  const uint64_t opens_after = masks.separator | masks.line_feed | masks.quote;
  const bool may_open_first = state_ == State::FieldStart || state_ == State::QuoteInQuoted;
  const uint64_t may_open = (opens_after << 1) | (may_open_first ? 1 : 0);
  const uint64_t may_follow_close =
      masks.separator | masks.line_feed | masks.quote | (masks.carriage_return & (masks.line_feed >> 1));
  constexpr uint64_t kLastBit = uint64_t{1} << 63;
  if ((opening & ~may_open) != 0) return false;
  if ((closing & ~kLastBit & ~(may_follow_close >> 1)) != 0) return false;
  if (state_ == State::QuoteInQuoted && (may_follow_close & 1) == 0) return false;
  *record_ends = masks.line_feed & ~inside;
  const char last = block[kBlockSize - 1];
  if (inside & kLastBit)
    state_ = State::Quoted;
  else if (closing & kLastBit)
    state_ = State::QuoteInQuoted;
  else
    state_ = last == '\n' || last == dialect_.separator ? State::FieldStart : State::Unquoted;
  return true;
}

// Blocks through the index while 64 bytes remain, the rest (and any refused block) byte by byte.
const char* RecordScanner::scanBytes(const char* pos, const char* end, bool first_only) {
  const char* last = nullptr;
  while (end - pos >= kBlockSize) {
    uint64_t record_ends = 0;
    if (!stepBlock(pos, &record_ends)) {
      for (const char* block_end = pos + kBlockSize; pos < block_end; ++pos) {
        if (!step(*pos)) continue;
        if (first_only) return pos + 1;
        last = pos + 1;
      }
      continue;
    }
    if (record_ends != 0 && first_only) {
      state_ = State::FieldStart;  // the state after a record end; the rest of the block is not consumed
      return pos + __builtin_ctzll(record_ends) + 1;
    }
    if (record_ends != 0) last = pos + (63 - __builtin_clzll(record_ends)) + 1;
    pos += kBlockSize;
  }
  for (; pos < end; ++pos) {
    if (!step(*pos)) continue;
    if (first_only) return pos + 1;
    last = pos + 1;
  }
  return last;
}

const char* RecordScanner::scanLast(const char* pos, const char* end) {
  if (pos == end) return nullptr;
  const bool plain_state = state_ == State::FieldStart || state_ == State::Unquoted;
  if (plain_state && !std::memchr(pos, dialect_.quote, static_cast<size_t>(end - pos)))
    return scanLastWithoutQuotes(pos, end);
  return scanBytes(pos, end, false);
}

const char* RecordScanner::scanFirst(const char* pos, const char* end) {
  return scanBytes(pos, end, true);
}

}  // namespace regelwerk
