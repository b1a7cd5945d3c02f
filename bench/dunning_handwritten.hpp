// The hand-written C++ baseline for the dunning workload: what a competent engineer writes in an
// afternoon (mmap, one pass, no SIMD), to put the engine's numbers in proportion.
#pragma once

#include <cstdint>
#include <string>

#include "bench/dunning_reference.hpp"

namespace regelwerk::dunning {

// Parsed input columns laid out as an engine sees them: ints, dates (days since 1970-01-01) and
// the customer type (0 consumer, 1 business) as int64, bools as one byte, a validity byte per row
// for the optional last notice date.
struct InvoiceColumns {
  const int64_t* id;
  const int64_t* customer_type;
  const int64_t* amount_cents;
  const int64_t* paid_cents;
  const int64_t* due_date;
  const int64_t* last_notice_date;
  const uint8_t* last_notice_valid;
  const int64_t* dunning_level;
  const uint8_t* disputed;
};

// Output columns; `action` holds the Action index. `id` is copied through, as the engine's output does.
struct DecisionColumns {
  int64_t* id;
  int64_t* action;
  int64_t* new_level;
  int64_t* fee_cents;
  int64_t* interest_cents;
};

// The evaluation-only entry: decides rows [0, rows) of already parsed columns, for comparison with
// Evaluator::evaluate on the same data.
void evaluateColumns(const InvoiceColumns& input, const DecisionColumns& output, int64_t rows);
// The same decision without a branch per row, built for vectorising (dunning_vectorized.cpp).
void evaluateColumnsVectorized(const InvoiceColumns& input, const DecisionColumns& output, int64_t rows);

struct HandwrittenRun {
  bool ok = false;
  std::string error;  // when !ok: "invoices.csv:17: bad due_date", or an I/O error
  Checksum checksum;
  double seconds = 0;
};

// End to end: reads `input_path` (the dunning input CSV), writes `output_path` (kOutputHeader), on
// `threads` threads (0: all cores). Output rows keep input order.
HandwrittenRun runHandwritten(const std::string& input_path, const std::string& output_path, int threads);

}  // namespace regelwerk::dunning
