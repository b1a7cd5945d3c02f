// Minimizes a disagreeing case: drops rows (delta debugging), blocks, rules, assignments, outputs,
// lets, params, fields, functions, tables, table rows and the module (or its blocks and outputs), and
// replaces expressions by a child or a plain literal, keeping each step only while the program still
// checks and the engines still disagree.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "differential_run.hpp"
#include "program_model.hpp"

namespace regelwerk::difftest {

// Runs a candidate; the case still fails when the verdict checks and does not agree.
// `module` is the text of gen_module.rules, empty when the program uses no module.
using Oracle = std::function<Verdict(const std::string& rules, const std::string& module, const std::string& csv,
                                     const Params& params)>;

struct Reproducer {
  GProgram program;
  std::string csv;
  std::string detail;  // the disagreement the smallest case still shows
  int attempts = 0;
};

Reproducer shrinkCase(const GProgram& program, const std::string& csv, const Oracle& oracle, int budget);

// Writes program.rules, gen_module.rules (if used), input.csv, params (`name=value` lines) and
// note.txt under `found/<seed>/`; returns that folder.
std::filesystem::path saveReproducer(const Reproducer& reproducer, const std::filesystem::path& found, uint64_t seed);

}  // namespace regelwerk::difftest
