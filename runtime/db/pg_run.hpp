// `regelwerk run` against PostgreSQL: the input from a query, the outputs and rejects into tables, all in
// one transaction so that a failed run writes nothing (docs/database.md).
#pragma once

#include <string>

#include "runtime/exec/api.hpp"

namespace regelwerk::db {

struct DbOptions {
  std::string conninfo;       // libpq connection string; empty: the PG* environment variables
  std::string input_query;    // empty: the input is the file of RunOptions::input_path
  std::string output_table;   // empty: the output is the file of RunOptions::output_path
  std::string rejects_table;  // empty: RunOptions::rejects_path (or stop at the first rejected row)
  bool any() const { return !input_query.empty() || !output_table.empty() || !rejects_table.empty(); }
};

// Runs `rules` like run(), reading the query's rows and writing the tables through COPY, inside one
// transaction (REPEATABLE READ, so the query sees one snapshot): committed only when the run succeeds.
// The rows travel through private temporary CSV files ($TMPDIR), removed afterwards.
RunSummary runWithDatabase(const RuleSet& rules, const Engine& engine, RunOptions options, const DbOptions& db);

}  // namespace regelwerk::db
