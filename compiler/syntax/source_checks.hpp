// Checks on the raw bytes of a rule file that must pass before the lexer sees it.
#pragma once

#include <string_view>

#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

// Reports E0105 for a file over kMaxFileBytes and E0112 at the first byte that is not UTF-8 (ANTLR's
// UTF-8 decoder throws on those). Returns true when the text may be lexed.
bool checkSourceText(std::string_view text, SyntaxErrorSink& errors);

}  // namespace regelwerk::syntax
