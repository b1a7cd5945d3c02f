// `regelwerk fmt [--check] PATH...`: rule files rewritten in the canonical layout (compiler/format).
#pragma once

#include <string>
#include <vector>

namespace regelwerk::cli {

// Rewrites each file whose layout is not canonical (through the one file-commit path, never half
// written); with `check`, writes nothing and lists them. Returns 0 when nothing had to change (or, without
// --check, every file was written), 1 when --check found a file to change or a file has syntax errors
// (it is left as it is), 2 for a path that does not exist or a file that cannot be read or written.
int runFmtCommand(const std::vector<std::string>& paths, bool check);

}  // namespace regelwerk::cli
