// Per-thread string storage of one evaluator: blocks that grow geometrically and never move.
#include "runtime/builtins/string_arena.hpp"

#include <algorithm>

namespace regelwerk {

namespace {

constexpr int64_t kFirstBlockBytes = 64 * 1024;

}  // namespace

// A new block is at least twice the last one, so a batch of many concatenations costs few
// allocations; earlier blocks stay, so strings already handed out keep their address.
char* StringArena::allocate(int64_t bytes) {
  if (blocks_.empty() || blocks_.back().size - used_ < bytes) {
    int64_t size = std::max(bytes, blocks_.empty() ? kFirstBlockBytes : 2 * blocks_.back().size);
    blocks_.push_back(Block{std::make_unique<char[]>(static_cast<size_t>(size)), size});
    used_ = 0;
  }
  char* out = blocks_.back().bytes.get() + used_;
  used_ += bytes;
  return out;
}

void StringArena::reset() {
  if (blocks_.size() > 1) {
    Block largest = std::move(blocks_.back());
    blocks_.clear();
    blocks_.push_back(std::move(largest));
  }
  used_ = 0;
}

StringArena& StringArenas::resetForThisThread() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<StringArena>& arena = arenas_[std::this_thread::get_id()];
  if (!arena) arena = std::make_unique<StringArena>();
  arena->reset();
  return *arena;
}

}  // namespace regelwerk
