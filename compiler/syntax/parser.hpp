// The front end's one entry point: rule-file text in, untyped AST (or syntax diagnostics) out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "compiler/ast/ast.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/support/source_file.hpp"

namespace regelwerk::syntax {

// Parentheses, `if`, `not` and unary `-` nested deeper than this are rejected (E0103) before ANTLR
// runs, because ANTLR's recursive descent would overflow the stack on a generated 10,000-deep file.
inline constexpr uint32_t kMaxNesting = 256;
// Binary operators summed along the open nesting levels of one expression (E0104): this bounds the
// depth of the AST that later passes walk recursively.
inline constexpr uint32_t kMaxOperators = 4096;
// Files larger than this are rejected (E0105) before lexing.
inline constexpr size_t kMaxFileBytes = size_t{4} << 20;

// Parses file `file_id` of `sources`. Returns the AST, or nullopt after reporting at least one
// E01xx diagnostic to `diags` (several per file, at most one per line).
//
// Locations: declarations point at their name (a decide block at `decide`, a setting at its keyword,
// a type at its first token); an expression points at its first character (the `(` when it is
// written in parentheses) and op_loc at its operator (`not` for `not in`, `is` for `is missing`).
// Expr ids are dense from 0 in construction order (children before parents).
// `first_expr_id` numbers the expressions of a file that is merged into another (a module, a test file)
// after the ids already used there.
std::optional<ast::Ruleset> parseRuleset(const SourceManager& sources, uint32_t file_id, DiagnosticSink& diags,
                                         uint32_t first_expr_id = 0);

}  // namespace regelwerk::syntax
