// The input of std.autoresponder for the issue 9 benchmark (bench_stdlib autoresponder): N contacts
// with 10 events each, the send log and the facts per contact and campaign, written as `contact.csv`,
// `event.csv`, `sent.csv`, `fact.csv` and the shared `campaign.csv` and `unless.csv` in the module's
// columns (stdlib-rules/std/autoresponder.rules). The mix is described in autoresponder_workload.cpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace regelwerk::bench {

// `now` of the workload: 2025-03-30T06:00:00Z, the instant of shared/bench/groups.md ("events"), on
// the day summer time begins in Europe (Berlin shows exactly 08:00, London 07:00).
inline constexpr int64_t kAutoresponderNow = 1743314400;
inline constexpr const char* kAutoresponderNowText = "2025-03-30T06:00:00Z";

// What was written: rows per file, and the candidates the module will make, per campaign (for the
// results table).
struct AutoresponderCounts {
  int64_t contacts = 0;
  int64_t events = 0;
  int64_t sent = 0;
  int64_t candidates = 0;
  std::map<std::string, int64_t> candidates_by_campaign;
  int64_t facts = 0;
  int64_t items() const { return events + sent + facts; }
};

// Writes the files for `contacts` contacts from `seed`, sorted by `contact_id` (C0000001 …, so
// byte order is numeric order) and inside a contact in the order each input declares. The same arguments give the same bytes. Needs the system's tzdata (the due
// instants of date and anniversary campaigns are local wall-clock times).
AutoresponderCounts writeAutoresponderWorkload(const std::filesystem::path& folder, int64_t contacts, uint64_t seed);

}  // namespace regelwerk::bench
