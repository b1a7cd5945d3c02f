// The text report of `regelwerk diff` (docs/diff.md shows it part by part).
#pragma once

#include <string>

#include "runtime/exec/diff_run.hpp"

namespace regelwerk::cli {

// The whole report: the count line, outputs only one version has, changes per output and value pair,
// money sums, rejections, and the first changed records with the rules that decided them.
std::string renderDiffReport(const DiffSummary& summary, const std::string& old_path, const std::string& new_path,
                             const std::string& input_path);

// 1234567 -> "1,234,567": counts in the report, read at a glance.
std::string groupDigits(int64_t count);

}  // namespace regelwerk::cli
