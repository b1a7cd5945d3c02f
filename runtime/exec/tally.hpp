// Per-output counts and sums accumulated during a run, for the summary after it.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/columnar/batch.hpp"

namespace regelwerk {

// Counts every enum and bool output's values and sums every money output (exactly, in 128 bits) over
// the rows that were evaluated without error. One per worker; merged at the end.
class Tally {
 public:
  explicit Tally(const ir::Program& program);
  void add(const ColumnView* outputs, const RowError* errors, size_t rows);
  void merge(const Tally& other);
  std::vector<OutputTally> result() const;

 private:
  struct Slot {
    size_t output;
    std::vector<int64_t> counts;  // enum members, or false/true
    __int128 sum = 0;
    bool is_sum = false;
    bool is_bool = false;  // values are uint8_t, not int64_t
  };
  const ir::Program* program_;
  std::vector<Slot> slots_;
};

// A 128-bit sum of scaled values, exactly at `scale`: (123450, 2) -> "1234.50"; (-5, 2) -> "-0.05".
std::string formatSum(__int128 sum, int scale);

}  // namespace regelwerk
