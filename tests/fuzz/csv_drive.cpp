// The in-memory run of the fuzz harnesses: chunker → ChunkWorker → output and rejects text.
#include "csv_drive.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_check.hpp"
#include "runtime/exec/chunk_worker.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/record_scanner.hpp"
#include "runtime/io/rejects_writer.hpp"

namespace regelwerk::fuzz {

namespace {

// A memory file holding `bytes`, read from its start; closed when it goes out of scope.
class MemoryFile {
 public:
  explicit MemoryFile(std::string_view bytes) : fd_(memfd_create("regelwerk-fuzz", MFD_CLOEXEC)) {
    FUZZ_CHECK(fd_ >= 0, "memfd_create failed");
    for (size_t written = 0; written < bytes.size();) {
      ssize_t got = ::write(fd_, bytes.data() + written, bytes.size() - written);
      FUZZ_CHECK(got > 0, "write to the memory file failed");
      written += static_cast<size_t>(got);
    }
    FUZZ_CHECK(::lseek(fd_, 0, SEEK_SET) == 0, "lseek failed");
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

void addChunk(const ChunkResult& chunk, const CsvWriter& writer, DriveResult* result) {
  const int64_t rejected = static_cast<int64_t>(chunk.rejects.size());
  FUZZ_CHECK(chunk.rows_in == chunk.rows_out + rejected,
             "a chunk's rows in (" + std::to_string(chunk.rows_in) + ") != rows out (" +
                 std::to_string(chunk.rows_out) + ") + rows rejected (" + std::to_string(rejected) + ")");
  result->rows_in += chunk.rows_in;
  result->rows_out += chunk.rows_out;
  result->rows_rejected += rejected;
  ByteBuffer output;
  chunk.appendOutput(writer, &output);  // the worker's lines, or the kept batches formatted here
  result->output += output.view();
  for (const Reject& reject : chunk.rejects) {
    appendReject(reject, &result->rejects);
    result->reject_lines.push_back(reject.line);
  }
}

}  // namespace

DriveResult drive(const RuleSet& rules, const Engine& engine, std::string_view csv, const DriveOptions& options) {
  DriveResult result;
  std::vector<ParamSlot> params;
  std::vector<std::string> param_storage;
  if (!bindParams(rules.program(), options.params, &params, &param_storage, &result.error)) return result;
  MemoryFile file(csv);
  CsvChunker chunker(file.fd(), options.dialect, options.chunk_size, options.max_record_size);
  std::vector<std::string> header;
  HeaderBinding binding;
  if (!chunker.readHeader(&header, &result.error)) return result;
  if (!bindHeader(rules.program().inputs, header, &binding, &result.error)) return result;
  CsvWriter writer(rules.program().outputs, options.dialect);
  RunContext context{&rules.program(), &engine.evaluator(), params.data(), &binding, &writer,
                     options.dialect,   options.batch_size};
  context.caller_formats = options.caller_formats && writer.linesAlwaysFit();
  ChunkWorker worker(context);
  Chunk chunk;
  ChunkResult chunk_result;
  while (chunker.next(&chunk, &result.error)) {
    worker.process(chunk, &chunk_result);
    addChunk(chunk_result, writer, &result);
  }
  return result;
}

int64_t countDataRecords(std::string_view csv, CsvDialect dialect) {
  if (csv.substr(0, 3) == "\xEF\xBB\xBF") csv.remove_prefix(3);
  if (csv.empty()) return -1;
  RecordScanner scanner(dialect);
  const char* pos = csv.data();
  const char* end = pos + csv.size();
  int64_t records = -1;  // the first record is the header
  while (pos < end) {
    const char* next = scanner.scanFirst(pos, end);
    if (next == nullptr) next = end;
    std::string_view record(pos, static_cast<size_t>(next - pos));
    const bool empty_line = record == "\n" || record == "\r\n" || (next == end && record == "\r");
    if (!empty_line || records < 0) ++records;
    pos = next;
  }
  return records;
}

std::unique_ptr<RuleSet> mustLoad(const std::string& path, const std::string& text) {
  Diagnostics diagnostics;
  auto rules = RuleSet::fromText(path, text, &diagnostics);
  FUZZ_CHECK(rules != nullptr, "the harness's rule file does not check:\n" + diagnostics.text);
  return rules;
}

std::unique_ptr<Engine> mustCreate(const RuleSet& rules, EngineKind kind) {
  std::string error;
  auto engine = Engine::create(rules, kind, &error);
  FUZZ_CHECK(engine != nullptr, "cannot create the engine for " + rules.path() + ": " + error);
  return engine;
}

}  // namespace regelwerk::fuzz
