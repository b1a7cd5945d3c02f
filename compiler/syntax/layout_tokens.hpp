// The tokens of a rule file as a layout tool sees them: every token with its byte range and line,
// comments included (the parser never sees those). For `regelwerk fmt` (compiler/format); no ANTLR type
// leaves compiler/syntax.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk::syntax {

// What the layout of a token depends on. Keywords keep their text in LayoutToken::text, so a caller
// tells `end` from `rule` by text; a type name (`int`, `enum`, `decimal`) is a TypeName, so `enum(` and
// `int(x, half_up)` are written without a space, while `in (a, b)` keeps one.
enum class LayoutKind : uint8_t {
  Keyword,
  TypeName,
  Name,
  Literal,    // numbers, money, days, durations, percents, dates, times, timestamps, strings
  Open,       // (
  Close,      // )
  Comma,
  Colon,
  Semicolon,
  Dot,
  DotDot,
  Pipe,
  Question,   // the `?` of an optional type
  Minus,      // binary or unary: the layout decides by what precedes it
  Bang,
  Operator,   // every other binary operator: == != < <= > >= = && || ?? ++ + * /
  Comment,    // `# …` to the end of its line, text without the line end
  Other,      // a character the lexer does not know (a syntax error)
};

struct LayoutToken {
  LayoutKind kind = LayoutKind::Other;
  std::string text;   // as written; a literal with a unit keeps its inner spaces (`5.00  EUR`)
  uint32_t line = 0;  // 1-based
  size_t begin = 0;   // byte offsets into the text
  size_t end = 0;
};

// Every token and comment of `text` in order. Syntax is not checked: parse the file first.
std::vector<LayoutToken> layoutTokens(std::string_view text);

}  // namespace regelwerk::syntax
