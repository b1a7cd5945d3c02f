// The `distribute` group kernel: tiers paid in full in rank order, largest remainder where the money
// runs out, and a conservation check on every result.
#include "runtime/groups/distribute.hpp"

#include <algorithm>
#include <cstring>

namespace regelwerk {

namespace {

using distribute_detail::Candidate;
using distribute_detail::TierTotal;
using ir::ErrorCode;

// Up to this many distinct ranks the tier totals are found by a linear probe (the waterfall has 6).
constexpr size_t kFewTiers = 8;

int32_t rankOf(const DistributeInput& input, size_t item) {
  return input.tiers ? input.tiers[item] : 0;
}

// The sum of all claims, or NegativeClaim / Overflow. All claims are >= 0, so every partial sum
// (a tier's, a run of tiers') fits once the total does.
ErrorCode totalClaims(const DistributeInput& input, int64_t* total) {
  int64_t sum = 0;
  for (size_t item = 0; item < input.count; ++item) {
    int64_t claim = input.claims[item];
    if (claim < 0) return ErrorCode::NegativeClaim;
    if (__builtin_add_overflow(sum, claim, &sum)) return ErrorCode::Overflow;
  }
  *total = sum;
  return ErrorCode::None;
}

// Tier totals by a linear probe over the distinct ranks seen so far; false once there are more than
// kFewTiers of them (the caller then sorts).
bool probeTierTotals(const DistributeInput& input, std::vector<TierTotal>* tiers) {
  tiers->clear();
  for (size_t item = 0; item < input.count; ++item) {
    int32_t rank = rankOf(input, item);
    auto found =
        std::find_if(tiers->begin(), tiers->end(), [rank](const TierTotal& tier) { return tier.rank == rank; });
    if (found != tiers->end()) {
      found->sum += input.claims[item];
      continue;
    }
    if (tiers->size() == kFewTiers) return false;
    tiers->push_back(TierTotal{rank, input.claims[item]});
  }
  return true;
}

// Tier totals for many distinct ranks: one entry per item, sorted by rank, runs merged in place.
void sortTierTotals(const DistributeInput& input, std::vector<TierTotal>* tiers) {
  tiers->clear();
  for (size_t item = 0; item < input.count; ++item)
    tiers->push_back(TierTotal{rankOf(input, item), input.claims[item]});
  auto byRank = [](const TierTotal& a, const TierTotal& b) { return a.rank < b.rank; };
  std::sort(tiers->begin(), tiers->end(), byRank);
  size_t kept = 0;
  for (size_t entry = 1; entry < tiers->size(); ++entry) {
    if ((*tiers)[entry].rank == (*tiers)[kept].rank) {
      (*tiers)[kept].sum += (*tiers)[entry].sum;
      continue;
    }
    (*tiers)[++kept] = (*tiers)[entry];
  }
  tiers->resize(kept + 1);
}

// The tier where the money runs out and what is left for it: the first rank (ascending) whose total
// exceeds what earlier tiers left. Requires amount < total of all claims, so such a tier exists.
// Example: amount 1000, costs 300, unsecured 1300 -> unsecured with 700 left.
struct Cut {
  int32_t rank;
  int64_t left;   // A for the cut tier, < its total
  int64_t total;  // C of the cut tier, > 0
};

Cut findCut(const DistributeInput& input, std::vector<TierTotal>* tiers) {
  if (!probeTierTotals(input, tiers)) sortTierTotals(input, tiers);
  std::sort(tiers->begin(), tiers->end(), [](const TierTotal& a, const TierTotal& b) { return a.rank < b.rank; });
  int64_t left = input.amount;
  for (const TierTotal& tier : *tiers) {
    if (left < tier.sum) return Cut{tier.rank, left, tier.sum};
    left -= tier.sum;
  }
  return Cut{tiers->back().rank, left, tiers->back().sum};  // unreachable when amount < total
}

int compareBytes(const StrRef& a, const StrRef& b) {
  size_t common = static_cast<size_t>(std::min(a.size, b.size));
  int order = common == 0 ? 0 : std::memcmp(a.data, b.data, common);  // memcmp compares unsigned bytes
  if (order != 0) return order < 0 ? -1 : 1;
  if (a.size == b.size) return 0;
  return a.size < b.size ? -1 : 1;
}

int compareKey(const TieKey& key, size_t a, size_t b) {
  int order = 0;
  if (key.kind == TieKey::Kind::Bytes) {
    order = compareBytes(key.bytes[a], key.bytes[b]);
  } else if (key.ints[a] != key.ints[b]) {
    order = key.ints[a] < key.ints[b] ? -1 : 1;
  }
  return key.descending ? -order : order;
}

// The order in which the extra units go: larger remainder first, then the tie keys. 0 only when the
// two are indistinguishable (same remainder, same value in every key).
int compareCandidates(const DistributeInput& input, const Candidate& a, const Candidate& b) {
  if (a.remainder != b.remainder) return a.remainder > b.remainder ? -1 : 1;
  for (size_t key = 0; key < input.tie_count; ++key) {
    int order = compareKey(input.ties[key], a.item, b.item);
    if (order != 0) return order;
  }
  return 0;
}

// floor(left * claim / total) and the remainder, exact: the product can exceed 2^63 (10^10 cents
// claimed from a pool of 10^11), so it is taken in 128 bits, divided in 64 when it fits.
void proRata(int64_t left, int64_t claim, int64_t total, int64_t* quotient, int64_t* remainder) {
  unsigned __int128 product = static_cast<unsigned __int128>(left) * static_cast<unsigned __int128>(claim);
  uint64_t divisor = static_cast<uint64_t>(total);
  if ((product >> 64) == 0) {
    uint64_t narrow = static_cast<uint64_t>(product);
    *quotient = static_cast<int64_t>(narrow / divisor);
    *remainder = static_cast<int64_t>(narrow % divisor);
    return;
  }
  unsigned __int128 wide_quotient = product / divisor;  // <= claim because left < total
  *quotient = static_cast<int64_t>(wide_quotient);
  *remainder = static_cast<int64_t>(product - wide_quotient * divisor);  // one library division, not two
}

// Writes every share from the cut: earlier tiers in full, the cut tier's quotients, later tiers 0.
// Collects the cut tier's items with a remainder > 0 and returns R, the units still to hand out.
int64_t payTiers(const DistributeInput& input, const Cut& cut, std::vector<Candidate>* candidates, int64_t* shares) {
  candidates->clear();
  int64_t quotients = 0;
  for (size_t item = 0; item < input.count; ++item) {
    int32_t rank = rankOf(input, item);
    if (rank != cut.rank) {
      shares[item] = rank < cut.rank ? input.claims[item] : 0;
      continue;
    }
    int64_t remainder = 0;
    proRata(cut.left, input.claims[item], cut.total, &shares[item], &remainder);
    quotients += shares[item];
    if (remainder > 0) candidates->push_back(Candidate{remainder, item});
  }
  return cut.left - quotients;
}

// Gives one unit to each of the first `units` candidates in compareCandidates order. Only the boundary
// matters, so this selects (nth_element) rather than sorts. Since sum(r_i) = C * R and every r_i < C,
// more than R items have r_i > 0: the winners all have a remainder and a first loser exists.
// Example: remainders 500 500 500 1100, R = 2 -> the 1100 and the first 500 by creditor bytes.
ErrorCode awardExtraUnits(const DistributeInput& input, int64_t units, std::vector<Candidate>* candidates,
                          int64_t* shares) {
  if (units == 0) return ErrorCode::None;
  if (units < 0 || static_cast<uint64_t>(units) >= candidates->size()) return ErrorCode::ConservationBroken;
  auto before = [&input](const Candidate& a, const Candidate& b) { return compareCandidates(input, a, b) < 0; };
  auto cut = candidates->begin() + units;
  std::nth_element(candidates->begin(), cut, candidates->end(), before);
  auto last_winner = std::max_element(candidates->begin(), cut, before);
  if (compareCandidates(input, *last_winner, *cut) == 0) return ErrorCode::UnresolvedTie;
  for (auto winner = candidates->begin(); winner != cut; ++winner) ++shares[winner->item];
  return ErrorCode::None;
}

// The invariants every result must keep, checked on the written shares: 0 <= share <= claim and the
// shares sum to min(amount, total claims); then rest = amount - that sum.
ErrorCode checkConservation(const DistributeInput& input, int64_t total, const int64_t* shares, int64_t* rest) {
  int64_t paid = 0;
  for (size_t item = 0; item < input.count; ++item) {
    if (shares[item] < 0 || shares[item] > input.claims[item]) return ErrorCode::ConservationBroken;
    paid += shares[item];  // <= total, so no overflow
  }
  if (paid != std::min(input.amount, total)) return ErrorCode::ConservationBroken;
  *rest = input.amount - paid;
  return ErrorCode::None;
}

ErrorCode distributeChecked(const DistributeInput& input, DistributeScratch& scratch, int64_t* shares, int64_t* rest) {
  if (input.amount < 0) return ErrorCode::NegativeClaim;
  int64_t total = 0;
  ErrorCode code = totalClaims(input, &total);
  if (code != ErrorCode::None) return code;
  if (input.amount >= total) {
    std::copy(input.claims, input.claims + input.count, shares);
    return checkConservation(input, total, shares, rest);
  }
  Cut cut = findCut(input, &scratch.tiers_);
  int64_t units = payTiers(input, cut, &scratch.candidates_, shares);
  code = awardExtraUnits(input, units, &scratch.candidates_, shares);
  if (code != ErrorCode::None) return code;
  return checkConservation(input, total, shares, rest);
}

}  // namespace

ErrorCode distribute(const DistributeInput& input, DistributeScratch& scratch, int64_t* shares, int64_t* rest) {
  ErrorCode code = distributeChecked(input, scratch, shares, rest);
  if (code == ErrorCode::None) return code;
  std::fill(shares, shares + input.count, 0);
  *rest = 0;
  return code;
}

}  // namespace regelwerk
