// distribute: the worked examples of shared/bench/groups.md and DOMAIN.md's LRM vectors, exact
// 128-bit products, tie keys, many tiers, and the errors the caller turns into a rejected group.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "distribute_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::groups_test;
using Shares = std::vector<int64_t>;

namespace {

// The waterfall's tiers (groups.md) as ranks.
enum Rank : int32_t { kCosts = 0, kEstateDebt = 1, kUnsecured = 2, kSub1 = 3, kSub2 = 4, kSub3 = 5 };

Outcome success(int64_t amount, const std::vector<Item>& items) {
  Outcome outcome = runDistribute(amount, items);
  REQUIRE(outcome.code == ir::ErrorCode::None);
  return outcome;
}

ir::ErrorCode errorOf(int64_t amount, const std::vector<Item>& items) {
  return runDistribute(amount, items).code;
}

}  // namespace

TEST_CASE("groups.md estate 1: costs in full, unsecured by largest remainder, ties by creditor bytes", "[distribute]") {
  std::vector<Item> estate = {{400, kUnsecured, "cr7", 11}, {400, kUnsecured, "CR12", 12}, {400, kUnsecured, "C_3", 13},
                              {100, kUnsecured, "CR5", 14}, {300, kCosts, "CR5", 15},      {250, kSub1, "CR9", 16}};
  Outcome outcome = success(1000, estate);
  CHECK(outcome.shares == Shares{215, 216, 215, 54, 300, 0});
  CHECK(outcome.rest == 0);
}

TEST_CASE("groups.md estate 2: a group without items keeps the whole pool", "[distribute]") {
  Outcome outcome = success(50, {});
  CHECK(outcome.shares.empty());
  CHECK(outcome.rest == 50);
}

TEST_CASE("groups.md estate 3: one cent into a tier of 20000", "[distribute]") {
  Outcome outcome = success(201, {{200, kCosts, "CR1", 31}, {20000, kUnsecured, "CR2", 32}});
  CHECK(outcome.shares == Shares{200, 1});
  CHECK(outcome.rest == 0);
}

TEST_CASE("a pool above all claims pays every claim and returns the surplus", "[distribute]") {
  Outcome outcome = success(1000, {{300, kSub3, "B", 2}, {0, kCosts, "A", 1}, {200, kUnsecured, "C", 3}});
  CHECK(outcome.shares == Shares{300, 0, 200});
  CHECK(outcome.rest == 500);
}

TEST_CASE("a pool exactly at a tier boundary pays the earlier tiers and nothing after", "[distribute]") {
  Outcome outcome = success(500, {{300, kCosts, "A", 1}, {200, kEstateDebt, "B", 2}, {7, kUnsecured, "C", 3}});
  CHECK(outcome.shares == Shares{300, 200, 0});
  CHECK(outcome.rest == 0);
}

// DOMAIN.md C3.4, in cents, with the ranks of C3.2 (§ 54 costs, § 55 classes, R38, subordinated).
TEST_CASE("DOMAIN I7: R38 pool 13,000.00 over 44,500.00 after costs and rent", "[distribute][domain]") {
  std::vector<Item> estate = {{300000, 0, "cost1", 1}, {600000, 0, "cost2", 2}, {250000, 1, "rent", 3},
                              {1000000, 2, "A", 4},    {1450000, 2, "BANK", 5}, {2000000, 2, "C", 6},
                              {500000, 3, "S", 7}};
  Outcome outcome = success(2450000, estate);
  CHECK(outcome.shares == Shares{300000, 600000, 250000, 292135, 423595, 584270, 0});
  CHECK(outcome.rest == 0);
}

TEST_CASE("DOMAIN I8: 1,000.00 over three equal claims, the odd cent to the first id", "[distribute][domain]") {
  Outcome outcome = success(100000, {{100000, 0, "C", 3}, {100000, 0, "B", 2}, {100000, 0, "A", 1}});
  CHECK(outcome.shares == Shares{33333, 33333, 33334});
}

TEST_CASE("DOMAIN I9: costs, NEW, then OLD pro rata; R38 gets nothing", "[distribute][domain]") {
  std::vector<Item> estate = {
      {300000, 0, "costs", 1}, {100000, 1, "new", 2}, {150000, 2, "o1", 3}, {50000, 2, "o2", 4}, {100000, 4, "A", 5}};
  CHECK(success(500000, estate).shares == Shares{300000, 100000, 75000, 25000, 0});
}

TEST_CASE("DOMAIN I10: expenses in full, fees pro rata", "[distribute][domain]") {
  std::vector<Item> estate = {{40000, 0, "expense", 1}, {90000, 1, "court", 2}, {210000, 1, "administrator", 3}};
  CHECK(success(100000, estate).shares == Shares{40000, 18000, 42000});
}

TEST_CASE("DOMAIN I11: subordinated ranks each in full before the next", "[distribute][domain]") {
  std::vector<Item> estate = {{100000, 0, "costs", 1},
                              {1000000, 1, "A", 2},
                              {60000, 2, "r39_1", 3},
                              {40000, 3, "r39_2", 4},
                              {30000, 4, "r39_3", 5}};
  CHECK(success(1180000, estate).shares == Shares{100000, 1000000, 60000, 20000, 0});
}

TEST_CASE("products beyond 2^63 are exact", "[distribute]") {
  // (6e18 + 1) * 3e18 is about 2^124; each quotient is 2e18 with remainder 3e18, the odd unit to "a".
  const int64_t claim = 3000000000000000000;
  Outcome outcome = success(6000000000000000001, {{claim, 0, "c", 3}, {claim, 0, "a", 1}, {claim, 0, "b", 2}});
  CHECK(outcome.shares == Shares{2000000000000000000, 2000000000000000001, 2000000000000000000});
  // The waterfall's scale: 10^10-cent claims in a tier of about 10^11.
  Outcome large = success(99999999999, {{10000000000, 0, "x", 1}, {90000000001, 0, "y", 2}});
  // q 9999999999 r 80000000001 and q 89999999999 r 20000000000: the one extra unit to the first.
  CHECK(large.shares == Shares{10000000000, 89999999999});
}

TEST_CASE("ties: remainder first, then creditor bytes (unsigned, prefix first), then id", "[distribute]") {
  // Five equal claims of 1 share 2 units: every remainder is equal, so the keys decide.
  std::vector<Item> items = {
      {1, 0, "cr7", 1}, {1, 0, "Cr-1", 2}, {1, 0, "C_3", 3}, {1, 0, "CR5", 4}, {1, 0, "CR12", 5}};
  CHECK(success(2, items).shares == Shares{0, 0, 0, 1, 1});
  // A byte above 0x7f sorts after ASCII (unsigned), and "CR" before its extension "CR1".
  CHECK(success(1, {{1, 0, "\xc3\xa9", 1}, {1, 0, "z", 2}}).shares == Shares{0, 1});
  CHECK(success(1, {{1, 0, "CR1", 1}, {1, 0, "CR", 2}}).shares == Shares{0, 1});
  // Same creditor: the smaller id.
  CHECK(success(1, {{1, 0, "CR5", 9}, {1, 0, "CR5", -3}}).shares == Shares{0, 1});
}

TEST_CASE("a descending tie key reverses its order", "[distribute]") {
  std::vector<int64_t> claims = {1, 1, 1};
  std::vector<int64_t> priority = {5, 9, 7};
  const TieKey ties[] = {TieKey::ofInts(priority.data(), /*descending=*/true)};
  DistributeInput input{2, 3, claims.data(), nullptr, ties, 1};
  DistributeScratch scratch;
  Shares shares(3, -1);
  int64_t rest = -1;
  REQUIRE(distribute(input, scratch, shares.data(), &rest) == ir::ErrorCode::None);
  CHECK(shares == Shares{0, 1, 1});
  CHECK(rest == 0);
}

TEST_CASE("without tiers every item is in one tier", "[distribute]") {
  std::vector<int64_t> claims = {100, 300};
  std::vector<int64_t> ids = {1, 2};
  const TieKey ties[] = {TieKey::ofInts(ids.data())};
  DistributeInput input{101, 2, claims.data(), nullptr, ties, 1};
  DistributeScratch scratch;
  Shares shares(2, -1);
  int64_t rest = -1;
  REQUIRE(distribute(input, scratch, shares.data(), &rest) == ir::ErrorCode::None);
  // 101 * 100 / 400 = 25.25, 101 * 300 / 400 = 75.75: the extra unit to the larger remainder.
  CHECK(shares == Shares{25, 76});
}

TEST_CASE("more than eight distinct ranks, negative and sparse, are paid in rank order", "[distribute]") {
  std::vector<Item> items;
  for (int32_t tier = 0; tier < 20; ++tier) items.push_back({10, 100 - 7 * tier, "c" + std::to_string(tier), tier});
  Outcome outcome = success(155, items);
  // Ranks descend with the item index: items 19..5 are the 15 lowest ranks, item 4 gets the last 5.
  for (size_t item = 0; item < 20; ++item) {
    int64_t expected = item >= 5 ? 10 : item == 4 ? 5 : 0;
    CHECK(outcome.shares[item] == expected);
  }
}

TEST_CASE("zero claims take nothing from a pro-rata tier", "[distribute]") {
  CHECK(success(3, {{0, 0, "A", 1}, {4, 0, "B", 2}, {0, 0, "C", 3}, {4, 0, "D", 4}}).shares == Shares{0, 2, 0, 1});
}

TEST_CASE("a negative claim or amount is an error, with zero shares", "[distribute][errors]") {
  Outcome outcome = runDistribute(100, {{50, 0, "A", 1}, {-1, 0, "B", 2}});
  CHECK(outcome.code == ir::ErrorCode::NegativeClaim);
  CHECK(outcome.shares == Shares{0, 0});
  CHECK(outcome.rest == 0);
  CHECK(errorOf(-1, {{50, 0, "A", 1}}) == ir::ErrorCode::NegativeClaim);
  CHECK(errorOf(-1, {}) == ir::ErrorCode::NegativeClaim);
}

TEST_CASE("claims summing beyond int64 are an overflow error", "[distribute][errors]") {
  CHECK(errorOf(0, {{INT64_MAX, 0, "A", 1}, {1, 1, "B", 2}}) == ir::ErrorCode::Overflow);
  CHECK(runDistribute(INT64_MAX, {{INT64_MAX - 1, 0, "A", 1}, {1, 1, "B", 2}}).shares == Shares{INT64_MAX - 1, 1});
}

TEST_CASE("an extra unit between indistinguishable items is an unresolved tie", "[distribute][errors]") {
  CHECK(errorOf(1, {{1, 0, "A", 7}, {1, 0, "A", 7}}) == ir::ErrorCode::UnresolvedTie);
  CHECK(errorOf(2, {{1, 0, "A", 7}, {1, 0, "A", 7}, {1, 0, "A", 7}}) == ir::ErrorCode::UnresolvedTie);
  // Equal items on the same side of the cut are fine: both get the unit, or neither does.
  CHECK(success(3, {{1, 0, "A", 7}, {1, 0, "A", 7}, {1, 0, "B", 1}, {1, 0, "C", 1}}).shares == Shares{1, 1, 1, 0});
  CHECK(success(1, {{1, 0, "A", 1}, {1, 0, "B", 7}, {1, 0, "B", 7}}).shares == Shares{1, 0, 0});
  CHECK(success(2, {{2, 0, "A", 7}, {2, 0, "A", 7}}).shares == Shares{1, 1});
}

TEST_CASE("a scratch reused across groups of different sizes gives the same shares", "[distribute]") {
  DistributeScratch scratch;
  std::vector<Item> large;
  for (int64_t id = 0; id < 100; ++id) large.push_back({id % 7 + 1, static_cast<int32_t>(id % 11), "c", id});
  Outcome first = runDistribute(123, large, scratch);
  Outcome small = runDistribute(2, {{1, 0, "B", 1}, {1, 0, "A", 2}, {1, 0, "C", 3}}, scratch);
  CHECK(small.shares == Shares{1, 1, 0});
  CHECK(runDistribute(123, large, scratch) == first);
  CHECK(runDistribute(123, large) == first);
}
