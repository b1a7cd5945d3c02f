// The whole-rule-set checks (runtime/analysis) against the engines: on the differential generator's
// random programs, no rule that `check` calls never applying (W0401) or shadowed (W0402) wins on any
// of the generator's random records, traced by the interpreter. A claim the records contradict is a
// false proof of the checker, the one kind of finding docs/checks.md promises never to make.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <utility>

#include "csv_generator.hpp"
#include "program_generator.hpp"
#include "program_model.hpp"
#include "runtime/analysis/analysis.hpp"
#include "runtime/exec/test_coverage.hpp"

namespace regelwerk::difftest {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kSeeds = 200;
constexpr int kRows = 1000;

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// (line, name) of every rule the findings claim can never win: W0401 and W0402.
std::set<std::pair<uint32_t, std::string>> neverWinning(const ir::Program& program,
                                                        const std::vector<analysis::Finding>& findings) {
  std::set<std::pair<uint32_t, std::string>> claimed;
  for (const analysis::Finding& finding : findings) {
    if (finding.diagnostic.code != "W0401" && finding.diagnostic.code != "W0402") continue;
    for (const ir::Decision& decision : program.decisions) {
      for (const ir::Rule& rule : decision.rules) {
        if (rule.loc == finding.diagnostic.loc) claimed.insert({rule.loc.line, rule.name});
      }
    }
  }
  return claimed;
}

}  // namespace

TEST_CASE("differential: no generated record wins a rule the checks call never applying or shadowed",
          "[differential]") {
  const fs::path scratch = fs::path(RW_BINARY_DIR) / "differential-scratch" / "checks";
  fs::create_directories(scratch);
  size_t claims = 0;
  size_t programs_with_claims = 0;
  for (uint64_t seed = 1; seed <= kSeeds; ++seed) {
    GProgram generated = generateProgram(seed);
    const std::string rules_text = render(generated);
    fs::remove(scratch / kModuleFile);
    const std::string module_text = renderModule(generated);
    if (!module_text.empty()) writeText(scratch / kModuleFile, module_text);
    Diagnostics diagnostics;
    auto rules = RuleSet::fromText((scratch / "generated.rules").string(), rules_text, &diagnostics);
    INFO("seed " << seed << "\n" << rules_text << diagnostics.text);
    REQUIRE(rules);
    analysis::CheckOptions options;
    options.budget_millis = 20000;
    const auto findings = analysis::checkRuleSet(rules->program(), rules->sources(), options);
    const auto claimed = neverWinning(rules->program(), findings);
    if (claimed.empty()) continue;
    claims += claimed.size();
    ++programs_with_claims;

    writeText(scratch / "input.csv", generateCsv(generated, seed, kRows));
    std::string error;
    auto interp = Engine::create(*rules, EngineKind::Interp, &error);
    REQUIRE(interp);
    CoverageEngine traced(rules->program(), *interp);
    RunOptions run_options;
    run_options.input_path = (scratch / "input.csv").string();
    run_options.output_path = (scratch / "output.csv").string();
    run_options.rejects_path = (scratch / "rejects.csv").string();
    run_options.params = givenParams(generated);
    run_options.separator = declaredSeparator(*rules);
    RunSummary summary = run(*rules, traced, run_options);
    REQUIRE(summary.exit_code == 0);
    for (const RuleCoverage& rule : traced.coverage(*rules)) {
      INFO("rule " << rule.rule << " at line " << rule.line);
      CHECK_FALSE((rule.exercised && claimed.count({rule.line, rule.rule}) > 0));
    }
  }
  std::cout << fmt::format("checks soundness: {} programs, {} with W0401/W0402 claims, {} claims, none contradicted\n",
                           kSeeds, programs_with_claims, claims);
  CHECK(claims > 0);  // the generator does make such rules: the property is really tested
}

}  // namespace regelwerk::difftest
