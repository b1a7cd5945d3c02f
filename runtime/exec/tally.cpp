// Outcome counts and money sums for the run summary.
#include "tally.hpp"

#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

Tally::Tally(const ir::Program& program) : program_(&program) {
  for (size_t output = 0; output < program.outputs.size(); ++output) {
    const ir::Type& type = program.outputs[output].type;
    if (type.kind == ir::TypeKind::Enum) slots_.push_back(Slot{output, std::vector<int64_t>(type.members.size())});
    if (type.kind == ir::TypeKind::Bool) slots_.push_back(Slot{output, std::vector<int64_t>(2), 0, false, true});
    if (type.kind == ir::TypeKind::Money) slots_.push_back(Slot{output, {}, 0, true});
  }
}

namespace {

// The rows that count: evaluated without error and not missing.
inline bool counts(const RowError* errors, const uint8_t* valid, size_t row) {
  return errors[row].code == 0 && (valid == nullptr || valid[row] != 0);
}

// One loop per slot and value type, so the row loop holds no per-row type or mode test.
template <typename Value>
void countValues(const Value* values, const uint8_t* valid, const RowError* errors, size_t rows,
                 std::vector<int64_t>* tally) {
  int64_t* slots = tally->data();
  const uint64_t size = tally->size();
  for (size_t row = 0; row < rows; ++row) {
    const uint64_t value = static_cast<uint64_t>(static_cast<int64_t>(values[row]));
    if (counts(errors, valid, row) && value < size) ++slots[value];  // negatives wrap past `size`
  }
}

__int128 sumValues(const int64_t* values, const uint8_t* valid, const RowError* errors, size_t rows) {
  __int128 sum = 0;
  for (size_t row = 0; row < rows; ++row)
    if (counts(errors, valid, row)) sum += values[row];
  return sum;
}

}  // namespace

void Tally::add(const ColumnView* outputs, const RowError* errors, size_t rows) {
  for (Slot& slot : slots_) {
    const ColumnView& column = outputs[slot.output];
    if (slot.is_sum) slot.sum += sumValues(static_cast<const int64_t*>(column.values), column.valid, errors, rows);
    else if (slot.is_bool) countValues(static_cast<const uint8_t*>(column.values), column.valid, errors, rows, &slot.counts);
    else countValues(static_cast<const int64_t*>(column.values), column.valid, errors, rows, &slot.counts);
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

std::string formatSum(__int128 sum, int scale) {
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
