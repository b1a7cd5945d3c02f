// The typed IR: what both engines (runtime/interp and compiler/codegen) consume. Neither sees the AST.
//
// A Program evaluates one input record at a time (the JIT wraps it in a loop over a batch):
//   1. every Let, in order (eagerly: an error in a let rejects the record even if no rule uses it);
//   2. every Decision, in order, by its hit policy (below);
//   3. for every Output that no winning rule assigned, its default expression, in declaration order.
// Evaluation order inside an expression is left to right; And/Or/If/Coalesce evaluate only what they
// need. The first error stops the record: it is rejected with (code, site, rule_a, rule_b).
//
// Invariants (checked by verify()):
//   - physical kinds match the Op table below; only Input, Param, Let, Local, With, If, Coalesce,
//     TableLookup and Missing produce optional values (Missing always), and only IsMissing, Coalesce, If (branches), With (its value),
//     Let and outputs accept them;
//   - a Local reads a slot of an enclosing With; tables have sorted, distinct keys;
//   - all scales are already aligned by lowering: Add/Sub/Min/Max/compare operands have one scale;
//   - indices are in range; a Let reads only earlier lets.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ir/type.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk::ir {

enum class Kind : uint8_t { Bool, I64, Str };  // physical kind of a value

Kind physicalKind(const Type& type);

enum class RoundMode : uint8_t {
  HalfUp,    // ties away from zero: 2.5 -> 3, -2.5 -> -3
  HalfEven,  // ties to even: 2.5 -> 2, 3.5 -> 4
  Down,      // toward zero
  Up,        // away from zero
  Floor,     // toward -infinity
  Ceiling,   // toward +infinity
};

// Op table: operands -> result. "checked" ops raise ErrorCode::Overflow instead of wrapping.
// RangeSum's day counts (Expr::imm2; the kernel's `basis`): Actual/365 Fixed, Actual/Actual ISDA.
inline constexpr int64_t kAct365Fixed = 0;
inline constexpr int64_t kActAct = 1;

enum class Op : uint8_t {
  Const,      // -> imm (I64 / Bool) or str (Str)
  Input,      // column `index` of the input record (optional if the field is `T?`)
  Param,      // parameter `index` (never optional)
  Let,        // let slot `index`
  Missing,    // -> the missing value of `kind` (always optional): `if c then d else missing`
  IsMissing,  // (optional x) -> Bool
  Coalesce,   // (optional x, y) -> x if present else y; optional iff y is
  Add,        // (I64, I64) -> I64, checked
  Sub,        // (I64, I64) -> I64, checked
  Mul,        // (I64, I64) -> I64, checked
  Neg,        // (I64) -> I64, checked
  Abs,        // (I64) -> I64, checked
  Rescale,    // (I64) -> I64 * imm (imm = 10^k > 0), checked: widening to a finer scale
  // RoundDiv (num, den) -> round(num * 10^imm / (den * 10^imm2)) with `mode`, exact in 128 bits.
  // den == 0 -> DivisionByZero; a result outside int64 -> Overflow. imm, imm2 in 0..36 (powers of ten).
  RoundDiv,
  Min,        // (I64, I64) -> I64
  Max,        // (I64, I64) -> I64
  Eq, Ne, Lt, Le, Gt, Ge,  // (I64, I64) or (Bool, Bool) -> Bool
  StrEq, StrNe,            // (Str, Str) -> Bool, bytewise
  // Concat (Str, Str) -> Str: the bytes of a then b, in storage the engine keeps for the batch (see
  // runtime/columnar/string_arena.hpp). A result longer than kMaxStringBytes -> StringTooLong.
  Concat,
  // Text (I64) -> Str: the value as the CSV writer writes it. imm2 == 0: a number with imm places
  // (`-0.05` for -5 at 2 places; imm < 0 appends -imm zeros to a nonzero value, for percents of
  // scale < 2); imm2 == 1: a date `YYYY-MM-DD`. Kernel rw_text, into the engine's string arena.
  Text,
  And, Or,    // (Bool, Bool) -> Bool, short-circuit left to right
  Not,        // (Bool) -> Bool
  If,         // (Bool c, a, b) -> a or b; only the chosen branch is evaluated; optional if a or b is
  CheckDate,  // (I64 days) -> same value; DateOutOfRange unless 0001-01-01 <= date <= 9999-12-31
  // TableLookup (I64 key, or Str key for a string-keyed table) -> value column `imm` of table `index` at
  // the key's row, optional: missing when no row matches (exact tables: no equal key; range tables: key
  // before the first row). Both engines find the row with the rw_table_find / rw_table_find_str kernels.
  TableLookup,
  // RangeSum (I64 from, I64 until, I64 plus) over range table `index` (a date key), column `imm`:
  // the sum over every day d with from <= d < until of (value(d) + plus), walking the rows crossed
  // (cost ∝ rows, not days); 0 when until <= from. A day before the first row -> NoTableRow; a sum
  // outside int64 -> Overflow. imm2 = kActAct (Act/Act ISDA): each day weighs 366 in a year of 365 days
  // and 365 in a leap year instead of 1 (the sum is then over 365 * 366). Kernel rw_table_range_sum,
  // shared by both engines.
  RangeSum,
  // CheckTimestamp (I64 seconds) -> same value; TimestampOutOfRange unless
  // 0001-01-01T00:00:00Z <= t <= 9999-12-31T23:59:59Z.
  CheckTimestamp,
  // TimeCall: the time kernel `imm` (an ir::TimeFn) over its I64 arguments, then a Str zone name for
  // the zoned ones (timeFnInfo says which) -> I64. Both engines call the kernel of builtins.def named
  // by timeFnInfo(fn).kernel; its error code (UnknownTimeZone, InvalidDate, ...) rejects the row.
  TimeCall,
  // Reject (Bool condition, optional or not) -> Bool false; Rejected (with the site's reason) when
  // the condition is present and true: `reject "reason" when c`.
  Reject,
  With,   // (value, body) -> body, with local slot `index` holding value while body is evaluated
  Local,  // local slot `index` of an enclosing With (optional if that value is; may be optional when it is not)
};

enum class ErrorCode : int32_t {
  None = 0,
  Overflow = 1,
  DivisionByZero = 2,
  UniqueConflict = 3,      // two rules of a `decide unique` block apply
  ExceptionsConflict = 4,  // two winning rules of `decide exceptions` assign different values
  DateOutOfRange = 5,
  NoTableRow = 6,  // RangeSum over a day before a range table's first row
  StringTooLong = 7,         // Concat would make a string longer than kMaxStringBytes
  TimestampOutOfRange = 8,   // outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z
  InvalidDate = 9,           // date(y, m, d) of a day that is not in the calendar
  UnknownTimeZone = 10,      // a zone name with no TZif file in the system's tzdata
  // 20..: group kernels (runtime/groups); the caller rejects the whole group with the reason.
  NegativeClaim = 20,       // distribute: the amount or a claim is below 0
  UnresolvedTie = 21,       // distribute: equal remainder and tie keys on both sides of the last extra unit
  ConservationBroken = 22,  // distribute: its own result failed the conservation check (a kernel bug)
  Rejected = 30,            // `reject "reason" when c`: c holds (Site::reason says why)
};

// The longest string Concat makes (64 KiB): a bound on what one row can allocate, far above any
// reference, name or reason text an output holds.
inline constexpr int64_t kMaxStringBytes = 65536;

// The time kernels of Op::TimeCall. Dates are days since 1970-01-01, timestamps seconds since the
// epoch, times of day seconds since midnight; weekday is ISO (1 = Monday .. 7 = Sunday).
enum class TimeFn : uint8_t {
  LocalDate,      // (timestamp, zone) -> date
  LocalTime,      // (timestamp, zone) -> time
  AtLocal,        // (date, time, zone) -> timestamp (gaps move forward, folds take the earlier instant)
  Year,           // (date) -> int
  Month,          // (date) -> int 1..12
  Day,            // (date) -> int 1..31
  Weekday,        // (date) -> int 1..7
  DateFromParts,  // (int y, int m, int d) -> date; InvalidDate unless it is a calendar day
  DateClamped,    // (int y, int m, int d) -> date; a day past the month's end is its last day
};

struct TimeFnInfo {
  const char* kernel;  // the builtins.def name both engines call
  int int_args;        // I64 arguments before the zone
  bool zone;           // a Str zone name follows them
};

inline constexpr int kTimeFnCount = 9;
const TimeFnInfo& timeFnInfo(TimeFn fn);

// Where a runtime error happens: a source position and the rule (if any) around it.
struct Site {
  Location loc;
  std::string rule;  // rule name, or "" outside rules ("let open", "output fee" go in `context`)
  std::string context;
  std::string reason;  // Op::Reject: the analyst's reason (`reject "reason" when c`)
};

struct Expr {
  Op op = Op::Const;
  Kind kind = Kind::I64;  // physical kind of the result
  bool optional = false;  // the result may be missing
  int64_t imm = 0;
  int64_t imm2 = 0;
  RoundMode mode = RoundMode::HalfUp;
  uint32_t index = 0;
  uint32_t site = 0;      // index into Program::sites for ops that can fail
  std::string str;        // Const of kind Str
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

struct InputColumn {
  std::string name;    // field name in the rules
  std::string header;  // CSV header it is read from
  Type type;
  std::string format;  // "" or a declared format such as "cents"
};

struct Param {
  std::string name;
  Type type;
  bool has_default = false;
  int64_t default_i64 = 0;  // Bool / I64 kinds
  std::string default_str;  // Str kind
};

struct Let {
  std::string name;
  Type type;
  ExprPtr value;
};

struct Assignment {
  uint32_t output = 0;
  ExprPtr value;
};

struct Rule {
  std::string name;
  std::string label;
  Location loc;
  uint32_t table_row = 0;  // the decision table's row (1-based) the rule stands for; 0: written as a rule
  ExprPtr condition;  // null: always applies
  std::vector<Assignment> assignments;
  // Exceptions only: bit r is set if rule r of the same block overrides this one, directly or
  // transitively. A rule wins iff it applies and no applicable rule in defeated_by applies.
  uint64_t defeated_by = 0;
};

enum class HitPolicy : uint8_t {
  First,       // the first applicable rule in written order wins; later conditions are not evaluated
  Unique,      // all conditions are evaluated in order; a second applicable rule -> UniqueConflict
               // (rule_a = the first, rule_b = the second; the remaining conditions are not evaluated)
  Exceptions,  // all conditions are evaluated; winners' assignments are evaluated in rule order; a
               // winner assigning an output a value different from an earlier winner's ->
               // ExceptionsConflict (rule_a = earlier winner, rule_b = later winner)
};

// The policy as the language writes it after `decide`: "first", "unique", "exceptions".
const char* hitPolicyName(HitPolicy policy);

inline constexpr size_t kMaxRulesPerExceptionsBlock = 64;

struct Decision {
  HitPolicy policy = HitPolicy::First;
  Location loc;
  uint32_t site = 0;  // site of the block, for conflicts
  std::vector<Rule> rules;
};

struct Output {
  std::string name;
  Type type;
  ExprPtr default_value;  // evaluated only if no winning rule assigns the output
  std::string format;     // "" or a declared format such as "cents"
};

// A lookup table, sorted by key (distinct keys). Values of every column are stored physically (I64 and
// Bool kinds; strings are not table values). Range tables: row r applies to keys[r] <= k < keys[r+1].
struct TableColumn {
  std::string name;
  Type type;
  std::vector<int64_t> values;  // one per row
};

struct Table {
  std::string name;
  Location loc;
  Type key_type;  // int, date, enum or string
  bool range = false;
  std::vector<int64_t> keys;          // string keys: 0, 1, 2, ... (the rank of str_keys[row])
  std::vector<std::string> str_keys;  // string keys only: strictly increasing bytewise
  std::vector<TableColumn> columns;
};

// A value written in a test: I64/Bool kinds in `i64`, strings in `str`; `present` false is missing.
struct TestValue {
  bool present = true;
  int64_t i64 = 0;
  std::string str;
};

// A record of a grouped test: the input it belongs to and the fields given, by name (the run reads
// them like a CSV line of that input). `line` is where the test gives it, for messages.
struct TestRecord {
  std::string input;
  int64_t line = 0;
  std::vector<std::pair<std::string, TestValue>> fields;
};

// A row a grouped test expects of an output record: the outputs it names, by name.
struct TestRow {
  std::string record;
  std::vector<std::pair<std::string, TestValue>> outputs;
};

// One `test` block, with its `like` chain resolved: a complete input record, the params it sets (the
// others keep their defaults) and what it expects. Neither engine reads tests; `regelwerk test` does.
// A test of a grouped rule set is one group: `records` and `rows` instead of `inputs` and `expect`.
struct TestCase {
  std::string name;
  std::string file;  // the file the test is written in (the rule file or its X.test.rules)
  Location loc;
  std::vector<TestValue> inputs;                       // one per input column
  std::vector<std::pair<uint32_t, TestValue>> params;  // (param index, value)
  std::vector<std::pair<uint32_t, TestValue>> expect;  // (output index, value)
  std::vector<TestRecord> records;  // grouped: the group's records, the one input's first
  std::vector<TestRow> rows;        // grouped: the group record's row, then the each records' rows in order
  TestValue key;                    // grouped: the key a record gives (not present: 1 or "1")
  bool expect_rejected = false;
  std::string rejected_reason;  // a substring of the rejection message
};

struct Program;

// Aggregates over the records of one keyed input in a group (docs/groups.md). Over no record (after
// the `where` filter): sum and count give 0, exists and any false, all true, min/max/first/last missing.
enum class AggregateFn : uint8_t { Sum, Count, Min, Max, First, Last, Exists, All, Any };

struct Aggregate {
  AggregateFn fn = AggregateFn::Count;
  uint32_t item = 0;          // index into Grouping::items
  int32_t value_output = -1;  // the item program's output holding the value (-1: count, exists)
  int32_t where_output = -1;  // the item program's Bool output holding the filter (-1: no filter)
  Type type;                  // the result
  int32_t share = -1;         // aggregates distribution `share`'s shares: run after it
  int32_t late = -1;          // value and filter are outputs of Grouping::lates[late], not of the item program
};

// The late aggregates over items[item]: their values and filters read group values or shares, so a
// program with the each-program's inputs (the group's columns, the record's fields, its shares)
// computes them after the distributions. It holds the group lets that read no late aggregate.
struct LateStage {
  uint32_t item = 0;
  std::unique_ptr<Program> program;
};

// A keyed input with any number of records per key, and the program that computes, per record, what
// the aggregates over it read: its outputs are the aggregates' values and filters, in any order.
// `input D derived`: no file; a group's records are the rows its `writers` write `as D` (writer by
// writer, each's rows in its step order), taken once the last writer's fold is done; their columns
// are the program's inputs, in order. Derived stages come after every stage read from a file.
struct ItemStage {
  std::string input;            // the input's name (`Claim`), as the command line names it
  bool shared = false;          // `input X shared`: no key; the runtime gives every group all its records
  std::vector<uint32_t> order;  // columns of program.inputs to order a group's records by, ascending
  std::unique_ptr<Program> program;
  struct Writer {
    uint32_t fold = 0;
    int32_t ledger = -1;  // the fold's ledger that writes the rows; -1: the fold's own `as D`
  };
  std::vector<Writer> writers;      // empty: the records are read from a file
  std::vector<Output> row_columns;  // derived: the record's columns as written (the first writer's), for `--output D=FILE`
  bool derived() const { return !writers.empty(); }
  uint32_t lastFold() const;        // derived: the fold after which the records are complete
};

// An aggregate inside a fold (`count(Sent where campaign_id == c)`, `sum(units over Year where year ==
// y)`): one value per step, over the step's group's records of items[item]. Its program runs per pair
// of a step and such a record: inputs are the item program's inputs (the record's fields), then the
// fold program's inputs before its step aggregates (the step's columns); outputs the value and filter.
// Its value is the fold program's input column after the step's columns, in FoldStage::aggregates order.
// The same shape serves a ledger's aggregates (one program per triple of a step, a record of the ledger
// and a record of items[item]: Ledger::aggregates) and its pool's (no program: the values and filters
// are outputs of the ledger's shares program, Ledger::pool_aggregates).
struct StepAggregate {
  AggregateFn fn = AggregateFn::Count;
  uint32_t item = 0;
  int32_t value_output = -1;  // -1: count, exists
  int32_t where_output = -1;  // -1: no filter
  Type type;                  // the result
  std::unique_ptr<Program> program;
  // Reads the states of the fold's ledger `ledger` (after the step: it runs after the ledgers). -1: none
  // (it runs before the ledgers).
  int32_t ledger = -1;
  // The outputs of items[item]'s program its program reads after the record's fields, before the
  // step's (or the pair's) columns: the states of `ledger` (after the step), then the final states of
  // ledgers of earlier folds over the same input (`sum(got over Security where loan_no == l)` in a
  // fold after the one whose `ledger Security` keeps `got`).
  std::vector<int32_t> carried = {};
};

// `ledger X ... end` in a fold: states per record of items[item] across the fold's steps. They live in
// the item program's outputs `state_outputs` (one per state), which the item program fills with the
// initial values; at every step the runtime runs `program` over the pairs of the step and each record
// of X in the step's group and writes the states after the step back there, so after the fold they
// hold the final values that each and late programs and aggregates read like shares.
// The program's inputs: X's fields, the states before the step, the fold program's inputs before its
// rests (the step's columns and its step aggregates), the values of the ledger's `aggregates`, then
// (with a distribution) the share; its outputs: the states after the step, then R's columns.
//
// `distribute POOL over X ... into S rest R` inside the ledger: at every step, `shares` gives per pair
// the amount, `tiers` tier keys and the tie keys (its first `share_outputs` outputs), then the values
// and filters of `pool_aggregates` (its inputs: `program`'s without the share, so it runs on the same
// pairs' batch); `pools` gives the step's pool (its inputs: the fold program's without the rests, then
// the pool aggregates' values); the kernel shares the pool over the pairs of each step; `program` reads
// the pair's share as its last input, and the fold program reads the step's rest among its last inputs
// (after the step aggregates, one per ledger with a distribution, in ledger order).
struct Ledger {
  uint32_t item = 0;
  std::vector<int32_t> state_outputs;
  std::unique_ptr<Program> program;
  std::unique_ptr<Program> shares;  // null: no distribution
  std::unique_ptr<Program> pools;
  size_t tiers = 0;
  // `ledger X as R [when c]`: the program's outputs after the states are R's columns (one row per pair,
  // the group's rows in step order, then the records' order); `as R when c`: c is its last output.
  std::string record;
  std::vector<Output> row_columns;
  int32_t row_when_output = -1;
  // Aggregates in the ledger (`exists(Dispute where claim_id == c and opened <= day)`): one value per pair
  // of a step and a record of X, over the group's records of another input (items[item]). Each program
  // runs per such record and pair: its inputs are that record's fields, then the pair's columns before
  // the aggregates; its outputs the value and filter. The values are `program`'s (and `shares`') inputs
  // after those columns, before the share. (StepAggregate::ledger is unused here.)
  std::vector<StepAggregate> aggregates;
  size_t firstAggregateInput() const;
  // The distribution's pool may aggregate the ledger's records at the step (`distribute paid -
  // sum(taken over Claim) over Claim …`); see above.
  size_t share_outputs = 0;
  std::vector<StepAggregate> pool_aggregates;
  // The ledger's lets that the shares program computes (those written before the `distribute`): its
  // outputs `let_outputs` hold them per pair, and `program` reads them as its last inputs (after the
  // share) instead of computing them again.
  std::vector<int32_t> let_outputs;
  size_t shareInput() const;  // with a distribution: `program`'s input of the share
};

// `fold X where c ... end`: a program run record by record over each group's records of items[item]
// in their declared order. Its inputs are the item program's inputs, then each state's value before
// the record, then the group program columns `group_columns` (the one-record input's fields, the final
// states of the folds before it), then the values of its step aggregates; its outputs are the states
// after it. A group's final states are group program columns.
// `fold X [as R] ... end`: its program runs once per selected record of items[item], in order; its
// outputs are the states' next values (one per `initial`), then the columns of record R (`as R`: one
// row per folded record, `row_columns` names and types them for the writer).
//
// `fold v in low .. high [as R]`: over a range instead of an input (`item` and `where_output` are
// unused). `range` computes each group's bounds (inputs: `group_columns`, as the fold's program reads
// them; outputs `low` and `high`, ints or dates, never missing); the fold's
// program then runs once per value low, low + 1, …, high (none when high < low) with that value as its
// first input column instead of an item's fields.
struct FoldStage {
  uint32_t item = 0;
  int32_t where_output = -1;  // the item program's Bool output that selects records (-1: all)
  std::unique_ptr<Program> range;  // a fold over a range: its bounds program; null: a fold over items[item]
  std::vector<uint32_t> group_columns;  // the group program's columns its program reads last, per step
  uint32_t state_column = 0;  // the group program's column of the first state's final value
  std::vector<std::optional<int64_t>> initial;  // per state: its starting value (nullopt: missing)
  std::unique_ptr<Program> program;
  std::string record;               // "" without `as R`
  std::vector<Output> row_columns;  // program outputs after the states
  int32_t row_when_output = -1;     // `as R when c`: the program's last output, c (a row only where true)
  std::vector<StepAggregate> aggregates;  // its step aggregates: its program's last inputs
  std::vector<Ledger> ledgers;  // run at every step after the step aggregates, before the fold's program

  // The program's last inputs: the step aggregates' values, then the rests of the ledgers' distributions.
  size_t rests() const;
  size_t firstAggregateInput() const;
  size_t restInput(size_t ledger) const;  // ledgers[ledger] has a distribution: the program's input of its rest
};

// `distribute POOL over X amount A by T ties K into share rest R` (docs/groups.md, runtime/groups).
struct Distribution {
  uint32_t item = 0;
  int32_t amount_output = -1;        // item program outputs: the amount,
  std::vector<int32_t> tier_outputs; // the tier rank keys, most significant first (none: one tier),
  std::vector<int32_t> tie_outputs;  // the tie keys, in order,
  int32_t share_output = -1;         // and the share (a placeholder the runtime fills)
  uint32_t pool_output = 0;          // the pools program's output holding the pool
  uint32_t rest_column = 0;          // the group program's column for the rest
};

// `each X as R ... end`: a program per record of items[item], after the group program. Its inputs are
// the group program's inputs, then the item program's inputs, then the shares of the distributions
// over X (in Grouping::distributions order); its outputs are the record's columns.
struct EachStage {
  std::string record;  // the output record's name, for `--output R=FILE`
  uint32_t item = 0;
  std::unique_ptr<Program> program;
};

// A grouped rule set: keyed inputs joined by `key`; the Program that holds this evaluates once per
// group. Its inputs are, in order: the `one` input's fields (or, without one, the key alone as
// column 0), one column per aggregate (named `aggregate N`, header ""), the final value of every fold
// state, and the rest of every distribution. Per group the runtime runs: item programs, folds,
// aggregates of fields, the pools program, distributions, aggregates of shares, the group program,
// each-programs (docs/groups.md).
struct Grouping {
  std::string key;       // the key field's name in every input
  Type key_type;         // int or string
  std::string one_input; // "" when every input has many records per key
  uint32_t one_columns = 0;  // how many of the program's inputs come from the one input (or 1: the key)
  uint32_t key_column = 0;   // the key among those columns
  char one_separator = 0;    // the one input's declared `separator` (0: none; an item's is its program's input_separator)
  std::vector<ItemStage> items;
  std::vector<Aggregate> aggregates;
  std::string record;  // the group program's output record, for `--output R=FILE`
  std::vector<FoldStage> folds;
  std::vector<Distribution> distributions;
  // Inputs as the group program's; outputs: each distribution's pool. Its site d + 1 is distribution
  // d's `distribute` keyword, for the errors of the distribution itself.
  std::unique_ptr<Program> pools;
  std::vector<EachStage> eaches;
  std::vector<LateStage> lates;

  // Whether `record` is a derived input's: its writers' rows are written as that stage's records.
  bool derivedRecord(const std::string& record) const;

  // Every program beside the group program, in one order the engines compile them in: items, folds,
  // eaches, the pools program (if any), the late stages, the bounds of the folds over a range, then the
  // folds' step aggregates (fold by fold), then their ledgers (fold by fold), then the shares and pools
  // programs of the ledgers with a distribution (fold by fold), then the ledgers' aggregates (fold by fold,
  // ledger by ledger).
  std::vector<const Program*> stagePrograms() const;
  size_t foldStage(size_t fold) const { return items.size() + fold; }
  size_t eachStage(size_t each) const { return items.size() + folds.size() + each; }
  size_t poolsStage() const { return items.size() + folds.size() + eaches.size(); }
  size_t lateStage(size_t late) const { return poolsStage() + (pools ? 1 : 0) + late; }
  size_t rangeStage(size_t fold) const;  // folds[fold] is over a range
  size_t stepAggregateStage(size_t fold, size_t aggregate) const;
  size_t ledgerStage(size_t fold, size_t ledger) const;
  size_t ledgerSharesStage(size_t fold, size_t ledger) const;  // folds[fold].ledgers[ledger] has a distribution
  size_t ledgerPoolsStage(size_t fold, size_t ledger) const { return ledgerSharesStage(fold, ledger) + 1; }
  size_t ledgerAggregateStage(size_t fold, size_t ledger, size_t aggregate) const;
};

struct Program {
  std::string name;  // ruleset name
  std::string source_path;
  // Every file the program was read from (the rule file, its modules), indexed by Location::file - 1,
  // so a runtime error at a site inside a `use`d module names that module's file.
  std::vector<std::string> source_files;
  std::vector<Table> tables;
  uint32_t local_count = 0;  // With/Local slots are < local_count
  std::vector<TestCase> tests;
  char input_separator = 0;  // declared `input X separator ";"`; 0: not declared (',' unless the run says)
  std::vector<InputColumn> inputs;
  std::vector<Param> params;
  std::vector<Let> lets;
  std::vector<Decision> decisions;
  std::vector<Output> outputs;
  std::vector<Site> sites;  // site 0 is "no site"
  std::shared_ptr<const Grouping> grouping;  // null: one record at a time (the rule set has one input)
};

// The types of a program's input columns or outputs, in order: what a Batch for them is made of.
std::vector<Type> typesOf(const std::vector<InputColumn>& columns);
std::vector<Type> typesOf(const std::vector<Output>& outputs);
// Per input column of `program`: whether any of its expressions reads it (a caller that fills its
// input columns may leave the others unfilled).
std::vector<bool> inputsRead(const Program& program);

// Checks the invariants above; returns a list of violations (empty when the program is well formed).
std::vector<std::string> verify(const Program& program);
// Human-readable dump for --dump=ir.
std::string print(const Program& program);

}  // namespace regelwerk::ir
