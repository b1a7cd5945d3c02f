// The rule files a command is given: files as named, folders searched for `*.rules` (`test`, `fmt`).
#pragma once

#include <string>
#include <vector>

namespace regelwerk::cli {

// Every `.rules` file under the paths (a folder recursively, sorted; a file as given); false (with a
// message printed) for a path that does not exist.
bool collectRuleFiles(const std::vector<std::string>& paths, std::vector<std::string>* files);

bool endsWith(const std::string& text, const std::string& suffix);

}  // namespace regelwerk::cli
