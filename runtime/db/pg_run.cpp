// runWithDatabase: a query's rows become the CSV input of the ordinary run, and its output and rejects
// files are copied into tables, inside one transaction. The ordinary run does all reading, evaluating and
// accounting, so a database run rejects and counts exactly as a file run does.
#include "runtime/db/pg_run.hpp"

#include <stdlib.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

#include "runtime/db/pg_connection.hpp"

namespace regelwerk::db {

namespace fs = std::filesystem;

namespace {

// PostgreSQL's built-in type OIDs (pg_type.dat), the ones with a mapping.
enum Oid : unsigned {
  kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kFloat4 = 700, kFloat8 = 701, kMoney = 790,
  kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTime = 1083, kTimestamp = 1114, kTimestamptz = 1184,
  kNumeric = 1700,
};

bool isText(unsigned oid) { return oid == kText || oid == kVarchar || oid == kBpchar; }
bool isInteger(unsigned oid) { return oid == kInt2 || oid == kInt4 || oid == kInt8; }

// A private folder for the run's CSV files, removed with everything in it when the run ends.
class ScratchFolder {
 public:
  bool create(std::string* error) {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/regelwerk-pg-XXXXXX";
    if (!::mkdtemp(pattern.data())) return *error = "cannot create a temporary folder in " + pattern, false;
    path_ = pattern;
    return true;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    if (!path_.empty()) fs::remove_all(path_, ignored);
  }
  std::string file(const char* name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

// The SQL that renders one query column as the CSV cell the field's reader expects, or nullopt with
// `why` when the column's type does not map to the field's (docs/database.md, "Types").
std::optional<std::string> cellExpression(const ir::InputColumn& input, const QueryColumn& column,
                                          const std::string& quoted, std::string* why) {
  const ir::TypeKind kind = input.type.kind;
  const unsigned oid = column.type_oid;
  const bool plain = input.format.empty() || input.format == "cents" || input.format == "whole.0";
  if (isText(oid)) return quoted;  // text is read as a CSV cell, with the field's declared format
  if (oid == kFloat4 || oid == kFloat8) {
    *why = "binary floating point is not exact; cast it to numeric in the query (" + column.name + "::numeric) if "
           "its values are what you mean";
    return std::nullopt;
  }
  if (oid == kMoney) {
    *why = "PostgreSQL's money type is written by the server's lc_monetary; cast it to numeric in the query";
    return std::nullopt;
  }
  const bool number = kind == ir::TypeKind::Int || kind == ir::TypeKind::Days || kind == ir::TypeKind::Duration ||
                      kind == ir::TypeKind::Decimal || kind == ir::TypeKind::Money || kind == ir::TypeKind::Percent;
  if (number && plain && (isInteger(oid) || oid == kNumeric)) return quoted + "::text";
  if (kind == ir::TypeKind::Bool && input.format.empty() && oid == kBool) return quoted + "::text";  // true/false
  // DateStyle ISO (set for the transaction) writes dates as YYYY-MM-DD; `::text` is the cheapest way there.
  if (kind == ir::TypeKind::Date && input.format.empty() && oid == kDate) return quoted + "::text";
  if (kind == ir::TypeKind::Time && input.format.empty() && oid == kTime) {
    // A fraction of a second stays in the text, so the reader rejects that row with its reason.
    return quoted + "::text";
  }
  if (kind == ir::TypeKind::Timestamp && input.format.empty() && oid == kTimestamptz) {
    return "CASE WHEN date_trunc('second', " + quoted + ") = " + quoted + " THEN to_char(" + quoted +
           " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') ELSE " + quoted +
           "::text || ' (a fraction of a second)' END";
  }
  *why = oid == kTimestamp && kind == ir::TypeKind::Timestamp
             ? "a timestamp without time zone is no instant: select it as timestamptz (" + column.name +
                   " AT TIME ZONE 'Europe/Berlin') or as text with the field's format \"local ZONE\""
             : "it does not map to " + ir::typeName(input.type) +
                   (input.format.empty() ? "" : " with format \"" + input.format + "\"") +
                   " (docs/database.md lists the mappings; a text column is read with the field's format)";
  return std::nullopt;
}

// COPY (SELECT <cells> FROM (<query>) …) TO STDOUT: one CSV column per input field, named by its header.
bool copyOutSql(PgConnection& connection, const ir::Program& program, const std::string& query,
                std::string* sql, std::string* error) {
  std::string body = query;
  while (!body.empty() && (body.back() == ';' || std::isspace(static_cast<unsigned char>(body.back())))) body.pop_back();
  std::vector<QueryColumn> columns;
  if (!connection.describe(body, &columns, error)) return false;
  std::string select;
  for (const ir::InputColumn& input : program.inputs) {
    const QueryColumn* found = nullptr;
    for (const QueryColumn& column : columns) found = found ? found : (column.name == input.header ? &column : nullptr);
    if (!found) {
      std::string names;
      for (const QueryColumn& column : columns) names += (names.empty() ? "" : ", ") + column.name;
      *error = "the input query has no column `" + input.header + "` for the field " + input.name + " (" +
               ir::typeName(input.type) + "); it has " + (names.empty() ? "none" : names);
      return false;
    }
    std::string why;
    std::optional<std::string> cell = cellExpression(input, *found, connection.quoteName(found->name), &why);
    if (!cell) {
      *error = "the input query's column " + found->name + " is " + found->type_name + ", read by the field " +
               input.name + " (" + ir::typeName(input.type) + "): " + why;
      return false;
    }
    select += (select.empty() ? "" : ", ") + *cell + " AS " + connection.quoteName(input.header);
  }
  *sql = "COPY (SELECT " + select + " FROM (" + body + ") AS regelwerk_input) TO STDOUT WITH (FORMAT csv, HEADER true)";
  return true;
}

std::string sqlType(const ir::Type& type) {
  switch (type.kind) {
    case ir::TypeKind::Bool: return "boolean";
    case ir::TypeKind::Int: case ir::TypeKind::Days: case ir::TypeKind::Duration: return "bigint";
    case ir::TypeKind::Decimal: case ir::TypeKind::Money: case ir::TypeKind::Percent: return "numeric";
    case ir::TypeKind::Date: return "date";
    case ir::TypeKind::Timestamp: return "timestamptz";
    case ir::TypeKind::Time: return "time";
    case ir::TypeKind::String: case ir::TypeKind::Enum: return "text";
  }
  return "text";
}

// The table gets the rows of `file` (a CSV file with a header of `columns`); created with `types` when
// it does not exist, else it must have every column.
bool loadTable(PgConnection& connection, const std::string& table, const std::vector<std::string>& columns,
               const std::vector<std::string>& types, const std::string& file, std::string* error) {
  bool exists = false;
  std::vector<std::string> existing;
  if (!connection.tableColumns(table, &exists, &existing, error)) return false;
  std::string list, definitions;
  for (size_t index = 0; index < columns.size(); ++index) {
    const std::string quoted = connection.quoteName(columns[index]);
    list += (list.empty() ? "" : ", ") + quoted;
    definitions += (definitions.empty() ? "" : ", ") + quoted + " " + types[index];
    if (exists && std::find(existing.begin(), existing.end(), columns[index]) == existing.end()) {
      *error = "table " + table + " has no column `" + columns[index] + "`; the run writes " + list +
               " (drop the table to have it created, or add the column)";
      return false;
    }
  }
  if (!exists && !connection.execute("CREATE TABLE " + connection.quoteName(table) + " (" + definitions + ")", error)) {
    return *error = "cannot create table " + table + ": " + *error, false;
  }
  if (!connection.copyIn("COPY " + connection.quoteName(table) + " (" + list + ") FROM STDIN WITH (FORMAT csv, HEADER true)",
                         file, error)) {
    return *error = "cannot copy the rows into " + table + ": " + *error, false;
  }
  return true;
}

RunSummary failed(std::string error) {
  RunSummary summary;
  summary.exit_code = 2;
  summary.error = std::move(error);
  return summary;
}

// The output and rejects tables, after a successful run.
bool loadTables(PgConnection& connection, const ir::Program& program, const DbOptions& db, const RunOptions& options,
                std::string* error) {
  if (!db.output_table.empty()) {
    std::vector<std::string> columns, types;
    for (const ir::Output& output : program.outputs) {
      columns.push_back(output.name);
      types.push_back(sqlType(output.type));
    }
    if (!loadTable(connection, db.output_table, columns, types, options.output_path, error)) return false;
  }
  if (!db.rejects_table.empty()) {
    if (!loadTable(connection, db.rejects_table, {"line", "column", "reason", "record"},
                   {"bigint", "text", "text", "text"}, options.rejects_path, error)) {
      return false;
    }
  }
  return true;
}

}  // namespace

RunSummary runWithDatabase(const RuleSet& rules, const Engine& engine, RunOptions options, const DbOptions& db) {
  const ir::Program& program = rules.program();
  if (program.grouping) {
    return failed(rules.path() + " is a grouped rule set: --input-query and --output-table take one-input rule "
                  "sets for now; run it over files");
  }
  std::string error;
  PgConnection connection;
  ScratchFolder scratch;
  if (!PgConnection::connect(db.conninfo, &connection, &error) || !scratch.create(&error)) return failed(error);
  const bool begun = connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ", &error) &&
                     connection.execute("SET LOCAL DateStyle = 'ISO'", &error) &&
                     connection.execute("SET LOCAL TimeZone = 'UTC'", &error);
  if (!begun) return failed("PostgreSQL: " + error);
  if (!db.input_query.empty()) {
    std::string copy_out;
    options.input_path = scratch.file("input.csv");
    options.separator = ',';
    if (!copyOutSql(connection, program, db.input_query, &copy_out, &error) ||
        !connection.copyOut(copy_out, options.input_path, &error)) {
      return failed(error);
    }
  }
  if (!db.output_table.empty()) options.output_path = scratch.file("output.csv");
  if (!db.rejects_table.empty()) options.rejects_path = scratch.file("rejects.csv");
  RunSummary summary = run(rules, engine, options);
  if (summary.exit_code != 0) return summary;  // the connection closes without COMMIT: nothing is written
  if (!loadTables(connection, program, db, options, &error)) return failed(error);
  if (!connection.execute("COMMIT", &error)) return failed("PostgreSQL did not commit: " + error);
  return summary;
}

}  // namespace regelwerk::db
