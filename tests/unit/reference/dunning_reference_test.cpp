// examples/dunning/dunning.rules against bench/dunning_reference (written from shared/bench/dunning.md):
// every output row, every column, on both engines, several thread counts and batch sizes.
#include "bench/dunning_reference.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk::test {
namespace {

using dunning::Decision;
using dunning::Invoice;
using dunning::OutputRow;

// A scratch file under the temp directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / ("rw_reference_" + std::to_string(::getpid()) + "_" + name))
                  .string()) {}
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Writes `rows` invoices of seed 42 with bench/gen_dunning (the shared generator).
void generate(int64_t rows, const std::string& path) {
  const std::string command = std::string("'") + RW_GEN_DUNNING + "' " + std::to_string(rows) + " 42 > '" + path + "'";
  REQUIRE(std::system(command.c_str()) == 0);
}

std::vector<Invoice> readInvoices(const std::string& path) {
  std::vector<Invoice> invoices;
  std::string error;
  const bool read = dunning::readInvoices(path, &invoices, &error);
  INFO(error);
  REQUIRE(read);
  return invoices;
}

struct Engines {
  std::unique_ptr<RuleSet> rules;
  std::unique_ptr<Engine> jit;
  std::unique_ptr<Engine> interp;
};

Engines loadDunning() {
  Engines engines;
  Diagnostics diagnostics;
  std::string error;
  engines.rules = RuleSet::load(RW_SOURCE_DIR "/examples/dunning/dunning.rules", &diagnostics, &error);
  INFO(error << diagnostics.text);
  REQUIRE(engines.rules);
  engines.jit = Engine::create(*engines.rules, EngineKind::Jit, &error);
  engines.interp = Engine::create(*engines.rules, EngineKind::Interp, &error);
  INFO(error);
  REQUIRE(engines.jit);
  REQUIRE(engines.interp);
  return engines;
}

// Runs the rules over `input` and returns the output rows, parsed.
std::vector<OutputRow> runEngine(const Engines& engines, const Engine& engine, const std::string& input, int threads,
                                 size_t batch_size) {
  TempFile output("out.csv");
  RunOptions options;
  options.input_path = input;
  options.output_path = output.path();
  options.threads = threads;
  options.batch_size = batch_size;
  const RunSummary summary = run(*engines.rules, engine, options);
  INFO(summary.error);
  REQUIRE(summary.exit_code == 0);
  std::vector<OutputRow> rows;
  std::string error;
  const bool read = dunning::readOutputRows(output.path(), &rows, &error);
  INFO(error);
  REQUIRE(read);
  return rows;
}

// "" when every row equals the reference; else the first row that differs, both ways.
std::string firstDifference(const std::vector<Invoice>& invoices, const std::vector<OutputRow>& rows) {
  if (rows.size() != invoices.size())
    return std::to_string(rows.size()) + " output rows for " + std::to_string(invoices.size()) + " invoices";
  for (size_t row = 0; row < rows.size(); ++row) {
    const Decision expected = dunning::decide(invoices[row]);
    if (rows[row].id == invoices[row].id && rows[row].decision == expected) continue;
    return "engine `" + dunning::formatOutputRow(rows[row].id, rows[row].decision) + "`, reference `" +
           dunning::formatOutputRow(invoices[row].id, expected) + "`";
  }
  return "";
}

dunning::Checksum checksumOf(const std::vector<OutputRow>& rows) {
  dunning::Checksum checksum;
  for (const OutputRow& row : rows) checksum.add(row.decision);
  return checksum;
}

TEST_CASE("the reference reproduces the 100k checksum of dunning.md", "[reference]") {
  TempFile input("in100k.csv");
  generate(100000, input.path());
  dunning::Checksum checksum;
  for (const Invoice& invoice : readInvoices(input.path())) checksum.add(dunning::decide(invoice));
  CHECK(checksum.line() == dunning::documentedChecksum(100000));
}

TEST_CASE("the reference decides hand-picked invoices as dunning.md says", "[reference]") {
  Invoice invoice;
  std::string error;
  // Level 1, notice 20 days before as_of, business: first notice fee 40.00; 1000.00 open for 365 days at 10.27%.
  REQUIRE(dunning::parseInvoice("7,business,100000,0,2025-11-21,2026-11-01,1,false", &invoice, &error));
  CHECK(dunning::decide(invoice) == Decision{dunning::Action::Notice, 2, 4000, 10270});
  // Level 3, 49.99 open: write-off, level stays 3.
  REQUIRE(dunning::parseInvoice("8,consumer,4999,0,2026-11-20,2026-11-01,3,false", &invoice, &error));
  CHECK(dunning::decide(invoice) == Decision{dunning::Action::WriteOff, 3, 0, 1});
  // Disputed: nothing, no interest.
  REQUIRE(dunning::parseInvoice("9,consumer,4999,0,2025-01-01,,0,true", &invoice, &error));
  CHECK(dunning::decide(invoice) == Decision{dunning::Action::None, 0, 0, 0});
}

TEST_CASE("dunning.rules equals the reference on every row, both engines", "[reference][dunning]") {
  TempFile input("in20k.csv");
  generate(20000, input.path());
  const std::vector<Invoice> invoices = readInvoices(input.path());
  const Engines engines = loadDunning();
  for (const Engine* engine : {engines.jit.get(), engines.interp.get()}) {
    for (int threads : {1, 2}) {
      for (size_t batch_size : {size_t{7}, size_t{2048}}) {
        INFO((engine->kind() == EngineKind::Jit ? "jit" : "interp")
             << ", threads " << threads << ", batch " << batch_size);
        CHECK(firstDifference(invoices, runEngine(engines, *engine, input.path(), threads, batch_size)) == "");
      }
    }
  }
}

TEST_CASE("dunning.rules reproduces the 100k checksum of dunning.md, both engines", "[reference][dunning]") {
  TempFile input("in100k.csv");
  generate(100000, input.path());
  const Engines engines = loadDunning();
  for (const Engine* engine : {engines.jit.get(), engines.interp.get()}) {
    INFO((engine->kind() == EngineKind::Jit ? "jit" : "interp"));
    CHECK(checksumOf(runEngine(engines, *engine, input.path(), 2, 2048)).line() == dunning::documentedChecksum(100000));
  }
}

}  // namespace
}  // namespace regelwerk::test
