// examples/bank-campaign over the raw UCI bank-full.csv through the public API on both engines: the whole
// output file must equal, byte for byte, the rows computed here from the raw file with plain C++ (a
// `;`-split, quotes stripped, the segment and follow-up written as nested ifs, not by rules), and the
// counts must add up (45,211 in, 45,211 out, none rejected). Skipped, with a notice, when
// ../shared/data is absent.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/exec/api.hpp"
#include "tests/unit/examples/example_data.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::EngineKind;
using regelwerk::testing::examples::dataDir;
using regelwerk::testing::examples::haveData;


std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// `58;"management";"married"` → 58, management, married (no cell of bank-full.csv holds `;` or `"`).
std::vector<std::string> cellsOf(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream stream(line);
  std::string cell;
  while (std::getline(stream, cell, ';')) {
    if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"') cell = cell.substr(1, cell.size() - 2);
    cells.push_back(cell);
  }
  return cells;
}

struct Client {
  int64_t age, balance, call_seconds, campaign, pdays;
  std::string job, marital, housing, in_default, contact, poutcome, subscribed;
};

Client clientOf(const std::vector<std::string>& cells) {
  return {std::stoll(cells[0]), std::stoll(cells[5]), std::stoll(cells[11]), std::stoll(cells[12]), std::stoll(cells[13]),
          cells[1],  cells[2],  cells[6],  cells[4],  cells[8],  cells[15], cells[16]};
}

std::string segmentOf(const Client& client) {
  if (client.in_default == "yes" || client.balance < 0) return "in_debt";
  if (client.balance >= 5000) return "affluent";
  if (client.job == "student" || client.age < 25) return "student";
  if (client.job == "retired" || client.age >= 60) return "senior";
  if (client.marital == "married" && client.housing == "yes") return "family";
  return "standard";
}

// The follow-up and the days to wait (README.md's table, in its order).
std::pair<std::string, int64_t> followUpOf(const Client& client) {
  if (client.subscribed == "yes") return {"onboard", 0};
  if (client.in_default == "yes") return {"no_contact", 0};
  if (client.poutcome == "success") return {"advisor_call", 0};
  if (client.campaign >= 10) return {"stop", 0};
  if (client.poutcome == "failure" && client.pdays >= 0 && client.pdays <= 90) return {"wait", 91 - client.pdays};
  if (client.balance < 0) return {"no_contact", 0};
  if (client.call_seconds >= 300 && client.contact != "unknown") return {"call_back", 0};
  return {"mail", 0};
}

struct Expected {
  std::string output;  // the whole output file
  std::map<std::string, int64_t> segments, follow_ups;
  int64_t rows = 0, wait_days = 0;
};

Expected expectedFrom(const std::string& path) {
  Expected expected;
  expected.output = "age;job;balance;segment;follow_up;wait_days\n";
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const Client client = clientOf(cellsOf(line));
    const std::string segment = segmentOf(client);
    const auto [follow_up, wait] = followUpOf(client);
    expected.output += std::to_string(client.age) + ";" + client.job + ";" + std::to_string(client.balance) + ".00;" +
                       segment + ";" + follow_up + ";" + std::to_string(wait) + "\n";
    ++expected.segments[segment];
    ++expected.follow_ups[follow_up];
    ++expected.rows;
    expected.wait_days += wait;
  }
  return expected;
}

}  // namespace

TEST_CASE("bank-campaign: segments and follow-ups against the raw UCI bank-full.csv, both engines",
          "[examples][bank]") {
  if (!haveData("uci-bank-marketing/bank-full.csv", "examples/bank-campaign")) return;
  const std::string input = dataDir() + "/uci-bank-marketing/bank-full.csv";
  const Expected expected = expectedFrom(input);
  REQUIRE(expected.rows == 45211);
  // The README's table.
  CHECK(expected.follow_ups.at("onboard") == 5289);
  CHECK(expected.follow_ups.at("wait") == 216);
  CHECK(expected.segments.at("family") == 12295);

  regelwerk::Diagnostics diagnostics;
  std::string error;
  auto rules = regelwerk::RuleSet::load(RW_SOURCE_DIR "/examples/bank-campaign/bank_campaign.rules", &diagnostics, &error);
  INFO(diagnostics.text << error);
  REQUIRE(rules);
  const fs::path dir = fs::path(RW_BINARY_DIR) / "examples-bank-scratch" / std::to_string(::getpid());
  fs::create_directories(dir);
  for (EngineKind kind : {EngineKind::Interp, EngineKind::Jit}) {
    const std::string engine_name = kind == EngineKind::Jit ? "jit" : "interp";
    INFO("engine " << engine_name);
    auto engine = regelwerk::Engine::create(*rules, kind, &error);
    REQUIRE(engine);
    regelwerk::RunOptions options;
    options.input_path = input;
    options.output_path = (dir / (engine_name + ".csv")).string();
    options.rejects_path = (dir / (engine_name + "_rejects.csv")).string();
    options.separator = regelwerk::declaredSeparator(*rules);
    const regelwerk::RunSummary summary = regelwerk::run(*rules, *engine, options);
    INFO(summary.error);
    REQUIRE(summary.exit_code == 0);
    CHECK(summary.rows_in == 45211);
    CHECK(summary.rows_out == 45211);
    CHECK(summary.rows_rejected == 0);
    for (const auto& tally : summary.tallies) {
      const auto& want = tally.output == "segment" ? expected.segments : expected.follow_ups;
      if (tally.output != "segment" && tally.output != "follow_up") continue;
      for (const auto& [member, rows] : tally.counts) {
        INFO(tally.output << " = " << member);
        CHECK(rows == (want.count(member) ? want.at(member) : 0));
      }
    }
    const bool same = readAll(options.output_path) == expected.output;
    CHECK(same);
  }
  fs::remove_all(dir);
}
