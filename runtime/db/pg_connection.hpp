// A PostgreSQL connection through libpq: connect without a password on the command line, run statements,
// COPY a query's result out to a file and a file into a table. Errors are one line with the server's text.
#pragma once

#include <memory>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace regelwerk::db {

struct Libpq;

// One column of a query's result: its name and type as the server describes it (OID and its SQL name).
struct QueryColumn {
  std::string name;
  unsigned type_oid = 0;
  std::string type_name;  // "numeric", "timestamp with time zone"
};

class PgConnection {
 public:
  // Connects with a libpq connection string ("host=/run/pg dbname=billing"), or, when it is empty, with
  // the PG* environment variables alone. A string that carries a password is refused before connecting
  // (it would sit in the shell history and the process list): PGPASSWORD, PGPASSFILE or ~/.pgpass.
  static bool connect(const std::string& conninfo, PgConnection* out, std::string* error);
  PgConnection() = default;
  PgConnection(PgConnection&& other) noexcept;
  PgConnection& operator=(PgConnection&& other) noexcept;
  PgConnection(const PgConnection&) = delete;
  ~PgConnection();

  bool execute(const std::string& sql, std::string* error);
  // The columns `query` would return (prepared and described, not run).
  bool describe(const std::string& query, std::vector<QueryColumn>* columns, std::string* error);
  // Runs `COPY (select) TO STDOUT …` and writes what the server sends to `path`.
  bool copyOut(const std::string& copy_sql, const std::string& path, std::string* error);
  // Runs `COPY table … FROM STDIN …` with the bytes of `path`.
  bool copyIn(const std::string& copy_sql, const std::string& path, std::string* error);
  // Whether `table` ("name" or "schema.name", each part taken literally, case included) exists (the
  // search path applies); its column names, in order, when it does.
  bool tableColumns(const std::string& table, bool* exists, std::vector<std::string>* columns, std::string* error);
  // "schema"."table" for "schema.table": each part quoted by the server's rules.
  std::string quoteName(const std::string& name) const;
  std::string quoteLiteral(const std::string& text) const;

 private:
  struct ResultDeleter {
    const Libpq* pq;
    void operator()(pg_result* result) const;
  };
  using Result = std::unique_ptr<pg_result, ResultDeleter>;
  PgConnection(const Libpq* pq, pg_conn* connection) : pq_(pq), connection_(connection) {}
  Result own(pg_result* result) const;  // freed with PQclear
  std::string lastError() const;
  const Libpq* pq_ = nullptr;  // libpq, loaded on the first connect (runtime/db/libpq.hpp)
  pg_conn* connection_ = nullptr;
};

}  // namespace regelwerk::db
