// Finding golden files and comparing or rewriting their expectations (REGELWERK_UPDATE_GOLDEN=1).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace regelwerk::golden {

// Paths relative to the repository root, sorted, of every `*.rules` file below `folder`.
std::vector<std::string> findRuleFiles(const std::string& folder);
std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& text);
bool updating();
// With REGELWERK_UPDATE_GOLDEN=1 writes `actual` to `expected_path` and returns true; otherwise
// compares, and on a difference returns false with a readable diff-like message in `report`.
bool matchOrUpdate(const std::filesystem::path& expected_path, const std::string& actual, std::string* report);

}  // namespace regelwerk::golden
