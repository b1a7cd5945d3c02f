// What the checker knows about a rule set, the input of compiler/lower: the logical type of every
// expression and the symbol of every name, in vectors indexed by ast::Expr::id (cel-cpp style), plus
// the checked declarations and decision blocks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ast/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/ir/type.hpp"
#include "compiler/support/diagnostics.hpp"

namespace regelwerk::sema {

enum class SymbolKind : uint8_t {
  None,
  Field,
  Param,
  Let,
  EnumMember,
  Local,     // a function parameter inside the function's body (index = parameter position)
  Table,     // a Call that looks up table `index`, value column `column`
  Function,  // a Call of function `index`
  Accrue,    // a Call of accrue(...) over table `index`, value column `column`
  State,     // a fold's state (index = its output): before the record inside the fold, final elsewhere
  Step,      // the int or date of a fold over a range (index = its block), inside that fold only
  Share,     // a record's share of distribution `index` (GroupInfo::distributes)
  Ledger,    // a ledger state's final value for a record of the ledger's input (index = its output), after the fold
  Rest,      // the undistributed rest of distribution `index`, a group value
};

// What a Name expression refers to: field/param/let `index`, or the member index in its enum type.
struct Symbol {
  SymbolKind kind = SymbolKind::None;
  uint32_t index = 0;
  uint32_t column = 0;
};

// Facts about one expression.
//  - `failed` is the error type: the expression or an operand was already reported, so everything
//    built on it stays silent (no cascades). Its `type` is meaningless then.
//  - `quotient`: an exact quotient num / den, legal only under round() or further `*` and `/`.
//    `type` is the kind the rounded value will have (`overdue / 365 days` is a decimal); its scale is
//    unused; `num_scale` and `den_scale` are the scales of the numerator and denominator products, e.g.
//    `open * rate * (overdue / 365 days)` has num_scale 8 (money 2 + percent 6 + days 0), den_scale 0.
struct ExprInfo {
  ir::Type type;
  bool failed = false;
  bool quotient = false;
  int num_scale = 0;
  int den_scale = 0;
  Location quotient_loc;  // the `/` that made this a quotient
};

// The info of an exact (non-quotient) value of `type`.
inline ExprInfo typed(ir::Type type) {
  ExprInfo info;
  info.type = std::move(type);
  return info;
}

struct FieldInfo {
  std::string name;
  Location loc;
  ir::Type type;
  std::string header;  // CSV header: `from "..."` or the field name
  std::string format;  // "" or "cents"
  uint32_t input = 0;  // index into ast::Ruleset::inputs
};

// `sum(amount over Claim where paid)` at group level (docs/groups.md).
struct AggregateInfo {
  const ast::Expr* expr = nullptr;  // the Aggregate (or `count(Claim)` Call) node
  ir::AggregateFn fn = ir::AggregateFn::Count;
  uint32_t input = 0;                 // the keyed input it reads (index into ast::Ruleset::inputs)
  const ast::Expr* value = nullptr;   // null for count and exists
  const ast::Expr* filter = nullptr;  // null without `where`
  ir::Type type;                      // the result
  int share = -1;                     // the value is the share of distribution `share` (docs/groups.md)
  int ledger = -1;                    // the value is the final state of ledger state `ledger` (an output index)
  bool late = false;                  // its value or filter reads group values (or shares): runs after them
  int fold = -1;                      // a step aggregate: inside fold block `fold`, evaluated at every step
  int after_ledger = -1;              // a step aggregate reading the states of ledger block `after_ledger`: after that ledger's step
  int in_ledger = -1;                 // an aggregate inside ledger block `in_ledger`: per pair of a step and a record of the ledger
  // A step's or a ledger's aggregate over X that reads the final states of these ledger blocks over X,
  // of folds before its own (in block order).
  std::vector<uint32_t> earlier_ledgers = {};
};

// An `each` or `fold` block of the `per` block, or a `ledger` block of a fold (ast::Ruleset::blocks).
struct BlockInfo {
  bool fold = false;
  bool ledger = false;          // `ledger X ... end` inside fold `parent`: states per record of X
  int parent = -1;
  std::vector<uint32_t> ledgers;  // fold: its ledger blocks, in order
  bool range = false;           // `fold year in low .. high`: over a range, not an input (input is unused)
  ir::Type step_type;           // range: the type of the step's value (int or date)
  uint32_t input = 0;           // the `many` input it runs over
  std::string record;           // each: the output record's name (`as Payout`, else the input's name); fold: `as R`, else ""
  std::vector<uint32_t> states;  // fold, ledger: its states (indices into TypedRuleset::outputs)
};

// `distribute POOL over X amount A by T ties K into share rest R` (ast::Ruleset::distributes).
struct DistributeInfo {
  uint32_t input = 0;  // X
  ir::Type type;       // of the pool, the amounts, the shares and the rest: int or money
  bool valid = false;  // the amounts are ints or money (else the pool is not checked against them)
  int ledger = -1;     // inside ledger block `ledger`: at every step of its fold, over the ledger's records
  // `amount claimed` naming a ledger state of X (an output index): the group's distribution, which runs
  // after the folds, shares over the states' final values. -1: the amount is computed before the folds.
  int amount_state = -1;
};

// What makes a rule set grouped: inputs joined by a key, and what the group level reads of them.
inline constexpr uint32_t kNoKeyField = UINT32_MAX;  // GroupInfo::key_field of a shared input

struct GroupInfo {
  bool grouped = false;
  std::string key;
  ir::Type key_type;
  int one_input = -1;                           // the input with one record per key, if any
  std::vector<std::vector<uint32_t>> fields;    // per input: its fields (indices into TypedRuleset::fields)
  std::vector<std::vector<uint32_t>> order_by;  // per input: `order by` fields (indices into its fields)
  std::vector<uint32_t> key_field;              // per input: the key among its fields (kNoKeyField: shared)
  std::vector<char> separators;                 // per input: `separator ";"` as declared, 0 when not
  std::vector<AggregateInfo> aggregates;
  std::map<uint32_t, uint32_t> aggregate_of;    // expr id -> index into aggregates
  std::vector<AggregateInfo> step_aggregates;   // aggregates inside folds, one value per step
  std::map<uint32_t, uint32_t> step_aggregate_of;  // expr id -> index into step_aggregates
  std::vector<AggregateInfo> ledger_aggregates;  // aggregates inside ledgers, one value per step and record of the ledger
  std::map<uint32_t, uint32_t> ledger_aggregate_of;  // expr id -> index into ledger_aggregates
  std::vector<AggregateInfo> pool_aggregates;    // aggregates over a ledger's records in its distribution's pool
  std::map<uint32_t, uint32_t> pool_aggregate_of;  // expr id -> index into pool_aggregates
  std::string record;                           // the group's output record (`per k as Totals`, else the rule set's name)
  std::vector<BlockInfo> blocks;
  std::vector<DistributeInfo> distributes;
  std::vector<bool> let_reads_distribution;  // per let: reads a rest, an aggregate of shares or a late aggregate
  std::vector<bool> let_reads_late;          // per let: reads a late aggregate
  std::vector<bool> let_reads_step_aggregate;  // per let: a fold's let that reads one of its step aggregates
  std::vector<bool> let_reads_step_rest;       // per let: a fold's let that reads the rest of a distribution in a ledger,
                                               // or an aggregate of a ledger's states (both known after the ledger's step)
  std::vector<bool> let_reads_ledger_value;    // per let: a ledger's let that reads one of its aggregates or its share
};

struct ParamInfo {
  std::string name;
  Location loc;
  ir::Type type;
};

struct LetInfo {
  std::string name;
  Location loc;
  ir::Type type;  // the declared type, or the value's type when none is declared
};

struct OutputInfo {
  std::string name;
  Location loc;
  ir::Type type;
  std::string format;
};

struct RuleInfo {
  std::vector<int> outputs;  // per assignment: the output index (-1 if it did not resolve)
  uint64_t defeated_by = 0;  // exceptions blocks: see ir::Rule::defeated_by
};

struct DecisionInfo {
  ir::HitPolicy policy = ir::HitPolicy::First;
  std::vector<RuleInfo> rules;
};

struct TableColumnInfo {
  std::string name;
  Location loc;
  ir::Type type;
  std::vector<int64_t> values;  // per row, after sorting by key
};

struct TableInfo {
  std::string name;
  Location loc;
  ir::Type key_type;
  bool range = false;
  std::vector<int64_t> keys;  // strictly increasing (string keys: their ranks 0, 1, 2, ...)
  std::vector<std::string> str_keys;  // string keys only, in the order of `keys`
  std::vector<TableColumnInfo> columns;
  bool failed = false;  // already reported: lookups stay silent
};

struct FunctionInfo {
  std::string name;
  Location loc;
  std::vector<std::string> param_names;
  std::vector<ir::Type> param_types;
  ir::Type result;
  bool failed = false;  // its body had errors: calls stay silent
};

// A test with its `like` chain applied; the values are checked expressions of the target's type.
// A record of a grouped test (`given Claim: amount = 5.00 EUR`; the one input's lines merged).
struct TestRecordInfo {
  uint32_t input = 0;  // index into ast::Ruleset::inputs
  Location loc;
  std::vector<const ast::TestValue*> values;  // per field of GroupInfo::fields[input]; null: not given
};

// A row a grouped test expects (`expect Payout: payout = 2.50 EUR`).
struct TestRowInfo {
  int block = -1;  // -1: the group's record; else the each block (index into GroupInfo::blocks)
  std::vector<std::pair<uint32_t, const ast::TestValue*>> expect;  // (output index, value)
};

struct TestInfo {
  const ast::TestDecl* decl = nullptr;
  std::vector<const ast::TestValue*> inputs;  // per field; null: missing (ungrouped rule sets)
  std::vector<std::pair<uint32_t, const ast::TestValue*>> params;
  std::vector<std::pair<uint32_t, const ast::TestValue*>> expect;  // ungrouped rule sets
  std::vector<TestRecordInfo> records;  // grouped: the group's records, the one input's first
  std::vector<TestRowInfo> rows;        // grouped: the group record's row first, then each rows in order
  bool expect_rejected = false;
  std::string rejected_reason;
};

struct TypedRuleset {
  const ast::Ruleset* ast = nullptr;
  std::string currency = "EUR";
  ir::RoundMode rounding = ir::RoundMode::HalfUp;
  char separator = 0;             // `input X separator ";"`; 0 when not declared
  std::vector<FieldInfo> fields;  // of every input, in declaration order
  GroupInfo group;
  std::vector<ParamInfo> params;
  std::vector<LetInfo> lets;
  std::vector<OutputInfo> outputs;
  std::vector<DecisionInfo> decisions;
  std::vector<TableInfo> tables;
  std::vector<FunctionInfo> functions;
  std::vector<TestInfo> tests;
  // Calls with parameters (functions, accrue): per call expr id, the argument index for each
  // parameter position in parameter order (-1: not given).
  std::map<uint32_t, std::vector<int>> call_args;
  std::vector<ExprInfo> exprs;   // indexed by ast::Expr::id
  std::vector<Symbol> symbols;   // indexed by ast::Expr::id; kind None except for resolved names

  const ExprInfo& info(const ast::Expr& expr) const { return exprs.at(expr.id); }
  const Symbol& symbol(const ast::Expr& expr) const { return symbols.at(expr.id); }
};

// The type both values fit in: same kind (an int joins a decimal), the wider scale, optional if either
// is. Money with scales 2 and 8 -> money with scale 8; int and money -> none. Lowering uses it to
// align the operands of comparisons.
std::optional<ir::Type> commonType(const ir::Type& a, const ir::Type& b);

// The runtime value of a checked literal (a param default, a test value, a table cell) stored in
// `target`: `14 days` -> 14, `1.27%` in percent (scale 6) -> 12700, `2026-11-21` -> days since
// 1970-01-01, `-5` -> -5, an enum member -> its index, `5 EUR` in money -> 500. Strings: see `text`.
int64_t literalValue(const TypedRuleset& typed, const ast::Expr& expr, const ir::Type& target);

// Resolves names and checks types, scales and decisions. Reports every error to `diags` (several per
// run, without cascades); the result is complete only if no error was added. `sources` is used to
// quote the rule file in hints.
TypedRuleset checkRuleset(const ast::Ruleset& ruleset, const SourceManager& sources, DiagnosticSink& diags);

}  // namespace regelwerk::sema
