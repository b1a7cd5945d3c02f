// The public entry point of the front end after parsing: check a rule set and lower it to the IR.
#pragma once

#include <optional>

#include "compiler/ast/ast.hpp"
#include "compiler/ir/ir.hpp"
#include "compiler/support/diagnostics.hpp"

namespace regelwerk {

// Checks names, types, scales and decisions of `ruleset` (every error goes to `diags`, several per
// run, cascades suppressed) and lowers it to an ir::Program. Returns nullopt if `diags` holds any
// error. `regelwerk check` calls this and ignores the program.
std::optional<ir::Program> checkAndLower(const ast::Ruleset& ruleset, const SourceManager& sources,
                                         DiagnosticSink& diags);

}  // namespace regelwerk
