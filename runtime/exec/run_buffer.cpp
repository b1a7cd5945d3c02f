// The in-memory run: block arena, index entries, budget accounting, sort.
#include "run_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace regelwerk {

namespace {

constexpr size_t kMinBlock = size_t{4} << 10;
constexpr size_t kMaxBlock = size_t{1} << 20;

}  // namespace

RunBuffer::RunBuffer(KeyType key_type, size_t budget)
    : key_type_(key_type),
      budget_(budget),
      block_size_(std::clamp(budget / 32, kMinBlock, kMaxBlock)),
      first_entries_(std::clamp<size_t>(budget / 16 / sizeof(Entry), 16, 1024)) {}

// True when `bytes` more record bytes and one more entry stay within the budget.
bool RunBuffer::roomFor(size_t bytes) const {
  size_t extra = 0;
  const bool in_block = block_ < blocks_.size() && blocks_[block_].size - used_ >= bytes;
  const bool next_block_fits = block_ + 1 < blocks_.size() && blocks_[block_ + 1].size >= bytes;
  if (!in_block && !next_block_fits) extra += std::max(bytes, block_size_);
  if (entries_.size() == entries_.capacity())
    extra += std::max(first_entries_, 2 * entries_.capacity()) * sizeof(Entry);
  return memory_ + extra <= budget_;
}

char* RunBuffer::reserveBytes(size_t bytes) {
  if (block_ < blocks_.size() && blocks_[block_].size - used_ >= bytes) {
    char* start = blocks_[block_].bytes.get() + used_;
    used_ += bytes;
    return start;
  }
  if (!blocks_.empty()) ++block_;
  if (block_ >= blocks_.size() || blocks_[block_].size < bytes) {
    const size_t size = std::max(bytes, block_size_);
    blocks_.insert(blocks_.begin() + static_cast<std::ptrdiff_t>(block_),
                   Block{std::unique_ptr<char[]>(new char[size]), size});
    memory_ += size;
  }
  used_ = bytes;
  return blocks_[block_].bytes.get();
}

bool RunBuffer::add(const KeyedRecord& record) {
  const size_t key_size = key_type_ == KeyType::String ? record.key.text.size() : 0;
  const size_t bytes = record.text.size() + key_size;
  if (!entries_.empty() && !roomFor(bytes)) return false;
  if (entries_.size() == entries_.capacity()) {
    const size_t before = entries_.capacity();
    entries_.reserve(std::max(first_entries_, 2 * before));
    memory_ += (entries_.capacity() - before) * sizeof(Entry);
  }
  char* copy = reserveBytes(std::max<size_t>(bytes, 1));
  if (!record.text.empty()) std::memcpy(copy, record.text.data(), record.text.size());
  char* key = copy + record.text.size();
  if (key_size) std::memcpy(key, record.key.text.data(), key_size);
  entries_.push_back(Entry{copy, key, record.key.number, record.line, static_cast<uint32_t>(record.text.size()),
                           static_cast<uint32_t>(key_size)});
  return true;
}

void RunBuffer::sort() {
  if (key_type_ == KeyType::Int) {
    std::sort(entries_.begin(), entries_.end(), [](const Entry& left, const Entry& right) {
      return left.number != right.number ? left.number < right.number : left.line < right.line;
    });
    return;
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& left, const Entry& right) {
    const std::string_view left_key(left.key_text, left.key_size);
    const std::string_view right_key(right.key_text, right.key_size);
    const int order = left_key.compare(right_key);
    return order != 0 ? order < 0 : left.line < right.line;
  });
}

// Keeps the memory for the next run, except blocks made larger than usual for one huge record.
void RunBuffer::clear() {
  entries_.clear();
  block_ = 0;
  used_ = 0;
  for (size_t index = blocks_.size(); index-- > 0;) {
    if (blocks_[index].size <= block_size_) continue;
    memory_ -= blocks_[index].size;
    blocks_.erase(blocks_.begin() + static_cast<std::ptrdiff_t>(index));
  }
}

KeyedRecord RunBuffer::at(size_t index) const {
  const Entry& entry = entries_[index];
  KeyedRecord record;
  record.key.number = entry.number;
  record.key.text = std::string_view(entry.key_text, entry.key_size);
  record.text = std::string_view(entry.record, entry.record_size);
  record.line = entry.line;
  return record;
}

}  // namespace regelwerk
