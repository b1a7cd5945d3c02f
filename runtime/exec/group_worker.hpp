// Evaluates a batch of groups of a grouped rule set (docs/groups.md): parse each input's records,
// run the item stages, aggregate per group, run the group program, format one output row per group.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/csv_writer.hpp"
#include "runtime/io/header_binding.hpp"
#include "runtime/io/reject.hpp"
#include "runtime/groups/distribute.hpp"
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
  // Per output record (GroupedContext::writers): its lines for the groups that were decided, in key
  // order; an each record's lines per group in the input's declared order.
  std::vector<ByteBuffer> outputs;
  std::vector<GroupReject> rejects;  // every record of every rejected group, with the reason
  std::vector<int64_t> records_out;  // per input: records of decided groups (none of a shared input)
  int64_t groups_out = 0;
  // A record of a shared input that cannot be parsed or evaluated: it would fail every group, so the
  // run stops with this ("campaigns.csv:3: field `priority`: …"). Empty otherwise.
  std::string fatal;
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
  // Per output record: the group's (null when the group program has no outputs), then one per
  // ir::Grouping::eaches, then one per fold with a record (`fold X as R`), in fold order.
  std::vector<const CsvWriter*> writers;
  CsvDialect dialect;  // the output records'
  std::vector<CsvDialect> input_dialects;  // per run input, how its records split (empty: `dialect`)
};

class FoldRowCollector;  // the rows of a fold's or ledger's record (group_worker.cpp)

class GroupWorker {
 public:
  explicit GroupWorker(const GroupedContext& context);
  ~GroupWorker();
  void process(const GroupBatch& batch, GroupBatchResult* result);
  const Tally& tally() const { return tally_; }

 private:
  struct Stage;
  struct Accumulator;
 public:
  struct EachRun;  // also filled by the fold-row collector (group_worker.cpp)
 private:

  void parseInput(size_t input, const GroupBatch& batch, std::vector<std::string>* failures);
  void evaluateItems(size_t input, const GroupBatch& batch, std::vector<std::string>* failures);
  void failRecord(size_t input, const GroupBatch& batch, size_t record, const std::string& why, std::vector<std::string>* failures);
  void orderItems(size_t input, const GroupBatch& batch);
  void deriveRecords(uint32_t item, const GroupBatch& batch, std::vector<std::string>* failures);
  size_t firstLedger(size_t fold) const;
  void aggregate(const GroupBatch& batch, std::vector<std::string>* failures, bool shares);
  void aggregateOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void runLate(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void fillItemRun(uint32_t item, const ir::Program& program, EachRun* run, const std::vector<std::string>& failures);
  void evaluateItemRun(size_t input, const GroupBatch& batch, const ir::Program& program, size_t stage, EachRun* run,
                       std::vector<std::string>* failures);
  void fillGroupInputs(const GroupBatch& batch, std::vector<std::string>* failures);
  // What a fold steps over (runFold: a group's records; runRangeFold: the values of its range).
  struct FoldSteps {
    size_t columns = 0;  // the step's first input columns, which `next` fills
    size_t rows = 0;     // how many steps all groups take at most (the fold record's rows)
    // Fills row `slot` of the step's input with `group`'s next record or value; false: the group is done.
    std::function<bool(uint32_t group, Batch& step_input, size_t slot)> next;
    std::function<std::string(uint32_t group, size_t slot)> place;  // "claims.csv:12", for a failed step
  };
  static constexpr int64_t kMaxRangeSteps = 100000;
  void runFold(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void runRangeFold(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void stepFold(size_t index, const GroupBatch& batch, const FoldSteps& steps, std::vector<std::string>* failures);
  struct StepPairs;
  StepPairs& pairScratch(size_t stage);
  void evaluatePairs(size_t input, const std::vector<int32_t>& carried, const ir::Program& program, size_t stage,
                     const std::vector<uint32_t>& step_group, size_t rows, const Batch& step_input, StepPairs* pairs);
  void stepAggregate(size_t index, size_t aggregate, const GroupBatch& batch, const std::vector<uint32_t>& step_group,
                     size_t rows, Batch* step_input, const FoldSteps& steps, std::vector<std::string>* failures);
  // How aggregatePairs names what fails: the program whose errors the pairs carry, the kind of aggregate
  // ("a fold", "a ledger", "a distribution's pool"), a failing pair and a slot whose sum does not fit.
  struct AggregatePlaces {
    const ir::Program* program;
    const char* where;
    std::function<std::string(size_t pair)> pair;
    std::function<std::string(size_t row)> row;
  };
  void aggregatePairs(const ir::StepAggregate& step, const StepPairs& pairs, const std::vector<uint32_t>& step_group, size_t rows,
                      const AggregatePlaces& places, Column* target, std::vector<std::string>* failures);
  std::vector<bool> ledgerPairsRead(const ir::Ledger& ledger) const;
  void ledgerAggregates(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group,
                        const FoldSteps& steps, StepPairs* pairs, std::vector<std::string>* failures);
  void fillPairs(size_t input, const std::vector<int32_t>& carried, const ir::Program& program, size_t tail,
                 const std::vector<uint32_t>& step_group, size_t rows, const Batch& step_input, StepPairs* pairs);
  void evaluatePairs(size_t stage, StepPairs* pairs);
  void stepLedger(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group, size_t rows,
                  Batch* step_input, const FoldSteps& steps, FoldRowCollector* rows_out, std::vector<std::string>* failures);
  void shareStep(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group, size_t rows,
                 Batch* step_input, const FoldSteps& steps, StepPairs* pairs, std::vector<std::string>* failures);
  // A distribution's amounts, tier keys and tie keys: columns of a stage program's outputs.
  struct ShareColumns {
    const int64_t* amounts;
    std::vector<const int64_t*> tiers;
    std::vector<const Column*> ties;
  };
  std::string shareOut(const ShareColumns& columns, const uint32_t* rows, size_t count, int64_t pool, int64_t* shares, int64_t* rest,
                       const ir::Program& program, int32_t site);
  void runDistributions(const GroupBatch& batch, std::vector<std::string>* failures);
  void distributeOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void evaluateGroups(const GroupBatch& batch, std::vector<std::string>* failures);
  void runEach(size_t index, const GroupBatch& batch, std::vector<std::string>* failures);
  void writeRecords(const GroupBatch& batch, std::vector<std::string>* failures, GroupBatchResult* result);
  bool appendRecords(const GroupBatch& batch, const std::vector<std::string>& failures, GroupBatchResult* result,
                     std::vector<std::string>* too_long);
  void rejectGroups(const GroupBatch& batch, const std::vector<std::string>& failures, GroupBatchResult* result);
  size_t runInput(uint32_t item) const;
  size_t itemOf(size_t input) const;  // the item stage of stage `input` (not the one input)
  std::string recordPlace(size_t input, const GroupBatch& batch, size_t row) const;
  std::string groupPlace(const GroupBatch& batch, size_t group) const;

  const GroupedContext* context_;
  std::vector<std::unique_ptr<Stage>> stages_;  // per run input, then per derived input
  std::vector<std::unique_ptr<EachRun>> eaches_;  // per ir::Grouping::eaches
  std::vector<std::unique_ptr<EachRun>> lates_;   // per ir::Grouping::lates
  std::vector<std::unique_ptr<EachRun>> fold_rows_;  // per ir::Grouping::folds: its record's rows (null: none)
  std::map<size_t, std::unique_ptr<StepPairs>> pair_scratch_;  // per stage program evaluated over (step, record) pairs
  // Per-pair indices of a ledger's step, reused: its pairs' groups (ledgerAggregates), the pairs kept (stepLedger).
  std::vector<uint32_t> pair_index_;
  std::vector<std::unique_ptr<EachRun>> ledger_rows_;  // per ledger of the folds, in fold order: its record's rows (null: none)
  std::unique_ptr<EachRun> derived_rows_;  // a derived input's rows in its order, as appendRecords writes them
  Batch group_input_;
  Batch group_output_;
  std::vector<RowError> group_errors_;
  Batch pools_;  // the pools program's outputs, per group
  DistributeScratch distribute_scratch_;
  struct ShareScratch {  // shareOut's per-record columns, kept from call to call
    std::vector<int64_t> claims;
    std::vector<int32_t> ranks;
    std::vector<std::vector<int64_t>> int_ties;
    std::vector<std::vector<StrRef>> text_ties;
    std::vector<TieKey> keys;
  } share_scratch_;
  Tally tally_;
  // The records of this batch that could not be read, by (input, record): their own column and reason,
  // so the rejects file names the bad cell on that record (the group's other records carry the group's
  // reason, which names the file, line and field).
  std::map<std::pair<size_t, size_t>, Reject> unreadable_;
  std::string* fatal_ = nullptr;  // the batch result's `fatal`, while process() runs
};

}  // namespace regelwerk
