// Random input CSV for a generated program: ordinary values mixed with boundary values, missing cells
// (and whole missing optional columns), some deliberately bad cells and rows, so rejects are compared
// too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "program_model.hpp"

namespace regelwerk::difftest {

std::string generateCsv(const GProgram& program, uint64_t seed, int rows);

// The header line and the records of a CSV text (a quoted field may hold line feeds), without line ends.
struct CsvRecords {
  std::string header;
  std::vector<std::string> records;
};
CsvRecords splitRecords(const std::string& csv);
std::string joinRecords(const std::string& header, const std::vector<std::string>& records);
// Keeps only the columns whose header is in `keep` (records that do not split cleanly stay as they are).
std::string keepColumns(const std::string& csv, const std::vector<std::string>& keep, char separator);

}  // namespace regelwerk::difftest
