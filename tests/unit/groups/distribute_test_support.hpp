// Helpers for the distribute tests: a group as owned columns (claims, tiers, creditor, id), run through
// the kernel with the waterfall's tie keys (creditor bytes, then id).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/groups/distribute.hpp"

namespace regelwerk::groups_test {

struct Item {
  int64_t claim;
  int32_t tier;
  std::string creditor;
  int64_t id;
};

struct Outcome {
  ir::ErrorCode code = ir::ErrorCode::None;
  std::vector<int64_t> shares;
  int64_t rest = -1;

  bool operator==(const Outcome& other) const {
    return code == other.code && shares == other.shares && rest == other.rest;
  }
};

// The items as the columns the kernel reads.
struct Columns {
  std::vector<int64_t> claims;
  std::vector<int32_t> tiers;
  std::vector<StrRef> creditors;
  std::vector<int64_t> ids;

  explicit Columns(const std::vector<Item>& items) {
    for (const Item& item : items) {
      claims.push_back(item.claim);
      tiers.push_back(item.tier);
      creditors.push_back(StrRef{item.creditor.data(), static_cast<int64_t>(item.creditor.size())});
      ids.push_back(item.id);
    }
  }
};

// distribute(amount, items) with ties creditor (bytes ascending) then id (ascending).
inline Outcome runDistribute(int64_t amount, const std::vector<Item>& items, DistributeScratch& scratch) {
  Columns columns(items);
  const TieKey ties[] = {TieKey::ofBytes(columns.creditors.data()), TieKey::ofInts(columns.ids.data())};
  DistributeInput input{amount, items.size(), columns.claims.data(), columns.tiers.data(), ties, 2};
  Outcome outcome;
  outcome.shares.assign(items.size(), -1);
  outcome.code = distribute(input, scratch, outcome.shares.data(), &outcome.rest);
  return outcome;
}

inline Outcome runDistribute(int64_t amount, const std::vector<Item>& items) {
  DistributeScratch scratch;
  return runDistribute(amount, items, scratch);
}

}  // namespace regelwerk::groups_test
