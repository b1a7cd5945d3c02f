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

// "did you mean `half_up`?" for `halfup` or `HALF_UP`: the mode equal to `name` once case and
// underscores are ignored; "" if none is.
inline std::string closestRoundMode(std::string_view name) {
  auto squash = [](std::string_view text) {
    std::string out;
    for (char ch : text) {
      if (ch != '_') out += static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    }
    return out;
  };
  std::string wanted = squash(name);
#define RW_MODE_MATCH(text, mode) \
  if (squash(text) == wanted) return "did you mean `" text "`?";
  RW_ROUND_MODES(RW_MODE_MATCH)
#undef RW_MODE_MATCH
  return "";
}

}  // namespace regelwerk::sema
