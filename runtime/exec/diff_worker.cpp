// Parse once, evaluate twice, compare column by column: the hot loop of `regelwerk diff`.
#include "diff_worker.hpp"

#include <algorithm>
#include <cstring>

#include "row_error.hpp"

namespace regelwerk {

void DiffCounts::add(const DiffCounts& other) {
  rows_in += other.rows_in;
  unchanged += other.unchanged;
  changed += other.changed;
  accepted_rejected += other.accepted_rejected;
  rejected_accepted += other.rejected_accepted;
  rejected_both += other.rejected_both;
}

DiffTally::DiffTally(const DiffPlan& plan)
    : changed(plan.pairs.size()), value_pairs(plan.pairs.size()), too_many_pairs(plan.pairs.size()) {
  for (const OutputPair& pair : plan.pairs) transitions.emplace_back(pair.old_values * pair.new_values);
  for (size_t version : {kOld, kNew}) sums[version].resize(plan.versions[version].money_outputs.size());
}

void DiffTally::merge(const DiffTally& other) {
  for (size_t pair = 0; pair < changed.size(); ++pair) {
    changed[pair] += other.changed[pair];
    for (size_t cell = 0; cell < transitions[pair].size(); ++cell)
      transitions[pair][cell] += other.transitions[pair][cell];
  }
  for (size_t version : {kOld, kNew}) {
    for (size_t output = 0; output < sums[version].size(); ++output)
      sums[version][output] += other.sums[version][output];
  }
  for (const auto& [key, records] : other.rejects) rejects[key] += records;
  for (size_t pair = 0; pair < value_pairs.size(); ++pair) {
    too_many_pairs[pair] |= other.too_many_pairs[pair];
    for (const auto& [key, records] : other.value_pairs[pair]) value_pairs[pair][key] += records;
    if (value_pairs[pair].size() > kMaxValuePairs) too_many_pairs[pair] = 1;
    if (too_many_pairs[pair] != 0) value_pairs[pair].clear();
  }
}

namespace {

bool present(const ColumnView& view, size_t row) {
  return view.valid == nullptr || view.valid[row] != 0;
}

// The index an enum or bool value has in the transition counts: its member (or false/true), or the
// last index for missing.
size_t valueIndex(const ColumnView& view, bool is_bool, size_t row, size_t values) {
  if (!present(view, row)) return values - 1;
  int64_t value =
      is_bool ? static_cast<const uint8_t*>(view.values)[row] : static_cast<const int64_t*>(view.values)[row];
  return value >= 0 && static_cast<size_t>(value) < values - 1 ? static_cast<size_t>(value) : values - 1;
}

// Marks the rows both versions accept where `differs` holds, and counts them. One loop per comparison
// kind, so the row loop tests no kind.
template <typename Differs>
int64_t markChanges(size_t rows, const uint8_t* both_ok, uint8_t* changed, Differs differs) {
  int64_t count = 0;
  for (size_t row = 0; row < rows; ++row) {
    if (both_ok[row] == 0 || !differs(row)) continue;
    changed[row] = 1;
    ++count;
  }
  return count;
}

bool sameStr(const StrRef& a, const StrRef& b) {
  return a.size == b.size && (a.size == 0 || std::memcmp(a.data, b.data, static_cast<size_t>(a.size)) == 0);
}

}  // namespace

DiffWorker::DiffWorker(const DiffPlan& plan)
    : plan_(&plan),
      parser_(plan.inputs, plan.binding, plan.dialect),
      input_(ir::typesOf(plan.inputs), plan.batch_size),
      both_ok_(plan.batch_size),
      changed_(plan.batch_size),
      tally_(plan) {
  input_views_ = input_.views();
  for (size_t version : {kOld, kNew}) {
    const DiffVersion& side = plan.versions[version];
    for (size_t column : side.input_column) version_inputs_[version].push_back(input_views_[column]);
    outputs_[version] = Batch(ir::typesOf(side.program->outputs), plan.batch_size);
    output_views_[version] = outputs_[version].views();
    errors_[version].resize(plan.batch_size);
    single_[version] = std::make_unique<SingleRecord>(side, plan.dialect);
  }
}

// Example: a chunk of 15,000 records in batches of 2,048; per batch both versions are evaluated, the
// outputs compared, and the changed rows counted; rows the parser rejects are decided one by one.
void DiffWorker::process(const Chunk& chunk, DiffChunkResult* result) {
  result->counts = DiffCounts{};
  result->samples.clear();
  // Records too long to read are read by neither version.
  result->counts.rows_in += static_cast<int64_t>(chunk.rejects.size());
  result->counts.rejected_both += static_cast<int64_t>(chunk.rejects.size());
  const size_t limit = plan_->sample_limit;
  for (ChunkCursor cursor = cursorAt(chunk); !atEnd(chunk, cursor);) {
    parse_rejects_.clear();
    size_t rows = parser_.parse(chunk, &cursor, &input_, &parse_rejects_);
    result->counts.rows_in += static_cast<int64_t>(rows + parse_rejects_.size());
    size_t before = result->samples.size();
    size_t wanted = limit - std::min(before, limit);
    if (rows > 0) compareBatch(rows, wanted, result);
    size_t taken = 0;
    for (const Reject& reject : parse_rejects_) classifyParseReject(reject, result, &taken, wanted);
    // The parse's rows and rejects interleave by line: keep the first ones of both.
    std::sort(result->samples.begin() + static_cast<long>(before), result->samples.end(),
              [](const SampleRecord& a, const SampleRecord& b) { return a.line < b.line; });
    if (result->samples.size() > limit) result->samples.resize(limit);
  }
}

void DiffWorker::compareBatch(size_t rows, size_t wanted, DiffChunkResult* result) {
  for (size_t version : {kOld, kNew}) {
    const DiffVersion& side = plan_->versions[version];
    side.evaluator->evaluate(version_inputs_[version].data(), side.params.data(), output_views_[version].data(),
                             errors_[version].data(), static_cast<int64_t>(rows));
  }
  for (size_t row = 0; row < rows; ++row) {
    both_ok_[row] = errors_[kOld][row].code == 0 && errors_[kNew][row].code == 0;
    changed_[row] = 0;
  }
  for (size_t pair = 0; pair < plan_->pairs.size(); ++pair) comparePair(pair, rows);
  addSums(kOld, rows);
  addSums(kNew, rows);
  classifyRows(rows, wanted, result);
}

void DiffWorker::comparePair(size_t index, size_t rows) {
  const OutputPair& pair = plan_->pairs[index];
  const ColumnView& a = output_views_[kOld][pair.old_output];
  const ColumnView& b = output_views_[kNew][pair.new_output];
  int64_t count = 0;
  if (pair.mode == CompareMode::Int) {
    const auto* av = static_cast<const int64_t*>(a.values);
    const auto* bv = static_cast<const int64_t*>(b.values);
    count = markChanges(rows, both_ok_.data(), changed_.data(), [&](size_t row) {
      bool pa = present(a, row);
      return pa != present(b, row) || (pa && av[row] != bv[row]);
    });
  } else if (pair.mode == CompareMode::Bool) {
    const auto* av = static_cast<const uint8_t*>(a.values);
    const auto* bv = static_cast<const uint8_t*>(b.values);
    count = markChanges(rows, both_ok_.data(), changed_.data(), [&](size_t row) {
      bool pa = present(a, row);
      return pa != present(b, row) || (pa && av[row] != bv[row]);
    });
  } else if (pair.mode == CompareMode::Str) {
    const auto* av = static_cast<const StrRef*>(a.values);
    const auto* bv = static_cast<const StrRef*>(b.values);
    count = markChanges(rows, both_ok_.data(), changed_.data(), [&](size_t row) {
      bool pa = present(a, row);
      return pa != present(b, row) || (pa && !sameStr(av[row], bv[row]));
    });
  } else {
    count = markChanges(rows, both_ok_.data(), changed_.data(), [&](size_t row) {
      CellValue old_value = cellAt(a, outputs_[kOld].column(pair.old_output).kind(), row);
      CellValue new_value = cellAt(b, outputs_[kNew].column(pair.new_output).kind(), row);
      if (old_value.missing || new_value.missing) return old_value.missing != new_value.missing;
      old_text_.clear();
      new_text_.clear();
      pair.old_text->append(old_value, &old_text_);
      pair.new_text->append(new_value, &new_text_);
      return old_text_ != new_text_;
    });
  }
  tally_.changed[index] += count;
  if (count == 0) return;
  if (pair.old_values != 0) countEnumPairs(index, rows);
  if (pair.value_pairs) countValuePairs(index, rows);
}

void DiffWorker::countEnumPairs(size_t index, size_t rows) {
  const OutputPair& pair = plan_->pairs[index];
  const ColumnView& a = output_views_[kOld][pair.old_output];
  const ColumnView& b = output_views_[kNew][pair.new_output];
  const ir::Type& old_type = plan_->versions[kOld].program->outputs[pair.old_output].type;
  const ir::Type& new_type = plan_->versions[kNew].program->outputs[pair.new_output].type;
  bool old_bool = old_type.kind == ir::TypeKind::Bool;
  bool new_bool = new_type.kind == ir::TypeKind::Bool;
  std::vector<int64_t>& transitions = tally_.transitions[index];
  // Only rows where this output changed count; changed_ holds every output's changes, so test again.
  for (size_t row = 0; row < rows; ++row) {
    if (both_ok_[row] == 0 || changed_[row] == 0) continue;
    size_t from = valueIndex(a, old_bool, row, pair.old_values);
    size_t to = valueIndex(b, new_bool, row, pair.new_values);
    bool same = pair.mode == CompareMode::Text ? countedValueName(old_type, from) == countedValueName(new_type, to)
                                               : from == to;
    if (same) continue;
    ++transitions[from * pair.new_values + to];
  }
}

// Example: `fee: 5.00 → 7.50  3,200 records`. Counted until an output has more than kMaxValuePairs
// different pairs (interest, an amount: as many pairs as records); then only its changed records.
void DiffWorker::countValuePairs(size_t index, size_t rows) {
  if (tally_.too_many_pairs[index] != 0) return;
  const OutputPair& pair = plan_->pairs[index];
  const ColumnView& a = output_views_[kOld][pair.old_output];
  const ColumnView& b = output_views_[kNew][pair.new_output];
  const auto* av = static_cast<const int64_t*>(a.values);
  const auto* bv = static_cast<const int64_t*>(b.values);
  ValuePairs& pairs = tally_.value_pairs[index];
  for (size_t row = 0; row < rows; ++row) {
    if (both_ok_[row] == 0 || changed_[row] == 0) continue;
    ValuePair key{present(a, row), present(a, row) ? av[row] : 0, present(b, row), present(b, row) ? bv[row] : 0};
    if (key == ValuePair{key.old_present, key.old_value, key.old_present, key.old_value}) continue;
    ++pairs[key];
    if (pairs.size() <= kMaxValuePairs) continue;
    tally_.too_many_pairs[index] = 1;
    pairs.clear();
    return;
  }
}

void DiffWorker::addSums(size_t version, size_t rows) {
  const DiffVersion& side = plan_->versions[version];
  const std::vector<RowError>& errors = errors_[version];
  for (size_t money = 0; money < side.money_outputs.size(); ++money) {
    const ColumnView& view = output_views_[version][side.money_outputs[money]];
    const auto* values = static_cast<const int64_t*>(view.values);
    __int128 sum = 0;
    for (size_t row = 0; row < rows; ++row) {
      if (errors[row].code == 0 && present(view, row)) sum += values[row];
    }
    tally_.sums[version][money] += sum;
  }
}

// The money outputs of a record one version accepted on its own (SingleRecord), into that version's sums.
void DiffWorker::addRecordSums(size_t version) {
  const DiffVersion& side = plan_->versions[version];
  const Batch& outputs = single_[version]->outputs();
  for (size_t money = 0; money < side.money_outputs.size(); ++money) {
    const Column& column = outputs.column(side.money_outputs[money]);
    if (column.isValid(0)) tally_.sums[version][money] += column.i64()[0];
  }
}

void DiffWorker::classifyRows(size_t rows, size_t wanted, DiffChunkResult* result) {
  DiffCounts& counts = result->counts;
  size_t taken = 0;
  for (size_t row = 0; row < rows; ++row) {
    const RowError& old_error = errors_[kOld][row];
    const RowError& new_error = errors_[kNew][row];
    if (both_ok_[row] != 0 && changed_[row] == 0) {
      ++counts.unchanged;
      continue;
    }
    if (old_error.code != 0 && new_error.code != 0) {
      ++counts.rejected_both;
      continue;
    }
    if (both_ok_[row] != 0) {
      ++counts.changed;
    } else if (old_error.code == 0) {
      ++counts.accepted_rejected;
      ++tally_.rejects[{true, describeRowError(*plan_->versions[kNew].program, new_error)}];
    } else {
      ++counts.rejected_accepted;
      ++tally_.rejects[{false, describeRowError(*plan_->versions[kOld].program, old_error)}];
    }
    if (taken++ < wanted) result->samples.push_back({input_.lineNumbers()[row], std::string(parser_.recordText(row))});
  }
}

// A record the shared parse rejects is read by each version with its own columns: usually both reject
// it; a version that reads the field differently, or not at all, may decide it.
void DiffWorker::classifyParseReject(const Reject& reject, DiffChunkResult* result, size_t* taken, size_t wanted) {
  std::array<RecordOutcome, 2> outcomes;
  for (size_t version : {kOld, kNew}) {
    outcomes[version] =
        single_[version]->decide(reject.raw_record, reject.line, *plan_->versions[version].evaluator, nullptr);
  }
  DiffCounts& counts = result->counts;
  bool old_rejected = outcomes[kOld].rejected, new_rejected = outcomes[kNew].rejected;
  if (old_rejected && new_rejected) {
    ++counts.rejected_both;
    return;
  }
  for (size_t version : {kOld, kNew}) {
    if (!outcomes[version].rejected) addRecordSums(version);
  }
  if (!old_rejected && !new_rejected) {
    // Only when the versions read a column alike but the shared parse still rejects the record (it
    // cannot: each shared column is some version's), kept so that the counts add up whatever happens.
    bool same = true;
    for (size_t pair = 0; pair < plan_->pairs.size(); ++pair) {
      const OutputPair& paired = plan_->pairs[pair];
      if (outcomes[kOld].outputs[paired.old_output] == outcomes[kNew].outputs[paired.new_output]) continue;
      same = false;
      ++tally_.changed[pair];
    }
    if (same) return void(++counts.unchanged);
    ++counts.changed;
  } else if (new_rejected) {
    ++counts.accepted_rejected;
    ++tally_.rejects[{true, outcomes[kNew].reason_key}];
  } else {
    ++counts.rejected_accepted;
    ++tally_.rejects[{false, outcomes[kOld].reason_key}];
  }
  if ((*taken)++ < wanted) result->samples.push_back({reject.line, reject.raw_record});
}

}  // namespace regelwerk
