// Registers one Catch2 test per golden file, so ctest lists and reruns each golden on its own.
//
// check/**/X.rules: `regelwerk check` diagnostics (errors and warnings, then the whole-rule-set checks'
//                   findings with their counterexamples, docs/checks.md) must equal X.expected exactly.
// eval/**/X.rules:  X.input.csv run through the interpreter and the JIT, at batch sizes 1, 7 and the default
//                   (and 2 threads), must give X.expected.csv (and X.rejects.csv, if present, with --rejects);
//                   X.params holds `name=value` lines. A second pass blanks the optional input columns in every
//                   other row and requires both engines to agree with each other.
#include <catch2/catch.hpp>

#include <deque>
#include <filesystem>
#include <fmt/format.h>
#include <functional>

#include "golden_eval.hpp"
#include "golden_files.hpp"
#include "runtime/analysis/analysis.hpp"
#include "runtime/exec/api.hpp"

namespace regelwerk::golden {
namespace {

void runCheckGolden(const std::string& rules_path) {
  Diagnostics diagnostics;
  std::string io_error;
  std::filesystem::path root(RW_SOURCE_DIR);
  std::filesystem::current_path(root);
  auto rules = RuleSet::load(rules_path, &diagnostics, &io_error);
  REQUIRE(io_error.empty());
  std::string text = diagnostics.text;
  if (rules) {
    // A generous budget: a slow machine (a sanitizer build) must not turn a finding into "undecided".
    analysis::CheckOptions options;
    options.budget_millis = 60000;
    for (const analysis::Finding& finding : analysis::checkRuleSet(rules->program(), rules->sources(), options)) {
      text += analysis::renderFinding(rules->sources(), rules->program(), finding);
    }
  }
  std::filesystem::path expected = root / rules_path;
  expected.replace_extension(".expected");
  std::string report;
  INFO(rules_path);
  // A check golden shows at least one diagnostic: an error, or a warning of a rule set that still runs.
  CHECK((diagnostics.errors > 0 || text.find("warning[") != std::string::npos));
  bool same = matchOrUpdate(expected, text, &report);
  INFO(report);
  CHECK(same);
}

// test/**/X.rules: `regelwerk test` on X.rules (and the X.test.rules beside it) must print X.expected.
void runTestGolden(const std::string& rules_path) {
  Diagnostics diagnostics;
  std::string io_error;
  std::filesystem::path root(RW_SOURCE_DIR);
  std::filesystem::current_path(root);
  auto rules = RuleSet::load(rules_path, &diagnostics, &io_error, LoadOptions{true});
  INFO(diagnostics.text + io_error);
  REQUIRE(rules);
  TestSummary summary = runTests(*rules);
  REQUIRE(summary.error.empty());
  std::string text = renderTestResults(summary, true) + fmt::format("{} passed, {} failed\n", summary.passed, summary.failed);
  std::filesystem::path expected = root / rules_path;
  expected.replace_extension(".expected");
  std::string report;
  bool same = matchOrUpdate(expected, text, &report);
  INFO(report);
  CHECK(same);
}

class GoldenInvoker : public Catch::ITestInvoker {
 public:
  explicit GoldenInvoker(std::function<void()> body) : body_(std::move(body)) {}
  void invoke() const override { body_(); }

 private:
  std::function<void()> body_;
};

std::deque<std::string>& testNames() {
  static std::deque<std::string> names;
  return names;
}

void registerTest(const std::string& name, std::function<void()> body) {
  testNames().push_back(name);
  static std::deque<Catch::AutoReg> registrations;
  registrations.emplace_back(new GoldenInvoker(std::move(body)), Catch::SourceLineInfo(__FILE__, __LINE__),
                             Catch::StringRef(), Catch::NameAndTags{testNames().back(), "[golden]"});
}

int registerAll() {
  for (const std::string& path : findRuleFiles("tests/golden/check")) {
    registerTest("golden " + path, [path] { runCheckGolden(path); });
  }
  for (const std::string& path : findRuleFiles("tests/golden/test")) {
    if (path.size() > 11 && path.compare(path.size() - 11, 11, ".test.rules") == 0) continue;
    registerTest("golden " + path, [path] { runTestGolden(path); });
  }
  for (const std::string& path : findRuleFiles("tests/golden/eval")) {
    if (path.size() > 11 && path.compare(path.size() - 11, 11, ".test.rules") == 0) continue;
    registerTest("golden " + path, [path] { runEvalGolden(path); });
  }
  return 0;
}

const int registered = registerAll();

}  // namespace
}  // namespace regelwerk::golden

TEST_CASE("golden folders are found", "[golden]") {
  CHECK(regelwerk::golden::registered == 0);
  CHECK(!regelwerk::golden::findRuleFiles("tests/golden/check").empty());
  CHECK(!regelwerk::golden::findRuleFiles("tests/golden/eval").empty());
}
