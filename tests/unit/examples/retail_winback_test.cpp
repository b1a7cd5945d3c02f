// examples/retail-winback over the raw UCI online_retail.csv through the public API on both engines. The
// expected Customer file is computed here in plain C++ from the raw file: its own quoted-CSV splitter,
// cancellations by the `C` of InvoiceNo, London's clock by the EU summer-time rule written out (not the
// engine's tzdata), and A-R4's candidate instant as the literal loop "quiet hours, then the cap, until
// nothing moves" over the list of mails sent (not the rules' three slots). The whole output must equal
// it byte for byte; the counts must add up (541,909 in = rows of customers out + rows without a
// CustomerID rejected, each with its line and reason). Run with the README's defaults and once with a
// win-back 1 hour after each purchase, where quiet hours and the cap really move mails. Skipped, with a
// notice, when ../shared/data is absent.
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/exec/api.hpp"
#include "tests/unit/examples/example_data.hpp"

namespace {

namespace fs = std::filesystem;
using regelwerk::EngineKind;
using regelwerk::testing::examples::dataDir;
using regelwerk::testing::examples::haveData;

constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 24 * kHour;

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One CSV line with standard quoting: `1,"A, B ""x""",2` → 1 | A, B "x" | 2. False when a quote is left
// open (the retail file has no line feed inside a cell, so a line is a record).
bool splitQuoted(const std::string& line, std::vector<std::string>* cells) {
  cells->assign(1, "");
  bool quoted = false;
  for (size_t pos = 0; pos < line.size(); ++pos) {
    const char ch = line[pos];
    if (quoted && ch == '"' && pos + 1 < line.size() && line[pos + 1] == '"') {
      cells->back().push_back('"');
      ++pos;
    } else if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      cells->emplace_back();
    } else {
      cells->back().push_back(ch);
    }
  }
  return !quoted;
}

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
int64_t daysOf(int64_t year, int64_t month, int64_t day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

// `seconds` as YYYY-MM-DDTHH:MM:SSZ (civil_from_days).
std::string isoOf(int64_t seconds) {
  const int64_t days = (seconds >= 0 ? seconds : seconds - kDay + 1) / kDay;
  const int64_t tod = seconds - days * kDay;
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2);
  char text[128];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day), static_cast<long long>(tod / kHour),
                static_cast<long long>(tod / 60 % 60), static_cast<long long>(tod % 60));
  return text;
}

// The last Sunday of a month at 01:00 UTC: when British summer time starts (March) or ends (October).
int64_t lastSundayOneUtc(int64_t year, int64_t month) {
  const int64_t last = daysOf(year + (month == 12), month == 12 ? 1 : month + 1, 1) - 1;
  const int64_t weekday = ((last + 4) % 7 + 7) % 7;  // 0 = Sunday; 1970-01-01 was a Thursday
  return (last - weekday) * kDay + kHour;
}

// London's offset from UTC at instant `utc`: +1 h from the last Sunday of March to the last of October.
int64_t londonOffset(int64_t utc) {
  const int64_t year = std::stoll(isoOf(utc).substr(0, 4));
  return utc >= lastSundayOneUtc(year, 3) && utc < lastSundayOneUtc(year, 10) ? kHour : 0;
}

// The instant London's clock shows `local` (seconds since 1970-01-01 00:00 local). The skipped hour
// (01:00–02:00 in March) keeps offset 0, the doubled one (in October) is read as summer time: the
// earlier instant.
int64_t londonUtcOf(int64_t local) {
  const int64_t year = std::stoll(isoOf(local).substr(0, 4));
  const bool summer = local >= lastSundayOneUtc(year, 3) + kHour && local < lastSundayOneUtc(year, 10) + kHour;
  return summer ? local - kHour : local;
}

// `2010-12-01 08:26:00` on London's clock as a UTC instant.
int64_t londonInstant(const std::string& text) {
  const int64_t days =
      daysOf(std::stoll(text.substr(0, 4)), std::stoll(text.substr(5, 2)), std::stoll(text.substr(8, 2)));
  const int64_t local = days * kDay + std::stoll(text.substr(11, 2)) * kHour + std::stoll(text.substr(14, 2)) * 60 +
                        std::stoll(text.substr(17, 2));
  return londonUtcOf(local);
}

// Quiet hours [21:00, 08:00) on London's clock move an instant to the next 08:00.
int64_t quiet(int64_t utc) {
  const int64_t local = utc + londonOffset(utc);
  const int64_t midnight = local - ((local % kDay) + kDay) % kDay;
  const int64_t tod = local - midnight;
  if (tod >= 21 * kHour) return londonUtcOf(midnight + kDay + 8 * kHour);
  if (tod < 8 * kHour) return londonUtcOf(midnight + 8 * kHour);
  return utc;
}

struct Policy {
  int64_t now = 0;
  int64_t winback_after = 90 * kDay;
  int64_t window = 7 * kDay;
  int64_t cap = 3;
  int64_t max_lateness = 72 * kHour;
};

// A-R4 for a marketing mail due at `due`, given the instants of the customer's mails so far: quiet
// hours, then the cap (the (|W| - N + 1)-th oldest mail of W = (s - 7 d, s] plus 7 d), until nothing moves.
struct Slot {
  int64_t at = 0;
  bool quiet_moved = false, cap_moved = false;
};
Slot schedule(int64_t due, const std::vector<int64_t>& mails, const Policy& policy) {
  Slot slot{due};
  int64_t base = due;  // the instant before the last quiet-hours move
  for (;;) {
    const int64_t after_quiet = quiet(slot.at);
    std::vector<int64_t> window;
    for (int64_t mail : mails) {
      if (mail > after_quiet - policy.window && mail <= after_quiet) window.push_back(mail);
    }
    std::sort(window.begin(), window.end());
    int64_t next = after_quiet;
    if (static_cast<int64_t>(window.size()) >= policy.cap) {
      next = window[window.size() - static_cast<size_t>(policy.cap)] + policy.window;
      base = next;
      slot.cap_moved = true;
    }
    if (next == slot.at) break;
    slot.at = next;
  }
  slot.quiet_moved = slot.at != base;
  return slot;
}

struct Customer {
  int64_t purchase_lines = 0, cancelled_lines = 0;
  std::vector<int64_t> purchases;  // instants of purchase lines up to now
};

struct Figures {
  std::string output;  // the whole Customer file
  int64_t rows = 0, rejected = 0, customers = 0;
  std::set<int64_t> rejected_lines;
  std::map<std::string, int64_t> thank_you, winback;
  int64_t winbacks_sent = 0, winbacks_cancelled = 0, quiet_moved = 0, cap_moved = 0;
};

const char* outcome(bool none, bool dropped, int64_t at, int64_t now) {
  if (none) return "none";
  if (dropped) return "dropped_late";
  return at <= now ? "sent" : "pending";
}

// One customer's row: the thank-you, then a win-back per purchase instant, in time order.
std::string customerRow(int64_t id, const Customer& customer, const Policy& policy, Figures* figures) {
  std::vector<int64_t> instants = customer.purchases;
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
  std::vector<int64_t> mails;
  int64_t sent = 0, cancelled = 0, dropped = 0, quiet_moved = 0, cap_moved = 0;
  const bool none = instants.empty();
  const int64_t thanks = none ? 0 : quiet(instants.front());
  if (!none) {
    mails.push_back(thanks);
    quiet_moved += thanks != instants.front();
  }
  Slot last{};
  bool last_dropped = false;
  for (size_t step = 0; step < instants.size(); ++step) {
    const int64_t due = instants[step] + policy.winback_after;
    const Slot slot = schedule(due, mails, policy);
    const bool dropped_late = slot.at - due > policy.max_lateness;
    const bool final = step + 1 == instants.size();
    if (!final && instants[step + 1] <= slot.at) {
      ++cancelled;
      continue;
    }
    if (dropped_late) {
      ++dropped;
    } else if (slot.at <= policy.now) {
      ++sent;
      mails.push_back(slot.at);
    }
    if (!dropped_late) quiet_moved += slot.quiet_moved, cap_moved += slot.cap_moved;
    if (final) last = slot, last_dropped = dropped_late;
  }
  const std::string thank_you = outcome(none, false, thanks, policy.now);
  const std::string winback = outcome(none, last_dropped, last.at, policy.now);
  ++figures->thank_you[thank_you];
  ++figures->winback[winback];
  figures->winbacks_sent += sent;
  figures->winbacks_cancelled += cancelled;
  figures->quiet_moved += quiet_moved;
  figures->cap_moved += cap_moved;
  auto instant = [&](int64_t at) { return none ? std::string() : isoOf(at); };
  return std::to_string(id) + "," + std::to_string(customer.purchase_lines) + "," +
         std::to_string(customer.cancelled_lines) + "," + instant(none ? 0 : instants.front()) + "," +
         instant(none ? 0 : instants.back()) + "," + thank_you + "," + instant(thanks) + "," + winback + "," +
         instant(last.at) + "," + std::to_string(sent) + "," + std::to_string(cancelled) + "," +
         std::to_string(dropped) + "," + std::to_string(quiet_moved) + "," + std::to_string(cap_moved) + "\n";
}

Figures expectedFrom(const std::string& path, const Policy& policy) {
  Figures figures;
  std::map<int64_t, Customer> customers;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header: InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
  std::vector<std::string> cells;
  for (int64_t line_number = 2; std::getline(in, line); ++line_number) {
    REQUIRE(splitQuoted(line, &cells));
    REQUIRE(cells.size() == 8);
    ++figures.rows;
    if (cells[6].empty()) {
      ++figures.rejected;
      figures.rejected_lines.insert(line_number);
      continue;
    }
    REQUIRE(cells[6].size() > 2);
    REQUIRE(cells[6].substr(cells[6].size() - 2) == ".0");
    Customer& customer = customers[std::stoll(cells[6])];
    const int64_t quantity = std::stoll(cells[3]);
    const bool cancellation = cells[0].front() == 'C';
    // The rules tell a cancellation by its negative quantity: on this file that is the same thing.
    REQUIRE(quantity != 0);
    REQUIRE(cancellation == (quantity < 0));
    if (cancellation) {
      ++customer.cancelled_lines;
      continue;
    }
    ++customer.purchase_lines;
    const int64_t at = londonInstant(cells[4]);
    if (at <= policy.now) customer.purchases.push_back(at);
  }
  figures.output =
      "customer,purchase_lines,cancelled_lines,first_purchase,last_purchase,thank_you,thank_you_at,winback,"
      "winback_at,winbacks_sent,winbacks_cancelled,winbacks_dropped,quiet_moved,cap_moved\n";
  for (const auto& [id, customer] : customers) figures.output += customerRow(id, customer, policy, &figures);
  figures.customers = static_cast<int64_t>(customers.size());
  return figures;
}

// The rejects file's reasons by count, and its lines.
void readRejects(const std::string& path, std::map<std::string, int64_t>* reasons, std::set<int64_t>* lines) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // input,line,column,reason,record
  std::vector<std::string> cells;
  while (std::getline(in, line)) {
    REQUIRE(splitQuoted(line, &cells));
    REQUIRE(cells.size() == 5);
    CHECK(cells[0] == "Line");
    lines->insert(std::stoll(cells[1]));
    ++(*reasons)[cells[3]];
  }
}

int64_t countOf(const std::map<std::string, int64_t>& counts, const std::string& key) {
  auto found = counts.find(key);
  return found == counts.end() ? 0 : found->second;
}

int64_t tallyOf(const regelwerk::RunSummary& summary, const std::string& output, const std::string& member) {
  for (const auto& tally : summary.tallies) {
    if (tally.output != output) continue;
    for (const auto& [name, rows] : tally.counts) {
      if (name == member) return rows;
    }
  }
  return -1;
}

void runBothEngines(const std::string& input, const std::vector<std::pair<std::string, std::string>>& params,
                    const Figures& expected) {
  regelwerk::Diagnostics diagnostics;
  std::string error;
  auto rules =
      regelwerk::RuleSet::load(RW_SOURCE_DIR "/examples/retail-winback/retail_winback.rules", &diagnostics, &error);
  INFO(diagnostics.text << error);
  REQUIRE(rules);
  const fs::path dir = fs::path(RW_BINARY_DIR) / "examples-retail-winback-scratch" / std::to_string(::getpid());
  fs::create_directories(dir);
  for (EngineKind kind : {EngineKind::Interp, EngineKind::Jit}) {
    const std::string engine_name = kind == EngineKind::Jit ? "jit" : "interp";
    INFO("engine " << engine_name);
    auto engine = regelwerk::Engine::create(*rules, kind, &error);
    REQUIRE(engine);
    regelwerk::RunOptions options;
    options.named_inputs = {{"Line", input}};
    options.named_outputs = {{"Customer", (dir / (engine_name + ".csv")).string()}};
    options.rejects_path = (dir / (engine_name + "_rejects.csv")).string();
    options.params = params;
    const regelwerk::RunSummary summary = regelwerk::run(*rules, *engine, options);
    INFO(summary.error);
    REQUIRE(summary.exit_code == 0);
    CHECK(summary.rows_in == expected.rows);
    CHECK(summary.rows_rejected == expected.rejected);
    CHECK(summary.rows_out == expected.rows - expected.rejected);
    for (const auto& [member, customers] : expected.thank_you)
      CHECK(tallyOf(summary, "thank_you", member) == customers);
    for (const auto& [member, customers] : expected.winback) CHECK(tallyOf(summary, "winback", member) == customers);
    std::map<std::string, int64_t> reasons;
    std::set<int64_t> lines;
    readRejects(options.rejects_path, &reasons, &lines);
    CHECK(reasons ==
          std::map<std::string, int64_t>{{"empty key cell: every record needs a `CustomerID`", expected.rejected}});
    CHECK(lines == expected.rejected_lines);
    const bool same = readAll(options.named_outputs[0].second) == expected.output;
    CHECK(same);
  }
  fs::remove_all(dir);
}

const char* const kRetailFile = "uci-online-retail/online_retail.csv";

// The figures of the raw file with the README's defaults (now = midnight after the last invoice) and
// the given delay of the win-back.
Figures retailFigures(int64_t winback_after) {
  Policy policy;
  policy.now = londonInstant("2011-12-10 00:00:00");
  policy.winback_after = winback_after;
  return expectedFrom(dataDir() + "/" + kRetailFile, policy);
}

}  // namespace

TEST_CASE("retail-winback: thank-yous and win-backs against the raw UCI online_retail.csv, both engines",
          "[examples][retail]") {
  if (!haveData(kRetailFile, "examples/retail-winback")) return;
  const Figures expected = retailFigures(90 * kDay);
  // SOURCE.md's counts, and the README's table.
  REQUIRE(expected.rows == 541909);
  CHECK(expected.rejected == 135080);
  CHECK(expected.customers == 4372);
  CHECK(countOf(expected.thank_you, "sent") == 4339);
  CHECK(countOf(expected.thank_you, "none") == 33);
  CHECK(countOf(expected.winback, "sent") == 1449);
  CHECK(countOf(expected.winback, "pending") == 2890);
  CHECK(expected.winbacks_sent == 3220);
  CHECK(expected.winbacks_cancelled == 12334);
  CHECK(expected.quiet_moved == 48);
  CHECK(expected.cap_moved == 0);
  runBothEngines(dataDir() + "/" + kRetailFile, {}, expected);
}

TEST_CASE("retail-winback: a win-back 1 hour after each purchase, where quiet hours and the cap bind, both engines",
          "[examples][retail]") {
  if (!haveData(kRetailFile, "examples/retail-winback")) return;
  const Figures expected = retailFigures(kHour);
  CHECK(countOf(expected.winback, "sent") == 4334);
  CHECK(countOf(expected.winback, "dropped_late") == 5);
  CHECK(expected.winbacks_sent == 16850);
  CHECK(expected.winbacks_cancelled == 1579);
  CHECK(expected.quiet_moved == 21);
  CHECK(expected.cap_moved == 131);
  runBothEngines(dataDir() + "/" + kRetailFile, {{"winback_after", "3600"}}, expected);
}
