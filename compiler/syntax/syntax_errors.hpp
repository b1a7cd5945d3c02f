// ANTLR error hooks that turn recognition errors into E01xx diagnostics in domain words.
// Internal to compiler/syntax: only its .cpp files include this header.
#pragma once

#include <antlr4-runtime.h>

#include "syntax_error_sink.hpp"

namespace regelwerk::syntax {

// Replaces ANTLR's reports ("mismatched input 'x' expecting {40 tokens}") with short messages
// that name what was expected when that fits in a few words; recovery stays ANTLR's.
class ErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  explicit ErrorStrategy(SyntaxErrorSink& errors) : errors_(errors) {}

 protected:
  void reportNoViableAlternative(antlr4::Parser* parser, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* parser, const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* parser, const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* parser) override;
  void reportMissingToken(antlr4::Parser* parser) override;

 public:
  void recover(antlr4::Parser* parser, std::exception_ptr e) override;

 private:
  void reportUnexpected(antlr4::Parser* parser, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected);
  SyntaxErrorSink& errors_;
};

// Replaces the ConsoleErrorListener on the lexer and the parser. The lexer hides its error tokens
// and the ErrorStrategy reports parser errors, so this only catches what slips past both.
class ErrorListener : public antlr4::BaseErrorListener {
 public:
  explicit ErrorListener(SyntaxErrorSink& errors) : errors_(errors) {}
  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                   const std::string& message, std::exception_ptr e) override;

 private:
  SyntaxErrorSink& errors_;
};

}  // namespace regelwerk::syntax
