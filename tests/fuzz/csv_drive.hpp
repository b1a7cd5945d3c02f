// Runs CSV bytes through the reader and an engine from memory, the way regelwerk::run does on one
// thread, but with any chunk, batch and record size, so fuzz targets can compare configurations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/exec/api.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "runtime/io/csv_dialect.hpp"

namespace regelwerk::fuzz {

struct DriveOptions {
  size_t chunk_size = kDefaultChunkSize;
  size_t batch_size = 2048;
  size_t max_record_size = kDefaultMaxRecordSize;
  CsvDialect dialect;
  std::vector<std::pair<std::string, std::string>> params;
  // The caller formats the output (RunContext::caller_formats), as `regelwerk run --threads 1` does
  // where the writer allows it (no string outputs); otherwise the worker does.
  bool caller_formats = false;
};

struct DriveResult {
  std::string error;    // what stopped the run (header, params, oversized record); empty if it ran to the end
  std::string output;   // the output file without its header line
  std::string rejects;  // the rejects file without its header line
  std::vector<int64_t> reject_lines;
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  int64_t rows_rejected = 0;

  bool operator==(const DriveResult&) const = default;
};

// Writes `csv` to a memory file and reads it with CsvChunker, parsing and evaluating each chunk with
// a ChunkWorker. Aborts (FUZZ_CHECK) if a chunk's counts do not add up: rows in = out + rejected.
DriveResult drive(const RuleSet& rules, const Engine& engine, std::string_view csv, const DriveOptions& options);

// How many data records `csv` holds, found with one RecordScanner pass over the whole text (no
// chunks): records after the header that are not empty lines. -1 when there is no header record.
int64_t countDataRecords(std::string_view csv, CsvDialect dialect);

// A rule set that must check; aborts with its diagnostics otherwise (for the harnesses' fixed files).
std::unique_ptr<RuleSet> mustLoad(const std::string& path, const std::string& text);
std::unique_ptr<Engine> mustCreate(const RuleSet& rules, EngineKind kind);

}  // namespace regelwerk::fuzz
