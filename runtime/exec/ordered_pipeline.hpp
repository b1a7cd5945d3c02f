// Runs jobs on worker threads and hands their results back strictly in the order they were submitted,
// with a bounded number of jobs in flight: what lets a run use all cores and still write the same bytes
// as on one thread, with flat memory. It knows nothing of what a job holds; the caller owns one job per
// slot and says how a worker processes a slot and how a finished slot is consumed.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk {

// The workers a run uses: RunOptions::threads, or every core when it is 0.
int threadCount(const RunOptions& options);

// The calling thread fills slot after slot (the first is slot 0) and submits each; workers process
// them concurrently; the calling thread consumes finished slots in submission order whenever the
// window is full, and the rest at finish(). One thread is a worker too, so that the caller's reading
// and writing overlap its processing. Example, three threads, window 6: the reader fills slots 0..5, then waits for slot 0,
// writes it, and refills it as job 6.
class OrderedPipeline {
 public:
  using Process = std::function<void(size_t worker, size_t slot)>;  // on a worker; `worker` < threads
  using Consume = std::function<bool(size_t slot)>;                 // on the caller; false stops the run

  OrderedPipeline(int threads, Process process, Consume consume);
  ~OrderedPipeline();
  OrderedPipeline(const OrderedPipeline&) = delete;
  OrderedPipeline& operator=(const OrderedPipeline&) = delete;

  // Starts the workers; call it before submit(). False (with a message that says what to do) when the
  // system refuses a thread.
  bool start(std::string* error);
  // Slots the caller must provide: 2 per worker.
  static size_t slotsFor(int threads) { return static_cast<size_t>(threads < 1 ? 1 : threads) * 2; }
  size_t slots() const { return window_; }
  // Hands the filled slot to the workers and says which slot to fill next, after consuming the
  // oldest results while the window is full. False once a consume said stop.
  bool submit(size_t* next_slot);
  // Consumes what is still in flight, in order, and joins the workers. False if a consume said stop.
  bool finish();

 private:
  void workerLoop(size_t worker);
  bool consumeOldest();
  void stopWorkers();

  int threads_;
  size_t window_;
  Process process_;
  Consume consume_;
  uint64_t submitted_ = 0;
  uint64_t consumed_ = 0;
  bool stopped_ = false;  // a consume returned false

  std::mutex mutex_;  // guards what follows
  std::condition_variable work_ready_;
  std::condition_variable result_ready_;
  std::deque<size_t> work_;  // slots waiting for a worker, oldest first
  std::vector<uint8_t> done_;  // per slot: processed, not yet consumed
  bool closing_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace regelwerk
