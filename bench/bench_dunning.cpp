// `bench_dunning [--rows N] [--repeats R] [--skip-interp] [--rules FILE]`: the dunning benchmark. Compares
// the JIT, the interpreter and the hand-written baseline end to end (CSV in, CSV out, one child
// process per run for a clean peak RSS) and on evaluation alone, checks every output against the
// reference, and prints a markdown table of medians. README.md beside this file explains each figure.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>

#include "bench/bench_support.hpp"
#include "bench/dunning_handwritten.hpp"
#include "bench/dunning_reference.hpp"
#include "runtime/exec/api.hpp"

namespace {

using namespace regelwerk;
using namespace regelwerk::dunning;
using regelwerk::bench::allThreads;
using regelwerk::bench::format;
using regelwerk::bench::loadAverage;
using regelwerk::bench::median;
using Clock = std::chrono::steady_clock;

constexpr size_t kBatchRows = 2048;  // the runtime's default batch size, for the evaluation-only loop

struct Options {
  int64_t rows = 1000000;
  int repeats = 5;
  bool skip_interp = false;
  std::string rules_path = RW_SOURCE_DIR "/examples/dunning/dunning.rules";
};

enum class Contender { Jit, Interp, Handwritten };
constexpr Contender kContenders[] = {Contender::Jit, Contender::Interp, Contender::Handwritten};

const char* contenderName(Contender contender) {
  switch (contender) {
    case Contender::Jit:
      return "jit";
    case Contender::Interp:
      return "interp";
    case Contender::Handwritten:
      return "hand-written";
  }
  return "?";
}

std::optional<Contender> contenderFromName(std::string_view name) {
  for (Contender contender : kContenders) {
    if (name == contenderName(contender)) return contender;
  }
  return std::nullopt;
}

double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- child side: one timed end-to-end run, reported as "seconds S" or "error MESSAGE" on stdout ----

std::unique_ptr<Engine> prepareEngine(const RuleSet& rules, EngineKind kind, std::string* error) {
  std::unique_ptr<Engine> engine = Engine::create(rules, kind, error);
  if (!engine && error->empty()) *error = "engine could not be created";
  return engine;
}

std::unique_ptr<RuleSet> loadRules(const std::string& path, std::string* error) {
  Diagnostics diagnostics;
  std::unique_ptr<RuleSet> rules = RuleSet::load(path, &diagnostics, error);
  if (!rules && error->empty()) *error = diagnostics.text;
  return rules;
}

// Runs the engine end to end; the rules are loaded and compiled before the clock starts.
bool runEngineOnce(const std::string& rules_path, EngineKind kind, int threads, const std::string& in,
                   const std::string& out, double* seconds, std::string* error) {
  std::unique_ptr<RuleSet> rules = loadRules(rules_path, error);
  if (!rules) return false;
  std::unique_ptr<Engine> engine = prepareEngine(*rules, kind, error);
  if (!engine) return false;
  RunOptions options;
  options.input_path = in;
  options.output_path = out;
  options.threads = threads;
  const Clock::time_point start = Clock::now();
  const RunSummary summary = run(*rules, *engine, options);
  *seconds = secondsSince(start);
  *error = summary.error;
  return summary.exit_code == 0;
}

// `bench_dunning --child CONTENDER THREADS RULES IN OUT`
// The child reports its own peak resident set (VmHWM), not getrusage's ru_maxrss: on Linux, exec folds
// the old address space's high-water mark into it, so a child forked from the benchmark (which holds
// the whole workload in memory) would report at least the benchmark's own size.
int64_t peakRssKib() { return regelwerk::bench::peakRssKibOfSelf(); }

// `idle` exits at once: its peak RSS is the floor every child starts from (this binary, loaded).
int childMain(char** argv) {
  if (std::string_view(argv[0]) == "idle")
    return std::printf("seconds 0 peak_rss_kib %lld\n", static_cast<long long>(peakRssKib())) < 0;
  const std::optional<Contender> contender = contenderFromName(argv[0]);
  const int threads = std::atoi(argv[1]);
  const std::string rules_path = argv[2], in = argv[3], out = argv[4];
  double seconds = 0;
  std::string error = contender ? "" : "unknown contender";
  bool ok = false;
  if (contender == Contender::Handwritten) {
    const HandwrittenRun run = runHandwritten(in, out, threads);
    ok = run.ok;
    seconds = run.seconds;
    error = run.error;
  } else if (contender) {
    const EngineKind kind = contender == Contender::Jit ? EngineKind::Jit : EngineKind::Interp;
    ok = runEngineOnce(rules_path, kind, threads, in, out, &seconds, &error);
  }
  std::replace(error.begin(), error.end(), '\n', ' ');
  if (ok) {
    std::printf("seconds %.9f peak_rss_kib %lld\n", seconds, static_cast<long long>(peakRssKib()));
  } else {
    std::printf("error %s\n", error.c_str());
  }
  return ok ? 0 : 1;
}

// ---- parent side: spawning children and the generator ----

struct ChildRun {
  bool ok = false;
  std::string error;
  double seconds = 0;
  double max_rss_mib = 0;
};

// One end-to-end run of `contender` ("jit", "interp", "hand-written" or "idle") in a fresh process
// (re-executing this program), so its peak RSS is its own and not the benchmark's.
ChildRun runChild(const std::string& contender, int threads, const Options& options, const std::string& in,
                  const std::string& out) {
  const std::vector<std::string> args = {"/proc/self/exe",   "--child", contender, std::to_string(threads),
                                         options.rules_path, in,        out};
  const regelwerk::bench::ProcessRun child = regelwerk::bench::runProcess(args);
  const int status = child.status;
  ChildRun result;
  std::istringstream lines(child.out);
  std::string word, rss_word;
  double rss_kib = 0;
  lines >> word;
  if (status == 0 && word == "seconds" && (lines >> result.seconds >> rss_word >> rss_kib)) {
    result.ok = true;
    result.max_rss_mib = rss_kib / 1024.0;
    return result;
  }
  std::getline(lines, result.error);
  if (result.error.empty()) result.error = "child exited with status " + std::to_string(status);
  return result;
}

bool generateInput(int64_t rows, const std::string& path, std::string* error) {
  const int status = regelwerk::bench::runProcess({RW_GEN_DUNNING, std::to_string(rows), "42"}, {path, ""}).status;
  if (status != 0) *error = std::string("generator `") + RW_GEN_DUNNING + "` failed";
  return status == 0;
}

// ---- checking outputs ----

// "ok" when the output file has the reference CHECKSUM and decides every row as the reference
// does; else what differs.
std::string checkOutput(const std::string& path, const std::vector<Invoice>& invoices,
                        const std::vector<Decision>& expected, const Checksum& expected_checksum) {
  std::vector<OutputRow> rows;
  std::string error;
  if (!readOutputRows(path, &rows, &error)) return error;
  Checksum checksum;
  for (const OutputRow& row : rows) checksum.add(row.decision);
  if (!(checksum == expected_checksum)) return "output has " + checksum.line();
  for (size_t row = 0; row < rows.size(); ++row) {
    if (rows[row].id != invoices[row].id || !(rows[row].decision == expected[row]))
      return "row id " + std::to_string(invoices[row].id) + " is `" +
             formatOutputRow(rows[row].id, rows[row].decision) + "`, expected `" +
             formatOutputRow(invoices[row].id, expected[row]) + "`";
  }
  return "ok";
}

// ---- evaluation only: columns as the engines see them ----

size_t bytesPerValue(ir::Kind kind) {
  switch (kind) {
    case ir::Kind::Bool:
      return 1;
    case ir::Kind::I64:
      return 8;
    case ir::Kind::Str:
      return sizeof(StrRef);
  }
  return 8;
}

// Columns over all rows; viewAt() points into them at a row, like a batch starting there.
class ColumnSet {
 public:
  void add(ir::Kind kind, bool optional, size_t rows) {
    kinds_.push_back(kind);
    values_.emplace_back((rows * bytesPerValue(kind) + 7) / 8);
    valid_.emplace_back(optional ? rows : 0, uint8_t{1});
  }
  ColumnView viewAt(size_t col, size_t row) {
    char* values = reinterpret_cast<char*>(values_[col].data()) + row * bytesPerValue(kinds_[col]);
    return ColumnView{values, valid_[col].empty() ? nullptr : valid_[col].data() + row};
  }
  int64_t* i64(size_t col) { return reinterpret_cast<int64_t*>(values_[col].data()); }
  uint8_t* boolean(size_t col) { return reinterpret_cast<uint8_t*>(values_[col].data()); }
  uint8_t* valid(size_t col) { return valid_[col].empty() ? nullptr : valid_[col].data(); }
  size_t size() const { return kinds_.size(); }

 private:
  std::vector<ir::Kind> kinds_;
  std::vector<std::vector<uint64_t>> values_;
  std::vector<std::vector<uint8_t>> valid_;
};

int64_t powerOfTen(int exponent) {
  int64_t result = 1;
  while (exponent-- > 0) result *= 10;
  return result;
}

// The dunning.md field read from CSV column `header`, as a number (dates in days, bools 0/1).
std::optional<int64_t> plainField(std::string_view header, const Invoice& invoice) {
  if (header == "id") return invoice.id;
  if (header == "amount_cents") return invoice.amount_cents;
  if (header == "paid_cents") return invoice.paid_cents;
  if (header == "due_date") return invoice.due_date;
  if (header == "last_notice_date") return invoice.last_notice_date;
  if (header == "dunning_level") return invoice.dunning_level;
  if (header == "disputed") return int64_t{invoice.disputed};
  return std::nullopt;
}

// The engine's value for input `column` of `invoice`, as the runtime's reader stores the CSV cell:
// money with format "cents" scaled to the type's places, dates in days, the enum as member index.
// False for a field or type this benchmark does not know.
bool engineValue(const ir::InputColumn& column, const Invoice& invoice, int64_t* value, bool* present) {
  const ir::Type& type = column.type;
  *present = column.header != "last_notice_date" || invoice.has_last_notice;
  if (column.header == "customer_type" && type.kind == ir::TypeKind::Enum) {
    auto member = std::find(type.members.begin(), type.members.end(), invoice.business ? "business" : "consumer");
    *value = member - type.members.begin();
    return member != type.members.end();
  }
  const std::optional<int64_t> field = plainField(column.header, invoice);
  if (!field) return false;
  switch (type.kind) {
    case ir::TypeKind::Int:
    case ir::TypeKind::Date:
    case ir::TypeKind::Bool:
      *value = *field;
      return true;
    case ir::TypeKind::Money:
      *value = *field * powerOfTen(type.scale - 2);
      return column.format == "cents" && type.scale >= 2;
    default:
      return false;
  }
}

bool fillEngineInputs(const ir::Program& program, const std::vector<Invoice>& invoices, ColumnSet* inputs,
                      std::string* error) {
  for (const ir::InputColumn& column : program.inputs) {
    const size_t col = inputs->size();
    inputs->add(ir::physicalKind(column.type), column.type.optional, invoices.size());
    for (size_t row = 0; row < invoices.size(); ++row) {
      int64_t value = 0;
      bool present = true;
      if (!engineValue(column, invoices[row], &value, &present)) {
        *error = "input `" + column.name + "` (" + ir::typeName(column.type) + ") is not a dunning.md column";
        return false;
      }
      if (column.type.kind == ir::TypeKind::Bool) inputs->boolean(col)[row] = static_cast<uint8_t>(value);
      if (column.type.kind != ir::TypeKind::Bool) inputs->i64(col)[row] = value;
      if (inputs->valid(col)) inputs->valid(col)[row] = present;
    }
  }
  return true;
}

// Reads the engine's output columns back as reference decisions (money to cents, enum to Action).
std::optional<Decision> decodeDecision(const ir::Program& program, ColumnSet& outputs, size_t row) {
  Decision decision;
  int found = 0;
  for (size_t col = 0; col < program.outputs.size(); ++col) {
    const ir::Output& output = program.outputs[col];
    const int64_t value = outputs.i64(col)[row];
    const int64_t cents_divisor = output.type.kind == ir::TypeKind::Money ? powerOfTen(output.type.scale - 2) : 1;
    if (output.name == "action") {
      auto name = std::find(kActionNames.begin(), kActionNames.end(), output.type.members.at(value));
      if (name == kActionNames.end()) return std::nullopt;
      decision.action = static_cast<Action>(name - kActionNames.begin());
    }
    if (output.name == "new_level") decision.new_level = value;
    if (output.name == "fee") decision.fee_cents = value / cents_divisor;
    if (output.name == "interest") decision.interest_cents = value / cents_divisor;
    found += output.name == "action" || output.name == "new_level" || output.name == "fee" || output.name == "interest";
  }
  return found == 4 ? std::optional<Decision>(decision) : std::nullopt;
}

// Seconds for one pass of `evaluator` over all rows in batches of kBatchRows.
double timeEngineEvaluate(const Evaluator& evaluator, const std::vector<ParamSlot>& params, ColumnSet& inputs,
                          ColumnSet& outputs, std::vector<RowError>& errors) {
  std::vector<ColumnView> in_views(inputs.size()), out_views(outputs.size());
  const size_t rows = errors.size();
  const Clock::time_point start = Clock::now();
  for (size_t row = 0; row < rows; row += kBatchRows) {
    for (size_t col = 0; col < inputs.size(); ++col) in_views[col] = inputs.viewAt(col, row);
    for (size_t col = 0; col < outputs.size(); ++col) out_views[col] = outputs.viewAt(col, row);
    evaluator.evaluate(in_views.data(), params.data(), out_views.data(), errors.data() + row,
                       static_cast<int64_t>(std::min(kBatchRows, rows - row)));
  }
  return secondsSince(start);
}

// The hand-written baseline's columns: the same layout, built from the reference parse.
struct HandwrittenColumns {
  std::vector<int64_t> id, customer_type, amount, paid, due, last_notice, level;
  std::vector<uint8_t> last_notice_valid, disputed;
  std::vector<int64_t> out_id, action, new_level, fee, interest;

  explicit HandwrittenColumns(const std::vector<Invoice>& invoices) {
    for (const Invoice& invoice : invoices) {
      id.push_back(invoice.id);
      customer_type.push_back(invoice.business);
      amount.push_back(invoice.amount_cents);
      paid.push_back(invoice.paid_cents);
      due.push_back(invoice.due_date);
      last_notice.push_back(invoice.last_notice_date);
      last_notice_valid.push_back(invoice.has_last_notice);
      level.push_back(invoice.dunning_level);
      disputed.push_back(invoice.disputed);
    }
    for (auto* column : {&out_id, &action, &new_level, &fee, &interest}) column->resize(invoices.size());
  }
  // Seconds for one pass of `evaluate` (evaluateColumns or evaluateColumnsVectorized) over all rows,
  // in batches of kBatchRows as the engines get them.
  double timeEvaluate(void (*evaluate)(const InvoiceColumns&, const DecisionColumns&, int64_t)) {
    const size_t rows = id.size();
    const Clock::time_point start = Clock::now();
    for (size_t row = 0; row < rows; row += kBatchRows) {
      const InvoiceColumns in{&id[row],          &customer_type[row],     &amount[row], &paid[row],    &due[row],
                              &last_notice[row], &last_notice_valid[row], &level[row],  &disputed[row]};
      const DecisionColumns out{&out_id[row], &action[row], &new_level[row], &fee[row], &interest[row]};
      evaluate(in, out, static_cast<int64_t>(std::min(kBatchRows, rows - row)));
    }
    return secondsSince(start);
  }
  Decision decision(size_t row) const {
    return Decision{static_cast<Action>(action[row]), new_level[row], fee[row], interest[row]};
  }
};

// ---- the measurements ----

struct Figures {
  std::vector<double> e2e_seconds[2];  // [0]: 1 thread, [1]: all threads
  double e2e_rss_mib[2] = {0, 0};
  std::string e2e_check[2] = {"not run", "not run"};
  std::vector<double> eval_seconds;
  std::string eval_check = "not run";
  std::vector<double> eval_vectorized_seconds;  // the hand-written contender only
  std::string eval_vectorized_check = "not run";
  std::vector<double> compile_ms;
};

using FigureTable = std::map<Contender, Figures>;

struct Workload {
  std::string dir, input;
  std::vector<Invoice> invoices;
  std::vector<Decision> expected;
  Checksum checksum;
};

// Round-robin over the contenders, one child per run, so machine noise hits all of them alike.
void measureEndToEnd(const Options& options, const Workload& workload, const std::vector<Contender>& contenders,
                     FigureTable* table) {
  const int thread_counts[2] = {1, 0};
  for (int repeat = 0; repeat < options.repeats; ++repeat) {
    for (Contender contender : contenders) {
      for (int config = 0; config < 2; ++config) {
        Figures& figures = (*table)[contender];
        const std::string out = workload.dir + "/out_" + contenderName(contender) + ".csv";
        std::fprintf(stderr, "\rend to end: run %d of %d, %s, %d thread(s)   ", repeat + 1, options.repeats,
                     contenderName(contender), config == 0 ? 1 : allThreads());
        const ChildRun child = runChild(contenderName(contender), thread_counts[config], options, workload.input, out);
        figures.e2e_rss_mib[config] = std::max(figures.e2e_rss_mib[config], child.max_rss_mib);
        if (!child.ok) {
          figures.e2e_check[config] = child.error;
          continue;
        }
        figures.e2e_seconds[config].push_back(child.seconds);
        if (repeat == 0)
          figures.e2e_check[config] = checkOutput(out, workload.invoices, workload.expected, workload.checksum);
        std::filesystem::remove(out);
      }
    }
  }
}

std::string checkEngineColumns(const ir::Program& program, ColumnSet& outputs, const std::vector<RowError>& errors,
                               const std::vector<Decision>& expected) {
  for (size_t row = 0; row < expected.size(); ++row) {
    if (errors[row].code != 0)
      return "row " + std::to_string(row + 1) + " rejected, code " + std::to_string(errors[row].code);
    const std::optional<Decision> decision = decodeDecision(program, outputs, row);
    if (!decision) return "outputs action, new_level, fee, interest not all found";
    if (!(*decision == expected[row])) return "row id " + std::to_string(row + 1) + " differs";
  }
  return "ok";
}

// Times Evaluator::evaluate of one engine over the whole workload, and checks its outputs once.
void measureEngineEvaluation(const Options& options, const RuleSet& rules, EngineKind kind, const Workload& workload,
                             Figures* figures) {
  std::string error;
  std::unique_ptr<Engine> engine = prepareEngine(rules, kind, &error);
  const ir::Program& program = rules.program();
  std::vector<ParamSlot> params;
  std::vector<std::string> storage;
  ColumnSet inputs, outputs;
  if (!engine || !bindParams(program, {}, &params, &storage, &error) ||
      !fillEngineInputs(program, workload.invoices, &inputs, &error)) {
    figures->eval_check = error;
    return;
  }
  for (const ir::Output& output : program.outputs)
    outputs.add(ir::physicalKind(output.type), output.type.optional, workload.invoices.size());
  std::vector<RowError> errors(workload.invoices.size());
  for (int repeat = 0; repeat < options.repeats; ++repeat)
    figures->eval_seconds.push_back(timeEngineEvaluate(engine->evaluator(), params, inputs, outputs, errors));
  figures->eval_check = checkEngineColumns(program, outputs, errors, workload.expected);
}

// "ok", or the first row whose decision differs from the reference.
std::string checkHandwritten(const HandwrittenColumns& columns, const Workload& workload) {
  for (size_t row = 0; row < workload.expected.size(); ++row) {
    if (!(columns.decision(row) == workload.expected[row])) return "row id " + std::to_string(row + 1) + " differs";
  }
  return "ok";
}

// The scalar loop (the hand-written column), then the vectorised one, interleaved repeat by repeat.
void measureHandwrittenEvaluation(const Options& options, const Workload& workload, Figures* figures) {
  HandwrittenColumns columns(workload.invoices);
  for (int repeat = 0; repeat < options.repeats; ++repeat) {
    figures->eval_seconds.push_back(columns.timeEvaluate(evaluateColumns));
    if (repeat == 0) figures->eval_check = checkHandwritten(columns, workload);
    figures->eval_vectorized_seconds.push_back(columns.timeEvaluate(evaluateColumnsVectorized));
    if (repeat == 0) figures->eval_vectorized_check = checkHandwritten(columns, workload);
  }
}

void measureCompile(const Options& options, const RuleSet& rules, Figures* figures) {
  for (int repeat = 0; repeat < options.repeats; ++repeat) {
    std::string error;
    std::unique_ptr<Engine> engine = prepareEngine(rules, EngineKind::Jit, &error);
    if (engine) figures->compile_ms.push_back(engine->compileMillis());
  }
}

void measureInProcess(const Options& options, const Workload& workload, const std::vector<Contender>& contenders,
                      FigureTable* table) {
  std::string error;
  std::unique_ptr<RuleSet> rules = loadRules(options.rules_path, &error);
  std::fprintf(stderr, "\nevaluation only and compile time\n");
  for (Contender contender : contenders) {
    Figures& figures = (*table)[contender];
    if (contender == Contender::Handwritten) {
      measureHandwrittenEvaluation(options, workload, &figures);
    } else if (!rules) {
      figures.eval_check = error;
    } else {
      const EngineKind kind = contender == Contender::Jit ? EngineKind::Jit : EngineKind::Interp;
      measureEngineEvaluation(options, *rules, kind, workload, &figures);
      if (kind == EngineKind::Jit) measureCompile(options, *rules, &figures);
    }
  }
}

// ---- the report ----

// "7.81 M (7.10–8.02)": median records/s over the runs, with the range.
std::string recordsPerSecond(const std::vector<double>& seconds, int64_t rows) {
  if (seconds.empty()) return "–";
  const auto [fastest, slowest] = std::minmax_element(seconds.begin(), seconds.end());
  const double scale = static_cast<double>(rows) / 1e6;
  return format("%.2f M", scale / median(seconds)) + format(" (%.2f", scale / *slowest) +
         format("–%.2f)", scale / *fastest);
}

std::string nsPerRecord(const std::vector<double>& seconds, int64_t rows) {
  if (seconds.empty()) return "–";
  const auto [fastest, slowest] = std::minmax_element(seconds.begin(), seconds.end());
  const double scale = 1e9 / static_cast<double>(rows);
  return format("%.1f", median(seconds) * scale) + format(" (%.1f", *fastest * scale) +
         format("–%.1f)", *slowest * scale);
}

// How many times longer the JIT takes than the hand-written code (median against median).
std::string timeRatio(const std::vector<double>& jit, const std::vector<double>& handwritten) {
  if (jit.empty() || handwritten.empty()) return "–";
  return format("%.2f×", median(jit) / median(handwritten));
}

void printRow(const std::string& label, const FigureTable& table,
              const std::function<std::string(const Figures&)>& cell, const std::string& ratio) {
  std::printf("| %s |", label.c_str());
  for (Contender contender : kContenders) {
    auto found = table.find(contender);
    std::printf(" %s |", found == table.end() ? "skipped" : cell(found->second).c_str());
  }
  std::printf(" %s |\n", ratio.c_str());
}

std::string checkCell(const std::string& check) {
  return check == "ok" ? "ok" : "**FAIL**";
}

void printTable(const Options& options, const FigureTable& table, double idle_rss_mib) {
  const Figures& jit = table.at(Contender::Jit);
  const Figures& hand = table.at(Contender::Handwritten);
  const std::string all = std::to_string(allThreads());
  std::printf("| measurement | jit | interp | hand-written | jit time ÷ hand-written time |\n|---|--:|--:|--:|--:|\n");
  for (int config = 0; config < 2; ++config) {
    const std::string threads = config == 0 ? "1 thread" : all + " threads";
    printRow(
        "end to end, " + threads + ", records/s", table,
        [&](const Figures& f) { return recordsPerSecond(f.e2e_seconds[config], options.rows); },
        timeRatio(jit.e2e_seconds[config], hand.e2e_seconds[config]));
  }
  for (int config = 0; config < 2; ++config) {
    const std::string threads = config == 0 ? "1 thread" : all + " threads";
    printRow(
        "peak RSS end to end, " + threads + ", MiB", table,
        [&](const Figures& f) { return f.e2e_rss_mib[config] > 0 ? format("%.0f", f.e2e_rss_mib[config]) : "–"; }, "");
  }
  printRow(
      "evaluation only, 1 thread, ns/record", table,
      [&](const Figures& f) { return nsPerRecord(f.eval_seconds, options.rows); },
      timeRatio(jit.eval_seconds, hand.eval_seconds));
  std::printf("| evaluation only against the vectorised hand-written loop (-O3 -march=native), ns/record | %s | – | %s | %s |\n",
              nsPerRecord(jit.eval_seconds, options.rows).c_str(), nsPerRecord(hand.eval_vectorized_seconds, options.rows).c_str(),
              timeRatio(jit.eval_seconds, hand.eval_vectorized_seconds).c_str());
  printRow(
      "JIT compile, ms", table,
      [&](const Figures& f) { return f.compile_ms.empty() ? "–" : format("%.1f", median(f.compile_ms)); }, "");
  printRow(
      "output = reference, every row", table,
      [&](const Figures& f) {
        std::string cells = checkCell(f.e2e_check[0]) + " / " + checkCell(f.e2e_check[1]) + " / " + checkCell(f.eval_check);
        return f.eval_vectorized_check == "not run" ? cells : cells + " / " + checkCell(f.eval_vectorized_check);
      },
      "");
  std::printf(
      "\nPeak RSS includes %.0f MiB that every child has before doing anything (this binary, LLVM "
      "linked in, loaded and initialised).\n",
      idle_rss_mib);
}

void printFailures(const FigureTable& table) {
  for (const auto& [contender, figures] : table) {
    const std::pair<const char*, const std::string*> checks[] = {{"end to end, 1 thread", &figures.e2e_check[0]},
                                                                 {"end to end, all threads", &figures.e2e_check[1]},
                                                                 {"evaluation only", &figures.eval_check},
                                                                 {"evaluation only, vectorised", &figures.eval_vectorized_check}};
    for (const auto& [what, check] : checks) {
      const bool vectorized_not_run = check == &figures.eval_vectorized_check && *check == "not run";  // engines
      if (*check != "ok" && !vectorized_not_run) std::printf("- %s, %s: %s\n", contenderName(contender), what, check->c_str());
    }
  }
}

bool allChecksPass(const FigureTable& table) {
  for (const auto& [contender, figures] : table) {
    if (figures.e2e_check[0] != "ok" || figures.e2e_check[1] != "ok" || figures.eval_check != "ok") return false;
    if (figures.eval_vectorized_check != "ok" && figures.eval_vectorized_check != "not run") return false;
  }
  return true;
}

void printHeader(const Options& options, const Workload& workload) {
  char date[32];
  const std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof date, "%Y-%m-%d %H:%M", std::localtime(&now));
  std::printf("## dunning: %lld rows (seed 42), median of %d runs (range in parentheses)\n\n",
              static_cast<long long>(options.rows), options.repeats);
  std::printf("%s; %d hardware threads; load average at start %s\n\n", date, allThreads(), loadAverage().c_str());
  const std::string_view documented = documentedChecksum(options.rows);
  std::printf("reference: `%s`%s\n\n", workload.checksum.line().c_str(),
              documented.empty()                       ? " (dunning.md lists no checksum for this size)"
              : documented == workload.checksum.line() ? " (= dunning.md)"
                                                       : " (**differs from dunning.md**)");
}

// ---- driver ----

bool parseOptions(int argc, char** argv, Options* options) {
  for (int arg = 1; arg < argc; ++arg) {
    const std::string name = argv[arg];
    const bool has_value = arg + 1 < argc;
    if (name == "--rows" && has_value) {
      options->rows = std::atoll(argv[++arg]);
    } else if (name == "--repeats" && has_value) {
      options->repeats = std::atoi(argv[++arg]);
    } else if (name == "--rules" && has_value) {
      options->rules_path = argv[++arg];
    } else if (name == "--skip-interp") {
      options->skip_interp = true;
    } else {
      return false;
    }
  }
  return options->rows > 0 && options->repeats > 0;
}

bool prepareWorkload(const Options& options, Workload* workload, std::string* error) {
  char dir_template[] = "/tmp/bench_dunning.XXXXXX";
  if (!::mkdtemp(dir_template)) {
    *error = "cannot create a temporary directory";
    return false;
  }
  workload->dir = dir_template;
  workload->input = workload->dir + "/invoices.csv";
  if (!generateInput(options.rows, workload->input, error)) return false;
  if (!readInvoices(workload->input, &workload->invoices, error)) return false;
  for (const Invoice& invoice : workload->invoices) {
    workload->expected.push_back(decide(invoice));
    workload->checksum.add(workload->expected.back());
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 7 && std::string(argv[1]) == "--child") return childMain(argv + 2);
  Options options;
  if (!parseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: bench_dunning [--rows N=1000000] [--repeats R=5] [--skip-interp] [--rules FILE]\n");
    return 2;
  }
  Workload workload;
  std::string error;
  if (!prepareWorkload(options, &workload, &error)) {
    std::fprintf(stderr, "bench_dunning: %s\n", error.c_str());
    return 2;
  }
  std::vector<Contender> contenders = {Contender::Jit, Contender::Interp, Contender::Handwritten};
  if (options.skip_interp) contenders.erase(contenders.begin() + 1);
  FigureTable table;
  measureEndToEnd(options, workload, contenders, &table);
  const double idle_rss_mib = runChild("idle", 1, options, workload.input, workload.dir + "/idle_writes_nothing.csv").max_rss_mib;
  measureInProcess(options, workload, contenders, &table);
  std::filesystem::remove_all(workload.dir);
  printHeader(options, workload);
  printTable(options, table, idle_rss_mib);
  printFailures(table);
  return allChecksPass(table) ? 0 : 1;
}
