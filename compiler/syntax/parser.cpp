// parseRuleset: byte checks, lexing, token checks, ANTLR parse, then the AST, stopping at the first
// stage that reports an error that later stages cannot work around.
#include "parser.hpp"

#include <antlr4-runtime.h>

#include "RegelwerkLexer.h"
#include "RegelwerkParser.h"
#include "ast_builder.hpp"
#include "source_checks.hpp"
#include "syntax_errors.hpp"
#include "token_checks.hpp"

namespace regelwerk::syntax {
namespace {

std::vector<ScanToken> scanTokens(antlr4::CommonTokenStream& tokens) {
  std::vector<ScanToken> scanned;
  scanned.reserve(tokens.size());
  for (antlr4::Token* token : tokens.getTokens()) {
    scanned.push_back(ScanToken{token->getType(), token->getChannel() != antlr4::Token::DEFAULT_CHANNEL,
                                static_cast<uint32_t>(token->getLine()),
                                static_cast<uint32_t>(token->getCharPositionInLine() + 1), token->getText()});
  }
  return scanned;
}

// ANTLR's usual two-stage parse: the fast SLL mode bails out at the first problem, and only then
// does the full LL mode run again with error reporting and recovery (SLL can fail where LL would not).
regelwerk_gen::RegelwerkParser::RulesetFileContext* parseTwoStage(regelwerk_gen::RegelwerkParser& parser,
                                                                  antlr4::CommonTokenStream& tokens,
                                                                  ErrorListener& listener, SyntaxErrorSink& errors) {
  auto* simulator = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
  simulator->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  // The bail strategy still notifies listeners before it throws: none may listen in this stage.
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  try {
    return parser.rulesetFile();
  } catch (const antlr4::ParseCancellationException&) {
    tokens.seek(0);
    parser.reset();
    simulator->setPredictionMode(antlr4::atn::PredictionMode::LL);
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<ErrorStrategy>(errors));
    return parser.rulesetFile();
  }
}

}  // namespace

std::optional<ast::Ruleset> parseRuleset(const SourceManager& sources, uint32_t file_id, DiagnosticSink& diags,
                                         uint32_t first_expr_id) {
  const SourceFile& file = sources.file(file_id);
  SyntaxErrorSink errors(file_id, diags);
  if (!checkSourceText(file.text(), errors)) return std::nullopt;

  ErrorListener listener(errors);
  antlr4::ANTLRInputStream input(file.text());
  regelwerk_gen::RegelwerkLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  // Lexical errors do not stop the parse (their tokens are hidden), so one run reports more; a
  // nesting error does, because the parse itself is what would overflow.
  if (!checkTokens(scanTokens(tokens), errors)) return std::nullopt;

  regelwerk_gen::RegelwerkParser parser(&tokens);
  regelwerk_gen::RegelwerkParser::RulesetFileContext* tree = parseTwoStage(parser, tokens, listener, errors);
  if (errors.any()) return std::nullopt;

  AstBuilder builder(errors, first_expr_id);
  ast::Ruleset ruleset = builder.build(tree);
  if (errors.any()) return std::nullopt;
  return ruleset;
}

}  // namespace regelwerk::syntax
