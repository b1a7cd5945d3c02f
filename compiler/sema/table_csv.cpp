// Compile-time CSV reading for tables: exact cell parsing with the checker's literal parsers.
#include "compiler/sema/table_csv.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "literals.hpp"

namespace regelwerk::sema {

namespace {

struct Cell {
  std::string text;
  uint32_t col = 1;
};

// The fields of one line; `"a,b"` is one field, `""` inside quotes is one quote.
std::vector<Cell> splitLine(std::string_view line) {
  std::vector<Cell> cells(1);
  bool quoted = false;
  for (size_t pos = 0; pos < line.size(); ++pos) {
    char ch = line[pos];
    if (quoted && ch == '"' && pos + 1 < line.size() && line[pos + 1] == '"') {
      cells.back().text += '"';
      ++pos;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      cells.push_back(Cell{"", static_cast<uint32_t>(pos + 2)});
    } else {
      cells.back().text += ch;
    }
  }
  return cells;
}

std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    start = end + 1;
  }
  return out;
}

bool parseSignedFixed(std::string_view text, int extra_scale, int scale, int64_t* out) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  FixedResult fixed = parseFixed(text, extra_scale);
  if (fixed.error != FixedError::None || fixed.fixed.scale > scale) return false;
  int64_t value = fixed.fixed.value;
  if (__builtin_mul_overflow(value, powerOfTen(scale - fixed.fixed.scale), &value)) return false;
  *out = negative ? -value : value;
  return true;
}

}  // namespace

std::string parseTableCell(std::string_view text, const ir::Type& type, int64_t* out) {
  using ir::TypeKind;
  std::string shown = fmt::format("`{}`", text);
  switch (type.kind) {
    case TypeKind::Int:
    case TypeKind::Days:
      if (parseSignedFixed(text, 0, 0, out)) return "";
      return shown + " is not a whole number";
    case TypeKind::Decimal:
    case TypeKind::Money:
      if (parseSignedFixed(text, 0, type.scale, out)) return "";
      return fmt::format("{} is not a number with at most {} places", shown, type.scale);
    case TypeKind::Percent:
      if (parseSignedFixed(text, 2, type.scale, out)) return "";
      return fmt::format("{} is not a percent number (such as 2.27) with at most {} places", shown, type.scale - 2);
    case TypeKind::Date: {
      DateResult date = parseDate(text);
      *out = date.days;
      return date.error == DateError::None ? "" : shown + " is not a date YYYY-MM-DD";
    }
    case TypeKind::Bool:
      *out = text == "true" ? 1 : 0;
      return text == "true" || text == "false" ? "" : shown + " is not true or false";
    case TypeKind::Enum: {
      auto found = std::find(type.members.begin(), type.members.end(), text);
      *out = found - type.members.begin();
      return found != type.members.end() ? "" : shown + " is not a member of " + ir::typeName(type);
    }
    default: return "strings cannot be table values";
  }
}

TableCsvResult readTableCsv(std::string_view text, uint32_t file, const std::vector<TableCsvColumn>& wanted) {
  TableCsvResult result;
  result.columns.resize(wanted.size());
  std::vector<std::string_view> all = lines(text);
  if (all.empty()) {
    result.errors.push_back({"E0705", Location{file, 1, 1}, "the file is empty; it needs a header line", ""});
    return result;
  }
  std::vector<Cell> header = splitLine(all[0]);
  std::vector<size_t> positions;
  for (const TableCsvColumn& column : wanted) {
    auto found = std::find_if(header.begin(), header.end(), [&](const Cell& cell) { return cell.text == column.name; });
    if (found != header.end()) {
      positions.push_back(static_cast<size_t>(found - header.begin()));
      continue;
    }
    std::string names;
    for (const Cell& cell : header) names += (names.empty() ? "`" : ", `") + cell.text + "`";
    result.errors.push_back({"E0705", Location{file, 1, 1}, fmt::format("the file has no column `{}`", column.name),
                             "its columns are " + names});
  }
  if (!result.errors.empty()) return result;
  for (size_t line = 1; line < all.size(); ++line) {
    if (all[line].empty()) continue;
    std::vector<Cell> cells = splitLine(all[line]);
    uint32_t line_number = static_cast<uint32_t>(line + 1);
    result.row_locs.push_back(Location{file, line_number, 1});
    for (size_t column = 0; column < wanted.size(); ++column) {
      if (positions[column] >= cells.size()) {
        result.errors.push_back({"E0706", Location{file, line_number, 1},
                                 fmt::format("this row has no `{}` cell", wanted[column].name), ""});
        continue;
      }
      const Cell& cell = cells[positions[column]];
      if (cell.text.empty() && wanted[column].type->optional) {
        result.columns[column].push_back(kNoValue);
        continue;
      }
      int64_t value = 0;
      if (wanted[column].type->isString()) {
        result.texts.push_back(cell.text);
        result.columns[column].push_back(0);
        continue;
      }
      std::string reason = parseTableCell(cell.text, *wanted[column].type, &value);
      if (!reason.empty()) result.errors.push_back({"E0706", Location{file, line_number, cell.col}, reason, ""});
      result.columns[column].push_back(value);
    }
  }
  return result;
}

}  // namespace regelwerk::sema
