// `regelwerk fmt`: the one canonical layout of a rule file (docs/language.md, "Layout and `regelwerk
// fmt`"). A library function, so the command and the language server format alike.
#pragma once

#include <string>
#include <string_view>

namespace regelwerk::format {

struct FormatResult {
  bool ok = false;
  std::string text;         // the formatted file (ok), else empty
  std::string diagnostics;  // why not (syntax errors as `check` prints them, or an internal error)
};

// Formats `text` (the contents of file `path`, used in messages). A file with syntax errors is not
// formatted. Only white space changes, and the result is checked: it must parse to the same syntax tree
// as the input (else an internal error, and no text), and formatting it again changes nothing.
FormatResult formatSource(std::string_view text, std::string_view path);

// The layout alone, without the parse checks of formatSource (for its tests).
std::string layOut(std::string_view text);

}  // namespace regelwerk::format
