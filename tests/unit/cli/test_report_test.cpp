// `regelwerk test --coverage` and `--junit FILE`: the rules no test exercised, counted by hand for a
// small rule file; the standard library fully exercised; JUnit XML read back with Python's XML parser.
#include <catch2/catch.hpp>

#include <string>

#include "tests/support/cli_harness.hpp"

namespace {

using regelwerk::testing::readFile;
using regelwerk::testing::regelwerkCommand;
using regelwerk::testing::runIn;
using regelwerk::testing::scratchFolder;
using regelwerk::testing::writeFile;

// Three rules; the tests make `high` and `low` win, never `middle`; one test fails on purpose where
// the case asks for it.
std::string ruleFile(bool with_failure) {
  return std::string("ruleset levels\ninput R\n  amount: int\noutput level: int = 0\n"
                     "decide first\n  rule high when amount >= 100 then level = 2\n"
                     "  rule middle when amount >= 10 then level = 1\n  rule low when amount < 10 then level = 0\nend\n"
                     "test \"high\"\n  given amount = 150\n  expect level = 2\nend\n"
                     "test \"low <&>\"\n  given amount = 5\n  expect level = ") +
         (with_failure ? "9" : "0") + "\nend\n";
}

TEST_CASE("test --coverage lists the rules no test exercised, per file and in total", "[cli][coverage]") {
  const auto folder = scratchFolder("test-report", "coverage");
  writeFile(folder / "levels.rules", ruleFile(false));
  const auto result = runIn(folder, regelwerkCommand() + " test --coverage --quiet levels.rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("2 passed, 0 failed") != std::string::npos);
  CHECK(result.output.find("coverage: 2 of 3 rules exercised (66.7%)") != std::string::npos);
  CHECK(result.output.find("levels.rules: 2 of 3 (66.7%)") != std::string::npos);
  CHECK(result.output.find("levels.rules:7: rule middle (decide at line 5) is exercised by no test") != std::string::npos);
  CHECK(result.output.find("rule high") == std::string::npos);
}

TEST_CASE("test --coverage: a rule file without tests exercises none of its rules", "[cli][coverage]") {
  const auto folder = scratchFolder("test-report", "no_tests");
  writeFile(folder / "bare.rules", "ruleset bare\ninput R\n  a: int\noutput o: int = 0\ndecide first\n"
                                   "  rule one when a > 0 then o = 1\nend\n");
  const auto result = runIn(folder, regelwerkCommand() + " test --coverage bare.rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("coverage: 0 of 1 rules exercised (0.0%)") != std::string::npos);
  CHECK(result.output.find("bare.rules:6: rule one (decide at line 5) is exercised by no test") != std::string::npos);
}

TEST_CASE("test --coverage names a decision table's rows by number", "[cli][coverage]") {
  const auto folder = scratchFolder("test-report", "table_rows");
  writeFile(folder / "table.rules", "ruleset tiers\ninput R\n  a: int\noutput o: int = 0\ndecide first table\n"
                                    "  | a    || o |\n  | >= 10 || 2 |\n  | >= 1  || 1 |\nend\n"
                                    "test \"ten\"\n  given a = 10\n  expect o = 2\nend\n");
  const auto result = runIn(folder, regelwerkCommand() + " test --coverage table.rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("coverage: 1 of 2 rules exercised (50.0%)") != std::string::npos);
  CHECK(result.output.find("table.rules:8: row 2 of the decision table (decide at line 5) is exercised by no test") !=
        std::string::npos);
  CHECK(result.output.find("row_") == std::string::npos);
}

// The done criterion: every rule of the standard library is exercised by some test, grouped
// modules (traced stage by stage) included.
TEST_CASE("test --coverage: every rule of the standard library is exercised", "[cli][coverage]") {
  const auto folder = scratchFolder("test-report", "stdlib");
  const auto result = runIn(folder, regelwerkCommand() + " test --coverage --quiet " RW_SOURCE_DIR "/stdlib-rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("is exercised by no test") == std::string::npos);
  CHECK(result.output.find("std/online_banking/liability.rules: 13 of 13 (100.0%)") != std::string::npos);
  CHECK(result.output.find("std/autoresponder.rules: 11 of 11 (100.0%)") != std::string::npos);
  CHECK(result.output.find("rejects: 27 of 27 `reject` lines rejected a test's record (100.0%)") != std::string::npos);
  CHECK(result.output.find("rejects the record of no test") == std::string::npos);
}

TEST_CASE("test --coverage counts the reject lines apart: one that rejected no test's record is named", "[cli][coverage]") {
  const auto folder = scratchFolder("test-report", "rejects");
  // Two reject lines; the tests reject a record by the first only.
  writeFile(folder / "guard.rules", "ruleset guard\ninput R\n  a: int\n"
                                    "reject \"negative\" when a < 0\nreject \"too large\" when a > 100\n"
                                    "output o: int = a\n"
                                    "test \"negative\"\n  given a = -1\n  expect rejected \"negative\"\nend\n"
                                    "test \"fine\"\n  given a = 5\n  expect o = 5\nend\n");
  const auto result = runIn(folder, regelwerkCommand() + " test --coverage guard.rules");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("coverage: 0 of 0 rules exercised (100.0%)") != std::string::npos);
  CHECK(result.output.find("rejects: 1 of 2 `reject` lines rejected a test's record (50.0%)") != std::string::npos);
  CHECK(result.output.find("guard.rules:5: reject \"too large\" rejects the record of no test") != std::string::npos);
  CHECK(result.output.find("reject \"negative\" rejects") == std::string::npos);
}

TEST_CASE("test --junit writes JUnit XML that an XML parser reads back", "[cli][junit]") {
  const auto folder = scratchFolder("test-report", "junit");
  writeFile(folder / "levels.rules", ruleFile(true));
  writeFile(folder / "broken.rules", "ruleset broken\nlet x = (1 +\n");
  const auto result = runIn(folder, regelwerkCommand() + " test --junit report.xml levels.rules broken.rules");
  INFO(result.output);
  CHECK(result.exit_code == 2);  // a rule file with errors
  const std::string xml = readFile(folder / "report.xml");
  INFO(xml);
  CHECK(xml.find("&lt;&amp;&gt;") != std::string::npos);  // the test title `low <&>`, escaped
  const auto parsed = runIn(folder,
                            "/usr/bin/python3 -c \"import xml.etree.ElementTree as E; r = E.parse('report.xml').getroot(); "
                            "s = r.findall('testsuite'); print(r.tag, r.get('tests'), r.get('failures'), r.get('errors'), "
                            "len(s), [len(x.findall('testcase')) for x in s], len(r.findall('.//failure')), "
                            "len(r.findall('.//error')))\"");
  INFO(parsed.output);
  CHECK(parsed.exit_code == 0);
  CHECK(parsed.output == "testsuites 3 1 1 2 [2, 1] 1 1\n");
}

}  // namespace
