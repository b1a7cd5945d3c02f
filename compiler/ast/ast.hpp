// The untyped syntax tree of a rule file. Built by compiler/syntax (the only ANTLR user), read by sema.
//
// Invariants: every node has a valid Location; every Expr has a unique `id` (dense, from 0) within one
// Ruleset, so later passes keep per-node facts in vectors indexed by id (cel-cpp style). Literal nodes
// keep their source text: sema parses and range-checks them, so all number errors are diagnostics.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/support/csv_rows.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk::ast {

enum class ExprKind {
  IntLit,      // text "123"
  DecimalLit,  // text "12.50"
  MoneyLit,    // text "12.50", currency "EUR" (from `12.50 EUR`)
  PercentLit,  // text "1.27" (from `1.27%`)
  DateLit,     // text "2026-11-21" (not yet validated)
  DaysLit,     // text "14" (from `14 days` / `1 day`)
  TimestampLit,  // text "2025-03-04T10:00:00Z" (not yet validated)
  DurationLit,   // text "24", currency = the unit "h", "min" or "s" (from `24 h`)
  TimeLit,       // text "21:00" or "08:00:30" (not yet validated)
  StringLit,   // text = the unescaped value
  BoolLit,     // text "true" / "false"
  Name,        // text = identifier (a let, field, param, or an enum member resolved by context)
  Unary,       // unary_op, args[0]
  Binary,      // binary_op, args[0], args[1]
  InList,      // args[0] in (args[1..]); `negated` for `not in`
  InRange,     // args[0] in args[1]..args[2]; `negated` for `not in`
  IsMissing,   // args[0] is missing; `negated` for `is not missing`
  If,          // if args[0] then args[1] else args[2]
  Call,        // text = callee; args = arguments; arg_names[i] = "" or the name of a named argument
               // (`int(x, down)` is a Call with text "int")
  Missing,     // `missing`: no value; its type `T?` comes from the context
  // `sum(amount over Claim where paid)`: text = the function, member = the keyed input (member_loc);
  // args = the value and/or the filter, arg_names[i] = "value" or "where" (count(X where c) has no value).
  Aggregate,
};

enum class UnaryOp { Neg, Not };
enum class BinaryOp { Add, Sub, Mul, Div, Eq, Ne, Lt, Le, Gt, Ge, And, Or, Coalesce, Concat };

struct Expr {
  ExprKind kind;
  uint32_t id = 0;
  Location loc;          // first character of the expression (operator position for Unary/Binary: see op_loc)
  Location op_loc;       // position of the operator token for Unary/Binary/In/IsMissing; else == loc
  std::string text;      // literal text, name, or callee
  std::string currency;  // MoneyLit: the currency; DurationLit: the unit
  UnaryOp unary_op = UnaryOp::Neg;
  BinaryOp binary_op = BinaryOp::Add;
  bool negated = false;
  std::vector<std::unique_ptr<Expr>> args;
  std::vector<std::string> arg_names;  // Call only; same length as args
  std::string member;                  // Call only: `fees(level).fee` -> "fee"; else ""
  Location member_loc;
};
using ExprPtr = std::unique_ptr<Expr>;

enum class TypeKind { Bool, Int, Decimal, Money, Percent, Date, Days, String, Enum, Timestamp, Duration, Time };

struct TypeRef {
  TypeKind kind = TypeKind::Int;
  Location loc;
  std::optional<std::string> scale_text;  // decimal(2) -> "2"; absent for a bare `decimal`
  std::vector<std::string> members;       // enum(a, b) -> {"a", "b"}
  std::vector<Location> member_locs;
  bool optional = false;                  // `T?`
};

struct Field {
  std::string name;
  Location loc;
  TypeRef type;
  std::optional<std::string> column;  // `from "amount_cents"`: the CSV header when it differs from the name
  std::optional<std::string> format;  // `format "cents"`
  Location format_loc;
};

struct InputDecl {
  std::string name;
  Location loc;
  std::vector<Field> fields;
  std::optional<std::string> separator;  // `input Client separator ";"`
  Location separator_loc;
  // `input Claim key estate_id many order by claim_id` (docs/groups.md): a keyed input of a grouped rule set.
  std::optional<std::string> key;
  Location key_loc;
  bool many = false;
  // `input Campaign shared`: no key; every group reads all its records (many, never the group's one).
  bool shared = false;
  // `input Candidate derived`: no key and no file; its records are the rows the group's folds and
  // ledgers write `as Candidate` (many, never the group's one).
  bool derived = false;
  bool keyless() const { return shared || derived; }
  std::vector<std::string> order_by;
  std::vector<Location> order_locs;
};

struct ParamDecl {
  std::string name;
  Location loc;
  TypeRef type;
  ExprPtr default_value;  // may be null: the run must then set it with --param
};

struct LetDecl {
  std::string name;
  Location loc;
  std::optional<TypeRef> type;  // `let x: money = ...`
  ExprPtr value;
  bool in_per = false;  // declared inside `per KEY ... end`
  int block = -1;       // inside `each` or `fold` block `block` (index into Ruleset::blocks), else -1
  // `reject "reason" when c` is a let whose value is the condition c (a bool), named "reject LINE:COL":
  // evaluated in order with the lets, it rejects the record (the group) with the reason when c holds.
  std::optional<std::string> reject;
};

struct OutputDecl {
  std::string name;
  Location loc;
  TypeRef type;
  ExprPtr default_value;              // may be null only in the tree; sema requires one
  std::optional<std::string> format;  // `format "cents"`
  Location format_loc;
  bool in_per = false;  // declared inside `per KEY ... end`
  int block = -1;       // inside `each` or `fold` block `block`, else -1
  bool state = false;   // a fold's `state NAME: T = INITIAL` (block is the fold)
};

struct Assignment {
  std::string target;  // an output name
  Location loc;
  ExprPtr value;
};

struct RuleDecl {
  std::string name;
  Location loc;
  std::optional<std::string> label;  // "10.2.1 (3)"
  uint32_t table_row = 0;  // a decision table's row (1-based), which the rule stands for; 0: written as a rule
  std::vector<std::string> overrides;
  std::vector<Location> override_locs;
  ExprPtr condition;  // null: the rule always applies
  std::vector<Assignment> assignments;
};

struct DecideBlock {
  std::string policy;  // "first", "unique", "exceptions" (anything else: sema reports it)
  Location loc;
  Location policy_loc;
  std::vector<RuleDecl> rules;
  bool in_per = false;  // declared inside `per KEY ... end`
  int block = -1;       // inside `each` or `fold` block `block`, else -1
};

// `per estate_id as Totals ... end`: its lets, outputs and decisions are in the Ruleset's lists, marked
// in_per; those of its `each` and `fold` blocks also name their block.
struct PerBlock {
  std::string key;
  Location loc;      // the `per` keyword
  Location key_loc;
  std::string record;  // `as Totals`; "" when not written
  Location record_loc;
};

// `each Claim as Payout ... end` (one output row per record of Claim), `fold Event where c ... end`
// (running state over the records of Event in their declared order) or `fold year in a .. b ... end`
// (running state over the ints or dates a..b, one step each).
struct ItemBlock {
  bool fold = false;
  // `ledger X ... end` inside fold `parent`: states per record of X across the fold's steps (fold is
  // false; its declarations name this block).
  bool ledger = false;
  int parent = -1;
  std::string input;
  Location loc;        // the `each` or `fold` keyword
  Location input_loc;
  std::string record;  // each: `as Payout`; "" when not written
  Location record_loc;
  ExprPtr filter;      // fold: `where c`, or null
  ExprPtr rows;        // fold: `as R when c` (a row of R only where c holds), or null
  // `fold year in low .. high`: a fold over a range instead of an input (input is ""); `variable` is
  // the int or date of the step, named like a let of the block.
  std::string variable;
  Location variable_loc;
  ExprPtr low;
  ExprPtr high;
  bool overRange() const { return !variable.empty(); }
};

// `distribute POOL over Claim amount A by T ties K1, K2 into payout rest surplus`.
struct DistributeDecl {
  Location loc;  // the `distribute` keyword
  ExprPtr pool;
  std::string input;
  Location input_loc;
  ExprPtr amount;
  std::vector<ExprPtr> tiers;  // rank keys, most significant first; none: one tier
  std::vector<ExprPtr> ties;
  std::string share;
  Location share_loc;
  std::string rest;            // "" when not written
  Location rest_loc;
  // Inside `ledger X ... end` (block: the ledger's index): shares the step's pool over the ledger's
  // records at every step; the lets of the rule set before `lets_before` are written before it.
  int block = -1;
  size_t lets_before = 0;
};

struct Setting {  // `currency EUR`, `rounding half_up`
  std::string key;
  std::string value;
  Location loc;
  Location value_loc;
};

// A value written in a test, an example or an inline table row: a literal (`6.77 EUR`, `-5`), an
// enum member (`none`), or `missing` (then `expr` is null).
struct TestValue {
  ExprPtr expr;
  Location loc;
  bool missing = false;
};

struct TestBinding {  // `principal = 3650.00 EUR`
  std::string name;
  Location loc;
  TestValue value;
};

// In a grouped rule set: `given Claim: amount = 5.00 EUR` (a record of input Claim) or `expect Payout:
// payout = 2.50 EUR` (a row of output record Payout).
struct TestRecordDecl {
  std::string target;
  Location loc;
  std::vector<TestBinding> bindings;
};

// `test "D3" like base given ... params ... expect ... end`, or `example base given ... end` (values
// shared through `like`; an example is not run).
struct TestDecl {
  bool is_example = false;
  std::string name;  // the title of a test, the name of an example
  Location loc;
  std::optional<std::string> base;  // `like base`
  Location base_loc;
  std::vector<TestBinding> given;
  std::vector<TestBinding> params;
  std::vector<TestBinding> expect;
  std::vector<TestRecordDecl> records;  // `given X: ...`, in the order written
  std::vector<TestRecordDecl> rows;     // `expect R: ...`, in the order written
  std::optional<std::string> expect_rejected;  // `expect rejected "division by zero"`
  Location rejected_loc;
};

struct TableColumn {  // `level: int`
  std::string name;
  Location loc;
  TypeRef type;
};

// `table fees key level: int value fee: money rows 1 | 5.00 EUR end` or a table read from a CSV
// file beside the rule file (`from "rates.csv"`); the loader reads and tokenizes the file into `csv`.
struct TableDecl {
  std::string name;
  Location loc;
  std::optional<std::string> path;
  Location path_loc;
  TableColumn key;
  bool range = false;  // `range`: a row applies from its key until the next row's key
  std::optional<std::string> valid_to;  // `range until valid_to`: the CSV column of each row's last day
  Location valid_to_loc;
  std::vector<TableColumn> values;
  std::vector<std::vector<TestValue>> rows;  // inline rows: key cell, then one cell per value column
  std::optional<CsvRows> csv;                // empty: inline table, or a file the loader reported as bad
};

struct FunctionParam {
  std::string name;
  Location loc;
  TypeRef type;
};

// `function late_fee(open: money, level: int): money = expr`: pure, inlined at every call.
struct FunctionDecl {
  std::string name;
  Location loc;
  std::vector<FunctionParam> params;
  TypeRef result;
  ExprPtr body;
};

// `use std.interest` (module) or `use "./local.rules"` (path).
struct UseDecl {
  std::string module;
  std::string path;
  Location loc;
};

// An input field a used module needs from the rule set that uses it (`fraud: bool`).
struct Requirement {
  Field field;
  std::string module;
  Location use_loc;  // the `use` that brought the module in
};

enum class FileKind { Ruleset, Module, Tests };

struct Ruleset {
  FileKind kind = FileKind::Ruleset;
  std::string name;         // ruleset or module name (`std.interest`)
  std::string tests_for;    // FileKind::Tests: the rule file named in `tests for "X.rules"`
  Location loc;
  std::vector<UseDecl> uses;
  std::vector<TableDecl> tables;
  std::vector<FunctionDecl> functions;
  std::vector<TestDecl> tests;
  std::vector<Requirement> requirements;  // filled when modules are merged in
  std::vector<Setting> settings;
  std::vector<InputDecl> inputs;
  std::vector<ParamDecl> params;
  std::vector<LetDecl> lets;  // in source order: the order of evaluation
  std::vector<OutputDecl> outputs;
  std::vector<DecideBlock> decisions;
  std::vector<PerBlock> pers;  // a grouped rule set has exactly one (sema says so otherwise)
  std::vector<ItemBlock> blocks;             // `each` and `fold` blocks of the `per` block
  std::vector<DistributeDecl> distributes;   // of the `per` block, in source order
  uint32_t expr_count = 0;  // ids of all Expr nodes are < expr_count
};

}  // namespace regelwerk::ast
