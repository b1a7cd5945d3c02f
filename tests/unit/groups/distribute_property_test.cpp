// distribute over many random groups (seeded, deterministic): equal to the plain reference, and the
// invariants groups.md lists hold — conservation, caps, tier order, extra units only where r_i > 0 —
// whatever the order of the items.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "distribute_reference.hpp"
#include "distribute_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::groups_test;

namespace {

// Uniform in [low, high] from the raw 64-bit stream (std::uniform_int_distribution differs between
// standard libraries; this does not).
struct Random {
  std::mt19937_64 engine;
  explicit Random(uint64_t seed) : engine(seed) {}
  int64_t between(int64_t low, int64_t high) {
    uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
    return span == 0 ? static_cast<int64_t>(engine()) : low + static_cast<int64_t>(engine() % span);
  }
  bool chance(int percent) { return between(1, 100) <= percent; }
};

// How often the generator reached each case worth testing; the test asserts each was reached.
struct Coverage {
  int groups = 0;
  int surplus = 0;
  int tier_boundary = 0;
  int pro_rata = 0;
  int wide_products = 0;     // a cut-tier product A * c_i above 2^63
  int equal_remainders = 0;  // two winners-or-losers around the cut with the same remainder
  int many_tiers = 0;        // more than 8 distinct ranks
  int unresolved = 0;
  int empty = 0;
};

// Creditor ids that differ in byte order, case and prefixes: "CR12" < "CR5" < "C_3" < "Cr-1" < "cr7".
std::string randomCreditor(Random& random) {
  static const char* const kStems[] = {"CR", "cr", "Cr-", "C_", "C", "c", "", "CR1", "\xc3\xa9"};
  std::string creditor = kStems[random.between(0, 8)];
  if (random.chance(70)) creditor += std::to_string(random.between(1, 20));
  return creditor;
}

int64_t randomClaim(Random& random, bool huge) {
  static const int64_t kRound[] = {5000, 10000, 50000, 100000, 1000000, 10000000};
  if (random.chance(10)) return 0;
  if (huge) return random.between(1000000000, 10000000000);
  if (random.chance(35)) return kRound[random.between(0, 5)];
  int64_t digits = random.between(1, 10);
  int64_t limit = 1;
  for (int64_t digit = 0; digit < digits; ++digit) limit *= 10;
  return random.between(1, limit - 1);
}

int32_t randomTier(Random& random, int tier_mode) {
  if (tier_mode == 0) return 0;
  if (tier_mode == 1) return static_cast<int32_t>(random.between(0, 5));
  return static_cast<int32_t>(random.between(-30, 30));
}

std::vector<Item> randomItems(Random& random, size_t count, bool huge) {
  int tier_mode = static_cast<int>(random.between(0, 2));
  bool duplicate_ids = random.chance(5);
  std::vector<int64_t> ids(count);
  std::iota(ids.begin(), ids.end(), random.between(-5, 1000));
  std::shuffle(ids.begin(), ids.end(), random.engine);
  std::vector<Item> items;
  for (size_t index = 0; index < count; ++index) {
    // Copies of an earlier item (same tier and claim, often the same creditor) make equal remainders.
    if (index > 0 && random.chance(25)) {
      Item copy = items[static_cast<size_t>(random.between(0, static_cast<int64_t>(index) - 1))];
      if (random.chance(50)) copy.creditor = randomCreditor(random);
      copy.id = duplicate_ids ? copy.id : ids[index];
      items.push_back(copy);
      continue;
    }
    items.push_back(Item{randomClaim(random, huge), randomTier(random, tier_mode), randomCreditor(random),
                         duplicate_ids ? random.between(0, 3) : ids[index]});
  }
  return items;
}

// The sum of the claims of every rank below `limit`, for pools exactly at a tier boundary.
int64_t claimsBelow(const std::vector<Item>& items, int32_t limit) {
  int64_t sum = 0;
  for (const Item& item : items) sum += item.tier < limit ? item.claim : 0;
  return sum;
}

int64_t randomAmount(Random& random, const std::vector<Item>& items) {
  int64_t total = claimsBelow(items, INT32_MAX);
  switch (random.between(0, 6)) {
    case 0:
      return 0;
    case 1:
      return random.between(1, 5);
    case 2:
      return items.empty()
                 ? 7
                 : claimsBelow(
                       items,
                       items[static_cast<size_t>(random.between(0, static_cast<int64_t>(items.size()) - 1))].tier);
    case 3:
      return total;
    case 4:
      return total + random.between(1, 1000);
    case 5:
      return total == 0 ? 0 : total - random.between(1, std::min<int64_t>(total, 3));
    default:
      return total == 0 ? 0 : random.between(0, total - 1);
  }
}

// Per rank: the claims and the shares (ranks ascending).
std::map<int32_t, std::pair<int64_t, int64_t>> tierSums(const std::vector<Item>& items,
                                                        const std::vector<int64_t>& shares) {
  std::map<int32_t, std::pair<int64_t, int64_t>> sums;
  for (size_t index = 0; index < items.size(); ++index) {
    sums[items[index].tier].first += items[index].claim;
    sums[items[index].tier].second += shares[index];
  }
  return sums;
}

// groups.md's consequences, checked on a successful result; counts what the group exercised.
void checkInvariants(int64_t amount, const std::vector<Item>& items, const Outcome& outcome, Coverage* coverage) {
  int64_t paid = 0;
  int64_t total = 0;
  for (size_t index = 0; index < items.size(); ++index) {
    REQUIRE(outcome.shares[index] >= 0);
    REQUIRE(outcome.shares[index] <= items[index].claim);
    paid += outcome.shares[index];
    total += items[index].claim;
  }
  REQUIRE(paid + outcome.rest == amount);
  REQUIRE(paid == std::min(amount, total));
  if (amount >= total) ++coverage->surplus;
  // Tier order: once a tier is short, every later tier gets nothing.
  bool short_seen = false;
  int64_t left = amount;
  for (const auto& [rank, sums] : tierSums(items, outcome.shares)) {
    if (short_seen) REQUIRE(sums.second == 0);
    if (short_seen || sums.second == sums.first) {
      left -= sums.second;
      continue;
    }
    short_seen = true;
    if (left == 0) ++coverage->tier_boundary;
    // The cut tier: share - floor(A c / C) is 0 or 1, and 1 only where the remainder is > 0.
    ++coverage->pro_rata;
    std::map<unsigned __int128, int> winners_by_remainder;
    std::map<unsigned __int128, int> losers_by_remainder;
    for (size_t index = 0; index < items.size(); ++index) {
      if (items[index].tier != rank) continue;
      unsigned __int128 product =
          static_cast<unsigned __int128>(left) * static_cast<unsigned __int128>(items[index].claim);
      if (product >> 63 != 0) ++coverage->wide_products;
      int64_t extra =
          outcome.shares[index] - static_cast<int64_t>(product / static_cast<unsigned __int128>(sums.first));
      REQUIRE((extra == 0 || extra == 1));
      if (extra == 1) REQUIRE(product % static_cast<unsigned __int128>(sums.first) != 0);
      (extra == 1 ? winners_by_remainder : losers_by_remainder)[product % static_cast<unsigned __int128>(sums.first)]++;
    }
    for (const auto& [remainder, winners] : winners_by_remainder) {
      if (remainder > 0 && losers_by_remainder.count(remainder) != 0) ++coverage->equal_remainders;
    }
  }
  if (!short_seen) REQUIRE(outcome.rest == amount - total);
}

// The same items in another order: the shares, mapped back, must be identical.
void checkOrderIndependence(Random& random, int64_t amount, const std::vector<Item>& items, const Outcome& expected,
                            DistributeScratch& scratch) {
  std::vector<size_t> order(items.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), random.engine);
  std::vector<Item> shuffled;
  for (size_t index : order) shuffled.push_back(items[index]);
  Outcome outcome = runDistribute(amount, shuffled, scratch);
  REQUIRE(outcome.code == expected.code);
  REQUIRE(outcome.rest == expected.rest);
  for (size_t position = 0; position < order.size(); ++position) {
    REQUIRE(outcome.shares[position] == expected.shares[order[position]]);
  }
}

size_t randomCount(Random& random) {
  if (random.chance(10)) return static_cast<size_t>(random.between(0, 2));
  return static_cast<size_t>(random.between(3, random.chance(10) ? 300 : 60));
}

size_t distinctRanks(const std::vector<Item>& items) {
  std::vector<int32_t> ranks;
  for (const Item& item : items) ranks.push_back(item.tier);
  std::sort(ranks.begin(), ranks.end());
  return static_cast<size_t>(std::unique(ranks.begin(), ranks.end()) - ranks.begin());
}

}  // namespace

TEST_CASE("distribute equals the reference on random groups, in any item order", "[distribute][property]") {
  Random random(20261204);
  DistributeScratch scratch;
  Coverage coverage;
  for (int group = 0; group < 30000; ++group) {
    std::vector<Item> items = randomItems(random, randomCount(random), random.chance(15));
    int64_t amount = randomAmount(random, items);
    INFO("group " << group << " amount " << amount << " items " << items.size());
    Outcome outcome = runDistribute(amount, items, scratch);
    REQUIRE(outcome == referenceDistribute(amount, items));
    ++coverage.groups;
    coverage.many_tiers += distinctRanks(items) > 8 ? 1 : 0;
    coverage.empty += items.empty() ? 1 : 0;
    if (outcome.code == ir::ErrorCode::UnresolvedTie) ++coverage.unresolved;
    if (outcome.code == ir::ErrorCode::None) checkInvariants(amount, items, outcome, &coverage);
    checkOrderIndependence(random, amount, items, outcome, scratch);
  }
  INFO("surplus " << coverage.surplus << " boundary " << coverage.tier_boundary << " pro rata " << coverage.pro_rata
                  << " wide " << coverage.wide_products << " equal remainders " << coverage.equal_remainders
                  << " many tiers " << coverage.many_tiers << " unresolved " << coverage.unresolved);
  CHECK(coverage.surplus > 1000);
  CHECK(coverage.tier_boundary > 200);
  CHECK(coverage.pro_rata > 10000);
  CHECK(coverage.wide_products > 1000);
  CHECK(coverage.equal_remainders > 500);
  CHECK(coverage.many_tiers > 1000);
  CHECK(coverage.unresolved > 20);
  CHECK(coverage.empty > 100);
}

TEST_CASE("distribute reports the reference's errors for negative and overflowing claims", "[distribute][property]") {
  Random random(7);
  for (int group = 0; group < 2000; ++group) {
    std::vector<Item> items = randomItems(random, static_cast<size_t>(random.between(1, 20)), false);
    size_t victim = static_cast<size_t>(random.between(0, static_cast<int64_t>(items.size()) - 1));
    if (random.chance(50)) {
      items[victim].claim = -random.between(1, 1000);
    } else {
      int64_t below_max = random.between(0, 10);
      items[victim].claim = INT64_MAX - below_max;
      items.push_back(Item{below_max + random.between(1, 100), randomTier(random, 2), "X", 1000000000});
    }
    int64_t amount = random.chance(10) ? -1 : random.between(0, 1000000);
    Outcome outcome = runDistribute(amount, items);
    REQUIRE(outcome == referenceDistribute(amount, items));
    REQUIRE(outcome.code != ir::ErrorCode::None);
  }
}
