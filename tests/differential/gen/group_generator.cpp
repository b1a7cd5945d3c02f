// Grouped rule sets and inputs for the differential suite (group_generator.hpp). Every aggregate, fold
// state, distribution and item expression is typed the way compiler/sema types it, so every generated
// rule set checks.
#include "group_generator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rng.hpp"

namespace regelwerk::difftest {

namespace {

// A value the rules can read: its text and its type in the language.
struct Typed {
  std::string text;
  std::string type;  // "int", "money", "date", "bool", "enum(a, b, c)", "int?", ...
};

std::vector<Typed> numbers(Rng& rng) {
  return {{"qty", "int"},
          {"amount", "money"},
          {"qty * 2 - seq", "int"},
          {"amount + amount", "money"},
          {"round(amount * 1.5%, 2)", "money"},
          {fmt::format("amount * {}", rng.range(-3, 3)), "money"},
          {"if flag then qty else 0", "int"}};
}

std::string condition(Rng& rng) {
  static const std::vector<std::string> kConditions = {
      "flag", "not flag", "kind == a", "kind in (b, c)", "qty > 3", "amount >= 0.00 EUR",
      "due < 2025-06-01", "qty > seq and flag", "note is missing", "k > p_threshold"};
  return rng.pick(kConditions);
}

// One aggregate at group level and its result type.
Typed aggregate(Rng& rng, std::vector<std::string>* constructs) {
  static const std::vector<std::string> kFns = {"sum", "count", "min", "max", "first", "last", "exists", "all", "any"};
  const std::string& fn = rng.pick(kFns);
  constructs->push_back(fn);
  std::string where;
  if (rng.chance(50)) {
    where = " where " + condition(rng);
    constructs->push_back("where");
  }
  if (fn == "count" || fn == "exists") {
    if (where.empty() && rng.chance(50)) return {fn + "(Item)", fn == "count" ? "int" : "bool"};
    std::string filter = where.empty() ? " where " + condition(rng) : where;
    return {fn + "(Item" + filter + ")", fn == "count" ? "int" : "bool"};
  }
  if (fn == "all" || fn == "any") return {fn + "(" + condition(rng) + " over Item" + where + ")", "bool"};
  if (fn == "first" || fn == "last") {
    static const std::vector<Typed> kAny = {{"kind", "enum(a, b, c)"}, {"qty", "int"}, {"due", "date"}, {"flag", "bool"}};
    const Typed& value = rng.pick(kAny);
    return {fn + "(" + value.text + " over Item" + where + ")", value.type + "?"};
  }
  if (fn == "sum") {
    Typed value = rng.pick(numbers(rng));
    return {"sum(" + value.text + " over Item" + where + ")", value.type};
  }
  Typed value = rng.chance(25) ? Typed{"due", "date"} : rng.pick(numbers(rng));
  return {fn + "(" + value.text + " over Item" + where + ")", value.type + "?"};
}

// Item-level expressions that read `value` (a group value or a share) with the item's fields, for an
// `each` block: `g2 + qty` for an int, `g3 is missing` for an optional, the value itself.
std::vector<Typed> itemUses(const Typed& value) {
  const std::string& name = value.text;
  const std::string& type = value.type;
  std::vector<Typed> uses = {value};
  if (type == "int") uses.insert(uses.end(), {{name + " + qty", "int"}, {"if flag then " + name + " else seq", "int"}, {name + " > qty", "bool"}});
  else if (type == "money") uses.insert(uses.end(), {{"amount - " + name, "money"}, {name + " > amount", "bool"}});
  else if (type == "bool") uses.insert(uses.end(), {{name + " and flag", "bool"}, {name + " or qty > 5", "bool"}});
  else if (type == "int?") uses.insert(uses.end(), {{"(" + name + " ?? 0) - seq", "int"}, {name + " is missing", "bool"}});
  else if (type == "money?") uses.insert(uses.end(), {{"(" + name + " ?? 0.00 EUR) + amount", "money"}, {name + " is not missing", "bool"}});
  else if (type == "date?") uses.insert(uses.end(), {{"(" + name + " ?? due) > due", "bool"}});
  else if (type == "enum(lo, mid, hi)") uses.insert(uses.end(), {{name + " == mid", "bool"}, {name + " != lo and flag", "bool"}});
  else uses.push_back({name + " is missing", "bool"});  // bool?, enum(a, b, c)?
  return uses;
}

// A condition comparing an item's fields with the group value `value`, the filter that makes an
// aggregate late: `qty > pool`, `amount <= (g2 ?? 0.00 EUR)`, `due > (g4 ?? due)`, `f_e == mid and flag`.
std::string lateComparison(Rng& rng, const Typed& value) {
  const std::string& name = value.text;
  const std::string& type = value.type;
  std::vector<std::string> options;
  if (type == "int") options = {"qty > " + name, "claim <= " + name, "seq + " + name + " > qty", "qty * 2 >= " + name};
  else if (type == "int?")
    options = {"qty > (" + name + " ?? 0)", "(" + name + " ?? 0) > claim", name + " is missing or seq < 3"};
  else if (type == "money") options = {"amount > " + name, "amount + amount <= " + name};
  else if (type == "money?") options = {"amount < (" + name + " ?? 0.00 EUR)", name + " is not missing and flag"};
  else if (type == "bool") options = {name + " and flag", name + " or qty > 3", "flag != " + name};
  else if (type == "bool?") options = {"(" + name + " ?? false) or flag", "flag == (" + name + " ?? true)"};
  else if (type == "date?") options = {"due > (" + name + " ?? due)", "due <= (" + name + " ?? 2025-06-01)"};
  else if (type == "enum(a, b, c)?") options = {"kind == (" + name + " ?? a)", "kind != (" + name + " ?? c)"};
  else options = {name + " == mid and flag", name + " != lo or qty > 5"};  // enum(lo, mid, hi)
  return rng.pick(options);
}

// Item numbers that read the group value `value`, the value of a late aggregate: `qty * level`,
// `amount - budget`, `qty + (f_o ?? 0)`; none for other types.
std::vector<Typed> lateNumbers(const Typed& value) {
  const std::string& name = value.text;
  if (value.type == "int") return {{"qty * " + name, "int"}, {"claim + " + name, "int"}};
  if (value.type == "int?") return {{"qty + (" + name + " ?? 0)", "int"}};
  if (value.type == "money") return {{"amount - " + name, "money"}};
  if (value.type == "money?") return {{"amount + (" + name + " ?? 0.00 EUR)", "money"}};
  return {};
}

// A share inside a larger item expression (late): as an aggregate's value or in its filter.
std::vector<Typed> shareNumbers(const std::string& share_type) {
  if (share_type == "int") {
    return {{"share * 2", "int"}, {"share + qty", "int"}, {"share - claim", "int"},
            {"if flag then share else qty", "int"}};
  }
  return {{"share * 2", "money"}, {"share + amount", "money"}, {"amount - share", "money"}};
}

std::vector<std::string> shareConditions(const std::string& share_type) {
  if (share_type == "int") return {"share > qty", "share * 2 >= claim", "share == claim", "share + seq > 10"};
  return {"share > amount", "share + amount > 0.00 EUR", "share * 2 < amount"};
}

// A group value a late aggregate may read (not itself late: E0978), or a piece of a late aggregate
// made of one, and the construct it covers ("late-one-input", "late-let", "late-state", "late-rest", ...).
struct LatePiece {
  Typed value;
  std::string construct;
};

// A fold state: its name, type and starting literal.
struct State {
  std::string name;
  std::string type;
  std::string start;
};

// Writes the text of one grouped rule set, keeping the group values (names readable at group level and
// in `each` blocks) and the constructs it used.
class RulesWriter {
 public:
  RulesWriter(Rng& rng, std::vector<std::string>* constructs) : rng_(rng), constructs_(*constructs) {}

  std::string write(bool with_parent, std::vector<std::string>* records);
  bool notes() const { return notes_; }
  bool rates() const { return rates_; }

 private:
  void writeInputs();
  void writeFold();
  void writeFoldDecision(const std::vector<State>& assigned);
  void writeFoldRows();
  void writeRangeFold();
  void writeLedger(const std::string& name, const std::string& step_condition, const std::string& step_value, const std::string& pool);
  void writeLedgerRest();
  void writeLedgerOutputs();
  std::string foldCondition();
  std::string stateValue(const State& state);
  void writeDistribute();
  void writeShareAggregates();
  void writeAggregates();
  void writeLateAggregates();
  Typed lateAggregate();
  std::vector<LatePiece> lateConditions();
  std::vector<LatePiece> lateValues() const;
  bool lateReadable() const { return !readable_.empty() || !share_type_.empty(); }
  void writeEach(const std::string& record);
  void writeSharedUses(std::vector<std::string>* records);
  void writeDerivedUses(std::vector<std::string>* records);
  std::vector<Typed> eachUses() const;
  std::string eachCondition();
  void use(const std::string& construct) { constructs_.push_back(construct); }

  Rng& rng_;
  std::vector<std::string>& constructs_;
  std::string text_;
  bool with_parent_ = false;
  bool ordered_ = false;
  std::vector<Typed> group_values_;
  std::vector<State> states_;
  bool fold_let_ = false;
  bool fold_aggregate_ = false;  // the fold over Item has `let fa`, an aggregate at each step
  bool fold_rows_ = false;  // the fold writes record Steps
  bool range_rows_ = false;  // the fold over a range writes record Range
  std::vector<std::string> ledger_states_;  // the int states of `ledger Item` blocks, Item's values after the folds
  bool ledger_pending_ = false;             // the fold being written has a ledger whose outputs follow it
  bool notes_ = false;                      // a ledger looks up the input Note (declared after Item's fields)
  bool rates_ = false;                      // the shared input Rate (every group reads all its records)
  bool rate_rows_ = false;                  // the fold over Rate writes record RateSteps
  bool derived_ = false;                    // the derived input Pick (its rows written by folds)
  bool pick_rows_ = false;                  // the fold over Pick writes record PickSteps
  size_t inputs_end_ = 0;                   // where the input declarations end in text_
  std::string ledger_rest_;                 // the rest of the distribution in the fold's ledger, until the fold reads it
  std::vector<std::string> rest_outputs_;
  std::vector<std::string> ledger_records_;  // `ledger Item as R`: their records, in fold order   // the fold states summing the rests, written as group outputs after the fold
  std::string share_type_;  // the distribution's type ("int" or "money"), empty without one
  std::vector<std::string> money_lets_;
  std::vector<LatePiece> readable_;  // what late aggregates may read, in declaration order
  int late_lets_ = 0;
};

std::string RulesWriter::write(bool with_parent, std::vector<std::string>* records) {
  with_parent_ = with_parent;
  writeInputs();
  std::string group_record = rng_.chance(35) ? "Totals" : "grouped";
  if (group_record == "Totals") use("per-as");
  records->push_back(group_record);
  text_ += group_record == "Totals" ? "per k as Totals\n" : "per k\n";
  text_ += "  output k: int = k\n";
  group_values_.push_back({"k", "int"});
  if (with_parent_) {
    for (const Typed& field : std::vector<Typed>{{"budget", "money"}, {"level", "int"}, {"pool", "int"}}) {
      group_values_.push_back(field);
      readable_.push_back({field, "late-one-input"});
    }
  }
  if (ordered_ && rng_.chance(50)) writeFold();
  rates_ = rng_.chance(40);
  if (rng_.chance(35)) writeRangeFold();
  if (rates_) writeSharedUses(records);
  if (rng_.chance(40)) writeDerivedUses(records);
  if (rng_.chance(45)) writeDistribute();
  writeAggregates();
  if (rng_.chance(20)) {  // a group rejected on purpose, with its reason in the rejects
    use("reject-group");
    text_ += fmt::format("  reject \"more than {} items\" when count(Item) > {}\n", 9, 9);
  }
  if (!share_type_.empty()) writeShareAggregates();
  if (lateReadable() && rng_.chance(60)) writeLateAggregates();
  if (with_parent_ && !money_lets_.empty()) {
    use("decide");
    std::string total = rng_.pick(money_lets_);
    text_ += "  output verdict: enum(none, low, high) = none\n  decide first\n";
    text_ += fmt::format("    rule high when {} > budget then verdict = high\n", total);
    text_ += fmt::format("    rule low when level > 2 and {} <= budget then verdict = low\n", total);
    text_ += "  end\n";
  }
  if (rng_.chance(55)) {
    std::string record = rng_.chance(50) ? "Lines" : "Item";
    if (record == "Lines") use("each-as");
    writeEach(record);
    records->push_back(record);
    use("several-records");
  }
  if (fold_rows_) records->push_back("Steps");  // after the each records, as the run writes them
  if (range_rows_) records->push_back("Range");  // the folds' records in fold order
  if (rate_rows_) records->push_back("RateSteps");
  if (pick_rows_) records->push_back("PickSteps");
  records->insert(records->end(), ledger_records_.begin(), ledger_records_.end());  // then the ledgers', in fold order
  if (derived_) {  // last, the derived input's records
    records->push_back("Pick");
    text_.insert(inputs_end_, "input Pick derived order by pv, pk\n  pk: int\n  pv: int\n  ps: string\n  pf: bool\n");
  }
  if (notes_) text_.insert(inputs_end_, "input Note key k many order by n\n  k: int\n  n: int\n  item: int\n  weight: int\n");
  if (rates_) text_.insert(inputs_end_, "input Rate shared order by r\n  r: int\n  w: int\n");
  return text_ + "end\n";
}

void RulesWriter::writeInputs() {
  text_ = "ruleset grouped\nparam p_threshold: int = " + std::to_string(rng_.range(0, 8)) + "\n";
  if (with_parent_) text_ += "input Parent key k\n  k: int\n  budget: money\n  level: int\n  pool: int\n";
  text_ += "input Item key k many";
  ordered_ = rng_.chance(70);
  if (ordered_) {
    text_ += rng_.chance(50) ? " order by seq" : " order by kind, seq";
    use("order-by");
  }
  text_ += "\n  k: int\n  seq: int\n  qty: int\n  amount: money\n  flag: bool\n  kind: enum(a, b, c)\n  due: date\n"
           "  note: string?\n  claim: int\n";
  inputs_end_ = text_.size();
}

// A fold over Item with some of four states (int, bool, enum, optional int), a fold let now and then,
// and one or two decisions whose rules assign the states from the fields and the states before the
// record; the final states become group outputs and group values.
void RulesWriter::writeFold() {
  use("fold");
  text_ += "  fold Item";
  fold_rows_ = rng_.chance(40);
  if (fold_rows_) text_ += " as Steps";
  bool rows_when = fold_rows_ && rng_.chance(40);  // its condition reads the states: written once they exist
  size_t when_at = text_.size();
  if (rng_.chance(50)) {
    text_ += " where " + condition(rng_);
    use("fold-where");
  }
  text_ += "\n";
  if (rng_.chance(80)) states_.push_back({"f_n", "int", std::to_string(rng_.range(0, 3))});
  if (rng_.chance(60)) states_.push_back({"f_b", "bool", rng_.chance(50) ? "false" : "true"});
  if (rng_.chance(60)) states_.push_back({"f_e", "enum(lo, mid, hi)", rng_.chance(70) ? "lo" : "mid"});
  if (rng_.chance(50)) states_.push_back({"f_o", "int?", rng_.chance(60) ? "missing" : "3"});
  if (states_.empty()) states_.push_back({"f_n", "int", "0"});
  for (const State& state : states_) {
    text_ += fmt::format("    state {}: {} = {}\n", state.name, state.type, state.start);
    use("state-" + state.type.substr(0, state.type.find('(')));
  }
  if (rows_when) {  // `as Steps when c`: rows only where c holds, the states change at every step
    use("fold-rows-when");
    text_.insert(when_at, " when " + foldCondition());
  }
  fold_let_ = rng_.chance(60);
  if (fold_let_) {
    bool counted = states_.front().name == "f_n";
    text_ += counted ? "    let fl = qty + f_n\n" : "    let fl = qty * 2\n";
    use("fold-let");
  }
  fold_aggregate_ = rng_.chance(45);
  if (fold_aggregate_) {  // an aggregate at each step: Item's fields are the aggregated record's, f_n the state
    use("fold-aggregate");
    bool counted = states_.front().name == "f_n";
    std::vector<std::string> lets = {counted ? "    let fa = count(Item where qty > f_n)\n" : "    let fa = count(Item where flag)\n",
                                     "    let fa = sum(qty over Item where kind != a)\n",
                                     "    let fa = max(qty over Item where amount >= 0.00 EUR) ?? -1\n"};
    if (fold_let_) {  // `fl` is computed from the step's qty; inside the aggregate `qty` is the other record's
      use("fold-aggregate-reads-let");
      lets = {"    let fa = count(Item where qty > fl)\n", "    let fa = sum(qty over Item where qty * 2 >= fl)\n"};
    }
    text_ += rng_.pick(lets);
  }
  if (ordered_ && rng_.chance(40)) {  // per Item record across the steps: reads the step through fl, fa and f_n
    bool counted = states_.front().name == "f_n";
    std::vector<std::string> conditions = {condition(rng_), "true"};
    if (counted) conditions.push_back("qty > f_n");
    if (fold_let_) conditions.push_back("fl > qty");
    writeLedger("l_n", rng_.pick(conditions), fold_let_ ? "fl" : fold_aggregate_ ? "fa" : "qty", rng_.chance(80) ? "qty" : "qty * 3 - 4");
  }
  std::vector<State> first = states_, second;
  if (first.size() > 1 && rng_.chance(40)) {
    rng_.shuffle(first);
    size_t split = static_cast<size_t>(rng_.range(1, static_cast<int>(first.size()) - 1));
    second.assign(first.begin() + static_cast<std::ptrdiff_t>(split), first.end());
    first.resize(split);
  }
  writeFoldDecision(first);
  if (!second.empty()) writeFoldDecision(second);
  writeLedgerRest();
  if (rng_.chance(25)) {  // a step that rejects its group
    use("reject-fold");
    text_ += fmt::format("    reject \"a step with qty {}\" when qty == {} and seq > 2\n", 7, 7);
  }
  if (fold_rows_) writeFoldRows();
  text_ += "  end\n";
  writeLedgerOutputs();
  for (const State& state : states_) {
    text_ += fmt::format("  output o_{}: {} = {}\n", state.name, state.type, state.name);
    group_values_.push_back({state.name, state.type});
    readable_.push_back({{state.name, state.type}, "late-state"});
  }
}

// The shared input Rate (`input Rate shared`, the same records in every group): an aggregate over it,
// a late one whose filter reads the key, now and then a fold over its records whose steps aggregate
// the group's own Items (with a row per step), and an `each` over it (a row per group and Rate).
void RulesWriter::writeSharedUses(std::vector<std::string>* records) {
  use("shared");
  text_ += "  output o_rate_sum: int = sum(w over Rate where w > p_threshold)\n";
  text_ += "  output o_rate_late: int = count(Rate where w <= k)\n";
  use("shared-late");
  if (rng_.chance(60)) {
    use("shared-fold");
    rate_rows_ = rng_.chance(50);
    text_ += rate_rows_ ? "  fold Rate as RateSteps\n" : "  fold Rate\n";
    text_ += "    state rs: int = 0\n    let rh = count(Item where qty > w)\n";
    // The final states of an earlier fold's ledger over Item (the Item fold's or the range fold's): in a
    // step's aggregate, and in an aggregate over Item in a ledger over Rate (one state per Rate record).
    const bool earlier_ledger = !ledger_states_.empty();
    if (earlier_ledger) {
      const std::string& state = ledger_states_.back();
      use("earlier-ledger-aggregate");
      use("earlier-ledger-lookup");
      text_ += fmt::format("    let rl = sum({} over Item where qty > w)\n", state);
      text_ += fmt::format("    ledger Rate\n      state rq: int = 0\n      let rw = w\n      let rl2 = count(Item where {} > rw)\n"
                           "      decide first\n        rule add when rl2 > 0 then rq = rq + rl2\n      end\n    end\n", state);
    }
    text_ += fmt::format("    decide first\n      rule add when rh > 0 then rs = rs + w{}\n    end\n", earlier_ledger ? " + rl" : "");
    if (rate_rows_) text_ += "    output rr: int = r\n    output rhits: int = rh\n";
    text_ += "  end\n  output o_rs: int = rs\n";
    if (earlier_ledger) text_ += "  output o_rq: int = sum(rq over Rate)\n";
  }
  if (rng_.chance(40)) {
    use("shared-each");
    text_ += "  each Rate as RateLines\n    output rl_r: int = r\n    output rl_over: bool = w > k\n  end\n";
    records->push_back("RateLines");
  }
}

// The derived input Pick (`input Pick derived order by pv, pk`): rows written by a fold over a range,
// by a fold over Item and by a ledger over Item in a fold over Rate (those two when Item is ordered:
// the rows follow its order), read by group aggregates (`first` depends on Pick's order), a fold
// over Pick whose steps aggregate the group's Items, a distribution over Pick and an `each Pick`.
void RulesWriter::writeDerivedUses(std::vector<std::string>* records) {
  use("derived");
  derived_ = true;
  auto columns = [&](const std::string& indent, const char* pk, const char* pv, const char* ps, const char* pf) {
    text_ += fmt::format("{0}output pk: int = {1}\n{0}output pv: int = {2}\n{0}output ps: string = {3}\n{0}output pf: bool = {4}\n", indent,
                         pk, pv, ps, pf);
  };
  text_ += fmt::format("  fold pr in {}..{} as Pick{}\n", rng_.range(0, 2), rng_.range(0, 4), rng_.chance(40) ? " when pr != 2" : "");
  columns("    ", "pr * 10", "pr - k", "\"r\" ++ text(pr)", "pr > 1");
  text_ += "  end\n";
  if (ordered_ && rng_.chance(60)) {
    use("derived-fold-writer");
    text_ += "  fold Item as Pick when qty > p_threshold\n";
    columns("    ", "seq", "qty - seq", "\"i\" ++ text(seq)", "flag");
    text_ += "  end\n";
  }
  if (ordered_ && rates_ && rng_.chance(60)) {
    use("derived-ledger-writer");
    text_ += "  fold Rate\n    ledger Item as Pick when qty > w\n";
    columns("      ", "seq + 100 * r", "w - qty", "\"l\" ++ text(r)", "flag or w > 3");
    text_ += "    end\n  end\n";
  }
  text_ += "  output o_pick_n: int = count(Pick)\n  output o_pick_sum: int = sum(pv over Pick where pf)\n"
           "  output o_pick_first: string? = first(ps over Pick)\n";
  if (rng_.chance(70)) {
    use("derived-fold");
    pick_rows_ = rng_.chance(60);
    text_ += pick_rows_ ? "  fold Pick as PickSteps\n" : "  fold Pick\n";
    text_ += "    state pacc: int = 0\n    let ph = count(Item where qty > pv)\n    decide first\n"
             "      rule grow when pf and pacc < 50 then pacc = pacc + pv + ph\n      rule shrink when pv < 0 then pacc = pacc - 1\n"
             "    end\n";
    if (pick_rows_) text_ += "    output pp_k: int = pk\n    output pp_acc: int = pacc\n    output pp_s: string = ps\n";
    text_ += "  end\n  output o_pacc: int = pacc\n";
  }
  const bool distributed = rng_.chance(50);
  if (distributed) {
    use("derived-distribute");
    text_ += fmt::format("  distribute {} over Pick amount if pv > 0 then pv else 0 ties pk, ps into pshare rest prest\n"
                         "  output o_prest: int = prest\n", rng_.range(0, 30));
  }
  if (rng_.chance(50)) {
    use("derived-each");
    text_ += "  each Pick as PickLines\n    output pl_k: int = pk\n    output pl_s: string = ps ++ \"/\" ++ text(pv)\n";
    if (distributed) text_ += "    output pl_share: int = pshare\n";
    text_ += "  end\n";
    records->push_back("PickLines");
  }
}

// The columns of the fold's record (`fold Item as Steps`), one row per folded record: the record's
// fields, the states before it, a text built per step (kept across steps), and with a Parent its
// fields (readable in a fold, known before it runs).
void RulesWriter::writeFoldRows() {
  use("fold-rows");
  text_ += "    output s_seq: int = seq\n";
  const State& state = rng_.pick(states_);
  text_ += fmt::format("    output s_state: {} = {}\n", state.type, state.name);
  if (rng_.chance(60)) {
    text_ += "    output s_note: string = \"s\" ++ text(seq + qty)\n";
    use("fold-rows-text");
  }
  if (with_parent_) {
    text_ += rng_.chance(50) ? "    output s_budget: money = budget + amount\n" : "    output s_level: bool = level > qty\n";
    use("fold-one-input");
  }
  if (fold_let_) text_ += "    output s_let: int = fl\n";
}

// `fold r in LOW..HIGH`: over ints (bounds from the params and, with a Parent, its fields; now and then
// an empty range or one so long that a step overflows) or over dates across a month's end; states
// assigned from the step and the states before it, a reject now and then, and a row per step.
void RulesWriter::writeRangeFold() {
  use("range-fold");
  bool dates = rng_.chance(25);
  std::string low, high;
  if (dates) {
    use("range-fold-dates");
    low = rng_.pick(std::vector<std::string>{"2024-02-27", "2025-12-30", "2026-03-01"});
    int days = rng_.range(-1, 6);
    high = low + (days < 0 ? " - 1 days" : " + " + std::to_string(days) + " days");
  } else if (with_parent_ && rng_.chance(70)) {
    use("range-fold-one-input");
    low = rng_.pick(std::vector<std::string>{"level", "level - 2", "p_threshold"});
    high = rng_.pick(std::vector<std::string>{"level + 3", "pool", "level * 2"});
  } else {
    low = std::to_string(rng_.range(-2, 3));
    high = rng_.chance(50) ? "p_threshold" : std::to_string(rng_.range(-3, 9));
  }
  // The final state of the fold over Item before it (written first): in a bound and in a rule.
  bool reads_fold = !dates && !states_.empty() && states_.front().name == "f_n" && rng_.chance(60);
  if (reads_fold) {
    use("fold-reads-fold");
    high += " + min(f_n, 4)";
  }
  range_rows_ = rng_.chance(70);
  std::string rows_when;
  if (range_rows_ && rng_.chance(40)) {
    use("range-fold-rows-when");
    rows_when = rng_.pick(std::vector<std::string>{" when g_b", " when g_step > p_threshold", " when g_n >= 2 or g_step == 0"});
  }
  text_ += fmt::format("  fold r in {}..{}{}{}\n", low, high, range_rows_ ? " as Range" : "", rows_when);
  std::string step = dates ? "int((r - 2024-01-01) / 1 days, down)" : "r";  // the step as an int
  text_ += "    state g_n: int = " + std::to_string(rng_.range(0, 2)) + "\n    state g_b: bool = false\n";
  text_ += "    let g_step = " + step + "\n";
  bool aggregates = rng_.chance(45);
  if (aggregates) {  // over the group's Item records at each value of the range
    use("range-fold-aggregate");
    text_ += dates ? "    let g_agg = count(Item where due <= r)\n" : "    let g_agg = sum(qty over Item where seq <= r)\n";
  }
  if (ordered_ && rng_.chance(40)) {
    use("range-ledger");
    writeLedger("m_n", dates ? "due <= r" : "seq <= r", aggregates ? "g_agg" : "g_step", "g_step * g_step");
  }
  // The final states of the Item fold's ledger (written before) in a step's aggregate over Item.
  const bool reads_ledger = !ledger_states_.empty() && ledger_states_.front() == "l_n" && rng_.chance(50);
  if (reads_ledger) {
    use("earlier-ledger-aggregate");
    text_ += "    let g_led = count(Item where l_n > g_step)\n";
  }
  text_ += "    decide first\n";
  text_ += "      rule gr0 when g_step > p_threshold and not g_b then g_n = g_n + g_step, g_b = true\n";
  text_ += rng_.chance(15) ? "      rule gr1 when g_b then g_n = g_n * 1000000000000\n"  // overflows after a few steps
                           : "      rule gr1 when g_b then g_n = g_n * 2 - g_step, g_b = false\n";
  std::string increment = reads_fold ? "f_n" : aggregates ? "g_agg" : reads_ledger ? "g_led" : "1";
  text_ += "      rule gr2 then g_n = g_n + " + increment + "\n    end\n";
  writeLedgerRest();
  if (rng_.chance(20)) {
    use("reject-range-fold");
    text_ += "    reject \"a step at 3\" when g_step == 3 and g_n > 2\n";
  }
  if (range_rows_) {
    use("range-fold-rows");
    text_ += "    output r_k: int = k\n";  // the key: a field of Parent, or the group's own without one
    text_ += dates ? "    output r_day: date = r\n" : "    output r_value: int = r\n";
    text_ += "    output r_n: int = g_n\n";
    if (with_parent_) text_ += "    output r_budget: money = budget\n";
  }
  text_ += "  end\n  output o_g_n: int = g_n\n  output o_g_b: bool = g_b\n";
  writeLedgerOutputs();
  group_values_.push_back({"g_n", "int"});
  readable_.push_back({{"g_n", "int"}, "late-state"});
}

// `ledger Item` in a fold: per Item record an int state (from its qty or a literal) and a bool (from
// its flag), changed at every step by rules over the record's fields (which win inside the ledger) and
// the step's values; one rule doubles (or now and then overflows) and clears the bool.
void RulesWriter::writeLedger(const std::string& name, const std::string& step_condition, const std::string& step_value,
                              const std::string& pool) {
  use("ledger");
  const std::string record = name == "l_n" ? "LSteps" : "LRange";
  const bool rows = rng_.chance(50);
  text_ += "    ledger Item";
  if (rows) {  // a row per step and record (`when`: only some), the states before the step
    use("ledger-rows");
    text_ += " as " + record;
    if (rng_.chance(40)) {
      use("ledger-rows-when");
      text_ += fmt::format(" when {}_b or qty > 2", name);
    }
    ledger_records_.push_back(record);
  }
  text_ += "\n";
  text_ += fmt::format("      state {}: int = {}\n", name, rng_.chance(50) ? "qty" : std::to_string(rng_.range(0, 2)));
  text_ += fmt::format("      state {}_b: bool = flag\n", name);
  text_ += fmt::format("      let {}_l = {} + seq\n", name, name);
  std::string gain = step_value;
  std::string looked_up;  // an aggregate in the ledger over Note, per record and step
  if (rng_.chance(35)) {
    use("ledger-lookup");
    notes_ = true;
    looked_up = name + "_w";
    // Note's fields win inside; `seq`, the state, its let and the step's value are the pair's.
    text_ += "      let " + looked_up + " = " +
             rng_.pick(std::vector<std::string>{"sum(weight over Note where item == seq)", "count(Note where item == seq and weight > " + name + ")",
                                                "max(weight over Note where weight < " + name + "_l) ?? -1",
                                                "sum(weight over Note where n <= " + step_value + ")",
                                                "if exists(Note where item == seq) then 1 else 0"}) +
             "\n";
    gain += " + " + looked_up;
  }
  if (rng_.chance(50)) {  // the step's pool shared over the records by what each holds, then paid off
    use("ledger-distribute");
    std::string tiers = rng_.chance(50) ? " by kind" : "";
    std::string amount = looked_up.empty() || rng_.chance(50) ? name : name + " + max(" + looked_up + ", 0)";
    std::string pooled = pool;
    if (rng_.chance(35)) {  // the pool aggregates the ledger's records at the step (their states and lets before the sharing)
      use("ledger-pool-aggregate");
      pooled += rng_.pick(std::vector<std::string>{" + count(Item where " + name + "_l > 3)", " - min(sum(" + name + " over Item), 5)",
                                                   " + (max(" + name + "_l over Item where qty > 2) ?? 0)"});
    }
    text_ += fmt::format("      distribute {} over Item amount if {} > 0 then {} else 0{} ties seq into {}_paid rest {}_rest\n", pooled,
                         name, amount, tiers, name, name);
    text_ += fmt::format("      let {}_after = {} - {}_paid\n", name, name, name);
    gain = fmt::format("{}_paid - {}_after", name, name) + (looked_up.empty() ? "" : " + " + looked_up);
    ledger_rest_ = name + "_rest";
  }
  if (rows) {
    text_ += fmt::format("      output {}_seq: int = seq\n      output {}_before: int = {}\n", name, name, name);
    if (ledger_rest_ == name + "_rest") text_ += fmt::format("      output {}_share: int = {}_paid\n", name, name);
  }
  text_ += "      decide first\n";
  text_ += fmt::format("        rule lr0 when {} then {} = {} + {}\n", step_condition, name, name, gain);
  text_ += fmt::format("        rule lr1 when {}_b and {} then {} = {}_l * {}, {}_b = false\n", name, condition(rng_), name, name,
                       rng_.chance(10) ? "1000000000000" : "2", name);
  text_ += "      end\n    end\n";
  ledger_states_.push_back(name);
  ledger_pending_ = true;
}

// In the fold after a ledger: a state summing, at every step, the rest of its distribution (if any)
// and now and then an aggregate of the ledger's states after the step.
void RulesWriter::writeLedgerRest() {
  if (!ledger_pending_) return;
  const std::string& ledger = ledger_states_.back();
  std::string gain;
  if (!ledger_rest_.empty()) {
    use("ledger-rest");
    text_ += fmt::format("    let {}_twice = {} * 2\n", ledger_rest_, ledger_rest_);
    gain = fmt::format(" + {}_twice - {}", ledger_rest_, ledger_rest_);
  }
  if (rng_.chance(60)) {
    use("ledger-step-aggregate");
    text_ += fmt::format("    let {}_counted = count(Item where {} > qty)\n", ledger, ledger);
    gain += fmt::format(" + {}_counted", ledger);
  }
  if (gain.empty()) return;
  const std::string state = ledger + "_sum";
  text_ += fmt::format("    state {}: int = 0\n", state);
  text_ += fmt::format("    decide first\n      rule rr then {} = {}{}\n    end\n", state, state, gain);
  rest_outputs_.push_back(state);
  ledger_rest_.clear();
}

// After a fold with a ledger: its final int state aggregated over Item, as it is and in a filter.
void RulesWriter::writeLedgerOutputs() {
  for (const std::string& state : rest_outputs_) text_ += fmt::format("  output o_{}: int = {}\n", state, state);
  rest_outputs_.clear();
  if (!ledger_pending_) return;
  ledger_pending_ = false;
  const std::string& name = ledger_states_.back();
  use("ledger-aggregate");
  text_ += fmt::format("  output o_{}: int = sum({} over Item)\n", name, name);
  if (rng_.chance(60)) {
    use("ledger-late");
    text_ += fmt::format("  output o_{}_late: int = count(Item where {} > qty)\n", name, name);
  }
}

// A decision inside the fold assigning some of `assigned` per rule; `unique` now and then, so that
// two applicable rules reject the group.
void RulesWriter::writeFoldDecision(const std::vector<State>& assigned) {
  bool unique = rng_.chance(10);
  use("fold-decide");
  text_ += unique ? "    decide unique\n" : "    decide first\n";
  int rules = rng_.range(2, 4);
  for (int rule = 0; rule < rules; ++rule) {
    std::vector<State> targets = assigned;
    rng_.shuffle(targets);
    targets.resize(std::min<size_t>(targets.size(), static_cast<size_t>(rng_.range(1, 2))));
    std::string then;
    for (const State& state : targets) then += (then.empty() ? "" : ", ") + state.name + " = " + stateValue(state);
    bool always = !unique && rng_.chance(15);
    text_ += always ? fmt::format("      rule fr{} then {}\n", rule, then)
                    : fmt::format("      rule fr{} when {} then {}\n", rule, foldCondition(), then);
  }
  text_ += "    end\n";
}

// A condition inside the fold: over the item's fields, a state before the record, or both.
std::string RulesWriter::foldCondition() {
  if (rng_.chance(40)) return condition(rng_);
  const State& state = rng_.pick(states_);
  std::string over_state;
  if (state.type == "int") over_state = rng_.chance(50) ? fmt::format("f_n > {}", rng_.range(0, 20)) : "f_n < qty";
  else if (state.type == "bool") over_state = rng_.chance(50) ? "f_b" : "not f_b and flag";
  else if (state.type == "int?") over_state = rng_.chance(50) ? "f_o is missing" : "(f_o ?? 0) < seq";
  else over_state = rng_.chance(50) ? "f_e == mid" : "f_e in (lo, hi)";
  use("fold-state-condition");
  return rng_.chance(30) ? over_state + " and " + condition(rng_) : over_state;
}

std::string RulesWriter::stateValue(const State& state) {
  if (state.type == "int") {
    std::vector<std::string> values = {"f_n + qty", "f_n + 1", "f_n * 2 - seq", "qty"};
    if (fold_let_) values.push_back("fl");
    if (fold_aggregate_) values.push_back("f_n + fa");
    return rng_.pick(values);
  }
  if (state.type == "bool") return rng_.pick(std::vector<std::string>{"not f_b", "flag", "f_b or qty > 5", "true"});
  if (state.type == "int?") return rng_.pick(std::vector<std::string>{"seq", "missing", "(f_o ?? 0) + qty"});
  return rng_.pick(std::vector<std::string>{"lo", "mid", "hi"});
}

// `distribute POOL over Item amount A [by TIER] [ties ...] into share [rest left]`: int claims mostly
// (a few negative: the group is rejected), money amounts now and then; a tie list that ends in the
// unique `seq` most of the time, and one that may leave a tie (UnresolvedTie rejects the group).
void RulesWriter::writeDistribute() {
  use("distribute");
  share_type_ = rng_.chance(25) ? "money" : "int";
  std::string amount, pool;
  if (share_type_ == "int") {
    amount = rng_.pick(std::vector<std::string>{"claim", "claim", "claim + seq", "if flag then claim else 0", "claim * 2"});
    if (!ledger_states_.empty() && rng_.chance(50)) {  // a ledger state of Item: its final value, after the folds
      amount = ledger_states_.back();
      use("distribute-ledger-amount");
    }
    std::vector<std::string> pools = {"count(Item) * 7", "sum(claim over Item where flag)", "k * 13 - 20",
                                      "p_threshold * 10"};
    if (with_parent_) pools.insert(pools.end(), {"pool", "pool", "pool + level", "pool - 5"});
    pool = rng_.pick(pools);
  } else {
    amount = rng_.pick(std::vector<std::string>{"amount", "amount + amount"});
    std::vector<std::string> pools = {"sum(amount over Item where flag)", "12.34 EUR"};
    if (with_parent_) pools.insert(pools.end(), {"budget", "budget - 100.00 EUR"});
    pool = rng_.pick(pools);
  }
  text_ += fmt::format("  distribute {} over Item amount {}", pool, amount);
  if (rng_.chance(65)) {
    int tiers = rng_.pick(std::vector<int>{0, 0, 1, 1, 2});
    const char* const by[] = {" by kind", " by qty", " by kind, qty"};
    const char* const covered[] = {"distribute-tier-enum", "distribute-tier-int", "distribute-tier-keys"};
    text_ += by[tiers];
    use(covered[tiers]);
  }
  std::string ties;
  if (rng_.chance(70)) {
    ties = " ties " + rng_.pick(std::vector<std::string>{"seq", "kind, seq", "due, seq", "amount, seq", "note ?? \"-\", seq"});
    use("distribute-ties");
  } else {
    ties = rng_.pick(std::vector<std::string>{"", "", " ties kind", " ties due", " ties note ?? \"-\""});
    use("distribute-loose-ties");
  }
  if (ties.find("note") != std::string::npos) use("distribute-string-tie");
  text_ += ties;
  text_ += " into share";
  if (rng_.chance(80)) {
    text_ += " rest left";
    use("distribute-rest");
    text_ += fmt::format("\n  output o_left: {} = left", share_type_);
    group_values_.push_back({"left", share_type_});
    readable_.push_back({{"left", share_type_}, "late-rest"});
  }
  text_ += "\n";
}

// Aggregates of the share, as a whole value (`sum(share over Item where flag)`).
void RulesWriter::writeShareAggregates() {
  int count = rng_.range(1, 2);
  for (int index = 0; index < count; ++index) {
    std::string where = rng_.chance(50) ? " where " + condition(rng_) : "";
    Typed value = rng_.pick(std::vector<Typed>{{"sum(share over Item" + where + ")", share_type_},
                                               {"max(share over Item" + where + ")", share_type_ + "?"},
                                               {"first(share over Item" + where + ")", share_type_ + "?"}});
    text_ += fmt::format("  let sh{} = {}\n  output o_sh{}: {} = sh{}\n", index, value.text, index, value.type, index);
    group_values_.push_back({"sh" + std::to_string(index), value.type});
    readable_.push_back({{"sh" + std::to_string(index), value.type}, "late-share-let"});
    use("share-aggregate");
  }
}

void RulesWriter::writeAggregates() {
  int count = rng_.range(2, 6);
  for (int index = 0; index < count; ++index) {
    Typed value = aggregate(rng_, &constructs_);
    text_ += fmt::format("  let g{} = {}\n  output o{}: {} = g{}\n", index, value.text, index, value.type, index);
    group_values_.push_back({"g" + std::to_string(index), value.type});
    readable_.push_back({{"g" + std::to_string(index), value.type}, "late-let"});
    if (value.type == "money") money_lets_.push_back("g" + std::to_string(index));
  }
}

// Group lets made of late aggregates (docs/groups.md): they are group values for what follows (the
// decision, each blocks) but never readable by another late aggregate, which would be E0978.
void RulesWriter::writeLateAggregates() {
  int count = rng_.range(1, 3);
  for (int index = 0; index < count; ++index) {
    Typed value = lateAggregate();
    std::string name = "late" + std::to_string(late_lets_++);
    text_ += fmt::format("  let {} = {}\n  output o_{}: {} = {}\n", name, value.text, name, value.type, name);
    group_values_.push_back({name, value.type});
    if (value.type == "money") money_lets_.push_back(name);
  }
}

// The conditions that make an aggregate late: an item field against a readable group value, or a
// share in an expression (`share * 2 >= claim`).
std::vector<LatePiece> RulesWriter::lateConditions() {
  std::vector<LatePiece> out;
  for (const LatePiece& readable : readable_) {
    out.push_back({{lateComparison(rng_, readable.value), "bool"}, readable.construct});
  }
  if (share_type_.empty()) return out;
  for (const std::string& condition : shareConditions(share_type_)) {
    out.push_back({{condition, "bool"}, "late-share-where"});
  }
  return out;
}

// The numbers that make an aggregate's value late: item fields with a readable group value, or the
// share in an expression (`share + qty`).
std::vector<LatePiece> RulesWriter::lateValues() const {
  std::vector<LatePiece> out;
  for (const LatePiece& readable : readable_) {
    for (Typed& number : lateNumbers(readable.value)) out.push_back({std::move(number), readable.construct + "-value"});
  }
  if (!share_type_.empty()) {
    for (Typed& number : shareNumbers(share_type_)) out.push_back({std::move(number), "late-share-value"});
  }
  return out;
}

// One late aggregate: its value, its filter or both read the group's values or a share, e.g.
// `count(Item where qty > pool)`, `sum(share * 2 over Item where share > qty)`,
// `max(due over Item where due > (g3 ?? due))`, `all(f_b and flag over Item)`.
Typed RulesWriter::lateAggregate() {
  static const std::vector<std::string> kFns = {"sum", "count", "min", "max", "first", "last", "exists", "all", "any"};
  const std::string& fn = rng_.pick(kFns);
  use("late-aggregate");
  use("late-" + fn);
  std::vector<LatePiece> conditions = lateConditions();
  std::vector<LatePiece> values = lateValues();
  bool numeric = fn == "sum" || fn == "min" || fn == "max" || fn == "first" || fn == "last";
  bool late_value = (fn == "all" || fn == "any" || (numeric && !values.empty())) && rng_.chance(55);
  std::string filter;
  if (!late_value || rng_.chance(30)) {
    const LatePiece& piece = rng_.pick(conditions);
    filter = " where " + piece.value.text;
    use(piece.construct);
    use("late-where");
  } else if (rng_.chance(50)) {
    filter = " where " + condition(rng_);
  }
  if (fn == "count" || fn == "exists") return {fn + "(Item" + filter + ")", fn == "count" ? "int" : "bool"};
  Typed value;
  if (late_value) {
    const LatePiece& piece = rng_.pick(fn == "all" || fn == "any" ? conditions : values);
    value = piece.value;
    use(piece.construct);
  } else if (fn == "all" || fn == "any") {
    value = {condition(rng_), "bool"};
  } else {
    value = fn != "sum" && rng_.chance(20) ? Typed{"due", "date"} : rng_.pick(numbers(rng_));
  }
  std::string text = fn + "(" + value.text + " over Item" + filter + ")";
  if (fn == "all" || fn == "any") return {text, "bool"};
  return {text, fn == "sum" ? value.type : value.type + "?"};
}

std::vector<Typed> RulesWriter::eachUses() const {
  std::vector<Typed> uses;
  for (const Typed& value : group_values_) {
    for (Typed& use : itemUses(value)) uses.push_back(std::move(use));
  }
  if (share_type_ == "int") uses.insert(uses.end(), {{"share", "int"}, {"share + qty", "int"}, {"share > qty", "bool"}});
  if (share_type_ == "money") uses.insert(uses.end(), {{"share", "money"}, {"share - amount", "money"}, {"share > 0.00 EUR", "bool"}});
  return uses;
}

// A condition in an `each` block: over the item's fields, or a group value or share with them.
std::string RulesWriter::eachCondition() {
  if (rng_.chance(30)) return condition(rng_);
  std::vector<Typed> uses = eachUses();
  uses.erase(std::remove_if(uses.begin(), uses.end(), [](const Typed& use) { return use.type != "bool"; }), uses.end());
  return uses.empty() ? condition(rng_) : rng_.pick(uses).text;
}

// One output row per item: the item's key and seq, lets over group values and the share, and a
// decision over them now and then.
void RulesWriter::writeEach(const std::string& record) {
  use("each");
  text_ += record == "Item" ? "  each Item\n" : "  each Item as " + record + "\n";
  text_ += "    output k: int = k\n    output seq: int = seq\n";
  std::vector<Typed> uses = eachUses();
  int lets = rng_.range(1, 3);
  for (int index = 0; index < lets; ++index) {
    const Typed& value = rng_.pick(uses);
    text_ += fmt::format("    let e{} = {}\n    output eo{}: {} = e{}\n", index, value.text, index, value.type, index);
    use("each-let");
  }
  if (lateReadable() && rng_.chance(40)) {
    use("late-each");
    Typed value = lateAggregate();
    text_ += fmt::format("    let el = {}\n    output eol: {} = el\n", value.text, value.type);
  }
  if (!share_type_.empty()) {
    text_ += fmt::format("    output es: {} = share\n", share_type_);
    use("share-each");
  }
  for (const std::string& name : ledger_states_) {
    use("ledger-each");
    text_ += fmt::format("    output e_{}: int = {}\n    output e_{}_b: bool = {}_b\n", name, name, name, name);
  }
  if (rng_.chance(60)) {
    use("each-decide");
    text_ += "    output tag: enum(x, y, z) = x\n";
    text_ += rng_.chance(8) ? "    decide unique\n" : "    decide first\n";
    text_ += fmt::format("      rule t0 when {} then tag = y\n", eachCondition());
    text_ += fmt::format("      rule t1 when {} then tag = z\n", eachCondition());
    text_ += "    end\n";
  }
  text_ += "  end\n";
}

std::string moneyCell(Rng& rng) {
  if (rng.chance(3)) return "92233720368547758.07";  // the largest money: sums overflow
  int cents = rng.range(-5000, 500000);
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", std::abs(cents) / 100, std::abs(cents) % 100);
}

// A claim to distribute: small, often one of a few round values (equal claims, so the tie keys
// decide), now and then negative (the group is rejected).
std::string claimCell(Rng& rng) {
  if (rng.chance(2)) return std::to_string(-rng.range(1, 3));
  if (rng.chance(45)) return rng.pick(std::vector<std::string>{"0", "5", "10", "10", "20"});
  return std::to_string(rng.range(1, 60));
}

// Item records for keys 1..groups+1 (some keys get none; key groups+1 has no parent record); `seq` is
// unique within a key, so `order by seq` is a total order and shuffled input gives the same results.
std::vector<std::string> itemRecords(Rng& rng, int groups) {
  static const std::vector<std::string> kKinds = {"a", "b", "c"};
  std::vector<std::string> records;
  for (int key = 1; key <= groups + 1; ++key) {
    int items = rng.chance(15) ? 0 : rng.range(1, 9);
    for (int item = 0; item < items; ++item) {
      std::string qty = rng.chance(2) ? "x" : std::to_string(rng.range(-2, 12));  // a bad cell now and then
      records.push_back(fmt::format("{},{},{},{},{},{},2025-{:02}-{:02},{},{}", key, item + 1, qty, moneyCell(rng),
                                    rng.chance(50) ? "true" : "false", rng.pick(kKinds), rng.range(1, 12),
                                    rng.range(1, 28), rng.chance(30) ? "" : "n" + std::to_string(item),
                                    claimCell(rng)));
    }
  }
  return records;
}

// A pool: mostly between nothing and more than the claims, now and then negative (rejected).
int poolCell(Rng& rng) {
  if (rng.chance(4)) return -rng.range(1, 50);
  if (rng.chance(8)) return 0;
  return rng.range(0, 400);
}

std::vector<std::string> parentRecords(Rng& rng, int groups) {
  std::vector<std::string> records;
  for (int key = 1; key <= groups; ++key) {
    if (rng.chance(5)) continue;  // a group without its parent record: rejected
    int copies = rng.chance(4) ? 2 : 1;  // a doubled parent record: rejected
    for (int copy = 0; copy < copies; ++copy) {
      records.push_back(fmt::format("{},{},{},{}", key, moneyCell(rng), rng.range(0, 5), poolCell(rng)));
    }
  }
  return records;
}

// Note records for keys 1..groups+1, a few per key, each naming an Item's seq (or none); a bad weight
// now and then.
std::vector<std::string> noteRecords(Rng& rng, int groups) {
  std::vector<std::string> records;
  for (int key = 1; key <= groups + 1; ++key) {
    int notes = rng.chance(30) ? 0 : rng.range(1, 4);
    for (int note = 0; note < notes; ++note) {
      std::string weight = rng.chance(2) ? "y" : std::to_string(rng.range(-3, 20));
      records.push_back(fmt::format("{},{},{},{}", key, note + 1, rng.range(1, 10), weight));
    }
  }
  return records;
}

// Rate records, the same for every group: ranks 1..n in a random file order (`order by r` is total).
std::vector<std::string> rateRecords(Rng& rng) {
  std::vector<std::string> records;
  int count = rng.chance(15) ? 0 : rng.range(1, 5);
  for (int rank = 1; rank <= count; ++rank) records.push_back(fmt::format("{},{}", rank, rng.range(-3, 12)));
  rng.shuffle(records);
  return records;
}

std::string csv(const std::string& header, const std::vector<std::string>& records) {
  std::string text = header + "\n";
  for (const std::string& record : records) text += record + "\n";
  return text;
}

}  // namespace

GroupCase generateGroupCase(uint64_t seed) {
  Rng rng(seed * 7919 + 17);
  GroupCase out;
  bool with_parent = rng.chance(75);
  if (!with_parent) out.constructs.push_back("no-one-input");
  RulesWriter writer(rng, &out.constructs);
  out.rules = writer.write(with_parent, &out.records);
  int groups = rng.range(1, 60);
  std::vector<std::string> items = itemRecords(rng, groups);
  const std::string item_header = "k,seq,qty,amount,flag,kind,due,note,claim";
  out.inputs.emplace_back("Item", csv(item_header, items));
  std::vector<std::string> shuffled_items = items;
  rng.shuffle(shuffled_items);
  out.shuffled.emplace_back("Item", csv(item_header, shuffled_items));
  if (with_parent) {
    const std::string parent_header = "k,budget,level,pool";
    std::vector<std::string> parents = parentRecords(rng, groups);
    out.inputs.emplace_back("Parent", csv(parent_header, parents));
    rng.shuffle(parents);
    out.shuffled.emplace_back("Parent", csv(parent_header, parents));
  }
  if (writer.notes()) {
    const std::string note_header = "k,n,item,weight";
    std::vector<std::string> notes = noteRecords(rng, groups);
    out.inputs.emplace_back("Note", csv(note_header, notes));
    rng.shuffle(notes);
    out.shuffled.emplace_back("Note", csv(note_header, notes));
  }
  if (writer.rates()) {
    std::string rates = csv("r,w", rateRecords(rng));
    out.inputs.emplace_back("Rate", rates);
    out.shuffled.emplace_back("Rate", rates);  // no group's own records: their file order never matters
  }
  return out;
}

}  // namespace regelwerk::difftest
