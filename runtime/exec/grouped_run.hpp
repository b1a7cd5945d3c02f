// The grouped half of regelwerk::run (docs/groups.md): several keyed inputs, one output row per group.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk {

// The run's inputs in the order the worker expects: the one input, then each item stage.
struct RunInput {
  std::string name;
  std::string path;
  const ir::Program* program;  // whose inputs the records are parsed into
  std::vector<ir::InputColumn> columns;
  std::string key_header;
  bool shared = false;  // `input X shared`: every group reads all its records
  char separator = 0;   // `input X separator ";"`; 0: the run's
};

std::vector<RunInput> runInputs(const ir::Program& program);

// One output record of the run (GroupedContext::writers): its name, columns and file.
struct RunRecord {
  std::string name;
  const std::vector<ir::Output>* columns = nullptr;  // null: the group program has no outputs
  std::string path;     // "" for an optional record the run does not write
  bool optional = false;  // a derived input's records: written only when the run names a file
};

std::vector<RunRecord> runRecords(const ir::Program& program);

// Called by run() once the options are checked and the params bound, for a rule set with a Grouping.
RunSummary runGrouped(const RuleSet& rules, const Engine& engine, const RunOptions& options,
                      const std::vector<ParamSlot>& params);

}  // namespace regelwerk
