// Text of single values as a CSV cell or a `--param` writes them: ordinary values, boundary values
// (the extremes a declared scale still holds, month ends, leap days, the calendar's ends) and cells
// the reader must reject.
#pragma once

#include <string>

#include "program_model.hpp"
#include "rng.hpp"

namespace regelwerk::difftest {

// INT64_MAX (or INT64_MIN) as a fixed-point number with `scale` places: scale 2 -> 92233720368547758.07.
std::string extremeText(int scale, bool negative);

// A value that reads back as `type` (never missing). `cents`: money written in minor units.
std::string ordinaryCell(Rng& rng, const GProgram& program, const GType& type, bool cents);
std::string boundaryCell(Rng& rng, const GProgram& program, const GType& type, bool cents);
// A cell of the wrong shape for `type` (unknown enum member, impossible date, too many places, ...);
// empty when the type has no bad cells (strings).
std::string badCell(Rng& rng, const GType& type, bool cents);

// A date literal as the language and the CSV write it, from a pool rich in month ends and leap days.
std::string dateText(Rng& rng);
// A timestamp (`2025-03-30T01:00:00Z`, sometimes with an offset) from a pool rich in DST changes, and
// a time of day (`21:00`, `08:00:30`).
std::string timestampText(Rng& rng);
std::string timeText(Rng& rng);

}  // namespace regelwerk::difftest
