// The table of Op::TimeCall kernels: which builtin each ir::TimeFn calls and what it takes.
#include "ir.hpp"

namespace regelwerk::ir {

const TimeFnInfo& timeFnInfo(TimeFn fn) {
  static const TimeFnInfo kInfo[kTimeFnCount] = {
      {"rw_local_date", 1, true}, {"rw_local_time", 1, true}, {"rw_at_local", 2, true},
      {"rw_date_year", 1, false}, {"rw_date_month", 1, false}, {"rw_date_day", 1, false},
      {"rw_date_weekday", 1, false}, {"rw_date_from_parts", 3, false}, {"rw_date_clamped", 3, false},
  };
  return kInfo[static_cast<int>(fn)];
}

}  // namespace regelwerk::ir
