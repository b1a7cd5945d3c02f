// One syntax error per line, forwarded to the compilation's DiagnosticSink.
#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

void SyntaxErrorSink::report(const char* code, uint32_t line, uint32_t col, std::string message, std::string hint) {
  if (!lines_.insert(line).second) return;
  ++count_;
  diags_.error(code, Location{file_id_, line, col}, std::move(message), std::move(hint));
}

}  // namespace regelwerk::syntax
