// Group keys: how a key cell is read (int or string) and how two keys compare.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace regelwerk {

// int keys compare as 64-bit numbers (`7` and `007` are the same key); string keys compare as
// unsigned bytes, a prefix first (`ab` < `abc` < `b`).
enum class KeyType : uint8_t { Int, String };

// A key as it is compared: `number` for an int key, `text` (unquoted, `""` undoubled) for a string key.
struct KeyView {
  int64_t number = 0;
  std::string_view text;
};

// <0, 0 or >0 like memcmp. Example: compareKeys(KeyType::String, {0, "ab"}, {0, "abc"}) < 0.
inline int compareKeys(KeyType type, const KeyView& left, const KeyView& right) {
  if (type == KeyType::Int) return left.number < right.number ? -1 : left.number > right.number ? 1 : 0;
  return left.text.compare(right.text) < 0 ? -1 : left.text == right.text ? 0 : 1;
}

// The key for messages: `42`, or the string in backticks (shortened when long).
std::string describeKey(KeyType type, const KeyView& key);

// One record with its key: the unit the readers, the sorter and the merger pass along. The views
// are valid until the next call on whatever produced the record.
struct KeyedRecord {
  KeyView key;
  std::string_view text;  // the record as in the file, without its line end
  int64_t line = 0;       // 1-based line where the record starts
};

// (key, line) order: the order of a group stream, and the file order within a group.
inline bool keyedBefore(KeyType type, const KeyedRecord& left, const KeyedRecord& right) {
  const int order = compareKeys(type, left.key, right.key);
  return order != 0 ? order < 0 : left.line < right.line;
}

// Anything that yields keyed records one at a time: a CSV reader, an in-memory sorted run, a run
// file, a merge of those. False at the end (`error` empty) or on an error (`error` set).
class KeyedRecordStream {
 public:
  virtual ~KeyedRecordStream() = default;
  virtual bool next(KeyedRecord* record, std::string* error) = 0;
};

}  // namespace regelwerk
