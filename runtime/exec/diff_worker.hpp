// One thread of `regelwerk diff`: parses a chunk once, evaluates both versions on each batch and
// compares their outputs column by column; counts what changed and keeps the first changed records.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "diff_plan.hpp"
#include "diff_record.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/exec/diff_run.hpp"
#include "runtime/io/chunk.hpp"
#include "runtime/io/record_parser.hpp"

namespace regelwerk {

// Records by outcome; they add up to rows_in.
struct DiffCounts {
  int64_t rows_in = 0;
  int64_t unchanged = 0;
  int64_t changed = 0;
  int64_t accepted_rejected = 0;
  int64_t rejected_accepted = 0;
  int64_t rejected_both = 0;

  void add(const DiffCounts& other);
};

// A changed record: where it is and its text, to be explained after the pass.
struct SampleRecord {
  int64_t line = 0;
  std::string text;
};

struct DiffChunkResult {
  DiffCounts counts;
  std::vector<SampleRecord> samples;  // the chunk's first sample_limit changed records, by line
};

// A changed value of a number, money, date or time output: old and new, each present or missing.
struct ValuePair {
  bool old_present = false;
  int64_t old_value = 0;
  bool new_present = false;
  int64_t new_value = 0;

  friend bool operator==(const ValuePair&, const ValuePair&) = default;
  friend auto operator<=>(const ValuePair&, const ValuePair&) = default;
};
using ValuePairs = std::map<ValuePair, int64_t>;

// Past kMaxValuePairs (diff_run.hpp) an output's pairs are dropped. Whether an output has more does not
// depend on how chunks fall to workers: a worker's pairs are some of all of them.

// What a worker adds up over all its chunks; merged at the end (sums and counts: order does not matter).
struct DiffTally {
  std::vector<int64_t> changed;                             // per pair
  std::vector<std::vector<int64_t>> transitions;            // per pair: old value * new_values + new value
  std::array<std::vector<__int128>, 2> sums;                // per version, per money output
  std::map<std::pair<bool, std::string>, int64_t> rejects;  // (now rejected, reason) -> records
  std::vector<ValuePairs> value_pairs;                      // per pair with OutputPair::value_pairs
  std::vector<uint8_t> too_many_pairs;                      // per pair: more than kMaxValuePairs seen

  explicit DiffTally(const DiffPlan& plan);
  void merge(const DiffTally& other);
};

class DiffWorker {
 public:
  explicit DiffWorker(const DiffPlan& plan);
  void process(const Chunk& chunk, DiffChunkResult* result);
  const DiffTally& tally() const { return tally_; }

 private:
  void compareBatch(size_t rows, size_t wanted, DiffChunkResult* result);
  void comparePair(size_t pair, size_t rows);
  void countEnumPairs(size_t pair, size_t rows);
  void countValuePairs(size_t pair, size_t rows);
  void classifyRows(size_t rows, size_t wanted, DiffChunkResult* result);
  void addSums(size_t version, size_t rows);
  void addRecordSums(size_t version);
  void classifyParseReject(const Reject& reject, DiffChunkResult* result, size_t* taken, size_t wanted);
  const Batch& outputs(size_t version) const { return outputs_[version]; }

  const DiffPlan* plan_;
  RecordParser parser_;
  Batch input_;
  std::vector<ColumnView> input_views_;
  std::array<std::vector<ColumnView>, 2> version_inputs_;  // each version's inputs, viewed in input_
  std::array<Batch, 2> outputs_;
  std::array<std::vector<ColumnView>, 2> output_views_;
  std::array<std::vector<RowError>, 2> errors_;
  std::vector<uint8_t> both_ok_;
  std::vector<uint8_t> changed_;
  std::vector<Reject> parse_rejects_;
  std::array<std::unique_ptr<SingleRecord>, 2> single_;  // for records the shared parse rejects
  std::string old_text_;
  std::string new_text_;
  DiffTally tally_;
};

}  // namespace regelwerk
