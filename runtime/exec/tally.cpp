// Outcome counts and money sums for the run summary.
#include "tally.hpp"

#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

Tally::Tally(const ir::Program& program) : program_(&program) {
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    const ir::Type& type = program.outputs[output].type;
    if (type.kind == ir::TypeKind::Enum) slots_.push_back(Slot{output, std::vector<int64_t>(type.members.size())});
    if (type.kind == ir::TypeKind::Bool) slots_.push_back(Slot{output, std::vector<int64_t>(2)});
    if (type.kind == ir::TypeKind::Money) slots_.push_back(Slot{output, {}, 0, true});
  }
}

void Tally::add(const ColumnView* outputs, const RowError* errors, size_t rows) {
  for (Slot& slot : slots_) {
    const ColumnView& column = outputs[slot.output];
    const bool is_bool = program_->outputs[slot.output].type.kind == ir::TypeKind::Bool;
    for (size_t row = 0; row < rows; ++row) {
      if (errors[row].code != 0 || (column.valid && !column.valid[row])) continue;
      int64_t value = is_bool ? static_cast<const uint8_t*>(column.values)[row]
                              : static_cast<const int64_t*>(column.values)[row];
      if (slot.is_sum) slot.sum += value;
      else if (value >= 0 && static_cast<size_t>(value) < slot.counts.size()) ++slot.counts[static_cast<size_t>(value)];
    }
  }
}

void Tally::merge(const Tally& other) {
  for (size_t index = 0; index < slots_.size(); ++index) {
    slots_[index].sum += other.slots_[index].sum;
    for (size_t value = 0; value < slots_[index].counts.size(); ++value) {
      slots_[index].counts[value] += other.slots_[index].counts[value];
    }
  }
}

// 128-bit sums printed exactly at the output's scale.
static std::string formatSum(__int128 sum, int scale) {
  bool negative = sum < 0;
  unsigned __int128 magnitude = negative ? -static_cast<unsigned __int128>(sum) : static_cast<unsigned __int128>(sum);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (negative ? "-" : "") + digits;
}

std::vector<OutputTally> Tally::result() const {
  std::vector<OutputTally> out;
  for (const Slot& slot : slots_) {
    const ir::Output& output = program_->outputs[slot.output];
    OutputTally tally;
    tally.output = output.name;
    if (slot.is_sum) tally.sum = formatSum(slot.sum, output.type.scale);
    for (size_t value = 0; value < slot.counts.size(); ++value) {
      std::string name = output.type.kind == ir::TypeKind::Bool ? (value ? "true" : "false") : output.type.members[value];
      tally.counts.emplace_back(name, slot.counts[value]);
    }
    out.push_back(std::move(tally));
  }
  return out;
}

}  // namespace regelwerk
