// A stable, indented S-expression dump of the AST for `--dump=ast` and tests.
#pragma once

#include <string>

#include "compiler/ast/ast.hpp"

namespace regelwerk::ast {

// One line per declaration, field and rule, each with its line:col; expressions inline, e.g.
//   (let open @12:5 (- amount paid))
std::string dumpAst(const Ruleset& ruleset);
// One expression, e.g. `(+ a (* b 2))`; names bare, literals tagged by kind unless ints or decimals.
std::string dumpExpr(const Expr& expr);

}  // namespace regelwerk::ast
