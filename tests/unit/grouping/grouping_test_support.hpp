// Helpers for the grouping tests: scratch folders, input files, and a group stream collected into values.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "runtime/exec/group_source.hpp"

namespace regelwerk::grouping_test {

namespace fs = std::filesystem;

// A fresh folder per test case under the build tree (ctest runs cases in parallel).
inline fs::path freshScratch(const std::string& name) {
  const fs::path dir = fs::path(RW_BINARY_DIR) / "grouping-scratch" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

inline std::string writeFile(const fs::path& dir, const std::string& name, const std::string& bytes) {
  const fs::path path = dir / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

inline GroupInput inputFile(const std::string& path, const std::string& key, KeyType key_type = KeyType::Int,
                            InputOrder order = InputOrder::Detect) {
  GroupInput input;
  input.path = path;
  input.key_column = key;
  input.key_type = key_type;
  input.order = order;
  return input;
}

using Member = std::pair<int64_t, std::string>;  // line, record text

struct CollectedGroup {
  std::string key;
  std::vector<std::vector<Member>> members;  // per input
  bool operator==(const CollectedGroup& other) const { return key == other.key && members == other.members; }
};

struct Collected {
  std::string error;  // from open() or next()
  std::vector<CollectedGroup> groups;
  std::vector<std::vector<Reject>> rejects;  // per input
  std::vector<GroupInputStats> stats;
  std::string temp_folder;  // as seen after open()
};

inline std::string keyText(const Group& group) {
  return group.key_type == KeyType::Int ? std::to_string(group.int_key) : group.string_key;
}

// Opens a source, reads every group into values, and destroys it.
inline Collected collect(std::vector<GroupInput> inputs, GroupSourceOptions options = {}) {
  Collected out;
  out.rejects.resize(inputs.size());
  options.on_reject = [&out](size_t input, const Reject& reject) { out.rejects[input].push_back(reject); };
  auto source = GroupSource::open(std::move(inputs), options, &out.error);
  if (!source) return out;
  out.temp_folder = source->tempFolder();
  for (Group group; source->next(&group, &out.error);) {
    CollectedGroup collected{keyText(group), {}};
    for (const std::vector<GroupRecord>& records : group.records) {
      collected.members.emplace_back();
      for (const GroupRecord& record : records)
        collected.members.back().emplace_back(record.line, std::string(record.text));
    }
    out.groups.push_back(std::move(collected));
  }
  for (size_t input = 0; input < source->inputCount(); ++input) out.stats.push_back(source->stats(input));
  return out;
}

// The groups without line numbers and with each group's records sorted: what a sorted and a
// shuffled copy of the same rows must agree on.
inline std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> contents(const Collected& collected) {
  std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>> out;
  for (const CollectedGroup& group : collected.groups) {
    out.emplace_back(group.key, std::vector<std::vector<std::string>>());
    for (const std::vector<Member>& members : group.members) {
      std::vector<std::string> texts;
      for (const Member& member : members) texts.push_back(member.second);
      std::sort(texts.begin(), texts.end());
      out.back().second.push_back(std::move(texts));
    }
  }
  return out;
}

inline bool countsAddUp(const GroupInputStats& stats) {
  return stats.records_read == stats.records_grouped + stats.records_rejected;
}

}  // namespace regelwerk::grouping_test
