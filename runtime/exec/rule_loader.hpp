// Reads a rule file with everything it pulls in at compile time: the modules it `use`s (merged into
// one AST), the CSV files of its tables, and (for `regelwerk test`) the `X.test.rules` beside it.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "compiler/ast/ast.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk {

struct LoadedRules {
  std::optional<ast::Ruleset> ast;  // null when a file could not be parsed
  std::string main_path;            // the rule file actually loaded (the target of a `tests for` file)
  // A file did not parse or a module could not be read: checking would only echo those errors. (An
  // unreadable table file is not blocking: the table is skipped and its lookups stay silent.)
  bool blocked = false;
  // Each file read because of another (a used module, the target of a `tests for` file): its id in the
  // SourceManager → the `use` (or `tests for` header) that read it, so a problem inside it can be
  // shown where the reader's file brings it in.
  std::map<uint32_t, Location> read_because_of;
};

// `path`/`text` is the file asked for. A `tests for "X.rules"` file loads X.rules with it as its test
// file. With `with_test_file`, a rule file's `X.test.rules` beside it is merged in too.
LoadedRules loadRuleFiles(const std::string& path, std::string text, bool with_test_file, SourceManager& sources,
                          DiagnosticSink& sink);


// Reads `path` whole, but at most max_bytes + 1 bytes, so the caller can tell a file over the limit
// without reading a runaway one (/dev/zero) to its end. False with `why` ("it is a directory, not a
// file", or the system's reason) when it cannot be read.
bool readSourceFile(const std::string& path, size_t max_bytes, std::string* text, std::string* why);

// Where `use std.NAME` looks: $REGELWERK_STDLIB; else the installed standard library beside the command
// or libregelwerk.so this code runs in (PREFIX/share/regelwerk/stdlib-rules); else the source tree's
// stdlib-rules (compiled in, for the build tree); else `stdlib-rules` next to that file.
std::string stdlibDirectory();

}  // namespace regelwerk
