// Record boundaries for the chunker: a byte state machine with a memchr fast path for quote-free text.
#include "record_scanner.hpp"

#include <cstring>

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

const char* RecordScanner::scanLast(const char* pos, const char* end) {
  if (pos == end) return nullptr;
  const bool plain_state = state_ == State::FieldStart || state_ == State::Unquoted;
  if (plain_state && !std::memchr(pos, dialect_.quote, static_cast<size_t>(end - pos)))
    return scanLastWithoutQuotes(pos, end);
  const char* last = nullptr;
  for (; pos < end; ++pos)
    if (step(*pos)) last = pos + 1;
  return last;
}

const char* RecordScanner::scanFirst(const char* pos, const char* end) {
  for (; pos < end; ++pos)
    if (step(*pos)) return pos + 1;
  return nullptr;
}

}  // namespace regelwerk
