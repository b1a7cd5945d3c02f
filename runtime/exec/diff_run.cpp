// regelwerk::diffRun: the input read once in chunks; workers parse each chunk once and evaluate both
// versions on each batch (OrderedPipeline, as `run`); the calling thread adds up the chunks' counts in
// input order and keeps the first changed records, which are explained with the interpreter at the end.
#include "runtime/exec/diff_run.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "diff_plan.hpp"
#include "diff_record.hpp"
#include "diff_worker.hpp"
#include "ordered_pipeline.hpp"
#include "run_checks.hpp"
#include "runtime/io/csv_chunker.hpp"
#include "tally.hpp"

namespace regelwerk {

namespace {

constexpr int kExitSame = 0;
constexpr int kExitChanged = 1;
constexpr int kExitInput = 2;

DiffSummary failed(std::string error) {
  DiffSummary summary;
  summary.exit_code = kExitInput;
  summary.error = std::move(error);
  return summary;
}

// What each version is run with: the checks of `run` (bounds, separator, files named twice, with the
// report as the output), and no keyed inputs.
bool checkVersion(const RuleSet& rules, const DiffOptions& options, std::string* error) {
  if (rules.program().grouping) {
    *error = rules.path() +
             " has keyed inputs; `regelwerk diff` compares rule sets that decide one record at a "
             "time (docs/diff.md): run both versions and compare their outputs";
    return false;
  }
  RunOptions run;
  run.input_path = options.input_path;
  run.output_path = options.report_path.empty() ? "-" : options.report_path;
  run.threads = options.threads;
  run.batch_size = options.batch_size;
  run.separator = options.separator;
  return checkRun(rules, run, error);
}

bool declares(const ir::Program& program, const std::string& name) {
  return std::any_of(program.params.begin(), program.params.end(), [&](const ir::Param& p) { return p.name == name; });
}

// `--param wait=21 days` goes to each version that declares `wait`; a name neither declares is a mistake.
bool bindVersionParams(const std::vector<std::pair<std::string, std::string>>& given, DiffPlan* plan,
                       std::string* error) {
  const ir::Program& old_program = *plan->versions[kOld].program;
  const ir::Program& new_program = *plan->versions[kNew].program;
  for (const auto& [name, value] : given) {
    if (declares(old_program, name) || declares(new_program, name)) continue;
    *error = "unknown --param `" + name + "`: neither " + old_program.source_path + " nor " + new_program.source_path +
             " declares it";
    return false;
  }
  for (DiffVersion& version : plan->versions) {
    std::vector<std::pair<std::string, std::string>> own;
    for (const auto& pair : given) {
      if (declares(*version.program, pair.first)) own.push_back(pair);
    }
    if (bindParams(*version.program, own, &version.params, &version.param_storage, error)) continue;
    *error = version.program->source_path + ": " + *error;
    return false;
  }
  return true;
}

int openInput(const std::string& path, std::string* error) {
  if (path == "-") return STDIN_FILENO;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) *error = "cannot open input `" + path + "`: " + std::strerror(errno);
  return fd;
}

// The header read once; each version must find its columns in it (the message names the version).
bool bindHeaders(CsvChunker* chunker, const std::string& input_path, DiffPlan* plan, std::string* error) {
  std::vector<std::string> header;
  if (!chunker->readHeader(&header, error)) return *error = input_path + ": " + *error, false;
  for (DiffVersion& version : plan->versions) {
    if (bindHeader(version.program->inputs, header, &version.binding, error)) continue;
    *error = input_path + ": " + *error + " (" + version.program->source_path + " reads it)";
    return false;
  }
  planColumns(plan);
  return bindHeader(plan->inputs, header, &plan->binding, error);
}

struct DiffJob {
  Chunk chunk;
  DiffChunkResult result;
};

// What the pass adds up: the counts and samples in input order, the workers' tallies merged.
struct PassResult {
  DiffCounts counts;
  std::vector<SampleRecord> samples;
  std::unique_ptr<DiffTally> tally;
  std::string error;
};

PassResult runPass(const DiffPlan& plan, CsvChunker* chunker, int threads) {
  PassResult pass;
  pass.tally = std::make_unique<DiffTally>(plan);
  std::vector<std::unique_ptr<DiffWorker>> workers;
  for (int worker = 0; worker < threads; ++worker) workers.push_back(std::make_unique<DiffWorker>(plan));
  std::vector<DiffJob> jobs(OrderedPipeline::slotsFor(threads));
  OrderedPipeline pipeline(
      threads, [&](size_t worker, size_t slot) { workers[worker]->process(jobs[slot].chunk, &jobs[slot].result); },
      [&](size_t slot) {
        const DiffChunkResult& result = jobs[slot].result;
        pass.counts.add(result.counts);
        for (const SampleRecord& sample : result.samples) {
          if (pass.samples.size() < plan.sample_limit) pass.samples.push_back(sample);
        }
        return true;
      });
  if (!pipeline.start(&pass.error)) return pass;
  size_t slot = 0;
  while (chunker->next(&jobs[slot].chunk, &pass.error) && pipeline.submit(&slot)) {
  }
  pipeline.finish();
  for (const std::unique_ptr<DiffWorker>& worker : workers) pass.tally->merge(worker->tally());
  return pass;
}

std::string typeChange(const ir::Type& old_type, const ir::Type& new_type) {
  if (old_type.required() == new_type.required()) return "";
  return ir::typeName(old_type) + " → " + ir::typeName(new_type);
}

// Per shared output: the changed records and each value pair, most first (sorted by value on ties).
void summarizeOutputs(const DiffPlan& plan, const DiffTally& tally, DiffSummary* summary) {
  for (size_t index = 0; index < plan.pairs.size(); ++index) {
    const OutputPair& pair = plan.pairs[index];
    const ir::Type& old_type = plan.versions[kOld].program->outputs[pair.old_output].type;
    const ir::Type& new_type = plan.versions[kNew].program->outputs[pair.new_output].type;
    OutputChange change{pair.name, typeChange(old_type, new_type), tally.changed[index], {}};
    for (size_t from = 0; from < pair.old_values; ++from) {
      for (size_t to = 0; to < pair.new_values; ++to) {
        int64_t records = tally.transitions[index][from * pair.new_values + to];
        if (records > 0)
          change.transitions.push_back({countedValueName(old_type, from), countedValueName(new_type, to), records});
      }
    }
    for (const auto& [key, records] : tally.value_pairs[index]) {
      change.transitions.push_back({valueText(old_type, CellValue{key.old_value, {}, !key.old_present}),
                                    valueText(new_type, CellValue{key.new_value, {}, !key.new_present}), records});
    }
    change.too_many_pairs = tally.too_many_pairs[index] != 0;
    std::stable_sort(change.transitions.begin(), change.transitions.end(),
                     [](const ValueTransition& a, const ValueTransition& b) { return a.records > b.records; });
    summary->outputs.push_back(std::move(change));
  }
}

__int128 rescale(__int128 sum, int from_scale, int to_scale) {
  for (int place = from_scale; place < to_scale; ++place) sum *= 10;
  return sum;
}

std::string signedSum(__int128 sum, int scale) {
  return (sum > 0 ? "+" : "") + formatSum(sum, scale);
}

int findMoney(const DiffVersion& version, const std::string& name) {
  for (size_t money = 0; money < version.money_outputs.size(); ++money) {
    if (version.program->outputs[version.money_outputs[money]].name == name) return static_cast<int>(money);
  }
  return -1;
}

// Example: fee 1,000.00 in the old version, 1,250.00 in the new one: difference +250.00. Sums of
// different scales are compared at the larger one.
void summarizeMoney(const DiffPlan& plan, const DiffTally& tally, DiffSummary* summary) {
  const DiffVersion& old_side = plan.versions[kOld];
  const DiffVersion& new_side = plan.versions[kNew];
  for (size_t money = 0; money < old_side.money_outputs.size(); ++money) {
    const ir::Output& output = old_side.program->outputs[old_side.money_outputs[money]];
    MoneyChange change{output.name, formatSum(tally.sums[kOld][money], output.type.scale), "", ""};
    int other = findMoney(new_side, output.name);
    if (other >= 0) {
      int new_scale = new_side.program->outputs[new_side.money_outputs[static_cast<size_t>(other)]].type.scale;
      int scale = std::max(output.type.scale, new_scale);
      __int128 new_sum = tally.sums[kNew][static_cast<size_t>(other)];
      change.new_total = formatSum(new_sum, new_scale);
      change.difference = signedSum(
          rescale(new_sum, new_scale, scale) - rescale(tally.sums[kOld][money], output.type.scale, scale), scale);
    }
    summary->money.push_back(std::move(change));
  }
  for (size_t money = 0; money < new_side.money_outputs.size(); ++money) {
    const ir::Output& output = new_side.program->outputs[new_side.money_outputs[money]];
    if (findMoney(old_side, output.name) >= 0) continue;
    summary->money.push_back({output.name, "", formatSum(tally.sums[kNew][money], output.type.scale), ""});
  }
}

void summarizeRejects(const DiffTally& tally, DiffSummary* summary) {
  for (const auto& [key, records] : tally.rejects) summary->rejects.push_back({key.first, key.second, records});
  std::stable_sort(summary->rejects.begin(), summary->rejects.end(), [](const RejectChange& a, const RejectChange& b) {
    return a.now_rejected != b.now_rejected ? a.now_rejected : a.records > b.records;
  });
}

std::string outcomeText(const ir::Program& program, const RecordOutcome& outcome) {
  // A rejected record's trace ends with the reason (`rejected: …`); a record the parser rejects has none.
  if (outcome.rejected) return outcome.explanation.empty() ? "rejected: " + outcome.reason : outcome.explanation;
  std::string text;
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    text += (output == 0 ? "" : ", ") + program.outputs[output].name + " = " + outcome.outputs[output];
  }
  return outcome.explanation.empty() ? text : text + "\n" + outcome.explanation;
}

// The first changed records, decided again by the interpreter with its trace: what changed, and which
// rules decided each version's outcome.
bool explainSamples(const RuleSet& old_rules, const RuleSet& new_rules, const DiffPlan& plan,
                    const std::vector<SampleRecord>& samples, DiffSummary* summary, std::string* error) {
  if (samples.empty()) return true;
  std::array<const RuleSet*, 2> rules{&old_rules, &new_rules};
  std::array<std::unique_ptr<Engine>, 2> engines;
  std::array<std::unique_ptr<SingleRecord>, 2> deciders;
  for (size_t version : {kOld, kNew}) {
    engines[version] = Engine::create(*rules[version], EngineKind::Interp, error);
    if (!engines[version]) return false;
    deciders[version] = std::make_unique<SingleRecord>(plan.versions[version], plan.dialect);
  }
  for (const SampleRecord& sample : samples) {
    std::array<RecordOutcome, 2> outcomes;
    for (size_t version : {kOld, kNew}) {
      outcomes[version] =
          deciders[version]->decide(sample.text, sample.line, engines[version]->evaluator(), rules[version]);
    }
    ChangedRecord record{sample.line,
                         sample.text,
                         {},
                         outcomeText(*plan.versions[kOld].program, outcomes[kOld]),
                         outcomeText(*plan.versions[kNew].program, outcomes[kNew])};
    if (outcomes[kOld].rejected != outcomes[kNew].rejected) {
      record.changes.push_back(outcomes[kNew].rejected ? "accepted → rejected: " + outcomes[kNew].reason
                                                       : "rejected → accepted: " + outcomes[kOld].reason);
    }
    for (size_t pair = 0; pair < plan.pairs.size() && !outcomes[kOld].rejected && !outcomes[kNew].rejected; ++pair) {
      const std::string& from = outcomes[kOld].outputs[plan.pairs[pair].old_output];
      const std::string& to = outcomes[kNew].outputs[plan.pairs[pair].new_output];
      if (from != to) record.changes.push_back(plan.pairs[pair].name + ": " + from + " → " + to);
    }
    summary->samples.push_back(std::move(record));
  }
  return true;
}

DiffPlan makePlan(const RuleSet& old_rules, const Engine& old_engine, const RuleSet& new_rules,
                  const Engine& new_engine, const DiffOptions& options) {
  DiffPlan plan;
  plan.versions[kOld].program = &old_rules.program();
  plan.versions[kOld].evaluator = &old_engine.evaluator();
  plan.versions[kNew].program = &new_rules.program();
  plan.versions[kNew].evaluator = &new_engine.evaluator();
  plan.dialect = CsvDialect{options.separator, '"'};
  plan.batch_size = std::min(effectiveBatchSize(old_rules.program(), options.batch_size),
                             effectiveBatchSize(new_rules.program(), options.batch_size));
  plan.sample_limit = options.sample_limit;
  return plan;
}

void copyCounts(const DiffCounts& counts, DiffSummary* summary) {
  summary->rows_in = counts.rows_in;
  summary->unchanged = counts.unchanged;
  summary->changed = counts.changed;
  summary->accepted_rejected = counts.accepted_rejected;
  summary->rejected_accepted = counts.rejected_accepted;
  summary->rejected_both = counts.rejected_both;
  bool any = counts.changed + counts.accepted_rejected + counts.rejected_accepted > 0;
  summary->exit_code = any ? kExitChanged : kExitSame;
}

}  // namespace

DiffSummary diffRun(const RuleSet& old_rules, const Engine& old_engine, const RuleSet& new_rules,
                    const Engine& new_engine, const DiffOptions& options) {
  auto started = std::chrono::steady_clock::now();
  std::string error;
  if (!checkVersion(old_rules, options, &error) || !checkVersion(new_rules, options, &error)) return failed(error);
  DiffPlan plan = makePlan(old_rules, old_engine, new_rules, new_engine, options);
  if (!bindVersionParams(options.params, &plan, &error)) return failed(error);
  int fd = openInput(options.input_path, &error);
  if (fd < 0) return failed(error);
  CsvChunker chunker(fd, plan.dialect);
  if (!bindHeaders(&chunker, options.input_path, &plan, &error)) {
    if (fd != STDIN_FILENO) ::close(fd);
    return failed(error);
  }
  RunOptions thread_options;
  thread_options.threads = options.threads;
  PassResult pass = runPass(plan, &chunker, threadCount(thread_options));
  if (fd != STDIN_FILENO) ::close(fd);
  if (!pass.error.empty()) return failed(pass.error);
  DiffSummary summary;
  copyCounts(pass.counts, &summary);
  summary.only_old = plan.only_old;
  summary.only_new = plan.only_new;
  summarizeOutputs(plan, *pass.tally, &summary);
  summarizeMoney(plan, *pass.tally, &summary);
  summarizeRejects(*pass.tally, &summary);
  if (!explainSamples(old_rules, new_rules, plan, pass.samples, &summary, &error)) return failed(error);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary;
}

}  // namespace regelwerk
