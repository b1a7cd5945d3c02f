// The rejects file: one CSV row per rejected record, layout documented in docs/csv.md.
#pragma once

#include <string>

#include "runtime/io/reject.hpp"

namespace regelwerk {

// Appends `line,column,reason,record\n`. The rejects file is always comma-separated, whatever the
// input's separator; `record` holds the input record verbatim (in the input's own dialect).
void appendRejectsHeader(std::string* out);

// Appends one rejects row, e.g. `14,due_date,`2025-02-30` is not a date (…),"7,consumer,…"`.
// Fields are quoted whenever they contain a comma, quote, CR or LF.
void appendReject(const Reject& reject, std::string* out);

}  // namespace regelwerk
