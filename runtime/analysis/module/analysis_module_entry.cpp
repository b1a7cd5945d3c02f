// The entry of regelwerk-analysis.so (runtime/analysis/analysis_module.hpp): the table of the checks.
#include "runtime/analysis/analysis_module.hpp"

extern "C" __attribute__((visibility("default"))) const regelwerk::analysis::AnalysisModule*
regelwerk_analysis_module() {
  using namespace regelwerk;
  static const analysis::AnalysisModule module{
      analysis::kAnalysisModuleAbi, sizeof(ir::Program),  sizeof(SourceManager),
      sizeof(analysis::Finding),   sizeof(analysis::CheckOptions), &analysis::checkRuleSet,
      &analysis::renderFinding};
  return &module;
}
