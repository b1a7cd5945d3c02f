// Sorts the keyed records of one input by (key, line) within a memory budget, spilling runs to disk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/exec/group_key.hpp"
#include "runtime/exec/run_buffer.hpp"
#include "runtime/exec/spill_folder.hpp"

namespace regelwerk {

struct SortStats {
  uint64_t runs_spilled = 0;   // runs written while reading (incl. held runs spilled later)
  uint64_t bytes_spilled = 0;  // bytes written to run files, merge passes included
  uint64_t merge_passes = 0;   // intermediate merges (runs merged into one bigger run)
};

// Two phases. consume() reads the whole input into a RunBuffer; each time the budget is reached the
// buffer is sorted and written as a run file. If the input ended before the first spill, the sorted
// records stay in memory (held) and nothing touches the disk. openSorted() then yields everything
// in (key, line) order: from memory, or by merging the run files with a heap, in intermediate
// passes while there are more runs than `fan_in`. Example: 480 MB of events with a 224 MiB budget
// make 4 runs, merged in one pass.
class ExternalSorter {
 public:
  ExternalSorter(KeyType key_type, SpillFolder* folder) : key_type_(key_type), folder_(folder) {}
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Keeps fewer than 2 × `fan_in` run files open: when that many are spilled, `fan_in` of them are
  // merged into one at once (read buffers of `read_buffer` bytes), so descriptors stay bounded.
  bool consume(KeyedRecordStream* input, size_t budget, size_t fan_in, size_t read_buffer, std::string* error);
  // Writes held records as one run and frees their memory (to make room for another input).
  bool spillHeld(std::string* error);
  size_t heldBytes() const { return held_ ? held_->memoryBytes() : 0; }
  size_t runCount() const { return runs_.size(); }
  bool spilled() const { return !held_; }

  // Once, after consume(). `read_buffer` is the read buffer of each run file being merged.
  std::unique_ptr<KeyedRecordStream> openSorted(size_t fan_in, size_t read_buffer, std::string* error);
  const SortStats& stats() const { return stats_; }

 private:
  bool spill(RunBuffer* buffer, std::string* error);
  bool mergeRuns(size_t first, size_t count, size_t read_buffer, std::string* error);
  std::unique_ptr<KeyedRecordStream> mergeStream(size_t first, size_t count, size_t read_buffer);

  KeyType key_type_;
  SpillFolder* folder_;
  std::optional<RunBuffer> held_;
  std::vector<int> runs_;  // open run files, rewound
  SortStats stats_;
};

}  // namespace regelwerk
