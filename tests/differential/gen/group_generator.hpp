// Seeded generator of grouped rule sets (docs/groups.md) and their inputs, for the differential suite:
// a keyed input with one record per key (sometimes none), one with many, group lets and outputs made of
// random aggregates with `where` filters, a decision over them, and CSV files with boundary values,
// missing and doubled `one` records, keys without records, values that overflow a sum and bad cells.
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
  std::vector<std::string> constructs;  // what the rule set uses ("sum", "where", "first", "no-one-input", ...)
};

GroupCase generateGroupCase(uint64_t seed);

}  // namespace regelwerk::difftest
