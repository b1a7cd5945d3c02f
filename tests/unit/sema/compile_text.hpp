// Test helper: parse rule text, check it and lower it, keeping every stage for assertions.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/ast/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/sema/typed_ruleset.hpp"
#include "compiler/support/diagnostics.hpp"

namespace regelwerk::test {

struct Compiled {
  SourceManager sources;
  DiagnosticSink diags;
  std::optional<ast::Ruleset> ruleset;
  sema::TypedRuleset typed;
  std::optional<ir::Program> program;

  std::string rendered() const { return renderAll(sources, diags); }
  // The checked type of let `name`'s value, e.g. "money" with scale 8.
  const sema::ExprInfo& letValue(const std::string& name) const;
  const ast::Expr& letExpr(const std::string& name) const;
  const ir::Expr& loweredLet(const std::string& name) const;
  const ir::Expr& loweredOutputDefault(const std::string& name) const;
};

// Parses `text` as file "test.rules"; checks and lowers it if it parsed. `ruleset test` and an input
// with a few fields are NOT added: the text is the whole file.
std::unique_ptr<Compiled> compileText(const std::string& text);

// A whole file: "ruleset t\ninput R\n" + fields + "\n" + body.
std::unique_ptr<Compiled> compileWith(const std::string& fields, const std::string& body);

// The dunning example from the task brief.
extern const char* const kDunning;

}  // namespace regelwerk::test
