// Collects the syntax errors of one file, keeping the first per line so recovery echoes stay quiet.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "compiler/support/diagnostics.hpp"

namespace regelwerk::syntax {

class SyntaxErrorSink {
 public:
  SyntaxErrorSink(uint32_t file_id, DiagnosticSink& diags) : file_id_(file_id), diags_(diags) {}

  // Reports an error at 1-based `line` and code-point `col` unless `line` already has one: after
  // the first error on a line, ANTLR's recovery tends to produce follow-ups that only confuse.
  void report(const char* code, uint32_t line, uint32_t col, std::string message, std::string hint = {});
  void report(const char* code, Location loc, std::string message, std::string hint = {}) {
    report(code, loc.line, loc.col, std::move(message), std::move(hint));
  }
  bool any() const { return count_ > 0; }
  bool lineHasError(uint32_t line) const { return lines_.count(line) > 0; }
  uint32_t fileId() const { return file_id_; }

 private:
  uint32_t file_id_;
  DiagnosticSink& diags_;
  std::set<uint32_t> lines_;
  size_t count_ = 0;
};

}  // namespace regelwerk::syntax
