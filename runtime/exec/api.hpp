// The engine's internal C++ API: load a rule file, pick an engine, run CSV files or batches, run tests.
// The command, the tests and the benchmarks use it; integrators use the public include/regelwerk/regelwerk.hpp
// (namespace regelwerk::api), which is built on it. No ANTLR or LLVM type appears here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/evaluator.hpp"

namespace regelwerk {

enum class EngineKind { Jit, Interp };

// Rendered diagnostics (`file:line:col: error[E…]: …` with source line and caret) and their count.
struct Diagnostics {
  std::string text;
  size_t errors = 0;
};

struct LoadOptions {
  // Also merge the `X.test.rules` beside `X.rules`, if there is one (what `regelwerk test` does).
  bool with_test_file = false;
};

// A parsed, checked and lowered rule file, with the modules it uses and the CSV files of its tables
// (read at compile time). A `tests for "X.rules"` file loads X.rules with those tests.
class RuleSet {
 public:
  // Reads `path`. Returns null when the file cannot be read (`io_error` says why) or has errors
  // (`diagnostics` has them).
  static std::unique_ptr<RuleSet> load(const std::string& path, Diagnostics* diagnostics, std::string* io_error);
  // The same for text already in memory; `path` is used in messages.
  static std::unique_ptr<RuleSet> fromText(const std::string& path, std::string text, Diagnostics* diagnostics);
  static std::unique_ptr<RuleSet> load(const std::string& path, Diagnostics* diagnostics, std::string* io_error,
                                       const LoadOptions& options);
  static std::unique_ptr<RuleSet> fromText(const std::string& path, std::string text, Diagnostics* diagnostics,
                                           const LoadOptions& options);
  ~RuleSet();

  const ir::Program& program() const;
  const std::string& path() const;
  // The text of every file read, for rendering diagnostics found after loading (runtime/analysis).
  const SourceManager& sources() const;
  // Every file the rule set was read from: the rule file, its modules, its table files, its test file.
  std::vector<std::string> files() const;
  std::string dumpAst() const;
  std::string dumpIr() const;

 private:
  struct State;
  explicit RuleSet(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// A rule set prepared for one engine: the interpreter, or native code from the JIT.
class Engine {
 public:
  // Returns null and sets `error` if the JIT cannot compile (an internal error, reported as such).
  static std::unique_ptr<Engine> create(const RuleSet& rules, EngineKind kind, std::string* error);
  virtual ~Engine() = default;
  virtual const Evaluator& evaluator() const = 0;
  // A grouped rule set's stage program `stage` (ir::Grouping::stagePrograms); null for other rule sets.
  virtual const Evaluator* stageEvaluator(size_t stage) const = 0;
  virtual EngineKind kind() const = 0;
  // Time from IR to callable code (0 for the interpreter).
  virtual double compileMillis() const = 0;
};

// LLVM IR of the rule set after optimisation, for --dump=llvm.
std::string dumpLlvm(const RuleSet& rules, std::string* error);

// Resolves `--param name=value` pairs against the rule set's params (defaults fill the rest).
// Returns false with `error` set for an unknown name, a value that does not parse, or a missing one.
bool bindParams(const ir::Program& program, const std::vector<std::pair<std::string, std::string>>& given,
                std::vector<ParamSlot>* slots, std::vector<std::string>* storage, std::string* error);

inline constexpr int kMaxThreads = 1024;
inline constexpr size_t kMaxBatchSize = size_t{1} << 20;

// What run() writes, and how. run() refuses (exit code 2, one line, before reading anything) options out
// of range, a separator that could stand in unquoted values, a folder, and one file named twice (compared
// by device and inode: output, rejects, input and the rule set's files).
struct RunOptions {
  std::string input_path;    // "-" reads standard input
  std::string output_path;   // "-" writes standard output
  std::string rejects_path;  // empty: stop at the first rejected row
  std::vector<std::pair<std::string, std::string>> params;
  int threads = 0;           // 0: all cores; at most kMaxThreads
  size_t batch_size = 2048;  // 1 to kMaxBatchSize; lowered where the batch would exceed its memory budget
  char separator = ',';  // the rule file's `input X separator ";"` is in declaredSeparator()
  // A grouped run splits an input that declares a separator at that one, unless this is set
  // (`--separator` given: it applies to every input and output).
  bool separator_given = false;
  // A rule set with keyed inputs (docs/groups.md) reads one file per input, by the input's name:
  // {"Estate", "estates.csv"}, {"Claim", "claims.csv"} ("-" for standard input); input_path stays empty.
  std::vector<std::pair<std::string, std::string>> named_inputs;
  size_t memory_limit = size_t{256} << 20;  // bytes of records an unsorted grouped input may hold in memory
  // A grouped rule set writes one file per output record (`per k as Totals`, `each Claim as Payout`):
  // {"Payout", "payouts.csv"}; output_path stays empty. One record may also use output_path.
  std::vector<std::pair<std::string, std::string>> named_outputs;
};

// The separator the rule file declares (`input Client separator ";"`), else ','. A run uses it unless
// told otherwise (`--separator`): set RunOptions::separator from it.
char declaredSeparator(const RuleSet& rules);

// What a run produced per output, for the summary an analyst reads after a run: counts per value of
// every enum and bool output, and the exact sum of every money output.
struct OutputTally {
  std::string output;
  std::vector<std::pair<std::string, int64_t>> counts;  // enum members / false, true, in declaration order
  std::string sum;                                      // money outputs: the exact sum, e.g. "1234.50"
};

// Per input of a grouped run: records read = records in decided groups + records rejected.
struct InputCount {
  std::string name;
  int64_t rows_in = 0;
  int64_t rows_out = 0;
  int64_t rows_rejected = 0;
};

struct RunSummary {
  int exit_code = 0;         // 0 ok, 2 input error or a rejected row without --rejects
  std::string error;         // one line, when exit_code != 0
  int64_t rows_in = 0;       // grouped runs: over all inputs
  int64_t rows_out = 0;
  int64_t rows_rejected = 0;
  std::vector<InputCount> inputs;  // grouped runs only
  double seconds = 0;
  std::vector<OutputTally> tallies;
};

// Streams `input_path` through `engine` in batches on `threads` threads; output rows keep input order.
// Output and rejects are committed together when the run succeeds, or neither is (docs/reliability.md,
// "Files"): a regular file is replaced by a complete one; a device, FIFO or "-" is written through.
RunSummary run(const RuleSet& rules, const Engine& engine, const RunOptions& options);

// Async-signal-safe: removes the temporary files of every run in progress in this process. A command's
// SIGINT/SIGTERM/SIGHUP handler calls it before it exits; the library installs no signal handler.
void removePendingOutputs();

// --- tests and explanations ------------------------------------------------------------------------

// The outcome of one `test` block, run as one row through the interpreter and the JIT.
struct TestResult {
  std::string name;      // the test's title
  std::string location;  // "dunning.test.rules:12"
  bool passed = false;
  // Every difference, e.g. "interest: expected 6.77, actual 6.78", "the engines disagree on fee: ...".
  std::vector<std::string> problems;
  std::string explanation;  // failed tests: which rules applied, won, were overridden (see explainRow)
};

// A rule of a decision block, and whether some test exercised it: it won, on a row (or, in a grouped
// rule set, a stage's row) the test's evaluation accepted. Traced by the interpreter.
struct RuleCoverage {
  std::string file;
  uint32_t line = 0;
  std::string rule;
  uint32_t block_line = 0;  // the line of its `decide`
  bool exercised = false;
  uint32_t table_row = 0;  // a decision table's row (its rule is `row_N`); 0: written as a rule
  // A `reject "reason" when c` line instead of a rule (rule and block_line empty): exercised when it
  // rejected a record in some test.
  std::string reject_reason;
};

struct TestSummary {
  std::vector<TestResult> results;  // in declaration order
  size_t passed = 0;
  size_t failed = 0;
  std::string error;  // non-empty: the tests could not run at all (the JIT could not compile)
  // Every rule of the rule set's decision blocks (modules' too), by file and line; empty without tests.
  std::vector<RuleCoverage> coverage;
};

// Runs every test of `rules` through both engines (tests with the same params share one batch per
// engine) and compares exactly: with the expected values, and the engines with each other.
TestSummary runTests(const RuleSet& rules);

// One line per failing test (`FAIL file:line test "D3": interest: expected 6.77, actual 6.78 | rules:
// decide first (line 20): reminder won`), and with `passing` also `ok   file:line test "D2"`.
std::string renderTestResults(const TestSummary& summary, bool passing);

// For row `row` of a batch: per decision block, which rules' conditions held, which rule won and
// which were overridden (and by whom), traced by the interpreter over the same IR. One line per block:
// `decide first (line 20): reminder "Zahlungserinnerung" won; settled did not apply`.
std::string explainRow(const RuleSet& rules, const ColumnView* inputs, const ParamSlot* params, int64_t row);

// `regelwerk run --explain LINE`: the record of options.input_path that starts at `line` (the header is
// line 1), evaluated by the interpreter: its outputs (or why it is rejected) and explainRow's trace.
// False with `error` for an unreadable input, bad params, or no record at that line.
bool explainRecord(const RuleSet& rules, const RunOptions& options, int64_t line, std::string* text,
                   std::string* error);

}  // namespace regelwerk
