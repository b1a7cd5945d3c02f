// Reading TZif files (RFC 8536, version 2 and later) and their POSIX TZ footer, and the zone cache.
#include "time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "civil_time.hpp"

namespace regelwerk::tz {

int64_t Zone::offsetAt(int64_t utc) const {
  auto after = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  if (after == transitions_.begin()) return initial_offset_;
  return offsets_[static_cast<size_t>(after - transitions_.begin() - 1)];
}

int64_t Zone::utcOf(int64_t local) const {
  constexpr int64_t kWindow = 2 * civil::kSecondsPerDay;  // offsets stay within ±26 h
  auto first = std::upper_bound(transitions_.begin(), transitions_.end(), local - kWindow);
  size_t segment = static_cast<size_t>(first - transitions_.begin());  // segment k runs from transition k-1
  int64_t previous_offset = segment == 0 ? initial_offset_ : offsets_[segment - 1];
  for (;; ++segment) {
    int64_t offset = segment == 0 ? initial_offset_ : offsets_[segment - 1];
    bool has_start = segment > 0;
    bool has_end = segment < transitions_.size();
    int64_t candidate = local - offset;
    bool after_start = !has_start || candidate >= transitions_[segment - 1];
    bool before_end = !has_end || candidate < transitions_[segment];
    if (after_start && before_end) return candidate;
    // In a gap the clock jumps over `local`: read it with the offset before the jump.
    if (!after_start) return local - previous_offset;
    if (!has_end || transitions_[segment] > local + kWindow) return candidate;
    previous_offset = offset;
  }
}

namespace {

int64_t bigEndian(const unsigned char* bytes, int count) {
  uint64_t value = 0;
  for (int index = 0; index < count; ++index) value = (value << 8) | bytes[index];
  if (count == 4) return static_cast<int32_t>(static_cast<uint32_t>(value));
  return static_cast<int64_t>(value);
}

struct Counts {
  int64_t isut = 0, isstd = 0, leap = 0, time = 0, type = 0, chars = 0;
};

bool readCounts(const std::string& file, size_t at, Counts* counts) {
  if (file.size() < at + 44 || file.compare(at, 4, "TZif") != 0) return false;
  auto count = [&](int index) { return bigEndian(reinterpret_cast<const unsigned char*>(file.data()) + at + 20 + 4 * index, 4); };
  *counts = Counts{count(0), count(1), count(2), count(3), count(4), count(5)};
  return counts->type > 0 && counts->time >= 0 && counts->chars >= 0 && counts->leap >= 0;
}

size_t blockSize(const Counts& counts, int time_size) {
  return static_cast<size_t>(counts.time * time_size + counts.time + counts.type * 6 + counts.chars +
                             counts.leap * (time_size + 4) + counts.isstd + counts.isut);
}

// A rule of a POSIX TZ string: `M3.5.0/2` (month, week 1..5, weekday 0 = Sunday), `J60` (day 1..365
// without 29 February) or `59` (day 0..365 with it), each with a local time (default 02:00).
struct PosixRule {
  char form = 'M';
  int month = 0, week = 0, weekday = 0, day = 0;
  int64_t time = 7200;
};

struct PosixTz {
  int64_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int64_t dst_offset = 0;
  PosixRule start, end;
};

class PosixParser {
 public:
  explicit PosixParser(std::string_view text) : text_(text) {}

  std::optional<PosixTz> parse() {
    PosixTz tz;
    if (!name()) return std::nullopt;
    auto std_offset = hms();
    if (!std_offset) return std::nullopt;
    tz.std_offset = -*std_offset;
    if (at_ == text_.size()) return tz;
    if (!name()) return std::nullopt;
    tz.has_dst = true;
    tz.dst_offset = tz.std_offset + 3600;
    if (at_ < text_.size() && text_[at_] != ',') {
      auto dst_offset = hms();
      if (!dst_offset) return std::nullopt;
      tz.dst_offset = -*dst_offset;
    }
    if (!take(',') || !rule(&tz.start) || !take(',') || !rule(&tz.end)) return std::nullopt;
    return at_ == text_.size() ? std::optional<PosixTz>(tz) : std::nullopt;
  }

 private:
  bool take(char wanted) {
    if (at_ >= text_.size() || text_[at_] != wanted) return false;
    ++at_;
    return true;
  }

  bool name() {
    size_t begin = at_;
    if (take('<')) {
      while (at_ < text_.size() && text_[at_] != '>') ++at_;
      return take('>') && at_ > begin + 2;
    }
    while (at_ < text_.size() && ((text_[at_] >= 'A' && text_[at_] <= 'Z') || (text_[at_] >= 'a' && text_[at_] <= 'z'))) {
      ++at_;
    }
    return at_ >= begin + 3;
  }

  std::optional<int64_t> number() {
    size_t begin = at_;
    int64_t value = 0;
    while (at_ < text_.size() && text_[at_] >= '0' && text_[at_] <= '9' && at_ - begin < 4) {
      value = value * 10 + (text_[at_++] - '0');
    }
    return at_ > begin ? std::optional<int64_t>(value) : std::nullopt;
  }

  // `[+-]h[:mm[:ss]]` in seconds (positive west of UTC in the std/dst offsets, as POSIX writes them).
  std::optional<int64_t> hms() {
    int64_t sign = 1;
    if (take('-')) sign = -1;
    else take('+');
    auto hours = number();
    if (!hours) return std::nullopt;
    int64_t seconds = *hours * 3600;
    if (take(':')) {
      auto minutes = number();
      if (!minutes) return std::nullopt;
      seconds += *minutes * 60;
      if (take(':')) {
        auto rest = number();
        if (!rest) return std::nullopt;
        seconds += *rest;
      }
    }
    return sign * seconds;
  }

  bool rule(PosixRule* out) {
    if (take('M')) {
      out->form = 'M';
      auto month = number();
      if (!month || !take('.')) return false;
      auto week = number();
      if (!week || !take('.')) return false;
      auto weekday = number();
      if (!weekday || *month < 1 || *month > 12 || *week < 1 || *week > 5 || *weekday > 6) return false;
      out->month = static_cast<int>(*month);
      out->week = static_cast<int>(*week);
      out->weekday = static_cast<int>(*weekday);
    } else {
      out->form = take('J') ? 'J' : 'n';
      auto day = number();
      if (!day || *day > 365) return false;
      out->day = static_cast<int>(*day);
    }
    if (!take('/')) return true;
    auto time = hms();
    if (!time) return false;
    out->time = *time;
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
};

// The local day (days since 1970-01-01) on which `rule` falls in `year`.
int64_t ruleDay(const PosixRule& rule, int64_t year) {
  if (rule.form == 'J') {
    return civil::daysFrom(year, 1, 1) + rule.day - 1 + (civil::isLeap(year) && rule.day >= 60 ? 1 : 0);
  }
  if (rule.form == 'n') return civil::daysFrom(year, 1, 1) + rule.day;
  int64_t first = civil::daysFrom(year, rule.month, 1);
  int64_t first_weekday = ((first + 4) % 7 + 7) % 7;  // 1970-01-01 was a Thursday; 0 = Sunday
  int64_t day = first + (rule.weekday - first_weekday + 7) % 7 + (rule.week - 1) * 7;
  while (day >= first + civil::monthDays(year, rule.month)) day -= 7;  // week 5: the last one
  return day;
}

// Appends the transitions of the POSIX rule from the year of the last transition to 9999.
void extendWithRule(Zone& zone, const PosixTz& tz) {
  if (!tz.has_dst) {
    int64_t last = zone.offsets_.empty() ? zone.initial_offset_ : zone.offsets_.back();
    if (last != tz.std_offset && !zone.transitions_.empty()) {
      zone.transitions_.push_back(zone.transitions_.back() + 1);
      zone.offsets_.push_back(tz.std_offset);
    }
    return;
  }
  int64_t from_year = zone.transitions_.empty() ? 1 : civil::ymdFrom(civil::dayOf(zone.transitions_.back())).year;
  for (int64_t year = from_year; year <= 9999; ++year) {
    std::pair<int64_t, int64_t> changes[2] = {
        {ruleDay(tz.start, year) * civil::kSecondsPerDay + tz.start.time - tz.std_offset, tz.dst_offset},
        {ruleDay(tz.end, year) * civil::kSecondsPerDay + tz.end.time - tz.dst_offset, tz.std_offset}};
    if (changes[1].first < changes[0].first) std::swap(changes[0], changes[1]);
    for (const auto& [instant, offset] : changes) {
      if (!zone.transitions_.empty() && instant <= zone.transitions_.back()) continue;
      zone.transitions_.push_back(instant);
      zone.offsets_.push_back(offset);
    }
  }
}

// The 64-bit data block of a version 2+ file, then its footer. Files with leap seconds ("right/")
// are refused: regelwerk's seconds are POSIX seconds.
std::unique_ptr<Zone> parseTzif(const std::string& file) {
  Counts first;
  if (!readCounts(file, 0, &first) || file[4] < '2') return nullptr;
  size_t second_header = 44 + blockSize(first, 4);
  Counts counts;
  if (!readCounts(file, second_header, &counts) || counts.leap != 0) return nullptr;
  size_t data = second_header + 44;
  if (file.size() < data + blockSize(counts, 8)) return nullptr;
  const auto* bytes = reinterpret_cast<const unsigned char*>(file.data());
  const unsigned char* times = bytes + data;
  const unsigned char* indices = times + counts.time * 8;
  const unsigned char* types = indices + counts.time;
  auto offsetOfType = [&](int64_t type) { return bigEndian(types + type * 6, 4); };
  auto zone = std::make_unique<Zone>();
  zone->initial_offset_ = offsetOfType(0);
  for (int64_t index = 0; index < counts.time; ++index) {
    if (indices[index] >= counts.type) return nullptr;
    int64_t instant = bigEndian(times + index * 8, 8);
    if (!zone->transitions_.empty() && instant <= zone->transitions_.back()) return nullptr;
    zone->transitions_.push_back(instant);
    zone->offsets_.push_back(offsetOfType(indices[index]));
  }
  size_t footer = data + blockSize(counts, 8);
  if (footer < file.size() && file[footer] == '\n') {
    size_t end = file.find('\n', footer + 1);
    if (end == std::string::npos) return nullptr;
    std::string_view text(file.data() + footer + 1, end - footer - 1);
    if (!text.empty()) {
      auto tz = PosixParser(text).parse();
      if (!tz) return nullptr;
      extendWithRule(*zone, *tz);
    }
  }
  return zone;
}

// Zone names are relative paths of letters, digits and `_+-.`, without `.` or `..` parts: a name
// never reads outside the zone folder.
bool isZoneName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name.front() == '/' || name.back() == '/') return false;
  size_t part_start = 0;
  for (size_t at = 0; at <= name.size(); ++at) {
    if (at == name.size() || name[at] == '/') {
      std::string_view part = name.substr(part_start, at - part_start);
      if (part.empty() || part == "." || part == "..") return false;
      part_start = at + 1;
      continue;
    }
    char c = name[at];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
              c == '+' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::unique_ptr<Zone> loadZone(std::string_view name) {
  if (!isZoneName(name)) return nullptr;
  const char* folder = std::getenv("TZDIR");
  std::string path = std::string(folder && *folder ? folder : "/usr/share/zoneinfo") + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return nullptr;
  return parseTzif(file);
}

// Every name asked for, loaded or not (nullptr), for the life of the process.
const Zone* sharedZone(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<Zone>, std::less<>> zones;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = zones.find(name);
  if (found != zones.end()) return found->second.get();
  std::unique_ptr<Zone> zone = loadZone(name);
  const Zone* out = zone.get();
  if (out || zones.size() < 4096) zones.emplace(std::string(name), std::move(zone));
  return out;
}

}  // namespace

// Each thread keeps its last few names, so the hot path is a string compare, not a lock.
const Zone* findZone(std::string_view name) {
  struct Recent {
    std::string name;
    const Zone* zone = nullptr;
    bool used = false;
  };
  constexpr size_t kRecent = 16;
  thread_local Recent recent[kRecent];
  thread_local size_t next = 0;
  for (const Recent& entry : recent) {
    if (entry.used && entry.name == name) return entry.zone;
  }
  const Zone* zone = sharedZone(name);
  Recent& slot = recent[next];
  next = (next + 1) % kRecent;
  slot.name.assign(name.data(), name.size());
  slot.zone = zone;
  slot.used = true;
  return zone;
}

}  // namespace regelwerk::tz
