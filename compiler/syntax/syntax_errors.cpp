// Syntax error messages: what was found, and what was expected when that fits in four phrases.
#include "syntax_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "RegelwerkParser.h"
#include "slip_errors.hpp"

namespace regelwerk::syntax {
namespace {

using P = regelwerk_gen::RegelwerkParser;
using TokenTypes = std::vector<size_t>;

static_assert(P::K_RULESET < P::K_FALSE && P::K_FALSE + 1 == P::T_BOOL && P::T_BOOL < P::T_ENUM,
              "isReservedWord relies on keywords and type names being declared first in the grammar");

bool isReservedWord(size_t type) {
  return type >= P::K_RULESET && type <= P::T_ENUM;
}

bool isComparison(size_t type) {
  switch (type) {
    case P::EQ:
    case P::NE:
    case P::LT:
    case P::LE:
    case P::GT:
    case P::GE:
    case P::K_IN:
    case P::K_IS:
      return true;
    default:
      return false;
  }
}

bool contains(const TokenTypes& types, size_t type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// A set of tokens that reads better as one phrase, recognised by two tokens only it contains.
struct TokenGroup {
  const char* phrase;
  size_t marker_a;
  size_t marker_b;
  TokenTypes members;
};

const std::vector<TokenGroup>& tokenGroups() {
  static const std::vector<TokenGroup> groups = {
      {"an expression",
       P::INT_LIT,
       P::LPAREN,
       {P::INT_LIT, P::DECIMAL_LIT, P::MONEY_LIT, P::PERCENT_LIT, P::DATE_LIT, P::DAYS_LIT, P::STRING_LIT, P::K_TRUE,
        P::K_FALSE, P::NAME, P::LPAREN, P::MINUS, P::K_NOT, P::K_IF, P::K_MISSING, P::T_INT, P::TIMESTAMP_LIT,
        P::DURATION_LIT, P::TIME_LIT, P::T_DATE, P::BANG}},
      {"a type",
       P::T_BOOL,
       P::T_INT,
       {P::T_BOOL, P::T_INT, P::T_DECIMAL, P::T_MONEY, P::T_PERCENT, P::T_DATE, P::T_DAYS, P::T_STRING, P::T_ENUM,
        P::T_TIMESTAMP, P::T_DURATION, P::T_TIME}},
      {"a declaration",
       P::K_LET,
       P::K_OUTPUT,
       {P::K_CURRENCY, P::K_ROUNDING, P::K_INPUT, P::K_PARAM, P::K_LET, P::K_OUTPUT, P::K_DECIDE, P::K_USE,
        P::K_TABLE, P::K_FUNCTION, P::K_TEST, P::K_EXAMPLE, P::K_PER, P::K_REJECT}},
      {"an operator",
       P::PLUS,
       P::STAR,
       {P::K_OR, P::K_AND, P::K_NOT, P::K_IN, P::K_IS, P::EQ, P::NE, P::LT, P::LE, P::GT, P::GE, P::QQ, P::CONCAT,
        P::PLUS, P::MINUS, P::STAR, P::SLASH, P::DOTDOT, P::ANDAND, P::OROR}},
  };
  return groups;
}

std::string spellToken(size_t type, const antlr4::dfa::Vocabulary& vocabulary) {
  switch (type) {
    case antlr4::Token::EOF:
      return "end of file";
    case P::NAME:
      return "a name";
    case P::STRING_LIT:
      return "a string";
    case P::INT_LIT:
      return "a whole number";
    case P::DECIMAL_LIT:
    case P::MONEY_LIT:
    case P::PERCENT_LIT:
    case P::DAYS_LIT:
    case P::DURATION_LIT:
      return "a number";
    case P::DATE_LIT:
      return "a date";
    case P::TIMESTAMP_LIT:
      return "a timestamp";
    case P::TIME_LIT:
      return "a time of day";
    default:
      break;
  }
  std::string literal = vocabulary.getLiteralName(type);  // "'then'"
  if (literal.size() >= 2) return fmt::format("`{}`", literal.substr(1, literal.size() - 2));
  return vocabulary.getDisplayName(type);
}

// Joins phrases as "a, b or c"; empty when there are more than four, since a long list of
// alternatives helps nobody find the mistake.
std::string joinPhrases(const std::vector<std::string>& phrases) {
  if (phrases.empty() || phrases.size() > 4) return {};
  std::string out = phrases.front();
  for (size_t at = 1; at < phrases.size(); ++at) out += (at + 1 == phrases.size() ? " or " : ", ") + phrases[at];
  return out;
}

// "an expression", "`then` or `else`", or "" when the parser would accept too many things.
std::string describeExpected(TokenTypes types, const antlr4::dfa::Vocabulary& vocabulary) {
  std::vector<std::string> phrases;
  for (const TokenGroup& group : tokenGroups()) {
    if (!contains(types, group.marker_a) || !contains(types, group.marker_b)) continue;
    phrases.push_back(group.phrase);
    std::erase_if(types, [&](size_t type) { return contains(group.members, type); });
  }
  // `;` is an optional separator everywhere: naming it only distracts.
  if (types.size() + phrases.size() > 1) std::erase(types, static_cast<size_t>(P::SEMI));
  bool end_of_file = contains(types, antlr4::Token::EOF);
  std::erase(types, antlr4::Token::EOF);
  for (size_t type : types) phrases.push_back(spellToken(type, vocabulary));
  if (end_of_file) phrases.push_back("end of file");
  return joinPhrases(phrases);
}

TokenTypes tokenTypes(const antlr4::misc::IntervalSet& set) {
  TokenTypes types;
  for (ssize_t type : set.toList()) types.push_back(static_cast<size_t>(type));
  return types;
}

size_t codePointCount(const std::string& text) {
  return std::count_if(text.begin(), text.end(),
                       [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; });
}

// "`then`", "end of file"; long tokens (strings) are cut so the message stays one line.
std::string describeFound(antlr4::Token* token) {
  if (token->getType() == antlr4::Token::EOF) return "end of file";
  std::string text = token->getText();
  if (codePointCount(text) > 30) {
    size_t cut = 0;
    for (size_t seen = 0; cut < text.size() && seen < 27; ++seen) {
      ++cut;
      while (cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) ++cut;
    }
    text = text.substr(0, cut) + "...";
  }
  return fmt::format("`{}`", text);
}

Location tokenStart(antlr4::Token* token, uint32_t file_id) {
  return Location{file_id, static_cast<uint32_t>(token->getLine()),
                  static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
}

Location tokenEnd(antlr4::Token* token, uint32_t file_id) {
  Location loc = tokenStart(token, file_id);
  loc.col += static_cast<uint32_t>(codePointCount(token->getText()));
  return loc;
}

// The previous token the parser saw, or null at the start of the file.
antlr4::Token* previousToken(antlr4::Parser* parser) {
  return parser->getTokenStream()->index() > 0 ? parser->getTokenStream()->LT(-1) : nullptr;
}

// A missing `end` or `)` is best shown right after the last token, not on the next declaration.
Location errorLocation(antlr4::Parser* parser, antlr4::Token* offending, uint32_t file_id) {
  antlr4::Token* previous = previousToken(parser);
  if (offending->getType() == antlr4::Token::EOF && previous) return tokenEnd(previous, file_id);
  return tokenStart(offending, file_id);
}

// The default-channel token next to `index` in direction `step` (+1 or -1), or null.
antlr4::Token* neighbour(antlr4::TokenStream* tokens, size_t index, int step) {
  for (ssize_t at = static_cast<ssize_t>(index) + step; at >= 0 && at < static_cast<ssize_t>(tokens->size());
       at += step) {
    antlr4::Token* token = tokens->get(static_cast<size_t>(at));
    if (token->getChannel() == antlr4::Token::DEFAULT_CHANNEL) return token;
  }
  return nullptr;
}

// True when `offending` (a comparison) follows another comparison in the same operand, as in
// `a < b < c`; the scan stops at anything that starts a new operand.
bool followsComparison(antlr4::TokenStream* tokens, antlr4::Token* offending) {
  int depth = 0;
  for (antlr4::Token* token = neighbour(tokens, offending->getTokenIndex(), -1); token;
       token = neighbour(tokens, token->getTokenIndex(), -1)) {
    size_t type = token->getType();
    if (type == P::RPAREN) ++depth;
    if (type == P::LPAREN && depth-- == 0) return false;
    if (depth > 0 || type == P::RPAREN || type == P::LPAREN) continue;
    if (isComparison(type)) return true;
    bool ends_operand = type == P::COMMA || type == P::ASSIGN || type == P::COLON || type == P::ANDAND ||
                        type == P::OROR ||
                        (isReservedWord(type) && type != P::K_TRUE && type != P::K_FALSE && type != P::K_MISSING);
    if (ends_operand) return false;
  }
  return false;
}

// True when reserved word `offending` stands where a declaration or field name belongs, as in
// `let in = 1` or a field `date: date`.
bool isMisusedReservedWord(antlr4::TokenStream* tokens, antlr4::Token* offending) {
  if (!isReservedWord(offending->getType())) return false;
  antlr4::Token* next = neighbour(tokens, offending->getTokenIndex(), +1);
  antlr4::Token* previous = neighbour(tokens, offending->getTokenIndex(), -1);
  if (next && next->getType() == P::COLON) return true;
  if (!previous) return false;
  switch (previous->getType()) {
    case P::K_RULESET:
    case P::K_INPUT:
    case P::K_PARAM:
    case P::K_LET:
    case P::K_OUTPUT:
    case P::K_RULE:
    case P::K_TABLE:
    case P::K_FUNCTION:
    case P::K_EXAMPLE:
      return true;
    default:
      return false;
  }
}

void reportReservedWord(antlr4::TokenStream* tokens, antlr4::Token* offending, SyntaxErrorSink& errors) {
  std::string word = offending->getText();
  antlr4::Token* previous = neighbour(tokens, offending->getTokenIndex(), -1);
  bool in_declaration = previous && isReservedWord(previous->getType());
  std::string hint = in_declaration
                         ? "choose another name"
                         : fmt::format("rename the field; `from \"{}\"` still reads the CSV column `{}`", word, word);
  errors.report("E0109", tokenStart(offending, errors.fileId()),
                fmt::format("`{}` is a reserved word and cannot be used as a name", word), hint);
}

// Hints for slips analysts make: `=` in a condition, a rule outside a decision block, and money
// written `5 EURO` or `5 eur`.
std::string unexpectedHint(antlr4::TokenStream* tokens, antlr4::Token* offending, const TokenTypes& expected) {
  if (offending->getType() == P::ASSIGN && !contains(expected, P::ASSIGN)) return "to compare, write `==`";
  if (offending->getType() == P::PIPE && !contains(expected, P::PIPE)) return "to join conditions, write `or`";
  bool expression_expected = contains(expected, P::INT_LIT) && contains(expected, P::LPAREN);
  if (offending->getType() == P::T_TIMESTAMP && expression_expected) {
    return "`timestamp` is a type; a timestamp is written 2025-03-04T10:00:00Z, and at_local(date, time, zone) "
           "gives the instant of a local date and time";
  }
  if (offending->getType() == P::T_DURATION && expression_expected) {
    return "`duration` is a type; a duration is written 24 h, 30 min or 45 s";
  }
  if (offending->getType() == P::K_RULE && !contains(expected, P::K_RULE)) {
    return "rules belong in a block: decide first ... end";
  }
  antlr4::Token* previous = neighbour(tokens, offending->getTokenIndex(), -1);
  bool after_number = previous && (previous->getType() == P::INT_LIT || previous->getType() == P::DECIMAL_LIT);
  std::string word = offending->getText();
  bool looks_like_currency = word.size() == 3 || (word[0] >= 'A' && word[0] <= 'Z');
  if (offending->getType() == P::NAME && after_number && looks_like_currency) {
    return "money is a number and a three-letter currency code, such as 5.00 EUR";
  }
  return {};
}

// Where a block's members would be followed by its `end`: a token that completes a value, a name or a
// type (`fee = 1.00 EUR`, `rule r`, `enum(a, b)`), not an operator or an open parenthesis.
bool completesMember(antlr4::Token* token) {
  switch (token->getType()) {
    case P::INT_LIT:
    case P::DECIMAL_LIT:
    case P::MONEY_LIT:
    case P::PERCENT_LIT:
    case P::DATE_LIT:
    case P::DAYS_LIT:
    case P::TIMESTAMP_LIT:
    case P::DURATION_LIT:
    case P::TIME_LIT:
    case P::STRING_LIT:
    case P::NAME:
    case P::RPAREN:
    case P::QUESTION:
    case P::K_END:
    case P::K_TRUE:
    case P::K_FALSE:
    case P::K_MISSING:
      return true;
    default:
      return token->getType() >= P::T_BOOL && token->getType() <= P::T_ENUM;
  }
}

bool startsDeclaration(size_t type) {
  switch (type) {
    case P::K_CURRENCY:
    case P::K_ROUNDING:
    case P::K_USE:
    case P::K_INPUT:
    case P::K_PARAM:
    case P::K_LET:
    case P::K_OUTPUT:
    case P::K_DECIDE:
    case P::K_TABLE:
    case P::K_FUNCTION:
    case P::K_TEST:
    case P::K_EXAMPLE:
    case P::K_PER:
    case P::K_REJECT:
    case P::K_EACH:
    case P::K_FOLD:
    case P::K_DISTRIBUTE:
      return true;
    default:
      return false;
  }
}

// A block that is closed by `end`, in words: "`decide first` block", "`per estate_id` block", "test
// \"D3\"", and what its `end` should follow.
struct OpenBlock {
  std::string what;
  size_t line = 0;
  const char* after = "";
};

std::optional<OpenBlock> describeBlock(antlr4::ParserRuleContext* ctx) {
  auto text = [](antlr4::Token* token) { return token ? token->getText() : std::string(); };
  size_t line = ctx->getStart()->getLine();
  if (auto* decide = dynamic_cast<P::DecideBlockContext*>(ctx)) {
    return OpenBlock{fmt::format("`decide {}` block", text(decide->policy)), line, "its last rule"};
  }
  if (auto* per = dynamic_cast<P::PerBlockContext*>(ctx)) {
    return OpenBlock{fmt::format("`per {}` block", text(per->key)), line, "its last declaration"};
  }
  if (auto* each = dynamic_cast<P::EachBlockContext*>(ctx)) {
    return OpenBlock{fmt::format("`each {}` block", text(each->input)), line, "its last declaration"};
  }
  if (auto* fold = dynamic_cast<P::FoldBlockContext*>(ctx)) {
    return OpenBlock{fmt::format("`fold {}` block", text(fold->input)), line, "its last declaration"};
  }
  if (auto* test = dynamic_cast<P::TestDeclContext*>(ctx)) {
    std::string what = test->title ? "test " + text(test->title) : "example `" + text(test->name) + "`";
    return OpenBlock{what, line, "its last `given` or `expect`"};
  }
  auto* table = dynamic_cast<P::TableDeclContext*>(ctx);
  if (table && table->K_ROWS()) {
    return OpenBlock{fmt::format("`rows` of table `{}`", text(table->name)), table->K_ROWS()->getSymbol()->getLine(),
                     "its last row"};
  }
  return std::nullopt;
}

// The innermost open block when `offending` shows that its `end` is missing: the file ends after a
// complete member, or a declaration starts where only `end` (or another member) may come.
// Example: `decide first` on line 5, a rule, then `let x = 1` → the decide block has no `end`.
std::optional<OpenBlock> blockMissingEnd(antlr4::Parser* parser, antlr4::Token* offending, const TokenTypes& expected) {
  antlr4::Token* previous = previousToken(parser);
  if (!previous) return std::nullopt;
  bool at_end = offending->getType() == antlr4::Token::EOF && completesMember(previous) &&
                (expected.empty() || contains(expected, P::K_END));
  bool declaration = startsDeclaration(offending->getType()) && contains(expected, P::K_END) &&
                     !contains(expected, offending->getType());
  if (!at_end && !declaration) return std::nullopt;
  for (antlr4::tree::ParseTree* node = parser->getContext(); node; node = node->parent) {
    auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node);
    if (!ctx) continue;
    if (std::optional<OpenBlock> block = describeBlock(ctx)) return block;
  }
  return std::nullopt;
}

}  // namespace

void ErrorStrategy::reportUnexpected(antlr4::Parser* parser, antlr4::Token* offending,
                                     const antlr4::misc::IntervalSet& expected_set) {
  TokenTypes expected = tokenTypes(expected_set);
  antlr4::TokenStream* tokens = parser->getTokenStream();
  if (isMisusedReservedWord(tokens, offending)) {
    reportReservedWord(tokens, offending, errors_);
    return;
  }
  if (isComparison(offending->getType()) && !contains(expected, offending->getType()) &&
      followsComparison(tokens, offending)) {
    errors_.report("E0110", tokenStart(offending, errors_.fileId()), "comparisons cannot be chained",
                   "join two comparisons with `and`: a < b and b < c");
    return;
  }
  if (std::optional<OpenBlock> block = blockMissingEnd(parser, offending, expected)) {
    errors_.report("E0117", tokenEnd(previousToken(parser), errors_.fileId()),
                   fmt::format("the {} that starts on line {} has no `end`", block->what, block->line),
                   fmt::format("write `end` after {}", block->after));
    return;
  }
  bool type_expected = contains(expected, P::T_BOOL) && contains(expected, P::T_INT);
  if (reportSlip(tokens, offending, type_expected, errors_)) return;
  std::string wanted = describeExpected(expected, parser->getVocabulary());
  std::string message = fmt::format("unexpected {}", describeFound(offending));
  if (!wanted.empty()) message += "; expected " + wanted;
  errors_.report("E0101", errorLocation(parser, offending, errors_.fileId()), message,
                 unexpectedHint(tokens, offending, expected));
}

void ErrorStrategy::reportNoViableAlternative(antlr4::Parser* parser, const antlr4::NoViableAltException& e) {
  // When prediction failed past the decision's first token, the state's expected set describes
  // that first token, not the offending one; say only what was found.
  antlr4::misc::IntervalSet expected;
  if (e.getStartToken() == e.getOffendingToken()) expected = parser->getExpectedTokens();
  reportUnexpected(parser, e.getOffendingToken(), expected);
}

void ErrorStrategy::reportInputMismatch(antlr4::Parser* parser, const antlr4::InputMismatchException& e) {
  reportUnexpected(parser, e.getOffendingToken(), e.getExpectedTokens());
}

void ErrorStrategy::reportFailedPredicate(antlr4::Parser* parser, const antlr4::FailedPredicateException& e) {
  reportUnexpected(parser, e.getOffendingToken(), {});
}

void ErrorStrategy::reportUnwantedToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  reportUnexpected(parser, parser->getCurrentToken(), getExpectedTokens(parser));
}

// `at: datetime` leaves a name where the type should be. ANTLR would resynchronise on that name as
// if it began the next field and report every following line; taking it as the (wrong) type lets the
// next field parse as written.
void ErrorStrategy::recover(antlr4::Parser* parser, std::exception_ptr e) {
  if (dynamic_cast<P::BaseTypeContext*>(parser->getContext()) && parser->getCurrentToken()->getType() == P::NAME) {
    parser->consume();
    return;
  }
  DefaultErrorStrategy::recover(parser, e);
}

void ErrorStrategy::reportMissingToken(antlr4::Parser* parser) {
  if (inErrorRecoveryMode(parser)) return;
  beginErrorCondition(parser);
  antlr4::Token* current = parser->getCurrentToken();
  std::string wanted = describeExpected(tokenTypes(getExpectedTokens(parser)), parser->getVocabulary());
  antlr4::Token* previous = previousToken(parser);
  Location loc = previous ? tokenEnd(previous, errors_.fileId()) : tokenStart(current, errors_.fileId());
  errors_.report("E0102", loc,
                 fmt::format("missing {} before {}", wanted.empty() ? "a token" : wanted, describeFound(current)));
}

void ErrorListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t column,
                                const std::string& message, std::exception_ptr e) {
  auto line32 = static_cast<uint32_t>(line);
  auto col32 = static_cast<uint32_t>(column + 1);
  if (dynamic_cast<antlr4::Lexer*>(recognizer)) {
    errors_.report("E0106", line32, col32, "unexpected character");
    return;
  }
  std::string found = offending ? describeFound(offending) : std::string("input");
  errors_.report("E0101", line32, col32, fmt::format("unexpected {}", found));
}

}  // namespace regelwerk::syntax
