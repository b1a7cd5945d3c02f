// The `distribute` group kernel: an amount of integer units (cents) shared over the items of one group,
// tier by tier, pro rata by largest remainder in the tier where it runs out (docs/groups.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"

namespace regelwerk {

// One tie-key column over the items of a group: item k's key is bytes[k] or ints[k]. Bytes compare as
// unsigned bytes, a prefix before its extensions (`CR12` < `CR5` < `C_3` < `Cr-1` < `cr7`); ints as
// signed numbers. `descending` reverses this key's order.
struct TieKey {
  enum class Kind : uint8_t { Bytes, Int };

  Kind kind = Kind::Int;
  bool descending = false;
  const StrRef* bytes = nullptr;  // Kind::Bytes
  const int64_t* ints = nullptr;  // Kind::Int

  static TieKey ofBytes(const StrRef* column, bool descending = false) {
    return TieKey{Kind::Bytes, descending, column, nullptr};
  }
  static TieKey ofInts(const int64_t* column, bool descending = false) {
    return TieKey{Kind::Int, descending, nullptr, column};
  }
};

// One group as columns: item k has claims[k], tiers[k] and its tie keys at row k.
struct DistributeInput {
  int64_t amount = 0;               // the units to share, >= 0
  size_t count = 0;                 // items in the group
  const int64_t* claims = nullptr;  // each >= 0; a share never exceeds its claim
  const int32_t* tiers = nullptr;   // rank, lower is paid first; any item order; null: one tier
  const TieKey* ties = nullptr;     // tie keys after the remainder, most significant first
  size_t tie_count = 0;
};

namespace distribute_detail {
struct TierTotal {
  int32_t rank;
  int64_t sum;
};
struct Candidate {
  int64_t remainder;  // A * c mod C, in 0 .. C-1
  size_t item;
};
}  // namespace distribute_detail

// Working memory of distribute(), owned by the caller (one per thread, never shared between threads
// at once). It grows to the largest group seen and is reused, so once warm a call allocates nothing.
class DistributeScratch {
 public:
  std::vector<distribute_detail::TierTotal> tiers_;
  std::vector<distribute_detail::Candidate> candidates_;
};

// Shares `input.amount` over the group's items and writes shares[0..count) and *rest:
//  - tiers in ascending rank: a tier whose claims sum to C <= A is paid in full (A -= C);
//  - in the first tier with A < C, item i gets q_i = floor(A*c_i / C) (exact, 128-bit products),
//    and the R = A - sum(q_i) items with the largest r_i = A*c_i mod C, then by the tie keys, get one
//    unit more; every later tier gets 0;
//  - *rest = amount - sum(shares): what is left when the pool exceeds all claims, else 0.
// Returns ErrorCode::None, or (shares and *rest then zero, the caller rejects the group):
//  - NegativeClaim: the amount or a claim is below 0;
//  - Overflow: the claims sum beyond int64;
//  - UnresolvedTie: two items equal in remainder and in every tie key fall on both sides of the last
//    extra unit, so the result would depend on the item order (declare a unique tie key, e.g. the id);
//  - ConservationBroken: the checked invariants (0 <= share_i <= c_i, sum(shares) = min(A, sum(c)))
//    failed — a bug in this kernel, never a silent cent.
// Cost: O(n) for a pool that covers every claim or with R = 0; otherwise O(n) average selection of the
// R winners (O(n log n) worst case); tier totals O(n) for up to 8 distinct ranks, a sort beyond.
//
// Example (shared/bench/groups.md, estate 1): amount 1000; claims cr7 400 (claim 11), CR12 400 (12),
// C_3 400 (13), CR5 100 (14) unsecured (rank 2), CR5 300 costs (rank 0), CR9 250 sub1 (rank 3), ties
// creditor then claim id:
//   TieKey ties[] = {TieKey::ofBytes(creditors), TieKey::ofInts(claim_ids)};
//   DistributeInput input{1000, 6, claims, tiers, ties, 2};
//   distribute(input, scratch, shares, &rest);  // shares 215 216 215 54 300 0, rest 0
ir::ErrorCode distribute(const DistributeInput& input, DistributeScratch& scratch, int64_t* shares, int64_t* rest);

}  // namespace regelwerk
