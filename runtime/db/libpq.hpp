// libpq, loaded when a run first talks to PostgreSQL (dlopen), not when the command starts: linking it
// would make every `regelwerk` process load libpq and its dependencies (TLS, Kerberos, LDAP), about
// 30 ms of start-up that only runs with --input-query or --output-table use.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace regelwerk::db {

// Every libpq function the database runs call, once each (X-macro: the struct and the loader).
#define RW_LIBPQ_FUNCTIONS(X)                                                                            \
  X(PQclear) X(PQconnectdb) X(PQconninfoFree) X(PQconninfoParse) X(PQdescribePrepared) X(PQerrorMessage) \
  X(PQescapeIdentifier) X(PQescapeLiteral) X(PQexec) X(PQfinish) X(PQfname) X(PQfreemem) X(PQftype)      \
  X(PQgetCopyData) X(PQgetResult) X(PQgetvalue) X(PQnfields) X(PQntuples) X(PQprepare) X(PQputCopyData) \
  X(PQputCopyEnd) X(PQresultStatus) X(PQstatus)

struct Libpq {
#define RW_LIBPQ_MEMBER(name) decltype(&::name) name = nullptr;
  RW_LIBPQ_FUNCTIONS(RW_LIBPQ_MEMBER)
#undef RW_LIBPQ_MEMBER
};

// The loaded library (loaded on the first call; thread-safe); null with `error` when libpq.so.5 or one
// of its functions cannot be found.
const Libpq* loadLibpq(std::string* error);

}  // namespace regelwerk::db
