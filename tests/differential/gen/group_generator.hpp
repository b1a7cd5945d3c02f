// Seeded generator of grouped rule sets (docs/groups.md) and their inputs, for the differential suite:
// a keyed input with one record per key (sometimes none), one with many, group lets and outputs made of
// random aggregates with `where` filters, a decision over them, and — each with its own chance — a fold
// (running int, bool, enum and optional states), a distribution (tiers, tie keys, share and rest) and
// an `each` block (one output row per item, reading the group's values), and late aggregates (at group
// level and in `each` blocks: filters and values that read the `one` input's fields, earlier group
// lets, fold states, a rest, or a share inside an expression; never a late let, E0978); CSV files with boundary
// values, a shared input (its records in every group: aggregates, a fold over them, an `each`),
// missing and doubled `one` records, keys without records, values that overflow a sum, negative
// claims, equal claims without a deciding tie key, and bad cells.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace regelwerk::difftest {

struct GroupCase {
  std::string rules;
  std::vector<std::pair<std::string, std::string>> inputs;  // input name -> CSV text, sorted by key
  std::vector<std::pair<std::string, std::string>> shuffled;  // the same records in another order
  std::vector<std::string> records;     // the output records the rule set writes, the group's first
  std::vector<std::string> constructs;  // what the rule set uses ("sum", "where", "fold", "each", ...)
};

GroupCase generateGroupCase(uint64_t seed);

}  // namespace regelwerk::difftest
