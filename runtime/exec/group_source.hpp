// Turns several CSV inputs into one stream of groups in ascending key order, in bounded memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/exec/external_sorter.hpp"
#include "runtime/exec/group_key.hpp"
#include "runtime/exec/keyed_csv_reader.hpp"
#include "runtime/exec/spill_folder.hpp"
#include "runtime/io/byte_buffer.hpp"
#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/reject.hpp"

namespace regelwerk {

inline constexpr size_t kDefaultGroupMemoryLimit = size_t{256} << 20;

// How an input's order is found. Detect: a regular file is pre-scanned (stopping at the first key
// that decreases) and streamed when sorted, sorted externally otherwise; a pipe is always sorted
// externally. Sorted: streamed without a pre-scan, a decreasing key is an error. Unsorted: always
// sorted externally (in memory when it fits).
enum class InputOrder : uint8_t { Detect, Sorted, Unsorted };

// How an input was read, for statistics and tests.
enum class InputPlan : uint8_t { Streamed, SortedInMemory, SortedOnDisk };

struct GroupInput {
  std::string path;  // "-" is stdin; ignored when fd >= 0
  int fd = -1;       // an open descriptor, not owned (then `name` says what to call it)
  std::string name;  // for messages; defaults to the path ("stdin" for "-")
  CsvDialect dialect;
  std::string key_column;
  KeyType key_type = KeyType::Int;  // the same for all inputs of a source
  std::string key_format;           // an int key's declared format, "" for none
  InputOrder order = InputOrder::Detect;
  // `input Campaign shared`: no key (key_column and order are ignored); read whole when the source
  // opens, and every group gets all its records. A record that cannot be split is an error of the
  // source, not a reject: it would be missing from every group.
  bool shared = false;
};

// A shared input holds at most this many bytes of records: every group reads (and the worker parses)
// all of them, so a batch of groups holds them once per group (docs/groups.md, "Shared inputs").
inline constexpr size_t kMaxSharedBytes = size_t{1} << 20;
// What follows the reason when a shared record stops a run; `stopped` is stoppedHere() of the run's files.
inline std::string sharedRecordStops(const std::string& stopped) {
  return "\n(every group reads the records of a shared input, so " + stopped + ": fix the record)";
}

struct GroupSourceOptions {
  // Bytes of records the external sort may hold (all inputs together), index included. Chunk
  // buffers (two chunks per input being read) and the current group come on top; see
  // docs/groups.md, "Grouped input".
  size_t memory_limit = kDefaultGroupMemoryLimit;
  // The folder in which the temporary folder for sort runs is created (only if a run is spilled).
  std::string temp_parent = ".";
  // Called for each rejected record, in file order per input, as it is read.
  std::function<void(size_t input, const Reject& reject)> on_reject;
  size_t chunk_size = kDefaultChunkSize;
};

struct GroupRecord {
  std::string_view text;  // the record as in the file, without its line end
  int64_t line = 0;       // 1-based line where it starts
};

// One key and, per input (in the order given), its records in file order. The views point into
// `bytes`, which the source reuses (a shared input's into the source itself): a Group is valid until
// the next call to next() with it.
struct Group {
  KeyType key_type = KeyType::Int;
  int64_t int_key = 0;
  std::string string_key;
  std::vector<std::vector<GroupRecord>> records;
  ByteBuffer bytes;

  KeyView key() const { return KeyView{int_key, string_key}; }
};

struct GroupInputStats {
  uint64_t records_read = 0;      // records (not empty lines) after the header
  uint64_t records_grouped = 0;   // handed out in groups so far
  uint64_t records_rejected = 0;  // records whose key could not be read
  InputPlan plan = InputPlan::Streamed;
  SortStats sort;
};

// Usage:
//   auto source = GroupSource::open({claims, estates}, options, &error);
//   for (Group group; source->next(&group, &error);) use(group);
//   if (!error.empty()) fail(error);
// After the last group, for every input records_read = records_grouped + records_rejected (a shared
// input's records count as grouped once). Every key present in any keyed input forms one group;
// inputs without records of that key contribute an empty list, a shared input all its records. Sorted inputs stream (memory ∝ the largest group); the others are sorted first,
// before the first group is returned. The temporary folder is removed on every path, at the latest
// when the source is destroyed.
class GroupSource {
 public:
  static std::unique_ptr<GroupSource> open(std::vector<GroupInput> inputs, GroupSourceOptions options,
                                           std::string* error);
  ~GroupSource();
  GroupSource(const GroupSource&) = delete;
  GroupSource& operator=(const GroupSource&) = delete;

  // The next group; false at the end (`error` empty) or on an error (`error` set, "NAME:LINE: …").
  // After an error the source is finished: every later call returns the same error.
  bool next(Group* group, std::string* error);

  size_t inputCount() const { return inputs_.size(); }
  GroupInputStats stats(size_t input) const;
  // Input `input`'s header fields, as read when the source was opened.
  const std::vector<std::string>& header(size_t input) const;
  // The temporary folder's path while it exists ("" if nothing was spilled).
  const std::string& tempFolder() const { return folder_.path(); }

 private:
  struct Input;

  explicit GroupSource(GroupSourceOptions options);
  bool openInput(size_t index, std::string* error);
  bool readShared(Input* input, std::string* error);
  bool openDescriptor(Input* input, std::string* error);
  bool detectSorted(Input* input, bool* sorted, std::string* error);
  bool sortInput(size_t index, std::string* error);
  bool openSortedStreams(std::string* error);
  bool advance(Input* input, const KeyView& previous, std::string* error);
  bool fillGroup(Group* group, std::string* error);

  GroupSourceOptions options_;
  SpillFolder folder_;  // declared first: destroyed last, after every run file is closed
  std::vector<std::unique_ptr<Input>> inputs_;
  std::vector<std::pair<size_t, size_t>> spans_;
  std::string failed_;  // the error that finished the source  // scratch: (offset, size) of the group's records
};

}  // namespace regelwerk
