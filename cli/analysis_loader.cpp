// loadAnalysisModule: dlopen the checks once, beside the command (not on the library search path: the
// module belongs to this build of the command, and a path is what an error message can name).
#include "analysis_loader.hpp"

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <system_error>

namespace regelwerk::cli {
namespace {

std::string modulePath() {
  std::error_code error;
  const std::filesystem::path command = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::filesystem::path folder = error ? std::filesystem::path(".") : command.parent_path();
  return (folder / RW_ANALYSIS_MODULE_RELDIR / "regelwerk-analysis.so").lexically_normal().string();
}

const analysis::AnalysisModule* load(std::string* problem) {
  const std::string path = modulePath();
  const std::string advice = ": the checks are installed with the command; reinstall regelwerk (or build the "
                             "target regelwerk_analysis_module)";
  void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) return *problem = "cannot load the whole-rule-set checks: " + std::string(dlerror()) + advice, nullptr;
  using Entry = const analysis::AnalysisModule* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(library, analysis::kAnalysisModuleEntry));
  const analysis::AnalysisModule* module = entry ? entry() : nullptr;
  if (!module || !analysis::sameBuild(*module)) {
    return *problem = "cannot use the whole-rule-set checks in " + path + ": it belongs to another build of regelwerk" +
                      advice,
           nullptr;
  }
  return module;  // never closed: its code runs until the process ends
}

}  // namespace

const analysis::AnalysisModule* loadAnalysisModule(std::string* error) {
  static std::once_flag once;
  static const analysis::AnalysisModule* module = nullptr;
  static std::string problem;
  std::call_once(once, [] { module = load(&problem); });
  if (!module) *error = problem;
  return module;
}

}  // namespace regelwerk::cli
