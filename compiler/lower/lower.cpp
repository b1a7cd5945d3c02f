// checkAndLower: the checker, then lowering if the rule set has no errors.
#include "lower.hpp"

#include "compiler/sema/typed_ruleset.hpp"
#include "from_typed_ast.hpp"

namespace regelwerk {

std::optional<ir::Program> checkAndLower(const ast::Ruleset& ruleset, const SourceManager& sources,
                                         DiagnosticSink& diags) {
  sema::TypedRuleset typed = sema::checkRuleset(ruleset, sources, diags);
  if (diags.hasErrors()) return std::nullopt;
  return lower::fromTypedAst(typed, sources);
}

}  // namespace regelwerk
