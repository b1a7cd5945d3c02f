// collectRuleFiles: the one way `test` and `fmt` find rule files.
#include "rule_files.hpp"

#include <algorithm>
#include <filesystem>

#include "console.hpp"

namespace regelwerk::cli {

namespace fs = std::filesystem;

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool collectRuleFiles(const std::vector<std::string>& paths, std::vector<std::string>* files) {
  for (const std::string& path : paths) {
    if (fs::is_regular_file(path)) {
      files->push_back(path);
      continue;
    }
    if (!fs::is_directory(path)) {
      print(stderr, "regelwerk: no such file or folder `{}`\n", path);
      return false;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(path)) {
      if (entry.is_regular_file() && endsWith(entry.path().string(), ".rules")) found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    files->insert(files->end(), found.begin(), found.end());
  }
  return true;
}

}  // namespace regelwerk::cli
