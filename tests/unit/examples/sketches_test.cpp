// The insolvency and autoresponder sketches of shared/design/LANGUAGE.md as they run
// (examples/sketches): through both engines and at one and two threads, every output file must equal
// the expected file beside the example, byte for byte. The expected files were computed by hand
// (the arithmetic is in examples/sketches/README.md's cases below).
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "regelwerk/regelwerk.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::EngineKind;

const std::string kSketches = RW_SOURCE_DIR "/examples/sketches/";

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
  std::vector<std::pair<std::string, std::string>> inputs;   // input name, file in kSketches
  std::vector<std::pair<std::string, std::string>> outputs;  // record name, expected file in kSketches/expected
  std::vector<std::pair<std::string, std::string>> params;
};

void checkSketch(const Sketch& sketch) {
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(kSketches + sketch.rules, &diagnostics, &io_error);
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
      for (const auto& [name, file] : sketch.inputs) options.named_inputs.emplace_back(name, kSketches + file);
      for (const auto& [name, file] : sketch.outputs) options.named_outputs.emplace_back(name, dir + "/" + file);
      regelwerk::RunSummary summary = regelwerk::run(*rules, *engine, options);
      INFO(sketch.rules << (kind == EngineKind::Jit ? " jit" : " interp") << " threads " << threads << ": " << summary.error);
      REQUIRE(summary.exit_code == 0);
      CHECK(summary.rows_rejected == 0);
      CHECK(summary.rows_in == summary.rows_out);
      for (const auto& [name, file] : sketch.outputs) {
        CHECK(readFile(dir + "/" + file) == readFile(kSketches + "expected/" + file));
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
