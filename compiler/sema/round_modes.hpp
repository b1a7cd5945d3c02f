// The rounding modes as the language spells them: one table for `round(x, 2, half_even)`, the
// `rounding` setting and the messages that list them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir/ir.hpp"

namespace regelwerk::sema {

#define RW_ROUND_MODES(X)             \
  X("half_up", ir::RoundMode::HalfUp)     \
  X("half_even", ir::RoundMode::HalfEven) \
  X("down", ir::RoundMode::Down)          \
  X("up", ir::RoundMode::Up)              \
  X("floor", ir::RoundMode::Floor)        \
  X("ceiling", ir::RoundMode::Ceiling)

inline std::optional<ir::RoundMode> roundModeNamed(std::string_view name) {
#define RW_MODE_CASE(text, mode) \
  if (name == text) return mode;
  RW_ROUND_MODES(RW_MODE_CASE)
#undef RW_MODE_CASE
  return std::nullopt;
}

// "half_up, half_even, down, up, floor, ceiling" for messages.
inline std::string roundModeList() {
  std::string out;
#define RW_MODE_NAME(text, mode) out += out.empty() ? text : ", " text;
  RW_ROUND_MODES(RW_MODE_NAME)
#undef RW_MODE_NAME
  return out;
}

}  // namespace regelwerk::sema
