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
//   - physical kinds match the Op table below; only Input, Param, Let, Local, With, If, Coalesce and
//     TableLookup produce optional values, and only IsMissing, Coalesce, If (branches), With (its value),
//     Let and outputs accept them;
//   - a Local reads a slot of an enclosing With; tables have sorted, distinct keys;
//   - all scales are already aligned by lowering: Add/Sub/Min/Max/compare operands have one scale;
//   - indices are in range; a Let reads only earlier lets.
#pragma once

#include <cstdint>
#include <memory>
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
enum class Op : uint8_t {
  Const,      // -> imm (I64 / Bool) or str (Str)
  Input,      // column `index` of the input record (optional if the field is `T?`)
  Param,      // parameter `index` (never optional)
  Let,        // let slot `index`
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
  // outside int64 -> Overflow. Kernel rw_table_range_sum, shared by both engines.
  RangeSum,
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
};

// Where a runtime error happens: a source position and the rule (if any) around it.
struct Site {
  Location loc;
  std::string rule;  // rule name, or "" outside rules ("let open", "output fee" go in `context`)
  std::string context;
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

// One `test` block, with its `like` chain resolved: a complete input record, the params it sets (the
// others keep their defaults) and what it expects. Neither engine reads tests; `regelwerk test` does.
struct TestCase {
  std::string name;
  std::string file;  // the file the test is written in (the rule file or its X.test.rules)
  Location loc;
  std::vector<TestValue> inputs;                       // one per input column
  std::vector<std::pair<uint32_t, TestValue>> params;  // (param index, value)
  std::vector<std::pair<uint32_t, TestValue>> expect;  // (output index, value)
  bool expect_rejected = false;
  std::string rejected_reason;  // a substring of the rejection message
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
};

// Checks the invariants above; returns a list of violations (empty when the program is well formed).
std::vector<std::string> verify(const Program& program);
// Human-readable dump for --dump=ir.
std::string print(const Program& program);

}  // namespace regelwerk::ir
