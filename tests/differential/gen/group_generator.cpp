// Grouped rule sets and inputs for the differential suite (group_generator.hpp). Every aggregate is
// typed the way compiler/sema types it, so every generated rule set checks.
#include "group_generator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "rng.hpp"

namespace regelwerk::difftest {

namespace {

// An item-level value the aggregates can read: its text and its type in the language.
struct ItemValue {
  std::string text;
  std::string type;  // "int", "money", "date", "bool", "enum(a, b, c)"
};

std::vector<ItemValue> numbers(Rng& rng) {
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
ItemValue aggregate(Rng& rng, std::vector<std::string>* constructs) {
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
    static const std::vector<ItemValue> kAny = {{"kind", "enum(a, b, c)"}, {"qty", "int"}, {"due", "date"}, {"flag", "bool"}};
    const ItemValue& value = rng.pick(kAny);
    return {fn + "(" + value.text + " over Item" + where + ")", value.type + "?"};
  }
  if (fn == "sum") {
    ItemValue value = rng.pick(numbers(rng));
    return {"sum(" + value.text + " over Item" + where + ")", value.type};
  }
  ItemValue value = rng.chance(25) ? ItemValue{"due", "date"} : rng.pick(numbers(rng));
  return {fn + "(" + value.text + " over Item" + where + ")", value.type + "?"};
}

std::string rulesText(Rng& rng, bool with_parent, std::vector<std::string>* constructs) {
  std::string text = "ruleset grouped\nparam p_threshold: int = " + std::to_string(rng.range(0, 8)) + "\n";
  if (with_parent) text += "input Parent key k\n  k: int\n  budget: money\n  level: int\n";
  text += "input Item key k many";
  if (rng.chance(70)) {
    text += rng.chance(50) ? " order by seq" : " order by kind, seq";
    constructs->push_back("order-by");
  }
  text += "\n  k: int\n  seq: int\n  qty: int\n  amount: money\n  flag: bool\n  kind: enum(a, b, c)\n  due: date\n"
          "  note: string?\nper k\n  output k: int = k\n";
  int count = rng.range(2, 6);
  std::vector<std::string> money_lets;
  for (int index = 0; index < count; ++index) {
    ItemValue value = aggregate(rng, constructs);
    text += fmt::format("  let g{} = {}\n  output o{}: {} = g{}\n", index, value.text, index, value.type, index);
    if (value.type == "money") money_lets.push_back("g" + std::to_string(index));
  }
  if (with_parent && !money_lets.empty()) {
    constructs->push_back("decide");
    std::string total = rng.pick(money_lets);
    text += "  output verdict: enum(none, low, high) = none\n  decide first\n";
    text += fmt::format("    rule high when {} > budget then verdict = high\n", total);
    text += fmt::format("    rule low when level > 2 and {} <= budget then verdict = low\n", total);
    text += "  end\n";
  }
  return text + "end\n";
}

std::string moneyCell(Rng& rng) {
  if (rng.chance(3)) return "92233720368547758.07";  // the largest money: sums overflow
  int cents = rng.range(-5000, 500000);
  return fmt::format("{}{}.{:02}", cents < 0 ? "-" : "", std::abs(cents) / 100, std::abs(cents) % 100);
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
      records.push_back(fmt::format("{},{},{},{},{},{},2025-{:02}-{:02},{}", key, item + 1, qty, moneyCell(rng),
                                    rng.chance(50) ? "true" : "false", rng.pick(kKinds), rng.range(1, 12),
                                    rng.range(1, 28), rng.chance(30) ? "" : "n" + std::to_string(item)));
    }
  }
  return records;
}

std::vector<std::string> parentRecords(Rng& rng, int groups) {
  std::vector<std::string> records;
  for (int key = 1; key <= groups; ++key) {
    if (rng.chance(5)) continue;  // a group without its parent record: rejected
    int copies = rng.chance(4) ? 2 : 1;  // a doubled parent record: rejected
    for (int copy = 0; copy < copies; ++copy) {
      records.push_back(fmt::format("{},{},{}", key, moneyCell(rng), rng.range(0, 5)));
    }
  }
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
  out.rules = rulesText(rng, with_parent, &out.constructs);
  int groups = rng.range(1, 60);
  std::vector<std::string> items = itemRecords(rng, groups);
  const std::string item_header = "k,seq,qty,amount,flag,kind,due,note";
  out.inputs.emplace_back("Item", csv(item_header, items));
  std::vector<std::string> shuffled_items = items;
  rng.shuffle(shuffled_items);
  out.shuffled.emplace_back("Item", csv(item_header, shuffled_items));
  if (with_parent) {
    std::vector<std::string> parents = parentRecords(rng, groups);
    out.inputs.emplace_back("Parent", csv("k,budget,level", parents));
    rng.shuffle(parents);
    out.shuffled.emplace_back("Parent", csv("k,budget,level", parents));
  }
  return out;
}

}  // namespace regelwerk::difftest
