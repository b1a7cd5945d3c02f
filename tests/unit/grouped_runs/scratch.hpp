// What the grouped-run tests share: a scratch folder per test case (named by caseName(), under the
// build tree), files in it, and `regelwerk run` started there. Header-only, for tests/unit/grouped_runs.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace regelwerk::testing::grouped {

// The current test case's name; each case sets it first, so cases running in parallel never share a folder.
inline std::string& caseName() {
  static std::string name = "default";
  return name;
}

inline std::filesystem::path scratch() { return scratchFolder("grouped-runs-scratch", caseName()); }
inline void write(const std::string& name, const std::string& text) { writeFile(scratch() / name, text); }
inline std::string read(const std::string& name) { return readFile(scratch() / name); }
inline CommandResult run(const std::string& args) { return runIn(scratch(), regelwerkCommand() + " run " + args); }
inline CommandResult test(const std::string& args) { return runIn(scratch(), regelwerkCommand() + " test " + args); }

// Starts a test case in a fresh scratch folder of its own.
inline void startCase(const std::string& name) {
  caseName() = name;
  std::filesystem::remove_all(scratch());
}

// Runs `regelwerk run ARGS VARIANT` once per variant (" --engine interp", " --engine jit --threads 2"),
// each from a scratch folder without `outputs`, and hands every result to `check`, which checks the files.
template <typename Check>
void forEachVariant(const std::string& args, std::initializer_list<const char*> variants,
                    const std::vector<std::string>& outputs, Check check) {
  for (const char* variant : variants) {
    for (const std::string& output : outputs) std::filesystem::remove(scratch() / output);
    CommandResult result = run(args + variant);
    INFO("variant" << variant << "\n" << result.output);
    check(result);
  }
}

// forEachVariant on the interpreter, the JIT and the JIT on two threads.
template <typename Check>
void forEveryEngine(const std::string& args, const std::vector<std::string>& outputs, Check check) {
  forEachVariant(args, {" --engine interp", " --engine jit", " --engine jit --threads 2"}, outputs, check);
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace regelwerk::testing::grouped
