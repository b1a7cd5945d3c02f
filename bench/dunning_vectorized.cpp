// The vectorised hand-written baseline of issue 12 ("evaluation at the vectorized limit"): the dunning
// decision over columns without a branch per row — every rule's condition computed as 0 or 1, the
// outputs as sums of products, the interest in doubles (dunning.md: every intermediate value is below
// 2^40, so the product is exact and the truncated quotient is the integer division's) — built with -O3
// -march=native (bench/CMakeLists.txt) so that the compiler vectorises it for this CPU, as the JIT
// compiles for it. One loop per output column: GCC 12 vectorises each of them, not one loop that stores
// several (`-fopt-info-vec`: "no vectype"). bench_dunning checks its decisions on every row.
#include "bench/dunning_handwritten.hpp"

namespace regelwerk::dunning {
namespace {

// The columns of one call as restrict pointers: the outputs do not alias the inputs.
struct Columns {
  const int64_t* __restrict customer_type;
  const int64_t* __restrict amount;
  const int64_t* __restrict paid;
  const int64_t* __restrict due;
  const int64_t* __restrict last_notice;
  const uint8_t* __restrict last_notice_valid;
  const int64_t* __restrict level;
  const uint8_t* __restrict disputed;
};

// Row `row`'s decision, branch-free; each loop below keeps the part it stores.
struct Row {
  int64_t action, new_level, fee, interest;
};

inline Row decideRow(const Columns& in, int64_t row) {
  const int64_t open = in.amount[row] - in.paid[row];
  const int64_t overdue = kAsOf - in.due[row];
  const int64_t noticed = in.last_notice_valid[row];  // 0 or 1
  const int64_t since_notice = overdue + noticed * (kAsOf - in.last_notice[row] - overdue);
  const int64_t level = in.level[row];
  const int64_t business = in.customer_type[row] == 1;
  const int64_t disputed = in.disputed[row] != 0;
  // Each rule's condition as 0 or 1; rules 1 and 2 of dunning.md (disputed, settled, level 4) stop.
  const int64_t go = (1 - disputed) * (open > 0) * (level != 4);
  const int64_t reminder = go * (level == 0) * (overdue >= kWaitDays);
  const int64_t notice = go * ((level == 1) + (level == 2)) * (since_notice >= kWaitDays);
  const int64_t last = go * (level == 3) * (since_notice >= kWaitDays);
  const int64_t collection = last * (open >= kCollectionMinimumCents);
  const int64_t write_off = last * (open < kCollectionMinimumCents);
  // Truncation is floor here: the quotient is not negative where it counts.
  const int64_t accrues = (1 - disputed) * (open > 0) * (overdue > 0);
  const double rate_bp = static_cast<double>(kBaseRateBp + 500 + business * 400);
  const double quotient = (static_cast<double>(open) * rate_bp * static_cast<double>(overdue) + 1825000.0) / 3650000.0;
  return Row{reminder * static_cast<int64_t>(Action::Reminder) + notice * static_cast<int64_t>(Action::Notice) +
                 collection * static_cast<int64_t>(Action::Collection) + write_off * static_cast<int64_t>(Action::WriteOff),
             level + reminder + notice + collection,  // 0 -> 1, +1, 3 -> 4
             notice * (business * (level == 1) * 4000 + (1 - business) * 500),
             accrues * static_cast<int64_t>(quotient)};
}

}  // namespace

void evaluateColumnsVectorized(const InvoiceColumns& input, const DecisionColumns& output, int64_t rows) {
  const Columns in{input.customer_type,     input.amount_cents,  input.paid_cents, input.due_date,
                   input.last_notice_date,  input.last_notice_valid, input.dunning_level, input.disputed};
  int64_t* __restrict id = output.id;
  int64_t* __restrict action = output.action;
  int64_t* __restrict new_level = output.new_level;
  int64_t* __restrict fee = output.fee_cents;
  int64_t* __restrict interest = output.interest_cents;
  for (int64_t row = 0; row < rows; ++row) id[row] = input.id[row];
  for (int64_t row = 0; row < rows; ++row) action[row] = decideRow(in, row).action;
  for (int64_t row = 0; row < rows; ++row) new_level[row] = decideRow(in, row).new_level;
  for (int64_t row = 0; row < rows; ++row) fee[row] = decideRow(in, row).fee;
  for (int64_t row = 0; row < rows; ++row) interest[row] = decideRow(in, row).interest;
}

}  // namespace regelwerk::dunning
