// Printing for the command: messages and reports never throw and never abort the process, also when
// standard error or output is closed or a pipe whose reader has gone (`regelwerk run … 2>&-`).
#pragma once

#include <cstdio>
#include <fmt/format.h>
#include <string_view>
#include <utility>

namespace regelwerk::cli {

// Writes `text` to `stream`; a failure is ignored (there is nowhere left to report it).
void write(std::FILE* stream, std::string_view text) noexcept;

template <typename... Args>
void print(std::FILE* stream, fmt::format_string<Args...> format, Args&&... args) {
  write(stream, fmt::format(format, std::forward<Args>(args)...));
}

template <typename... Args>
void print(fmt::format_string<Args...> format, Args&&... args) {
  write(stdout, fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace regelwerk::cli
