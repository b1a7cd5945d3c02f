// The canonical layout: tokens re-spaced, lines re-indented by block, table rows aligned; the author's
// line breaks, blank lines (at most one in a row) and comments stay where they are.
#include "format.hpp"

#include <algorithm>
#include <optional>
#include <regex>
#include <unordered_set>

#include "compiler/ast/print.hpp"
#include "compiler/support/diagnostics.hpp"
#include "compiler/support/source_file.hpp"
#include "compiler/syntax/layout_tokens.hpp"
#include "compiler/syntax/parser.hpp"

namespace regelwerk::format {
namespace {

using syntax::LayoutKind;
using syntax::LayoutToken;

constexpr size_t kIndent = 2;

// One line of the input: its code tokens and the comment at its end (or the whole line's comment).
struct SourceLine {
  std::vector<const LayoutToken*> code;
  const LayoutToken* comment = nullptr;
  size_t indent = 0;         // the input's indentation, in code points
  size_t comment_column = 0;  // the input's column of the comment, in code points
  bool blank_before = false;  // the input has an empty line before it
};

size_t codePoints(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool isKeyword(const LayoutToken& token, std::string_view word) {
  return token.kind == LayoutKind::Keyword && token.text == word;
}

// Splits the tokens into lines and notes each line's indentation and empty lines before it.
// The 0-based column of a token, in code points from the start of its line.
size_t columnOf(std::string_view text, const LayoutToken& token) {
  const size_t start = token.begin == 0 ? std::string_view::npos : text.rfind('\n', token.begin - 1);
  const size_t line_start = start == std::string_view::npos ? 0 : start + 1;
  return codePoints(text.substr(line_start, token.begin - line_start));
}

std::vector<SourceLine> sourceLines(std::string_view text, const std::vector<LayoutToken>& tokens) {
  std::vector<SourceLine> lines;
  uint32_t current = 0;
  for (const LayoutToken& token : tokens) {
    if (lines.empty() || token.line != current) {
      SourceLine line;
      line.indent = columnOf(text, token);
      line.blank_before = !lines.empty() && token.line > current + 1;
      lines.push_back(line);
      current = token.line;
    }
    SourceLine& line = lines.back();
    if (token.kind == LayoutKind::Comment) {
      line.comment = &token;
      line.comment_column = columnOf(text, token);
    } else {
      line.code.push_back(&token);
    }
  }
  return lines;
}

// A literal with a unit as one space (`5.00  EUR` -> `5.00 EUR`); strings as written.
std::string tokenText(const LayoutToken& token) {
  if (token.kind != LayoutKind::Literal || token.text.front() == '"') return token.text;
  std::string text;
  for (char c : token.text) {
    const bool space = c == ' ' || c == '\t';
    if (space && !text.empty() && text.back() == ' ') continue;
    text.push_back(space ? ' ' : c);
  }
  return text;
}

// Whether a `-` after `before` is a sign (`= -5`, `(-x`, `then -1`) rather than a subtraction.
bool signAfter(const LayoutToken* before) {
  if (before == nullptr) return true;
  switch (before->kind) {
    case LayoutKind::Name:
    case LayoutKind::Literal:
    case LayoutKind::Close:
    case LayoutKind::Question:
    case LayoutKind::TypeName: return false;
    case LayoutKind::Keyword:
      return before->text != "missing" && before->text != "true" && before->text != "false";
    default: return true;
  }
}

// The separators of table cells: `|`, and the `||` between a decision table's conditions and results.
bool cellSeparator(const LayoutToken& token) {
  return token.kind == LayoutKind::Pipe || (token.kind == LayoutKind::Operator && token.text == "||");
}

// The space between two tokens of one line: none inside `f(x)`, `a.b`, `1..2`, `date?`, `name:` and
// after a sign; one everywhere else.
bool spaceBetween(const LayoutToken& left, const LayoutToken& right, const LayoutToken* before_left) {
  if (cellSeparator(left) || cellSeparator(right)) return true;  // table cells: `| - |`, `|| 3`
  switch (right.kind) {
    case LayoutKind::Comma:
    case LayoutKind::Semicolon:
    case LayoutKind::Close:
    case LayoutKind::Colon:
    case LayoutKind::Question:
    case LayoutKind::Dot:
    case LayoutKind::DotDot: return false;
    case LayoutKind::Open:
      if (left.kind == LayoutKind::Name || left.kind == LayoutKind::TypeName) return false;
      break;
    default: break;
  }
  switch (left.kind) {
    case LayoutKind::Open:
    case LayoutKind::Dot:
    case LayoutKind::DotDot:
    case LayoutKind::Bang: return false;
    case LayoutKind::Minus: return !signAfter(before_left);
    default: return true;
  }
}

// `distribute pool over Claim amount (…)`: the name after `over X` is the clause word `amount`, not a
// function, so its parenthesis keeps a space. Found over the whole file: the clause may start a line.
std::unordered_set<const LayoutToken*> clauseWords(const std::vector<LayoutToken>& tokens) {
  std::vector<const LayoutToken*> code;
  for (const LayoutToken& token : tokens)
    if (token.kind != LayoutKind::Comment) code.push_back(&token);
  std::unordered_set<const LayoutToken*> words;
  for (size_t index = 2; index < code.size(); ++index)
    if (code[index]->kind == LayoutKind::Name && code[index - 1]->kind == LayoutKind::Name &&
        isKeyword(*code[index - 2], "over"))
      words.insert(code[index]);
  return words;
}

// The code of `tokens` with canonical spaces; `before` is the code token preceding the first one.
std::string joinTokens(const std::vector<const LayoutToken*>& tokens, const LayoutToken* before,
                       const std::unordered_set<const LayoutToken*>& clause_words) {
  std::string out;
  for (size_t index = 0; index < tokens.size(); ++index) {
    const LayoutToken* previous = index == 0 ? before : tokens[index - 1];
    if (index > 0) {
      const LayoutToken* before_previous = index == 1 ? before : tokens[index - 2];
      const bool clause_paren = tokens[index]->kind == LayoutKind::Open && clause_words.count(previous) > 0;
      if (clause_paren || spaceBetween(*previous, *tokens[index], before_previous)) out.push_back(' ');
    }
    out += tokenText(*tokens[index]);
  }
  return out;
}

// A table row split into cells at its separators: `|`, and the `||` between a decision table's
// conditions and results. separators[i] stands after cells[i].
struct RowCells {
  std::vector<std::string> cells;
  std::vector<std::string> separators;
};

// The cells of a row line (`2001-01-01 | true | 200%,`, `| >= 60 | - || 3 |`); a value row's comma
// stays on its last cell, a decision row's outer `|` leave an empty first and last cell.
RowCells rowCells(const SourceLine& line, const LayoutToken* before,
                  const std::unordered_set<const LayoutToken*>& clause_words) {
  RowCells row;
  std::vector<const LayoutToken*> cell;
  const LayoutToken* cell_before = before;
  for (const LayoutToken* token : line.code) {
    if (cellSeparator(*token)) {
      row.cells.push_back(joinTokens(cell, cell_before, clause_words));
      row.separators.push_back(token->text);
      cell_before = token;
      cell.clear();
      continue;
    }
    cell.push_back(token);
  }
  row.cells.push_back(joinTokens(cell, cell_before, clause_words));
  return row;
}

// Blocks that `end` closes, and the declarations whose following lines belong to them until the next
// declaration (an input's fields; a table's key, value and rows).
enum class Block : uint8_t { Hard, Input, Table };

bool opensBlock(const LayoutToken& token) {
  if (token.kind != LayoutKind::Keyword) return false;
  static const char* const kOpeners[] = {"per", "each", "fold", "decide", "test", "example", "rows"};
  return std::any_of(std::begin(kOpeners), std::end(kOpeners), [&](const char* word) { return token.text == word; });
}

// `ledger Claim [as R [when c]]` inside a fold (`ledger` is a plain name, like `state`): the line opens a block.
bool opensLedger(const SourceLine& line) {
  return line.code.size() >= 2 && line.code[0]->kind == LayoutKind::Name && line.code[0]->text == "ledger" &&
         line.code[1]->kind == LayoutKind::Name && (line.code.size() == 2 || isKeyword(*line.code[2], "as"));
}

// A line that starts a declaration, a rule, a test section, a field or a state, rather than continuing
// the line before it.
bool startsDeclaration(const SourceLine& line, bool in_input) {
  const LayoutToken& first = *line.code.front();
  if (first.kind == LayoutKind::Name) {
    const bool field = line.code.size() > 1 && line.code[1]->kind == LayoutKind::Colon;
    const bool state = first.text == "state" && line.code.size() > 1 && line.code[1]->kind == LayoutKind::Name;
    return (in_input && field) || state || opensLedger(line);
  }
  if (first.kind != LayoutKind::Keyword) return false;
  static const char* const kContinuations[] = {"then", "else",  "and",  "or",   "when", "if",   "not",
                                               "in",   "is",    "missing", "true", "false", "from", "format",
                                               "over", "where", "by",   "as",   "into", "overrides", "like",
                                               "for",  "many"};
  return std::none_of(std::begin(kContinuations), std::end(kContinuations),
                      [&](const char* word) { return first.text == word; });
}

class Layout {
 public:
  Layout(std::string_view text, const std::vector<LayoutToken>& tokens)
      : lines_(sourceLines(text, tokens)), clause_words_(clauseWords(tokens)) {}

  std::string run() {
    indents_.assign(lines_.size(), 0);
    row_line_.assign(lines_.size(), false);
    for (size_t index = 0; index < lines_.size(); ++index)
      if (!lines_[index].code.empty()) indentCodeLine(index);
    indentCommentLines();
    alignRows();
    return render();
  }

 private:
  void popSoft(const LayoutToken& first) {
    if (blocks_.empty() || first.kind != LayoutKind::Keyword) return;
    const bool table_part = first.text == "key" || first.text == "value" || first.text == "rows";
    if (blocks_.back() == Block::Input || (blocks_.back() == Block::Table && !table_part)) blocks_.pop_back();
  }

  void indentCodeLine(size_t index) {
    const SourceLine& line = lines_[index];
    const LayoutToken& first = *line.code.front();
    popSoft(first);
    const bool closes = isKeyword(first, "end") && !blocks_.empty();
    const size_t depth = blocks_.size() - (closes ? 1 : 0);
    const bool in_rows = !rows_depth_.empty() && rows_depth_.back() == blocks_.size() && !closes;
    const bool in_input = !blocks_.empty() && blocks_.back() == Block::Input;
    const bool decision_row = first.kind == LayoutKind::Pipe;  // a decision table's header or row
    if (in_rows || decision_row || closes || startsDeclaration(line, in_input)) {
      indents_[index] = kIndent * depth;
      anchor_ = index;
      row_line_[index] = (in_rows && oneRow(line)) || (decision_row && line.code.back()->kind == LayoutKind::Pipe);
    } else {
      // A continuation keeps its offset from the line it continues (hand-aligned `else` stays under its
      // `if`), at least one indent; a closing parenthesis may stand under its line's start.
      const long offset = static_cast<long>(line.indent) - static_cast<long>(lines_[anchor_].indent);
      const long least = first.kind == LayoutKind::Close ? 0 : static_cast<long>(kIndent);
      indents_[index] = indents_[anchor_] + static_cast<size_t>(std::max(offset, least));
    }
    track(line);
  }

  // A line holding exactly one table row (its comma, if any, last): only such lines are aligned.
  static bool oneRow(const SourceLine& line) {
    for (size_t index = 0; index < line.code.size(); ++index) {
      const LayoutToken& token = *line.code[index];
      if (opensBlock(token) || token.text == "end") return false;
      if (token.kind == LayoutKind::Comma && index + 1 < line.code.size()) return false;
    }
    return true;
  }

  // Follows the blocks the line opens and closes, in token order.
  void track(const SourceLine& line) {
    for (const LayoutToken* token : line.code) {
      if (opensBlock(*token)) {
        blocks_.push_back(Block::Hard);
        if (token->text == "rows") rows_depth_.push_back(blocks_.size());
      } else if (isKeyword(*token, "end") && !blocks_.empty()) {
        const bool rows = !rows_depth_.empty() && rows_depth_.back() == blocks_.size();
        blocks_.pop_back();
        if (rows) rows_depth_.pop_back();
        if (rows && !blocks_.empty() && blocks_.back() == Block::Table) blocks_.pop_back();
      }
    }
    const LayoutToken& first = *line.code.front();
    if (isKeyword(first, "input")) blocks_.push_back(Block::Input);
    if (opensLedger(line)) blocks_.push_back(Block::Hard);
    if (isKeyword(first, "table") && !std::any_of(line.code.begin(), line.code.end(), [](const LayoutToken* t) {
          return isKeyword(*t, "rows");
        }))
      blocks_.push_back(Block::Table);
  }

  // A comment line is indented as the code line after it (a comment says what follows), one level
  // deeper when that line closes a block: the comment is still inside.
  void indentCommentLines() {
    std::optional<size_t> next_indent;
    for (size_t index = lines_.size(); index-- > 0;) {
      const SourceLine& line = lines_[index];
      if (!line.code.empty()) {
        const bool closes = isKeyword(*line.code.front(), "end");
        next_indent = indents_[index] + (closes ? kIndent : 0);
        continue;
      }
      indents_[index] = next_indent.value_or(0);
    }
  }

  // Consecutive row lines of one table share cell widths, so the `|` stand in columns.
  void alignRows() {
    cells_.assign(lines_.size(), {});
    for (size_t index = 0; index < lines_.size();) {
      if (!row_line_[index]) {
        ++index;
        continue;
      }
      size_t stop = index;
      std::vector<size_t> widths;
      for (; stop < lines_.size() && (row_line_[stop] || lines_[stop].code.empty()); ++stop) {
        if (lines_[stop].code.empty()) continue;
        cells_[stop] = rowCells(lines_[stop], previousCode(stop), clause_words_);
        const std::vector<std::string>& cells = cells_[stop].cells;
        for (size_t cell = 0; cell + 1 < cells.size(); ++cell) {
          if (widths.size() <= cell) widths.resize(cell + 1, 0);
          widths[cell] = std::max(widths[cell], codePoints(cells[cell]));
        }
      }
      for (size_t row = index; row < stop; ++row) padCells(&cells_[row].cells, widths);
      index = stop;
    }
  }

  static void padCells(std::vector<std::string>* cells, const std::vector<size_t>& widths) {
    for (size_t cell = 0; cell + 1 < cells->size(); ++cell)
      (*cells)[cell].append(widths[cell] - codePoints((*cells)[cell]), ' ');
  }

  const LayoutToken* previousCode(size_t index) const {
    for (size_t line = index; line-- > 0;)
      if (!lines_[line].code.empty()) return lines_[line].code.back();
    return nullptr;
  }

  std::string lineCode(size_t index) const {
    if (!cells_.empty() && !cells_[index].cells.empty()) {
      const RowCells& row = cells_[index];
      std::string out = row.cells[0];
      for (size_t cell = 1; cell < row.cells.size(); ++cell)
        out += (out.empty() ? "" : " ") + row.separators[cell - 1] + " " + row.cells[cell];
      while (!out.empty() && out.back() == ' ') out.pop_back();
      return out;
    }
    return joinTokens(lines_[index].code, previousCode(index), clause_words_);
  }

  std::string render() const {
    std::string out;
    bool wrote = false;
    for (size_t index = 0; index < lines_.size(); ++index) {
      const SourceLine& line = lines_[index];
      if (line.blank_before && wrote) out += '\n';
      std::string text(indents_[index], ' ');
      if (!line.code.empty()) text += lineCode(index);
      if (line.comment != nullptr) {
        if (!line.code.empty()) {
          // A trailing comment keeps its column when it still fits (aligned comments stay aligned),
          // else it stands two spaces after the code.
          const size_t width = codePoints(text);
          text.append(line.comment_column > width ? line.comment_column - width : 2, ' ');
        }
        std::string comment = line.comment->text;
        while (!comment.empty() && (comment.back() == ' ' || comment.back() == '\t')) comment.pop_back();
        text += comment;
      }
      out += text + '\n';
      wrote = true;
    }
    return out;
  }

  std::vector<SourceLine> lines_;
  std::unordered_set<const LayoutToken*> clause_words_;
  std::vector<size_t> indents_;
  std::vector<bool> row_line_;
  std::vector<RowCells> cells_;
  std::vector<Block> blocks_;
  std::vector<size_t> rows_depth_;  // blocks_.size() just after each open `rows`
  size_t anchor_ = 0;
};

// The syntax tree without positions, or nullopt with the diagnostics.
std::optional<std::string> syntaxTree(std::string_view text, std::string_view path, std::string* diagnostics) {
  SourceManager sources;
  const uint32_t file = sources.add(std::string(path), std::string(text));
  DiagnosticSink sink;
  std::optional<ast::Ruleset> ruleset = syntax::parseRuleset(sources, file, sink);
  if (!ruleset) {
    *diagnostics = renderAll(sources, sink);
    return std::nullopt;
  }
  static const std::regex kPosition("@[0-9]+:[0-9]+");
  return std::regex_replace(ast::dumpAst(*ruleset), kPosition, "");
}

}  // namespace

std::string layOut(std::string_view text) { return Layout(text, syntax::layoutTokens(text)).run(); }

FormatResult formatSource(std::string_view text, std::string_view path) {
  FormatResult result;
  std::optional<std::string> before = syntaxTree(text, path, &result.diagnostics);
  if (!before) return result;
  std::string formatted = layOut(text);
  std::string ignored;
  std::optional<std::string> after = syntaxTree(formatted, path, &ignored);
  if (!after || *after != *before || layOut(formatted) != formatted) {
    result.diagnostics = std::string(path) +
                         ": internal error in `regelwerk fmt`: the formatted file would not mean the same or "
                         "is not stable; the file was left as it is (please report it with the file)\n";
    return result;
  }
  result.ok = true;
  result.text = std::move(formatted);
  return result;
}

}  // namespace regelwerk::format
