// Compile-time CSV reading for tables: exact cell parsing with the checker's literal parsers.
#include "compiler/sema/table_csv.hpp"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "literals.hpp"

namespace regelwerk::sema {

namespace {

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

namespace {

std::string listHeader(const std::vector<CsvCell>& header) {
  std::string names;
  for (const CsvCell& cell : header) names += (names.empty() ? "`" : ", `") + cell.text + "`";
  return names;
}

// The header position of each wanted column, as the data reader binds its header: a column that is
// missing, or that appears more than once, is an error (E0705 at line 1); other columns are ignored.
std::vector<size_t> bindColumns(const std::vector<CsvCell>& header, const std::vector<TableCsvColumn>& wanted,
                                std::vector<TableCsvError>* errors) {
  std::vector<size_t> positions;
  const Location first_line = header.front().loc;
  for (const TableCsvColumn& column : wanted) {
    std::vector<size_t> found;
    for (size_t field = 0; field < header.size(); ++field) {
      if (header[field].text == column.name) found.push_back(field);
    }
    if (found.size() == 1) {
      positions.push_back(found[0]);
      continue;
    }
    if (found.empty()) {
      errors->push_back({"E0705", first_line, fmt::format("the file has no column `{}`", column.name),
                         "its columns are " + listHeader(header)});
      continue;
    }
    errors->push_back({"E0705", header[found[1]].loc,
                       fmt::format("column `{}` appears {} times in the header (fields {} and {})", column.name,
                                   found.size(), found[0] + 1, found[1] + 1),
                       "rename one so the table's column is unambiguous"});
  }
  return positions;
}

}  // namespace

TableCsvResult readTableCsv(const CsvRows& csv, const std::vector<TableCsvColumn>& wanted) {
  TableCsvResult result;
  result.columns.resize(wanted.size());
  std::vector<size_t> positions = bindColumns(csv.header, wanted, &result.errors);
  if (!result.errors.empty()) return result;
  for (const std::vector<CsvCell>& row : csv.rows) {
    assert(row.size() == csv.header.size() && "the reader refuses ragged rows");
    result.row_locs.push_back(Location{row[0].loc.file, row[0].loc.line, 1});
    for (size_t column = 0; column < wanted.size(); ++column) {
      const CsvCell& cell = row[positions[column]];
      if (cell.text.empty() && wanted[column].type->optional) {
        result.columns[column].push_back(kNoValue);
        continue;
      }
      if (wanted[column].type->isString()) {
        result.texts.push_back(cell.text);
        result.columns[column].push_back(0);
        continue;
      }
      int64_t value = 0;
      std::string reason = parseTableCell(cell.text, *wanted[column].type, &value);
      if (!reason.empty()) result.errors.push_back({"E0706", cell.loc, reason, ""});
      result.columns[column].push_back(value);
    }
  }
  return result;
}

}  // namespace regelwerk::sema
