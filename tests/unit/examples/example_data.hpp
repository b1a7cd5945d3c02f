// What the example tests share: where the real data sets are (../shared/data beside the repository,
// or $REGELWERK_DATA_DIR), a visible SKIP line when one is absent, and a plain comma splitter for the
// small unquoted CSV texts the tests compare (quoted files are read by the engine, never here).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

namespace regelwerk::testing::examples {

inline std::string dataDir() {
  const char* env = std::getenv("REGELWERK_DATA_DIR");
  if (env && *env) return env;
  return RW_SOURCE_DIR "/../shared/data";
}

// True when `relative` (a file or folder under dataDir()) exists; else prints why `what` is not checked.
inline bool haveData(const std::string& relative, const std::string& what = "the example") {
  if (std::filesystem::exists(dataDir() + "/" + relative)) return true;
  std::printf("SKIP: %s/%s is absent; %s is not checked\n", dataDir().c_str(), relative.c_str(), what.c_str());
  return false;
}

// The rows after the header, split at every comma; a line ending in a comma has an empty last cell.
inline std::vector<std::vector<std::string>> csvRows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::stringstream lines(text);
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream stream(line);
    std::string cell;
    while (std::getline(stream, cell, ',')) cells.push_back(cell);
    if (line.back() == ',') cells.emplace_back();
    rows.push_back(cells);
  }
  return rows;
}

}  // namespace regelwerk::testing::examples
