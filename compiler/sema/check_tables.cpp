// Tables: key and value types, inline rows and rows read from a CSV file, sorting and duplicate keys;
// lookups `fees(level).fee` and the accrual builtin `accrue(principal, from:, until:, rate:, plus:)`.
#include <algorithm>
#include <numeric>

#include <fmt/format.h>

#include "checker.hpp"
#include "compiler/sema/table_csv.hpp"
#include "literals.hpp"

namespace regelwerk::sema {

using ir::TypeKind;

namespace {

constexpr const char* kBuiltins[] = {"abs", "accrue", "max", "min", "round"};

std::string keyText(const ir::Type& type, int64_t key) {
  if (type.kind == TypeKind::Enum && key >= 0 && static_cast<size_t>(key) < type.members.size()) {
    return type.members[static_cast<size_t>(key)];
  }
  if (type.kind != TypeKind::Date) return std::to_string(key);
  int64_t days = key + 719468;  // civil_from_days (H. Hinnant)
  int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  int64_t doe = days - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t day = doy - (153 * mp + 2) / 5 + 1;
  int64_t month = mp < 10 ? mp + 3 : mp - 9;
  int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

}  // namespace

// Tables and functions share the call namespace with the builtins.
void Checker::declareCallable(const std::string& name, Location loc) {
  for (const char* builtin : kBuiltins) {
    if (name == builtin) {
      error("E0701", loc, fmt::format("`{}` is a built-in function", name), "choose another name");
      return;
    }
  }
  auto [first, inserted] = callables_.emplace(name, loc);
  if (!inserted) {
    error("E0701", loc, fmt::format("`{}` is already declared at {}", name, placeOf(first->second, loc)),
          "choose another name");
  }
}

void Checker::checkTables() {
  for (const ast::TableDecl& decl : ast_.tables) checkTable(decl);
}

void Checker::checkTable(const ast::TableDecl& decl) {
  declareCallable(decl.name, decl.loc);
  TableInfo table;
  table.name = decl.name;
  table.loc = decl.loc;
  table.range = decl.range;
  table.key_type = resolveType(decl.key.type);
  for (const ast::TableColumn& column : decl.values) {
    table.columns.push_back(TableColumnInfo{column.name, column.loc, resolveType(column.type), {}});
  }
  std::vector<Location> row_locs;
  table.failed = !checkTableShape(decl, table);
  if (!table.failed && decl.path) csvRows(decl, table, &row_locs);
  if (!table.failed && !decl.path) inlineRows(decl, table, &row_locs);
  if (!table.failed) sortRows(decl, table, row_locs);
  tables_.emplace(decl.name, static_cast<uint32_t>(out_.tables.size()));
  out_.tables.push_back(std::move(table));
}

// Keys are int, date or enum (range keys int or date); values any type but string, never missing.
bool Checker::checkTableShape(const ast::TableDecl& decl, TableInfo& table) {
  bool ok = true;
  TypeKind key = table.key_type.kind;
  bool exact_ok = key == TypeKind::Int || key == TypeKind::Date || key == TypeKind::Enum || key == TypeKind::String;
  bool range_ok = key == TypeKind::Int || key == TypeKind::Date;
  if (!exact_ok || (decl.range && !range_ok) || table.key_type.optional) {
    error("E0702", decl.key.type.loc,
          fmt::format("the key of a table is {}, not {}",
                      decl.range ? "an int or a date" : "an int, a date, an enum or a string", kindWords(table.key_type)));
    ok = false;
  }
  if (decl.valid_to && !decl.path) {
    error("E0711", decl.valid_to_loc,
          fmt::format("`until {}` names a column of the table's CSV file; an inline table has none", *decl.valid_to),
          "remove it: inline range rows end where the next row starts");
    ok = false;
  }
  for (size_t column = 0; column < table.columns.size(); ++column) {
    const ir::Type& type = table.columns[column].type;
    if (type.kind != TypeKind::String && !type.optional) continue;
    error("E0703", decl.values[column].type.loc,
          type.optional ? "a table value cannot be missing" : "a table value cannot be a string (yet)",
          type.optional ? "remove the `?`" : "use an enum");
    ok = false;
  }
  return ok;
}

// `rows 1 | 5.00 EUR, 2 | 10.00 EUR end`: a key cell then one cell per value column.
void Checker::inlineRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>* row_locs) {
  for (const std::vector<ast::TestValue>& row : decl.rows) {
    if (row.size() != table.columns.size() + 1) {
      error("E0704", row[0].loc,
            fmt::format("this row has {} cell{}; table `{}` has {} columns (the key and {} value{})", row.size(),
                        row.size() == 1 ? "" : "s", decl.name, table.columns.size() + 1, table.columns.size(),
                        table.columns.size() == 1 ? "" : "s"),
            "separate the cells with `|` and the rows with `,`");
      table.failed = true;
      continue;
    }
    bool ok = checkTestValue(row[0], table.key_type, "the key `" + decl.key.name + "`");
    for (size_t column = 0; column < table.columns.size(); ++column) {
      ok = checkTestValue(row[column + 1], table.columns[column].type, "`" + table.columns[column].name + "`") && ok;
    }
    if (!ok) {
      table.failed = true;
      continue;
    }
    table.keys.push_back(literalValue(out_, *row[0].expr, table.key_type));
    if (table.key_type.isString()) table.str_keys.push_back(row[0].expr->text);
    for (size_t column = 0; column < table.columns.size(); ++column) {
      table.columns[column].values.push_back(literalValue(out_, *row[column + 1].expr, table.columns[column].type));
    }
    row_locs->push_back(row[0].loc);
  }
}

// Rows from the CSV file the loader read at compile time; errors point into the CSV file.
void Checker::csvRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>* row_locs) {
  if (!decl.csv) {
    table.failed = true;  // the loader already reported why it could not read the file
    return;
  }
  std::vector<TableCsvColumn> wanted{{decl.key.name, &table.key_type}};
  for (const TableColumnInfo& column : table.columns) wanted.push_back({column.name, &column.type});
  ir::Type last_day = table.key_type;
  last_day.optional = true;
  if (decl.valid_to) wanted.push_back({*decl.valid_to, &last_day});
  TableCsvResult result = readTableCsv(*decl.csv, wanted);
  for (const TableCsvError& problem : result.errors) error(problem.code, problem.loc, problem.message, problem.hint);
  if (!result.errors.empty()) {
    table.failed = true;
    return;
  }
  table.keys = std::move(result.columns[0]);
  table.str_keys = std::move(result.texts);
  for (size_t column = 0; column < table.columns.size(); ++column) {
    table.columns[column].values = std::move(result.columns[column + 1]);
  }
  *row_locs = std::move(result.row_locs);
  if (decl.valid_to) {
    checkValidTo(decl, table, result.columns.back(), *row_locs);
    if (table.failed) return;
  }
}

// `range until valid_to`: each row's last day is the day before the next row's first day (the last
// row may be open); a gap or an overlap is an error at the row that ends wrongly. Rows in file order.
void Checker::checkValidTo(const ast::TableDecl& decl, TableInfo& table, const std::vector<int64_t>& last_days,
                           const std::vector<Location>& row_locs) {
  std::vector<size_t> order(table.keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return table.keys[a] < table.keys[b]; });
  for (size_t pos = 0; pos < order.size(); ++pos) {
    size_t row = order[pos];
    int64_t last = last_days[row];
    bool final_row = pos + 1 == order.size();
    if (last != kNoValue && last < table.keys[row]) {
      error("E0711", row_locs[row], fmt::format("this row of `{}` ends ({}) before it starts ({})", decl.name,
                                                keyText(table.key_type, last), keyText(table.key_type, table.keys[row])));
      table.failed = true;
      continue;
    }
    if (final_row) continue;
    int64_t next = table.keys[order[pos + 1]];
    if (last != kNoValue && last + 1 == next) continue;
    std::string ends = last == kNoValue ? "has no end" : "ends " + keyText(table.key_type, last);
    bool overlap = last == kNoValue || last >= next;
    error(overlap ? "E0707" : "E0711", row_locs[row],
          fmt::format("this row of `{}` {} but the next row starts {}: {}", decl.name, ends,
                      keyText(table.key_type, next), overlap ? "they overlap" : "there is a gap"),
          fmt::format("`{}` must be the day before the next `{}`", *decl.valid_to, decl.key.name));
    table.failed = true;
  }
}

// Rows in key order; two rows with one key are an error (for range tables: two ranges starting on
// one day overlap), reported at the later row with the line of the earlier one.
void Checker::sortRows(const ast::TableDecl& decl, TableInfo& table, std::vector<Location>& row_locs) {
  if (table.key_type.isString()) {  // rank the strings bytewise; equal strings get equal ranks
    std::vector<std::string> sorted = table.str_keys;
    std::sort(sorted.begin(), sorted.end());
    for (size_t row = 0; row < table.keys.size(); ++row) {
      table.keys[row] = std::lower_bound(sorted.begin(), sorted.end(), table.str_keys[row]) - sorted.begin();
    }
  }
  auto shown = [&](size_t row) {
    return table.key_type.isString() ? "\"" + table.str_keys[row] + "\"" : keyText(table.key_type, table.keys[row]);
  };
  std::vector<size_t> order(table.keys.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return table.keys[a] < table.keys[b]; });
  for (size_t pos = 1; pos < order.size(); ++pos) {
    size_t earlier = order[pos - 1];
    size_t later = order[pos];
    if (table.keys[earlier] != table.keys[later]) continue;
    std::string key = shown(later);
    error("E0707", row_locs[later],
          decl.range ? fmt::format("two ranges of table `{}` start at {} (also line {}): they overlap", decl.name, key,
                                   row_locs[earlier].line)
                     : fmt::format("key {} of table `{}` is already in the row at line {}", key, decl.name,
                                   row_locs[earlier].line),
          "keep one of the rows");
    table.failed = true;
  }
  auto permute = [&](std::vector<int64_t>& values) {
    std::vector<int64_t> sorted;
    for (size_t row : order) sorted.push_back(values[row]);
    values = std::move(sorted);
  };
  permute(table.keys);
  for (TableColumnInfo& column : table.columns) permute(column.values);
  if (table.key_type.isString()) {
    std::vector<std::string> texts;
    for (size_t row : order) texts.push_back(table.str_keys[row]);
    table.str_keys = std::move(texts);
  }
}

// `fees(level)` (one value column) or `fees(level).fee`: the value, or missing when no row matches.
ExprInfo Checker::checkTableLookup(const ast::Expr& expr, uint32_t index) {
  const TableInfo& table = out_.tables[index];
  if (expr.args.size() != 1 || !expr.arg_names[0].empty()) {
    error("E0708", expr.loc, fmt::format("table `{}` takes one key", table.name),
          fmt::format("write {}(key)", table.name));
    return failedInfo();
  }
  const ast::Expr& key = *expr.args[0];
  check(key, &table.key_type);
  if (!plainValue(key) || table.failed) return failedInfo();
  const ir::Type& type = info(key).type;
  if (type.kind != table.key_type.kind || type.members != table.key_type.members) {
    error("E0708", key.loc, fmt::format("the key of `{}` is {} but this value is {}", table.name,
                                        kindWords(table.key_type), kindWords(type)));
    return failedInfo();
  }
  std::optional<uint32_t> column;
  if (expr.member.empty() && table.columns.size() == 1) column = 0;
  for (size_t candidate = 0; candidate < table.columns.size(); ++candidate) {
    if (table.columns[candidate].name == expr.member) column = static_cast<uint32_t>(candidate);
  }
  if (!column) {
    std::string names;
    for (const TableColumnInfo& info : table.columns) names += (names.empty() ? "`" : ", `") + info.name + "`";
    error("E0709", expr.member.empty() ? expr.loc : expr.member_loc,
          expr.member.empty() ? fmt::format("table `{}` has several value columns; say which one", table.name)
                              : fmt::format("table `{}` has no column `{}`", table.name, expr.member),
          fmt::format("the columns are {}: write {}(key).{}", names, table.name, table.columns[0].name));
    return failedInfo();
  }
  out_.symbols[expr.id] = Symbol{SymbolKind::Table, index, *column};
  ExprInfo result;
  result.type = table.columns[*column].type;
  result.type.optional = true;
  return result;
}

}  // namespace regelwerk::sema
