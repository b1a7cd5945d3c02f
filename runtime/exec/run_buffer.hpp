// Records held in memory for one sorted run of an external sort, within a byte budget.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "runtime/exec/group_key.hpp"

namespace regelwerk {

// Copies records (and string keys) into fixed-size blocks and keeps a 40-byte index entry per
// record; memoryBytes() counts both, including the transient of the index's next doubling, so the
// budget is a bound on what the buffer ever holds. Blocks and index are kept across clear() and
// reused by the next run. Example: with a 16 MiB budget and 48-byte event rows, about 190,000
// records make a run.
class RunBuffer {
 public:
  RunBuffer(KeyType key_type, size_t budget);

  // Copies `record` in. False (nothing copied) when it would exceed the budget; a record always
  // fits into an empty buffer, however large.
  bool add(const KeyedRecord& record);
  // Sorts by (key, line): the group order, file order within a key.
  void sort();
  void clear();

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  KeyedRecord at(size_t index) const;
  size_t memoryBytes() const { return memory_; }

 private:
  struct Entry {
    const char* record;
    const char* key_text;
    int64_t number;
    int64_t line;
    uint32_t record_size;
    uint32_t key_size;
  };
  struct Block {
    std::unique_ptr<char[]> bytes;
    size_t size;
  };

  char* reserveBytes(size_t bytes);
  bool roomFor(size_t bytes) const;

  KeyType key_type_;
  size_t budget_;
  size_t block_size_;
  size_t first_entries_;  // the index's first capacity: a small budget gets a small index
  std::vector<Block> blocks_;
  size_t block_ = 0;  // the block being filled
  size_t used_ = 0;   // bytes used in it
  std::vector<Entry> entries_;
  size_t memory_ = 0;
};

}  // namespace regelwerk
