// The whole-rule-set checks as a module the command loads only when it checks (`regelwerk check`, the
// language server): Z3 is a 23 MB shared library whose loading and static constructors cost every
// process about 3 ms of CPU and 5 ms of wall time (bench/RESULTS.md, "start-up"), while `run` never
// needs it. The module is built and installed with the command and is private to it: the table below
// is plain C++, valid only between a command and a module of the same build (checked by `abi` and the
// sizes of the types that cross).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/analysis/analysis.hpp"

namespace regelwerk::analysis {

// Raise when a signature below or a type crossing it changes.
constexpr int kAnalysisModuleAbi = 1;

struct AnalysisModule {
  int abi;
  size_t program_size, sources_size, finding_size, options_size;
  std::vector<Finding> (*check_rule_set)(const ir::Program& program, const SourceManager& sources,
                                         const CheckOptions& options);
  std::string (*render_finding)(const SourceManager& sources, const ir::Program& program, const Finding& finding);
};

// What this build expects of a module: compared field by field with the module's own table.
inline bool sameBuild(const AnalysisModule& module) {
  return module.abi == kAnalysisModuleAbi && module.program_size == sizeof(ir::Program) &&
         module.sources_size == sizeof(SourceManager) && module.finding_size == sizeof(Finding) &&
         module.options_size == sizeof(CheckOptions);
}

// The module's one exported symbol.
inline constexpr const char* kAnalysisModuleEntry = "regelwerk_analysis_module";

}  // namespace regelwerk::analysis

extern "C" const regelwerk::analysis::AnalysisModule* regelwerk_analysis_module();
