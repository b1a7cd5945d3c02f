// Checks on the whole token stream before ANTLR parses it: error tokens and the nesting limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

// A token as the checks need it, so this header stays free of ANTLR types.
struct ScanToken {
  size_t type = 0;  // a RegelwerkLexer token type
  bool hidden = false;
  uint32_t line = 0;
  uint32_t col = 0;  // 1-based, code points
  std::string text;
};

// Reports stray characters (E0106, hidden from the parser), unterminated strings (E0107, which
// reach the parser as strings so the line parses on), and nesting beyond kMaxNesting (E0103) or
// kMaxOperators (E0104). Returns false when the nesting is too deep to hand the tokens to ANTLR.
bool checkTokens(const std::vector<ScanToken>& tokens, SyntaxErrorSink& errors);

}  // namespace regelwerk::syntax
