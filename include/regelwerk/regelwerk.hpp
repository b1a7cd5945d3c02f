// regelwerk's embedding API for C++ (C++17 or later): load a rule file, hand over columns by name, evaluate
// them with the JIT or the interpreter, read the outputs and the rejected records by name.
//
// Self-contained: this header includes only the standard library, and no type of the engine's internals,
// ANTLR or LLVM appears in it. Link `regelwerk::regelwerk` (CMake) or `pkg-config --libs regelwerk`.
//
// Errors are values: every call that can fail takes an `Error*` and returns false or null, with
// `error->message` saying what to do; a null `error` is allowed (the message is then dropped). Misuse —
// an unknown column, a column of the wrong type or length, a missing value in a required field, an enum
// index out of range, a column not handed over, a param that does not parse — is such an error, never a
// crash. Lifetimes cannot dangle: a Batch, Params or Engine keeps the Rules it was made for alive, and a
// Result owns its values.
//
// Values are handed over in the engine's physical form, without conversion:
//   bool                         uint8_t, 0 or 1
//   int, days                    int64_t
//   decimal, money, percent      int64_t in units of 10^-scale (Field::scale): money 12.50 at scale 2 is
//                                1250; percent is a fraction, 5% at scale 2 is 5 and 1.27% at scale 4 is 127
//   date                         int64_t days since 1970-01-01 (0001-01-01 .. 9999-12-31)
//   timestamp                    int64_t seconds since 1970-01-01T00:00:00Z
//   duration                     int64_t seconds; time of day: seconds since midnight (0 .. 86399)
//   enum                         int64_t member index, 0-based in Field::members order
//   string                       UTF-8 bytes, in Arrow's utf8 layout (one data buffer and row offsets)
// A validity array has one byte per row, 0 for a missing value; only optional fields (`T?`) may miss one.
// Or hand over text cells (setText) exactly as the CSV reader reads them, formats included.
//
// Threads: Rules, Engine and a filled Batch or Params are immutable once shared; any number of threads may
// call Engine::evaluate at once on one engine, each with its own Result. Hot reload: load the new version
// with Rules::load and Engine::create beside the running one, then swap the shared_ptr the requests read
// (std::atomic_store or a mutex); requests in flight finish on the engine they hold (docs/embedding.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

// The Arrow C Data Interface structs, defined in <regelwerk/regelwerk.h> (or by Arrow's own header).
struct ArrowSchema;
struct ArrowArray;

namespace regelwerk::api {

enum class ErrorCode {
  None = 0,
  Io,             // a file cannot be read
  RuleErrors,     // the rule file has errors; the message holds every diagnostic, rendered
  UnknownName,    // no input, output or param of that name
  WrongType,      // a setter or getter that does not fit the field's type
  WrongLength,    // a column whose length is not the batch's row count
  MissingValue,   // a missing value in a field that is not optional
  OutOfRange,     // a value outside its type's range (an enum index, a date, a time of day)
  MissingColumn,  // evaluate() with an input that was not handed over
  BadValue,       // a text cell or param value that does not parse
  Unsupported,    // a grouped rule set in evaluate() (run it over files with the command or run())
  Internal,       // the JIT could not compile the rule set
};

struct Error {
  ErrorCode code = ErrorCode::None;
  std::string message;
  explicit operator bool() const { return code != ErrorCode::None; }
};

enum class Type { Bool, Int, Decimal, Money, Percent, Date, Days, String, Enum, Timestamp, Duration, Time };

// An input, output or param of a rule set.
struct Field {
  std::string name;
  Type type = Type::Int;
  int scale = 0;                     // decimal, money, percent: values are in units of 10^-scale
  bool optional = false;             // `T?`: a value may be missing
  std::vector<std::string> members;  // enum: the member names, index 0 first
  std::string currency;              // money: e.g. "EUR"
  std::string type_name;             // as the language writes it: "money", "enum(a, b)?"
  std::string column;                // inputs: the CSV column it is read from (`from "amount_cents"`)
  std::string format;                // inputs and outputs: the declared format ("cents", "whole.0"), or ""
};

enum class EngineKind { Jit, Interpreter };

// A checked rule file with the modules it uses and its tables.
class Rules {
 public:
  // Reads and checks `path`; `use std.…` finds the standard library installed beside the library
  // (or $REGELWERK_STDLIB). Null on an unreadable file (Io) or rule errors (RuleErrors, all of them).
  static std::shared_ptr<const Rules> load(const std::string& path, Error* error);
  // The same for text in memory; `name` stands for the file in messages and resolves relative paths.
  static std::shared_ptr<const Rules> fromText(const std::string& name, const std::string& text, Error* error);

  const std::string& name() const;
  // Every file the rule set was read from: the rule file, its modules, its tables (what a reloader watches).
  std::vector<std::string> files() const;
  const std::vector<Field>& inputs() const;  // of a one-input rule set, in declaration order
  const std::vector<Field>& outputs() const;
  const std::vector<Field>& params() const;
  // A rule set over several keyed inputs (`per k`): evaluate() refuses it; run it over files.
  bool grouped() const;

  ~Rules();
  Rules(const Rules&) = delete;
  Rules& operator=(const Rules&) = delete;
  // For the library's own use: what the rule set is inside (an opaque type here).
  struct State;
  const State& state() const { return *state_; }

 private:
  explicit Rules(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Values for a rule set's params; a param not set takes its default (a param without one must be set).
class Params {
 public:
  explicit Params(std::shared_ptr<const Rules> rules);
  ~Params();
  Params(const Params&);
  Params& operator=(const Params&);
  // As `--param name=value` on the command line: `2025-03-01`, `12.50`, `1.27` (percent units).
  bool set(const std::string& name, const std::string& text, Error* error);
  // Typed, in the physical form above; checked against the param's type and range.
  bool setInt64(const std::string& name, int64_t value, Error* error);
  bool setBool(const std::string& name, bool value, Error* error);

  struct State;

 private:
  friend class Engine;
  std::unique_ptr<State> state_;
};

// The input columns of one evaluation, handed over by field name. The setters check everything on entry
// (type, length, validity, ranges) and keep a view of the caller's memory without copying (setText with
// cells copies), so that memory must stay unchanged until the last evaluate() with this batch returns.
class Batch {
 public:
  Batch(std::shared_ptr<const Rules> rules, size_t rows);
  ~Batch();
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;
  size_t rows() const;

  bool setBool(const std::string& name, const uint8_t* values, size_t length, const uint8_t* valid,
               Error* error);
  // Every type held as int64_t (see the table at the top).
  bool setInt64(const std::string& name, const int64_t* values, size_t length, const uint8_t* valid,
                Error* error);
  // A string column in Arrow's utf8 layout: row i is data[offsets[i] .. offsets[i + 1]), length + 1 offsets.
  bool setStrings(const std::string& name, const char* data, const int32_t* offsets, size_t length,
                  const uint8_t* valid, Error* error);
  // Numbers as integer CSV cells: each value means what the same integer written in the CSV column means,
  // with the field's declared format (money with format "cents": cents; money without one: whole units, 12
  // is 12.00; percent: percent units). A view when that is the physical value, else converted exactly.
  bool setIntegers(const std::string& name, const int64_t* values, size_t length, const uint8_t* valid,
                   Error* error);
  // One Arrow C Data Interface array (include <regelwerk/regelwerk.h> for the structs): views where the
  // layouts agree (int64, utf8), exact conversions otherwise; docs/embedding.md has the type mapping. The
  // batch never calls release: keep the array alive and unchanged until the evaluations have returned.
  bool setArrow(const std::string& name, const ArrowSchema* schema, const ArrowArray* array, Error* error);
  // Any type, as CSV cells (copied and parsed with the field's declared format; "" is missing for `T?`).
  bool setText(const std::string& name, const std::vector<std::string>& cells, Error* error);

  struct State;

 private:
  friend class Engine;
  std::unique_ptr<State> state_;
};

// The outputs of one evaluation, owned. A rejected record has no outputs, only its reason.
class Result {
 public:
  Result();
  ~Result();
  Result(Result&&) noexcept;
  Result& operator=(Result&&) noexcept;

  size_t rows() const;
  size_t rejectedCount() const;
  bool rejected(size_t row) const;
  // Why a record was rejected: "dunning.rules:22:7 rule notice: the result does not fit in 64 bits
  // (overflow)"; empty for a record that was not.
  std::string rejectReason(size_t row) const;
  const std::vector<Field>& outputs() const;
  // Values of an output column: int64() for every type held as int64_t, bools() for bool; null with
  // `error` set for an unknown name or another type. valid(): null when no value can be missing. The
  // values of a rejected row are unspecified (check rejected(row)).
  const int64_t* int64(const std::string& name, Error* error) const;
  const uint8_t* bools(const std::string& name, Error* error) const;
  const uint8_t* valid(const std::string& name) const;
  // One cell as the CSV writer writes it (`12.50`, `2025-03-08`, `notice`); "" when missing or rejected.
  std::string text(const std::string& name, size_t row) const;

  struct State;

 private:
  friend class Engine;
  std::unique_ptr<State> state_;
};

// A rule set prepared for one engine. Thread-safe: evaluate() may be called from many threads at once.
class Engine {
 public:
  static std::shared_ptr<const Engine> create(std::shared_ptr<const Rules> rules, EngineKind kind, Error* error);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  const std::shared_ptr<const Rules>& rules() const;
  EngineKind kind() const;

  // Evaluates every row of `batch` (made for this engine's rules) with `params` into `result`. A Result
  // that held an evaluation of the same rules with at least as many rows is reused without allocating
  // (what a pipeline evaluating batch after batch wants); its earlier values are gone. Its outputs may be
  // the batch's inputs (a chain): those inputs are read from a copy, and its columns stay where they are.
  bool evaluate(const Batch& batch, const Params& params, Result* result, Error* error) const;
  // One record, for a service: the input fields as CSV cells by name (every input field once).
  bool evaluateOne(const std::vector<std::pair<std::string, std::string>>& fields, const Params& params,
                   Result* result, Error* error) const;

  struct State;

 private:
  explicit Engine(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// The outcome of one `test` block (run through the interpreter and the JIT, compared exactly).
struct TestOutcome {
  std::string name;      // the test's title
  std::string location;  // "dunning.test.rules:12"
  bool passed = false;
  std::vector<std::string> problems;  // "interest: expected 6.77, actual 6.78", "the engines disagree on …"
};

// Runs every `test` block of the rule file at `path` and of the `X.test.rules` beside it, like
// `regelwerk test FILE`. False with `error` when the file cannot be read or has errors.
bool runTests(const std::string& path, std::vector<TestOutcome>* outcomes, Error* error);

// The library's version, "MAJOR.MINOR.PATCH".
const char* version();

}  // namespace regelwerk::api
