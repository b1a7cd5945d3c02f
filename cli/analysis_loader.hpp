// Finds and loads regelwerk-analysis.so, the whole-rule-set checks (runtime/analysis/analysis_module.hpp),
// beside the command: at RW_ANALYSIS_MODULE_RELDIR from the command's own folder.
#pragma once

#include <string>

#include "runtime/analysis/analysis_module.hpp"

namespace regelwerk::cli {

// The module's table, loaded once; nullptr with `*error` saying which file could not be used and why.
const analysis::AnalysisModule* loadAnalysisModule(std::string* error);

}  // namespace regelwerk::cli
