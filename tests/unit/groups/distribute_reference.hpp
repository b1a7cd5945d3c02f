// A deliberately plain second implementation of distribute for the property test: every rank in a
// std::set, every product in unsigned __int128, a full std::sort of the cut tier by std::string order.
// It shares no code with runtime/groups/distribute.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <vector>

#include "distribute_test_support.hpp"

namespace regelwerk::groups_test {

struct ReferenceRow {
  size_t item;
  unsigned __int128 remainder;
};

inline Outcome referenceFailure(ir::ErrorCode code, size_t count) {
  Outcome outcome;
  outcome.code = code;
  outcome.shares.assign(count, 0);
  outcome.rest = 0;
  return outcome;
}

// Sorts the tier by remainder descending, creditor (std::string compares bytes as unsigned char), id;
// gives one unit to the first `units`. UnresolvedTie when the last winner equals the first loser.
inline bool referenceExtraUnits(const std::vector<Item>& items, std::vector<ReferenceRow> rows, unsigned __int128 units,
                                std::vector<int64_t>* shares) {
  auto before = [&items](const ReferenceRow& a, const ReferenceRow& b) {
    if (a.remainder != b.remainder) return a.remainder > b.remainder;
    if (items[a.item].creditor != items[b.item].creditor) return items[a.item].creditor < items[b.item].creditor;
    return items[a.item].id < items[b.item].id;
  };
  std::sort(rows.begin(), rows.end(), before);
  if (units > 0 && units < rows.size() && !before(rows[units - 1], rows[units])) return false;
  for (size_t row = 0; row < units; ++row) (*shares)[rows[row].item] += 1;
  return true;
}

inline Outcome referenceDistribute(int64_t amount, const std::vector<Item>& items) {
  if (amount < 0) return referenceFailure(ir::ErrorCode::NegativeClaim, items.size());
  __int128 total = 0;
  std::set<int32_t> ranks;
  for (const Item& item : items) {
    if (item.claim < 0) return referenceFailure(ir::ErrorCode::NegativeClaim, items.size());
    total += item.claim;
    ranks.insert(item.tier);
  }
  if (total > INT64_MAX) return referenceFailure(ir::ErrorCode::Overflow, items.size());
  Outcome outcome;
  outcome.shares.assign(items.size(), 0);
  unsigned __int128 left = static_cast<unsigned __int128>(amount);
  for (int32_t rank : ranks) {
    unsigned __int128 tier_total = 0;
    for (const Item& item : items) {
      if (item.tier == rank) tier_total += static_cast<unsigned __int128>(item.claim);
    }
    if (left >= tier_total) {
      for (size_t index = 0; index < items.size(); ++index) {
        if (items[index].tier == rank) outcome.shares[index] = items[index].claim;
      }
      left -= tier_total;
      continue;
    }
    std::vector<ReferenceRow> rows;
    unsigned __int128 given = 0;
    for (size_t index = 0; index < items.size(); ++index) {
      if (items[index].tier != rank) continue;
      unsigned __int128 product = left * static_cast<unsigned __int128>(items[index].claim);
      outcome.shares[index] = static_cast<int64_t>(product / tier_total);
      given += product / tier_total;
      rows.push_back(ReferenceRow{index, product % tier_total});
    }
    if (!referenceExtraUnits(items, rows, left - given, &outcome.shares)) {
      return referenceFailure(ir::ErrorCode::UnresolvedTie, items.size());
    }
    left = 0;
  }
  int64_t paid = 0;
  for (int64_t share : outcome.shares) paid += share;
  outcome.rest = amount - paid;
  return outcome;
}

}  // namespace regelwerk::groups_test
