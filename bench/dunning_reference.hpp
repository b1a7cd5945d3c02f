// Reference semantics of the "dunning" workload (shared/bench/dunning.md), written straight from the
// spec and independent of the engine: the unit test compares the engine against it row by row, and
// the hand-written baseline calls its decision function.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk::dunning {

enum class Action : uint8_t { None, Reminder, Notice, Collection, WriteOff };
inline constexpr int kActionCount = 5;
// CSV spelling of each action, indexed by Action.
inline constexpr std::array<std::string_view, kActionCount> kActionNames = {"none", "reminder", "notice", "collection",
                                                                            "write_off"};

// Days since 1970-01-01, computed by <chrono> rather than by the civil-date formula the generator,
// the engine and the hand-written parser use, so a shared mistake there would show.
constexpr int64_t daysSinceEpoch(int year, unsigned month, unsigned day) {
  using namespace std::chrono;
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}}
      .time_since_epoch()
      .count();
}

inline constexpr int64_t kAsOf = daysSinceEpoch(2026, 11, 21);
inline constexpr int64_t kBaseRateBp = 127;
inline constexpr int64_t kWaitDays = 14;
inline constexpr int64_t kCollectionMinimumCents = 5000;

inline constexpr std::string_view kInputHeader =
    "id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed";
// The engine's output header (examples/dunning/dunning.rules); dunning.md calls the last two
// columns fee_cents and interest_cents.
inline constexpr std::string_view kOutputHeader = "id,action,new_level,fee,interest";

// One input record, parsed. Dates are days since 1970-01-01.
struct Invoice {
  int64_t id = 0;
  bool business = false;  // customer_type: consumer or business
  int64_t amount_cents = 0;
  int64_t paid_cents = 0;
  int64_t due_date = 0;
  bool has_last_notice = false;
  int64_t last_notice_date = 0;  // meaningful only when has_last_notice
  int64_t dunning_level = 0;
  bool disputed = false;
};

struct Decision {
  Action action = Action::None;
  int64_t new_level = 0;
  int64_t fee_cents = 0;
  int64_t interest_cents = 0;
  friend bool operator==(const Decision&, const Decision&) = default;
};

// Round-half-up of open * rate * days / (10000 * 365) in exact 64-bit integers; 0 for disputed,
// settled or not yet due invoices. Example: 1000.00 EUR open, consumer (6.27%), 365 days -> 62.70 EUR.
inline int64_t interestCents(const Invoice& invoice, int64_t open, int64_t overdue) {
  if (invoice.disputed || open <= 0 || overdue <= 0) return 0;
  const int64_t rate_bp = kBaseRateBp + (invoice.business ? 900 : 500);
  return (open * rate_bp * overdue + 1825000) / 3650000;
}

// The decision of dunning.md, first match wins. Inline so the hand-written baseline gets it
// inlined into its loops. Example: level 1, last notice 20 days ago, business -> notice, level 2,
// fee 40.00 EUR.
inline Decision decide(const Invoice& invoice) {
  const int64_t open = invoice.amount_cents - invoice.paid_cents;
  const int64_t overdue = kAsOf - invoice.due_date;
  const int64_t since_notice = invoice.has_last_notice ? kAsOf - invoice.last_notice_date : overdue;
  const int64_t level = invoice.dunning_level;
  Decision decision{Action::None, level, 0, interestCents(invoice, open, overdue)};
  if (invoice.disputed || open <= 0 || level == 4) return decision;
  if (level == 0 && overdue >= kWaitDays) {
    decision.action = Action::Reminder;
    decision.new_level = 1;
    return decision;
  }
  if ((level == 1 || level == 2) && since_notice >= kWaitDays) {
    decision.action = Action::Notice;
    decision.new_level = level + 1;
    decision.fee_cents = invoice.business ? (level == 1 ? 4000 : 0) : 500;
    return decision;
  }
  if (level == 3 && since_notice >= kWaitDays) {
    const bool collect = open >= kCollectionMinimumCents;
    decision.action = collect ? Action::Collection : Action::WriteOff;
    decision.new_level = collect ? 4 : 3;
  }
  return decision;
}

// The CHECKSUM line of dunning.md: counts per action and sums of fee, interest and new level.
struct Checksum {
  int64_t rows = 0;
  std::array<int64_t, kActionCount> actions{};
  int64_t fee_sum = 0;
  int64_t interest_sum = 0;
  int64_t level_sum = 0;

  void add(const Decision& decision) {
    ++rows;
    ++actions[static_cast<size_t>(decision.action)];
    fee_sum += decision.fee_cents;
    interest_sum += decision.interest_cents;
    level_sum += decision.new_level;
  }
  void merge(const Checksum& other);
  // "CHECKSUM rows=100000 none=35265 … level_sum=263949"
  std::string line() const;
  friend bool operator==(const Checksum&, const Checksum&) = default;
};

// The reference line dunning.md gives for `rows` rows of seed 42, or "" for other sizes.
std::string_view documentedChecksum(int64_t rows);

// "2026-11-21" -> days since 1970-01-01. False unless exactly YYYY-MM-DD and a real calendar day.
bool parseDate(std::string_view text, int64_t* days);
// One data line of the input CSV, without its line break. False with `error` set if malformed.
bool parseInvoice(std::string_view line, Invoice* invoice, std::string* error);

struct OutputRow {
  int64_t id = 0;
  Decision decision;
};
// One data line of the output CSV (`kOutputHeader`). False with `error` set if malformed.
bool parseOutputRow(std::string_view line, OutputRow* row, std::string* error);
// The output line for one record, without a line break: "17,notice,2,500,1234".
std::string formatOutputRow(int64_t id, const Decision& decision);

// Whole-file readers for tests and the benchmark's checks: the header must match, every line parse.
// On failure `error` names the file and line.
bool readInvoices(const std::string& path, std::vector<Invoice>* invoices, std::string* error);
bool readOutputRows(const std::string& path, std::vector<OutputRow>* rows, std::string* error);

}  // namespace regelwerk::dunning
