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
  void genOutputs();
  void genBlocks();
  void genBlock(const std::vector<size_t>& outputs, size_t index);
  GType randomType(bool allow_optional);
  GExpr idSegment(int rule, int rules, std::optional<GExpr> condition);
  Want wantFor(const GType& type, bool hinted);

  GExpr gen(const Want& want, int depth);
  GExpr leaf(const Want& want);
  GExpr literalOf(const Want& want);
  GExpr intLiteral();
  std::string numberText(int places);
  std::optional<GExpr> genOptional(const Want& want, int depth);
  GExpr genNumeric(const Want& want, int depth);
  std::optional<GExpr> genMul(const Want& want, int depth);
  GExpr genRound(const Want& want, int depth);
  GExpr genQuotient(Kind kind, int depth);
  GExpr genDivisor(const std::vector<Kind>& kinds, int depth);
  std::optional<GExpr> genIf(const Want& want, int depth);
  std::optional<GExpr> genCoalesce(const Want& want, int depth);
  GExpr genDate(const Want& want, int depth);
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
  int depth_ = 3;  // nesting of lets and conditions; outputs and assignments get one less
};

void Generator::run() {
  depth_ = rng_.chance(20) ? 4 : rng_.range(2, 3);
  genSettings();
  genEnums();
  genFields();
  genParams();
  genLets();
  genOutputs();
  genBlocks();
}

void Generator::genSettings() {
  if (rng_.chance(15)) program_.currency = rng_.chance(50) ? "USD" : "CHF";
  program_.currency_written = program_.currency != "EUR" || rng_.chance(10);
  if (rng_.chance(30)) program_.rounding = rng_.pick(kModes);
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
  static const std::vector<Kind> kinds = {Kind::Bool, Kind::Int,  Kind::Decimal, Kind::Money, Kind::Percent,
                                          Kind::Date, Kind::Days, Kind::String,  Kind::Enum};
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
  program_.fields.push_back(GField{"id", typeOf(Kind::Int), "id", false});
  for (int field = 1, count = rng_.range(3, 9); field <= count; ++field) {
    GField out;
    out.name = fmt::format("f{}", field);
    out.type = randomType(true);
    out.header = rng_.chance(15) ? fmt::format("col {}", field) : out.name;
    out.cents = out.type.kind == Kind::Money && rng_.chance(35);
    program_.fields.push_back(out);
  }
  for (const GField& field : program_.fields) scope_.push_back(Named{field.name, field.type});
}

void Generator::genParams() {
  for (int param = 1, count = rng_.range(0, 3); param <= count; ++param) {
    GParam out;
    out.name = fmt::format("p{}", param);
    out.type = randomType(false);
    if (rng_.chance(60)) out.default_value = literalOf(wantFor(out.type, true));
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
  size_t assignable = program_.outputs.size() - 1;  // all but `id`
  int blocks = rng_.chance(8) || assignable == 0 ? 0 : rng_.range(1, static_cast<int>(std::min<size_t>(3, assignable)));
  if (blocks == 0) return;
  std::vector<std::vector<size_t>> assigned(static_cast<size_t>(blocks));
  for (size_t output = 1; output < program_.outputs.size(); ++output) {
    if (rng_.chance(85)) assigned[rng_.below(assigned.size())].push_back(output);
  }
  for (size_t block = 0; block < assigned.size(); ++block) genBlock(assigned[block], block);
}

// One decision block over `outputs`. Assignments draw from a pool of two values per output half the
// time, so `exceptions` winners often agree and sometimes conflict.
void Generator::genBlock(const std::vector<size_t>& outputs, size_t index) {
  GBlock block;
  block.policy = rng_.pick(std::vector<std::string>{"first", "unique", "exceptions"});
  std::vector<std::vector<GExpr>> pools;
  for (size_t output : outputs) {
    Want want = wantFor(program_.outputs[output].type, true);
    pools.push_back({gen(want, 1), gen(want, 1)});
  }
  int rules = rng_.range(1, 5);
  bool partitioned = block.policy != "first" && rng_.chance(70);
  std::vector<int> rank(static_cast<size_t>(rules));
  for (int rule = 0; rule < rules; ++rule) rank[static_cast<size_t>(rule)] = rule;
  rng_.shuffle(rank);
  for (int rule = 0; rule < rules; ++rule) {
    GRule out;
    out.name = fmt::format("r{}_{}", index + 1, rule + 1);
    if (rng_.chance(35)) out.label = rng_.pick(kLabels);
    bool catch_all = block.policy == "first" && rule == rules - 1 && rng_.chance(25);
    if (!catch_all && rng_.chance(90)) out.condition = genBool(depth_, false);
    if (partitioned) out.condition = idSegment(rule, rules, std::move(out.condition));
    for (size_t slot = 0; slot < outputs.size(); ++slot) {
      if (!rng_.chance(55)) continue;
      const GOutput& target = program_.outputs[outputs[slot]];
      GExpr value = rng_.chance(50) ? rng_.pick(pools[slot]) : gen(wantFor(target.type, true), depth_ - 1);
      out.assigns.push_back(GAssign{target.name, value});
    }
    for (int other = 0; block.policy == "exceptions" && other < rules; ++other) {
      bool lower = rank[static_cast<size_t>(other)] < rank[static_cast<size_t>(rule)];
      if (lower && out.overrides.size() < 2 && rng_.chance(30))
        out.overrides.push_back(fmt::format("r{}_{}", index + 1, other + 1));
    }
    block.rules.push_back(out);
  }
  program_.blocks.push_back(block);
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
  if (depth <= 0 || rng_.chance(25)) return leaf(want);
  switch (want.kind) {
    case Kind::Bool:
      return genBool(depth, want.optional_ok);
    case Kind::Date:
      return genDate(want, depth);
    case Kind::Enum:
      return genEnum(want, depth);
    case Kind::String: {
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
  return make(Node::Literal, rng_.chance(97) ? pool[rng_.below(pool.size() - 1)] : pool.back(), typeOf(Kind::Int));
}

// Digits with `places` after the point; rarely the largest the 64 bits of a literal hold.
std::string Generator::numberText(int places) {
  if (rng_.chance(2)) return extremeText(places, false);
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
      out = make(Node::Literal, numberText(places) + "%", typeOf(Kind::Percent, places + 2));
      break;
    }
    case Kind::Days: {
      int64_t days = rng_.chance(20) ? 1 : static_cast<int64_t>(rng_.below(rng_.chance(90) ? 400 : 4000000));
      out = make(Node::Literal, days == 1 ? "1 day" : fmt::format("{} days", days), typeOf(Kind::Days));
      break;
    }
    case Kind::Date:
      return make(Node::Literal, dateText(rng_), typeOf(Kind::Date));
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
  if (kind == Kind::Decimal && !value.quotient && value.type.kind == Kind::Int && places == 0) type.kind = Kind::Int;
  std::vector<GExpr> args = {value, make(Node::Literal, std::to_string(places), typeOf(Kind::Int))};
  if (rng_.chance(65)) args.push_back(make(Node::Literal, rng_.pick(kModes), typeOf(Kind::String)));
  return make(Node::Call, "round", type, args);
}

GExpr Generator::genDivisor(const std::vector<Kind>& kinds, int depth) {
  Kind kind = rng_.pick(kinds);
  int scale = kind == Kind::Decimal ? 4 : kind == Kind::Percent ? 6 : 0;
  return gen(wantOf(kind, scale), depth);
}

// An exact quotient that rounds to `kind`: `amount / 12`, `(overdue / 365 days) * rate`, ...
GExpr Generator::genQuotient(Kind kind, int depth) {
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
    if (kind != Kind::Days) divisors.push_back(Kind::Days);
    denominator = genDivisor(divisors, depth);
  }
  GExpr quotient = make(Node::Binary, "/", typeOf(kind), {numerator, denominator});
  quotient.quotient = true;
  if (rng_.chance(30)) {
    std::vector<Kind> factors = {Kind::Int};
    if (kind != Kind::Days) factors.push_back(Kind::Decimal);
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
  switch (rng_.below(5)) {
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
    default:
      break;
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
  std::vector<Kind> kinds = {Kind::Int, Kind::Decimal, Kind::Money, Kind::Percent, Kind::Days, Kind::Date};
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
  switch (rng_.below(10)) {
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

GExpr Generator::genInRange(int depth) {
  Want want = comparisonWant(comparableKind(true));
  int bounds = std::min(depth - 1, 1);
  GExpr out = make(Node::InRange, "", typeOf(Kind::Bool), {gen(want, depth - 1), gen(want, bounds), gen(want, bounds)});
  out.negated = rng_.chance(30);
  return out;
}

std::optional<GExpr> Generator::genIsMissing(int depth) {
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
    case Kind::String:
      return make(Node::Literal, "\"\"", typeOf(Kind::String));
    case Kind::Enum:
      return make(Node::Literal, program.enums.at(type.enum_id).members.at(0), type);
  }
  return make(Node::Literal, "0", typeOf(Kind::Int));
}

}  // namespace regelwerk::difftest
