// Typed AST -> IR: the single bridge between the front end and both engines.
#pragma once

#include "compiler/ir/ir.hpp"
#include "compiler/sema/typed_ruleset.hpp"

namespace regelwerk::lower {

// Lowers a rule set that checked without errors. Every scale alignment becomes a Rescale, every
// enum member a Const index, every division a RoundDiv; see from_typed_ast.cpp for each construct.
ir::Program fromTypedAst(const sema::TypedRuleset& typed, const SourceManager& sources);

// A deep copy, for values that a lowering reads twice (`x in (a, b)` compares x twice).
ir::ExprPtr cloneExpr(const ir::Expr& expr);

}  // namespace regelwerk::lower
