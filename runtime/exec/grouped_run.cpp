// regelwerk::run for a grouped rule set (docs/groups.md): the keyed inputs are read into groups in
// key order (GroupSource: streamed when sorted, externally sorted otherwise), evaluated in batches of
// groups by one GroupWorker per thread, and written to one file per output record, in key order.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>

#include "group_source.hpp"
#include "group_worker.hpp"
#include "grouped_run.hpp"
#include "ordered_pipeline.hpp"
#include "output_file.hpp"
#include "runtime/columnar/cell_formatter.hpp"
#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

std::vector<RunInput> runInputs(const ir::Program& program) {
  const ir::Grouping& grouping = *program.grouping;
  std::vector<RunInput> inputs;
  if (!grouping.one_input.empty()) {
    std::vector<ir::InputColumn> columns(program.inputs.begin(), program.inputs.begin() + grouping.one_columns);
    std::string key_header = columns[grouping.key_column].header;
    inputs.push_back(RunInput{grouping.one_input, "", &program, std::move(columns), key_header, false, grouping.one_separator});
  }
  for (const ir::ItemStage& stage : grouping.items) {
    if (stage.derived()) continue;  // its records are written by the group's folds, not read
    std::string key_header = grouping.key;
    for (const ir::InputColumn& column : stage.program->inputs) {
      if (column.name == grouping.key) key_header = column.header;
    }
    if (stage.shared) key_header.clear();
    inputs.push_back(RunInput{stage.input, "", stage.program.get(), stage.program->inputs, key_header, stage.shared,
                              stage.program->input_separator});
  }
  return inputs;
}

std::vector<RunRecord> runRecords(const ir::Program& program) {
  std::vector<RunRecord> records;
  const ir::Grouping& grouping = *program.grouping;
  records.push_back(RunRecord{grouping.record, program.outputs.empty() ? nullptr : &program.outputs, ""});
  for (const ir::EachStage& each : grouping.eaches) records.push_back(RunRecord{each.record, &each.program->outputs, ""});
  for (const ir::FoldStage& fold : grouping.folds) {
    if (!fold.record.empty() && !grouping.derivedRecord(fold.record)) records.push_back(RunRecord{fold.record, &fold.row_columns, ""});
  }
  for (const ir::FoldStage& fold : grouping.folds) {
    for (const ir::Ledger& ledger : fold.ledgers) {
      if (!ledger.record.empty() && !grouping.derivedRecord(ledger.record)) {
        records.push_back(RunRecord{ledger.record, &ledger.row_columns, ""});
      }
    }
  }
  // A derived input's records, in its order: its writers' rows together (ir::ItemStage).
  for (const ir::ItemStage& stage : grouping.items) {
    if (stage.derived()) records.push_back(RunRecord{stage.input, &stage.row_columns, "", true});
  }
  return records;
}

namespace {

constexpr int kExitInput = 2;
constexpr size_t kRecordsPerGroup = 4;  // a batch holds --batch-size groups or 4 times as many records

// Every keyed input is named once on the command line (`--input Claim=claims.csv`), and nothing else.
bool assignPaths(const RunOptions& options, std::vector<RunInput>* inputs, std::string* error) {
  std::string known;
  for (const RunInput& input : *inputs) known += (known.empty() ? "`" : ", `") + input.name + "`";
  if (!options.input_path.empty()) {
    *error = "this rule set reads several inputs: name each, as in --input " + inputs->front().name + "=FILE (it reads " + known + ")";
    return false;
  }
  for (const auto& [name, path] : options.named_inputs) {
    auto found = std::find_if(inputs->begin(), inputs->end(), [&](const RunInput& input) { return input.name == name; });
    if (found == inputs->end()) return *error = "--input " + name + "=…: the rule set has no input `" + name + "`; it reads " + known, false;
    if (!found->path.empty()) return *error = "--input " + name + " is given twice", false;
    found->path = path;
  }
  for (const RunInput& input : *inputs) {
    if (input.path.empty()) {
      *error = "missing --input " + input.name + "=FILE (the rule set reads " + known +
               "; for an input without records, give a file with its header line only)";
      return false;
    }
  }
  return true;
}

void appendGroupReject(const std::vector<RunInput>& inputs, const GroupReject& reject, std::string* out) {
  appendCsvField(inputs[reject.input].name, ',', '"', out);
  out->push_back(',');
  appendDecimal(reject.reject.line, 0, out);
  out->push_back(',');
  appendCsvField(reject.reject.column, ',', '"', out);
  out->push_back(',');
  appendCsvField(reject.reject.reason, ',', '"', out);
  out->push_back(',');
  appendCsvField(reject.reject.raw_record, ',', '"', out);
  out->push_back('\n');
}

// Every output record is named once (`--output Payout=payouts.csv`); a rule set with one record may
// take a plain `--output FILE`. A derived input's records are written only when named.
bool assignOutputPaths(const RunOptions& options, std::vector<RunRecord>* records, std::string* error) {
  std::string known;
  size_t written = 0;
  for (const RunRecord& record : *records) {
    if (record.columns == nullptr) continue;
    known += (known.empty() ? "`" : ", `") + record.name + "`" + (record.optional ? " (optional)" : "");
    written += record.optional ? 0 : 1;
  }
  if (!options.output_path.empty()) {
    if (written != 1 || !options.named_outputs.empty()) {
      *error = "this rule set writes several records: name a file for each, as in --output NAME=FILE (it writes " + known + ")";
      return false;
    }
    for (RunRecord& record : *records) {
      if (record.columns != nullptr && !record.optional) record.path = options.output_path;
    }
    return true;
  }
  for (const auto& [name, path] : options.named_outputs) {
    auto found = std::find_if(records->begin(), records->end(),
                              [&](const RunRecord& record) { return record.name == name && record.columns != nullptr; });
    if (found == records->end()) return *error = "--output " + name + "=…: the rule set writes no record `" + name + "`; it writes " + known, false;
    if (!found->path.empty()) return *error = "--output " + name + " is given twice", false;
    found->path = path;
  }
  for (const RunRecord& record : *records) {
    if (record.columns != nullptr && record.path.empty() && !record.optional) {
      return *error = "missing --output " + record.name + "=FILE (the rule set writes " + known + ")", false;
    }
  }
  return true;
}

// Writes finished batches and keeps the counts; stops at the first rejected group without --rejects.
class GroupSink {
 public:
  GroupSink(const std::vector<RunInput>& inputs, std::vector<OutputFile*> outputs, OutputFile* rejects, RunSummary* summary)
      : inputs_(&inputs), outputs_(std::move(outputs)), rejects_(rejects), summary_(summary) {}

  bool consume(const GroupBatchResult& result) {
    if (!result.fatal.empty()) return fail(result.fatal + sharedRecordStops(stopped()));
    if (!result.rejects.empty() && rejects_ == nullptr) {
      const GroupReject& first = result.rejects.front();
      return fail(first.reject.reason + "\n(" + stopped() + "; use --rejects FILE to set such groups aside and go on)");
    }
    for (size_t input = 0; input < result.records_out.size(); ++input) summary_->inputs[input].rows_out += result.records_out[input];
    for (size_t record = 0; record < outputs_.size(); ++record) {
      if (outputs_[record] != nullptr && !outputs_[record]->write(result.outputs[record].view())) return fail(outputs_[record]->error());
    }
    if (result.rejects.empty()) return true;
    scratch_.clear();
    for (const GroupReject& reject : result.rejects) {
      ++summary_->inputs[reject.input].rows_rejected;
      appendGroupReject(*inputs_, reject, &scratch_);
    }
    return rejects_->write(scratch_) || fail(rejects_->error());
  }

  // Records without a readable key: in the rejects (the source's stats count them), or the run stops.
  bool consumeKeyRejects(std::vector<GroupReject>* rejects) {
    if (rejects->empty()) return true;
    if (rejects_ == nullptr) {
      const GroupReject& first = rejects->front();
      std::string field = first.reject.column.empty() ? "" : "field `" + first.reject.column + "`: ";
      return fail((*inputs_)[first.input].path + ":" + std::to_string(first.reject.line) + ": " + field +
                  first.reject.reason + "\n(" + stopped() +
                  "; use --rejects FILE to set such records aside and go on)");
    }
    scratch_.clear();
    for (const GroupReject& reject : *rejects) appendGroupReject(*inputs_, reject, &scratch_);
    rejects->clear();
    return rejects_->write(scratch_) || fail(rejects_->error());
  }

  bool fail(const std::string& message) {
    summary_->exit_code = kExitInput;
    summary_->error = message;
    return false;
  }

 private:
  // The rejects file too: with --rejects a shared record still stops the run, after rejects may have gone out.
  std::string stopped() const {
    std::vector<const OutputFile*> files(outputs_.begin(), outputs_.end());
    files.push_back(rejects_);
    return stoppedHere(files);
  }

  const std::vector<RunInput>* inputs_;
  std::vector<OutputFile*> outputs_;  // per record; null for a record without columns
  OutputFile* rejects_;
  RunSummary* summary_;
  std::string scratch_;
};

// Appends `group` to the batch (the worker reads records per input in group order).
void addGroup(const Group& group, GroupBatch* batch, size_t* records) {
  auto index = static_cast<uint32_t>(batch->groups());
  batch->int_keys.push_back(group.int_key);
  batch->text_keys.push_back(group.key_type == KeyType::Int ? std::to_string(group.int_key) : group.string_key);
  for (size_t input = 0; input < group.records.size(); ++input) {
    for (const GroupRecord& record : group.records[input]) batch->inputs[input].add(index, record.text, record.line);
    *records += group.records[input].size();
  }
}

// When a batch of groups is full: at `--batch-size` groups (2048 by default) or 4 times as many
// records of all inputs together (8192), whichever comes first. Example: --batch-size 1 evaluates
// group by group. The output bytes do not depend on it.
struct BatchLimits {
  size_t groups;
  size_t records;
};

BatchLimits batchLimits(const RunOptions& options) {
  size_t groups = std::max<size_t>(options.batch_size, 1);
  return BatchLimits{groups, groups * kRecordsPerGroup};
}

// One batch of groups in flight: filled by the reader, evaluated by a worker, written in order.
struct GroupJob {
  GroupBatch batch;
  std::vector<GroupReject> key_rejects;  // records without a readable key, read before the batch was full
  GroupBatchResult result;
};

// Batches of groups evaluated by one GroupWorker per thread (each owns its scratch and its tally) and
// written by the sink in the order they were read, so the bytes and counts are those of one thread.
// At most 2 batches per thread are in flight: the reader waits for the oldest when the window is full.
class GroupedPipeline {
 public:
  GroupedPipeline(const GroupedContext& context, int threads, size_t inputs, GroupSink* sink)
      : sink_(sink),
        tally_(*context.program),
        pipeline_(threads, [this](size_t worker, size_t slot) { process(worker, slot); },
                  [this](size_t slot) { return consume(slot); }) {
    for (int worker = 0; worker < threads; ++worker) workers_.push_back(std::make_unique<GroupWorker>(context));
    jobs_.resize(pipeline_.slots());
    for (GroupJob& job : jobs_) job.batch.inputs.resize(inputs);
  }

  bool start(std::string* error) { return pipeline_.start(error); }
  GroupBatch& batch() { return jobs_[slot_].batch; }

  // Hands the filled batch to a worker, with the unreadable-key records read so far (written just
  // before the batch's own lines, as on one thread). False once the run stops.
  bool submit(std::vector<GroupReject>* key_rejects) {
    jobs_[slot_].key_rejects.swap(*key_rejects);
    return pipeline_.submit(&slot_);
  }

  // Writes what is in flight, joins the workers and adds up their tallies (sums and counts: the
  // total does not depend on which worker saw which batch).
  bool finish() {
    bool go_on = pipeline_.finish();
    for (const std::unique_ptr<GroupWorker>& worker : workers_) tally_.merge(worker->tally());
    return go_on;
  }

  const Tally& tally() const { return tally_; }

 private:
  void process(size_t worker, size_t slot) { workers_[worker]->process(jobs_[slot].batch, &jobs_[slot].result); }

  bool consume(size_t slot) {
    GroupJob& job = jobs_[slot];
    bool go_on = sink_->consumeKeyRejects(&job.key_rejects) && sink_->consume(job.result);
    job.batch.clear();
    job.key_rejects.clear();
    return go_on;
  }

  GroupSink* sink_;
  Tally tally_;
  std::vector<std::unique_ptr<GroupWorker>> workers_;
  std::vector<GroupJob> jobs_;
  size_t slot_ = 0;                // the job the reader fills
  OrderedPipeline pipeline_;       // last: destroyed (its threads joined) before the jobs and workers
};

struct GroupedFiles {
  // Records whose key cannot be read, reported by the source as it reads (declared first: it must
  // outlive the source that fills it). They are counted by the source's stats and written here.
  std::vector<GroupReject> key_rejects;
  std::unique_ptr<GroupSource> source;
  std::vector<HeaderBinding> bindings;
  std::vector<std::unique_ptr<OutputFile>> outputs;  // per record (GroupedContext::writers)
  OutputFile rejects;
};

// An input's own `separator`, unless the run was told one (`--separator`).
CsvDialect inputDialect(const RunOptions& options, const RunInput& input) {
  return CsvDialect{input.separator != 0 && !options.separator_given ? input.separator : options.separator, '"'};
}

bool openGrouped(const ir::Program& program, const RunOptions& options, std::vector<RunInput>& inputs,
                 const std::vector<RunRecord>& records, GroupedFiles* files, std::string* error) {
  std::vector<GroupInput> sources;
  for (const RunInput& input : inputs) {
    GroupInput source;
    source.path = input.path;
    source.name = input.path;
    source.dialect = inputDialect(options, input);
    source.key_column = input.key_header;
    for (const ir::InputColumn& column : input.columns) {
      if (column.header == input.key_header) source.key_format = column.format;
    }
    source.key_type = program.grouping->key_type.isString() ? KeyType::String : KeyType::Int;
    source.shared = input.shared;
    sources.push_back(std::move(source));
  }
  GroupSourceOptions source_options;
  source_options.memory_limit = options.memory_limit;
  std::vector<GroupReject>* key_rejects = &files->key_rejects;
  source_options.on_reject = [key_rejects](size_t input, const Reject& reject) {
    key_rejects->push_back(GroupReject{input, reject});
  };
  std::string first_output;
  for (const RunRecord& record : records) {
    if (first_output.empty()) first_output = record.path;
  }
  std::string folder = first_output == "-" ? "." : first_output.substr(0, first_output.rfind('/') + 1);
  source_options.temp_parent = folder.empty() ? "." : folder;
  files->source = GroupSource::open(std::move(sources), std::move(source_options), error);
  if (!files->source) return false;
  for (size_t index = 0; index < inputs.size(); ++index) {
    HeaderBinding binding;
    if (!bindHeader(inputs[index].columns, files->source->header(index), &binding, error)) {
      *error = inputs[index].path + ": " + *error;
      return false;
    }
    files->bindings.push_back(std::move(binding));
  }
  for (const RunRecord& record : records) {
    files->outputs.push_back(std::make_unique<OutputFile>());
    if (record.columns != nullptr && !record.path.empty() && !files->outputs.back()->open(record.path, "output", error)) return false;
  }
  return options.rejects_path.empty() || files->rejects.open(options.rejects_path, "rejects file", error);
}

}  // namespace

RunSummary runGrouped(const RuleSet& rules, const Engine& engine, const RunOptions& options,
                      const std::vector<ParamSlot>& params) {
  auto started = std::chrono::steady_clock::now();
  RunSummary summary;
  const ir::Program& program = rules.program();
  std::vector<RunInput> inputs = runInputs(program);
  std::vector<RunRecord> run_records = runRecords(program);
  GroupedFiles files;
  std::string error;
  if (!assignPaths(options, &inputs, &error) || !assignOutputPaths(options, &run_records, &error) ||
      !openGrouped(program, options, inputs, run_records, &files, &error)) {
    summary.exit_code = kExitInput;
    summary.error = error;
    return summary;
  }
  for (const RunInput& input : inputs) summary.inputs.push_back(InputCount{input.name, 0, 0, 0});
  CsvDialect dialect{options.separator, '"'};
  std::vector<std::unique_ptr<CsvWriter>> writers;
  GroupedContext context{&program, &engine, params.data(), {}, {}, {}, files.bindings, {}, dialect, {}};
  std::vector<OutputFile*> outputs;
  for (size_t record = 0; record < run_records.size(); ++record) {
    if (run_records[record].columns == nullptr || run_records[record].path.empty()) {  // no outputs, or not asked for
      context.writers.push_back(nullptr);
      outputs.push_back(nullptr);
      continue;
    }
    writers.push_back(std::make_unique<CsvWriter>(*run_records[record].columns, dialect));
    context.writers.push_back(writers.back().get());
    outputs.push_back(files.outputs[record].get());
    std::string header;
    writers.back()->appendHeader(&header);
    outputs.back()->write(header);
  }
  if (!options.rejects_path.empty()) files.rejects.write("input,line,column,reason,record\n");
  for (const RunInput& input : inputs) {
    context.input_names.push_back(input.name);
    context.input_paths.push_back(input.path);
    context.input_programs.push_back(input.program);
    context.input_dialects.push_back(inputDialect(options, input));
  }
  GroupSink sink(inputs, outputs, options.rejects_path.empty() ? nullptr : &files.rejects, &summary);
  BatchLimits limits = batchLimits(options);
  GroupedPipeline pipeline(context, threadCount(options), inputs.size(), &sink);
  size_t records = 0;
  bool go_on = pipeline.start(&error) || sink.fail(error);
  for (Group group; go_on && files.source->next(&group, &error);) {
    addGroup(group, &pipeline.batch(), &records);
    if (records < limits.records && pipeline.batch().groups() < limits.groups) continue;
    go_on = pipeline.submit(&files.key_rejects);
    records = 0;
  }
  if (go_on && pipeline.batch().groups() > 0) go_on = pipeline.submit(&files.key_rejects);
  go_on = pipeline.finish() && go_on;
  if (go_on && !error.empty()) sink.fail(error);
  go_on = go_on && error.empty() && sink.consumeKeyRejects(&files.key_rejects);
  for (size_t input = 0; input < inputs.size() && go_on; ++input) {
    GroupInputStats stats = files.source->stats(input);
    InputCount& count = summary.inputs[input];
    count.rows_in = static_cast<int64_t>(stats.records_read);
    count.rows_rejected += static_cast<int64_t>(stats.records_rejected);
    if (inputs[input].shared) count.rows_out = count.rows_in;  // read by every group that was decided
    summary.rows_in += count.rows_in;
    summary.rows_rejected += count.rows_rejected;
  }
  summary.rows_out = 0;
  for (const InputCount& count : summary.inputs) summary.rows_out += count.rows_out;
  std::vector<OutputFile*> committed;
  for (OutputFile* output : outputs) {
    if (output != nullptr) committed.push_back(output);
  }
  if (!options.rejects_path.empty()) committed.push_back(&files.rejects);
  if (summary.exit_code == 0 && !commitTogether(committed, &error)) sink.fail(error);
  summary.tallies = pipeline.tally().result();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace regelwerk
