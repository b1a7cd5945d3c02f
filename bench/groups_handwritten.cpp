// The hand-written baselines of shared/bench/groups.md: what a competent engineer writes for the two
// grouped workloads without a rules engine. mmap the inputs, sort the records by key (so shuffled input
// works), evaluate each group, write the output files in key order, and print the CHECKSUM line.
//
//   groups_handwritten waterfall DATA_DIR OUT_DIR   # estates.csv, claims.csv -> payouts.csv, estate_totals.csv
//   groups_handwritten events DATA_DIR OUT_DIR      # contacts.csv, events.csv -> decisions.csv
//
// Single-threaded on purpose: it is the 1-thread yardstick of bench/RESULTS.md. Inputs are the
// generator's (no quoting); a malformed line stops the program with its line number.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/groups_checksum.hpp"

namespace {

using regelwerk::groups::daysFromCivil;

// ---- reading ------------------------------------------------------------------------------------

struct MappedFile {
  const char* data = nullptr;
  size_t size = 0;
};

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "groups_handwritten: %s\n", message.c_str());
  std::exit(2);
}

MappedFile mapFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  struct stat info {};
  if (fd < 0 || ::fstat(fd, &info) != 0) die("cannot open " + path);
  MappedFile file;
  file.size = static_cast<size_t>(info.st_size);
  if (file.size > 0) {
    void* address = ::mmap(nullptr, file.size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (address == MAP_FAILED) die("cannot map " + path);
    file.data = static_cast<const char*>(address);
  }
  ::close(fd);
  return file;
}

// Walks the lines of a mapped file after its header; each take* consumes a field and its separator.
struct LineReader {
  const char* pos;
  const char* end;
  int64_t line = 1;
  std::string file;

  LineReader(const MappedFile& mapped, std::string name) : pos(mapped.data), end(mapped.data + mapped.size), file(std::move(name)) {
    const char* header_end = static_cast<const char*>(std::memchr(pos, '\n', static_cast<size_t>(end - pos)));
    pos = header_end == nullptr ? end : header_end + 1;
  }
  bool atEnd() const { return pos >= end; }
  [[noreturn]] void bad() const { die(file + ":" + std::to_string(line) + ": malformed line"); }

  int64_t takeInt(char separator) {
    int64_t value = 0;
    const char* digits = pos;
    while (pos < end && static_cast<unsigned>(*pos - '0') < 10) value = value * 10 + (*pos++ - '0');
    if (pos == digits || pos >= end || *pos != separator) bad();
    ++pos;
    return value;
  }
  // An empty field is allowed (groups.md: "no value"); the generator writes none in these columns.
  std::string_view takeText(char separator) {
    const char* start = pos;
    while (pos < end && *pos != separator && *pos != '\n') ++pos;
    if (pos >= end || *pos != separator) bad();
    return std::string_view(start, static_cast<size_t>(pos++ - start));
  }
  void nextLine() { ++line; }
};

// ---- time ---------------------------------------------------------------------------------------

unsigned digits(const char* text, int count) {
  unsigned value = 0;
  for (int index = 0; index < count; ++index) value = value * 10 + static_cast<unsigned>(text[index] - '0');
  return value;
}

// "2025-03-04T10:00:00Z" -> seconds since 1970-01-01T00:00:00Z.
int64_t parseInstant(std::string_view text) {
  if (text.size() != 20 || text[10] != 'T' || text[19] != 'Z') die("bad instant `" + std::string(text) + "`");
  const char* p = text.data();
  int64_t days = daysFromCivil(digits(p, 4), digits(p + 5, 2), digits(p + 8, 2));
  return days * 86400 + digits(p + 11, 2) * 3600 + digits(p + 14, 2) * 60 + digits(p + 17, 2);
}

void appendDigits(int64_t value, int count, std::string* out) {
  char text[8];
  for (int index = count - 1; index >= 0; --index, value /= 10) text[index] = static_cast<char>('0' + value % 10);
  out->append(text, static_cast<size_t>(count));
}

// Seconds since 1970 -> "2025-03-04T10:00:00Z" (H. Hinnant's civil_from_days; instants after 1970).
void appendInstant(int64_t seconds, std::string* out) {
  int64_t days = seconds / 86400 + 719468;
  int64_t second_of_day = seconds % 86400;
  const int64_t era = days / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_index = (5 * day_of_year + 2) / 153;
  const int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  appendDigits(year_of_era + era * 400 + (month <= 2), 4, out);
  out->push_back('-');
  appendDigits(month, 2, out);
  out->push_back('-');
  appendDigits(day, 2, out);
  out->push_back('T');
  appendDigits(second_of_day / 3600, 2, out);
  out->push_back(':');
  appendDigits(second_of_day / 60 % 60, 2, out);
  out->push_back(':');
  appendDigits(second_of_day % 60, 2, out);
  out->push_back('Z');
}

// Whether `now` falls in the quiet hours [21:00, 08:00) local time of `zone`, from the system's tzdata
// through the C library; one look-up per zone name.
bool quietAt(int64_t now, std::string_view zone, std::map<std::string, bool, std::less<>>* cache) {
  auto found = cache->find(zone);
  if (found != cache->end()) return found->second;
  std::string name(zone);
  ::setenv("TZ", name.c_str(), 1);
  ::tzset();
  std::time_t time = static_cast<std::time_t>(now);
  std::tm local {};
  ::localtime_r(&time, &local);
  int seconds_of_day = local.tm_hour * 3600 + local.tm_min * 60 + local.tm_sec;
  bool quiet = seconds_of_day >= 21 * 3600 || seconds_of_day < 8 * 3600;
  cache->emplace(name, quiet);
  return quiet;
}

// ---- writing ------------------------------------------------------------------------------------

void appendInt(int64_t value, std::string* out) {
  char text[24];
  char* end = text + sizeof text;
  char* pos = end;
  uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  do *--pos = static_cast<char>('0' + magnitude % 10); while ((magnitude /= 10) != 0);
  if (value < 0) *--pos = '-';
  out->append(pos, static_cast<size_t>(end - pos));
}

void writeFile(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr || std::fwrite(text.data(), 1, text.size(), file) != text.size() || std::fclose(file) != 0) {
    die("cannot write " + path);
  }
}

// ---- waterfall ----------------------------------------------------------------------------------

struct Claim {
  int64_t estate;
  int64_t id;
  std::string_view creditor;
  int tier;
  int64_t amount;
  int64_t payout;
};

int tierOf(std::string_view name) {
  static const std::array<std::string_view, 6> kTiers = {"costs", "estate_debt", "unsecured", "sub1", "sub2", "sub3"};
  for (size_t tier = 0; tier < kTiers.size(); ++tier) {
    if (name == kTiers[tier]) return static_cast<int>(tier);
  }
  return -1;
}

// The tier where the money runs out: largest remainder, ties by creditor bytes then claim id.
void proRata(int64_t available, int64_t total, std::vector<Claim*>* tier) {
  struct Share {
    Claim* claim;
    unsigned __int128 remainder;
  };
  std::vector<Share> shares;
  int64_t given = 0;
  for (Claim* claim : *tier) {
    unsigned __int128 product = static_cast<unsigned __int128>(available) * static_cast<uint64_t>(claim->amount);
    claim->payout = static_cast<int64_t>(product / static_cast<uint64_t>(total));
    given += claim->payout;
    shares.push_back({claim, product % static_cast<uint64_t>(total)});
  }
  std::sort(shares.begin(), shares.end(), [](const Share& a, const Share& b) {
    if (a.remainder != b.remainder) return a.remainder > b.remainder;
    if (a.claim->creditor != b.claim->creditor) return a.claim->creditor < b.claim->creditor;  // bytes
    return a.claim->id < b.claim->id;
  });
  for (int64_t extra = 0; extra < available - given; ++extra) ++shares[static_cast<size_t>(extra)].claim->payout;
}

// One estate: tiers in order, each paid in full while the money lasts. Returns the amount paid.
int64_t distributeEstate(int64_t pool, Claim* first, Claim* last, int64_t* unsecured_total, int64_t* unsecured_paid) {
  std::array<std::vector<Claim*>, 6> tiers;
  std::array<int64_t, 6> totals{};
  for (Claim* claim = first; claim != last; ++claim) {
    tiers[static_cast<size_t>(claim->tier)].push_back(claim);
    totals[static_cast<size_t>(claim->tier)] += claim->amount;
  }
  int64_t available = pool;
  for (size_t tier = 0; tier < tiers.size(); ++tier) {
    if (available >= totals[tier]) {
      for (Claim* claim : tiers[tier]) claim->payout = claim->amount;
      available -= totals[tier];
      continue;
    }
    proRata(available, totals[tier], &tiers[tier]);
    available = 0;
  }
  *unsecured_total = totals[2];
  *unsecured_paid = 0;
  for (Claim* claim : tiers[2]) *unsecured_paid += claim->payout;
  return pool - available;
}

// The checksum sums leave int64 only for data far beyond groups.md's sizes; then there is no line to print.
void checkSum(bool in_range) {
  if (!in_range) die("a checksum sum leaves the 64-bit range");
}

int64_t runWaterfall(const std::string& data, const std::string& out) {
  MappedFile estates_file = mapFile(data + "/estates.csv");
  MappedFile claims_file = mapFile(data + "/claims.csv");
  std::vector<std::pair<int64_t, int64_t>> estates;  // id, pool
  for (LineReader reader(estates_file, "estates.csv"); !reader.atEnd(); reader.nextLine()) {
    int64_t id = reader.takeInt(',');
    estates.emplace_back(id, reader.takeInt('\n'));
  }
  std::vector<Claim> claims;
  for (LineReader reader(claims_file, "claims.csv"); !reader.atEnd(); reader.nextLine()) {
    Claim claim{};
    claim.estate = reader.takeInt(',');
    claim.id = reader.takeInt(',');
    claim.creditor = reader.takeText(',');
    claim.tier = tierOf(reader.takeText(','));
    claim.amount = reader.takeInt('\n');
    if (claim.tier < 0) reader.bad();
    claims.push_back(claim);
  }
  auto by_key = [](const Claim& a, const Claim& b) { return a.estate != b.estate ? a.estate < b.estate : a.id < b.id; };
  if (!std::is_sorted(claims.begin(), claims.end(), by_key)) std::sort(claims.begin(), claims.end(), by_key);
  std::sort(estates.begin(), estates.end());

  regelwerk::groups::WaterfallChecksum checksum;
  std::string totals_text = "estate_id,paid_cents,surplus_cents,quota_bp\n";
  size_t next_claim = 0;
  for (auto [estate, pool] : estates) {
    while (next_claim < claims.size() && claims[next_claim].estate < estate) ++next_claim;  // claims of no estate
    size_t end_claim = next_claim;
    while (end_claim < claims.size() && claims[end_claim].estate == estate) ++end_claim;
    int64_t unsecured_total = 0, unsecured_paid = 0;
    int64_t paid = distributeEstate(pool, claims.data() + next_claim, claims.data() + end_claim, &unsecured_total,
                                    &unsecured_paid);
    next_claim = end_claim;
    appendInt(estate, &totals_text);
    totals_text += ',';
    appendInt(paid, &totals_text);
    totals_text += ',';
    appendInt(pool - paid, &totals_text);
    totals_text += ',';
    std::optional<int64_t> quota;
    if (unsecured_total > 0) {
      auto twice = static_cast<__int128>(20000) * unsecured_paid + unsecured_total;
      quota = static_cast<int64_t>(twice / (2 * static_cast<__int128>(unsecured_total)));
      appendInt(*quota, &totals_text);
    }
    checkSum(checksum.addEstate(estate, paid, pool - paid, quota));
    totals_text += '\n';
  }
  std::string payouts_text = "estate_id,claim_id,payout_cents\n";
  for (const Claim& claim : claims) {
    appendInt(claim.estate, &payouts_text);
    payouts_text += ',';
    appendInt(claim.id, &payouts_text);
    payouts_text += ',';
    appendInt(claim.payout, &payouts_text);
    payouts_text += '\n';
    checkSum(checksum.addPayout(claim.id, claim.payout));
  }
  writeFile(out + "/payouts.csv", payouts_text);
  writeFile(out + "/estate_totals.csv", totals_text);
  std::printf("%s\n", checksum.line().c_str());
  return static_cast<int64_t>(estates.size() + claims.size());
}

// ---- events -------------------------------------------------------------------------------------

enum Kind { kSignup, kDoiConfirmed, kUnsubscribe, kCartAbandoned, kPurchase, kSentMarketing };
enum Consent { kNone, kPending, kConfirmed, kWithdrawn };

struct Event {
  int64_t contact;
  int64_t id;
  int64_t at;
  int kind;
};

int kindOf(std::string_view name) {
  static const std::array<std::string_view, 6> kKinds = {"signup",   "doi_confirmed", "unsubscribe",
                                                         "cart_abandoned", "purchase", "sent_marketing"};
  for (size_t kind = 0; kind < kKinds.size(); ++kind) {
    if (name == kKinds[kind]) return static_cast<int>(kind);
  }
  return -1;
}

struct Decision {
  int consent = kNone;
  int reason = 0;  // 0 send, 1 no_cart .. 7 quiet
  bool has_cart = false;
  int64_t last_cart = 0;
};

// One contact's considered events (at <= now), in (at, event_id) order.
Decision decide(const Event* first, const Event* last, int64_t now, bool quiet) {
  Decision decision;
  int64_t since = 0;
  int64_t sent7 = 0;
  for (const Event* event = first; event != last; ++event) {
    if (event->at > now) continue;
    switch (event->kind) {
      case kSignup:
        if (decision.consent != kConfirmed) decision.consent = kPending, since = event->at;
        break;
      case kDoiConfirmed:
        if (decision.consent == kPending && event->at - since <= 604800) decision.consent = kConfirmed;
        break;
      case kUnsubscribe: decision.consent = kWithdrawn; break;
      case kCartAbandoned: decision.has_cart = true, decision.last_cart = event->at; break;
      case kSentMarketing: sent7 += now - 604800 < event->at; break;
      default: break;
    }
  }
  bool purchased = false;
  for (const Event* event = first; event != last && decision.has_cart; ++event) {
    purchased = purchased || (event->at <= now && event->kind == kPurchase && event->at > decision.last_cart);
  }
  if (!decision.has_cart) decision.reason = 1;
  else if (now - decision.last_cart < 86400) decision.reason = 2;
  else if (purchased) decision.reason = 3;
  else if (decision.consent == kNone || decision.consent == kPending) decision.reason = 4;
  else if (decision.consent == kWithdrawn) decision.reason = 5;
  else if (sent7 >= 3) decision.reason = 6;
  else if (quiet) decision.reason = 7;
  return decision;
}

int64_t runEvents(const std::string& data, const std::string& out, int64_t now) {
  MappedFile contacts_file = mapFile(data + "/contacts.csv");
  MappedFile events_file = mapFile(data + "/events.csv");
  std::vector<std::pair<int64_t, std::string_view>> contacts;
  for (LineReader reader(contacts_file, "contacts.csv"); !reader.atEnd(); reader.nextLine()) {
    int64_t id = reader.takeInt(',');
    contacts.emplace_back(id, reader.takeText('\n'));
  }
  std::vector<Event> events;
  for (LineReader reader(events_file, "events.csv"); !reader.atEnd(); reader.nextLine()) {
    Event event{};
    event.contact = reader.takeInt(',');
    event.id = reader.takeInt(',');
    event.at = parseInstant(reader.takeText(','));
    event.kind = kindOf(reader.takeText('\n'));
    if (event.kind < 0) reader.bad();
    events.push_back(event);
  }
  auto in_order = [](const Event& a, const Event& b) {
    if (a.contact != b.contact) return a.contact < b.contact;
    return a.at != b.at ? a.at < b.at : a.id < b.id;
  };
  if (!std::is_sorted(events.begin(), events.end(), in_order)) std::sort(events.begin(), events.end(), in_order);
  std::sort(contacts.begin(), contacts.end());

  using regelwerk::groups::kConsentNames;
  using regelwerk::groups::kReasonNames;
  regelwerk::groups::EventsChecksum checksum;
  std::map<std::string, bool, std::less<>> quiet_cache;
  std::string text = "contact_id,consent,decision,reason,last_cart_at\n";
  size_t next = 0;
  for (auto [contact, zone] : contacts) {
    while (next < events.size() && events[next].contact < contact) ++next;
    size_t end = next;
    while (end < events.size() && events[end].contact == contact) ++end;
    Decision decision = decide(events.data() + next, events.data() + end, now, quietAt(now, zone, &quiet_cache));
    next = end;
    appendInt(contact, &text);
    text += ',';
    text += kConsentNames[static_cast<size_t>(decision.consent)];
    text += decision.reason == 0 ? ",send," : ",skip,";
    text += kReasonNames[static_cast<size_t>(decision.reason)];
    text += ',';
    if (decision.has_cart) appendInstant(decision.last_cart, &text);
    text += '\n';
    std::optional<int64_t> last_cart;
    if (decision.has_cart) last_cart = decision.last_cart;
    checkSum(checksum.add(contact, static_cast<size_t>(decision.consent), static_cast<size_t>(decision.reason), last_cart));
  }
  writeFile(out + "/decisions.csv", text);
  std::printf("%s\n", checksum.line().c_str());
  return static_cast<int64_t>(contacts.size() + events.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::strcmp(argv[1], "waterfall") != 0 && std::strcmp(argv[1], "events") != 0)) {
    std::fprintf(stderr, "usage: groups_handwritten waterfall|events DATA_DIR OUT_DIR\n");
    return 2;
  }
  auto started = std::chrono::steady_clock::now();
  const int64_t now = parseInstant("2025-03-30T06:00:00Z");  // groups.md's fixed `now`
  int64_t records = std::strcmp(argv[1], "waterfall") == 0 ? runWaterfall(argv[2], argv[3]) : runEvents(argv[2], argv[3], now);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::fprintf(stderr, "%s: %lld records in %.3f s (%.0f records/s)\n", argv[1], static_cast<long long>(records),
               seconds, static_cast<double>(records) / seconds);
  return 0;
}
