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

}  // namespace regelwerk::difftest
