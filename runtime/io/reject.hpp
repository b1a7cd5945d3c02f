// A record that could not be used, with the reason: one row of the rejects file.
#pragma once

#include <cstdint>
#include <string>

namespace regelwerk {

struct Reject {
  int64_t line = 0;        // 1-based line where the record starts
  std::string column;      // CSV header name of the offending column; "" for whole-record problems
  std::string reason;      // one sentence, e.g. "`2025-02-30` is not a date (February 2025 has 28 days)"
  std::string raw_record;  // the record as it was in the file, without its line end, whole
};

}  // namespace regelwerk
