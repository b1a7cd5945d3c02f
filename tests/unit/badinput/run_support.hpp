// Helpers for tests that run the real `regelwerk` binary, each case in a scratch folder of its own
// under the build tree (never a system path, never a fixed name in /tmp).
#pragma once

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace badinput {

namespace fs = std::filesystem;

// ctest runs test cases in parallel: each case works in a folder of its own.
inline std::string& caseFolder() {
  static std::string name = "default";
  return name;
}

inline fs::path scratch() {
  fs::path dir = fs::path(RW_BINARY_DIR) / "badinput-scratch" / caseFolder();
  fs::create_directories(dir);
  return dir;
}

inline void write(const std::string& name, const std::string& bytes) {
  std::ofstream(scratch() / name, std::ios::binary) << bytes;
}

struct Result {
  int exit_code = -1;
  std::string output;
};

// Runs `command` in the scratch folder, after removing the output a previous case may have left.
inline Result shell(const std::string& command) {
  fs::remove(scratch() / "out.csv");
  Result result;
  std::string full = "cd '" + scratch().string() + "' && " + command + " 2>&1";
  std::FILE* pipe = popen(full.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, got);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string binary() { return std::string("'") + RW_BINARY_DIR + "/cli/regelwerk'"; }


// The whole content of a file in the scratch folder ("" when it does not exist).
inline std::string readScratch(const std::string& name) {
  std::ifstream in(scratch() / name, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace badinput
