// The checker's entry point: runs the passes in dependency order over one rule set.
#include "checker.hpp"

namespace regelwerk::sema {

Checker::Checker(const ast::Ruleset& ruleset, const SourceManager& sources, DiagnosticSink& diags, TypedRuleset& out)
    : ast_(ruleset), sources_(sources), diags_(diags), out_(out) {
  out_.ast = &ruleset;
  out_.exprs.assign(ruleset.expr_count, ExprInfo{});
  out_.symbols.assign(ruleset.expr_count, Symbol{});
  out_.decisions.resize(ruleset.decisions.size());
}

// Settings first (money types need the currency), then declarations in the order their names become
// visible: fields and params everywhere, lets one after another, outputs and rules see everything.
void Checker::run() {
  checkSettings();
  collectEnumMembers();
  checkInput();
  checkGroupLayout();
  checkParams();
  checkTables();
  checkFunctions();
  if (out_.group.grouped) {
    checkItemBlocks();
    checkDistributeItems();
  }
  checkLets();
  checkOutputs();
  checkDecisions();
  if (out_.group.grouped) {
    checkDistributePools();
    checkFoldRowFilters();
    checkDerivedInputs();
  }
  checkRequirements();
  checkTests();
}

TypedRuleset checkRuleset(const ast::Ruleset& ruleset, const SourceManager& sources, DiagnosticSink& diags) {
  TypedRuleset out;
  Checker checker(ruleset, sources, diags, out);
  checker.run();
  return out;
}

}  // namespace regelwerk::sema
