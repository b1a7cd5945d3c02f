// Diagnostics are data: severity, code, location, message and an optional hint under the caret.
#pragma once

#include <string>
#include <vector>

#include "source_file.hpp"

namespace regelwerk {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;     // "E0207"; codes are listed in docs/diagnostics.md
  Location loc;
  std::string message;  // one sentence in domain words
  std::string hint;     // shown after the caret ("write 5.00 EUR"); may be empty
};

// Collects diagnostics of one compilation; rendering sorts them by position.
class DiagnosticSink {
 public:
  void error(std::string code, Location loc, std::string message, std::string hint = {});
  void add(Diagnostic diag) { diags_.push_back(std::move(diag)); }
  bool hasErrors() const;
  size_t errorCount() const;
  const std::vector<Diagnostic>& all() const { return diags_; }
  // Sorted by (file, line, col, code), duplicates at the same position and code dropped.
  std::vector<Diagnostic> sorted() const;

 private:
  std::vector<Diagnostic> diags_;
};

// Renders `file:line:col: error[E0207]: message`, the source line and a caret with the hint.
std::string renderDiagnostic(const SourceManager& sources, const Diagnostic& diag);
std::string renderAll(const SourceManager& sources, const DiagnosticSink& sink);

}  // namespace regelwerk
