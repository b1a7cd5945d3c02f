// The worker threads and the in-order hand-back of OrderedPipeline.
#include "ordered_pipeline.hpp"

#include <system_error>

namespace regelwerk {

int threadCount(const RunOptions& options) {
  if (options.threads > 0) return options.threads;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

OrderedPipeline::OrderedPipeline(int threads, Process process, Consume consume)
    : threads_(threads < 1 ? 1 : threads),
      window_(slotsFor(threads_)),
      process_(std::move(process)),
      consume_(std::move(consume)),
      done_(window_, 0) {}

OrderedPipeline::~OrderedPipeline() { stopWorkers(); }

// The system may refuse threads (a process or memory limit): the run then stops with a message
// instead of an uncaught std::system_error, after joining the workers it did start.
bool OrderedPipeline::start(std::string* error) {
  try {
    for (int worker = 0; worker < threads_; ++worker) {
      workers_.emplace_back(&OrderedPipeline::workerLoop, this, static_cast<size_t>(worker));
    }
  } catch (const std::system_error& failure) {
    stopWorkers();
    *error = "cannot start " + std::to_string(threads_) + " threads (" + failure.what() +
             "): use --threads with a smaller number";
    return false;
  }
  return true;
}

bool OrderedPipeline::submit(size_t* next_slot) {
  if (stopped_) return false;
  size_t slot = submitted_++ % window_;
  {
    std::lock_guard lock(mutex_);
    work_.push_back(slot);
    work_ready_.notify_one();
  }
  while (submitted_ - consumed_ >= window_) {
    if (!consumeOldest()) return false;
  }
  *next_slot = submitted_ % window_;
  return true;
}

bool OrderedPipeline::finish() {
  while (!stopped_ && consumed_ < submitted_) consumeOldest();
  stopWorkers();
  return !stopped_;
}

// Waits for the oldest slot in flight (workers may finish later slots first) and consumes it.
bool OrderedPipeline::consumeOldest() {
  size_t slot = consumed_ % window_;
  {
    std::unique_lock lock(mutex_);
    result_ready_.wait(lock, [&] { return done_[slot] != 0; });
    done_[slot] = 0;
  }
  ++consumed_;
  stopped_ = !consume_(slot);
  return !stopped_;
}

void OrderedPipeline::workerLoop(size_t worker) {
  for (;;) {
    size_t slot = 0;
    {
      std::unique_lock lock(mutex_);
      work_ready_.wait(lock, [&] { return closing_ || !work_.empty(); });
      if (closing_) return;
      slot = work_.front();
      work_.pop_front();
    }
    process_(worker, slot);
    std::lock_guard lock(mutex_);
    done_[slot] = 1;
    result_ready_.notify_one();
  }
}

// Slots not yet taken are dropped; a worker busy with a slot finishes it, then sees `closing_`.
void OrderedPipeline::stopWorkers() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
    work_.clear();
    work_ready_.notify_all();
  }
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

}  // namespace regelwerk
