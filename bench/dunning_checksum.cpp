// `dunning_checksum IN.csv` prints the reference CHECKSUM of an input file (decided by the reference
// implementation); `dunning_checksum --output OUT.csv` prints the CHECKSUM of an output file written
// by any engine. Equal lines mean equal counts and sums; use it to check other systems' output.
#include <cstdio>
#include <string>
#include <vector>

#include "bench/dunning_reference.hpp"

namespace {

using namespace regelwerk::dunning;

bool checksumOfInput(const std::string& path, Checksum* checksum, std::string* error) {
  std::vector<Invoice> invoices;
  if (!readInvoices(path, &invoices, error)) return false;
  for (const Invoice& invoice : invoices) checksum->add(decide(invoice));
  return true;
}

bool checksumOfOutput(const std::string& path, Checksum* checksum, std::string* error) {
  std::vector<OutputRow> rows;
  if (!readOutputRows(path, &rows, error)) return false;
  for (const OutputRow& row : rows) checksum->add(row.decision);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const bool output = argc == 3 && std::string(argv[1]) == "--output";
  if (argc != 2 && !output) {
    std::fprintf(stderr, "usage: dunning_checksum IN.csv | dunning_checksum --output OUT.csv\n");
    return 2;
  }
  Checksum checksum;
  std::string error;
  const bool ok = output ? checksumOfOutput(argv[2], &checksum, &error) : checksumOfInput(argv[1], &checksum, &error);
  if (!ok) {
    std::fprintf(stderr, "dunning_checksum: %s\n", error.c_str());
    return 2;
  }
  std::printf("%s\n", checksum.line().c_str());
  return 0;
}
