// The compiled-code cache (runtime/jit/code_cache.hpp): a second compile of the same program loads its
// machine code instead of compiling, and computes the same; a corrupt entry is ignored and replaced; a
// changed program misses; concurrent compiles leave one whole entry; off means no file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "runtime/exec/api.hpp"
#include "runtime/jit/code_cache.hpp"
#include "runtime/jit/jit_engine.hpp"
#include "tests/support/cli_harness.hpp"

namespace fs = std::filesystem;

namespace {

std::unique_ptr<regelwerk::RuleSet> rulesWith(const std::string& factor) {
  regelwerk::Diagnostics diagnostics;
  auto rules = regelwerk::RuleSet::fromText(
      "cache.rules", "ruleset cache\ninput R\n  n: int\noutput m: int = n * " + factor + " + 1\n", &diagnostics);
  INFO(diagnostics.text);
  REQUIRE(rules);
  return rules;
}

// m for n = 0 .. 3.
std::vector<int64_t> outputsOf(const regelwerk::Evaluator& evaluator) {
  int64_t n[4] = {0, 1, 2, 3}, m[5] = {};
  regelwerk::ColumnView in{n, nullptr}, out{m, nullptr};
  regelwerk::RowError errors[4];
  evaluator.evaluate(&in, nullptr, &out, errors, 4);
  return {m[0], m[1], m[2], m[3]};
}

std::vector<fs::path> filesIn(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(folder)) files.push_back(entry.path());
  return files;
}

struct Compiled {
  std::unique_ptr<regelwerk::Evaluator> evaluator;
  regelwerk::JitTimings timings;
};

Compiled compile(const regelwerk::RuleSet& rules) {
  Compiled compiled;
  std::string error;
  compiled.evaluator = regelwerk::compileJitTimed(rules.program(), &error, &compiled.timings);
  INFO(error);
  REQUIRE(compiled.evaluator);
  return compiled;
}

}  // namespace

TEST_CASE("code cache: the second compile loads the machine code, and it computes the same", "[jit][cache]") {
  REQUIRE_FALSE(regelwerk::engineBuildId().empty());
  const fs::path folder = regelwerk::testing::scratchFolder("code_cache", "hit");
  fs::remove_all(folder);
  regelwerk::setCodeCache({true, folder.string()});
  auto rules = rulesWith("3");
  Compiled cold = compile(*rules);
  CHECK_FALSE(cold.timings.from_cache);
  REQUIRE(filesIn(folder).size() == 1);
  Compiled warm = compile(*rules);
  CHECK(warm.timings.from_cache);
  CHECK(warm.timings.optimize_ms == 0);
  CHECK(outputsOf(*warm.evaluator) == std::vector<int64_t>{1, 4, 7, 10});
  CHECK(outputsOf(*cold.evaluator) == outputsOf(*warm.evaluator));

  Compiled other = compile(*rulesWith("5"));  // another program: another key
  CHECK_FALSE(other.timings.from_cache);
  CHECK(outputsOf(*other.evaluator) == std::vector<int64_t>{1, 6, 11, 16});
  CHECK(filesIn(folder).size() == 2);
  regelwerk::setCodeCache({false, ""});
}

TEST_CASE("code cache: a corrupt or truncated entry is ignored and replaced", "[jit][cache]") {
  const fs::path folder = regelwerk::testing::scratchFolder("code_cache", "corrupt");
  fs::remove_all(folder);
  regelwerk::setCodeCache({true, folder.string()});
  auto rules = rulesWith("7");
  compile(*rules);
  const fs::path entry = filesIn(folder).at(0);
  const std::string whole = regelwerk::testing::readFile(entry);
  for (const std::string& broken : {whole.substr(0, whole.size() / 2), std::string("garbage"),
                                    whole.substr(0, whole.size() - 1) + char(whole.back() ^ 1)}) {
    regelwerk::testing::writeFile(entry, broken);
    Compiled again = compile(*rules);
    CHECK_FALSE(again.timings.from_cache);
    CHECK(outputsOf(*again.evaluator) == std::vector<int64_t>{1, 8, 15, 22});
    CHECK(regelwerk::testing::readFile(entry) == whole);  // replaced by a whole entry
  }
  regelwerk::setCodeCache({false, ""});
}

TEST_CASE("code cache: concurrent compiles of one program leave one whole entry and no temporary file",
          "[jit][cache]") {
  const fs::path folder = regelwerk::testing::scratchFolder("code_cache", "concurrent");
  fs::remove_all(folder);
  regelwerk::setCodeCache({true, folder.string()});
  auto rules = rulesWith("11");
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> outputs(4);
  for (size_t thread = 0; thread < outputs.size(); ++thread) {
    threads.emplace_back([&, thread] {
      std::string error;
      regelwerk::JitTimings timings;
      auto evaluator = regelwerk::compileJitTimed(rules->program(), &error, &timings);
      if (evaluator) outputs[thread] = outputsOf(*evaluator);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const auto& output : outputs) CHECK(output == std::vector<int64_t>{1, 12, 23, 34});
  const std::vector<fs::path> files = filesIn(folder);
  REQUIRE(files.size() == 1);
  CHECK(files[0].extension() == ".o");
  CHECK(compile(*rules).timings.from_cache);
  regelwerk::setCodeCache({false, ""});
}

TEST_CASE("code cache: off writes nothing; REGELWERK_CACHE=off and XDG_CACHE_HOME choose the folder", "[jit][cache]") {
  const fs::path folder = regelwerk::testing::scratchFolder("code_cache", "off");
  fs::remove_all(folder);
  fs::create_directories(folder);
  regelwerk::setCodeCache({false, folder.string()});
  compile(*rulesWith("13"));
  CHECK(filesIn(folder).empty());
  CHECK_FALSE(regelwerk::codeCacheFolder());
  regelwerk::setCodeCache({true, ""});
  ::setenv("REGELWERK_CACHE", "off", 1);
  CHECK_FALSE(regelwerk::codeCacheFolder());
  ::setenv("REGELWERK_CACHE", "/somewhere/else", 1);
  CHECK(*regelwerk::codeCacheFolder() == "/somewhere/else");
  ::unsetenv("REGELWERK_CACHE");
  ::setenv("XDG_CACHE_HOME", folder.c_str(), 1);
  CHECK(*regelwerk::codeCacheFolder() == (folder / "regelwerk").string());
  regelwerk::setCodeCache({false, ""});
}
