// One parsed CSV cell in its physical form: what parseCell produces and formatCell consumes.
#pragma once

#include <cstdint>
#include <string_view>

namespace regelwerk {

// i64 holds every I64 kind (scaled numbers, dates, days, enum indices) and bools as 0/1;
// str holds strings (pointing into the text that was parsed); missing marks an absent `T?` value.
struct CellValue {
  int64_t i64 = 0;
  std::string_view str;
  bool missing = false;
};

}  // namespace regelwerk
