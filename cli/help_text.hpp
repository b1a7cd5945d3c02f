// The texts of `regelwerk --help` and `regelwerk CMD --help` (also `regelwerk help CMD`).
#pragma once

#include <string_view>

namespace regelwerk::cli {

// The overview: every command in one line each, exit codes, where to read more.
const char* usageText();

// The help of one command ("check", "run", "test", "fmt"), every option explained; null for an unknown
// command.
const char* commandHelp(std::string_view command);

}  // namespace regelwerk::cli
