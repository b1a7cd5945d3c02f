// The built-in time functions by name, shared by the checker (argument kinds, result) and lowering
// (which kernel): `local_time(at, tz)` is ir::TimeFn::LocalTime.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "compiler/ast/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/ir/type.hpp"

namespace regelwerk::sema {

struct TimeFunction {
  const char* name;
  ir::TimeFn fn;
  std::vector<ir::TypeKind> params;  // a String parameter is the zone name
  ir::TypeKind result;
  const char* usage;  // "local_time(t, zone)"
};

const TimeFunction* timeFunction(std::string_view name);

// Seconds of a checked `24 h` / `30 min` / `45 s` literal; nullopt when it does not fit in 64 bits.
std::optional<int64_t> durationSeconds(std::string_view number, std::string_view unit);

// The value of a checked timestamp, time, duration or days literal at `target` (days into a duration
// are seconds); nullopt for other literals or when it does not fit in 64 bits.
std::optional<int64_t> timeLiteralValue(const ast::Expr& expr, const ir::Type& target);

}  // namespace regelwerk::sema
