// The insolvency and autoresponder sketches of shared/design/LANGUAGE.md as they run
// (examples/sketches), and examples/network-advice: through both engines and at one and two threads,
// every output file must equal the expected file in the example's expected/ folder, byte for byte. The
// expected files were computed by hand (the arithmetic is in the cases below and the examples' READMEs).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "runtime/exec/api.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::EngineKind;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// A scratch folder of this test under the build tree, unique per process.
std::string scratch(const std::string& name) {
  fs::path dir = fs::path(RW_BINARY_DIR) / "sketches-scratch" / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

struct Sketch {
  std::string rules;
  // input name, file in the folder; record name, expected file in folder/expected. A rule set without
  // keyed inputs reads and writes one file each: its name is empty (`--input FILE`, `--output FILE`).
  std::vector<std::pair<std::string, std::string>> inputs;
  std::vector<std::pair<std::string, std::string>> outputs;
  std::vector<std::pair<std::string, std::string>> params;
  std::string folder = "sketches";                           // under examples/
};

void checkSketch(const Sketch& sketch) {
  const std::string folder = RW_SOURCE_DIR "/examples/" + sketch.folder + "/";
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(folder + sketch.rules, &diagnostics, &io_error);
  INFO(diagnostics.text << io_error);
  REQUIRE(rules);
  for (EngineKind kind : {EngineKind::Interp, EngineKind::Jit}) {
    std::string error;
    auto engine = regelwerk::Engine::create(*rules, kind, &error);
    REQUIRE(engine);
    for (int threads : {1, 2}) {
      std::string dir = scratch(sketch.rules);
      regelwerk::RunOptions options;
      options.threads = threads;
      options.params = sketch.params;
      for (const auto& [name, file] : sketch.inputs) {
        if (name.empty()) options.input_path = folder + file;
        else options.named_inputs.emplace_back(name, folder + file);
      }
      for (const auto& [name, file] : sketch.outputs) {
        if (name.empty()) options.output_path = dir + "/" + file;
        else options.named_outputs.emplace_back(name, dir + "/" + file);
      }
      regelwerk::RunSummary summary = regelwerk::run(*rules, *engine, options);
      INFO(sketch.rules << (kind == EngineKind::Jit ? " jit" : " interp") << " threads " << threads << ": " << summary.error);
      REQUIRE(summary.exit_code == 0);
      CHECK(summary.rows_rejected == 0);
      CHECK(summary.rows_in == summary.rows_out);
      for (const auto& [name, file] : sketch.outputs) {
        CHECK(readFile(dir + "/" + file) == readFile(folder + "expected/" + file));
      }
      fs::remove_all(dir);
    }
  }
}

}  // namespace

// E1: costs 150.00 and estate debt 250.00 are paid in full from 1,000.00 + 100.00 collateral surplus;
// 700.00 for 1,500.00 of unsecured claims: 373.33 / 163.33 / 163.33 plus one cent, all three with
// remainder 50000 — byte order gives it to `Supplier` (0x53) before `bank` and `supplier`. E2: § 26
// (free assets below the opening costs). E3: the subordinated ranks in rank order, 49,400.00 left over.
TEST_CASE("sketches: the insolvency sketch of LANGUAGE.md runs and shares to the cent", "[examples]") {
  checkSketch(Sketch{"insolvency.rules",
                     {{"Estate", "insolvency_estates.csv"}, {"Claim", "insolvency_claims.csv"}},
                     {{"Estate_result", "insolvency_estates_out.csv"}, {"Payout", "insolvency_payouts_out.csv"}},
                     {}});
}

// now = 2025-03-10T10:00:00Z (11:00 in Berlin): anna signed up 30 min ago and opted in (welcome); bert's
// cart is 46 h old, nothing bought, one send this week (reminder); carl bought after his cart; dora
// unsubscribed; emil had three sends in 7 days; fred's cart is 23 h old (his purchase lies after now).
TEST_CASE("sketches: the autoresponder sketch of LANGUAGE.md runs", "[examples]") {
  checkSketch(Sketch{"autoresponder.rules",
                     {{"Event", "autoresponder_events.csv"}},
                     {{"Mails", "autoresponder_mails_out.csv"}},
                     {{"now", "2025-03-10T10:00:00Z"}}});
}

// DOMAIN.md B-R1 over proposals.csv, whose rows are the vectors B1–B8 (yes/no cells): one invest (B1, with
// network management), one punctual contract (B3), six do_not_invest with their reasons in checklist order
// (B4 without c2, B5 "c3, c4", B8 all six but c2).
TEST_CASE("network-advice: Lobnig's checklist over the eight proposals of the example", "[examples]") {
  checkSketch(Sketch{"network_advice.rules",
                     {{"", "proposals.csv"}},
                     {{"", "network_advice_out.csv"}},
                     {},
                     "network-advice"});
}
