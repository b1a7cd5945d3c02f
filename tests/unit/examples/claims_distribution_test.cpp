// examples/claims-distribution through its run.sh and the built `regelwerk`, on both engines: every award
// must equal a largest-remainder division computed here from the raw files of
// shared/data/claims-problems-insolvency with plain C++ (exact 128-bit fractions, a sort, no rules), and
// must differ from the source's proportional rule PRO(E, d) = E / D × d, rounded half up per claimant,
// exactly where the README says. Skipped, with a notice, when the data folder is absent.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/cli_harness.hpp"
#include "tests/unit/examples/example_data.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;
using testing::examples::csvRows;
using testing::examples::dataDir;
using testing::examples::haveData;


// "10.0" at 2 places is 1000, "10291926.878" at 3 places 10291926878, "190273.49" at 2 places 19027349.
int64_t units(const std::string& text, int places) {
  const size_t dot = text.find('.');
  std::string fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  fraction = (fraction + std::string(places, '0')).substr(0, places);
  int64_t value = std::stoll(text.substr(0, dot));
  for (int place = 0; place < places; ++place) value *= 10;
  return value + (fraction.empty() ? 0 : std::stoll(fraction));
}

struct Claimant {
  std::string name;
  int64_t claim = 0;
};

// E × c / D for every claimant, as floor and remainder in 128 bits.
struct Exact {
  std::vector<int64_t> floor;
  std::vector<__int128> remainder;
};
Exact exactShares(const std::vector<Claimant>& claimants, int64_t pool, int64_t total) {
  Exact exact;
  for (const Claimant& claimant : claimants) {
    const __int128 product = static_cast<__int128>(pool) * claimant.claim;
    exact.floor.push_back(static_cast<int64_t>(product / total));
    exact.remainder.push_back(product % total);
  }
  return exact;
}

// The largest-remainder division: the floors, then one unit each to the largest remainders, equal
// remainders by name (bytes). A plain sort, written apart from the engine's kernel.
std::vector<int64_t> largestRemainder(const std::vector<Claimant>& claimants, int64_t pool) {
  int64_t total = 0;
  for (const Claimant& claimant : claimants) total += claimant.claim;
  if (total <= pool) {
    std::vector<int64_t> full;
    for (const Claimant& claimant : claimants) full.push_back(claimant.claim);
    return full;
  }
  const Exact exact = exactShares(claimants, pool, total);
  std::vector<int64_t> shares = exact.floor;
  int64_t left = pool;
  for (int64_t share : shares) left -= share;
  std::vector<size_t> order(claimants.size());
  for (size_t index = 0; index < order.size(); ++index) order[index] = index;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (exact.remainder[a] != exact.remainder[b]) return exact.remainder[a] > exact.remainder[b];
    return claimants[a].name < claimants[b].name;
  });
  for (int64_t unit = 0; unit < left; ++unit) ++shares[order[static_cast<size_t>(unit)]];
  return shares;
}

// PRO rounded half up per claimant: what printing the package's exact shares to the unit gives.
std::vector<int64_t> halfUp(const std::vector<Claimant>& claimants, int64_t pool) {
  int64_t total = 0;
  for (const Claimant& claimant : claimants) total += claimant.claim;
  const Exact exact = exactShares(claimants, pool, total);
  std::vector<int64_t> shares;
  for (size_t index = 0; index < claimants.size(); ++index)
    shares.push_back(exact.floor[index] + (2 * exact.remainder[index] >= total ? 1 : 0));
  return shares;
}

struct Problem {
  std::string prefix;                         // run.sh's output files
  std::string item_file;                      // ..._awards.csv or ..._allowances.csv
  size_t share_column = 0;                    // the column of the share in item_file
  int places = 2;                             // of the share as written
  std::vector<Claimant> claimants;            // in file order
  int64_t pool = 0;                           // in the share's units
  std::map<std::string, int64_t> against_half_up;  // claimant → ours − half up (the README's table)
};

std::vector<Problem> problems() {
  const std::string folder = dataDir() + "/claims-problems-insolvency/";
  std::vector<Problem> all;
  Problem bankruptcy{"bankruptcy", "bankruptcy_awards.csv", 2, 2, {}, 23000000000, {{"Supplier Z", -1}}};
  for (const auto& row : csvRows(testing::readFile(folder + "Bankruptcy.csv")))
    bankruptcy.claimants.push_back({row[0], units(row[1], 2) * 1000000});  // millions of euro → cents
  all.push_back(bankruptcy);

  // Step 2 of Universityfunds: the budget beyond the entitlements over the claims beyond them.
  Problem university{"universityfunds", "universityfunds_awards.csv", 4, 2, {}, 71729311, {{"2", 1}}};
  for (const auto& row : csvRows(testing::readFile(folder + "Universityfunds.csv"))) {
    university.claimants.push_back({row[0], units(row[2], 2) - units(row[1], 2)});
    university.pool -= units(row[1], 2);
  }
  all.push_back(university);

  std::vector<Claimant> regions;
  for (const auto& row : csvRows(testing::readFile(folder + "CO2emissions.csv"))) regions.push_back({row[0], units(row[1], 3)});
  all.push_back({"co2_2015", "co2_2015_allowances.csv", 2, 0, regions, 31284288000, {{"China", 1}, {"Rest America", 1}}});
  all.push_back({"co2_e0", "co2_e0_allowances.csv", 2, 0, regions, 33857455000, {{"India", -1}, {"Rest EU", -1}}});
  return all;
}

void checkProblem(const fs::path& out, const Problem& problem) {
  INFO(problem.prefix);
  // Universityfunds sorts degrees by number in the tie order; its names are the degree numbers, which
  // tie nowhere in this data, so byte order does not matter there.
  const std::vector<int64_t> expected = largestRemainder(problem.claimants, problem.pool);
  const std::vector<int64_t> rounded = halfUp(problem.claimants, problem.pool);
  const auto rows = csvRows(testing::readFile(out / problem.item_file));
  REQUIRE(rows.size() == problem.claimants.size());
  int64_t sum = 0;
  for (size_t index = 0; index < rows.size(); ++index) {
    const Claimant& claimant = problem.claimants[index];
    INFO(claimant.name);
    REQUIRE(rows[index][0] == claimant.name);
    const int64_t ours = units(rows[index][problem.share_column], problem.places);
    CHECK(ours == expected[index]);
    sum += ours;
    auto difference = problem.against_half_up.find(claimant.name);
    CHECK(ours - rounded[index] == (difference == problem.against_half_up.end() ? 0 : difference->second));
  }
  CHECK(sum == problem.pool);
}

}  // namespace

TEST_CASE("claims-distribution: largest remainder against the raw ClaimsProblems files, both engines",
          "[examples][claims]") {
  if (!haveData("claims-problems-insolvency/Bankruptcy.csv", "examples/claims-distribution")) {
    return;
  }
  const fs::path dir = RW_BINARY_DIR "/examples-claims-scratch";
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const char* engine : {"interp", "jit"}) {
    INFO("engine " << engine);
    const fs::path out = dir / engine;
    fs::create_directories(out);
    const testing::CommandResult result = testing::runIn(
        dir, "REGELWERK=" + testing::regelwerkCommand() + " REGELWERK_DATA_DIR='" + dataDir() + "' '" RW_SOURCE_DIR
                 "/examples/claims-distribution/run.sh' '" + out.string() + "' --engine " + engine);
    INFO("run.sh said: " << result.output);
    REQUIRE(result.exit_code == 0);
    CHECK(result.output.find("rows in 8 = rows out 8 + rows rejected 0") != std::string::npos);
    CHECK(result.output.find("rows in 27 = rows out 27 + rows rejected 0") != std::string::npos);
    for (const Problem& problem : problems()) checkProblem(out, problem);
    // Universityfunds: every degree gets its entitlement in full (the budget covers them).
    for (const auto& row : csvRows(testing::readFile(out / "universityfunds_awards.csv"))) CHECK(row[3] == row[1]);
  }
}
