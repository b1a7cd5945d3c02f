// The std.autoresponder benchmark input (autoresponder_workload.hpp): contacts, their events, the
// campaigns, the send log and the facts per contact and campaign a caller evaluates from the attrs.
//
// The workload, at now = 2025-03-30T06:00:00Z (fixed seed; every figure below is a probability):
// - Contacts: ids C0000001 …; time zones as shared/bench/groups.md ("events": Berlin 20 %, New York
//   15 %, London, Los Angeles, Tokyo 10 % each, Sao Paulo, Kolkata, UTC 8 % each, Sydney 7 %,
//   Auckland 4 %), so at `now` five zones are in the quiet hours; 2 % hard-bounced; 10 % existing
//   customers under § 7 (3) UWG; 3 % lack a template field (first name without fallback).
// - 10 events per contact: a signup between 60 days and 1 hour before now; then doi_confirmed
//   (78 % within 2 days, 2 % exactly 7 days later — still in time —, 4 % 7 days + 1 s later — too late;
//   the other 16 % never confirm and get a page_view instead); then 8 events between the signup and
//   2 days after now (so some lie after now and are ignored): page_view 45 %, cart_abandoned 25 %,
//   purchase 15 % (half of them 10 min – 2 days after an earlier cart), topic_optout 5 % and
//   topic_optin 2 % (topic promo 70 %, news 30 %), unsubscribe 3 %, a second signup 4 %, consent_recorded 1 %.
// - Campaigns (campaign.csv, one row per step, read by every contact; the module makes the candidates
//   from them and the events, and looks up the send log, the unless events and the topic opt-outs):
//   WELCOME   marketing, on the first signup (once ever), 3 steps 10 min / 3 d / 7 d after it, priority 2.
//   CART      marketing, on every cart_abandoned, 1 step 24 h later, unless a purchase (any purchase
//             after the cart, also one after now, is in the events), own similar products (so § 7 (3)
//             customers need no opt-in), priority 1.
//   THANKYOU  transactional, on every purchase, 1 step 5 min later, priority 0.
//   SPRING    marketing, on the date 2025-03-30 10:00 local time, topic promo (opted out by the
//             contact's last promo optout/optin up to now), 85 % in the segment, priority 3; every contact.
//   BIRTHDAY  marketing, anniversary of the birthday (30 % of the contacts have one, 1960–2005; 2 % of
//             those on 29 February) at 09:00 local, priority 4: the latest due and the next occurrence.
//   fact.csv holds per contact what the attrs give: SPRING's segment and template fields, WELCOME's
//   template fields when incomplete, the birthday (BIRTHDAY's anniversary attribute).
//   The generator derives the same candidates the module will (for the send log and the counts): a
//   step due at least 3 h before now is in the log for 85 % (CART 80 %, THANKYOU 97 %, a CART whose
//   purchase came before the due instant never; a WELCOME step only after its step k − 1), sent within
//   3 h of its due instant; the others were suppressed or dropped then (so now DROPPED_LATE once 72 h
//   late, or decided now).
// - Newsletters NL-0321, NL-0324, NL-0326, NL-0328 (marketing, 09:00–11:00 UTC on those days) are in
//   the send log of 40 % of the contacts each: three of them in the 7 days before now fill the cap.
// So every outcome the module produces occurs: done, cancelled_unless, suppressed_bounced,
// suppressed_unsubscribed, suppressed_no_consent, suppressed_topic, skipped_segment,
// skipped_missing_field, dropped_late, send, pending (the capped ones are pending until a slot frees,
// or dropped_late, cancelled_sequence after an unsent WELCOME step). No contact is meant to be
// rejected: no log entry lies after now.
#include "bench/autoresponder_workload.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "bench/bench_random.hpp"
#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"

namespace regelwerk::bench {
namespace {

constexpr int64_t kNow = kAutoresponderNow;
constexpr int64_t kHour = 3600;
constexpr int64_t kDay = 86400;

struct ZoneShare {
  const char* name;
  int percent;
};
constexpr ZoneShare kZones[] = {{"Europe/Berlin", 20},    {"America/New_York", 15}, {"Europe/London", 10},
                                {"America/Los_Angeles", 10}, {"Asia/Tokyo", 10},     {"America/Sao_Paulo", 8},
                                {"Asia/Kolkata", 8},      {"UTC", 8},               {"Australia/Sydney", 7},
                                {"Pacific/Auckland", 4}};

// The contact's records by input; the files are written per kind.
enum class Kind { Event, Sent, Candidate };

struct Event {
  int64_t at = 0;
  std::string id;
  const char* type = "";
  const char* topic = "";
};

// One row of event.csv, sent.csv or candidate.csv; an empty optional is an empty cell.
struct ItemRow {
  Kind kind = Kind::Event;
  int64_t at = 0;
  std::string id;
  std::string type, topic, campaign_id, category;
  int step = 0;
  int priority = 0;
};

struct Contact {
  std::string id;
  const char* tz_name = "";
  const tz::Zone* zone = nullptr;
  bool hard_bounced = false;
  bool existing_customer = false;
  bool fields_complete = true;
  bool spring_segment = true;
  std::optional<int64_t> birthday;  // days since 1970-01-01
  std::vector<Event> events;  // by (at, id)
  std::vector<ItemRow> rows;
};

// Buffered writing of one CSV file (a few MB at a time, not a stream per cell).
class CsvFile {
 public:
  CsvFile(const std::filesystem::path& path, const char* header) : file_(std::fopen(path.c_str(), "wb")) {
    if (!file_) throw std::runtime_error("cannot write " + path.string());
    text_ = header;
  }
  ~CsvFile() {
    flush();
    std::fclose(file_);
  }
  std::string& text() { return text_; }
  void endRow() {
    text_ += '\n';
    if (text_.size() > (4u << 20)) flush();
  }

 private:
  void flush() {
    std::fwrite(text_.data(), 1, text_.size(), file_);
    text_.clear();
  }
  std::FILE* file_;
  std::string text_;
};

void appendTimestamp(std::string& text, int64_t seconds) {
  char cell[24];
  text.append(cell, civil::formatTimestamp(seconds, cell));
}

std::string dateText(int64_t days) {
  civil::Ymd ymd = civil::ymdFrom(days);
  char cell[32];
  std::snprintf(cell, sizeof cell, "%04lld-%02d-%02d", static_cast<long long>(ymd.year), ymd.month, ymd.day);
  return cell;
}

// The `many` inputs of the module, one file each, in its columns.
constexpr const char* kEventHeader = "contact_id,id,type,at,topic\n";
constexpr const char* kSentHeader = "contact_id,campaign_id,step,occurrence_id,sent_at,category\n";
constexpr const char* kFactHeader = "contact_id,campaign_id,in_segment,fields_complete,anniversary\n";

// The campaigns, one row per step (the module's shared Campaign input).
constexpr const char* kCampaigns =
    "campaign_id,step,delay,category,priority,topic,own_similar_products,trigger,event_type,reentry,local_date,local_time,"
    "offset_days\n"
    "BIRTHDAY,1,,marketing,4,,,on_anniversary,,,,09:00,\n"
    "CART,1,86400,marketing,1,,true,on_event,cart_abandoned,every_occurrence,,,\n"
    "SPRING,1,,marketing,3,promo,,on_date,,,2025-03-30,10:00,\n"
    "THANKYOU,1,300,transactional,0,,,on_event,purchase,every_occurrence,,,\n"
    "WELCOME,1,600,marketing,2,,,on_event,signup,,,,\n"
    "WELCOME,2,259200,marketing,2,,,on_event,signup,,,,\n"
    "WELCOME,3,604800,marketing,2,,,on_event,signup,,,,\n";

struct StreamFiles {
  CsvFile event, sent, fact;
};

void writeEvent(CsvFile& file, const std::string& contact_id, const ItemRow& row) {
  std::string& text = file.text();
  text += contact_id + ',' + row.id + ',' + row.type + ',';
  appendTimestamp(text, row.at);
  text += ',' + row.topic;
  file.endRow();
}

void writeSent(CsvFile& file, const std::string& contact_id, const ItemRow& row) {
  std::string& text = file.text();
  text += contact_id + ',' + row.campaign_id + ',' + std::to_string(row.step) + ',' + row.id + ',';
  appendTimestamp(text, row.at);
  text += ',' + row.category;
  file.endRow();
}

// The contact's facts, in campaign order: the birthday, SPRING's segment and fields, WELCOME's fields.
void writeFacts(CsvFile& file, const Contact& contact) {
  std::string& text = file.text();
  if (contact.birthday) {
    text += contact.id + ",BIRTHDAY,,," + dateText(*contact.birthday);
    file.endRow();
  }
  text += contact.id + ",SPRING," + (contact.spring_segment ? "true," : "false,") + (contact.fields_complete ? "true," : "false,");
  file.endRow();
  if (!contact.fields_complete) {
    text += contact.id + ",WELCOME,,false,";
    file.endRow();
  }
}

void writeRow(StreamFiles& files, const std::string& contact_id, const ItemRow& row) {
  if (row.kind == Kind::Event) writeEvent(files.event, contact_id, row);
  if (row.kind == Kind::Sent) writeSent(files.sent, contact_id, row);
}

const ZoneShare& pickZone(Random& random) {
  int64_t draw = random.range(1, 100);
  for (const ZoneShare& zone : kZones) {
    if (draw <= zone.percent) return zone;
    draw -= zone.percent;
  }
  return kZones[0];
}

// The 8 events after the signup and its confirmation, by the shares in the file comment.
const char* pickLaterType(Random& random) {
  int64_t draw = random.range(1, 100);
  if (draw <= 45) return "page_view";
  if (draw <= 70) return "cart_abandoned";
  if (draw <= 85) return "purchase";
  if (draw <= 90) return "topic_optout";
  if (draw <= 92) return "topic_optin";
  if (draw <= 95) return "unsubscribe";
  if (draw <= 99) return "signup";
  return "consent_recorded";
}

// A purchase follows an earlier cart of the contact half the time (10 min – 2 days later), so that
// CART candidates are cancelled by it; otherwise it lies anywhere from the signup on.
int64_t laterEventTime(Random& random, const Contact& contact, const char* type, int64_t signup) {
  int64_t at = random.range(signup, kNow + 2 * kDay);
  if (std::string_view(type) != "purchase" || !random.chance(50)) return at;
  for (const Event& event : contact.events) {
    if (std::string_view(event.type) == "cart_abandoned") return event.at + random.range(600, 2 * kDay);
  }
  return at;
}

void generateEvents(Random& random, Contact& contact, int64_t& next_event_id) {
  auto add = [&](int64_t at, const char* type, const char* topic) {
    char id[24];
    std::snprintf(id, sizeof id, "E%08lld", static_cast<long long>(next_event_id++));
    contact.events.push_back({at, id, type, topic});
  };
  int64_t signup = kNow - random.range(kHour, 60 * kDay);
  add(signup, "signup", "");
  int64_t doi = random.range(1, 100);
  if (doi <= 78) add(signup + random.range(60, 2 * kDay), "doi_confirmed", "");
  else if (doi <= 80) add(signup + 7 * kDay, "doi_confirmed", "");
  else if (doi <= 84) add(signup + 7 * kDay + 1, "doi_confirmed", "");
  else add(random.range(signup, kNow), "page_view", "");
  for (int later = 0; later < 8; ++later) {
    const char* type = pickLaterType(random);
    bool topical = std::string_view(type).starts_with("topic_");
    const char* topic = topical ? (random.chance(70) ? "promo" : "news") : "";
    add(laterEventTime(random, contact, type, signup), type, topic);
  }
  std::sort(contact.events.begin(), contact.events.end(),
            [](const Event& a, const Event& b) { return std::tie(a.at, a.id) < std::tie(b.at, b.id); });
}

// The first event of `type` after `t0` (any time, also after now: the module applies its bounds).
std::optional<int64_t> firstAfter(const Contact& contact, std::string_view type, int64_t t0) {
  for (const Event& event : contact.events) {
    if (event.type == type && event.at > t0) return event.at;
  }
  return std::nullopt;
}

// A candidate the module will make (A-R2), for the send log and the counts.
ItemRow candidate(const char* campaign_id, int step, bool marketing, int priority, int64_t due, std::string occurrence) {
  ItemRow row;
  row.kind = Kind::Candidate;
  row.at = due;
  row.id = std::move(occurrence);
  row.campaign_id = campaign_id;
  row.step = step;
  row.category = marketing ? "marketing" : "transactional";
  row.priority = priority;
  return row;
}

// The send log: a step due at least 3 h before now was sent with `percent` % probability, within 3 h
// of its due instant (so never after now). A sent step adds its `sent` row; returns whether it did.
bool logStep(Random& random, Contact& contact, const ItemRow& step, int percent) {
  if (step.at > kNow - 3 * kHour || !random.chance(percent)) return false;
  ItemRow sent;
  sent.kind = Kind::Sent;
  sent.at = step.at + random.range(0, 3 * kHour);
  sent.id = step.id;
  sent.campaign_id = step.campaign_id;
  sent.step = step.step;
  sent.category = step.category;
  contact.rows.push_back(std::move(sent));
  return true;
}

void addCandidate(Random& random, Contact& contact, ItemRow row, int log_percent) {
  logStep(random, contact, row, log_percent);
  contact.rows.push_back(std::move(row));
}

// WELCOME: the three steps of the first signup; a step is sent only after its step k − 1.
void addWelcome(Random& random, Contact& contact) {
  const Event& signup = contact.events.front();  // the earliest event is the first signup
  constexpr int64_t kDelays[] = {600, 3 * kDay, 7 * kDay};
  bool sent_before = true;
  for (int step = 1; step <= 3; ++step) {
    ItemRow row = candidate("WELCOME", step, true, 2, signup.at + kDelays[step - 1], signup.id);
    sent_before = sent_before && logStep(random, contact, row, 85);
    contact.rows.push_back(std::move(row));
  }
}

// CART on every cart up to now, THANKYOU on every purchase up to now.
void addEventCampaigns(Random& random, Contact& contact) {
  for (const Event& event : contact.events) {
    if (event.at > kNow) continue;
    std::string_view type = event.type;
    if (type == "cart_abandoned") {
      ItemRow row = candidate("CART", 1, true, 1, event.at + kDay, event.id);
      std::optional<int64_t> purchase = firstAfter(contact, "purchase", event.at);
      bool bought_first = purchase && *purchase <= row.at;
      addCandidate(random, contact, std::move(row), bought_first ? 0 : 80);
    } else if (type == "purchase") {
      addCandidate(random, contact, candidate("THANKYOU", 1, false, 0, event.at + 300, event.id), 97);
    }
  }
}

// SPRING: 2025-03-30 10:00 in the contact's zone (A-R2 on_date: the occurrence is "date").
void addSpring(Random& random, Contact& contact) {
  int64_t day = civil::daysFrom(2025, 3, 30);
  contact.spring_segment = random.chance(85);
  addCandidate(random, contact, candidate("SPRING", 1, true, 3, contact.zone->utcOf(day * kDay + 10 * kHour), "date"), 85);
}

// BIRTHDAY at 09:00 local: of the occurrences (29 February → 28 February in other years), the latest
// due at or before now and the next, each with its local date as the occurrence id.
void addBirthday(Random& random, Contact& contact) {
  if (!random.chance(30)) return;
  int64_t first = civil::daysFrom(1960, 1, 1);
  int64_t birthday = random.chance(2) ? civil::daysFrom(1960 + 4 * random.range(0, 11), 2, 29)
                                      : first + random.range(0, civil::daysFrom(2005, 12, 31) - first);
  contact.birthday = birthday;
  civil::Ymd date = civil::ymdFrom(birthday);
  constexpr int64_t kAt = 9 * kHour;
  auto occurrence = [&](int64_t year) {
    int day = std::min(date.day, civil::monthDays(year, date.month));
    return civil::daysFrom(year, date.month, day);
  };
  auto due = [&](int64_t year) { return contact.zone->utcOf(occurrence(year) * kDay + kAt); };
  int64_t today = civil::dayOf(kNow + contact.zone->offsetAt(kNow));
  int64_t year = civil::ymdFrom(today).year;
  int64_t latest = due(year) <= kNow ? year : year - 1;
  for (int64_t which : {latest, latest + 1}) {
    addCandidate(random, contact, candidate("BIRTHDAY", 1, true, 4, due(which), dateText(occurrence(which))), 85);
  }
}

// Newsletters sent to everyone subscribed at the time, each in 40 % of the logs.
void addNewsletters(Random& random, Contact& contact) {
  for (int day : {21, 24, 26, 28}) {
    int64_t at = civil::daysFrom(2025, 3, day) * kDay + 9 * kHour + random.range(0, 2 * kHour);
    if (!random.chance(40) || at < contact.events.front().at) continue;
    ItemRow sent;
    sent.kind = Kind::Sent;
    sent.at = at;
    sent.id = "date";
    sent.campaign_id = "NL-03" + std::to_string(day);
    sent.step = 1;
    sent.category = "marketing";
    contact.rows.push_back(std::move(sent));
  }
}

// By kind, then each input's order in the module: events by (at, id), the log by (sent_at, campaign_id,
// step, occurrence_id), the candidates by (due, priority, campaign_id, step, occurrence_id) — the
// fields a kind does not have are equal within it.
void sortStream(std::vector<ItemRow>& rows) {
  std::sort(rows.begin(), rows.end(), [](const ItemRow& a, const ItemRow& b) {
    return std::tie(a.kind, a.at, a.priority, a.campaign_id, a.step, a.id) <
           std::tie(b.kind, b.at, b.priority, b.campaign_id, b.step, b.id);
  });
}

Contact generateContact(Random& random, int64_t index, int64_t& next_event_id) {
  Contact contact;
  char id[24];
  std::snprintf(id, sizeof id, "C%07lld", static_cast<long long>(index + 1));
  contact.id = id;
  contact.tz_name = pickZone(random).name;
  contact.zone = tz::findZone(contact.tz_name);
  if (!contact.zone) throw std::runtime_error(std::string("no tzdata for ") + contact.tz_name);
  contact.hard_bounced = random.chance(2);
  contact.existing_customer = random.chance(10);
  contact.fields_complete = !random.chance(3);
  generateEvents(random, contact, next_event_id);
  for (const Event& event : contact.events) {
    ItemRow row;
    row.at = event.at;
    row.id = event.id;
    row.type = event.type;
    row.topic = event.topic;
    contact.rows.push_back(std::move(row));
  }
  addNewsletters(random, contact);
  addWelcome(random, contact);
  addEventCampaigns(random, contact);
  addSpring(random, contact);
  addBirthday(random, contact);
  sortStream(contact.rows);
  return contact;
}

void count(AutoresponderCounts& counts, const Contact& contact) {
  ++counts.contacts;
  for (const ItemRow& row : contact.rows) {
    if (row.kind == Kind::Event) ++counts.events;
    if (row.kind == Kind::Sent) ++counts.sent;
    if (row.kind != Kind::Candidate) continue;
    ++counts.candidates;
    ++counts.candidates_by_campaign[row.campaign_id];
  }
}

}  // namespace

AutoresponderCounts writeAutoresponderWorkload(const std::filesystem::path& folder, int64_t contacts, uint64_t seed) {
  std::filesystem::create_directories(folder);
  CsvFile contact_file(folder / "contact.csv", "contact_id,tz,hard_bounced,existing_customer_7_3\n");
  CsvFile unless_file(folder / "unless.csv", "campaign_id,event_type,window\n");  // the shared unless list
  unless_file.text() += "CART,purchase,";  // a purchase cancels CART until the final s
  unless_file.endRow();
  {
    CsvFile campaign_file(folder / "campaign.csv", kCampaigns);  // the shared campaigns, one row per step
  }
  StreamFiles files{CsvFile(folder / "event.csv", kEventHeader), CsvFile(folder / "sent.csv", kSentHeader),
                    CsvFile(folder / "fact.csv", kFactHeader)};
  Random random(seed);
  AutoresponderCounts counts;
  int64_t next_event_id = 1;
  for (int64_t index = 0; index < contacts; ++index) {
    Contact contact = generateContact(random, index, next_event_id);
    contact_file.text() += contact.id + ',' + contact.tz_name + (contact.hard_bounced ? ",true" : ",false") +
                           (contact.existing_customer ? ",true" : ",false");
    contact_file.endRow();
    for (const ItemRow& row : contact.rows) writeRow(files, contact.id, row);
    writeFacts(files.fact, contact);
    counts.facts += (contact.birthday ? 1 : 0) + 1 + (contact.fields_complete ? 0 : 1);
    count(counts, contact);
  }
  return counts;
}

}  // namespace regelwerk::bench
