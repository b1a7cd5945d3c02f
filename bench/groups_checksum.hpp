// The CHECKSUM lines of shared/bench/groups.md ("Checksum" of waterfall and of events): one accumulator per
// workload, fed one output row at a time. Header-only and engine-free, shared by the hand-written baseline
// (groups_handwritten, which adds each row as it writes it) and groups_checksum (which reads the rows back
// from any implementation's output files), so both print the line by the same arithmetic.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regelwerk::groups {

// The values of decisions.csv, indexed by the codes of groups.md's `mix` (consent_code, reason_code).
inline constexpr std::array<std::string_view, 4> kConsentNames = {"none", "pending", "confirmed", "withdrawn"};
inline constexpr std::array<std::string_view, 8> kReasonNames = {
    "", "no_cart", "too_early", "purchased", "no_consent", "unsubscribed", "capped", "quiet"};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): 2025-03-30 → 20177.
inline int64_t daysFromCivil(int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<int64_t>(day_of_era) - 719468;
}

// `*sum += value`; false instead of wrapping when the sum leaves int64.
inline bool addChecked(int64_t* sum, int64_t value) { return !__builtin_add_overflow(*sum, value, sum); }

// `*sum += left * right`; false instead of wrapping.
inline bool addProductChecked(int64_t* sum, int64_t left, int64_t right) {
  int64_t product = 0;
  return !__builtin_mul_overflow(left, right, &product) && addChecked(sum, product);
}

// The waterfall line, from the rows of payouts.csv and estate_totals.csv (in any order). Every add
// returns false when a sum would leave int64; the line is then meaningless and the caller must stop.
class WaterfallChecksum {
 public:
  // payouts.csv row `estate_id,claim_id,payout_cents`: counts the claim and mixes the payout with its id,
  // so that a cent given to the wrong claim of a tier changes payout_mix.
  [[nodiscard]] bool addPayout(int64_t claim_id, int64_t payout_cents) {
    ++claims_;
    payout_zero_ += payout_cents == 0;
    return addChecked(&payout_sum_, payout_cents) &&
           addProductChecked(&payout_mix_, claim_id % 9973, payout_cents % 1000003);
  }

  // estate_totals.csv row `estate_id,paid_cents,surplus_cents,quota_bp`; no quota when the field is empty.
  [[nodiscard]] bool addEstate(int64_t estate_id, int64_t paid_cents, int64_t surplus_cents,
                               std::optional<int64_t> quota_bp) {
    ++estates_;
    if (!addChecked(&paid_sum_, paid_cents) || !addChecked(&surplus_sum_, surplus_cents)) return false;
    if (!quota_bp) return true;
    ++quota_n_;
    return addChecked(&quota_sum_, *quota_bp) && addProductChecked(&quota_mix_, estate_id % 9973, *quota_bp);
  }

  // "CHECKSUM waterfall claims=8 payout_sum=1201 … quota_mix=5388" (no line feed).
  std::string line() const {
    return "CHECKSUM waterfall claims=" + std::to_string(claims_) + " payout_sum=" + std::to_string(payout_sum_) +
           " payout_zero=" + std::to_string(payout_zero_) + " payout_mix=" + std::to_string(payout_mix_) +
           " estates=" + std::to_string(estates_) + " paid_sum=" + std::to_string(paid_sum_) +
           " surplus_sum=" + std::to_string(surplus_sum_) + " quota_n=" + std::to_string(quota_n_) +
           " quota_sum=" + std::to_string(quota_sum_) + " quota_mix=" + std::to_string(quota_mix_);
  }

 private:
  int64_t claims_ = 0, payout_sum_ = 0, payout_zero_ = 0, payout_mix_ = 0;
  int64_t estates_ = 0, paid_sum_ = 0, surplus_sum_ = 0, quota_n_ = 0, quota_sum_ = 0, quota_mix_ = 0;
};

// The events line, from the rows of decisions.csv (in any order). `consent` indexes kConsentNames,
// `reason` kReasonNames (0: decision `send`); `last_cart` is seconds since 1970, absent when the field is
// empty. False when a sum would leave int64.
class EventsChecksum {
 public:
  [[nodiscard]] bool add(int64_t contact_id, size_t consent, size_t reason, std::optional<int64_t> last_cart) {
    ++contacts_;
    ++consents_[consent];
    ++reasons_[reason];
    const int64_t code = 1 + 8 * static_cast<int64_t>(consent) + static_cast<int64_t>(reason);
    if (!addProductChecked(&mix_, contact_id % 9973, code)) return false;
    if (!last_cart) return true;
    ++last_cart_n_;
    return addChecked(&last_cart_sum_, *last_cart) &&
           addProductChecked(&cart_mix_, contact_id % 9973, *last_cart % 1000003);
  }

  // "CHECKSUM events contacts=3 none=0 … send=1 no_cart=0 … cart_mix=8898558" (no line feed).
  std::string line() const {
    std::string text = "CHECKSUM events contacts=" + std::to_string(contacts_);
    for (size_t consent = 0; consent < kConsentNames.size(); ++consent)
      text += " " + std::string(kConsentNames[consent]) + "=" + std::to_string(consents_[consent]);
    text += " send=" + std::to_string(reasons_[0]);
    for (size_t reason = 1; reason < kReasonNames.size(); ++reason)
      text += " " + std::string(kReasonNames[reason]) + "=" + std::to_string(reasons_[reason]);
    return text + " last_cart_n=" + std::to_string(last_cart_n_) + " last_cart_sum=" + std::to_string(last_cart_sum_) +
           " mix=" + std::to_string(mix_) + " cart_mix=" + std::to_string(cart_mix_);
  }

 private:
  int64_t contacts_ = 0, last_cart_n_ = 0, last_cart_sum_ = 0, mix_ = 0, cart_mix_ = 0;
  std::array<int64_t, kConsentNames.size()> consents_{};
  std::array<int64_t, kReasonNames.size()> reasons_{};
};

}  // namespace regelwerk::groups
