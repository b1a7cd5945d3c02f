// The command and the compiled-code cache: a second run loads the machine code the first one stored and
// writes the same output; --no-cache and REGELWERK_CACHE=off neither read nor write an entry.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/cli_harness.hpp"

namespace fs = std::filesystem;
using regelwerk::testing::readFile;
using regelwerk::testing::regelwerkCommand;
using regelwerk::testing::runIn;
using regelwerk::testing::scratchFolder;
using regelwerk::testing::writeFile;

namespace {

size_t entriesIn(const fs::path& folder) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(folder)) count += entry.path().extension() == ".o";
  return count;
}

}  // namespace

TEST_CASE("cli: a second run loads its machine code from the cache and writes the same output", "[cli][cache]") {
  const fs::path folder = scratchFolder("cli", "code_cache");
  fs::remove_all(folder / "cache");
  fs::create_directories(folder / "cache");
  writeFile(folder / "twice.rules", "ruleset twice\ninput R\n  n: int\noutput m: int = n * 2\n");
  writeFile(folder / "in.csv", "n\n1\n2\n");
  const std::string run = "REGELWERK_CACHE=cache " + regelwerkCommand() + " run twice.rules --input in.csv --quiet --output ";
  auto first = runIn(folder, run + "first.csv");
  INFO(first.output);
  REQUIRE(first.exit_code == 0);
  CHECK(entriesIn(folder / "cache") == 1);
  auto second = runIn(folder, run + "second.csv");
  REQUIRE(second.exit_code == 0);
  CHECK(readFile(folder / "second.csv") == "m\n2\n4\n");
  CHECK(readFile(folder / "first.csv") == readFile(folder / "second.csv"));

  fs::remove_all(folder / "cache");
  fs::create_directories(folder / "cache");
  REQUIRE(runIn(folder, run + "third.csv --no-cache").exit_code == 0);
  CHECK(entriesIn(folder / "cache") == 0);
  fs::remove_all(folder / "xdg");
  REQUIRE(runIn(folder, "REGELWERK_CACHE=off XDG_CACHE_HOME=\"$PWD/xdg\" " + regelwerkCommand() +
                            " run twice.rules --input in.csv --quiet --output fourth.csv").exit_code == 0);
  CHECK_FALSE(fs::exists(folder / "xdg"));
  REQUIRE(runIn(folder, "REGELWERK_CACHE= XDG_CACHE_HOME=\"$PWD/xdg\" " + regelwerkCommand() +
                            " run twice.rules --input in.csv --quiet --output fifth.csv").exit_code == 0);
  CHECK(entriesIn(folder / "xdg" / "regelwerk") == 1);  // $XDG_CACHE_HOME/regelwerk when nothing else is said
}
