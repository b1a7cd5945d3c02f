// What an editor needs to know of a rule file it holds in memory: the diagnostics `check` would print,
// as data, and every name the file declares or brings in with `use`, with its kind, type and place.
// For `regelwerk lsp` (cli/lsp_server.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk {

struct DocumentDiagnostic {
  std::string file;  // the file it is in (the document, or a module it uses)
  uint32_t line = 0;  // 1-based; 0 when it has no position
  uint32_t col = 0;   // 1-based, in code points
  bool error = true;  // else a warning
  std::string code;
  std::string message;
  std::string hint;
  // In another file: the place in the document that reads it (the `use`, or the `tests for` header),
  // followed through modules that use modules; 0 when there is none.
  uint32_t read_at_line = 0, read_at_col = 0;
};

struct DocumentSymbol {
  std::string name;
  std::string kind;       // input, field, param, let, output, state, table, function, enum member
  std::string detail;     // the type as the language writes it (`money`, `enum(a, b)?`), "" if unknown
  std::string container;  // a field's input, an enum member's field or output; else ""
  std::string file;
  uint32_t line = 0;
  uint32_t col = 0;
};

struct DocumentAnalysis {
  std::vector<DocumentDiagnostic> diagnostics;
  std::vector<DocumentSymbol> symbols;  // declarations of the file and of the modules it uses
};

// More diagnostics over a file that checks: the language server passes the whole-rule-set checks
// (runtime/analysis, which needs Z3; this library does not link it).
using ProgramChecks = std::function<std::vector<Diagnostic>(const ir::Program&, const SourceManager&)>;

// Parses and checks `text` as the file `path` (its modules and tables are read beside it, as `check`
// reads them), then, when it checks, runs `more_checks`. Names are collected whenever the file parses,
// also when it does not check: declared types are known then; a let's inferred type only when it checks.
DocumentAnalysis analyzeDocument(const std::string& path, const std::string& text,
                                 const ProgramChecks& more_checks = {});

}  // namespace regelwerk
