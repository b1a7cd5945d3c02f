// The differential generator's own model of a rule file: plain values that render to source text, so
// the shrinker can copy a program, drop or simplify one part, and render it again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace regelwerk::difftest {

enum class Kind : uint8_t { Bool, Int, Decimal, Money, Percent, Date, Days, String, Enum, Timestamp, Duration, Time };
inline constexpr Kind kLastKind = Kind::Time;

// A type as the checker sees it: `scale` is the stored scale (a percent's is the fraction's, so `5%`
// has scale 2 and a declared `percent` scale 6).
struct GType {
  Kind kind = Kind::Int;
  int scale = 0;
  int enum_id = -1;
  bool optional = false;
};

bool isNumeric(Kind kind);
bool isOrderable(Kind kind);

enum class Node : uint8_t {
  Literal,    // text as written: `12.50 EUR`, `2024-02-29`, `"a"`, `true`, or a bare enum member
  Name,       // a field, param or let
  Neg,        // -x
  Not,        // not x
  Binary,     // text is the operator: + - * / == != < <= > >= and or ??
  Call,       // text is abs, min, max, round or a time function (local_time, year, ...); round's places and
              // mode are Literal args
  If,         // if args[0] then args[1] else args[2]
  InList,     // args[0] in (args[1], ...); `negated` writes `not in`
  InRange,    // args[0] in args[1] .. args[2]
  IsMissing,  // args[0] is missing; `negated` writes `is not missing`
  Lookup,     // text(args[0]) or text(args[0]).column: a table lookup, always `T?`
  Accrue,     // accrue(args[0], from: args[1], until: args[2], rate: text[, plus: args[3]]), a quotient
  FnCall,     // text(args...): a declared function; arg_names[i] non-empty writes `name: arg`
};

struct GExpr {
  Node node = Node::Literal;
  std::string text;
  bool negated = false;
  bool quotient = false;  // an exact quotient, legal only under round() (or * and / on the way there)
  GType type;             // a quotient's type is the kind it rounds to; its scale is unused
  std::vector<GExpr> args;
  std::string column;                   // Lookup: the value column, empty for `t(k)`
  std::vector<std::string> arg_names;   // FnCall: per argument; Accrue: non-empty means named form
};

struct GEnum {
  std::vector<std::string> members;
};

struct GField {
  std::string name;
  GType type;
  std::string header;  // CSV column; `from "..."` when it differs from the name
  bool cents = false;  // `format "cents"`
  std::string format;  // another format: "M/D/YYYY", "D.M.YYYY", "Yes/No", "1.0/0.0", "whole.0"
};

struct GParam {
  std::string name;
  GType type;
  std::optional<GExpr> default_value;
  std::optional<std::string> given;  // `--param name=value`, written like a CSV cell
};

struct GLet {
  std::string name;
  bool declared = false;  // `let name: T = ...` rather than `let name = ...`
  GType type;
  GExpr value;
  std::optional<std::string> reject;  // `reject "reason" when value` (then `name` is unused)
};

struct GOutput {
  std::string name;
  GType type;
  GExpr default_value;
  bool cents = false;
};

struct GAssign {
  std::string output;
  GExpr value;
};

struct GRule {
  std::string name;
  std::string label;  // empty: none
  std::vector<std::string> overrides;
  std::optional<GExpr> condition;
  std::vector<GAssign> assigns;
  std::vector<std::string> cells;  // a decision table's row: one condition cell per table column
};

struct GBlock {
  std::string policy;  // first, unique or exceptions; `any` for a decision table
  std::vector<GRule> rules;
  // Non-empty: the block is written as a decision table over these columns (fields), each rule a row
  // whose condition is its cells (GRule::condition is then unused).
  std::vector<std::string> table_columns;
};

// A table column (key or value) or a function parameter.
struct GColumn {
  std::string name;
  GType type;
};

// `table NAME key k: T [range] value a: T, ... rows ... end`; cells are literal texts, key first.
struct GTable {
  std::string name;
  GColumn key;
  bool range = false;
  std::vector<GColumn> values;
  std::vector<std::vector<std::string>> rows;
};

struct GFunction {
  std::string name;
  std::vector<GColumn> params;
  GType result;
  GExpr body;
};

// A module written beside the program (`use "./gen_module.rules"`): its input fields are
// requirements the program provides as fields, params or lets of the same type.
struct GModule {
  std::string name = "gen_mod";
  std::vector<GField> requirements;
  std::vector<GTable> tables;
  std::vector<GFunction> functions;
  std::vector<GOutput> outputs;
  std::vector<GBlock> blocks;
};

inline constexpr const char* kModuleFile = "gen_module.rules";

struct GProgram {
  std::string name = "diff";
  std::string currency = "EUR";
  bool currency_written = false;
  std::string rounding;  // empty: the default, not written
  std::string separator;  // empty: the default `,`; else written `input Row separator ";"`
  std::vector<GEnum> enums;
  std::vector<GTable> tables;
  std::vector<GFunction> functions;
  std::optional<GModule> module;
  std::vector<GField> fields;
  std::vector<GParam> params;
  std::vector<GLet> lets;
  std::vector<GOutput> outputs;
  std::vector<GBlock> blocks;
};

// `decimal(3)`, `money?`, `enum(low0, high0)`, as a declaration writes it.
std::string typeText(const GProgram& program, const GType& type);
// The expression as source text; every compound operand is parenthesised, so precedence never matters.
std::string exprText(const GExpr& expr);
// The whole rule file.
std::string render(const GProgram& program);
// The module file's text, empty when the program uses no module.
std::string renderModule(const GProgram& program);
// The input's separator character.
char separatorOf(const GProgram& program);
// The `--param` pairs a run passes.
std::vector<std::pair<std::string, std::string>> givenParams(const GProgram& program);

// Every expression of the program, for the shrinker: param defaults, let values, output defaults,
// conditions, assignment values, function bodies and the module's expressions.
std::vector<GExpr*> expressionRoots(GProgram& program);

}  // namespace regelwerk::difftest
