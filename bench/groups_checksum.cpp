// `groups_checksum waterfall OUT_DIR` | `groups_checksum events OUT_DIR`: the CHECKSUM line of
// shared/bench/groups.md, computed from the output files any implementation wrote (payouts.csv and
// estate_totals.csv, or decisions.csv), so an engine's output can be compared with the reference lines
// and the hand-written baseline. Strict about the format groups.md fixes (header, LF endings, integers
// without sign or leading zeros, instants `YYYY-MM-DDTHH:MM:SSZ`): a malformed file stops it with
// `FILE:LINE: …` on stderr and exit status 1. Row order is not checked (the checksum does not depend on it).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/groups_checksum.hpp"

namespace {

using namespace regelwerk::groups;

// Reads a CSV file line by line after checking its header; each problem names the file and line.
class CsvLines {
 public:
  CsvLines(std::string path, std::string_view header) : path_(std::move(path)), in_(path_, std::ios::binary) {
    if (!in_) fail(0, "cannot open the file: does OUT_DIR hold the workload's output?");
    std::string first;
    if (!std::getline(in_, first)) fail(1, "the file is empty: expected the header `" + std::string(header) + "`");
    line_ = 1;
    if (first != header) fail(1, "the header is `" + first + "`, expected `" + std::string(header) + "`");
  }

  // The next line's fields (split at commas), or false at the end of the file.
  bool next(std::vector<std::string_view>* fields) {
    if (!std::getline(in_, text_)) return false;
    ++line_;
    if (in_.eof()) fail(line_, "the last line does not end with a line feed");
    fields->clear();
    for (size_t start = 0;;) {
      const size_t comma = text_.find(',', start);
      fields->emplace_back(std::string_view(text_).substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return true;
  }

  [[noreturn]] void fail(int64_t line, const std::string& message) const {
    const std::string where = line > 0 ? path_ + ":" + std::to_string(line) : path_;
    std::fprintf(stderr, "groups_checksum: %s: %s\n", where.c_str(), message.c_str());
    std::exit(1);
  }
  int64_t line() const { return line_; }

 private:
  std::string path_;
  std::ifstream in_;
  std::string text_;
  int64_t line_ = 0;
};

// One line's fields, with the column names of the header for the messages.
struct Row {
  CsvLines* file;
  const std::vector<std::string_view>* names;
  const std::vector<std::string_view>* fields;

  [[noreturn]] void bad(size_t col, std::string_view expected) const {
    file->fail(file->line(), "field `" + std::string((*names)[col]) + "` is `" + std::string((*fields)[col]) +
                                 "`: expected " + std::string(expected));
  }

  // groups.md integers: decimal, no sign, no leading zeros, within int64. "0" → 0, "007" is malformed.
  int64_t integer(size_t col) const {
    const std::string_view text = (*fields)[col];
    int64_t value = 0;
    const bool shape_ok = !text.empty() && (text.size() == 1 || text[0] != '0');
    for (char digit : text) {
      if (!shape_ok || digit < '0' || digit > '9' || __builtin_mul_overflow(value, 10, &value) ||
          __builtin_add_overflow(value, digit - '0', &value))
        bad(col, "an integer without sign or leading zeros that fits in 64 bits");
    }
    if (!shape_ok) bad(col, "an integer without sign or leading zeros that fits in 64 bits");
    return value;
  }
  std::optional<int64_t> optionalInteger(size_t col) const {
    if ((*fields)[col].empty()) return std::nullopt;
    return integer(col);
  }

  // "2025-03-04T10:00:00Z" → seconds since 1970-01-01T00:00:00Z; a real date and time of day, year >= 1970.
  int64_t instant(size_t col) const {
    const std::string_view text = (*fields)[col];
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:ddZ";
    bool shape_ok = text.size() == kShape.size();
    for (size_t pos = 0; shape_ok && pos < text.size(); ++pos)
      shape_ok = kShape[pos] == 'd' ? text[pos] >= '0' && text[pos] <= '9' : text[pos] == kShape[pos];
    if (!shape_ok) bad(col, "an instant YYYY-MM-DDTHH:MM:SSZ");
    const auto number = [&](size_t pos, size_t count) { return std::stoi(std::string(text.substr(pos, count))); };
    const int year = number(0, 4), month = number(5, 2), day = number(8, 2);
    const int hour = number(11, 2), minute = number(14, 2), second = number(17, 2);
    const bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    static constexpr int kMonthDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool valid = year >= 1970 && month >= 1 && month <= 12 && day >= 1 &&
                       day <= kMonthDays[month >= 1 && month <= 12 ? month - 1 : 0] + (month == 2 && leap) &&
                       hour < 24 && minute < 60 && second < 60;
    if (!valid) bad(col, "a real date and time (year 1970 or later) in YYYY-MM-DDTHH:MM:SSZ");
    const int64_t days = daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    return days * 86400 + hour * 3600 + minute * 60 + second;
  }

  // The index of the field's text in `names` ("pending" in kConsentNames → 1).
  template <size_t N>
  size_t member(size_t col, const std::array<std::string_view, N>& choices, std::string_view expected) const {
    for (size_t index = 0; index < N; ++index) {
      if ((*fields)[col] == choices[index]) return index;
    }
    bad(col, expected);
  }
};

std::vector<std::string_view> columnNames(std::string_view header) {
  std::vector<std::string_view> names;
  for (size_t start = 0;;) {
    const size_t comma = header.find(',', start);
    names.push_back(header.substr(start, comma - start));
    if (comma == std::string_view::npos) return names;
    start = comma + 1;
  }
}

// Calls `each(row)` for every line of `path` after checking the header and the number of fields.
template <typename Each>
void forEachRow(const std::string& path, std::string_view header, Each each) {
  CsvLines file(path, header);
  const std::vector<std::string_view> names = columnNames(header);
  std::vector<std::string_view> fields;
  while (file.next(&fields)) {
    if (fields.size() != names.size())
      file.fail(file.line(), "the line has " + std::to_string(fields.size()) + " fields, the header " +
                                 std::to_string(names.size()));
    each(Row{&file, &names, &fields});
  }
}

void checkSum(bool in_range, const Row& row) {
  if (!in_range) row.file->fail(row.file->line(), "a checksum sum leaves the 64-bit range at this line");
}

std::string waterfallLine(const std::string& out_dir) {
  WaterfallChecksum checksum;
  forEachRow(out_dir + "/payouts.csv", "estate_id,claim_id,payout_cents", [&](const Row& row) {
    row.integer(0);
    checkSum(checksum.addPayout(row.integer(1), row.integer(2)), row);
  });
  forEachRow(out_dir + "/estate_totals.csv", "estate_id,paid_cents,surplus_cents,quota_bp", [&](const Row& row) {
    checkSum(checksum.addEstate(row.integer(0), row.integer(1), row.integer(2), row.optionalInteger(3)), row);
  });
  return checksum.line();
}

// `decision` must agree with `reason`: `send` with an empty reason, `skip` with one of the seven.
size_t reasonCode(const Row& row) {
  static constexpr std::array<std::string_view, 2> kDecisions = {"send", "skip"};
  const bool skip = row.member(2, kDecisions, "`send` or `skip`") == 1;
  const size_t reason = row.member(3, kReasonNames, "empty or one of the seven reasons of groups.md");
  if (skip && reason == 0) row.bad(3, "a reason, because the decision is `skip`");
  if (!skip && reason != 0) row.bad(3, "an empty reason, because the decision is `send`");
  return reason;
}

std::string eventsLine(const std::string& out_dir) {
  EventsChecksum checksum;
  forEachRow(out_dir + "/decisions.csv", "contact_id,consent,decision,reason,last_cart_at", [&](const Row& row) {
    const int64_t contact = row.integer(0);
    const size_t consent = row.member(1, kConsentNames, "`none`, `pending`, `confirmed` or `withdrawn`");
    const size_t reason = reasonCode(row);
    std::optional<int64_t> last_cart;
    if (!(*row.fields)[4].empty()) last_cart = row.instant(4);
    checkSum(checksum.add(contact, consent, reason, last_cart), row);
  });
  return checksum.line();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string workload = argc == 3 ? argv[1] : "";
  if (workload != "waterfall" && workload != "events") {
    std::fprintf(stderr,
                 "usage: groups_checksum waterfall OUT_DIR   # reads payouts.csv, estate_totals.csv\n"
                 "       groups_checksum events OUT_DIR      # reads decisions.csv\n");
    return 2;
  }
  const std::string line = workload == "waterfall" ? waterfallLine(argv[2]) : eventsLine(argv[2]);
  std::printf("%s\n", line.c_str());
  return 0;
}
