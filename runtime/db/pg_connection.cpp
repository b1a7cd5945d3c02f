// libpq behind PgConnection. Everything is synchronous and on the caller's thread.
#include "runtime/db/pg_connection.hpp"

#include "runtime/db/libpq.hpp"

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace regelwerk::db {

namespace {

// The server's message without the trailing line end.
std::string oneLine(const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

bool hasPassword(const Libpq* pq, const std::string& conninfo, std::string* error) {
  char* parse_error = nullptr;
  PQconninfoOption* options = pq->PQconninfoParse(conninfo.c_str(), &parse_error);
  if (!options) {
    *error = "the connection string does not parse: " + oneLine(parse_error);
    pq->PQfreemem(parse_error);
    return true;
  }
  bool found = false;
  for (PQconninfoOption* option = options; option->keyword; ++option) {
    if (std::string(option->keyword) == "password" && option->val && *option->val) found = true;
  }
  pq->PQconninfoFree(options);
  if (found) {
    *error = "the connection string carries a password, which would be visible in the process list and the shell "
             "history: give it in PGPASSWORD, PGPASSFILE or ~/.pgpass instead";
  }
  return found;
}

}  // namespace

bool PgConnection::connect(const std::string& conninfo, PgConnection* out, std::string* error) {
  const Libpq* pq = loadLibpq(error);
  if (!pq || hasPassword(pq, conninfo, error)) return false;
  PGconn* connection = pq->PQconnectdb(conninfo.c_str());
  if (pq->PQstatus(connection) != CONNECTION_OK) {
    *error = "cannot connect to PostgreSQL: " + oneLine(pq->PQerrorMessage(connection));
    pq->PQfinish(connection);
    return false;
  }
  *out = PgConnection(pq, connection);
  return true;
}

PgConnection::PgConnection(PgConnection&& other) noexcept : pq_(other.pq_), connection_(other.connection_) {
  other.connection_ = nullptr;
}

PgConnection& PgConnection::operator=(PgConnection&& other) noexcept {
  if (this != &other) {
    if (connection_) pq_->PQfinish(connection_);
    pq_ = other.pq_;
    connection_ = other.connection_;
    other.connection_ = nullptr;
  }
  return *this;
}

PgConnection::~PgConnection() {
  if (connection_) pq_->PQfinish(connection_);
}

void PgConnection::ResultDeleter::operator()(pg_result* result) const { pq->PQclear(result); }
PgConnection::Result PgConnection::own(PGresult* result) const { return Result(result, ResultDeleter{pq_}); }

std::string PgConnection::lastError() const { return oneLine(pq_->PQerrorMessage(connection_)); }

bool PgConnection::execute(const std::string& sql, std::string* error) {
  Result result = own(pq_->PQexec(connection_, sql.c_str()));
  ExecStatusType status = pq_->PQresultStatus(result.get());
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return true;
  *error = lastError();
  return false;
}

bool PgConnection::describe(const std::string& query, std::vector<QueryColumn>* columns, std::string* error) {
  Result prepared = own(pq_->PQprepare(connection_, "regelwerk_input", query.c_str(), 0, nullptr));
  if (pq_->PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) return *error = "the input query: " + lastError(), false;
  Result described = own(pq_->PQdescribePrepared(connection_, "regelwerk_input"));
  if (pq_->PQresultStatus(described.get()) != PGRES_COMMAND_OK) return *error = "the input query: " + lastError(), false;
  columns->clear();
  for (int index = 0; index < pq_->PQnfields(described.get()); ++index) {
    QueryColumn column{pq_->PQfname(described.get(), index), static_cast<unsigned>(pq_->PQftype(described.get(), index)), ""};
    std::string sql = "SELECT format_type(" + std::to_string(column.type_oid) + ", NULL)";
    Result named = own(pq_->PQexec(connection_, sql.c_str()));
    if (pq_->PQresultStatus(named.get()) == PGRES_TUPLES_OK && pq_->PQntuples(named.get()) == 1) {
      column.type_name = pq_->PQgetvalue(named.get(), 0, 0);
    }
    columns->push_back(column);
  }
  return execute("DEALLOCATE regelwerk_input", error);
}

bool PgConnection::copyOut(const std::string& copy_sql, const std::string& path, std::string* error) {
  Result started = own(pq_->PQexec(connection_, copy_sql.c_str()));
  if (pq_->PQresultStatus(started.get()) != PGRES_COPY_OUT) return *error = lastError(), false;
  std::ofstream file(path, std::ios::binary);
  char* buffer = nullptr;
  int bytes = 0;
  while ((bytes = pq_->PQgetCopyData(connection_, &buffer, 0)) > 0) {
    file.write(buffer, bytes);
    pq_->PQfreemem(buffer);
  }
  Result finished = own(pq_->PQgetResult(connection_));
  while (Result more = own(pq_->PQgetResult(connection_))) {
  }
  file.close();
  if (bytes == -2 || pq_->PQresultStatus(finished.get()) != PGRES_COMMAND_OK) return *error = lastError(), false;
  if (!file) return *error = "cannot write " + path, false;
  return true;
}

bool PgConnection::copyIn(const std::string& copy_sql, const std::string& path, std::string* error) {
  Result started = own(pq_->PQexec(connection_, copy_sql.c_str()));
  if (pq_->PQresultStatus(started.get()) != PGRES_COPY_IN) return *error = lastError(), false;
  std::ifstream file(path, std::ios::binary);
  std::vector<char> buffer(1 << 20);
  bool sent = true;
  while (sent && file) {
    file.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (file.gcount() > 0) sent = pq_->PQputCopyData(connection_, buffer.data(), static_cast<int>(file.gcount())) == 1;
  }
  const bool read_all = file.eof();
  if (pq_->PQputCopyEnd(connection_, sent && read_all ? nullptr : "regelwerk could not send the whole file") != 1) {
    return *error = lastError(), false;
  }
  Result finished = own(pq_->PQgetResult(connection_));
  while (Result more = own(pq_->PQgetResult(connection_))) {
  }
  if (pq_->PQresultStatus(finished.get()) != PGRES_COMMAND_OK) return *error = lastError(), false;
  if (!read_all) return *error = "cannot read " + path, false;
  return true;
}

bool PgConnection::tableColumns(const std::string& table, bool* exists, std::vector<std::string>* columns,
                                std::string* error) {
  const std::string regclass_text = quoteLiteral(quoteName(table));
  const std::string sql = "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(" + regclass_text +
                          ") AND attnum > 0 AND NOT attisdropped ORDER BY attnum";
  Result result = own(pq_->PQexec(connection_, sql.c_str()));
  if (pq_->PQresultStatus(result.get()) != PGRES_TUPLES_OK) return *error = lastError(), false;
  Result regclass = own(pq_->PQexec(connection_, ("SELECT to_regclass(" + regclass_text + ") IS NOT NULL").c_str()));
  if (pq_->PQresultStatus(regclass.get()) != PGRES_TUPLES_OK) return *error = lastError(), false;
  *exists = std::string(pq_->PQgetvalue(regclass.get(), 0, 0)) == "t";
  columns->clear();
  for (int row = 0; row < pq_->PQntuples(result.get()); ++row) columns->push_back(pq_->PQgetvalue(result.get(), row, 0));
  return true;
}

std::string PgConnection::quoteName(const std::string& name) const {
  std::string quoted;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    char* escaped = pq_->PQescapeIdentifier(connection_, part.c_str(), part.size());
    quoted += (quoted.empty() ? "" : ".") + std::string(escaped ? escaped : "\"\"");
    pq_->PQfreemem(escaped);
    if (dot == std::string::npos) return quoted;
    start = dot + 1;
  }
}

std::string PgConnection::quoteLiteral(const std::string& text) const {
  char* escaped = pq_->PQescapeLiteral(connection_, text.c_str(), text.size());
  std::string quoted = escaped ? escaped : "''";
  pq_->PQfreemem(escaped);
  return quoted;
}

}  // namespace regelwerk::db
