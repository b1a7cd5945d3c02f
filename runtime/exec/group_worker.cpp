// A batch of groups through the stages of a grouped rule set. Every failure (a record that does not
// parse, an item or group evaluation error, a missing or doubled `one` record, an aggregate that
// overflows) rejects the whole group: all its records of all inputs go to the rejects with the reason,
// and nothing of it is written.
#include "group_worker.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>

#include "row_error.hpp"
#include "runtime/io/record_limit.hpp"
#include "runtime/io/record_parser.hpp"

namespace regelwerk {

namespace {

// RowError code of a group rejected before the group program ran: the writer and tally skip it.
constexpr int32_t kGroupRejected = -1;

int compareStr(const StrRef& a, const StrRef& b) {
  int bytes = std::memcmp(a.data, b.data, static_cast<size_t>(std::min(a.size, b.size)));
  if (bytes != 0) return bytes;
  return a.size < b.size ? -1 : a.size > b.size ? 1 : 0;
}

// Compares row a and row b of `column` (values only: order columns are never missing).
int compareCell(const Column& column, size_t a, size_t b) {
  switch (column.kind()) {
    case ir::Kind::Bool: return static_cast<int>(column.boolean()[a]) - static_cast<int>(column.boolean()[b]);
    case ir::Kind::I64: return column.i64()[a] < column.i64()[b] ? -1 : column.i64()[a] > column.i64()[b] ? 1 : 0;
    case ir::Kind::Str: return compareStr(column.str()[a], column.str()[b]);
  }
  return 0;
}

void copyCell(const Column& from, size_t from_row, Column& to, size_t to_row) {
  switch (from.kind()) {
    case ir::Kind::Bool: to.boolean()[to_row] = from.boolean()[from_row]; break;
    case ir::Kind::I64: to.i64()[to_row] = from.i64()[from_row]; break;
    case ir::Kind::Str: to.str()[to_row] = from.str()[from_row]; break;
  }
  if (to.valid() != nullptr) to.valid()[to_row] = from.isValid(from_row) ? 1 : 0;
}

}  // namespace

void GroupInputRecords::clear() {
  chunk.text.clear();
  chunk.first_line = 1;
  group.clear();
  file_line.clear();
  chunk_line.clear();
  offset.clear();
  next_chunk_line = 1;
}

void GroupInputRecords::add(uint32_t group_index, std::string_view text, int64_t line) {
  group.push_back(group_index);
  file_line.push_back(line);
  chunk_line.push_back(next_chunk_line);
  offset.push_back(chunk.text.size());
  next_chunk_line += 1 + std::count(text.begin(), text.end(), '\n');
  chunk.text.append(text);
  chunk.text.push_back('\n');
}

void GroupBatch::clear() {
  int_keys.clear();
  text_keys.clear();
  for (GroupInputRecords& input : inputs) input.clear();
}

// Per run input: its parser and batches, and which record each parsed row is.
struct GroupWorker::Stage {
  const ir::Program* program;  // the item program (null for the one input)
  std::vector<ir::InputColumn> columns;
  RecordParser parser;
  std::vector<ir::Type> input_types;
  Batch input;
  Batch output;
  std::vector<ColumnView> input_views;
  std::vector<ColumnView> output_views;
  std::vector<RowError> errors;
  std::vector<uint32_t> record_of_row;
  size_t rows = 0;

  Stage(const ir::Program* item, std::vector<ir::InputColumn> input_columns, const HeaderBinding& binding,
        CsvDialect dialect)
      : program(item), columns(std::move(input_columns)), parser(columns, binding, dialect), input_types(ir::typesOf(columns)) {}

  // Room for `records` rows in every batch.
  void reserve(size_t records) {
    if (records <= input.capacity() && input.capacity() > 0) return;
    size_t capacity = std::max<size_t>(records, 2 * input.capacity());
    input = Batch(input_types, capacity);
    input_views = input.views();
    if (program != nullptr) {
      output = Batch(ir::typesOf(program->outputs), capacity);
      output_views = output.views();
    }
    errors.assign(capacity, RowError{0, 0, -1, -1});
  }
};

GroupWorker::GroupWorker(const GroupedContext& context) : context_(&context), tally_(*context.program) {
  const ir::Grouping& grouping = *context.program->grouping;
  size_t item = 0;
  for (size_t input = 0; input < context.input_names.size(); ++input) {
    bool one = input == 0 && !grouping.one_input.empty();
    const ir::Program* program = one ? nullptr : grouping.items[item++].program.get();
    std::vector<ir::InputColumn> columns =
        one ? std::vector<ir::InputColumn>(context.program->inputs.begin(),
                                           context.program->inputs.begin() + grouping.one_columns)
            : program->inputs;
    stages_.push_back(std::make_unique<Stage>(program, std::move(columns), context.bindings[input], context.dialect));
  }
}

GroupWorker::~GroupWorker() = default;

void GroupWorker::process(const GroupBatch& batch, GroupBatchResult* result) {
  size_t groups = batch.groups();
  std::vector<std::string> failures(groups);
  result->output.clear();
  result->rejects.clear();
  result->records_out.assign(stages_.size(), 0);
  result->groups_out = 0;
  for (size_t input = 0; input < stages_.size(); ++input) {
    parseInput(input, batch, &failures);
    if (stages_[input]->program != nullptr) evaluateItems(input, batch, &failures);
  }
  group_input_ = Batch(ir::typesOf(context_->program->inputs), std::max<size_t>(groups, 1));
  group_output_ = Batch(ir::typesOf(context_->program->outputs), std::max<size_t>(groups, 1));
  group_errors_.assign(std::max<size_t>(groups, 1), RowError{0, 0, -1, -1});
  fillGroupInputs(batch, &failures);
  aggregate(batch, &failures);
  std::vector<ColumnView> inputs = group_input_.views();
  std::vector<ColumnView> outputs = group_output_.views();
  context_->engine->evaluator().evaluate(inputs.data(), context_->params, outputs.data(), group_errors_.data(),
                                         static_cast<int64_t>(groups));
  for (size_t group = 0; group < groups; ++group) {
    if (!failures[group].empty()) {
      group_errors_[group].code = kGroupRejected;
    } else if (group_errors_[group].code != 0) {
      failures[group] = "`" + context_->program->grouping->key + "` " + batch.text_keys[group] + ": " +
                        describeRowError(*context_->program, group_errors_[group]);
      group_errors_[group].code = kGroupRejected;
    }
  }
  // A group whose output line could not be read back (longer than a record may be) is rejected too.
  std::vector<size_t> too_long;
  context_->writer->appendRows(outputs.data(), group_errors_.data(), groups, &result->output, &too_long);
  for (size_t group : too_long) {
    failures[group] = "`" + context_->program->grouping->key + "` " + batch.text_keys[group] +
                      ": the output line for this group would be " +
                      std::to_string(context_->writer->lineSize(outputs.data(), group)) + " bytes, more than the " +
                      describeRecordLimit(context_->writer->maxLine()) + " a CSV record may have";
    group_errors_[group].code = kGroupRejected;
  }
  tally_.add(outputs.data(), group_errors_.data(), groups);
  rejectGroups(batch, failures, result);
}

// A record that does not parse fails its group, with the reason the reader gives.
void GroupWorker::parseInput(size_t input, const GroupBatch& batch, std::vector<std::string>* failures) {
  Stage& stage = *stages_[input];
  const GroupInputRecords& records = batch.inputs[input];
  stage.reserve(records.group.size());
  stage.rows = 0;
  stage.record_of_row.clear();
  std::vector<Reject> rejects;
  ChunkCursor cursor = cursorAt(records.chunk);
  if (!atEnd(records.chunk, cursor)) stage.rows = stage.parser.parse(records.chunk, &cursor, &stage.input, &rejects);
  assert(atEnd(records.chunk, cursor) && "the batch has room for every record, so one parse reads them all");
  size_t record = 0;
  for (size_t row = 0; row < stage.rows; ++row) {
    while (records.chunk_line[record] != stage.input.lineNumbers()[row]) ++record;
    stage.record_of_row.push_back(static_cast<uint32_t>(record));
  }
  for (const Reject& reject : rejects) {
    auto found = std::lower_bound(records.chunk_line.begin(), records.chunk_line.end(), reject.line);
    size_t index = static_cast<size_t>(found - records.chunk_line.begin());
    std::string& failure = (*failures)[records.group[index]];
    if (!failure.empty()) continue;
    std::string field = reject.column.empty() ? "" : "field `" + reject.column + "`: ";
    failure = context_->input_paths[input] + ":" + std::to_string(records.file_line[index]) + ": " + field + reject.reason;
  }
}

// An item that fails evaluation (overflow, division by zero, a conflict) fails its group.
void GroupWorker::evaluateItems(size_t input, const GroupBatch& batch, std::vector<std::string>* failures) {
  Stage& stage = *stages_[input];
  if (stage.rows == 0) return;
  size_t item = input - (context_->program->grouping->one_input.empty() ? 0 : 1);
  context_->engine->stageEvaluator(item)->evaluate(stage.input_views.data(), context_->params,
                                                    stage.output_views.data(), stage.errors.data(),
                                                    static_cast<int64_t>(stage.rows));
  const GroupInputRecords& records = batch.inputs[input];
  for (size_t row = 0; row < stage.rows; ++row) {
    if (stage.errors[row].code == 0) continue;
    size_t record = stage.record_of_row[row];
    std::string& failure = (*failures)[records.group[record]];
    if (failure.empty()) {
      failure = context_->input_paths[input] + ":" + std::to_string(records.file_line[record]) + ": " +
                describeRowError(*stage.program, stage.errors[row]);
    }
  }
}

// The one input's record becomes the group's first columns (exactly one per group); without a one
// input, the key is column 0.
void GroupWorker::fillGroupInputs(const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  size_t groups = batch.groups();
  if (grouping.one_input.empty()) {
    Column& key = group_input_.column(0);
    for (size_t group = 0; group < groups; ++group) {
      if (grouping.key_type.isString()) {
        const std::string& text = batch.text_keys[group];
        key.str()[group] = StrRef{text.data(), static_cast<int64_t>(text.size())};
      } else {
        key.i64()[group] = batch.int_keys[group];
      }
    }
    return;
  }
  const Stage& stage = *stages_[0];
  const GroupInputRecords& records = batch.inputs[0];
  std::vector<int64_t> row_of_group(groups, -1);
  for (size_t row = 0; row < stage.rows; ++row) {
    size_t record = stage.record_of_row[row];
    size_t group = records.group[record];
    if (row_of_group[group] >= 0) {
      std::string& failure = (*failures)[group];
      if (failure.empty()) {
        failure = context_->input_paths[0] + ":" + std::to_string(records.file_line[record]) + ": a second `" +
                  grouping.one_input + "` record for `" + grouping.key + "` " + batch.text_keys[group] +
                  " (it has one record per key)";
      }
      continue;
    }
    row_of_group[group] = static_cast<int64_t>(row);
    for (size_t column = 0; column < grouping.one_columns; ++column) {
      copyCell(stage.input.column(column), row, group_input_.column(column), group);
    }
  }
  for (size_t group = 0; group < groups; ++group) {
    if (row_of_group[group] >= 0 || !(*failures)[group].empty()) continue;
    (*failures)[group] = "no `" + grouping.one_input + "` record for `" + grouping.key + "` " + batch.text_keys[group];
  }
}

void GroupWorker::aggregate(const GroupBatch& batch, std::vector<std::string>* failures) {
  for (size_t index = 0; index < context_->program->grouping->aggregates.size(); ++index) {
    aggregateOne(index, batch, failures);
  }
}

// One aggregate over the rows of its item stage, group by group (rows are in group order). Results
// go to the group program's column for it; over no row: 0, false, true or missing (ir.hpp).
void GroupWorker::aggregateOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::Aggregate& aggregate = grouping.aggregates[index];
  size_t input = aggregate.item + (grouping.one_input.empty() ? 0 : 1);
  const Stage& stage = *stages_[input];
  const GroupInputRecords& records = batch.inputs[input];
  const std::vector<uint32_t>& order = grouping.items[aggregate.item].order;
  size_t groups = batch.groups();
  Column& target = group_input_.column(grouping.one_columns + index);
  const Column* value = aggregate.value_output >= 0 ? &stage.output.column(static_cast<size_t>(aggregate.value_output)) : nullptr;
  const Column* filter = aggregate.where_output >= 0 ? &stage.output.column(static_cast<size_t>(aggregate.where_output)) : nullptr;
  std::vector<int64_t> chosen(groups, -1);  // min, max, first, last: the row that holds the result
  // Sums in 128 bits: whether a sum fits in 64 bits must not depend on the order of the records.
  std::vector<__int128> total(groups, aggregate.fn == ir::AggregateFn::All ? 1 : 0);
  auto before = [&](size_t a, size_t b) {  // a comes before b in the group's declared order
    for (uint32_t column : order) {
      int compared = compareCell(stage.input.column(column), a, b);
      if (compared != 0) return compared < 0;
    }
    return a < b;
  };
  for (size_t row = 0; row < stage.rows; ++row) {
    size_t group = records.group[stage.record_of_row[row]];
    if (!(*failures)[group].empty() || (filter != nullptr && filter->boolean()[row] == 0)) continue;
    __int128& sum = total[group];
    int64_t& best = chosen[group];
    switch (aggregate.fn) {
      case ir::AggregateFn::Sum: sum += value->i64()[row]; break;
      case ir::AggregateFn::Count: ++sum; break;
      case ir::AggregateFn::Exists: sum = 1; break;
      case ir::AggregateFn::All: sum = sum && value->boolean()[row] != 0; break;
      case ir::AggregateFn::Any: sum = sum || value->boolean()[row] != 0; break;
      case ir::AggregateFn::Min:
        if (best < 0 || value->i64()[row] < value->i64()[static_cast<size_t>(best)]) best = static_cast<int64_t>(row);
        break;
      case ir::AggregateFn::Max:
        if (best < 0 || value->i64()[row] > value->i64()[static_cast<size_t>(best)]) best = static_cast<int64_t>(row);
        break;
      case ir::AggregateFn::First:
        if (best < 0 || before(row, static_cast<size_t>(best))) best = static_cast<int64_t>(row);
        break;
      case ir::AggregateFn::Last:
        if (best < 0 || before(static_cast<size_t>(best), row)) best = static_cast<int64_t>(row);
        break;
    }
  }
  bool chooses = aggregate.fn == ir::AggregateFn::Min || aggregate.fn == ir::AggregateFn::Max ||
                 aggregate.fn == ir::AggregateFn::First || aggregate.fn == ir::AggregateFn::Last;
  for (size_t group = 0; group < groups; ++group) {
    bool fits = total[group] >= INT64_MIN && total[group] <= INT64_MAX;
    if (!fits && (*failures)[group].empty()) {
      (*failures)[group] = "`" + grouping.key + "` " + batch.text_keys[group] + ": aggregate " + std::to_string(index) +
                           " (sum over " + grouping.items[aggregate.item].input + ") does not fit in 64 bits (overflow)";
    }
    if (!chooses) {
      if (target.kind() == ir::Kind::Bool) target.boolean()[group] = total[group] != 0;
      else target.i64()[group] = fits ? static_cast<int64_t>(total[group]) : 0;
      continue;
    }
    if (chosen[group] >= 0) copyCell(*value, static_cast<size_t>(chosen[group]), target, group);
    if (target.valid() != nullptr) target.valid()[group] = chosen[group] >= 0 ? 1 : 0;
  }
}

// Every record of a failed group, of every input, with the group's reason; counts for the others.
void GroupWorker::rejectGroups(const GroupBatch& batch, const std::vector<std::string>& failures,
                               GroupBatchResult* result) {
  for (size_t input = 0; input < batch.inputs.size(); ++input) {
    const GroupInputRecords& records = batch.inputs[input];
    const char* text = records.chunk.text.data();
    for (size_t record = 0; record < records.group.size(); ++record) {
      uint32_t group = records.group[record];
      if (failures[group].empty()) {
        ++result->records_out[input];
        continue;
      }
      GroupReject reject;
      reject.input = input;
      reject.reject.line = records.file_line[record];
      reject.reject.reason = failures[group];
      size_t end = record + 1 < records.offset.size() ? records.offset[record + 1] : records.chunk.text.size();
      reject.reject.raw_record.assign(text + records.offset[record], end - records.offset[record] - 1);
      result->rejects.push_back(std::move(reject));
    }
  }
  for (const std::string& failure : failures) result->groups_out += failure.empty() ? 1 : 0;
}

}  // namespace regelwerk
