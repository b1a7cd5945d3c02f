// The group source: opens inputs, finds their order, sorts the unsorted ones, assembles groups.
#include "group_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <utility>

#include "output_file.hpp"

namespace regelwerk {

namespace {

// A share of the memory limit kept back from run formation for the merge's read buffers.
constexpr size_t kMergeShare = 8;
constexpr size_t kMinReadBuffer = size_t{16} << 10;
constexpr size_t kMaxReadBuffer = size_t{1} << 20;
constexpr size_t kMaxFanIn = 64;
constexpr size_t kMinMemoryLimit = size_t{16} << 10;  // a smaller limit is taken as this

// Runs merged at once per input: as many 16 KiB read buffers as the merge share of the limit holds.
size_t fanIn(size_t reserve, size_t inputs) {
  return std::clamp<size_t>(reserve / std::max<size_t>(inputs, 1) / kMinReadBuffer, 2, kMaxFanIn);
}

}  // namespace

struct GroupSource::Input {
  GroupInput spec;
  int fd = -1;
  bool owns_fd = false;
  off_t start = 0;  // the descriptor's offset at open, where a pre-scan rewinds to
  std::unique_ptr<KeyedCsvReader> reader;
  std::unique_ptr<ExternalSorter> sorter;
  std::unique_ptr<KeyedRecordStream> sorted;
  KeyedRecordStream* stream = nullptr;
  KeyedRecord head;
  bool has_head = false;
  InputPlan plan = InputPlan::Streamed;
  uint64_t grouped = 0;
  std::string shared_bytes;                  // a shared input: all its records, one after the other,
  std::vector<GroupRecord> shared_records;   // each a view into shared_bytes

  ~Input() {
    if (owns_fd) ::close(fd);
  }
};

GroupSource::GroupSource(GroupSourceOptions options) : options_(std::move(options)), folder_(options_.temp_parent) {}

GroupSource::~GroupSource() = default;

bool GroupSource::openDescriptor(Input* input, std::string* error) {
  GroupInput& spec = input->spec;
  if (spec.fd >= 0) {
    input->fd = spec.fd;
  } else if (spec.path == "-") {
    input->fd = STDIN_FILENO;
    if (spec.name.empty()) spec.name = "stdin";
  } else {
    input->fd = ::open(spec.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (input->fd < 0) {
      *error = "cannot open `" + spec.path + "`: " + std::strerror(errno);
      return false;
    }
    input->owns_fd = true;
  }
  if (spec.name.empty()) spec.name = spec.path.empty() ? "input" : spec.path;
  return true;
}

// The pre-scan of a regular file: reads keys until one decreases (a shuffled file stops within a
// few records; a sorted one is read to the end), then rewinds. Rejects are not reported here; the
// real pass reports them.
bool GroupSource::detectSorted(Input* input, bool* sorted, std::string* error) {
  struct stat info;
  input->start = ::lseek(input->fd, 0, SEEK_CUR);
  *sorted = false;
  if (::fstat(input->fd, &info) != 0 || !S_ISREG(info.st_mode) || input->start < 0) return true;
  const GroupInput& spec = input->spec;
  KeyedCsvReader scan({spec.name, input->fd, spec.dialect, spec.key_column, spec.key_type, options_.chunk_size, spec.key_format}, {});
  if (!scan.open(error)) return false;
  KeyedRecord record;
  int64_t last_number = 0;
  std::string last_text;
  bool first = true;
  *sorted = true;
  while (*sorted && scan.next(&record, error)) {
    *sorted = first || compareKeys(spec.key_type, KeyView{last_number, last_text}, record.key) <= 0;
    last_number = record.key.number;
    last_text.assign(record.key.text);
    first = false;
  }
  if (!error->empty()) return false;
  if (::lseek(input->fd, input->start, SEEK_SET) == input->start) return true;
  *error = spec.name + ": cannot rewind after checking the order: " + std::strerror(errno);
  return false;
}

bool GroupSource::openInput(size_t index, std::string* error) {
  Input* input = inputs_[index].get();
  if (!openDescriptor(input, error)) return false;
  const GroupInput& spec = input->spec;
  if (spec.shared) return readShared(input, error);
  bool sorted = spec.order == InputOrder::Sorted;
  if (spec.order == InputOrder::Detect && !detectSorted(input, &sorted, error)) return false;
  RejectSink sink;
  if (options_.on_reject) sink = [this, index](const Reject& reject) { options_.on_reject(index, reject); };
  input->reader = std::make_unique<KeyedCsvReader>(
      KeyedCsvSpec{spec.name, input->fd, spec.dialect, spec.key_column, spec.key_type, options_.chunk_size, spec.key_format},
      std::move(sink));
  if (!input->reader->open(error)) return false;
  input->plan = sorted ? InputPlan::Streamed : InputPlan::SortedInMemory;
  input->stream = input->reader.get();
  return sorted || sortInput(index, error);
}

// Reads a shared input whole (the keyless reader: same records, lines, BOM and CRLF handling as every
// input). Its first unsplittable record stops the source, with the record's line.
bool GroupSource::readShared(Input* input, std::string* error) {
  const GroupInput& spec = input->spec;
  std::optional<Reject> bad;
  RejectSink sink = [&bad](const Reject& reject) {
    if (!bad) bad = reject;
  };
  input->reader = std::make_unique<KeyedCsvReader>(
      KeyedCsvSpec{spec.name, input->fd, spec.dialect, "", spec.key_type, options_.chunk_size, ""}, std::move(sink));
  if (!input->reader->open(error)) return false;
  std::vector<std::pair<size_t, size_t>> spans;
  KeyedRecord record;
  while (input->reader->next(&record, error)) {
    spans.emplace_back(input->shared_bytes.size(), record.text.size());
    input->shared_bytes.append(record.text);
    input->shared_records.push_back(GroupRecord{{}, record.line});
    if (input->shared_bytes.size() > kMaxSharedBytes) {
      *error = spec.name + ": a shared input may hold at most " + std::to_string(kMaxSharedBytes >> 20) +
               " MiB of records, since every group reads all of them; key the input to read it group by group";
      return false;
    }
  }
  if (!error->empty()) return false;
  if (bad) {
    // Read before any group: nothing is written yet.
    *error = spec.name + ":" + std::to_string(bad->line) + ": " + bad->reason + sharedRecordStops(stoppedHere({}));
    return false;
  }
  for (size_t at = 0; at < spans.size(); ++at)
    input->shared_records[at].text = std::string_view(input->shared_bytes.data() + spans[at].first, spans[at].second);
  input->grouped = input->shared_records.size();
  return true;
}

// Forms the sorted runs of input `index`. Its budget is what earlier inputs do not hold in memory;
// when that is under a quarter of the total, the earlier inputs' records are spilled first, so
// every input gets at least a quarter of the budget.
bool GroupSource::sortInput(size_t index, std::string* error) {
  const size_t formation = options_.memory_limit - options_.memory_limit / kMergeShare;
  size_t held = 0;
  for (size_t other = 0; other < index; ++other)
    if (inputs_[other]->sorter) held += inputs_[other]->sorter->heldBytes();
  if (formation - std::min(held, formation) < formation / 4) {
    for (size_t other = 0; other < index; ++other)
      if (inputs_[other]->sorter && !inputs_[other]->sorter->spillHeld(error)) return false;
    held = 0;
  }
  Input* input = inputs_[index].get();
  input->sorter = std::make_unique<ExternalSorter>(input->spec.key_type, &folder_);
  const size_t reserve = options_.memory_limit / kMergeShare;
  const size_t fan_in = fanIn(reserve, inputs_.size());
  return input->sorter->consume(input->reader.get(), formation - held, fan_in, reserve / fan_in, error);
}

// After every input is read: the merge's read buffers share the kept-back part of the budget.
bool GroupSource::openSortedStreams(std::string* error) {
  const size_t reserve = std::max(options_.memory_limit / kMergeShare, 2 * kMinReadBuffer);
  size_t sorting = 0;
  for (const auto& input : inputs_) sorting += input->sorter && input->sorter->spilled();
  const size_t fan_in = fanIn(reserve, sorting);
  size_t open_runs = 0;
  for (const auto& input : inputs_)
    if (input->sorter && input->sorter->spilled()) open_runs += std::min(input->sorter->runCount(), fan_in);
  const size_t read_buffer = std::clamp(reserve / std::max<size_t>(open_runs, 1), kMinReadBuffer, kMaxReadBuffer);
  for (const auto& input : inputs_) {
    if (!input->sorter) continue;
    if (input->sorter->spilled()) input->plan = InputPlan::SortedOnDisk;
    input->sorted = input->sorter->openSorted(fan_in, read_buffer, error);
    if (!input->sorted) return false;
    input->stream = input->sorted.get();
  }
  return true;
}

std::unique_ptr<GroupSource> GroupSource::open(std::vector<GroupInput> inputs, GroupSourceOptions options,
                                               std::string* error) {
  error->clear();
  options.memory_limit = std::max(options.memory_limit, kMinMemoryLimit);
  std::unique_ptr<GroupSource> source(new GroupSource(std::move(options)));
  const GroupInput* keyed = nullptr;
  for (const GroupInput& spec : inputs) {
    if (spec.shared) continue;
    if (keyed == nullptr) keyed = &spec;
    if (spec.key_type == keyed->key_type) continue;
    *error = "the key columns of all inputs must have one type: `" + keyed->key_column + "` and `" +
             spec.key_column + "` differ (int and string)";
    return nullptr;
  }
  for (GroupInput& spec : inputs) {
    source->inputs_.push_back(std::make_unique<Input>());
    source->inputs_.back()->spec = std::move(spec);
  }
  for (size_t index = 0; index < source->inputs_.size(); ++index)
    if (!source->openInput(index, error)) return nullptr;
  if (!source->openSortedStreams(error)) return nullptr;
  for (const auto& input : source->inputs_)
    if (!input->spec.shared && !source->advance(input.get(), KeyView{}, error)) return nullptr;
  return source;
}

// Reads the input's next head. For a streamed input the key may not decrease: `previous` is the
// key of the group just taken (or nothing, for the first record).
bool GroupSource::advance(Input* input, const KeyView& previous, std::string* error) {
  input->has_head = input->stream->next(&input->head, error);
  if (!error->empty()) return false;
  if (!input->has_head || input->plan != InputPlan::Streamed || input->grouped == 0) return true;
  const KeyType key_type = input->spec.key_type;
  if (compareKeys(key_type, input->head.key, previous) >= 0) return true;
  const GroupInput& spec = input->spec;
  *error = spec.name + ":" + std::to_string(input->head.line) + ": key " + describeKey(key_type, input->head.key) +
           " comes after " + describeKey(key_type, previous) + ": the input is not sorted by `" + spec.key_column +
           (spec.order == InputOrder::Sorted ? "` though it was declared sorted" : "`; it changed while it was read");
  return false;
}

// Takes every head record with the group's key from each input, copying it into group->bytes.
bool GroupSource::fillGroup(Group* group, std::string* error) {
  const KeyView key = group->key();
  const KeyType key_type = group->key_type;
  spans_.clear();
  for (size_t index = 0; index < inputs_.size(); ++index) {
    Input* input = inputs_[index].get();
    std::vector<GroupRecord>& records = group->records[index];
    if (input->spec.shared) continue;
    while (input->has_head && compareKeys(key_type, input->head.key, key) == 0) {
      spans_.emplace_back(group->bytes.size(), input->head.text.size());
      group->bytes.append(input->head.text);
      records.push_back(GroupRecord{{}, input->head.line});
      ++input->grouped;
      if (!advance(input, key, error)) return false;
    }
  }
  size_t span = 0;
  for (size_t index = 0; index < inputs_.size(); ++index) {
    if (inputs_[index]->spec.shared) {
      group->records[index] = inputs_[index]->shared_records;  // views into the input's own bytes
      continue;
    }
    for (GroupRecord& record : group->records[index]) {
      record.text = std::string_view(group->bytes.data() + spans_[span].first, spans_[span].second);
      ++span;
    }
  }
  return true;
}

bool GroupSource::next(Group* group, std::string* error) {
  *error = failed_;
  if (!failed_.empty()) return false;
  const Input* first = nullptr;
  for (const auto& input : inputs_) {
    if (!input->has_head) continue;
    if (!first || compareKeys(input->spec.key_type, input->head.key, first->head.key) < 0) first = input.get();
  }
  if (!first) return false;
  group->key_type = first->spec.key_type;
  group->int_key = first->head.key.number;
  group->string_key.assign(first->head.key.text);
  group->records.resize(inputs_.size());
  for (std::vector<GroupRecord>& records : group->records) records.clear();
  group->bytes.clear();
  if (fillGroup(group, error)) return true;
  failed_ = *error;
  return false;
}

GroupInputStats GroupSource::stats(size_t index) const {
  const Input& input = *inputs_[index];
  GroupInputStats stats;
  stats.records_read = input.reader ? input.reader->recordsRead() : 0;
  stats.records_rejected = input.reader ? input.reader->recordsRejected() : 0;
  stats.records_grouped = input.grouped;
  stats.plan = input.plan;
  if (input.sorter) stats.sort = input.sorter->stats();
  return stats;
}

const std::vector<std::string>& GroupSource::header(size_t input) const { return inputs_[input]->reader->header(); }

}  // namespace regelwerk
