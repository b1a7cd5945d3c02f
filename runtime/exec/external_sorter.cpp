// The external sort: run formation, spilling, heap merge, intermediate merge passes.
#include "external_sorter.hpp"

#include <unistd.h>

#include <algorithm>
#include <utility>

#include "runtime/exec/run_file.hpp"

namespace regelwerk {

namespace {

// Yields a sorted RunBuffer's records in order.
class HeldRunStream final : public KeyedRecordStream {
 public:
  explicit HeldRunStream(RunBuffer buffer) : buffer_(std::move(buffer)) {}
  bool next(KeyedRecord* record, std::string* error) override {
    if (position_ >= buffer_.size()) return false;
    *record = buffer_.at(position_++);
    return true;
  }

 private:
  RunBuffer buffer_;
  size_t position_ = 0;
};

// A k-way merge of sorted streams with a binary heap of their heads. The head of the source that
// was yielded last is advanced lazily, on the next call, so the yielded views stay valid until then.
class MergeStream final : public KeyedRecordStream {
 public:
  // The heap order: `left` comes out after `right` (a min-heap on (key, line)).
  struct After {
    const MergeStream* merge;
    bool operator()(size_t left, size_t right) const {
      return keyedBefore(merge->key_type_, merge->heads_[right], merge->heads_[left]);
    }
  };

  MergeStream(KeyType key_type, std::vector<std::unique_ptr<KeyedRecordStream>> sources)
      : key_type_(key_type), sources_(std::move(sources)), heads_(sources_.size()) {}

  bool next(KeyedRecord* record, std::string* error) override {
    if (!primed_) {
      primed_ = true;
      for (size_t source = 0; source < sources_.size(); ++source)
        if (!advance(source, error)) return false;
    } else if (last_ < sources_.size() && !advance(last_, error)) {
      return false;
    }
    if (heap_.empty()) return false;
    std::pop_heap(heap_.begin(), heap_.end(), After{this});
    last_ = heap_.back();
    heap_.pop_back();
    *record = heads_[last_];
    return true;
  }

 private:
  // Reads the source's next head into the heap; false only on an error.
  bool advance(size_t source, std::string* error) {
    if (sources_[source]->next(&heads_[source], error)) {
      heap_.push_back(source);
      std::push_heap(heap_.begin(), heap_.end(), After{this});
      return true;
    }
    return error->empty();
  }

  KeyType key_type_;
  std::vector<std::unique_ptr<KeyedRecordStream>> sources_;
  std::vector<KeyedRecord> heads_;
  std::vector<size_t> heap_;
  size_t last_ = static_cast<size_t>(-1);
  bool primed_ = false;
};

constexpr size_t kRunWriteBuffer = size_t{1} << 20;

}  // namespace

ExternalSorter::~ExternalSorter() {
  for (int fd : runs_) ::close(fd);
}

bool ExternalSorter::spill(RunBuffer* buffer, std::string* error) {
  buffer->sort();
  const int fd = folder_->openFile(error);
  if (fd < 0) return false;
  RunWriter writer(fd, key_type_, kRunWriteBuffer);
  for (size_t index = 0; index < buffer->size(); ++index)
    if (!writer.write(buffer->at(index), error)) return false;
  const int run = writer.finish(error);
  if (run < 0) return false;
  runs_.push_back(run);
  ++stats_.runs_spilled;
  stats_.bytes_spilled += writer.bytesWritten();
  buffer->clear();
  return true;
}

bool ExternalSorter::consume(KeyedRecordStream* input, size_t budget, size_t fan_in, size_t read_buffer,
                             std::string* error) {
  fan_in = std::max<size_t>(fan_in, 2);
  RunBuffer buffer(key_type_, budget);
  KeyedRecord record;
  while (input->next(&record, error)) {
    if (buffer.add(record)) continue;
    if (!spill(&buffer, error)) return false;
    if (runs_.size() >= 2 * fan_in && !mergeRuns(0, fan_in, read_buffer, error)) return false;
    buffer.add(record);
  }
  if (!error->empty()) return false;
  if (!runs_.empty()) return buffer.empty() || spill(&buffer, error);
  buffer.sort();
  held_.emplace(std::move(buffer));
  return true;
}

bool ExternalSorter::spillHeld(std::string* error) {
  if (!held_) return true;
  const bool spilled = held_->empty() || spill(&*held_, error);
  held_.reset();
  return spilled;
}

std::unique_ptr<KeyedRecordStream> ExternalSorter::mergeStream(size_t first, size_t count, size_t read_buffer) {
  std::vector<std::unique_ptr<KeyedRecordStream>> sources;
  for (size_t run = first; run < first + count; ++run)
    sources.push_back(std::make_unique<RunReader>(runs_[run], key_type_, read_buffer));
  runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(first),
              runs_.begin() + static_cast<std::ptrdiff_t>(first + count));
  if (sources.size() == 1) return std::move(sources[0]);
  return std::make_unique<MergeStream>(key_type_, std::move(sources));
}

// Merges `count` runs from `first` into one new run at the end (the merged files are closed).
bool ExternalSorter::mergeRuns(size_t first, size_t count, size_t read_buffer, std::string* error) {
  std::unique_ptr<KeyedRecordStream> merged = mergeStream(first, count, read_buffer);
  const int fd = folder_->openFile(error);
  if (fd < 0) return false;
  RunWriter writer(fd, key_type_, kRunWriteBuffer);
  KeyedRecord record;
  while (merged->next(&record, error))
    if (!writer.write(record, error)) return false;
  if (!error->empty()) return false;
  const int run = writer.finish(error);
  if (run < 0) return false;
  runs_.push_back(run);
  ++stats_.merge_passes;
  stats_.bytes_spilled += writer.bytesWritten();
  return true;
}

std::unique_ptr<KeyedRecordStream> ExternalSorter::openSorted(size_t fan_in, size_t read_buffer, std::string* error) {
  if (held_) {
    auto stream = std::make_unique<HeldRunStream>(std::move(*held_));
    held_.reset();
    return stream;
  }
  fan_in = std::max<size_t>(fan_in, 2);
  while (runs_.size() > fan_in)
    if (!mergeRuns(0, fan_in, read_buffer, error)) return nullptr;
  if (runs_.empty()) return std::make_unique<HeldRunStream>(RunBuffer(key_type_, 0));
  return mergeStream(0, runs_.size(), read_buffer);
}

}  // namespace regelwerk
