// Helpers for the syntax tests: parse a snippet held in memory and render its diagnostics.
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "compiler/ast/print.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/syntax/parser.hpp"

namespace regelwerk::test {

struct Parsed {
  SourceManager sources;
  DiagnosticSink diags;
  std::optional<ast::Ruleset> ruleset;

  // Every diagnostic rendered, sorted by position, as the CLI prints them.
  std::string rendered() const { return renderAll(sources, diags); }
};

inline std::unique_ptr<Parsed> parseText(std::string text, std::string path = "t.rules") {
  auto parsed = std::make_unique<Parsed>();
  uint32_t file = parsed->sources.add(std::move(path), std::move(text));
  parsed->ruleset = syntax::parseRuleset(parsed->sources, file, parsed->diags);
  return parsed;
}

// The single expression of `let x = <text>`, dumped; fails the test on a syntax error.
inline std::string dumpLet(const std::string& expr_text) {
  auto parsed = parseText("ruleset t\nlet x = " + expr_text + "\n");
  if (!parsed->ruleset) return "syntax error: " + parsed->rendered();
  return ast::dumpExpr(*parsed->ruleset->lets.at(0).value);
}

// Only the diagnostics of a file that must not parse.
inline std::string errorsOf(const std::string& text) {
  auto parsed = parseText(text);
  if (parsed->ruleset) return "parsed without errors";
  return parsed->rendered();
}

}  // namespace regelwerk::test

namespace Catch {
template <>
struct StringMaker<regelwerk::Location> {
  static std::string convert(const regelwerk::Location& loc) {
    return "{file " + std::to_string(loc.file) + " " + std::to_string(loc.line) + ":" + std::to_string(loc.col) + "}";
  }
};
}  // namespace Catch
