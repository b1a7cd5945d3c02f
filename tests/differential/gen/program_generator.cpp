// Random rule files by type. Each generating function is told the type it must produce (a Want) and
// mirrors the checker's rules for it: scales add under `*` and widen under `+ - min max if ??`, a
// quotient only appears under round(), an optional value only where the place accepts `T?`, and a
// bare enum member only where the checker knows which enum is meant: under a declared type, or after
// an operand that names the enum (the first operand that is not a bare member anchors the others, so
// `f3 == low0` and `low0 == f3` both check, `low0 == high0` does not).
#include "program_generator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "cell_values.hpp"
#include "rng.hpp"

namespace regelwerk::difftest {
namespace {

struct Want {
  Kind kind = Kind::Int;
  int max_scale = 0;  // numeric kinds: the result's scale must not exceed it
  int enum_id = -1;
  bool optional_ok = false;  // a `T?` result is fine here
  bool hinted = false;       // the enum is known from context, so a bare member checks
};

struct Named {
  std::string name;
  GType type;
};

const std::vector<std::string> kModes = {"half_up", "half_even", "down", "up", "floor", "ceiling"};
const std::vector<std::string> kMemberWords = {"low", "mid", "high", "none", "gold", "red", "blue", "open"};
const std::vector<std::string> kStrings = {
    "\"\"", "\"a\"", "\"Zahlung\"", "\"x,y\"", "\"say \\\"hi\\\"\"", "\"back\\\\slash\"", "\"grüße\"", "\"42\""};
const std::vector<std::string> kLabels = {"\"§ 10.2.1 (1)\"", "\"Regel \\\"A\\\"\"", "\"label\"", "\"\""};

GType typeOf(Kind kind, int scale = 0, int enum_id = -1) {
  GType type;
  type.kind = kind;
  type.scale = scale;
  type.enum_id = enum_id;
  return type;
}

GExpr make(Node node, std::string text, GType type, std::vector<GExpr> args = {}) {
  GExpr expr;
  expr.node = node;
  expr.text = std::move(text);
  expr.type = type;
  expr.args = std::move(args);
  return expr;
}

// The type two operands join in, as sema::commonType: same kind (an int joins a decimal), the wider
// scale, optional if either is.
GType join(const GType& a, const GType& b) {
  GType out = a;
  if (a.kind != b.kind) out.kind = Kind::Decimal;
  out.scale = std::max(a.scale, b.scale);
  out.optional = a.optional || b.optional;
  return out;
}

Want plain(Want want) {
  want.optional_ok = false;
  return want;
}

Want wantOf(Kind kind, int max_scale = 0) {
  Want want;
  want.kind = kind;
  want.max_scale = max_scale;
  return want;
}

class Generator {
 public:
  Generator(uint64_t seed, GProgram& program) : rng_(seed), program_(program) {}
  void run();

 private:
  void genSettings();
  void genEnums();
  void genFields();
  void genParams();
  void genLets();
  void genReject();
  void genOutputs();
  void genBlocks();
  GBlock genBlock(const std::vector<GOutput>& all, const std::vector<size_t>& outputs, const std::string& prefix);
  void makeDecisionTable(GBlock& block);
  std::string conditionCell(const GField& field);
  std::vector<GBlock> blocksFor(const std::vector<GOutput>& outputs, size_t first, const std::string& prefix);
  GTable genTable(const std::string& name);
  GTable genRateTable(const std::string& name);
  std::string keyText(const GColumn& key);
  GFunction genFunction(const std::string& name);
  void genTablesAndFunctions(std::vector<GTable>& tables, std::vector<GFunction>& functions, const std::string& prefix);
  void genModuleHead();
  void genModuleBody();
  std::vector<GField> requirements();
  std::optional<GExpr> genCallable(const Want& want, int depth);
  std::optional<GExpr> genFnCall(const Want& want, int depth);
  std::optional<GExpr> genLookup(const Want& want, int depth);
  GExpr lookupOf(const GTable& table, const std::string& column, const GType& type, int depth);
  std::optional<GExpr> genAccrue(Kind kind, int depth);
  std::string fieldFormat(const GType& type);
  GType randomType(bool allow_optional);
  GExpr idSegment(int rule, int rules, std::optional<GExpr> condition);
  Want wantFor(const GType& type, bool hinted);

  GExpr gen(const Want& want, int depth);
  GExpr leaf(const Want& want);
  GExpr literalOf(const Want& want);
  // A literal for a place that stores it at a declared scale when the rule file is compiled (a param
  // default, a table cell): the checker rejects one that needs more than 64 bits at that scale
  // (E0501), so the extreme values are written at exactly that scale.
  GExpr storedLiteralOf(const Want& want, int declared_scale);
  int stored_scale_ = -1;  // while storedLiteralOf runs: the declared scale; else -1
  GExpr intLiteral();
  std::string numberText(int places);
  std::optional<GExpr> genOptional(const Want& want, int depth);
  GExpr genNumeric(const Want& want, int depth);
  std::optional<GExpr> genMul(const Want& want, int depth);
  GExpr genRound(const Want& want, int depth);
  GExpr genIntConversion(int depth);
  GExpr genConcat(int depth);
  GExpr genText(int depth);
  std::optional<GExpr> genMissing(const Want& want, int depth);
  GExpr genQuotient(Kind kind, int depth);
  GExpr genDivisor(const std::vector<Kind>& kinds, int depth);
  std::optional<GExpr> genIf(const Want& want, int depth);
  std::optional<GExpr> genCoalesce(const Want& want, int depth);
  GExpr genDate(const Want& want, int depth);
  GExpr genTimestamp(const Want& want, int depth);
  GExpr genTime(const Want& want, int depth);
  GExpr genSinceInstant(int depth);
  GExpr genDatePart(int depth);
  std::optional<GExpr> genDateFromParts(int depth);
  GExpr zoneExpr(int depth);
  GExpr durationLiteral();
  GExpr genEnum(const Want& want, int depth);
  GExpr genBool(int depth, bool optional_ok);
  GExpr genCompare(int depth);
  GExpr genInList(int depth);
  GExpr genInRange(int depth);
  std::optional<GExpr> genIsMissing(int depth);
  Kind comparableKind(bool orderable_only);
  GExpr selfTyped(const Want& want, int depth);
  GExpr member(int enum_id);

  std::vector<Named> names(const Want& want, bool optional) const;
  bool selfTypable(int enum_id) const;

  Rng rng_;
  GProgram& program_;
  std::vector<Named> scope_;
  std::vector<GTable> tables_;        // the tables expressions may look up here
  std::vector<GFunction> functions_;  // the functions expressions may call here (declared earlier)
  int depth_ = 3;  // nesting of lets and conditions; outputs and assignments get one less
};

void Generator::run() {
  depth_ = rng_.chance(20) ? 4 : rng_.range(2, 3);
  genSettings();
  genEnums();
  genTablesAndFunctions(program_.tables, program_.functions, "");
  if (rng_.chance(20)) genModuleHead();
  genFields();
  genParams();
  genLets();
  if (program_.module) genModuleBody();
  genOutputs();
  genBlocks();
  genReject();
}

void Generator::genSettings() {
  if (rng_.chance(15)) program_.currency = rng_.chance(50) ? "USD" : "CHF";
  program_.currency_written = program_.currency != "EUR" || rng_.chance(10);
  if (rng_.chance(30)) program_.rounding = rng_.pick(kModes);
  if (rng_.chance(15)) program_.separator = ";";
}

void Generator::genEnums() {
  int count = rng_.range(1, 3);
  for (int enum_id = 0; enum_id < count; ++enum_id) {
    std::vector<std::string> words = kMemberWords;
    rng_.shuffle(words);
    GEnum type;
    for (int member = 0, members = rng_.range(2, 4); member < members; ++member) {
      type.members.push_back(fmt::format("{}{}", words[static_cast<size_t>(member)], enum_id));
    }
    program_.enums.push_back(type);
  }
}

GType Generator::randomType(bool allow_optional) {
  static const std::vector<Kind> kinds = {Kind::Bool,   Kind::Int,  Kind::Decimal,   Kind::Money,
                                          Kind::Percent, Kind::Date, Kind::Days,     Kind::String,
                                          Kind::Enum,    Kind::Timestamp, Kind::Duration, Kind::Time};
  GType type = typeOf(rng_.pick(kinds));
  if (type.kind == Kind::Decimal) type.scale = rng_.range(0, 6);
  if (type.kind == Kind::Money) type.scale = 2;
  if (type.kind == Kind::Percent) type.scale = 6;
  if (type.kind == Kind::Enum) type.enum_id = static_cast<int>(rng_.below(program_.enums.size()));
  type.optional = allow_optional && rng_.chance(30);
  return type;
}

// What a declared type accepts: its kind with at most its scale; a declared enum gives context.
Want Generator::wantFor(const GType& type, bool hinted) {
  Want want;
  want.kind = type.kind;
  want.max_scale = type.scale;
  want.enum_id = type.enum_id;
  want.optional_ok = type.optional;
  want.hinted = hinted;
  return want;
}

void Generator::genFields() {
  program_.fields.push_back(GField{"id", typeOf(Kind::Int), "id", false, ""});
  for (int field = 1, count = rng_.range(3, 9); field <= count; ++field) {
    GField out;
    out.name = fmt::format("f{}", field);
    out.type = randomType(true);
    out.header = rng_.chance(15) ? fmt::format("col {}", field) : out.name;
    out.cents = out.type.kind == Kind::Money && rng_.chance(35);
    out.format = fieldFormat(out.type);
    program_.fields.push_back(out);
  }
  if (rng_.chance(10)) program_.fields[0].format = "whole.0";
  for (const GField& field : program_.fields) scope_.push_back(Named{field.name, field.type});
}

void Generator::genParams() {
  for (int param = 1, count = rng_.range(0, 3); param <= count; ++param) {
    GParam out;
    out.name = fmt::format("p{}", param);
    out.type = randomType(false);
    if (rng_.chance(60)) out.default_value = storedLiteralOf(wantFor(out.type, true), out.type.scale);
    if (!out.default_value || rng_.chance(50)) {
      bool boundary = out.type.kind != Kind::String && rng_.chance(20);
      out.given =
          boundary ? boundaryCell(rng_, program_, out.type, false) : ordinaryCell(rng_, program_, out.type, false);
    }
    program_.params.push_back(out);
  }
  for (const GParam& param : program_.params) scope_.push_back(Named{param.name, param.type});
}

void Generator::genLets() {
  for (int let = 1, count = rng_.range(0, 6); let <= count; ++let) {
    GLet out;
    out.name = fmt::format("l{}", let);
    out.declared = rng_.chance(50);
    if (out.declared) {
      out.type = randomType(true);
      out.value = gen(wantFor(out.type, true), depth_);
    } else {
      GType type = randomType(true);
      if (type.kind == Kind::Enum && !selfTypable(type.enum_id)) type = typeOf(Kind::Int);
      Want want = wantFor(type, false);
      if (type.kind == Kind::Decimal) want.max_scale = rng_.range(0, 8);
      if (type.kind == Kind::Money) want.max_scale = rng_.range(0, 6);
      if (type.kind == Kind::Percent) want.max_scale = rng_.range(2, 8);
      out.value = gen(want, depth_);
      out.type = out.value.type;
    }
    program_.lets.push_back(out);
    scope_.push_back(Named{out.name, out.type});
  }
}

// `reject "reason" when c` after the lets, drawn last so that the rest of a seed's program is what it
// was before rejects were generated (the edge-case tests count what those programs reach).
void Generator::genReject() {
  if (!rng_.chance(25)) return;
  GLet reject;
  reject.reject = fmt::format("generated reject {}", program_.lets.size());
  reject.type = typeOf(Kind::Bool);
  reject.value = genBool(depth_ - 1, false);
  program_.lets.push_back(reject);
}

void Generator::genOutputs() {
  program_.outputs.push_back(GOutput{"id", typeOf(Kind::Int), make(Node::Name, "id", typeOf(Kind::Int)), false});
  for (int output = 1, count = rng_.range(1, 5); output <= count; ++output) {
    GOutput out;
    out.name = fmt::format("o{}", output);
    out.type = randomType(true);
    out.cents = out.type.kind == Kind::Money && rng_.chance(30);
    out.default_value = gen(wantFor(out.type, true), depth_ - 1);
    program_.outputs.push_back(out);
  }
}

void Generator::genBlocks() {
  program_.blocks = blocksFor(program_.outputs, 1, "r");
}

// Up to three decision blocks over `outputs[first..]`, each output assigned in at most one of them.
std::vector<GBlock> Generator::blocksFor(const std::vector<GOutput>& outputs, size_t first, const std::string& prefix) {
  size_t assignable = outputs.size() - first;
  int blocks = rng_.chance(8) || assignable == 0 ? 0 : rng_.range(1, static_cast<int>(std::min<size_t>(3, assignable)));
  std::vector<GBlock> out;
  if (blocks == 0) return out;
  std::vector<std::vector<size_t>> assigned(static_cast<size_t>(blocks));
  for (size_t output = first; output < outputs.size(); ++output) {
    if (rng_.chance(85)) assigned[rng_.below(assigned.size())].push_back(output);
  }
  for (size_t block = 0; block < assigned.size(); ++block)
    out.push_back(genBlock(outputs, assigned[block], fmt::format("{}{}", prefix, block + 1)));
  return out;
}

// One decision block over `outputs` of `all`. Assignments draw from a pool of two values per output
// half the time, so `exceptions` winners often agree and sometimes conflict.
GBlock Generator::genBlock(const std::vector<GOutput>& all, const std::vector<size_t>& outputs,
                           const std::string& prefix) {
  GBlock block;
  block.policy = rng_.pick(std::vector<std::string>{"first", "unique", "exceptions"});
  std::vector<std::vector<GExpr>> pools;
  for (size_t output : outputs) {
    Want want = wantFor(all[output].type, true);
    pools.push_back({gen(want, 1), gen(want, 1)});
  }
  int rules = rng_.range(1, 5);
  bool partitioned = block.policy != "first" && rng_.chance(70);
  std::vector<int> rank(static_cast<size_t>(rules));
  for (int rule = 0; rule < rules; ++rule) rank[static_cast<size_t>(rule)] = rule;
  rng_.shuffle(rank);
  for (int rule = 0; rule < rules; ++rule) {
    GRule out;
    out.name = fmt::format("{}_{}", prefix, rule + 1);
    if (rng_.chance(35)) out.label = rng_.pick(kLabels);
    bool catch_all = block.policy == "first" && rule == rules - 1 && rng_.chance(25);
    if (!catch_all && rng_.chance(90)) out.condition = genBool(depth_, false);
    if (partitioned) out.condition = idSegment(rule, rules, std::move(out.condition));
    for (size_t slot = 0; slot < outputs.size(); ++slot) {
      if (!rng_.chance(55)) continue;
      const GOutput& target = all[outputs[slot]];
      GExpr value = rng_.chance(50) ? rng_.pick(pools[slot]) : gen(wantFor(target.type, true), depth_ - 1);
      out.assigns.push_back(GAssign{target.name, value});
    }
    for (int other = 0; block.policy == "exceptions" && other < rules; ++other) {
      bool lower = rank[static_cast<size_t>(other)] < rank[static_cast<size_t>(rule)];
      if (lower && out.overrides.size() < 2 && rng_.chance(30))
        out.overrides.push_back(fmt::format("{}_{}", prefix, other + 1));
    }
    block.rules.push_back(out);
  }
  if (block.policy != "exceptions" || rng_.chance(30)) makeDecisionTable(block);
  return block;
}

// A quarter of the blocks become decision tables over up to three int or enum fields: each rule a row
// of random cells (`-`, comparisons, ranges, lists, values); `exceptions` becomes `any` (no overrides).
void Generator::makeDecisionTable(GBlock& block) {
  std::vector<const GField*> columns;
  for (const GField& field : program_.fields)
    if (!field.type.optional && (field.type.kind == Kind::Int || field.type.kind == Kind::Enum)) columns.push_back(&field);
  const bool assigns = std::any_of(block.rules.begin(), block.rules.end(), [](const GRule& rule) { return !rule.assigns.empty(); });
  if (columns.empty() || !assigns || !rng_.chance(25)) return;
  rng_.shuffle(columns);
  columns.resize(std::min<size_t>(columns.size(), static_cast<size_t>(rng_.range(1, 3))));
  // Under `unique` and `any`, a first column on `id` gives each row its own share of the rows (as
  // idSegment does for rules), so overlapping rows conflict on some records, not on most.
  const bool segmented = block.policy != "first";
  if (segmented) block.table_columns.push_back("id");
  for (const GField* column : columns) block.table_columns.push_back(column->name);
  if (block.policy == "exceptions") block.policy = "any";
  const int rows = static_cast<int>(block.rules.size());
  for (int row = 0; row < rows; ++row) {
    GRule& rule = block.rules[static_cast<size_t>(row)];
    rule.condition.reset();
    rule.overrides.clear();
    rule.label.clear();
    if (segmented) {
      const int width = 1000 / rows;
      const int low = row * width + 1;
      const int high = (row + 1) * width + (rng_.chance(25) ? rng_.range(1, width / 2) : 0);
      rule.cells.push_back(fmt::format("{}..{}", low, high));
    }
    for (const GField* column : columns) rule.cells.push_back(conditionCell(*column));
  }
}

// One condition cell on `field` (an int or an enum field).
std::string Generator::conditionCell(const GField& field) {
  if (rng_.chance(30)) return "-";
  if (field.type.kind == Kind::Enum) {
    const std::vector<std::string>& members = program_.enums[static_cast<size_t>(field.type.enum_id)].members;
    switch (rng_.range(0, 2)) {
      case 0: return rng_.pick(members);
      case 1: return fmt::format("in ({}, {})", rng_.pick(members), rng_.pick(members));
      default: return fmt::format("not in ({})", rng_.pick(members));
    }
  }
  const int value = rng_.range(-5, 40);
  switch (rng_.range(0, 5)) {
    case 0: return fmt::format(">= {}", value);
    case 1: return fmt::format("< {}", value);
    case 2: return fmt::format("{}..{}", value, value + rng_.range(0, 20));
    case 3: return fmt::format("in ({}, {})", value, rng_.range(-5, 40));
    case 4: return fmt::format("!= {}", value);
    default: return std::to_string(value);
  }
}

// `(id in 201 .. 400) and condition`: rule `rule` of `rules` gets its own share of the row ids (now
// and then overlapping the next), so `unique` and `exceptions` blocks conflict on some rows, not most.
GExpr Generator::idSegment(int rule, int rules, std::optional<GExpr> condition) {
  int width = 1000 / rules;
  int low = rule * width + 1, high = (rule + 1) * width + (rng_.chance(25) ? rng_.range(1, width / 2) : 0);
  GType integer = typeOf(Kind::Int);
  GExpr segment = make(Node::InRange, "", typeOf(Kind::Bool),
                       {make(Node::Name, "id", integer), make(Node::Literal, std::to_string(low), integer),
                        make(Node::Literal, std::to_string(high), integer)});
  if (!condition) return segment;
  return make(Node::Binary, "and", typeOf(Kind::Bool), {segment, *condition});
}

std::vector<Named> Generator::names(const Want& want, bool optional) const {
  std::vector<Named> out;
  for (const Named& named : scope_) {
    const GType& type = named.type;
    if (type.optional != optional) continue;
    bool kind = type.kind == want.kind || (want.kind == Kind::Decimal && type.kind == Kind::Int);
    if (!kind || type.scale > want.max_scale) continue;
    if (type.kind == Kind::Enum && type.enum_id != want.enum_id) continue;
    out.push_back(named);
  }
  return out;
}

bool Generator::selfTypable(int enum_id) const {
  for (const Named& named : scope_) {
    if (named.type.kind == Kind::Enum && named.type.enum_id == enum_id) return true;
  }
  return false;
}

GExpr Generator::gen(const Want& want, int depth) {
  if (want.kind == Kind::Percent && want.max_scale < 2) throw std::logic_error("a percent needs scale 2 or more");
  if (want.optional_ok && rng_.chance(20)) {
    if (auto optional = genOptional(want, depth)) return *optional;
  }
  if (want.optional_ok && rng_.chance(8)) {
    if (auto missing = genMissing(want, depth)) return *missing;
  }
  if (depth > 0 && rng_.chance(10)) {
    if (auto callable = genCallable(want, depth)) return *callable;
  }
  if (depth <= 0 || rng_.chance(25)) return leaf(want);
  if (want.kind == Kind::Int && rng_.chance(8)) return genDatePart(depth);
  if (want.kind == Kind::Duration && rng_.chance(25)) return genSinceInstant(depth);
  switch (want.kind) {
    case Kind::Bool:
      return genBool(depth, want.optional_ok);
    case Kind::Date:
      return genDate(want, depth);
    case Kind::Timestamp:
      return genTimestamp(want, depth);
    case Kind::Time:
      return genTime(want, depth);
    case Kind::Enum:
      return genEnum(want, depth);
    case Kind::String: {
      if (rng_.chance(40)) return genConcat(depth);
      std::optional<GExpr> out = rng_.chance(50) ? genIf(want, depth) : genCoalesce(want, depth);
      return out ? *out : leaf(want);
    }
    default:
      return genNumeric(want, depth);
  }
}

GExpr Generator::member(int enum_id) {
  GType type = typeOf(Kind::Enum, 0, enum_id);
  return make(Node::Literal, rng_.pick(program_.enums.at(enum_id).members), type);
}

// A name or a literal. Without enum context an enum value must name something of that enum
// (`f3`, or `f4 ?? low0` when only an optional one exists).
GExpr Generator::leaf(const Want& want) {
  std::vector<Named> candidates = names(want, false);
  if (want.kind == Kind::Enum && !want.hinted) {
    if (!candidates.empty()) {
      const Named& named = rng_.pick(candidates);
      return make(Node::Name, named.name, named.type);
    }
    std::vector<Named> optionals = names(want, true);
    const Named& named = rng_.pick(optionals);
    GExpr fallback = member(want.enum_id);
    return make(Node::Binary, "??", fallback.type, {make(Node::Name, named.name, named.type), fallback});
  }
  if (!candidates.empty() && rng_.chance(60)) {
    const Named& named = rng_.pick(candidates);
    return make(Node::Name, named.name, named.type);
  }
  return literalOf(want);
}

GExpr Generator::intLiteral() {
  static const std::vector<std::string> pool = {"0",  "1",   "2",   "3",     "7",       "10",
                                                "12", "100", "365", "12345", "1000000", "9223372036854775807"};
  bool extreme_fits = stored_scale_ <= 0;
  bool extreme = extreme_fits && !rng_.chance(97);
  return make(Node::Literal, extreme ? pool.back() : pool[rng_.below(pool.size() - 1)], typeOf(Kind::Int));
}

GExpr Generator::storedLiteralOf(const Want& want, int declared_scale) {
  stored_scale_ = declared_scale;
  GExpr out = literalOf(want);
  stored_scale_ = -1;
  return out;
}

// Digits with `places` after the point; rarely the largest the 64 bits of a literal hold.
std::string Generator::numberText(int places) {
  if (rng_.chance(2) && (stored_scale_ < 0 || places == stored_scale_)) return extremeText(places, false);
  std::string whole = std::to_string(rng_.chance(50) ? rng_.below(10) : rng_.below(rng_.chance(80) ? 1000 : 1000000));
  if (places == 0) return whole;
  std::string fraction;
  for (int place = 0; place < places; ++place) fraction += static_cast<char>('0' + rng_.below(10));
  return whole + "." + fraction;
}

GExpr Generator::literalOf(const Want& want) {
  GExpr out;
  int scale = want.max_scale;
  switch (want.kind) {
    case Kind::Bool:
      return make(Node::Literal, rng_.chance(50) ? "true" : "false", typeOf(Kind::Bool));
    case Kind::Int:
      out = intLiteral();
      break;
    case Kind::Decimal: {
      if (scale == 0 || rng_.chance(20)) {
        out = intLiteral();
        break;
      }
      int places = rng_.range(1, std::min(scale, 6));
      out = make(Node::Literal, numberText(places), typeOf(Kind::Decimal, places));
      break;
    }
    case Kind::Money: {
      int places = scale >= 2 && rng_.chance(60) ? 2 : rng_.range(0, std::min(scale, 3));
      out = make(Node::Literal, numberText(places) + " " + program_.currency, typeOf(Kind::Money, places));
      break;
    }
    case Kind::Percent: {
      int places = rng_.range(0, std::min(scale - 2, 4));
      int saved = stored_scale_;
      if (stored_scale_ >= 0) stored_scale_ -= 2;  // `X%` with `places` digits is a fraction at places + 2
      out = make(Node::Literal, numberText(places) + "%", typeOf(Kind::Percent, places + 2));
      stored_scale_ = saved;
      break;
    }
    case Kind::Days: {
      int64_t days = rng_.chance(20) ? 1 : static_cast<int64_t>(rng_.below(rng_.chance(90) ? 400 : 4000000));
      out = make(Node::Literal, days == 1 ? "1 day" : fmt::format("{} days", days), typeOf(Kind::Days));
      break;
    }
    case Kind::Date:
      return make(Node::Literal, dateText(rng_), typeOf(Kind::Date));
    case Kind::Timestamp:
      return make(Node::Literal, timestampText(rng_), typeOf(Kind::Timestamp));
    case Kind::Time:
      return make(Node::Literal, timeText(rng_), typeOf(Kind::Time));
    case Kind::Duration:
      out = durationLiteral();
      break;
    case Kind::String:
      return make(Node::Literal, rng_.pick(kStrings), typeOf(Kind::String));
    case Kind::Enum:
      return member(want.enum_id);
  }
  if (rng_.chance(20) && out.text != "0") return make(Node::Neg, "", out.type, {out});
  return out;
}

// A value of type `T?`: an optional name, `if c then opt else x`, or `opt ?? opt2`. The optional
// name comes first, so it anchors enum context for the other operand.
std::optional<GExpr> Generator::genOptional(const Want& want, int depth) {
  std::vector<Named> optionals = names(want, true);
  if (optionals.empty()) return std::nullopt;
  const Named& named = rng_.pick(optionals);
  GExpr base = make(Node::Name, named.name, named.type);
  int form = depth <= 0 ? 0 : rng_.range(0, 2);
  if (form == 0) return base;
  Want other = want;
  other.optional_ok = true;
  other.hinted = true;
  if (form == 1) {
    GExpr alternative = gen(other, depth - 1);
    GType type = join(base.type, alternative.type);
    return make(Node::If, "", type, {genBool(depth - 1, false), base, alternative});
  }
  const Named& second = rng_.pick(optionals);
  GExpr fallback = make(Node::Name, second.name, second.type);
  return make(Node::Binary, "??", join(base.type, fallback.type), {base, fallback});
}

GExpr Generator::genNumeric(const Want& want, int depth) {
  if (want.kind == Kind::Int && rng_.chance(15)) return genIntConversion(depth);
  int choice = static_cast<int>(rng_.below(want.kind == Kind::Days ? 10 : 9));
  Want operand = plain(want);
  switch (choice) {
    case 0: {
      GExpr left = gen(operand, depth - 1), right = gen(operand, depth - 1);
      GType type = join(left.type, right.type);
      return make(Node::Binary, rng_.chance(50) ? "+" : "-", type, {left, right});
    }
    case 1:
      if (auto product = genMul(want, depth)) return *product;
      break;
    case 2: {
      GExpr value = gen(operand, depth - 1);
      return make(Node::Neg, "", value.type, {value});
    }
    case 3: {
      GExpr value = gen(operand, depth - 1);
      return make(Node::Call, "abs", value.type, {value});
    }
    case 4: {
      std::vector<GExpr> args;
      GType type;
      for (int arg = 0, count = rng_.range(2, 3); arg < count; ++arg) {
        args.push_back(gen(operand, depth - 1));
        type = arg == 0 ? args.back().type : join(type, args.back().type);
      }
      return make(Node::Call, rng_.chance(50) ? "min" : "max", type, args);
    }
    case 5:
    case 6:
      return genRound(want, depth);
    case 7:
      if (auto choice_expr = genIf(want, depth)) return *choice_expr;
      break;
    case 8:
      if (auto coalesced = genCoalesce(want, depth)) return *coalesced;
      break;
    default: {
      GExpr later = genDate(wantOf(Kind::Date), depth - 1), earlier = genDate(wantOf(Kind::Date), depth - 1);
      return make(Node::Binary, "-", typeOf(Kind::Days), {later, earlier});
    }
  }
  return leaf(want);
}

// `a * b` within the scale budget: scales add, so the budget is split between the factors. Money and
// percent multiply by ints, decimals and percents; days only by ints.
std::optional<GExpr> Generator::genMul(const Want& want, int depth) {
  int budget = want.max_scale;
  Kind kind = want.kind;
  Kind other = Kind::Int;
  int own = 0, other_scale = 0;
  if (kind == Kind::Decimal) {
    other = Kind::Decimal;
    own = rng_.range(0, budget);
    other_scale = rng_.range(0, budget - own);
  } else if (kind == Kind::Money || kind == Kind::Percent) {
    int reserve = kind == Kind::Percent ? 2 : 0;  // the percent factor's own minimum
    std::vector<Kind> others = {Kind::Int, Kind::Decimal};
    if (budget - reserve >= 2) others.push_back(Kind::Percent);
    other = rng_.pick(others);
    int low = other == Kind::Percent ? 2 : 0;
    other_scale = other == Kind::Int ? 0 : rng_.range(low, budget - reserve);
    own = rng_.range(reserve, budget - other_scale);
  }
  GExpr left = gen(wantOf(kind, own), depth - 1);
  GExpr right = gen(wantOf(other, other_scale), depth - 1);
  GType type = left.type;
  if (kind == Kind::Decimal && right.type.kind == Kind::Decimal) type.kind = Kind::Decimal;
  type.scale = left.type.scale + right.type.scale;
  type.optional = false;
  if (rng_.chance(50)) std::swap(left, right);
  return make(Node::Binary, "*", type, {left, right});
}

// round(x, places[, mode]) where x has any scale, or is an exact quotient of the wanted kind.
GExpr Generator::genRound(const Want& want, int depth) {
  Kind kind = want.kind;
  int places = 0;
  if (kind == Kind::Decimal) places = rng_.range(0, std::min(want.max_scale, 6));
  if (kind == Kind::Money) places = rng_.range(0, std::min(want.max_scale, 4));
  if (kind == Kind::Percent) places = rng_.range(0, std::min(want.max_scale - 2, 6));
  bool quotient = kind != Kind::Int && rng_.chance(60);
  GExpr value = quotient ? genQuotient(kind, depth - 1)
                         : gen(wantOf(kind, kind == Kind::Percent ? 12 : rng_.range(0, 12)), depth - 1);
  GType type = typeOf(kind, kind == Kind::Percent ? places + 2 : places);
  // A decimal want may have given an int, or the quotient accrue(int, ...): round(x, 0) of either is an int.
  if (kind == Kind::Decimal && value.type.kind == Kind::Int && places == 0) type.kind = Kind::Int;
  std::vector<GExpr> args = {value, make(Node::Literal, std::to_string(places), typeOf(Kind::Int))};
  if (rng_.chance(65)) args.push_back(make(Node::Literal, rng_.pick(kModes), typeOf(Kind::String)));
  return make(Node::Call, "round", type, args);
}

// int(x, MODE) of a decimal, money or an exact quotient, or int(d) of days. Now and then x is a value
// plus half a unit (`x + 0.5`, `m - 0.50 EUR`), so whole inputs land exactly on a rounding tie.
GExpr Generator::genIntConversion(int depth) {
  Kind kind = rng_.pick(std::vector<Kind>{Kind::Decimal, Kind::Money, Kind::Days});
  GExpr value;
  if (rng_.chance(30)) {
    value = genQuotient(kind, depth - 1);
  } else {
    value = gen(wantOf(kind, kind == Kind::Days ? 0 : rng_.range(0, 6)), depth - 1);
  }
  if (kind != Kind::Days && !value.quotient && rng_.chance(40)) {
    GExpr tie = kind == Kind::Money ? make(Node::Literal, "0.50 " + program_.currency, typeOf(Kind::Money, 2))
                                    : make(Node::Literal, "0.5", typeOf(Kind::Decimal, 1));
    value = make(Node::Binary, rng_.chance(50) ? "+" : "-", join(value.type, tie.type), {value, tie});
  }
  // int() of an int or days takes no mode (E0335); a decimal want may have given an int.
  bool whole = !value.quotient && (value.type.kind == Kind::Int || value.type.kind == Kind::Days);
  std::vector<GExpr> args = {value};
  if (!whole) args.push_back(make(Node::Literal, rng_.pick(kModes), typeOf(Kind::String)));
  return make(Node::Call, "int", typeOf(Kind::Int), args);
}

// `a ++ b`: two strings that are present, now and then a value's text.
GExpr Generator::genConcat(int depth) {
  Want operand = wantOf(Kind::String);
  GExpr left = rng_.chance(30) ? genText(depth - 1) : gen(operand, depth - 1);
  GExpr right = rng_.chance(30) ? genText(depth - 1) : gen(operand, depth - 1);
  return make(Node::Binary, "++", typeOf(Kind::String), {left, right});
}


// `missing` where its type is known: alone when the context gives it (a declared `T?`, the side of an
// `if` or `??` whose other side anchors it), or as `if c then x else missing` beside a value.
std::optional<GExpr> Generator::genMissing(const Want& want, int depth) {
  GType type = typeOf(want.kind, want.max_scale, want.enum_id);
  type.optional = true;
  GExpr missing = make(Node::Literal, "missing", type);
  if (want.hinted && rng_.chance(40)) return missing;
  if (depth <= 0) return std::nullopt;
  Want value_want = plain(want);
  value_want.hinted = false;  // the value anchors the type of `missing`, so it must say its own
  if (want.kind == Kind::Enum && !selfTypable(want.enum_id)) return std::nullopt;
  GExpr value = gen(value_want, depth - 1);
  GType joined = value.type;
  joined.optional = true;
  bool missing_first = rng_.chance(50);
  return make(Node::If, "", joined,
              {genBool(depth - 1, false), missing_first ? missing : value, missing_first ? value : missing});
}

GExpr Generator::genDivisor(const std::vector<Kind>& kinds, int depth) {
  Kind kind = rng_.pick(kinds);
  int scale = kind == Kind::Decimal ? 4 : kind == Kind::Percent ? 6 : 0;
  return gen(wantOf(kind, scale), depth);
}

// An exact quotient that rounds to `kind`: `amount / 12`, `(overdue / 365 days) * rate`, ...
GExpr Generator::genQuotient(Kind kind, int depth) {
  if ((kind == Kind::Money || kind == Kind::Decimal) && rng_.chance(40)) {
    if (auto accrual = genAccrue(kind, depth)) {
      if (!rng_.chance(20)) return *accrual;
      GExpr product = make(Node::Binary, "*", accrual->type, {*accrual, gen(wantOf(Kind::Int), depth)});
      product.quotient = true;
      return product;
    }
  }
  GExpr numerator, denominator;
  if (kind == Kind::Decimal && rng_.chance(40)) {
    Kind like = rng_.chance(50) ? Kind::Percent : Kind::Days;
    int scale = like == Kind::Percent ? 6 : 0;
    numerator = gen(wantOf(like, scale), depth);
    denominator = gen(wantOf(like, scale), depth);
  } else {
    int scale = kind == Kind::Days ? 0 : 6;
    numerator = gen(wantOf(kind, scale), depth);
    std::vector<Kind> divisors = {Kind::Int, Kind::Decimal};
    if (kind != Kind::Percent) divisors.push_back(Kind::Percent);
    // A duration may be written in days (`7 days`), and days / days is a decimal: no days divisor then.
    if (kind != Kind::Days && kind != Kind::Duration) divisors.push_back(Kind::Days);
    denominator = genDivisor(divisors, depth);
  }
  GExpr quotient = make(Node::Binary, "/", typeOf(kind), {numerator, denominator});
  quotient.quotient = true;
  if (rng_.chance(30)) {
    std::vector<Kind> factors = {Kind::Int};
    if (kind != Kind::Days && kind != Kind::Duration) factors.push_back(Kind::Decimal);
    if (kind == Kind::Money || kind == Kind::Percent) factors.push_back(Kind::Percent);
    GExpr factor = genDivisor(factors, depth);
    quotient = rng_.chance(50) ? make(Node::Binary, "*", typeOf(kind), {quotient, factor})
                               : make(Node::Binary, "*", typeOf(kind), {factor, quotient});
    quotient.quotient = true;
  }
  if (rng_.chance(15)) {
    std::vector<Kind> divisors = {Kind::Int, Kind::Decimal};
    quotient = make(Node::Binary, "/", typeOf(kind), {quotient, genDivisor(divisors, depth)});
    quotient.quotient = true;
  }
  return quotient;
}

// `if c then a else b`. Without enum context the first branch that is not a bare member must say
// which enum it is.
std::optional<GExpr> Generator::genIf(const Want& want, int depth) {
  GExpr condition = genBool(depth - 1, false);
  GExpr then_branch, else_branch;
  if (want.kind == Kind::Enum && !want.hinted) {
    Want hinted = want;
    hinted.hinted = true;
    if (rng_.chance(30)) {
      then_branch = member(want.enum_id);
      else_branch = gen(want, depth - 1);
    } else {
      then_branch = gen(want, depth - 1);
      else_branch = gen(hinted, depth - 1);
    }
  } else {
    then_branch = gen(want, depth - 1);
    else_branch = gen(want, depth - 1);
  }
  GType type = join(then_branch.type, else_branch.type);
  if (want.kind == Kind::Enum || then_branch.type.kind == Kind::Enum) type.enum_id = want.enum_id;
  return make(Node::If, "", type, {condition, then_branch, else_branch});
}

// `opt ?? fallback`: missing only if the fallback may be.
std::optional<GExpr> Generator::genCoalesce(const Want& want, int depth) {
  std::vector<Named> optionals = names(want, true);
  if (optionals.empty()) return std::nullopt;
  const Named& named = rng_.pick(optionals);
  GExpr value = make(Node::Name, named.name, named.type);
  Want other = want;
  other.hinted = true;
  GExpr fallback = gen(other, depth - 1);
  GType type = join(value.type, fallback.type);
  type.optional = fallback.type.optional;
  return make(Node::Binary, "??", type, {value, fallback});
}

GExpr Generator::genDate(const Want& want, int depth) {
  if (depth <= 0) return leaf(want);
  switch (rng_.below(6)) {
    case 0: {
      GExpr date = genDate(plain(want), depth - 1), days = gen(wantOf(Kind::Days), depth - 1);
      if (rng_.chance(30)) return make(Node::Binary, "+", typeOf(Kind::Date), {days, date});
      return make(Node::Binary, rng_.chance(50) ? "+" : "-", typeOf(Kind::Date), {date, days});
    }
    case 1: {
      std::vector<GExpr> args;
      for (int arg = 0, count = rng_.range(2, 3); arg < count; ++arg) args.push_back(genDate(plain(want), depth - 1));
      return make(Node::Call, rng_.chance(50) ? "min" : "max", typeOf(Kind::Date), args);
    }
    case 2:
      if (auto choice = genIf(want, depth)) return *choice;
      break;
    case 3:
      if (auto coalesced = genCoalesce(want, depth)) return *coalesced;
      break;
    case 4:
      if (rng_.chance(50)) {
        return make(Node::Call, "local_date", typeOf(Kind::Date),
                    {genTimestamp(wantOf(Kind::Timestamp), depth - 1), zoneExpr(depth - 1)});
      }
      if (auto built = genDateFromParts(depth)) return *built;
      break;
    default:
      break;
  }
  return leaf(want);
}

// ---- time ------------------------------------------------------------------------------------------

// The zones the generator names: DST in both hemispheres, a 30-minute DST (Lord Howe), half-hour
// offsets, a zone without DST; now and then any string, so unknown zones reject rows in both engines.
GExpr Generator::zoneExpr(int depth) {
  static const std::vector<std::string> kZones = {"\"Europe/Berlin\"",       "\"America/New_York\"",
                                                  "\"Australia/Lord_Howe\"", "\"Asia/Kolkata\"",
                                                  "\"America/Sao_Paulo\"",   "\"UTC\""};
  GExpr zone = make(Node::Literal, rng_.pick(kZones), typeOf(Kind::String));
  std::vector<Named> strings;  // input fields only: a param or let naming no zone would reject every row
  for (const Named& named : names(wantOf(Kind::String), false)) {
    if (named.name.starts_with("f")) strings.push_back(named);
  }
  if (strings.empty() || rng_.chance(93)) return zone;
  GExpr named = make(Node::Name, rng_.pick(strings).name, typeOf(Kind::String));
  if (depth <= 0 || rng_.chance(50)) return named;
  return make(Node::If, "", typeOf(Kind::String), {genBool(depth - 1, false), named, zone});
}

// `24 h`, `30 min`, `45 s`, or `7 days` (days widen to a duration).
GExpr Generator::durationLiteral() {
  static const std::vector<std::string> kUnits = {"s", "min", "h"};
  int64_t count = rng_.chance(20) ? 1 : static_cast<int64_t>(rng_.below(rng_.chance(97) ? 100 : 100000000));
  if (rng_.chance(2)) return make(Node::Literal, "9223372036854775807 s", typeOf(Kind::Duration));
  if (rng_.chance(20)) return make(Node::Literal, fmt::format("{} days", count), typeOf(Kind::Duration));
  return make(Node::Literal, fmt::format("{} {}", count, rng_.pick(kUnits)), typeOf(Kind::Duration));
}

// `now - at`: the duration between two instants.
GExpr Generator::genSinceInstant(int depth) {
  GExpr later = genTimestamp(wantOf(Kind::Timestamp), depth - 1), earlier = genTimestamp(wantOf(Kind::Timestamp), depth - 1);
  return make(Node::Binary, "-", typeOf(Kind::Duration), {later, earlier});
}

// year(d), month(d), day(d) or weekday(d).
GExpr Generator::genDatePart(int depth) {
  static const std::vector<std::string> kParts = {"year", "month", "day", "weekday"};
  return make(Node::Call, rng_.pick(kParts), typeOf(Kind::Int), {genDate(wantOf(Kind::Date), depth - 1)});
}

// date(year(d), m, d) with a day every month has, or date_clamped(year(d), m, any day): the A12
// anniversary of 29 February.
std::optional<GExpr> Generator::genDateFromParts(int depth) {
  GType integer = typeOf(Kind::Int);
  GExpr year = make(Node::Call, "year", integer, {genDate(wantOf(Kind::Date), depth - 1)});
  GExpr month = make(Node::Literal, std::to_string(rng_.range(1, 12)), integer);
  bool clamped = rng_.chance(60);
  GExpr day = make(Node::Literal, std::to_string(clamped ? rng_.range(1, 31) : rng_.range(1, 28)), integer);
  if (rng_.chance(20)) day = make(Node::Call, "day", integer, {genDate(wantOf(Kind::Date), depth - 1)});
  if (!clamped && day.node == Node::Call) clamped = true;
  return make(Node::Call, clamped ? "date_clamped" : "date", typeOf(Kind::Date), {year, month, day});
}

GExpr Generator::genTimestamp(const Want& want, int depth) {
  if (depth <= 0) return leaf(want);
  switch (rng_.below(5)) {
    case 0: {
      GExpr instant = genTimestamp(plain(want), depth - 1), moved = gen(wantOf(Kind::Duration), depth - 1);
      if (rng_.chance(20)) moved = gen(wantOf(Kind::Days), depth - 1);
      if (rng_.chance(20)) return make(Node::Binary, "+", typeOf(Kind::Timestamp), {moved, instant});
      return make(Node::Binary, rng_.chance(50) ? "+" : "-", typeOf(Kind::Timestamp), {instant, moved});
    }
    case 1: {
      std::vector<GExpr> args;
      for (int arg = 0, count = rng_.range(2, 3); arg < count; ++arg) args.push_back(genTimestamp(plain(want), depth - 1));
      return make(Node::Call, rng_.chance(50) ? "min" : "max", typeOf(Kind::Timestamp), args);
    }
    case 2:
      if (auto choice = genIf(want, depth)) return *choice;
      break;
    case 3:
      if (auto coalesced = genCoalesce(want, depth)) return *coalesced;
      break;
    default:
      return make(Node::Call, "at_local", typeOf(Kind::Timestamp),
                  {genDate(wantOf(Kind::Date), depth - 1), genTime(wantOf(Kind::Time), depth - 1), zoneExpr(depth - 1)});
  }
  return leaf(want);
}

GExpr Generator::genTime(const Want& want, int depth) {
  if (depth <= 0) return leaf(want);
  switch (rng_.below(4)) {
    case 0:
      if (auto choice = genIf(want, depth)) return *choice;
      break;
    case 1:
      if (auto coalesced = genCoalesce(want, depth)) return *coalesced;
      break;
    default:
      return make(Node::Call, "local_time", typeOf(Kind::Time),
                  {genTimestamp(wantOf(Kind::Timestamp), depth - 1), zoneExpr(depth - 1)});
  }
  return leaf(want);
}

GExpr Generator::genEnum(const Want& want, int depth) {
  std::optional<GExpr> out;
  if (rng_.chance(50)) out = genIf(want, depth);
  if (!out && rng_.chance(50)) out = genCoalesce(want, depth);
  return out ? *out : leaf(want);
}

// An operand that anchors enum context: never a bare member.
GExpr Generator::selfTyped(const Want& want, int depth) {
  Want own = want;
  own.hinted = false;
  return gen(own, depth);
}

Kind Generator::comparableKind(bool orderable_only) {
  std::vector<Kind> kinds = {Kind::Int,  Kind::Decimal,   Kind::Money,    Kind::Percent,
                             Kind::Days, Kind::Date,      Kind::Timestamp, Kind::Duration, Kind::Time};
  if (!orderable_only) {
    kinds.push_back(Kind::String);
    kinds.push_back(Kind::Bool);
    for (size_t enum_id = 0; enum_id < program_.enums.size(); ++enum_id) {
      if (selfTypable(static_cast<int>(enum_id))) kinds.push_back(Kind::Enum);
    }
  }
  return rng_.pick(kinds);
}

Want comparisonWant(Kind kind) {
  return wantOf(kind, isNumeric(kind) ? 8 : 0);
}

GExpr Generator::genBool(int depth, bool optional_ok) {
  Want want = wantOf(Kind::Bool);
  want.optional_ok = optional_ok;
  if (depth <= 0 || rng_.chance(15)) return leaf(want);
  GType boolean = typeOf(Kind::Bool);
  switch (rng_.below(11)) {
    case 0:
      return make(Node::Not, "", boolean, {genBool(depth - 1, false)});
    case 1:
    case 2: {
      std::string op = rng_.chance(50) ? "and" : "or";
      GExpr out = make(Node::Binary, op, boolean, {genBool(depth - 1, false), genBool(depth - 1, false)});
      if (rng_.chance(30)) out = make(Node::Binary, op, boolean, {out, genBool(depth - 1, false)});
      return out;
    }
    case 3:
    case 4:
      return genCompare(depth);
    case 5:
      return genInList(depth);
    case 6:
      return genInRange(depth);
    case 7:
      if (auto missing = genIsMissing(depth)) return *missing;
      break;
    case 8:
      if (auto choice = genIf(want, depth)) return *choice;
      break;
    case 9:
      if (auto callable = genCallable(want, depth)) return *callable;
      break;
    default:
      if (auto coalesced = genCoalesce(want, depth)) return *coalesced;
      break;
  }
  return genCompare(depth);
}

// Picks an enum that something in scope names, for comparisons.
static int comparableEnum(Rng& rng, const GProgram& program, const std::function<bool(int)>& self_typable) {
  std::vector<int> usable;
  for (size_t enum_id = 0; enum_id < program.enums.size(); ++enum_id) {
    if (self_typable(static_cast<int>(enum_id))) usable.push_back(static_cast<int>(enum_id));
  }
  return rng.pick(usable);
}

GExpr Generator::genCompare(int depth) {
  Kind kind = comparableKind(false);
  bool ordering = isOrderable(kind) && rng_.chance(60);
  std::string op = ordering ? rng_.pick(std::vector<std::string>{"<", "<=", ">", ">="})
                            : rng_.pick(std::vector<std::string>{"==", "!="});
  GExpr left, right;
  if (kind == Kind::Enum) {
    Want want = wantOf(Kind::Enum);
    want.enum_id = comparableEnum(rng_, program_, [this](int enum_id) { return selfTypable(enum_id); });
    Want hinted = want;
    hinted.hinted = true;
    if (rng_.chance(30)) {
      left = member(want.enum_id);
      right = selfTyped(want, depth - 1);
    } else {
      left = selfTyped(want, depth - 1);
      right = gen(hinted, depth - 1);
    }
  } else if (kind == Kind::Bool) {
    left = genBool(depth - 1, false);
    right = genBool(depth - 1, false);
  } else {
    left = gen(comparisonWant(kind), depth - 1);
    right = gen(comparisonWant(kind), depth - 1);
  }
  return make(Node::Binary, op, typeOf(Kind::Bool), {left, right});
}

GExpr Generator::genInList(int depth) {
  Kind kind = comparableKind(false);
  if (kind == Kind::Bool) kind = Kind::Int;
  Want want = comparisonWant(kind);
  if (kind == Kind::Enum)
    want.enum_id = comparableEnum(rng_, program_, [this](int enum_id) { return selfTypable(enum_id); });
  Want item = want;
  item.hinted = true;
  std::vector<GExpr> args = {selfTyped(want, depth - 1)};
  for (int arg = 0, count = rng_.range(1, 4); arg < count; ++arg) args.push_back(gen(item, std::min(depth - 1, 1)));
  GExpr out = make(Node::InList, "", typeOf(Kind::Bool), args);
  out.negated = rng_.chance(30);
  return out;
}

// text(x) of a value of any kind that says its own type (an enum value is a name, not a bare member).
GExpr Generator::genText(int depth) {
  Kind kind = comparableKind(false);
  Want want = comparisonWant(kind);
  if (kind == Kind::Enum)
    want.enum_id = comparableEnum(rng_, program_, [this](int enum_id) { return selfTypable(enum_id); });
  GExpr value = kind == Kind::Bool ? genBool(depth, false) : selfTyped(want, depth);
  return make(Node::Call, "text", typeOf(Kind::String), {value});
}

GExpr Generator::genInRange(int depth) {
  Want want = comparisonWant(comparableKind(true));
  int bounds = std::min(depth - 1, 1);
  GExpr out = make(Node::InRange, "", typeOf(Kind::Bool), {gen(want, depth - 1), gen(want, bounds), gen(want, bounds)});
  out.negated = rng_.chance(30);
  return out;
}

std::optional<GExpr> Generator::genIsMissing(int depth) {
  if (!tables_.empty() && rng_.chance(35)) {
    const GTable& table = rng_.pick(tables_);
    const GColumn& column = rng_.pick(table.values);
    bool single = table.values.size() == 1 && rng_.chance(50);
    GExpr out = make(Node::IsMissing, "", typeOf(Kind::Bool), {lookupOf(table, single ? "" : column.name, column.type, depth)});
    out.negated = rng_.chance(40);
    return out;
  }
  std::vector<Named> optionals;
  for (const Named& named : scope_) {
    if (named.type.optional) optionals.push_back(named);
  }
  if (optionals.empty()) return std::nullopt;
  const GType& type = rng_.pick(optionals).type;
  Want want = wantFor(type, false);
  want.max_scale = std::max(type.scale, 8);
  GExpr value = *genOptional(want, depth - 1);
  GExpr out = make(Node::IsMissing, "", typeOf(Kind::Bool), {value});
  out.negated = rng_.chance(40);
  return out;
}

// ---- tables, functions and the module ------------------------------------------------------------

const std::vector<std::string> kKeyStrings = {"\"a\"", "\"Zahlung\"", "\"x y\"", "\"grüße\"", "\"42\"",
                                              "\"\"",  "\"A\"",       "\"end\"", "\"€ 5\""};

std::string Generator::fieldFormat(const GType& type) {
  if (type.kind == Kind::Date && rng_.chance(30)) return rng_.chance(50) ? "M/D/YYYY" : "D.M.YYYY";
  if (type.kind == Kind::Bool && rng_.chance(30)) return rng_.chance(50) ? "Yes/No" : "1.0/0.0";
  if ((type.kind == Kind::Int || type.kind == Kind::Days) && rng_.chance(20)) return "whole.0";
  return "";
}

// A key cell: small ints (so field values hit rows), dates of the cell pool, strings the CSV also
// writes, or a member.
std::string Generator::keyText(const GColumn& key) {
  switch (key.type.kind) {
    case Kind::Int:
      return std::to_string(rng_.range(-3, 12));
    case Kind::Date:
      return dateText(rng_);
    case Kind::String:
      return rng_.pick(kKeyStrings);
    default:
      return rng_.pick(program_.enums.at(key.type.enum_id).members);
  }
}

// An inline table with distinct keys: exact (int, date, enum, string) or range (int, date), one to
// three value columns of any type but string.
GTable Generator::genTable(const std::string& name) {
  GTable table;
  table.name = name;
  table.range = rng_.chance(40);
  std::vector<Kind> keys = table.range ? std::vector<Kind>{Kind::Int, Kind::Date}
                                       : std::vector<Kind>{Kind::Int, Kind::Date, Kind::Enum, Kind::String};
  Kind key = rng_.pick(keys);
  table.key = GColumn{"k", typeOf(key, 0, key == Kind::Enum ? static_cast<int>(rng_.below(program_.enums.size())) : -1)};
  for (int column = 1, count = rng_.range(1, 3); column <= count; ++column) {
    GType type = randomType(false);
    if (type.kind == Kind::String) type = typeOf(Kind::Int);
    table.values.push_back(GColumn{fmt::format("v{}", column), type});
  }
  std::vector<std::string> used;
  int rows = rng_.range(1, 6);
  for (int attempt = 0; attempt < 4 * rows && static_cast<int>(table.rows.size()) < rows; ++attempt) {
    std::string text = keyText(table.key);
    if (std::find(used.begin(), used.end(), text) != used.end()) continue;
    used.push_back(text);
    std::vector<std::string> row = {text};
    for (const GColumn& column : table.values) {
      row.push_back(exprText(storedLiteralOf(wantFor(column.type, true), column.type.scale)));
    }
    table.rows.push_back(row);
  }
  return table;
}

// A date range table of one percent (or decimal) column for accrue: a few periods from 1990 (now and
// then from 0001-01-01, or later, so some days fall before the first row), negative rates too.
GTable Generator::genRateTable(const std::string& name) {
  GTable table;
  table.name = name;
  table.range = true;
  table.key = GColumn{"valid_from", typeOf(Kind::Date)};
  bool percent = rng_.chance(75);
  GType rate = percent ? typeOf(Kind::Percent, 6) : typeOf(Kind::Decimal, rng_.range(2, 6));
  table.values.push_back(GColumn{"rate", rate});
  int year = rng_.chance(15) ? 1 : rng_.chance(50) ? 1990 : rng_.range(1995, 2030);
  int month = rng_.range(1, 12), day = rng_.range(1, 28);
  for (int row = 0, rows = rng_.range(1, 6); row < rows; ++row) {
    std::string whole = std::to_string(rng_.range(-1, 12));
    std::string places = rng_.chance(50) ? "" : fmt::format(".{:02}", rng_.range(0, 99));
    std::string value = percent ? whole + places + "%" : fmt::format("0.{:02}", rng_.range(0, 15));
    if (!percent && rng_.chance(20)) value = "-" + value;
    table.rows.push_back({fmt::format("{:04}-{:02}-{:02}", year, month, day), value});
    year += year == 1 ? 1989 : rng_.range(0, 4);
    month = rng_.range(1, 12), day = rng_.range(1, 28);
    if (rng_.chance(30)) year += 1;
  }
  // Keys must be distinct: later rows only move forward, so drop any row whose key repeats.
  std::vector<std::vector<std::string>> distinct;
  for (const auto& row : table.rows) {
    if (distinct.empty() || distinct.back()[0] < row[0]) distinct.push_back(row);
  }
  table.rows = distinct;
  if (rng_.chance(50)) rng_.shuffle(table.rows);
  return table;
}

// A function of one to three parameters (some `T?`) whose body sees only them, the tables and the
// functions declared before it.
GFunction Generator::genFunction(const std::string& name) {
  GFunction function;
  function.name = name;
  for (int param = 1, count = rng_.range(1, 3); param <= count; ++param)
    function.params.push_back(GColumn{fmt::format("x{}", param), randomType(true)});
  function.result = randomType(rng_.chance(15));
  std::vector<Named> saved = scope_;
  scope_.clear();
  for (const GColumn& param : function.params) scope_.push_back(Named{param.name, param.type});
  function.body = gen(wantFor(function.result, true), 2);
  scope_ = saved;
  return function;
}

void Generator::genTablesAndFunctions(std::vector<GTable>& tables, std::vector<GFunction>& functions,
                                      const std::string& prefix) {
  if (rng_.chance(60)) tables.push_back(genRateTable(prefix + "rates"));
  for (int table = 1, count = rng_.chance(60) ? rng_.range(1, 3) : 0; table <= count; ++table)
    tables.push_back(genTable(fmt::format("{}t{}", prefix, table)));
  for (const GTable& table : tables) tables_.push_back(table);
  for (int function = 1, count = rng_.chance(55) ? rng_.range(1, 4) : 0; function <= count; ++function) {
    functions.push_back(genFunction(fmt::format("{}fn{}", prefix, function)));
    functions_.push_back(functions.back());
  }
}

// The module's tables and functions: they see only each other; afterwards the program sees all.
void Generator::genModuleHead() {
  program_.module.emplace();
  std::vector<GTable> tables = tables_;
  std::vector<GFunction> functions = functions_;
  tables_.clear();
  functions_.clear();
  genTablesAndFunctions(program_.module->tables, program_.module->functions, "m");
  tables_.insert(tables_.begin(), tables.begin(), tables.end());
  functions_.insert(functions_.begin(), functions.begin(), functions.end());
}

// `id` and up to four more of the program's fields, params and lets whose type a declaration can
// state (money and percent at most at their declared scale).
std::vector<GField> Generator::requirements() {
  std::vector<GField> out = {GField{"id", typeOf(Kind::Int), "id", false, ""}};
  std::vector<Named> candidates;
  for (const Named& named : scope_) {
    // A duration let may be typed days by the checker (days widen to durations): not stated as a requirement.
    bool fits = named.name != "id" && named.type.kind != Kind::Duration &&
                !(named.type.kind == Kind::Money && named.type.scale > 2) &&
                !(named.type.kind == Kind::Percent && named.type.scale > 6);
    if (fits) candidates.push_back(named);
  }
  rng_.shuffle(candidates);
  for (size_t pick = 0, count = static_cast<size_t>(rng_.range(1, 4)); pick < count && pick < candidates.size(); ++pick) {
    GType type = candidates[pick].type;
    if (type.kind == Kind::Money) type.scale = 2;
    if (type.kind == Kind::Percent) type.scale = 6;
    out.push_back(GField{candidates[pick].name, type, candidates[pick].name, false, ""});
  }
  return out;
}

// The module's requirements, outputs and decisions, which see only the requirements and the module's
// own tables and functions.
void Generator::genModuleBody() {
  GModule& module = *program_.module;
  module.requirements = requirements();
  std::vector<Named> scope = scope_;
  std::vector<GTable> tables = tables_;
  std::vector<GFunction> functions = functions_;
  scope_.clear();
  for (const GField& field : module.requirements) scope_.push_back(Named{field.name, field.type});
  tables_ = module.tables;
  functions_ = module.functions;
  for (int output = 1, count = rng_.range(1, 3); output <= count; ++output) {
    GOutput out;
    out.name = fmt::format("mo{}", output);
    out.type = randomType(true);
    out.default_value = gen(wantFor(out.type, true), depth_ - 1);
    module.outputs.push_back(out);
  }
  module.blocks = blocksFor(module.outputs, 0, "mr");
  scope_ = scope;
  tables_ = tables;
  functions_ = functions;
}

// Does a value of `type` (read as required) fit where `want` asks?
bool fits(const GType& type, const Want& want) {
  bool kind = type.kind == want.kind || (want.kind == Kind::Decimal && type.kind == Kind::Int);
  return kind && type.scale <= want.max_scale && (type.kind != Kind::Enum || type.enum_id == want.enum_id);
}

// `value ?? fallback` where the place needs more than `T?` allows, else `value` itself.
GExpr coalesced(GExpr value, std::optional<GExpr> fallback) {
  if (!fallback) return value;
  GType type = join(value.type, fallback->type);
  type.optional = fallback->type.optional;
  if (value.type.kind == Kind::Enum) type.enum_id = value.type.enum_id;
  return make(Node::Binary, "??", type, {std::move(value), *fallback});
}

// A call of a declared function, a table lookup, or (under round) an accrual.
std::optional<GExpr> Generator::genCallable(const Want& want, int depth) {
  if (rng_.chance(50)) {
    if (auto call = genFnCall(want, depth)) return call;
    return genLookup(want, depth);
  }
  if (auto lookup = genLookup(want, depth)) return lookup;
  return genFnCall(want, depth);
}

// `fn(a, b)`, `fn(a, x2: b)` or `fn(x2: b, x1: a)`; a `T?` result gets a fallback unless the place
// takes `T?`.
std::optional<GExpr> Generator::genFnCall(const Want& want, int depth) {
  std::vector<const GFunction*> usable;
  for (const GFunction& function : functions_) {
    if (fits(function.result, want) && (want.optional_ok || !function.result.optional || rng_.chance(50)))
      usable.push_back(&function);
  }
  if (usable.empty()) return std::nullopt;
  const GFunction& function = *rng_.pick(usable);
  GExpr call = make(Node::FnCall, function.name, function.result);
  size_t positional = rng_.chance(40) ? function.params.size() : rng_.below(function.params.size() + 1);
  std::vector<size_t> order(function.params.size());
  for (size_t param = 0; param < order.size(); ++param) order[param] = param;
  std::vector<size_t> named(order.begin() + static_cast<long>(positional), order.end());
  rng_.shuffle(named);
  std::copy(named.begin(), named.end(), order.begin() + static_cast<long>(positional));
  for (size_t slot = 0; slot < order.size(); ++slot) {
    const GColumn& param = function.params[order[slot]];
    call.args.push_back(gen(wantFor(param.type, true), depth - 1));
    call.arg_names.push_back(slot < positional ? "" : param.name);
  }
  if (!function.result.optional || want.optional_ok) return call;
  Want other = plain(want);
  other.hinted = true;
  return coalesced(std::move(call), gen(other, depth - 1));
}

// `t(key)` or `t(key).column`: the key is a literal of a row now and then, so lookups hit as well as miss.
GExpr Generator::lookupOf(const GTable& table, const std::string& column, const GType& type, int depth) {
  GExpr key;
  if (rng_.chance(35) && !table.rows.empty()) {
    key = make(Node::Literal, rng_.pick(table.rows)[0], table.key.type);
  } else {
    key = gen(wantFor(table.key.type, true), std::min(depth - 1, 1));
  }
  GType result = type;
  result.optional = true;
  GExpr lookup = make(Node::Lookup, table.name, result, {key});
  lookup.column = column;
  return lookup;
}

std::optional<GExpr> Generator::genLookup(const Want& want, int depth) {
  std::vector<std::pair<const GTable*, size_t>> usable;
  for (const GTable& table : tables_) {
    for (size_t column = 0; column < table.values.size(); ++column) {
      if (fits(table.values[column].type, want)) usable.emplace_back(&table, column);
    }
  }
  if (usable.empty()) return std::nullopt;
  auto [table, column] = rng_.pick(usable);
  bool single = table->values.size() == 1 && rng_.chance(60);
  GExpr lookup = lookupOf(*table, single ? "" : table->values[column].name, table->values[column].type, depth);
  if (want.optional_ok && rng_.chance(50)) return lookup;
  Want other = want;
  other.hinted = true;
  return coalesced(std::move(lookup), gen(other, depth - 1));
}

// accrue(principal, from: d1, until: d2, rate: table[, plus: p][, basis: "act/act"]): an exact sum like a quotient.
std::optional<GExpr> Generator::genAccrue(Kind kind, int depth) {
  std::vector<const GTable*> rates;
  for (const GTable& table : tables_) {
    if (!table.range || table.key.type.kind != Kind::Date || table.values.size() != 1) continue;
    const GType& rate = table.values[0].type;
    if (rate.kind == Kind::Percent || (rate.kind == Kind::Decimal && rate.scale >= 2)) rates.push_back(&table);
  }
  if (rates.empty()) return std::nullopt;
  const GTable& table = *rng_.pick(rates);
  const GType& rate = table.values[0].type;
  std::vector<GExpr> args = {gen(wantOf(kind, kind == Kind::Money ? 2 : 4), depth),
                             gen(wantOf(Kind::Date), depth), gen(wantOf(Kind::Date), depth)};
  if (rng_.chance(65) && rate.kind == Kind::Percent) args.push_back(gen(wantOf(rate.kind, rate.scale), std::min(depth, 1)));
  if (rng_.chance(65) && rate.kind == Kind::Decimal) {  // `plus` must be a decimal too: an int does not widen here
    std::string text = fmt::format("{}0.{:02}", rng_.chance(25) ? "-" : "", rng_.range(0, 9));
    args.push_back(make(Node::Literal, text, typeOf(Kind::Decimal, 2)));
  }
  // The accrual has the principal's kind: a decimal want may have given an int principal (`id`).
  GExpr accrual = make(Node::Accrue, table.name, typeOf(args[0].type.kind == Kind::Int ? Kind::Int : kind), args);
  if (rng_.chance(60)) accrual.arg_names = {"", "from", "until", "plus"};
  if (rng_.chance(30)) accrual.column = rng_.chance(80) ? "act/act" : "act/365f";  // `basis:`, always named
  accrual.quotient = true;
  return accrual;
}

}  // namespace

GProgram generateProgram(uint64_t seed) {
  GProgram program;
  program.name = fmt::format("diff_{}", seed);
  Generator generator(seed, program);
  generator.run();
  return program;
}

GExpr simpleLiteral(const GProgram& program, const GType& type) {
  switch (type.kind) {
    case Kind::Bool:
      return make(Node::Literal, "false", typeOf(Kind::Bool));
    case Kind::Int:
      return make(Node::Literal, "0", typeOf(Kind::Int));
    case Kind::Decimal:
      if (type.scale == 0) return make(Node::Literal, "0", typeOf(Kind::Int));
      return make(Node::Literal, "0." + std::string(static_cast<size_t>(std::min(type.scale, 6)), '0'),
                  typeOf(Kind::Decimal, std::min(type.scale, 6)));
    case Kind::Money:
      return make(Node::Literal, "0 " + program.currency, typeOf(Kind::Money));
    case Kind::Percent:
      return make(Node::Literal, "0%", typeOf(Kind::Percent, 2));
    case Kind::Date:
      return make(Node::Literal, "2000-01-01", typeOf(Kind::Date));
    case Kind::Days:
      return make(Node::Literal, "0 days", typeOf(Kind::Days));
    case Kind::Timestamp:
      return make(Node::Literal, "2000-01-01T00:00:00Z", typeOf(Kind::Timestamp));
    case Kind::Duration:
      return make(Node::Literal, "0 s", typeOf(Kind::Duration));
    case Kind::Time:
      return make(Node::Literal, "00:00", typeOf(Kind::Time));
    case Kind::String:
      return make(Node::Literal, "\"\"", typeOf(Kind::String));
    case Kind::Enum:
      return make(Node::Literal, program.enums.at(type.enum_id).members.at(0), type);
  }
  return make(Node::Literal, "0", typeOf(Kind::Int));
}

}  // namespace regelwerk::difftest
