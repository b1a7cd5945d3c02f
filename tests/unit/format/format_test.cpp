// compiler/format: the canonical layout (docs/language.md, "Layout and `regelwerk fmt`"), checked on
// small files written badly on purpose, and on every rule file of the repository.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/format/format.hpp"
#include "runtime/exec/api.hpp"
#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::format::formatSource;
using regelwerk::format::layOut;

std::string formatted(const std::string& text) {
  regelwerk::format::FormatResult result = formatSource(text, "case.rules");
  INFO(result.diagnostics);
  REQUIRE(result.ok);
  CHECK(layOut(result.text) == result.text);  // a second pass changes nothing
  return result.text;
}

TEST_CASE("fmt: spaces between tokens are canonical", "[format]") {
  CHECK(formatted("ruleset   s\ninput R\n  a : int\nlet x=-5+( a>0 )??3\nlet y = round( a*1.5% ,2,half_up)\n") ==
        "ruleset s\ninput R\n  a: int\nlet x = -5 + (a > 0) ?? 3\nlet y = round(a * 1.5%, 2, half_up)\n");
  // A sign after an operator, `then` or `(`; a subtraction after a name, a literal or `)`.
  CHECK(formatted("ruleset s\ninput R\n  a: int\nlet x = a-1\nlet y = (a)-(-a)\nlet z = if a>0 then -1 else a- -1\n") ==
        "ruleset s\ninput R\n  a: int\nlet x = a - 1\nlet y = (a) - (-a)\nlet z = if a > 0 then -1 else a - -1\n");
  // Ranges, optional types, enum and conversion arguments; a unit literal's inner spaces.
  CHECK(formatted("ruleset s\ninput R\n  a: int ?\n  k: enum (x, y)\nlet m = 5.00   EUR\nlet ok = a in 1 .. 2\n") ==
        "ruleset s\ninput R\n  a: int?\n  k: enum(x, y)\nlet m = 5.00 EUR\nlet ok = a in 1..2\n");
}

TEST_CASE("fmt: blocks are indented by two, continuations keep their offset", "[format]") {
  const std::string text =
      "ruleset s\ninput R\nlevel: int\n    open: money\noutput o: int = 0\ndecide first\nrule a when level == 0\n"
      "then o = 1\n      rule b \"B\" when open > 1.00 EUR and\n          level > 1 then o = 2\nend\n";
  CHECK(formatted(text) ==
        "ruleset s\ninput R\n  level: int\n  open: money\noutput o: int = 0\ndecide first\n  rule a when level == 0\n"
        "    then o = 1\n  rule b \"B\" when open > 1.00 EUR and\n      level > 1 then o = 2\nend\n");
}

// `ledger` is a plain name, so the line `ledger X [as R [when c]]` is what opens the block.
TEST_CASE("fmt: a ledger inside a fold is a block of its own, with or without `as R when c`", "[format]") {
  const std::string text =
      "ruleset s\ninput C key k many order by id\n  k: int\n  id: int\ninput P key k many order by id\n  k: int\n  id: int\n"
      "per k\nfold P\nledger C as Row when n > 0\nstate n: int = 0\noutput id: int = id\ndecide first\nrule r then n = n + 1\nend\nend\n"
      "ledger C\nstate m: int = 0\nend\nend\nend\n";
  CHECK(formatted(text) ==
        "ruleset s\ninput C key k many order by id\n  k: int\n  id: int\ninput P key k many order by id\n  k: int\n  id: int\n"
        "per k\n  fold P\n    ledger C as Row when n > 0\n      state n: int = 0\n      output id: int = id\n      decide first\n"
        "        rule r then n = n + 1\n      end\n    end\n    ledger C\n      state m: int = 0\n    end\n  end\nend\n");
}

TEST_CASE("fmt: comments stay, blank lines are at most one, the file ends with one line feed", "[format]") {
  const std::string text =
      "\n\n# head\nruleset s   # the name\n\n\n\ninput R\n  a: int\n# about x\n   let x = a   \n"
      "decide first\n  rule r when a > 0 then x2 = 1\n# last rule above\nend\noutput x2: int = 0\n\n";
  CHECK(formatted(text) ==
        "# head\nruleset s   # the name\n\ninput R\n  a: int\n# about x\nlet x = a\ndecide first\n"
        "  rule r when a > 0 then x2 = 1\n  # last rule above\nend\noutput x2: int = 0\n");
}

TEST_CASE("fmt: the rows of a table stand in columns", "[format]") {
  const std::string text =
      "ruleset s\ninput R\n  level: int\ntable fees\nkey level: int\nvalue fee: money, note: int\nrows\n"
      "1 | 5.00 EUR | 7,\n   22 | 10.00 EUR| 8\nend\noutput f: money? = fees(level).fee\n";
  CHECK(formatted(text) ==
        "ruleset s\ninput R\n  level: int\ntable fees\n  key level: int\n  value fee: money, note: int\n  rows\n"
        "    1  | 5.00 EUR  | 7,\n    22 | 10.00 EUR | 8\n  end\noutput f: money? = fees(level).fee\n");
  // Several rows on one line are not aligned (that would need columns across rows of one line).
  const std::string inline_rows = "ruleset s\ntable t key k: int value v: int rows 1 | 2, 33 | 4 end\n";
  CHECK(formatted(inline_rows) == inline_rows);
}

TEST_CASE("fmt: a decision table's header and rows stand in columns", "[format]") {
  const std::string text =
      "ruleset s\ninput R\n  overdue: int\noutput level: int = 0\ndecide first table\n"
      "|overdue||level|\n   | >= 60 || 3 |\n| - ||   -|\nend\n";
  CHECK(formatted(text) ==
        "ruleset s\ninput R\n  overdue: int\noutput level: int = 0\ndecide first table\n"
        "  | overdue || level |\n  | >= 60   || 3     |\n  | -       || -     |\nend\n");
}

TEST_CASE("fmt: a distribution's `amount (…)` is a clause, not a call", "[format]") {
  const std::string text =
      "ruleset s\ninput E key id\n  id: int\n  pool: int\ninput C key id many order by n\n  id: int\n  n: int\n"
      "  a: int\nper id\n  distribute pool over C\n    amount (a + 0) ties n into share\n"
      "  each C as P\n    output n: int = n\n    output s: int = share\n  end\nend\n";
  CHECK(formatted(text) == text);
}

TEST_CASE("fmt: a file with syntax errors is not formatted", "[format]") {
  regelwerk::format::FormatResult result = formatSource("ruleset s\nlet x = (1 +\n", "broken.rules");
  CHECK_FALSE(result.ok);
  CHECK(result.text.empty());
  CHECK(result.diagnostics.find("broken.rules:") != std::string::npos);
}

// Every rule file of the repository: formatting changes no syntax tree (formatSource checks it), a
// second pass changes nothing, and the formatted copies of stdlib-rules/ and examples/ load to the same
// IR with the same test results. Syntax-error goldens are skipped (they must not format).
TEST_CASE("fmt: every rule file of the repository formats to the same meaning", "[format]") {
  const fs::path source(RW_SOURCE_DIR);
  const fs::path copy = regelwerk::testing::scratchFolder("format", "repository");
  fs::remove_all(copy);
  size_t files = 0;
  for (const char* area : {"stdlib-rules", "examples", "tests/golden"}) {
    fs::create_directories(copy / area);
    fs::copy(source / area, copy / area, fs::copy_options::recursive);
    for (const auto& entry : fs::recursive_directory_iterator(copy / area)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".rules") continue;
      const std::string text = regelwerk::testing::readFile(entry.path());
      regelwerk::format::FormatResult result = formatSource(text, entry.path().string());
      INFO(entry.path().string() << "\n" << result.diagnostics);
      if (!result.ok) {
        CHECK(result.diagnostics.find("internal error") == std::string::npos);
        CHECK(std::string(area) == "tests/golden");  // only goldens may hold syntax errors on purpose
        continue;
      }
      CHECK(layOut(result.text) == result.text);
      regelwerk::testing::writeFile(entry.path(), result.text);
      ++files;
    }
  }
  CHECK(files > 200);
  size_t compared = 0;
  for (const char* area : {"stdlib-rules", "examples"}) {
    for (const auto& entry : fs::recursive_directory_iterator(source / area)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".rules") continue;
      const fs::path twin = copy / fs::relative(entry.path(), source);
      regelwerk::Diagnostics original_diagnostics;
      regelwerk::Diagnostics twin_diagnostics;
      std::string io_error;
      auto original = regelwerk::RuleSet::load(entry.path().string(), &original_diagnostics, &io_error,
                                               regelwerk::LoadOptions{true});
      auto formatted_twin = regelwerk::RuleSet::load(twin.string(), &twin_diagnostics, &io_error,
                                                     regelwerk::LoadOptions{true});
      INFO(entry.path().string());
      REQUIRE(static_cast<bool>(original) == static_cast<bool>(formatted_twin));
      CHECK(original_diagnostics.errors == twin_diagnostics.errors);
      if (!original) continue;
      std::string twin_ir = formatted_twin->dumpIr();  // it names its files: under the copy's folder
      for (size_t at = twin_ir.find(copy.string()); at != std::string::npos; at = twin_ir.find(copy.string(), at))
        twin_ir.replace(at, copy.string().size(), source.string());
      CHECK(original->dumpIr() == twin_ir);
      const regelwerk::TestSummary before = regelwerk::runTests(*original);
      const regelwerk::TestSummary after = regelwerk::runTests(*formatted_twin);
      CHECK(before.passed == after.passed);
      CHECK(before.failed == after.failed);
      ++compared;
    }
  }
  CHECK(compared > 25);
}

// What CI enforces: every rule file of the repository is formatted. The only files fmt cannot read are
// the syntax-error goldens (tests/golden/check), which must stay unparsable: each expects its error.
TEST_CASE("fmt --check passes on every rule file of the repository", "[format]") {
  const fs::path folder = regelwerk::testing::scratchFolder("format", "check_repository");
  const auto result = regelwerk::testing::runIn(
      folder, regelwerk::testing::regelwerkCommand() + " fmt --check " RW_SOURCE_DIR "/stdlib-rules " RW_SOURCE_DIR
                  "/examples " RW_SOURCE_DIR "/tests");
  INFO(result.output);
  CHECK(result.output.find("not formatted") == std::string::npos);
  CHECK(result.output.find("0 of ") != std::string::npos);
  std::istringstream lines(result.output);
  for (std::string line; std::getline(lines, line);) {
    const size_t error = line.find(": error[E0");
    if (error == std::string::npos) continue;
    const std::string path = line.substr(0, line.find(':'));
    INFO(line);
    CHECK(path.rfind(RW_SOURCE_DIR "/tests/golden/check/", 0) == 0);
    fs::path expected(path);
    expected.replace_extension(".expected");
    CHECK(regelwerk::testing::readFile(expected).find(line.substr(error + 2, 12)) != std::string::npos);
  }
}

TEST_CASE("fmt rewrites a file in place and --check reports it first", "[format]") {
  const fs::path folder = regelwerk::testing::scratchFolder("format", "rewrite");
  regelwerk::testing::writeFile(folder / "a.rules", "ruleset a\ninput R\n  x: int\nlet y=x+1\n");
  const auto check = regelwerk::testing::runIn(folder, regelwerk::testing::regelwerkCommand() + " fmt --check a.rules");
  CHECK(check.exit_code == 1);
  CHECK(check.output.find("a.rules: not formatted") != std::string::npos);
  CHECK(regelwerk::testing::readFile(folder / "a.rules") == "ruleset a\ninput R\n  x: int\nlet y=x+1\n");
  const auto write = regelwerk::testing::runIn(folder, regelwerk::testing::regelwerkCommand() + " fmt a.rules");
  CHECK(write.exit_code == 0);
  CHECK(regelwerk::testing::readFile(folder / "a.rules") == "ruleset a\ninput R\n  x: int\nlet y = x + 1\n");
  const auto again = regelwerk::testing::runIn(folder, regelwerk::testing::regelwerkCommand() + " fmt --check a.rules");
  CHECK(again.exit_code == 0);
  regelwerk::testing::writeFile(folder / "bad.rules", "ruleset b\nlet x = (1 +\n");
  const auto bad = regelwerk::testing::runIn(folder, regelwerk::testing::regelwerkCommand() + " fmt bad.rules");
  CHECK(bad.exit_code == 1);
  CHECK(regelwerk::testing::readFile(folder / "bad.rules") == "ruleset b\nlet x = (1 +\n");
}

}  // namespace
