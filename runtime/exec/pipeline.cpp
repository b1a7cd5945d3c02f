// regelwerk::run: stream a CSV file through an engine. The calling thread reads chunks and writes results
// in input order; with more than one thread, workers parse, evaluate and format chunks in parallel.
// At most 2 chunks per worker are in flight, so memory stays flat whatever the input size.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "chunk_worker.hpp"
#include "grouped_run.hpp"
#include "output_file.hpp"
#include "run_checks.hpp"
#include "regelwerk/regelwerk.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/rejects_writer.hpp"

namespace regelwerk {

namespace {

constexpr int kExitInput = 2;

// Where finished chunks go, in order: output, rejects, counts; stops at a reject without --rejects.
class ResultSink {
 public:
  ResultSink(const RunOptions& options, OutputFile* output, OutputFile* rejects, RunSummary* summary)
      : options_(&options), output_(output), rejects_(rejects), summary_(summary) {}

  // False when the run must stop (summary->error says why).
  bool consume(const ChunkResult& result) {
    if (!result.rejects.empty() && rejects_ == nullptr) return stopAt(result.rejects.front());
    summary_->rows_in += result.rows_in;
    summary_->rows_out += result.rows_out;
    summary_->rows_rejected += static_cast<int64_t>(result.rejects.size());
    if (!output_->write(result.output.view())) return fail(output_->error());
    if (rejects_ == nullptr || result.rejects.empty()) return true;
    scratch_.clear();
    for (const Reject& reject : result.rejects) appendReject(reject, &scratch_);
    if (!rejects_->write(scratch_)) return fail(rejects_->error());
    return true;
  }

  bool fail(const std::string& message) {
    summary_->exit_code = kExitInput;
    summary_->error = message;
    return false;
  }

 private:
  bool stopAt(const Reject& reject) {
    std::string field = reject.column.empty() ? "" : "field `" + reject.column + "`: ";
    return fail(options_->input_path + ":" + std::to_string(reject.line) + ": " + field + reject.reason +
                "\n(the run stopped here and wrote no output; use --rejects FILE to set such rows aside and go on)");
  }

  const RunOptions* options_;
  OutputFile* output_;
  OutputFile* rejects_;
  RunSummary* summary_;
  std::string scratch_;
};

// One thread does everything: what `--threads 1` means.
void runSequential(const RunContext& context, CsvChunker* chunker, ResultSink* sink, Tally* tally) {
  ChunkWorker worker(context);
  Chunk chunk;
  ChunkResult result;
  std::string error;
  bool go_on = true;
  while (go_on && chunker->next(&chunk, &error)) {
    worker.process(chunk, &result);
    go_on = sink->consume(result);
  }
  if (go_on && !error.empty()) sink->fail(error);
  tally->merge(worker.tally());
}

// Work handed to workers and results handed back, guarded by one mutex.
struct Exchange {
  std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable result_ready;
  std::deque<std::unique_ptr<Chunk>> work;
  std::map<uint64_t, std::unique_ptr<ChunkResult>> done;
  bool closing = false;
  // Used chunks and results come back here, so their 1 MiB buffers are reused instead of allocated,
  // faulted in and freed for every chunk.
  std::vector<std::unique_ptr<Chunk>> spare_chunks;
  std::vector<std::unique_ptr<ChunkResult>> spare_results;
};

template <typename T>
std::unique_ptr<T> takeSpare(std::vector<std::unique_ptr<T>>* spares) {
  if (spares->empty()) return std::make_unique<T>();
  std::unique_ptr<T> spare = std::move(spares->back());
  spares->pop_back();
  return spare;
}

void workerLoop(const RunContext& context, Exchange* exchange, Tally* tally) {
  ChunkWorker worker(context);
  for (;;) {
    std::unique_ptr<Chunk> chunk;
    std::unique_ptr<ChunkResult> result;
    {
      std::unique_lock lock(exchange->mutex);
      exchange->work_ready.wait(lock, [&] { return exchange->closing || !exchange->work.empty(); });
      if (exchange->work.empty()) break;
      chunk = std::move(exchange->work.front());
      exchange->work.pop_front();
      result = takeSpare(&exchange->spare_results);
    }
    worker.process(*chunk, result.get());
    std::lock_guard lock(exchange->mutex);
    exchange->spare_chunks.push_back(std::move(chunk));
    exchange->done[result->sequence] = std::move(result);
    exchange->result_ready.notify_all();
  }
  std::lock_guard lock(exchange->mutex);
  tally->merge(worker.tally());
}

// Reads ahead up to `window` chunks and writes results strictly in sequence order.
void feedAndDrain(CsvChunker* chunker, Exchange* exchange, ResultSink* sink, uint64_t window) {
  uint64_t read = 0, written = 0;
  bool at_end = false;
  std::string error;
  for (;;) {
    while (!at_end && read - written < window) {
      std::unique_ptr<Chunk> chunk;
      {
        std::lock_guard lock(exchange->mutex);
        chunk = takeSpare(&exchange->spare_chunks);
      }
      if (!chunker->next(chunk.get(), &error)) {
        at_end = true;
        break;
      }
      std::lock_guard lock(exchange->mutex);
      exchange->work.push_back(std::move(chunk));
      exchange->work_ready.notify_one();
      ++read;
    }
    if (written == read) break;
    std::unique_ptr<ChunkResult> result;
    {
      std::unique_lock lock(exchange->mutex);
      exchange->result_ready.wait(lock, [&] { return exchange->done.count(written) != 0; });
      result = std::move(exchange->done[written]);
      exchange->done.erase(written);
    }
    ++written;
    bool go_on = sink->consume(*result);
    {
      std::lock_guard lock(exchange->mutex);
      exchange->spare_results.push_back(std::move(result));
    }
    if (!go_on) return;
  }
  if (!error.empty()) sink->fail(error);
}

void closeExchange(Exchange* exchange) {
  std::lock_guard lock(exchange->mutex);
  exchange->closing = true;
  exchange->work.clear();
  exchange->work_ready.notify_all();
}

// The system may refuse threads (a process or memory limit): the run then stops with a message
// instead of an uncaught std::system_error, after joining the workers it did start.
void runParallel(const RunContext& context, CsvChunker* chunker, ResultSink* sink, Tally* tally, int threads) {
  Exchange exchange;
  std::vector<std::thread> workers;
  try {
    for (int index = 0; index < threads; ++index) {
      workers.emplace_back(workerLoop, std::cref(context), &exchange, tally);
    }
  } catch (const std::system_error& failure) {
    closeExchange(&exchange);
    for (std::thread& worker : workers) worker.join();
    sink->fail("cannot start " + std::to_string(threads) + " threads (" + failure.what() +
               "): use --threads with a smaller number");
    return;
  }
  feedAndDrain(chunker, &exchange, sink, static_cast<uint64_t>(threads) * 2);
  closeExchange(&exchange);
  for (std::thread& worker : workers) worker.join();
}

int openInput(const std::string& path, std::string* error) {
  if (path == "-") return STDIN_FILENO;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) *error = "cannot open input `" + path + "`: " + std::strerror(errno);
  return fd;
}

int threadCount(const RunOptions& options) {
  if (options.threads > 0) return options.threads;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

// Everything before the first chunk: params, files, header. False with summary->error set.
struct Prepared {
  std::vector<ParamSlot> params;
  std::vector<std::string> param_storage;
  HeaderBinding binding;
  OutputFile output;
  OutputFile rejects;
};

bool failPrepare(RunSummary* summary, std::string error) {
  summary->exit_code = kExitInput;
  summary->error = std::move(error);
  return false;
}

bool prepare(const RuleSet& rules, const RunOptions& options, CsvChunker* chunker, Prepared* prepared,
             RunSummary* summary) {
  std::string error;
  std::vector<std::string> header;
  if (!bindParams(rules.program(), options.params, &prepared->params, &prepared->param_storage, &error)) {
    return failPrepare(summary, error);
  }
  if (!chunker->readHeader(&header, &error)) return failPrepare(summary, options.input_path + ": " + error);
  if (!bindHeader(rules.program().inputs, header, &prepared->binding, &error)) {
    return failPrepare(summary, options.input_path + ": " + error);
  }
  if (!prepared->output.open(options.output_path, "output", &error)) return failPrepare(summary, error);
  if (!options.rejects_path.empty() && !prepared->rejects.open(options.rejects_path, "rejects file", &error)) {
    return failPrepare(summary, error);
  }
  return true;
}

}  // namespace

RunSummary run(const RuleSet& rules, const Engine& engine, const RunOptions& options) {
  auto started = std::chrono::steady_clock::now();
  RunSummary summary;
  if (!checkRun(rules, options, &summary.error)) return summary.exit_code = kExitInput, summary;
  if (rules.program().grouping) {
    std::vector<ParamSlot> params;
    std::vector<std::string> storage;
    if (!bindParams(rules.program(), options.params, &params, &storage, &summary.error)) {
      return summary.exit_code = kExitInput, summary;
    }
    return runGrouped(rules, engine, options, params);
  }
  CsvDialect dialect{options.separator, '"'};
  int fd = openInput(options.input_path, &summary.error);
  if (fd < 0) return summary.exit_code = kExitInput, summary;
  CsvChunker chunker(fd, dialect);
  Prepared prepared;
  if (prepare(rules, options, &chunker, &prepared, &summary)) {
    CsvWriter writer(rules.program().outputs, dialect);
    std::string header;
    writer.appendHeader(&header);
    prepared.output.write(header);
    std::string rejects_header;
    appendRejectsHeader(&rejects_header);
    if (!options.rejects_path.empty()) prepared.rejects.write(rejects_header);
    RunContext context{&rules.program(), &engine.evaluator(), prepared.params.data(), &prepared.binding, &writer,
                       dialect, effectiveBatchSize(rules.program(), options.batch_size)};
    ResultSink sink(options, &prepared.output, options.rejects_path.empty() ? nullptr : &prepared.rejects, &summary);
    Tally tally(rules.program());
    int threads = threadCount(options);
    if (threads == 1) runSequential(context, &chunker, &sink, &tally);
    else runParallel(context, &chunker, &sink, &tally, threads);
    std::string error;
    std::vector<OutputFile*> files{&prepared.output};
    if (!options.rejects_path.empty()) files.push_back(&prepared.rejects);
    if (summary.exit_code == 0 && !commitTogether(files, &error)) sink.fail(error);
    summary.tallies = tally.result();
  }
  if (fd != STDIN_FILENO) ::close(fd);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace regelwerk
