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
#include "runtime/columnar/civil_date.hpp"
#include "runtime/io/record_limit.hpp"
#include "runtime/io/record_parser.hpp"

namespace regelwerk {

namespace {

// RowError code of a group rejected before the group program ran: the writer and tally skip it.
constexpr int32_t kGroupRejected = -1;

int compareStr(const StrRef& a, const StrRef& b) {
  size_t common = static_cast<size_t>(std::min(a.size, b.size));
  int bytes = common == 0 ? 0 : std::memcmp(a.data, b.data, common);  // an empty text may have no data pointer
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

// to[i] = from[rows[i]] for i < count: a column gathered by row indices (a step's pairs), the kind
// switched on once per column instead of once per cell.
template <typename T>
void gatherValues(const T* from, const uint32_t* rows, size_t count, T* to) {
  for (size_t at = 0; at < count; ++at) to[at] = from[rows[at]];
}

void gatherColumn(const Column& from, const uint32_t* rows, size_t count, Column& to) {
  switch (from.kind()) {
    case ir::Kind::Bool: gatherValues(from.boolean(), rows, count, to.boolean()); break;
    case ir::Kind::I64: gatherValues(from.i64(), rows, count, to.i64()); break;
    case ir::Kind::Str: gatherValues(from.str(), rows, count, to.str()); break;
  }
  if (to.valid() == nullptr) return;
  if (from.valid() == nullptr) std::fill(to.valid(), to.valid() + count, uint8_t{1});
  else gatherValues(from.valid(), rows, count, to.valid());
}

// to[at[rows[i]]] = from[rows[i]] for i < count: the rows of a step's pairs written back to their
// records (`at`: per pair, its record's row), the kind switched on once per column.
template <typename T>
void scatterValues(const T* from, const uint32_t* rows, size_t count, const uint32_t* at, T* to) {
  for (size_t i = 0; i < count; ++i) to[at[rows[i]]] = from[rows[i]];
}

void scatterColumn(const Column& from, const uint32_t* rows, size_t count, const uint32_t* at, Column& to) {
  switch (from.kind()) {
    case ir::Kind::Bool: scatterValues(from.boolean(), rows, count, at, to.boolean()); break;
    case ir::Kind::I64: scatterValues(from.i64(), rows, count, at, to.i64()); break;
    case ir::Kind::Str: scatterValues(from.str(), rows, count, at, to.str()); break;
  }
  if (to.valid() == nullptr) return;
  for (size_t i = 0; i < count; ++i) to.valid()[at[rows[i]]] = from.isValid(rows[i]) ? 1 : 0;
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

// Per run input (then per derived input): its parser and batches, and which record each parsed row is.
struct GroupWorker::Stage {
  const ir::Program* program;  // the item program (null for the one input)
  bool shared = false;         // `input X shared`: every group of the batch holds all its records
  bool derived = false;        // `input D derived`: the rows of its writers (deriveRecords), not parsed
  std::vector<ir::InputColumn> columns;
  RecordParser parser;
  std::vector<ir::Type> input_types;
  Batch input;
  Batch output;
  std::vector<ColumnView> input_views;
  std::vector<ColumnView> output_views;
  std::vector<RowError> errors;
  std::vector<uint32_t> record_of_row;  // parsed: the batch's record of each row
  std::vector<uint32_t> group_of_row;
  std::vector<uint32_t> number_in_group;  // derived: each row's place among its group's rows as written, from 1
  size_t rows = 0;
  // Rows by group, each group's in the input's declared order (then file order): the rows of group g
  // are ordered[group_begin[g] .. group_begin[g + 1]).
  std::vector<uint32_t> ordered;
  std::vector<uint32_t> group_begin;

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
    const CsvDialect& dialect = context.input_dialects.empty() ? context.dialect : context.input_dialects[input];
    stages_.push_back(std::make_unique<Stage>(program, std::move(columns), context.bindings[input], dialect));
    stages_.back()->shared = !one && grouping.items[item - 1].shared;
  }
  for (; item < grouping.items.size(); ++item) {  // the derived inputs, after those the run reads
    const ir::Program& program = *grouping.items[item].program;
    HeaderBinding columns;  // never parsed: its rows are copied from its writers' rows
    for (uint32_t column = 0; column < program.inputs.size(); ++column) {
      columns.header.push_back(program.inputs[column].name);
      columns.field_of_input.push_back(column);
    }
    stages_.push_back(std::make_unique<Stage>(&program, program.inputs, columns, context.dialect));
    stages_.back()->derived = true;
  }
  for (size_t each = 0; each < grouping.eaches.size(); ++each) eaches_.push_back(std::make_unique<EachRun>());
  for (const ir::FoldStage& fold : grouping.folds) fold_rows_.push_back(fold.record.empty() ? nullptr : std::make_unique<EachRun>());
  for (const ir::FoldStage& fold : grouping.folds) {
    for (const ir::Ledger& ledger : fold.ledgers) ledger_rows_.push_back(ledger.record.empty() ? nullptr : std::make_unique<EachRun>());
  }
  for (size_t late = 0; late < grouping.lates.size(); ++late) lates_.push_back(std::make_unique<EachRun>());
  derived_rows_ = std::make_unique<EachRun>();
}

GroupWorker::~GroupWorker() = default;

// One each block's records for a batch: the group's columns, the item's fields and shares in, the
// record's columns out, and the group of every row.
// (A fold's record uses it too: FoldRowCollector.)
struct GroupWorker::EachRun {
  Batch input;
  Batch output;
  std::vector<RowError> errors;
  std::vector<uint32_t> group_of_row;
  std::vector<uint32_t> item_row;  // per row: the item stage's row of the record
  size_t rows = 0;
};

// The stages in the order ir.hpp's Grouping states: items, folds, aggregates of fields, pools and
// distributions, aggregates of shares, the group program, each blocks; then the records are written
// and every failed group is rejected whole.
void GroupWorker::process(const GroupBatch& batch, GroupBatchResult* result) {
  const ir::Grouping& grouping = *context_->program->grouping;
  size_t groups = batch.groups();
  std::vector<std::string> failures(groups);
  result->outputs.resize(context_->writers.size());
  for (ByteBuffer& output : result->outputs) output.clear();
  result->rejects.clear();
  result->records_out.assign(batch.inputs.size(), 0);
  result->groups_out = 0;
  result->fatal.clear();
  fatal_ = &result->fatal;
  unreadable_.clear();
  for (size_t input = 0; input < batch.inputs.size(); ++input) {
    parseInput(input, batch, &failures);
    if (stages_[input]->program == nullptr) continue;
    evaluateItems(input, batch, &failures);
    orderItems(input, batch);
  }
  group_input_ = Batch(ir::typesOf(context_->program->inputs), std::max<size_t>(groups, 1));
  group_output_ = Batch(ir::typesOf(context_->program->outputs), std::max<size_t>(groups, 1));
  group_errors_.assign(std::max<size_t>(groups, 1), RowError{0, 0, -1, -1});
  fillGroupInputs(batch, &failures);
  for (size_t fold = 0; fold < grouping.folds.size(); ++fold) {
    runFold(fold, batch, &failures);
    for (uint32_t item = 0; item < grouping.items.size(); ++item) {
      if (grouping.items[item].derived() && grouping.items[item].lastFold() == fold) deriveRecords(item, batch, &failures);
    }
  }
  aggregate(batch, &failures, false);
  runDistributions(batch, &failures);
  aggregate(batch, &failures, true);
  for (size_t late = 0; late < grouping.lates.size(); ++late) runLate(late, batch, &failures);
  evaluateGroups(batch, &failures);
  for (size_t each = 0; each < grouping.eaches.size(); ++each) runEach(each, batch, &failures);
  writeRecords(batch, &failures, result);
  rejectGroups(batch, failures, result);
}

size_t GroupWorker::runInput(uint32_t item) const {
  return item + (context_->program->grouping->one_input.empty() ? 0 : 1);
}

size_t GroupWorker::itemOf(size_t input) const {
  return input - (context_->program->grouping->one_input.empty() ? 0 : 1);
}

// "`estate_id` 7": the group `group` of the batch, as messages name it.
std::string GroupWorker::groupPlace(const GroupBatch& batch, size_t group) const {
  return "`" + context_->program->grouping->key + "` " + batch.text_keys[group];
}

// "claims.csv:12": where the record behind row `row` of input `input` starts; "Candidate row 3 of
// `contact_id` c1" for a derived input's (its third row as written).
std::string GroupWorker::recordPlace(size_t input, const GroupBatch& batch, size_t row) const {
  const Stage& stage = *stages_[input];
  if (stage.derived) {
    const std::string& name = context_->program->grouping->items[itemOf(input)].input;
    return name + " row " + std::to_string(stage.number_in_group[row]) + " of " + groupPlace(batch, stage.group_of_row[row]);
  }
  const GroupInputRecords& records = batch.inputs[input];
  return context_->input_paths[input] + ":" + std::to_string(records.file_line[stages_[input]->record_of_row[row]]);
}

void GroupWorker::evaluateGroups(const GroupBatch& batch, std::vector<std::string>* failures) {
  size_t groups = batch.groups();
  std::vector<ColumnView> inputs = group_input_.views();
  std::vector<ColumnView> outputs = group_output_.views();
  context_->engine->evaluator().evaluate(inputs.data(), context_->params, outputs.data(), group_errors_.data(),
                                         static_cast<int64_t>(groups));
  for (size_t group = 0; group < groups; ++group) {
    if (group_errors_[group].code == 0 || !(*failures)[group].empty()) continue;
    (*failures)[group] = groupPlace(batch, group) + ": " +
                         describeRowError(*context_->program, group_errors_[group]);
  }
}

// The group record and every each record, for the groups that did not fail. A line longer than a
// record may be fails its group; then every record is written again without that group, so nothing
// of it is half written.
void GroupWorker::writeRecords(const GroupBatch& batch, std::vector<std::string>* failures, GroupBatchResult* result) {
  std::vector<std::string> too_long(batch.groups());
  if (!appendRecords(batch, *failures, result, &too_long)) {
    for (size_t group = 0; group < too_long.size(); ++group) {
      if ((*failures)[group].empty()) (*failures)[group] = too_long[group];
    }
    for (ByteBuffer& output : result->outputs) output.clear();
    appendRecords(batch, *failures, result, nullptr);
  }
  std::vector<ColumnView> outputs = group_output_.views();
  tally_.add(outputs.data(), group_errors_.data(), batch.groups());
}

// Appends every record's lines; returns false (and says why per group in `too_long`) when a line
// would be longer than a record may be.
bool GroupWorker::appendRecords(const GroupBatch& batch, const std::vector<std::string>& failures,
                                GroupBatchResult* result, std::vector<std::string>* too_long) {
  bool fits = true;
  std::vector<size_t> long_rows;
  auto report = [&](size_t group, const CsvWriter& writer, const ColumnView* columns, size_t row, const std::string& record) {
    fits = false;
    (*too_long)[group] = groupPlace(batch, group) + ": the " + record + " line for this group would be " +
                         std::to_string(writer.lineSize(columns, row)) + " bytes, more than the " +
                         describeRecordLimit(writer.maxLine()) + " a CSV record may have";
  };
  for (size_t group = 0; group < batch.groups(); ++group) group_errors_[group].code = failures[group].empty() ? 0 : kGroupRejected;
  if (const CsvWriter* writer = context_->writers[0]) {
    std::vector<ColumnView> outputs = group_output_.views();
    long_rows.clear();
    writer->appendRows(outputs.data(), group_errors_.data(), batch.groups(), &result->outputs[0], too_long ? &long_rows : nullptr);
    for (size_t row : long_rows) report(row, *writer, outputs.data(), row, "output");
  }
  for (size_t each = 0; each < eaches_.size(); ++each) {
    EachRun& run = *eaches_[each];
    for (size_t row = 0; row < run.rows; ++row) run.errors[row].code = failures[run.group_of_row[row]].empty() ? 0 : kGroupRejected;
    std::vector<ColumnView> outputs = run.output.views();
    long_rows.clear();
    const CsvWriter& writer = *context_->writers[each + 1];
    writer.appendRows(outputs.data(), run.errors.data(), run.rows, &result->outputs[each + 1], too_long ? &long_rows : nullptr);
    for (size_t row : long_rows) report(run.group_of_row[row], writer, outputs.data(), row, context_->program->grouping->eaches[each].record);
  }
  // The records of the folds (`fold X as R`), then of their ledgers (`ledger X as R`), as runRecords lists them.
  size_t record = 1 + eaches_.size();
  auto appendStepRows = [&](EachRun& run, const std::string& name) {
    const size_t at = record++;
    if (context_->writers[at] == nullptr) return;  // a derived input's records, not asked for
    for (size_t row = 0; row < run.rows; ++row) run.errors[row].code = failures[run.group_of_row[row]].empty() ? 0 : kGroupRejected;
    std::vector<ColumnView> outputs = run.output.views();
    long_rows.clear();
    const CsvWriter& writer = *context_->writers[at];
    writer.appendRows(outputs.data(), run.errors.data(), run.rows, &result->outputs[at], too_long ? &long_rows : nullptr);
    for (size_t row : long_rows) report(run.group_of_row[row], writer, outputs.data(), row, name);
  };
  const ir::Grouping& grouping = *context_->program->grouping;
  for (size_t fold = 0; fold < fold_rows_.size(); ++fold) {
    if (fold_rows_[fold] && !grouping.derivedRecord(grouping.folds[fold].record)) appendStepRows(*fold_rows_[fold], grouping.folds[fold].record);
  }
  size_t ledger_row = 0;
  for (const ir::FoldStage& fold : grouping.folds) {
    for (const ir::Ledger& ledger : fold.ledgers) {
      if (ledger_rows_[ledger_row] && !grouping.derivedRecord(ledger.record)) appendStepRows(*ledger_rows_[ledger_row], ledger.record);
      ++ledger_row;
    }
  }
  // The derived inputs' records (their writers' rows together), each group's in the input's order.
  for (size_t input = batch.inputs.size(); input < stages_.size(); ++input) {
    if (context_->writers[record] == nullptr) {  // not asked for
      ++record;
      continue;
    }
    // Its rows in `ordered` order: group by group, each group's in the input's order.
    const Stage& stage = *stages_[input];
    EachRun& run = *derived_rows_;
    run.output = Batch(stage.input_types, std::max<size_t>(stage.rows, 1));
    run.errors.assign(std::max<size_t>(stage.rows, 1), RowError{0, 0, -1, -1});
    run.group_of_row.resize(stage.rows);
    run.rows = stage.rows;
    for (size_t column = 0; column < stage.input_types.size(); ++column) {
      gatherColumn(stage.input.column(column), stage.ordered.data(), stage.rows, run.output.column(column));
    }
    for (size_t row = 0; row < stage.rows; ++row) run.group_of_row[row] = stage.group_of_row[stage.ordered[row]];
    appendStepRows(run, grouping.items[itemOf(input)].input);
  }
  return fits;
}

// A record that does not parse fails its group, with the reason the reader gives.
void GroupWorker::parseInput(size_t input, const GroupBatch& batch, std::vector<std::string>* failures) {
  Stage& stage = *stages_[input];
  const GroupInputRecords& records = batch.inputs[input];
  stage.reserve(records.group.size());
  stage.rows = 0;
  stage.record_of_row.clear();
  stage.group_of_row.clear();
  std::vector<Reject> rejects;
  ChunkCursor cursor = cursorAt(records.chunk);
  if (!atEnd(records.chunk, cursor)) stage.rows = stage.parser.parse(records.chunk, &cursor, &stage.input, &rejects);
  assert(atEnd(records.chunk, cursor) && "the batch has room for every record, so one parse reads them all");
  size_t record = 0;
  for (size_t row = 0; row < stage.rows; ++row) {
    while (records.chunk_line[record] != stage.input.lineNumbers()[row]) ++record;
    stage.record_of_row.push_back(static_cast<uint32_t>(record));
    stage.group_of_row.push_back(records.group[record]);
  }
  for (const Reject& reject : rejects) {
    auto found = std::lower_bound(records.chunk_line.begin(), records.chunk_line.end(), reject.line);
    size_t index = static_cast<size_t>(found - records.chunk_line.begin());
    unreadable_[{input, index}] = reject;
    std::string field = reject.column.empty() ? "" : "field `" + reject.column + "`: ";
    failRecord(input, batch, index, field + reject.reason, failures);
  }
}

// Record `record` of input `input` failed (`why`): the first failure of its group decides the group's
// reason; a shared record's failure stops the run, whatever failed its group first.
void GroupWorker::failRecord(size_t input, const GroupBatch& batch, size_t record, const std::string& why,
                             std::vector<std::string>* failures) {
  const GroupInputRecords& records = batch.inputs[input];
  std::string place = context_->input_paths[input] + ":" + std::to_string(records.file_line[record]) + ": " + why;
  if (stages_[input]->shared && fatal_->empty()) *fatal_ = place;
  std::string& failure = (*failures)[records.group[record]];
  if (failure.empty()) failure = std::move(place);
}

// An item that fails evaluation (overflow, division by zero, a conflict) fails its group.
void GroupWorker::evaluateItems(size_t input, const GroupBatch& batch, std::vector<std::string>* failures) {
  Stage& stage = *stages_[input];
  if (stage.rows == 0) return;
  size_t item = itemOf(input);
  context_->engine->stageEvaluator(item)->evaluate(stage.input_views.data(), context_->params,
                                                    stage.output_views.data(), stage.errors.data(),
                                                    static_cast<int64_t>(stage.rows));
  for (size_t row = 0; row < stage.rows; ++row) {
    if (stage.errors[row].code == 0) continue;
    std::string why = describeRowError(*stage.program, stage.errors[row]);
    if (!stage.derived) {
      failRecord(input, batch, stage.record_of_row[row], why, failures);
      continue;
    }
    std::string& failure = (*failures)[stage.group_of_row[row]];
    if (failure.empty()) failure = recordPlace(input, batch, row) + ": " + why;
  }
}

// The records of derived input items[item] (`input D derived`), once its last writer's fold is done:
// its writers' rows group by group (in a group writer by writer, each's in step order), then
// evaluated and ordered like records read from a file.
void GroupWorker::deriveRecords(uint32_t item, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::ItemStage& derived = context_->program->grouping->items[item];
  const size_t input = runInput(item);
  Stage& stage = *stages_[input];
  std::vector<const EachRun*> writers;
  size_t rows = 0;
  for (const ir::ItemStage::Writer& writer : derived.writers) {
    writers.push_back(writer.ledger < 0 ? fold_rows_[writer.fold].get() : ledger_rows_[firstLedger(writer.fold) + static_cast<size_t>(writer.ledger)].get());
    rows += writers.back()->rows;
  }
  stage.reserve(rows);
  stage.rows = 0;
  stage.group_of_row.clear();
  stage.number_in_group.clear();
  std::vector<size_t> next(writers.size(), 0);
  for (uint32_t group = 0; group < batch.groups(); ++group) {
    uint32_t number = 0;
    for (size_t writer = 0; writer < writers.size(); ++writer) {
      const EachRun& run = *writers[writer];
      for (size_t& row = next[writer]; row < run.rows && run.group_of_row[row] == group; ++row) {
        for (size_t column = 0; column < stage.input_types.size(); ++column) {
          copyCell(run.output.column(column), row, stage.input.column(column), stage.rows);
        }
        stage.group_of_row.push_back(group);
        stage.number_in_group.push_back(++number);
        ++stage.rows;
      }
    }
  }
  evaluateItems(input, batch, failures);
  orderItems(input, batch);
}

// Where fold `fold`'s ledgers start among all folds' ledgers (ledger_rows_).
size_t GroupWorker::firstLedger(size_t fold) const {
  size_t first = 0;
  for (size_t before = 0; before < fold; ++before) first += context_->program->grouping->folds[before].ledgers.size();
  return first;
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
                  grouping.one_input + "` record for " + groupPlace(batch, group) + " (it has one record per key)";
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
    (*failures)[group] = "no `" + grouping.one_input + "` record for " + groupPlace(batch, group);
  }
}

// Aggregates of fields (`shares` false) run before the distributions, those of shares after them.
void GroupWorker::aggregate(const GroupBatch& batch, std::vector<std::string>* failures, bool shares) {
  const std::vector<ir::Aggregate>& aggregates = context_->program->grouping->aggregates;
  for (size_t index = 0; index < aggregates.size(); ++index) {
    if (aggregates[index].late < 0 && (aggregates[index].share >= 0) == shares) aggregateOne(index, batch, failures);
  }
}

namespace {

// Many rows into one value per slot (a group, or a step of a fold), for both kinds of aggregate: sums
// and counts in 128 bits (whether a sum fits 64 bits must not depend on the order of the rows), the row
// that holds min, max, first or last. Over no row: 0, false, true or missing (ir.hpp).
class Aggregation {
 public:
  Aggregation(ir::AggregateFn fn, const Column* value, size_t slots)
      : fn_(fn), value_(value), total_(slots, fn == ir::AggregateFn::All ? 1 : 0), chosen_(slots, -1) {}

  // Row `row` (which passed the filter) into slot `slot`; `before(a, b)`: row a comes before row b in
  // the records' declared order.
  template <typename Before>
  void add(size_t slot, size_t row, Before before) {
    __int128& sum = total_[slot];
    int64_t& best = chosen_[slot];
    const auto at = static_cast<int64_t>(row);
    switch (fn_) {
      case ir::AggregateFn::Sum: sum += value_->i64()[row]; break;
      case ir::AggregateFn::Count: ++sum; break;
      case ir::AggregateFn::Exists: sum = 1; break;
      case ir::AggregateFn::All: sum = sum && value_->boolean()[row] != 0; break;
      case ir::AggregateFn::Any: sum = sum || value_->boolean()[row] != 0; break;
      case ir::AggregateFn::Min:
        if (best < 0 || value_->i64()[row] < value_->i64()[static_cast<size_t>(best)]) best = at;
        break;
      case ir::AggregateFn::Max:
        if (best < 0 || value_->i64()[row] > value_->i64()[static_cast<size_t>(best)]) best = at;
        break;
      case ir::AggregateFn::First:
        if (best < 0 || before(row, static_cast<size_t>(best))) best = at;
        break;
      case ir::AggregateFn::Last:
        if (best < 0 || before(static_cast<size_t>(best), row)) best = at;
        break;
    }
  }

  // Slot `slot`'s result into row `to` of `target`; false (and 0) when a sum does not fit 64 bits.
  bool write(size_t slot, Column& target, size_t to) const {
    const bool chooses = fn_ == ir::AggregateFn::Min || fn_ == ir::AggregateFn::Max || fn_ == ir::AggregateFn::First ||
                         fn_ == ir::AggregateFn::Last;
    if (chooses) {
      if (chosen_[slot] >= 0) copyCell(*value_, static_cast<size_t>(chosen_[slot]), target, to);
      if (target.valid() != nullptr) target.valid()[to] = chosen_[slot] >= 0 ? 1 : 0;
      return true;
    }
    const bool fits = total_[slot] >= INT64_MIN && total_[slot] <= INT64_MAX;
    if (target.kind() == ir::Kind::Bool) target.boolean()[to] = total_[slot] != 0;
    else target.i64()[to] = fits ? static_cast<int64_t>(total_[slot]) : 0;
    return fits;
  }

 private:
  ir::AggregateFn fn_;
  const Column* value_;
  std::vector<__int128> total_;
  std::vector<int64_t> chosen_;
};

}  // namespace

// One aggregate over the rows of its item stage, group by group (rows are in group order). Results
// go to the group program's column for it; over no row: 0, false, true or missing (ir.hpp).
void GroupWorker::aggregateOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::Aggregate& aggregate = grouping.aggregates[index];
  size_t input = runInput(aggregate.item);
  const Stage& stage = *stages_[input];
  const std::vector<uint32_t>& order = grouping.items[aggregate.item].order;
  size_t groups = batch.groups();
  Column& target = group_input_.column(grouping.one_columns + index);
  // A late aggregate reads its late program's rows (records of groups not failed before it), whose
  // record is item_row; the others read the item program's rows.
  const EachRun* late = aggregate.late >= 0 ? lates_[static_cast<size_t>(aggregate.late)].get() : nullptr;
  const Batch& source = late != nullptr ? late->output : stage.output;
  size_t rows = late != nullptr ? late->rows : stage.rows;
  auto stageRow = [&](size_t row) -> size_t { return late != nullptr ? late->item_row[row] : row; };
  auto groupOf = [&](size_t row) -> size_t {
    return late != nullptr ? late->group_of_row[row] : stage.group_of_row[row];
  };
  const Column* value = aggregate.value_output >= 0 ? &source.column(static_cast<size_t>(aggregate.value_output)) : nullptr;
  const Column* filter = aggregate.where_output >= 0 ? &source.column(static_cast<size_t>(aggregate.where_output)) : nullptr;
  Aggregation result(aggregate.fn, value, groups);
  auto before = [&](size_t a, size_t b) {  // a comes before b in the group's declared order
    for (uint32_t column : order) {
      int compared = compareCell(stage.input.column(column), stageRow(a), stageRow(b));
      if (compared != 0) return compared < 0;
    }
    return stageRow(a) < stageRow(b);
  };
  for (size_t row = 0; row < rows; ++row) {
    size_t group = groupOf(row);
    if (!(*failures)[group].empty() || (filter != nullptr && filter->boolean()[row] == 0)) continue;
    result.add(group, row, before);
  }
  for (size_t group = 0; group < groups; ++group) {
    if (!result.write(group, target, group) && (*failures)[group].empty()) {
      (*failures)[group] = groupPlace(batch, group) + ": aggregate " + std::to_string(index) +
                           " (sum over " + grouping.items[aggregate.item].input + ") does not fit in 64 bits (overflow)";
    }
  }
}

// Rows of each group together (they are already: records arrive group by group), each group's in the
// declared order; equal rows keep their file order.
void GroupWorker::orderItems(size_t input, const GroupBatch& batch) {
  Stage& stage = *stages_[input];
  size_t groups = batch.groups();
  stage.group_begin.assign(groups + 1, 0);
  stage.ordered.resize(stage.rows);
  for (size_t row = 0; row < stage.rows; ++row) stage.ordered[row] = static_cast<uint32_t>(row);
  for (size_t row = 0; row < stage.rows; ++row) ++stage.group_begin[stage.group_of_row[row] + 1];
  for (size_t group = 0; group < groups; ++group) stage.group_begin[group + 1] += stage.group_begin[group];
  size_t item = itemOf(input);
  const std::vector<uint32_t>& order = context_->program->grouping->items[item].order;
  if (order.empty()) return;
  auto before = [&](uint32_t a, uint32_t b) {
    for (uint32_t column : order) {
      int compared = compareCell(stage.input.column(column), a, b);
      if (compared != 0) return compared < 0;
    }
    return false;
  };
  for (size_t group = 0; group < groups; ++group) {
    std::stable_sort(stage.ordered.begin() + stage.group_begin[group], stage.ordered.begin() + stage.group_begin[group + 1], before);
  }
}

namespace {

// Sets row `row` of `column` to `value` (nullopt: missing), as a fold's initial state.
void setCell(Column& column, size_t row, const std::optional<int64_t>& value) {
  if (column.kind() == ir::Kind::Bool) column.boolean()[row] = value.value_or(0) != 0 ? 1 : 0;
  else column.i64()[row] = value.value_or(0);
  if (column.valid() != nullptr) column.valid()[row] = value ? 1 : 0;
}

}  // namespace

// A fold runs step by step over all groups of the batch at once: step j evaluates the j-th selected
// record of every group that has one, as one batch, with the states the step before left. So the
// program runs once per record in each group's order, and the engines see ordinary batches.
// The rows of a fold's record (`fold X as R`) as the steps produce them (step by step over all groups)
// go to `input`; finish() copies them to `output` group by group, each group's in step order, as the
// writer wants them. Texts are interned in `input`, since a step's texts live in the engine's scratch
// only until its next step; `output` points at them.
class FoldRowCollector {
 public:
  // `most`: how many rows the steps could write. The batch starts at most kFirstRows of them and
  // doubles as rows arrive, so a fold that writes few rows of many steps (`as R when c` over long
  // ranges) holds only the rows it writes.
  // The rows' columns are the step program's outputs after its `states`, typed as `row_columns`.
  FoldRowCollector(GroupWorker::EachRun* run, size_t states, const std::vector<ir::Output>& row_columns, size_t most)
      : run_(run), states_(states), types_(ir::typesOf(row_columns)) {
    if (!run_) return;
    run_->input = Batch(types_, std::clamp<size_t>(most, 1, kFirstRows));
    run_->group_of_row.clear();
    run_->rows = 0;
  }

  void add(const Batch& step_output, size_t row, uint32_t group) {
    if (!run_) return;
    if (run_->rows == run_->input.capacity()) grow();
    for (size_t column = 0; column < run_->input.columnCount(); ++column) {
      Column& target = run_->input.column(column);
      copyCell(step_output.column(states_ + column), row, target, run_->rows);
      intern(run_->input, run_->rows, column);
    }
    run_->group_of_row.push_back(group);
    ++run_->rows;
  }

  void finish() {
    if (!run_) return;
    std::vector<uint32_t> order(run_->rows);
    for (uint32_t row = 0; row < order.size(); ++row) order[row] = row;
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return run_->group_of_row[a] < run_->group_of_row[b]; });
    run_->output = Batch(types_, std::max<size_t>(run_->rows, 1));
    std::vector<uint32_t> groups(run_->rows);
    for (size_t row = 0; row < order.size(); ++row) {
      for (size_t column = 0; column < types_.size(); ++column) copyCell(run_->input.column(column), order[row], run_->output.column(column), row);
      groups[row] = run_->group_of_row[order[row]];
    }
    run_->group_of_row = std::move(groups);
    run_->errors.assign(std::max<size_t>(run_->rows, 1), RowError{0, 0, -1, -1});
  }

 private:
  static constexpr size_t kFirstRows = 4096;

  // A text cell of row `row` copied into `batch`'s own storage (a step's texts live in the engine's
  // scratch only until its next step; a grown batch must not point into the one it replaces).
  static void intern(Batch& batch, size_t row, size_t column) {
    Column& target = batch.column(column);
    if (target.kind() != ir::Kind::Str || !target.isValid(row)) return;
    StrRef& text = target.str()[row];
    text = batch.intern(std::string_view(text.data ? text.data : "", static_cast<size_t>(text.size)));
  }

  void grow() {
    Batch bigger(types_, 2 * run_->input.capacity());
    for (size_t column = 0; column < types_.size(); ++column) {
      for (size_t row = 0; row < run_->rows; ++row) {
        copyCell(run_->input.column(column), row, bigger.column(column), row);
        intern(bigger, row, column);
      }
    }
    run_->input = std::move(bigger);
  }

  GroupWorker::EachRun* run_;  // null: the fold writes no record
  size_t states_;
  std::vector<ir::Type> types_;
};

// Whether step `row` writes a row of the fold's record: always, or where `as R when c` holds (a
// missing c writes none, as a missing `where` selects nothing).
static bool writesRow(int32_t row_when_output, const Batch& step_output, size_t row) {
  if (row_when_output < 0) return true;
  const Column& when = step_output.column(static_cast<size_t>(row_when_output));
  return when.isValid(row) && when.boolean()[row] != 0;
}

void GroupWorker::runFold(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::FoldStage& fold = context_->program->grouping->folds[index];
  if (fold.range) return runRangeFold(index, batch, failures);
  size_t input = runInput(fold.item);
  const Stage& stage = *stages_[input];
  const Column* where = fold.where_output >= 0 ? &stage.output.column(static_cast<size_t>(fold.where_output)) : nullptr;
  std::vector<uint32_t> cursor(stage.group_begin.begin(), stage.group_begin.end() - 1);
  std::vector<uint32_t> step_row(std::max<size_t>(batch.groups(), 1));
  FoldSteps steps;
  steps.columns = stage.input_types.size();
  steps.rows = stage.rows;
  steps.next = [&](uint32_t group, Batch& step_input, size_t slot) {
    uint32_t& at = cursor[group];
    while (at < stage.group_begin[group + 1] && where != nullptr && where->boolean()[stage.ordered[at]] == 0) ++at;
    if (at == stage.group_begin[group + 1]) return false;
    uint32_t row = stage.ordered[at++];
    for (size_t column = 0; column < steps.columns; ++column) copyCell(stage.input.column(column), row, step_input.column(column), slot);
    step_row[slot] = row;
    return true;
  };
  steps.place = [&](uint32_t, size_t slot) { return recordPlace(input, batch, step_row[slot]); };
  stepFold(index, batch, steps, failures);
}

// A fold over a range: the bounds program gives each group its first and last value, and step j
// evaluates the value low + j of every group whose range reaches it. A range of more than
// kMaxRangeSteps values rejects its group (a bound computed wrong would otherwise write rows without end).
void GroupWorker::runRangeFold(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::FoldStage& fold = grouping.folds[index];
  const std::string& variable = fold.program->inputs[0].name;  // the step's name, `year`
  size_t groups = batch.groups();
  size_t capacity = std::max<size_t>(groups, 1);
  Batch bound_input(ir::typesOf(fold.range->inputs), capacity);
  for (size_t column = 0; column < fold.group_columns.size(); ++column) {
    for (size_t group = 0; group < groups; ++group) copyCell(group_input_.column(fold.group_columns[column]), group, bound_input.column(column), group);
  }
  Batch bounds(ir::typesOf(fold.range->outputs), capacity);
  std::vector<RowError> errors(capacity, RowError{0, 0, -1, -1});
  std::vector<ColumnView> inputs = bound_input.views();
  std::vector<ColumnView> outputs = bounds.views();
  context_->engine->stageEvaluator(grouping.rangeStage(index))
      ->evaluate(inputs.data(), context_->params, outputs.data(), errors.data(), static_cast<int64_t>(groups));
  std::vector<int64_t> next_value(capacity, 0);
  std::vector<uint64_t> steps_left(capacity, 0);
  const bool dates = fold.range->outputs[0].type.kind == ir::TypeKind::Date;
  auto text = [&](int64_t value) { return dates ? formatDate(value) : std::to_string(value); };
  FoldSteps steps;
  steps.columns = 1;
  for (size_t group = 0; group < groups; ++group) {
    if (!(*failures)[group].empty()) continue;
    std::string where = groupPlace(batch, group) + ": ";
    if (errors[group].code != 0) {
      (*failures)[group] = where + describeRowError(*fold.range, errors[group]);
      continue;
    }
    const int64_t low = bounds.column(0).i64()[group];
    const int64_t high = bounds.column(1).i64()[group];
    const __int128 count = high < low ? 0 : static_cast<__int128>(high) - low + 1;
    if (count > kMaxRangeSteps) {  // up to 2^64 values: written from 128 bits
      std::string values;
      for (__int128 rest = count; rest > 0; rest /= 10) values.insert(values.begin(), static_cast<char>('0' + static_cast<int>(rest % 10)));
      (*failures)[group] = where + "the range " + text(low) + " .. " + text(high) + " of `fold " + variable + " in` has " + values +
                           " values, more than the " + std::to_string(kMaxRangeSteps) + " a fold over a range may take; check its bounds";
      continue;
    }
    next_value[group] = low;
    steps_left[group] = static_cast<uint64_t>(count);
    steps.rows += static_cast<size_t>(count);
  }
  std::vector<int64_t> step_value(capacity);
  steps.next = [&](uint32_t group, Batch& step_input, size_t slot) {
    if (steps_left[group] == 0) return false;
    step_value[slot] = next_value[group];
    step_input.column(0).i64()[slot] = next_value[group];
    if (--steps_left[group] > 0) ++next_value[group];
    return true;
  };
  steps.place = [&](uint32_t group, size_t slot) {
    return groupPlace(batch, group) + ", `" + variable + "` = " + text(step_value[slot]);
  };
  stepFold(index, batch, steps, failures);
}

// A fold's steps, shared by both kinds: each group's states start at their initial values; step j
// hands `next` every group still going (it copies that group's j-th record or value into the step's
// first columns, or says the group is done), evaluates them as one batch, and keeps the states after
// it. A step that fails rejects its group with `place`'s words; the final states become group columns.
void GroupWorker::stepFold(size_t index, const GroupBatch& batch, const FoldSteps& steps, std::vector<std::string>* failures) {
  const ir::FoldStage& fold = context_->program->grouping->folds[index];
  const ir::Program& program = *fold.program;
  const Evaluator& evaluator = *context_->engine->stageEvaluator(context_->program->grouping->foldStage(index));
  size_t groups = batch.groups();
  size_t capacity = std::max<size_t>(groups, 1);
  size_t states = fold.initial.size();
  const size_t group_at = steps.columns + states;  // where the group's columns start in the step's input
  Batch state(ir::typesOf(program.outputs), capacity);
  for (size_t group = 0; group < groups; ++group) {
    for (size_t column = 0; column < states; ++column) setCell(state.column(column), group, fold.initial[column]);
  }
  Batch step_input(ir::typesOf(program.inputs), capacity);
  Batch step_output(ir::typesOf(program.outputs), capacity);
  std::vector<RowError> errors(capacity, RowError{0, 0, -1, -1});
  std::vector<ColumnView> input_views = step_input.views();
  std::vector<ColumnView> output_views = step_output.views();
  std::vector<uint32_t> step_group(capacity);
  std::vector<uint32_t> active;
  for (size_t group = 0; group < groups; ++group) {
    if ((*failures)[group].empty()) active.push_back(static_cast<uint32_t>(group));
  }
  FoldRowCollector rows_out(fold_rows_[index].get(), states, fold.row_columns, std::max<size_t>(steps.rows, 1));
  std::vector<FoldRowCollector> ledger_rows;  // `ledger X as R`: a row per pair of a step and a record of X
  const size_t first_ledger = firstLedger(index);
  for (size_t ledger = 0; ledger < fold.ledgers.size(); ++ledger) {
    ledger_rows.emplace_back(ledger_rows_[first_ledger + ledger].get(), fold.ledgers[ledger].state_outputs.size(), fold.ledgers[ledger].row_columns,
                             std::max<size_t>(steps.rows, 1));
  }
  while (!active.empty()) {
    size_t rows = 0;
    for (uint32_t group : active) {
      if (!steps.next(group, step_input, rows)) continue;
      for (size_t column = 0; column < states; ++column) copyCell(state.column(column), group, step_input.column(steps.columns + column), rows);
      for (size_t column = 0; column < fold.group_columns.size(); ++column) {
        copyCell(group_input_.column(fold.group_columns[column]), group, step_input.column(group_at + column), rows);
      }
      step_group[rows++] = group;
    }
    if (rows == 0) break;
    // The step's aggregates, its ledgers, then the aggregates of the ledgers' states after the step.
    for (size_t aggregate = 0; aggregate < fold.aggregates.size(); ++aggregate) {
      if (fold.aggregates[aggregate].ledger < 0) stepAggregate(index, aggregate, batch, step_group, rows, &step_input, steps, failures);
    }
    for (size_t ledger = 0; ledger < fold.ledgers.size(); ++ledger) {
      stepLedger(index, ledger, batch, step_group, rows, &step_input, steps, &ledger_rows[ledger], failures);
    }
    for (size_t aggregate = 0; aggregate < fold.aggregates.size(); ++aggregate) {
      if (fold.aggregates[aggregate].ledger >= 0) stepAggregate(index, aggregate, batch, step_group, rows, &step_input, steps, failures);
    }
    evaluator.evaluate(input_views.data(), context_->params, output_views.data(), errors.data(), static_cast<int64_t>(rows));
    active.clear();
    for (size_t row = 0; row < rows; ++row) {
      uint32_t group = step_group[row];
      if (!(*failures)[group].empty()) {  // a step aggregate failed
        errors[row].code = 0;
        continue;
      }
      if (errors[row].code != 0) {
        (*failures)[group] = steps.place(group, row) + ": " + describeRowError(program, errors[row]);
        errors[row].code = 0;
        continue;
      }
      for (size_t column = 0; column < states; ++column) copyCell(step_output.column(column), row, state.column(column), group);
      if (writesRow(fold.row_when_output, step_output, row)) rows_out.add(step_output, row, group);
      active.push_back(group);
    }
  }
  rows_out.finish();
  for (FoldRowCollector& ledger : ledger_rows) ledger.finish();
  for (size_t group = 0; group < groups; ++group) {
    for (size_t column = 0; column < states; ++column) {
      copyCell(state.column(column), group, group_input_.column(fold.state_column + column), group);
    }
  }
}

// The pairs of the `rows` steps in `step_input` and the records of input `input` in each step's group
// (the records in their declared order), evaluated by stage program `stage`. Per pair its input is the
// record's fields, the record's `carried` item outputs (a ledger's states), then the step's first
// columns, as many as the program has left.
struct GroupWorker::StepPairs {
  Batch input;
  Batch output;
  std::vector<RowError> errors;
  std::vector<uint32_t> step;    // per pair: the step's row in step_input
  std::vector<uint32_t> record;  // per pair: the record's row in its input's stage
  size_t count = 0;
  // Per input column: whether a program evaluated over these pairs reads it (fillPairs gathers only
  // those); computed once per stage program.
  std::vector<bool> read;
};

// The pair batches of stage program `stage`, kept by the worker from step to step and batch to batch
// (they grow to the most pairs a step has had), so a step allocates nothing once they are large enough.
GroupWorker::StepPairs& GroupWorker::pairScratch(size_t stage) {
  std::unique_ptr<StepPairs>& pairs = pair_scratch_[stage];
  if (!pairs) pairs = std::make_unique<StepPairs>();
  return *pairs;
}

void GroupWorker::evaluatePairs(size_t input, const std::vector<int32_t>& carried, const ir::Program& program, size_t stage,
                                const std::vector<uint32_t>& step_group, size_t rows, const Batch& step_input, StepPairs* pairs) {
  fillPairs(input, carried, program, 0, step_group, rows, step_input, pairs);
  evaluatePairs(stage, pairs);
}

// The pairs' input columns; the program's last `tail` inputs are left for the caller (a ledger's
// aggregates and share).
void GroupWorker::fillPairs(size_t input, const std::vector<int32_t>& carried, const ir::Program& program, size_t tail,
                            const std::vector<uint32_t>& step_group, size_t rows, const Batch& step_input, StepPairs* pairs) {
  const Stage& records = *stages_[input];
  const size_t record_columns = records.input_types.size();
  const size_t step_columns = program.inputs.size() - record_columns - carried.size() - tail;
  size_t count = 0;
  for (size_t row = 0; row < rows; ++row) count += records.group_begin[step_group[row] + 1] - records.group_begin[step_group[row]];
  if (pairs->input.capacity() < std::max<size_t>(count, 1)) {
    const size_t capacity = std::max<size_t>(count, 2 * pairs->input.capacity());
    pairs->input = Batch(ir::typesOf(program.inputs), capacity);
    pairs->output = Batch(ir::typesOf(program.outputs), capacity);
    pairs->errors.resize(capacity);
    pairs->step.resize(capacity);
    pairs->record.resize(capacity);
  }
  std::fill(pairs->errors.begin(), pairs->errors.begin() + static_cast<std::ptrdiff_t>(count), RowError{0, 0, -1, -1});
  pairs->count = count;
  size_t pair = 0;
  for (size_t row = 0; row < rows; ++row) {
    const uint32_t group = step_group[row];
    for (uint32_t at = records.group_begin[group]; at < records.group_begin[group + 1]; ++at, ++pair) {
      pairs->step[pair] = static_cast<uint32_t>(row);
      pairs->record[pair] = records.ordered[at];
    }
  }
  if (pairs->read.size() != program.inputs.size()) pairs->read = ir::inputsRead(program);
  // Column by column: the record's fields, its carried outputs, the step's columns; those no program
  // reads are left as they are (a pair's batch holds tens of columns, its programs read a few).
  auto gather = [&](const Column& from, const uint32_t* rows, size_t to) {
    if (pairs->read[to]) gatherColumn(from, rows, count, pairs->input.column(to));
  };
  size_t to = 0;
  for (size_t column = 0; column < record_columns; ++column) gather(records.input.column(column), pairs->record.data(), to++);
  for (int32_t output : carried) gather(records.output.column(static_cast<size_t>(output)), pairs->record.data(), to++);
  for (size_t column = 0; column < step_columns; ++column) gather(step_input.column(column), pairs->step.data(), to++);
}

void GroupWorker::evaluatePairs(size_t stage, StepPairs* pairs) {
  std::vector<ColumnView> inputs = pairs->input.views();
  std::vector<ColumnView> outputs = pairs->output.views();
  context_->engine->stageEvaluator(stage)->evaluate(inputs.data(), context_->params, outputs.data(), pairs->errors.data(),
                                                    static_cast<int64_t>(pairs->count));
}

// Step aggregate `aggregate` of fold `index` for the `rows` steps in `step_input`: its program runs over
// every pair of a step and a record of the aggregated input in the step's group (the records in their
// declared order), and the values are aggregated per step into the step's column. Sums are added in
// 128 bits (the result must fit 64); a failing pair (named by its record and its step), or a sum that
// does not fit, fails the group.
void GroupWorker::stepAggregate(size_t index, size_t aggregate, const GroupBatch& batch, const std::vector<uint32_t>& step_group,
                                size_t rows, Batch* step_input, const FoldSteps& steps, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::FoldStage& fold = grouping.folds[index];
  const ir::StepAggregate& step = fold.aggregates[aggregate];
  const ir::Program& program = *step.program;
  const size_t input = runInput(step.item);
  const size_t stage = grouping.stepAggregateStage(index, aggregate);
  StepPairs& pairs = pairScratch(stage);
  evaluatePairs(input, step.carried, program, stage, step_group, rows, *step_input, &pairs);
  auto pair_place = [&](size_t at) {
    return recordPlace(input, batch, pairs.record[at]) + ", at the step " + steps.place(step_group[pairs.step[at]], pairs.step[at]);
  };
  const AggregatePlaces places{&program, "a fold", pair_place, [&](size_t row) { return groupPlace(batch, step_group[row]); }};
  aggregatePairs(step, pairs, step_group, rows, places, &step_input->column(fold.firstAggregateInput() + aggregate), failures);
}

// Aggregate `step`'s evaluated pairs (pairs.step: which of the `rows` slots each belongs to; a slot's
// pairs are consecutive, in the records' declared order) into rows 0..rows-1 of `target`. Sums are added
// in 128 bits (the result must fit 64); a failing pair (its error from `places.program`, named by
// `places.pair`), or a sum that does not fit (named by `places.row`), fails the slot's group.
void GroupWorker::aggregatePairs(const ir::StepAggregate& step, const StepPairs& pairs, const std::vector<uint32_t>& step_group, size_t rows,
                                 const AggregatePlaces& places, Column* target, std::vector<std::string>* failures) {
  const Column* value = step.value_output >= 0 ? &pairs.output.column(static_cast<size_t>(step.value_output)) : nullptr;
  const Column* filter = step.where_output >= 0 ? &pairs.output.column(static_cast<size_t>(step.where_output)) : nullptr;
  Aggregation result(step.fn, value, rows);
  auto before = [](size_t a, size_t b) { return a < b; };
  for (size_t at = 0; at < pairs.count; ++at) {
    std::string& failure = (*failures)[step_group[pairs.step[at]]];
    if (pairs.errors[at].code != 0) {
      if (failure.empty()) failure = places.pair(at) + ": " + describeRowError(*places.program, pairs.errors[at]);
      continue;
    }
    if (filter == nullptr || filter->boolean()[at] != 0) result.add(pairs.step[at], at, before);
  }
  for (size_t row = 0; row < rows; ++row) {
    std::string& failure = (*failures)[step_group[row]];
    if (!result.write(row, *target, row) && failure.empty()) {
      failure = places.row(row) + ": an aggregate in " + places.where + " (sum over " + context_->program->grouping->items[step.item].input +
                ") does not fit in 64 bits (overflow)";
    }
  }
}

// The columns of a ledger's pairs that its program, its shares program or its aggregates' programs read
// (the aggregates read the pairs' columns after their own record's fields).
std::vector<bool> GroupWorker::ledgerPairsRead(const ir::Ledger& ledger) const {
  std::vector<bool> read = ir::inputsRead(*ledger.program);
  if (ledger.shares) {  // it runs on the same pairs (shareStep)
    const std::vector<bool> shares = ir::inputsRead(*ledger.shares);
    for (size_t column = 0; column < shares.size(); ++column) read[column] = read[column] || shares[column];
  }
  for (const ir::StepAggregate& aggregate : ledger.aggregates) {
    const std::vector<bool> its = ir::inputsRead(*aggregate.program);
    // The aggregated record's fields and the earlier ledger states it carries come before the pair's columns.
    const size_t record_columns = context_->program->grouping->items[aggregate.item].program->inputs.size() + aggregate.carried.size();
    for (size_t column = 0; column < ledger.firstAggregateInput(); ++column) {
      if (its[record_columns + column]) read[column] = true;
    }
  }
  return read;
}

// The aggregates of ledger `ledger` of fold `index` for the pairs in `pairs` (filled up to the
// aggregates' columns): each one's program runs over every pair and record of the aggregated input in
// the pair's group, and the values are aggregated per pair into the pair's column. A failure names the
// aggregated record, the ledger's record and the step (the failing value may be a ledger let the
// aggregate reads).
void GroupWorker::ledgerAggregates(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group,
                                   const FoldSteps& steps, StepPairs* pairs, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::Ledger& stage = grouping.folds[index].ledgers[ledger];
  if (stage.aggregates.empty()) return;
  pair_index_.resize(pairs->count);
  for (size_t at = 0; at < pairs->count; ++at) pair_index_[at] = step_group[pairs->step[at]];
  for (size_t aggregate = 0; aggregate < stage.aggregates.size(); ++aggregate) {
    const ir::StepAggregate& step = stage.aggregates[aggregate];
    const size_t input = runInput(step.item);
    const size_t program_stage = grouping.ledgerAggregateStage(index, ledger, aggregate);
    StepPairs& triples = pairScratch(program_stage);
    evaluatePairs(input, step.carried, *step.program, program_stage, pair_index_, pairs->count, pairs->input, &triples);
    auto pair_place = [&](size_t pair) {  // the ledger's record and the step of pair `pair`
      return recordPlace(runInput(stage.item), batch, pairs->record[pair]) + ", at the step " +
             steps.place(step_group[pairs->step[pair]], pairs->step[pair]);
    };
    const AggregatePlaces places{step.program.get(), "a ledger",
                                 [&](size_t at) { return recordPlace(input, batch, triples.record[at]) + " with " + pair_place(triples.step[at]); },
                                 pair_place};
    aggregatePairs(step, triples, pair_index_, pairs->count, places, &pairs->input.column(stage.firstAggregateInput() + aggregate), failures);
  }
}

// Ledger `ledger` of fold `index` for the `rows` steps in `step_input`: its program runs over every pair
// of a step and a record of the ledger's input in the step's group, with the record's states before the
// step (kept in its item program's outputs), and the states after the step are written back there. Its
// aggregates come first (ledgerAggregates), then with a distribution the sharing of each step's pool
// (shareStep). A failing pair fails its group, naming the record and the step; its group's states are
// then unused.
void GroupWorker::stepLedger(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group, size_t rows,
                             Batch* step_input, const FoldSteps& steps, FoldRowCollector* rows_out, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::Ledger& stage = grouping.folds[index].ledgers[ledger];
  const size_t input = runInput(stage.item);
  StepPairs& pairs = pairScratch(grouping.ledgerStage(index, ledger));
  if (pairs.read.empty()) pairs.read = ledgerPairsRead(stage);
  const size_t tail = stage.aggregates.size() + (stage.shares ? 1 + stage.let_outputs.size() : 0);  // filled below
  fillPairs(input, stage.state_outputs, *stage.program, tail, step_group, rows, *step_input, &pairs);
  ledgerAggregates(index, ledger, batch, step_group, steps, &pairs, failures);
  std::vector<ColumnView> inputs = pairs.input.views();
  if (stage.shares) {
    shareStep(index, ledger, batch, step_group, rows, step_input, steps, &pairs, failures);
    StepPairs& parts = pairScratch(grouping.ledgerSharesStage(index, ledger));  // the lets it computed, per pair
    for (size_t let = 0; let < stage.let_outputs.size(); ++let) {
      inputs[stage.shareInput() + 1 + let] = parts.output.column(static_cast<size_t>(stage.let_outputs[let])).view();
    }
  }
  std::vector<ColumnView> outputs = pairs.output.views();
  context_->engine->stageEvaluator(grouping.ledgerStage(index, ledger))
      ->evaluate(inputs.data(), context_->params, outputs.data(), pairs.errors.data(), static_cast<int64_t>(pairs.count));
  Stage& records = *stages_[input];
  for (size_t at = 0; at < pairs.count; ++at) {
    const uint32_t group = step_group[pairs.step[at]];
    std::string& failure = (*failures)[group];
    if (pairs.errors[at].code != 0 && failure.empty()) {
      failure = recordPlace(input, batch, pairs.record[at]) + ", at the step " + steps.place(group, pairs.step[at]) + ": " +
                describeRowError(*stage.program, pairs.errors[at]);
    }
  }
  std::vector<uint32_t>& kept = pair_index_;  // the pairs of the groups that did not fail, in order
  kept.clear();
  for (uint32_t at = 0; at < pairs.count; ++at) {
    const uint32_t group = step_group[pairs.step[at]];
    if (!(*failures)[group].empty()) continue;
    kept.push_back(at);
    if (writesRow(stage.row_when_output, pairs.output, at)) rows_out->add(pairs.output, at, group);
  }
  for (size_t state = 0; state < stage.state_outputs.size(); ++state) {  // the states after the step, column by column
    scatterColumn(pairs.output.column(state), kept.data(), kept.size(), pairs.record.data(),
                  records.output.column(static_cast<size_t>(stage.state_outputs[state])));
  }
}

// The distribution inside ledger `ledger` of fold `index`: its shares program gives each pair's amount,
// tier and tie keys and the values of the pool's aggregates, which are aggregated per step; the pools
// program then gives each step's pool; the kernel shares it over the step's pairs (in the records'
// declared order). The shares go to the ledger program's last input column in `pairs`, each step's rest
// to its column of `step_input` (the fold program's input).
void GroupWorker::shareStep(size_t index, size_t ledger, const GroupBatch& batch, const std::vector<uint32_t>& step_group, size_t rows,
                            Batch* step_input, const FoldSteps& steps, StepPairs* pairs, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::FoldStage& fold = grouping.folds[index];
  const ir::Ledger& stage = fold.ledgers[ledger];
  const size_t input = runInput(stage.item);
  const size_t capacity = std::max<size_t>(rows, 1);
  const size_t shares_stage = grouping.ledgerSharesStage(index, ledger);
  // The shares program reads the ledger program's inputs but its last (the share): it runs on the
  // ledger's pairs as they are, into a batch of its own outputs.
  StepPairs& parts = pairScratch(shares_stage);
  parts.count = pairs->count;
  parts.step.assign(pairs->step.begin(), pairs->step.begin() + static_cast<std::ptrdiff_t>(pairs->count));
  parts.record.assign(pairs->record.begin(), pairs->record.begin() + static_cast<std::ptrdiff_t>(pairs->count));
  if (parts.output.capacity() < std::max<size_t>(parts.count, 1)) {
    parts.output = Batch(ir::typesOf(stage.shares->outputs), std::max<size_t>(parts.count, 2 * parts.output.capacity()));
  }
  parts.errors.assign(std::max<size_t>(parts.count, 1), RowError{0, 0, -1, -1});
  std::vector<ColumnView> share_inputs = pairs->input.views();
  share_inputs.resize(stage.shares->inputs.size());
  std::vector<ColumnView> share_outputs = parts.output.views();
  context_->engine->stageEvaluator(shares_stage)
      ->evaluate(share_inputs.data(), context_->params, share_outputs.data(), parts.errors.data(), static_cast<int64_t>(parts.count));
  // The pool's aggregates of the step's records, then the pool (the pools program reads the fold
  // program's first columns, then those aggregates).
  std::vector<ir::Type> aggregate_types;
  for (const ir::StepAggregate& aggregate : stage.pool_aggregates) aggregate_types.push_back(aggregate.type);
  Batch pool_values(aggregate_types, capacity);
  const AggregatePlaces places{
      stage.shares.get(), "a distribution's pool",  // pool aggregates have no program: their values are the shares program's outputs
      [&](size_t at) { return recordPlace(input, batch, parts.record[at]) + ", at the step " + steps.place(step_group[parts.step[at]], parts.step[at]); },
      [&](size_t row) { return steps.place(step_group[row], row); }};
  for (size_t aggregate = 0; aggregate < stage.pool_aggregates.size(); ++aggregate) {
    aggregatePairs(stage.pool_aggregates[aggregate], parts, step_group, rows, places, &pool_values.column(aggregate), failures);
  }
  Batch pools(ir::typesOf(stage.pools->outputs), capacity);
  std::vector<RowError> pool_errors(capacity, RowError{0, 0, -1, -1});
  std::vector<ColumnView> pool_inputs = step_input->views();
  pool_inputs.resize(stage.pools->inputs.size() - stage.pool_aggregates.size());
  for (const ColumnView& view : pool_values.views()) pool_inputs.push_back(view);
  std::vector<ColumnView> pool_views = pools.views();
  context_->engine->stageEvaluator(grouping.ledgerPoolsStage(index, ledger))
      ->evaluate(pool_inputs.data(), context_->params, pool_views.data(), pool_errors.data(), static_cast<int64_t>(rows));
  ShareColumns columns{parts.output.column(0).i64(), {}, {}};
  for (size_t tier = 0; tier < stage.tiers; ++tier) columns.tiers.push_back(parts.output.column(1 + tier).i64());
  for (size_t tie = 1 + stage.tiers; tie < stage.share_outputs; ++tie) columns.ties.push_back(&parts.output.column(tie));
  const size_t rest_column = fold.restInput(ledger);
  int64_t* shares = pairs->input.column(stage.shareInput()).i64();
  std::vector<uint32_t> step_pairs;
  for (size_t begin = 0, row = 0; row < rows; ++row) {  // a step's pairs are consecutive
    size_t end = begin;
    while (end < parts.count && parts.step[end] == row) ++end;
    const uint32_t group = step_group[row];
    std::string& failure = (*failures)[group];
    for (size_t at = begin; at < end && failure.empty(); ++at) {
      if (parts.errors[at].code != 0) {
        failure = recordPlace(input, batch, parts.record[at]) + ", at the step " + steps.place(group, row) + ": " +
                  describeRowError(*stage.shares, parts.errors[at]);
      }
    }
    if (failure.empty() && pool_errors[row].code != 0) failure = steps.place(group, row) + ": " + describeRowError(*stage.pools, pool_errors[row]);
    if (failure.empty()) {
      step_pairs.resize(end - begin);
      for (size_t at = begin; at < end; ++at) step_pairs[at - begin] = static_cast<uint32_t>(at);
      int64_t rest = 0;
      std::string reason = shareOut(columns, step_pairs.data(), step_pairs.size(), pools.column(0).i64()[row], shares + begin, &rest, *stage.pools, 1);
      if (!reason.empty()) failure = steps.place(group, row) + ": " + reason;
      step_input->column(rest_column).i64()[row] = rest;
    }
    begin = end;
  }
}

// The kernel's int32 tier ranks for one group's records (`rows`): one key is its value (it must fit in
// 32 bits); several keys (`by class, rank`) become dense ranks in the order of the key tuples.
static bool rankTiers(const std::vector<const int64_t*>& keys, const uint32_t* rows, size_t count, std::vector<int32_t>* ranks) {
  if (keys.size() == 1) {
    for (size_t item = 0; item < count; ++item) {
      int64_t rank = keys[0][rows[item]];
      if (rank < INT32_MIN || rank > INT32_MAX) return false;
      (*ranks)[item] = static_cast<int32_t>(rank);
    }
    return true;
  }
  if (keys.empty()) return true;
  std::vector<uint32_t> sorted(count);
  for (size_t item = 0; item < count; ++item) sorted[item] = static_cast<uint32_t>(item);
  auto compare = [&](uint32_t a, uint32_t b) {
    for (const int64_t* key : keys) {
      if (key[rows[a]] != key[rows[b]]) return key[rows[a]] < key[rows[b]] ? -1 : 1;
    }
    return 0;
  };
  std::sort(sorted.begin(), sorted.end(), [&](uint32_t a, uint32_t b) { return compare(a, b) < 0; });
  int32_t rank = 0;
  for (size_t at = 0; at < count; ++at) {
    if (at > 0 && compare(sorted[at - 1], sorted[at]) != 0) ++rank;
    (*ranks)[sorted[at]] = rank;
  }
  return true;
}

// The pools program gives each group's pools; then each distribution shares its pool over the
// group's records (runtime/groups/distribute: tiers, largest remainder, conservation checked).
void GroupWorker::runDistributions(const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  if (!grouping.pools) return;
  size_t groups = batch.groups();
  pools_ = Batch(ir::typesOf(grouping.pools->outputs), std::max<size_t>(groups, 1));
  std::vector<RowError> errors(std::max<size_t>(groups, 1), RowError{0, 0, -1, -1});
  std::vector<ColumnView> inputs = group_input_.views();
  std::vector<ColumnView> outputs = pools_.views();
  context_->engine->stageEvaluator(grouping.poolsStage())
      ->evaluate(inputs.data(), context_->params, outputs.data(), errors.data(), static_cast<int64_t>(groups));
  for (size_t group = 0; group < groups; ++group) {
    if (errors[group].code == 0 || !(*failures)[group].empty()) continue;
    (*failures)[group] = groupPlace(batch, group) + ": " + describeRowError(*grouping.pools, errors[group]);
  }
  for (size_t index = 0; index < grouping.distributions.size(); ++index) distributeOne(index, batch, failures);
}

void GroupWorker::distributeOne(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::Distribution& distribution = grouping.distributions[index];
  Stage& stage = *stages_[runInput(distribution.item)];
  ShareColumns columns{stage.output.column(static_cast<size_t>(distribution.amount_output)).i64(), {}, {}};
  for (int32_t tier : distribution.tier_outputs) columns.tiers.push_back(stage.output.column(static_cast<size_t>(tier)).i64());
  for (int32_t tie : distribution.tie_outputs) columns.ties.push_back(&stage.output.column(static_cast<size_t>(tie)));
  int64_t* shares = stage.output.column(static_cast<size_t>(distribution.share_output)).i64();
  std::vector<int64_t> group_shares;
  for (size_t group = 0; group < batch.groups(); ++group) {
    if (!(*failures)[group].empty()) continue;
    const uint32_t begin = stage.group_begin[group];
    const size_t count = stage.group_begin[group + 1] - begin;
    group_shares.assign(count, 0);
    int64_t rest = 0;
    std::string reason = shareOut(columns, stage.ordered.data() + begin, count, pools_.column(distribution.pool_output).i64()[group],
                                  group_shares.data(), &rest, *grouping.pools, static_cast<int32_t>(index + 1));
    if (!reason.empty()) {
      (*failures)[group] = groupPlace(batch, group) + ": " + reason;
      continue;
    }
    for (size_t item = 0; item < count; ++item) shares[stage.ordered[begin + item]] = group_shares[item];
    group_input_.column(distribution.rest_column).i64()[group] = rest;
  }
}

// Shares `pool` over the records `rows` (rows of `columns`, in their declared order) with the kernel:
// record i's share to shares[i], the rest to `rest`. "" or why the group is rejected (the kernel's
// errors are described at site `site` of `program`, the distribute keyword).
std::string GroupWorker::shareOut(const ShareColumns& columns, const uint32_t* rows, size_t count, int64_t pool, int64_t* shares,
                                  int64_t* rest, const ir::Program& program, int32_t site) {
  ShareScratch& scratch = share_scratch_;  // reused from group to group and step to step
  std::vector<int64_t>& claims = scratch.claims;
  std::vector<int32_t>& ranks = scratch.ranks;
  claims.resize(count);
  ranks.resize(count);
  for (size_t item = 0; item < count; ++item) claims[item] = columns.amounts[rows[item]];
  if (!rankTiers(columns.tiers, rows, count, &ranks)) return "a tier rank does not fit in 32 bits (use ranks from -2147483648 to 2147483647)";
  std::vector<std::vector<int64_t>>& int_ties = scratch.int_ties;
  std::vector<std::vector<StrRef>>& text_ties = scratch.text_ties;
  std::vector<TieKey>& keys = scratch.keys;
  int_ties.resize(columns.ties.size());
  text_ties.resize(columns.ties.size());
  keys.resize(columns.ties.size());
  for (size_t tie = 0; tie < columns.ties.size(); ++tie) {
    const Column& column = *columns.ties[tie];
    const bool text = column.kind() == ir::Kind::Str;
    int_ties[tie].resize(text ? 0 : count);
    text_ties[tie].resize(text ? count : 0);
    for (size_t item = 0; item < count; ++item) {
      if (text) text_ties[tie][item] = column.str()[rows[item]];
      else int_ties[tie][item] = column.i64()[rows[item]];
    }
    keys[tie] = text ? TieKey::ofBytes(text_ties[tie].data()) : TieKey::ofInts(int_ties[tie].data());
  }
  std::fill(shares, shares + count, 0);
  DistributeInput input{pool, count, claims.data(), columns.tiers.empty() ? nullptr : ranks.data(), keys.data(), keys.size()};
  ir::ErrorCode code = distribute(input, distribute_scratch_, shares, rest);
  if (code == ir::ErrorCode::None) return "";
  std::fill(shares, shares + count, 0);
  return describeRowError(program, RowError{static_cast<int32_t>(code), site, -1, -1});
}

// The records of items[item] in groups that have not failed, in each group's order, for an each or
// late program: the group's columns, the record's fields, its shares and its ledger states copied into one batch.
void GroupWorker::fillItemRun(uint32_t item, const ir::Program& program, EachRun* run, const std::vector<std::string>& failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const Stage& stage = *stages_[runInput(item)];
  size_t capacity = std::max<size_t>(stage.rows, 1);
  run->input = Batch(ir::typesOf(program.inputs), capacity);
  run->output = Batch(ir::typesOf(program.outputs), capacity);
  run->errors.assign(capacity, RowError{0, 0, -1, -1});
  run->group_of_row.resize(capacity);
  run->item_row.resize(capacity);
  std::vector<const Column*> carried;  // the shares, then the ledgers' final states (ir.hpp)
  for (const ir::Distribution& distribution : grouping.distributions) {
    if (distribution.item == item) carried.push_back(&stage.output.column(static_cast<size_t>(distribution.share_output)));
  }
  for (const ir::FoldStage& fold : grouping.folds) {
    for (const ir::Ledger& ledger : fold.ledgers) {
      if (ledger.item != item) continue;
      for (int32_t output : ledger.state_outputs) carried.push_back(&stage.output.column(static_cast<size_t>(output)));
    }
  }
  size_t group_columns = context_->program->inputs.size();
  size_t item_columns = stage.input_types.size();
  size_t rows = 0;
  for (size_t group = 0; group + 1 < stage.group_begin.size(); ++group) {
    if (!failures[group].empty()) continue;
    for (uint32_t at = stage.group_begin[group]; at < stage.group_begin[group + 1]; ++at) {
      uint32_t row = stage.ordered[at];
      for (size_t column = 0; column < group_columns; ++column) copyCell(group_input_.column(column), group, run->input.column(column), rows);
      for (size_t column = 0; column < item_columns; ++column) {
        copyCell(stage.input.column(column), row, run->input.column(group_columns + column), rows);
      }
      for (size_t share = 0; share < carried.size(); ++share) {
        copyCell(*carried[share], row, run->input.column(group_columns + item_columns + share), rows);
      }
      run->group_of_row[rows] = static_cast<uint32_t>(group);
      run->item_row[rows++] = row;
    }
  }
  run->rows = rows;
}

// Evaluates stage program `stage` over the run; a record that fails fails its group.
void GroupWorker::evaluateItemRun(size_t input, const GroupBatch& batch, const ir::Program& program, size_t stage,
                                  EachRun* run, std::vector<std::string>* failures) {
  if (run->rows == 0) return;
  std::vector<ColumnView> inputs = run->input.views();
  std::vector<ColumnView> outputs = run->output.views();
  context_->engine->stageEvaluator(stage)->evaluate(inputs.data(), context_->params, outputs.data(), run->errors.data(),
                                                    static_cast<int64_t>(run->rows));
  for (size_t row = 0; row < run->rows; ++row) {
    std::string& failure = (*failures)[run->group_of_row[row]];
    if (run->errors[row].code != 0 && failure.empty()) {
      failure = recordPlace(input, batch, run->item_row[row]) + ": " + describeRowError(program, run->errors[row]);
    }
  }
}

// An each block's program over every record of its input in groups that have not failed.
void GroupWorker::runEach(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::EachStage& each = grouping.eaches[index];
  fillItemRun(each.item, *each.program, eaches_[index].get(), *failures);
  evaluateItemRun(runInput(each.item), batch, *each.program, grouping.eachStage(index), eaches_[index].get(), failures);
}

// The late aggregates over one input: their values and filters per record, with the group's columns
// beside it, then the aggregates themselves into the group program's columns.
void GroupWorker::runLate(size_t index, const GroupBatch& batch, std::vector<std::string>* failures) {
  const ir::Grouping& grouping = *context_->program->grouping;
  const ir::LateStage& late = grouping.lates[index];
  EachRun& run = *lates_[index];
  fillItemRun(late.item, *late.program, &run, *failures);
  evaluateItemRun(runInput(late.item), batch, *late.program, grouping.lateStage(index), &run, failures);
  for (size_t aggregate = 0; aggregate < grouping.aggregates.size(); ++aggregate) {
    if (grouping.aggregates[aggregate].late == static_cast<int32_t>(index)) aggregateOne(aggregate, batch, failures);
  }
}

// Every record of a failed group, of every input, with the group's reason; counts for the others.
void GroupWorker::rejectGroups(const GroupBatch& batch, const std::vector<std::string>& failures,
                               GroupBatchResult* result) {
  // Group by group, and in a group input by input, so the rejects file does not depend on how the
  // groups were cut into batches. Each input's records are in group order.
  std::vector<size_t> next(batch.inputs.size(), 0);
  for (size_t group = 0; group < batch.groups(); ++group) {
    for (size_t input = 0; input < batch.inputs.size(); ++input) {
      if (stages_[input]->shared) continue;  // not the group's records: every group reads them
      const GroupInputRecords& records = batch.inputs[input];
      size_t& record = next[input];
      for (; record < records.group.size() && records.group[record] == group; ++record) {
        if (failures[group].empty()) {
          ++result->records_out[input];
          continue;
        }
        GroupReject reject;
        reject.input = input;
        reject.reject.line = records.file_line[record];
        reject.reject.reason = failures[group];
        auto unreadable = unreadable_.find({input, record});
        if (unreadable != unreadable_.end()) {
          // The bad record itself: its own cell and reason (the first bad record's reason is the group's).
          reject.reject.column = unreadable->second.column;
          reject.reject.reason = unreadable->second.reason;
        }
        size_t end = record + 1 < records.offset.size() ? records.offset[record + 1] : records.chunk.text.size();
        reject.reject.raw_record.assign(records.chunk.text.data() + records.offset[record], end - records.offset[record] - 1);
        result->rejects.push_back(std::move(reject));
      }
    }
  }
  for (const std::string& failure : failures) result->groups_out += failure.empty() ? 1 : 0;
}

}  // namespace regelwerk
