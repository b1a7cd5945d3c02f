// Runs one generated grouped case (group_generator.hpp) through the interpreter and the JIT, on 1 and 2
// threads, with a memory limit that forces the external sort to spill, and over the same records in
// another order; compares every output record's file, the rejects and the counts with the first run.
// Shared by tests/differential (the CI seeds) and bench/differential_soak --grouped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "group_generator.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk::difftest {

struct GroupVariant {
  EngineKind engine;
  int threads;
  size_t memory_limit;
  bool shuffled;  // the inputs in another file order (only where `order by` makes the order total)
};

std::string groupVariantName(const GroupVariant& variant);  // "jit/2t/1M/shuffled"

// The reference (interp, 1 thread, no spill, sorted input) first.
std::vector<GroupVariant> groupVariants();

struct GroupVerdict {
  bool checks = true;  // the rule set passed the checker (else `detail` has the diagnostics)
  bool agree = true;   // every variant gave the reference's files and counts
  std::string detail;  // what differs
  int64_t rows_in = 0;  // of the reference run
  int64_t rows_rejected = 0;
};

// Compiles `generated.rules` once per engine and compares every variant with the reference. With the
// input in another order, the rejected records are compared as a set (their lines and the first
// failure of a group name other places).
GroupVerdict compareGroupCase(const GroupCase& generated, const std::filesystem::path& scratch);

// Writes `generated` to `folder`: grouped.rules, one CSV per input (Item.csv, Item_shuffled.csv, ...),
// `records` and `constructs` (one name a line), and run.sh with the `regelwerk run` command that runs it.
void saveGroupCase(const GroupCase& generated, const std::filesystem::path& folder);
// Reads a folder saveGroupCase wrote (a found-grouped/<seed>/ regression case).
GroupCase loadGroupCase(const std::filesystem::path& folder);

}  // namespace regelwerk::difftest
