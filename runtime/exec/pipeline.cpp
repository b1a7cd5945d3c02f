// regelwerk::run: stream a CSV file through an engine. The calling thread reads chunks and writes results
// in input order while `--threads` workers parse, evaluate and format chunks (OrderedPipeline). At most 2
// chunks per worker are in flight, so memory stays flat whatever the input size. With one worker, the
// calling thread also formats the output (RunContext::caller_formats), which it has the time for.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "chunk_worker.hpp"
#include "grouped_run.hpp"
#include "ordered_pipeline.hpp"
#include "output_file.hpp"
#include "run_checks.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/rejects_writer.hpp"

namespace regelwerk {

namespace {

constexpr int kExitInput = 2;

// Where finished chunks go, in order: output, rejects, counts; stops at a reject without --rejects.
class ResultSink {
 public:
  ResultSink(const RunOptions& options, const CsvWriter& writer, OutputFile* output, OutputFile* rejects,
             RunSummary* summary)
      : options_(&options), writer_(&writer), output_(output), rejects_(rejects), summary_(summary) {}

  // False when the run must stop (summary->error says why).
  bool consume(const ChunkResult& result) {
    if (!result.rejects.empty() && rejects_ == nullptr) return stopAt(result.rejects.front());
    summary_->rows_in += result.rows_in;
    summary_->rows_out += result.rows_out;
    summary_->rows_rejected += static_cast<int64_t>(result.rejects.size());
    if (!output_->write(outputText(result))) return fail(output_->error());
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
    return fail(options_->input_path + ":" + std::to_string(reject.line) + ": " + field + reject.reason + "\n(" +
                stoppedHere({output_}) + "; use --rejects FILE to set such rows aside and go on)");
  }

  // The worker's text, or (RunContext::caller_formats) the chunk's evaluated batches formatted here.
  std::string_view outputText(const ChunkResult& result) {
    if (result.batches == 0) return result.output.view();
    text_.clear();
    result.appendOutput(*writer_, &text_);
    return text_.view();
  }

  const RunOptions* options_;
  const CsvWriter* writer_;
  OutputFile* output_;
  OutputFile* rejects_;
  RunSummary* summary_;
  std::string scratch_;
  ByteBuffer text_;
};

// A chunk in flight and its result, one per pipeline slot. Slots are reused, so their 1 MiB buffers are
// not allocated, faulted in and freed for every chunk.
struct ChunkJob {
  Chunk chunk;
  ChunkResult result;
};

// The calling thread reads chunks and writes results in input order; `threads` ChunkWorkers (each with
// its own scratch and tally) parse, evaluate and format them on threads of their own.
void runChunks(const RunContext& context, CsvChunker* chunker, ResultSink* sink, Tally* tally, int threads) {
  std::vector<std::unique_ptr<ChunkWorker>> workers;
  for (int worker = 0; worker < threads; ++worker) workers.push_back(std::make_unique<ChunkWorker>(context));
  std::vector<ChunkJob> jobs(OrderedPipeline::slotsFor(threads));
  OrderedPipeline pipeline(
      threads, [&](size_t worker, size_t slot) { workers[worker]->process(jobs[slot].chunk, &jobs[slot].result); },
      [&](size_t slot) { return sink->consume(jobs[slot].result); });
  std::string error;
  if (!pipeline.start(&error)) {
    sink->fail(error);
    return;
  }
  size_t slot = 0;
  bool go_on = true;
  while (go_on && chunker->next(&jobs[slot].chunk, &error)) go_on = pipeline.submit(&slot);
  go_on = pipeline.finish() && go_on;
  if (go_on && !error.empty()) sink->fail(error);
  for (const std::unique_ptr<ChunkWorker>& worker : workers) tally->merge(worker->tally());
}

int openInput(const std::string& path, std::string* error) {
  if (path == "-") return STDIN_FILENO;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) *error = "cannot open input `" + path + "`: " + std::strerror(errno);
  return fd;
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
    const int threads = threadCount(options);
    RunContext context{&rules.program(), &engine.evaluator(), prepared.params.data(), &prepared.binding, &writer,
                       dialect, effectiveBatchSize(rules.program(), options.batch_size),
                       threads == 1 && writer.linesAlwaysFit()};
    ResultSink sink(options, writer, &prepared.output, options.rejects_path.empty() ? nullptr : &prepared.rejects,
                    &summary);
    Tally tally(rules.program());
    runChunks(context, &chunker, &sink, &tally, threads);
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
