// layoutTokens: ANTLR's token stream plus the comments between tokens, with byte offsets.
#include "layout_tokens.hpp"

#include <antlr4-runtime.h>

#include "RegelwerkLexer.h"

namespace regelwerk::syntax {
namespace {

using Lexer = regelwerk_gen::RegelwerkLexer;

LayoutKind kindOf(size_t type) {
  switch (type) {
    case Lexer::T_BOOL: case Lexer::T_INT: case Lexer::T_DECIMAL: case Lexer::T_MONEY: case Lexer::T_PERCENT:
    case Lexer::T_DATE: case Lexer::T_DAYS: case Lexer::T_TIMESTAMP: case Lexer::T_DURATION: case Lexer::T_TIME:
    case Lexer::T_STRING: case Lexer::T_ENUM:
      return LayoutKind::TypeName;
    case Lexer::TIMESTAMP_LIT: case Lexer::TIME_LIT: case Lexer::DURATION_LIT: case Lexer::DATE_LIT:
    case Lexer::MONEY_LIT: case Lexer::DAYS_LIT: case Lexer::PERCENT_LIT: case Lexer::DECIMAL_LIT:
    case Lexer::INT_LIT: case Lexer::STRING_LIT:
      return LayoutKind::Literal;
    case Lexer::NAME: return LayoutKind::Name;
    case Lexer::LPAREN: return LayoutKind::Open;
    case Lexer::RPAREN: return LayoutKind::Close;
    case Lexer::COMMA: return LayoutKind::Comma;
    case Lexer::COLON: return LayoutKind::Colon;
    case Lexer::SEMI: return LayoutKind::Semicolon;
    case Lexer::DOT: return LayoutKind::Dot;
    case Lexer::DOTDOT: return LayoutKind::DotDot;
    case Lexer::PIPE: return LayoutKind::Pipe;
    case Lexer::QUESTION: return LayoutKind::Question;
    case Lexer::MINUS: return LayoutKind::Minus;
    case Lexer::BANG: return LayoutKind::Bang;
    case Lexer::QQ: case Lexer::CONCAT: case Lexer::EQ: case Lexer::NE: case Lexer::LE: case Lexer::GE:
    case Lexer::LT: case Lexer::GT: case Lexer::ASSIGN: case Lexer::ANDAND: case Lexer::OROR: case Lexer::PLUS:
    case Lexer::STAR: case Lexer::SLASH:
      return LayoutKind::Operator;
    case Lexer::STRAY: return LayoutKind::Other;
    default: break;
  }
  // Every other token type is a keyword (`K_…` in grammar/Regelwerk.g4); an unknown one, from a grammar
  // newer than this table, is laid out as a keyword too: words separated by one space.
  return LayoutKind::Keyword;
}

// Byte offset of each code point (ANTLR counts code points), plus the end of the text.
std::vector<size_t> codePointOffsets(std::string_view text) {
  std::vector<size_t> offsets;
  offsets.reserve(text.size() + 1);
  for (size_t byte = 0; byte < text.size(); ++byte)
    if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) offsets.push_back(byte);
  offsets.push_back(text.size());
  return offsets;
}

// The comments in text[from, to): what lies between two tokens is only white space and comments.
void appendComments(std::string_view text, size_t from, size_t to, uint32_t* line, std::vector<LayoutToken>* out) {
  for (size_t at = from; at < to; ++at) {
    if (text[at] == '\n') ++*line;
    if (text[at] != '#') continue;
    size_t stop = text.find_first_of("\r\n", at);
    if (stop == std::string_view::npos || stop > to) stop = to;
    out->push_back(LayoutToken{LayoutKind::Comment, std::string(text.substr(at, stop - at)), *line, at, stop});
    at = stop - 1;
  }
}

}  // namespace

std::vector<LayoutToken> layoutTokens(std::string_view text) {
  antlr4::ANTLRInputStream input(text.data(), text.size());
  Lexer lexer(&input);
  lexer.removeErrorListeners();
  const std::vector<size_t> offsets = codePointOffsets(text);
  std::vector<LayoutToken> tokens;
  size_t previous_end = 0;
  uint32_t line = 1;
  for (std::unique_ptr<antlr4::Token> token = lexer.nextToken(); token->getType() != antlr4::Token::EOF;
       token = lexer.nextToken()) {
    const size_t begin = offsets[std::min(token->getStartIndex(), offsets.size() - 1)];
    const size_t end = offsets[std::min(token->getStopIndex() + 1, offsets.size() - 1)];
    appendComments(text, previous_end, begin, &line, &tokens);
    tokens.push_back(LayoutToken{kindOf(token->getType()), std::string(text.substr(begin, end - begin)),
                                 static_cast<uint32_t>(token->getLine()), begin, end});
    line = static_cast<uint32_t>(token->getLine());
    previous_end = end;
  }
  appendComments(text, previous_end, text.size(), &line, &tokens);
  return tokens;
}

}  // namespace regelwerk::syntax
