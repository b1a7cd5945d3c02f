// Evaluates a batch of groups of a grouped rule set (docs/groups.md): parse each input's records,
// run the item stages, aggregate per group, run the group program, format one output row per group.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "regelwerk/regelwerk.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/reject.hpp"
#include "tally.hpp"

namespace regelwerk {

// The records of consecutive groups for one input: CSV text the RecordParser reads (each record ends
// in '\n'), and per record its group, its line in its file and the line in `chunk` where it starts.
struct GroupInputRecords {
  Chunk chunk;
  std::vector<uint32_t> group;
  std::vector<int64_t> file_line;
  std::vector<int64_t> chunk_line;
  std::vector<size_t> offset;  // per record: where it starts in chunk.text
  int64_t next_chunk_line = 1;

  GroupInputRecords() { chunk.first_line = 1; }
  void clear();
  // Appends one record of group `group_index` (`text` without its line end, spanning `newlines` + 1 lines).
  void add(uint32_t group_index, std::string_view text, int64_t line);
};

// Groups in key order: per group its key (int or text) and, per input of the run, its records.
// Inputs follow GroupedPlan::inputs: the one input first (if there is one), then the item stages.
struct GroupBatch {
  std::vector<int64_t> int_keys;
  std::vector<std::string> text_keys;  // string keys, and every key as written for messages
  std::vector<GroupInputRecords> inputs;
  size_t groups() const { return text_keys.size(); }
  void clear();
};

// One rejected record of a grouped run: which input it came from, and the reject.
struct GroupReject {
  size_t input = 0;
  Reject reject;
};

struct GroupBatchResult {
  ByteBuffer output;                 // one CSV line per group that was decided, in key order
  std::vector<GroupReject> rejects;  // every record of every rejected group, with the reason
  std::vector<int64_t> records_out;  // per input: records of decided groups
  int64_t groups_out = 0;
};

// What a grouped run evaluates: the group program, its stages and their engines.
struct GroupedContext {
  const ir::Program* program;        // the group program (holds the Grouping)
  const Engine* engine;
  const ParamSlot* params;
  std::vector<std::string> input_names;           // per run input: "Estate", "Claim"
  std::vector<std::string> input_paths;           // per run input, for messages
  std::vector<const ir::Program*> input_programs; // per run input: whose `inputs` its records are parsed into
  std::vector<HeaderBinding> bindings;            // per run input
  const CsvWriter* writer;
  CsvDialect dialect;
};

class GroupWorker {
 public:
  explicit GroupWorker(const GroupedContext& context);
  ~GroupWorker();
  void process(const GroupBatch& batch, GroupBatchResult* result);
  const Tally& tally() const { return tally_; }

 private:
  struct Stage;
  struct Accumulator;

  void parseInput(size_t input, const GroupBatch& batch, std::vector<std::string>* failures);
  void evaluateItems(size_t input, const GroupBatch& batch, std::vector<std::string>* failures);
  void aggregate(const GroupBatch& batch, std::vector<std::string>* failures);
  void aggregateOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void fillGroupInputs(const GroupBatch& batch, std::vector<std::string>* failures);
  void rejectGroups(const GroupBatch& batch, const std::vector<std::string>& failures, GroupBatchResult* result);

  const GroupedContext* context_;
  std::vector<std::unique_ptr<Stage>> stages_;  // per run input
  Batch group_input_;
  Batch group_output_;
  std::vector<RowError> group_errors_;
  Tally tally_;
};

}  // namespace regelwerk
