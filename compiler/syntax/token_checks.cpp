// Error tokens and nesting limits, checked on the token list before ANTLR's recursive descent runs.
#include "token_checks.hpp"

#include <fmt/format.h>

#include "RegelwerkLexer.h"
#include "parser.hpp"

namespace regelwerk::syntax {
namespace {

using Lexer = regelwerk_gen::RegelwerkLexer;

// Tokens after which an expression cannot continue inside the same declaration; they end every
// open nesting level, so one unbalanced `(` does not make the rest of the file "too deep".
bool startsClause(size_t type) {
  switch (type) {
    case Lexer::K_RULESET:
    case Lexer::K_CURRENCY:
    case Lexer::K_ROUNDING:
    case Lexer::K_INPUT:
    case Lexer::K_FROM:
    case Lexer::K_FORMAT:
    case Lexer::K_PARAM:
    case Lexer::K_LET:
    case Lexer::K_OUTPUT:
    case Lexer::K_DECIDE:
    case Lexer::K_USE:
    case Lexer::K_TABLE:
    case Lexer::K_KEY:
    case Lexer::K_VALUE:
    case Lexer::K_ROWS:
    case Lexer::K_FUNCTION:
    case Lexer::K_TEST:
    case Lexer::K_EXAMPLE:
    case Lexer::K_GIVEN:
    case Lexer::K_PARAMS:
    case Lexer::K_EXPECT:
    case Lexer::K_RULE:
    case Lexer::K_WHEN:
    case Lexer::K_OVERRIDES:
    case Lexer::K_END:
      return true;
    default:
      return false;
  }
}

bool endsValue(size_t type) {
  switch (type) {
    case Lexer::INT_LIT:
    case Lexer::DECIMAL_LIT:
    case Lexer::MONEY_LIT:
    case Lexer::PERCENT_LIT:
    case Lexer::DATE_LIT:
    case Lexer::DAYS_LIT:
    case Lexer::TIMESTAMP_LIT:
    case Lexer::DURATION_LIT:
    case Lexer::TIME_LIT:
    case Lexer::STRING_LIT:
    case Lexer::K_TRUE:
    case Lexer::K_FALSE:
    case Lexer::NAME:
    case Lexer::RPAREN:
    case Lexer::K_MISSING:
      return true;
    default:
      return false;
  }
}

bool isBinaryOperator(size_t type) {
  switch (type) {
    case Lexer::K_OR:
    case Lexer::K_AND:
    case Lexer::OROR:
    case Lexer::ANDAND:
    case Lexer::EQ:
    case Lexer::NE:
    case Lexer::LT:
    case Lexer::LE:
    case Lexer::GT:
    case Lexer::GE:
    case Lexer::K_IN:
    case Lexer::K_IS:
    case Lexer::DOTDOT:
    case Lexer::QQ:
    case Lexer::CONCAT:
    case Lexer::PLUS:
    case Lexer::MINUS:
    case Lexer::STAR:
    case Lexer::SLASH:
      return true;
    default:
      return false;
  }
}

// Tracks how deeply the parser will recurse at each token. Parentheses, `if` and runs of prefix
// `not`/`-` recurse in ANTLR; an `if` nests everything up to the `,` or `)` that ends its operand,
// so `else if` chains count too. Binary operators are loops in the grammar but each one adds an AST
// level, so they are summed separately against the larger kMaxOperators.
class NestingTracker {
 public:
  // Returns the code of the limit `token` exceeds, or nullptr.
  const char* step(const ScanToken& token);

 private:
  struct Level {
    uint32_t ifs = 0;
    uint32_t ops = 0;
  };
  uint32_t nesting() const { return static_cast<uint32_t>(levels_.size() - 1) + ifs_ + prefix_run_; }
  void clearLevel(Level& level);
  void reset();
  const char* checkLimits() const;

  std::vector<Level> levels_{Level{}};
  uint32_t ifs_ = 0;
  uint32_t ops_ = 0;
  uint32_t prefix_run_ = 0;
  bool after_value_ = false;
};

void NestingTracker::clearLevel(Level& level) {
  ifs_ -= level.ifs;
  ops_ -= level.ops;
  level = Level{};
}

void NestingTracker::reset() {
  levels_.assign(1, Level{});
  ifs_ = ops_ = prefix_run_ = 0;
}

const char* NestingTracker::checkLimits() const {
  if (nesting() > kMaxNesting) return "E0103";
  if (ops_ > kMaxOperators) return "E0104";
  return nullptr;
}

const char* NestingTracker::step(const ScanToken& token) {
  size_t type = token.type;
  bool prefix = type == Lexer::K_NOT || type == Lexer::BANG || (type == Lexer::MINUS && !after_value_);
  prefix_run_ = prefix ? prefix_run_ + 1 : 0;
  after_value_ = endsValue(type);
  if (startsClause(type)) {
    reset();
  } else if (type == Lexer::ASSIGN || type == Lexer::COMMA) {
    clearLevel(levels_.back());
  } else if (type == Lexer::LPAREN) {
    levels_.push_back(Level{});
  } else if (type == Lexer::RPAREN && levels_.size() > 1) {
    clearLevel(levels_.back());
    levels_.pop_back();
  } else if (type == Lexer::K_IF) {
    ++levels_.back().ifs;
    ++ifs_;
  }
  if (prefix || isBinaryOperator(type)) {
    ++levels_.back().ops;
    ++ops_;
  }
  return checkLimits();
}

void reportNestingLimit(const char* code, const ScanToken& token, SyntaxErrorSink& errors) {
  if (std::string_view(code) == "E0103") {
    errors.report(
        code, token.line, token.col,
        fmt::format("this expression nests deeper than {} levels of parentheses, `if` and `not`", kMaxNesting),
        "split it into several `let` declarations");
    return;
  }
  errors.report(code, token.line, token.col, fmt::format("this expression has more than {} operators", kMaxOperators),
                "split it into several `let` declarations");
}

// The first code point of UTF-8 `text`.
char32_t firstCodePoint(const std::string& text) {
  auto byte = [&](size_t at) { return static_cast<char32_t>(static_cast<unsigned char>(text[at])); };
  if (text.empty()) return 0;
  char32_t lead = byte(0);
  if (lead < 0x80) return lead;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  char32_t cp = lead & (0x3F >> (length - 1));
  for (size_t at = 1; at < length && at < text.size(); ++at) cp = (cp << 6) | (byte(at) & 0x3F);
  return cp;
}

bool isInvisible(char32_t cp) {
  return cp <= 0x20 || (cp >= 0x7F && cp <= 0xA0) || cp == 0xAD || (cp >= 0x2000 && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202F) || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

// Hints for the characters analysts paste from word processors and spreadsheets.
std::string strayHint(char32_t cp) {
  if (cp == U'\u201C' || cp == U'\u201D' || cp == U'\u201E') return "write strings with straight quotes: \"...\"";
  if (cp == U'\u20AC' || cp == U'$') return "write money with its currency code: 12.50 EUR";
  if (cp == U'\'') return "write strings with double quotes: \"...\"";
  if (cp == U'&') return "to join conditions, write `and`";
  return {};
}

void reportStray(const ScanToken& token, SyntaxErrorSink& errors) {
  char32_t cp = firstCodePoint(token.text);
  // A backtick cannot be quoted with backticks, and an invisible character not at all.
  std::string shown = cp == U'`'        ? std::string("` (a backtick)")
                      : isInvisible(cp) ? fmt::format("U+{:04X}", static_cast<uint32_t>(cp))
                                        : fmt::format("`{}`", token.text);
  errors.report("E0106", token.line, token.col, fmt::format("unexpected character {}", shown), strayHint(cp));
}

// The lexer gives an unterminated string the STRING_LIT type; it lacks a closing quote that is
// not itself escaped (`"a\"` is unterminated).
bool isTerminatedString(const std::string& text) {
  if (text.size() < 2 || text.back() != '"') return false;
  size_t backslashes = 0;
  for (size_t pos = text.size() - 1; pos-- > 1 && text[pos] == '\\';) ++backslashes;
  return backslashes % 2 == 0;
}

}  // namespace

bool checkTokens(const std::vector<ScanToken>& tokens, SyntaxErrorSink& errors) {
  NestingTracker tracker;
  bool nesting_ok = true;
  for (const ScanToken& token : tokens) {
    if (token.type == Lexer::STRAY) {
      reportStray(token, errors);
    } else if (token.type == Lexer::STRING_LIT && !isTerminatedString(token.text)) {
      errors.report("E0107", token.line, token.col, "this string has no closing `\"`",
                    "a string ends on the line where it starts");
    }
    if (token.hidden || !nesting_ok) continue;
    if (const char* code = tracker.step(token)) {
      reportNestingLimit(code, token, errors);
      nesting_ok = false;
    }
  }
  return nesting_ok;
}

}  // namespace regelwerk::syntax
