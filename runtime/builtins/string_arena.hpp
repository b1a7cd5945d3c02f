// Storage for the strings an evaluation makes (`"A-" ++ code`), shared by both engines.
//
// Input strings point into the input text and constants into the program; a concatenation is new
// bytes, so each evaluator keeps one StringArena per calling thread. evaluate() resets the calling
// thread's arena when it starts, so a string it made stays valid until that thread's next
// evaluate() call on the same evaluator — long enough for the caller to write the batch's outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace regelwerk {

class StringArena {
 public:
  // Room for `bytes` bytes that stays where it is until reset(); bytes <= ir::kMaxStringBytes.
  char* allocate(int64_t bytes);
  // Forgets every string; keeps the largest block for the next batch.
  void reset();

 private:
  struct Block {
    std::unique_ptr<char[]> bytes;
    int64_t size = 0;
  };
  std::vector<Block> blocks_;
  int64_t used_ = 0;  // bytes used in blocks_.back()
};

// One arena per thread that calls an evaluator; created on a thread's first call.
class StringArenas {
 public:
  // The calling thread's arena, reset: the strings of its previous evaluate() call are gone.
  StringArena& resetForThisThread();

 private:
  std::mutex mutex_;
  std::unordered_map<std::thread::id, std::unique_ptr<StringArena>> arenas_;
};

}  // namespace regelwerk
