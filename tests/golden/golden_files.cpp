// Golden file discovery and comparison.
#include "golden_files.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace regelwerk::golden {

std::vector<std::string> findRuleFiles(const std::string& folder) {
  std::vector<std::string> out;
  std::filesystem::path root(RW_SOURCE_DIR);
  std::filesystem::path base = root / folder;
  if (!std::filesystem::exists(base)) return out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(base)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".rules") continue;
    out.push_back(std::filesystem::relative(entry.path(), root).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

bool updating() {
  const char* value = std::getenv("REGELWERK_UPDATE_GOLDEN");
  return value != nullptr && std::string(value) == "1";
}

// First differing line, with both versions, so a failing golden says what changed.
static std::string firstDifference(const std::string& expected, const std::string& actual) {
  std::istringstream want(expected), got(actual);
  std::string want_line, got_line;
  for (int line = 1;; ++line) {
    bool has_want = static_cast<bool>(std::getline(want, want_line));
    bool has_got = static_cast<bool>(std::getline(got, got_line));
    if (!has_want && !has_got) return "texts differ only in a trailing newline";
    if (has_want != has_got || want_line != got_line) {
      return "line " + std::to_string(line) + ":\n  expected: " + (has_want ? want_line : "<end>") +
             "\n  actual:   " + (has_got ? got_line : "<end>");
    }
  }
}

bool matchOrUpdate(const std::filesystem::path& expected_path, const std::string& actual, std::string* report) {
  if (updating()) {
    writeFile(expected_path, actual);
    return true;
  }
  if (!std::filesystem::exists(expected_path)) {
    *report = expected_path.string() + " is missing (run with REGELWERK_UPDATE_GOLDEN=1 and review it)";
    return false;
  }
  std::string expected = readFile(expected_path);
  if (expected == actual) return true;
  *report = expected_path.string() + " differs at " + firstDifference(expected, actual) + "\nfull output:\n" + actual;
  return false;
}

}  // namespace regelwerk::golden
