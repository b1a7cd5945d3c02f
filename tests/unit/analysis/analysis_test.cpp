// The whole-rule-set checks beyond their goldens (tests/golden/check/findings): every counterexample
// replays with the command the finding prints, through both engines, and shows what the finding says;
// an exhausted budget proves nothing; the standard library and the examples have no finding.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/analysis/analysis.hpp"
#include "runtime/exec/api.hpp"

namespace fs = std::filesystem;
using regelwerk::RuleSet;
using regelwerk::analysis::Finding;

namespace {

const fs::path kRoot(RW_SOURCE_DIR);
const fs::path kCommand = fs::path(RW_BINARY_DIR) / "cli" / "regelwerk";

std::unique_ptr<RuleSet> loadRules(const fs::path& path) {
  regelwerk::Diagnostics diagnostics;
  std::string io_error;
  auto rules = RuleSet::load(path.string(), &diagnostics, &io_error);
  INFO(path.string() << ": " << diagnostics.text << io_error);
  REQUIRE(rules);
  return rules;
}

// A folder of the build tree for one test case and one file: ctest runs cases in parallel.
fs::path scratch(const std::string& test, const std::string& name) {
  fs::path dir = fs::path(RW_BINARY_DIR) / "analysis-scratch" / test / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs a shell command; its standard output and error together.
std::string shell(const std::string& command, int* status) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  size_t got = 0;
  while ((got = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, got);
  int raw = pclose(pipe);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return output;
}

std::string fileText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The line of `--explain`'s trace about the decision block at `block_line`.
std::string blockLine(const std::string& explanation, uint32_t block_line) {
  std::istringstream lines(explanation);
  std::string line;
  std::string marker = "(line " + std::to_string(block_line) + "):";
  while (std::getline(lines, line)) {
    if (line.find(marker) != std::string::npos) return line;
  }
  return "";
}

std::vector<fs::path> findingsGoldens() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kRoot / "tests/golden/check/findings")) {
    if (entry.path().extension() == ".rules") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The `decide` line of the block a finding is about (W0405 is reported at the `decide` itself).
uint32_t blockOf(const regelwerk::ir::Program& program, const Finding& finding) {
  for (const auto& decision : program.decisions) {
    if (decision.loc == finding.diagnostic.loc) return decision.loc.line;
    for (const auto& rule : decision.rules) {
      if (rule.loc == finding.diagnostic.loc) return decision.loc.line;
    }
  }
  return 0;
}

}  // namespace

TEST_CASE("every counterexample replays as its finding says, with --explain and through the JIT") {
  int replayed = 0;
  for (const fs::path& path : findingsGoldens()) {
    auto rules = loadRules(path);
    regelwerk::analysis::CheckOptions options;
    options.budget_millis = 60000;  // a slow machine must not leave a finding undecided
    for (const Finding& finding : regelwerk::analysis::checkRuleSet(rules->program(), rules->sources(), options)) {
      if (!finding.has_example) continue;
      const std::string& code = finding.diagnostic.code;
      INFO(path.filename().string() << ": " << code << " " << finding.diagnostic.message);
      fs::path dir = scratch("replay", path.stem().string() + "-" + std::to_string(replayed));
      std::ofstream(dir / "record.csv") << finding.example.csv_lines.at(0) << "\n"
                                        << finding.example.csv_lines.at(1) << "\n";
      std::string run = "'" + kCommand.string() + "' run '" + path.string() + "' --input '" +
                        (dir / "record.csv").string() + "'" + finding.example.params;

      // The command the finding prints: the interpreter's trace of line 2.
      int status = 0;
      std::string explanation = shell(run + " --explain 2", &status);
      INFO(explanation);
      REQUIRE(status == 0);
      std::string block = blockLine(explanation, blockOf(rules->program(), finding));
      REQUIRE_FALSE(block.empty());
      bool conflict = code == "W0403" || code == "W0404";
      if (conflict) CHECK(explanation.find("rejected:") != std::string::npos);
      if (conflict) CHECK(explanation.find("conflict") != std::string::npos);
      if (code == "W0402") CHECK(block.find(" won") != std::string::npos);    // an earlier rule wins
      if (code == "W0405") CHECK(block.find(" won") == std::string::npos);    // no rule of the block
      if (code == "W0405") CHECK(block.find("applied") == std::string::npos);
      // A decision table's rows are `row 2` to the analyst, also in explanations and conflicts.
      if (path.stem() == "table_rows") CHECK(explanation.find("row_") == std::string::npos);
      if (path.stem() == "table_rows" && conflict) CHECK(explanation.find("of the decision table both apply") != std::string::npos);

      // The JIT (the command's default engine) agrees: the record is rejected exactly when it conflicts.
      std::string jit = shell(run + " --output '" + (dir / "out.csv").string() + "' --rejects '" +
                                  (dir / "rejects.csv").string() + "'",
                              &status);
      INFO(jit);
      REQUIRE(status == 0);
      std::string rejects = fileText(dir / "rejects.csv");
      std::string output = fileText(dir / "out.csv");
      CHECK((rejects.find("conflict") != std::string::npos) == conflict);
      CHECK(std::count(output.begin(), output.end(), '\n') == (conflict ? 1 : 2));
      ++replayed;
    }
  }
  CHECK(replayed >= 10);  // every finding with a record: all but W0401s, the grouped ones, unreadable_example
}

TEST_CASE("the replay command on an empty input or a header that does not fit says so, without a crash") {
  const fs::path dir = scratch("replay-input", "bad");
  const fs::path rules = kRoot / "tests/golden/check/findings/empty_cell.rules";
  std::ofstream(dir / "empty.csv");
  std::ofstream(dir / "twice.csv") << "s,s\nx,y\n";
  for (const auto& [file, message] : {std::pair{"empty.csv", "input is empty"}, std::pair{"twice.csv", "`s`"}}) {
    int status = 0;
    std::string output = shell("'" + kCommand.string() + "' run '" + rules.string() + "' --input '" +
                                   (dir / file).string() + "' --explain 2",
                               &status);
    INFO(file << ": " << output);
    CHECK(status == 2);
    CHECK(output.find(message) != std::string::npos);
  }
}

TEST_CASE("with no budget left nothing is claimed: a note says the checks were not decided") {
  auto rules = loadRules(kRoot / "tests/golden/check/findings/never_applies.rules");
  regelwerk::analysis::CheckOptions options;
  options.budget_millis = 0;
  std::vector<Finding> findings = regelwerk::analysis::checkRuleSet(rules->program(), rules->sources(), options);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].diagnostic.code == "W0406");
  CHECK(findings[0].diagnostic.severity == regelwerk::Severity::Note);
  CHECK(findings[0].diagnostic.loc.line == 12);  // the `decide`
}

// Reviewed: the standard library and the examples have no rule that never applies or is shadowed, no
// overlap in a `unique` block, no disagreeing exceptions; a new finding here is either a rule to fix or a
// false finding of the checker (docs/checks.md). A generous budget: a slow machine must not turn a proof
// into "undecided".
TEST_CASE("the standard library and the examples have no finding") {
  int checked = 0;
  for (const char* folder : {"stdlib-rules", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(kRoot / folder)) {
      const fs::path& path = entry.path();
      if (path.extension() != ".rules" || path.stem().extension() == ".test") continue;
      fs::current_path(path.parent_path());
      auto rules = loadRules(path);
      regelwerk::analysis::CheckOptions options;
      options.budget_millis = 60000;
      std::string report;
      for (const Finding& finding : regelwerk::analysis::checkRuleSet(rules->program(), rules->sources(), options)) {
        report += regelwerk::analysis::renderFinding(rules->sources(), rules->program(), finding);
      }
      INFO(path.string());
      CHECK(report == "");
      ++checked;
    }
  }
  fs::current_path(kRoot);
  CHECK(checked >= 30);
}
