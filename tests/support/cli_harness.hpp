// What the command-line tests share: a scratch folder per test case under the build tree, files in it,
// and running a shell line there with standard output and error captured. Header-only, for test areas
// that run the real `regelwerk` binary (RW_BINARY_DIR is defined by tests/CMakeLists.txt).
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace regelwerk::testing {

// `RW_BINARY_DIR/<area>/<case>`, created on first use; ctest runs cases in parallel, so each has its own.
inline std::filesystem::path scratchFolder(const std::string& area, const std::string& case_name) {
  std::filesystem::path dir = std::filesystem::path(RW_BINARY_DIR) / area / case_name;
  std::filesystem::create_directories(dir);
  return dir;
}

inline void writeFile(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct CommandResult {
  int exit_code = -1;  // -1 when the command did not exit normally
  std::string output;  // standard output and standard error, interleaved
};

// Runs `command` with /bin/sh in `folder`.
inline CommandResult runIn(const std::filesystem::path& folder, const std::string& command) {
  std::string full = "cd '" + folder.string() + "' && " + command + " 2>&1";
  std::FILE* pipe = popen(full.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed for: " + full);
  CommandResult result;
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, got);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// The built command, quoted for the shell.
inline std::string regelwerkCommand() { return std::string("'") + RW_BINARY_DIR + "/cli/regelwerk'"; }

}  // namespace regelwerk::testing
