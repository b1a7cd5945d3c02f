// The standard library carries its own copy of the § 247 BGB base-rate table (stdlib-rules/std/data) so
// that an installation works without ../shared; this keeps the copy equal to the shared data set.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "example_data.hpp"

using namespace regelwerk::testing::examples;

namespace {

std::string fileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("stdlib base-rate table equals the shared data set", "[examples]") {
  const std::string copy = fileText(RW_SOURCE_DIR "/stdlib-rules/std/data/basiszinssatz_247_bgb.csv");
  REQUIRE(copy.rfind("valid_from,valid_to,basiszinssatz_percent,sources\n", 0) == 0);
  if (!haveData("de-basiszinssatz/basiszinssatz_247_bgb.csv", "the stdlib copy of the base-rate table")) return;
  INFO("copy stdlib-rules/std/data/basiszinssatz_247_bgb.csv from ../shared/data/de-basiszinssatz again");
  CHECK(copy == fileText(dataDir() + "/de-basiszinssatz/basiszinssatz_247_bgb.csv"));
}
