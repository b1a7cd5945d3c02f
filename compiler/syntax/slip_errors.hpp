// Syntax errors for slips analysts make in literals and types, said in the language's own words:
// `24h` (write `24 h`), `2025-03-04T10:00` (a timestamp needs seconds and a zone), `datetime` (a type
// that does not exist). Internal to compiler/syntax.
#pragma once

#include <antlr4-runtime.h>

#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

// Reports `offending` as one of the slips above and returns true, or returns false when it is none
// of them. `type_expected`: the parser wanted a type here.
bool reportSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, bool type_expected, SyntaxErrorSink& errors);

}  // namespace regelwerk::syntax
