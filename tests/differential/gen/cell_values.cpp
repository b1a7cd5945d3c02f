// Cell and param texts for every type: ordinary, boundary and bad values.
#include "cell_values.hpp"

#include <fmt/format.h>

namespace regelwerk::difftest {

std::string extremeText(int scale, bool negative) {
  std::string digits = negative ? "9223372036854775808" : "9223372036854775807";
  if (scale > 0) digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  if (digits[0] == '.') digits.insert(0, "0");
  return (negative ? "-" : "") + digits;
}

static const std::vector<std::string> kSpecialDates = {
    "0001-01-01", "9999-12-31", "2024-02-29", "2000-02-29", "1600-02-29", "2023-02-28",
    "1900-02-28", "2100-02-28", "2024-12-31", "2023-04-30", "1970-01-01", "1969-12-31",
    "2026-11-21", "2025-01-31", "0001-12-31", "9999-01-01", "2024-03-01", "2023-06-30"};

static int daysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

static std::string randomDate(Rng& rng, int from_year, int to_year) {
  int year = rng.range(from_year, to_year), month = rng.range(1, 12);
  int day = rng.chance(25) ? daysIn(year, month) : rng.range(1, daysIn(year, month));
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

std::string dateText(Rng& rng) {
  if (rng.chance(40)) return rng.pick(kSpecialDates);
  return randomDate(rng, 1990, 2040);
}

// Instants around DST changes of the zones the generator names, half-hour offsets, leap days and the
// ends of the range.
static const std::vector<std::string> kSpecialTimestamps = {
    "0001-01-01T00:00:00Z",      "9999-12-31T23:59:59Z",      "2025-03-30T00:59:59Z", "2025-03-30T01:00:00Z",
    "2025-11-02T05:59:59Z",      "2025-11-02T06:00:00Z",      "2025-10-26T00:30:00Z", "2025-04-05T15:00:00Z",
    "2024-02-29T23:59:59+05:30", "2025-03-20T10:00:00-03:00", "1970-01-01T00:00:00Z", "2100-07-01T12:00:00Z"};

// The range's ends are rare here: a literal at an end rejects every row that moves it outward.
std::string timestampText(Rng& rng) {
  if (rng.chance(3)) return rng.pick(std::vector<std::string>{kSpecialTimestamps[0], kSpecialTimestamps[1]});
  if (rng.chance(40)) return kSpecialTimestamps[2 + rng.below(kSpecialTimestamps.size() - 2)];
  std::string offset = "Z";
  if (rng.chance(25)) offset = fmt::format("{}{:02}:{:02}", rng.chance(50) ? "+" : "-", rng.range(0, 14), rng.chance(70) ? 0 : 30);
  return fmt::format("{}T{:02}:{:02}:{:02}{}", randomDate(rng, 1990, 2040), rng.range(0, 23), rng.range(0, 59),
                     rng.range(0, 59), offset);
}

std::string timeText(Rng& rng) {
  static const std::vector<std::string> kSpecial = {"00:00", "08:00", "21:00", "23:59:59", "02:30", "01:30"};
  if (rng.chance(40)) return rng.pick(kSpecial);
  if (rng.chance(50)) return fmt::format("{:02}:{:02}", rng.range(0, 23), rng.range(0, 59));
  return fmt::format("{:02}:{:02}:{:02}", rng.range(0, 23), rng.range(0, 59), rng.range(0, 59));
}

// `places` random fraction digits after a whole part up to `whole_max`, with a random sign.
static std::string fixedText(Rng& rng, int64_t whole_max, int places) {
  std::string out = rng.chance(25) ? "-" : "";
  out += std::to_string(static_cast<int64_t>(rng.below(static_cast<uint64_t>(whole_max) + 1)));
  if (places <= 0) return out;
  out += ".";
  for (int place = 0; place < places; ++place) out += static_cast<char>('0' + rng.below(10));
  return out;
}

static const std::vector<std::string> kWords = {"a", "Zahlung", "x y", "grüße", "42", "reminder", "€ 5", "end"};

std::string ordinaryCell(Rng& rng, const GProgram& program, const GType& type, bool cents) {
  switch (type.kind) {
    case Kind::Bool:
      return rng.chance(50) ? "true" : "false";
    case Kind::Int:
      return fixedText(rng, rng.chance(80) ? 100 : 1000000, 0);
    case Kind::Days:
      return fixedText(rng, rng.chance(80) ? 400 : 100000, 0);
    case Kind::Duration:
      return fixedText(rng, rng.chance(80) ? 100000 : 100000000, 0);
    case Kind::Timestamp:
      return timestampText(rng);
    case Kind::Time:
      return timeText(rng);
    case Kind::Decimal:
      return fixedText(rng, rng.chance(80) ? 1000 : 10000000, rng.range(0, type.scale));
    case Kind::Money:
      return cents ? fixedText(rng, 1000000, 0) : fixedText(rng, 10000, rng.range(0, 2));
    case Kind::Percent:
      return fixedText(rng, 200, rng.range(0, type.scale - 2));
    case Kind::Date:
      return dateText(rng);
    case Kind::String:
      return rng.pick(kWords);
    case Kind::Enum:
      return rng.pick(program.enums.at(type.enum_id).members);
  }
  return "";
}

static std::string boundaryNumber(Rng& rng, int scale) {
  std::vector<std::string> pool = {"0", extremeText(scale, false), extremeText(scale, true), "-0"};
  if (scale > 0) {
    std::string tiny = "0." + std::string(static_cast<size_t>(scale - 1), '0') + "1";
    pool.push_back(tiny);
    pool.push_back("-" + tiny);
    pool.push_back(fmt::format("1.{}", std::string(static_cast<size_t>(scale), '5')));
  }
  pool.push_back("1");
  pool.push_back("-1");
  return rng.pick(pool);
}

static const std::vector<std::string> kSpecialStrings = {"",
                                                         "with,comma",
                                                         "semi;colon",
                                                         "quote\"inside",
                                                         "multi\nline",
                                                         "ünïcödé €",
                                                         " leading space",
                                                         "trailing ",
                                                         std::string(90, 'z'),
                                                         "\"",
                                                         ","};

std::string boundaryCell(Rng& rng, const GProgram& program, const GType& type, bool cents) {
  switch (type.kind) {
    case Kind::Bool:
      return rng.chance(50) ? "true" : "false";
    case Kind::Int:
    case Kind::Days:
    case Kind::Duration:
      return rng.chance(20) ? "9223372036854775806" : boundaryNumber(rng, 0);
    case Kind::Timestamp:
      return rng.pick(kSpecialTimestamps);
    case Kind::Time:
      return rng.pick(std::vector<std::string>{"00:00:00", "23:59:59", "08:00", "21:00"});
    case Kind::Decimal:
      return boundaryNumber(rng, type.scale);
    case Kind::Money:
      return boundaryNumber(rng, cents ? 0 : 2);
    case Kind::Percent:
      return rng.chance(30) ? rng.pick(std::vector<std::string>{"100", "-100", "0.5"})
                            : boundaryNumber(rng, type.scale - 2);
    case Kind::Date:
      return rng.pick(kSpecialDates);
    case Kind::String:
      return rng.pick(kSpecialStrings);
    case Kind::Enum:
      return rng.pick(program.enums.at(type.enum_id).members);
  }
  return "";
}

std::string badCell(Rng& rng, const GType& type, bool cents) {
  using Pool = std::vector<std::string>;
  switch (type.kind) {
    case Kind::Bool:
      return rng.pick(Pool{"yes", "TRUE", "1"});
    case Kind::Int:
    case Kind::Days:
    case Kind::Duration:
      return rng.pick(Pool{"x1", "1.5", "99999999999999999999", "+3"});
    case Kind::Timestamp:
      return rng.pick(Pool{"2025-03-04T10:00:00.5Z", "2025-03-04 10:00:00", "2025-02-30T00:00:00Z", "2025-03-04T10:00:00",
                           "0001-01-01T00:00:00+01:00"});
    case Kind::Time:
      return rng.pick(Pool{"24:00", "8:00", "08:60", "08:00:00Z"});
    case Kind::Decimal:
      return rng.pick(Pool{"1." + std::string(static_cast<size_t>(type.scale) + 1, '3'), "abc", "1e3"});
    case Kind::Money:
      return cents ? rng.pick(Pool{"12.50", "1e2"}) : rng.pick(Pool{"1.234", "12.50 EUR", "92233720368547758.08"});
    case Kind::Percent:
      return rng.pick(Pool{"5%", "1.23456", "abc"});
    case Kind::Date:
      return rng.pick(Pool{"2025-02-30", "2023-13-01", "2023-2-1", "0000-01-01", "2023-02-29"});
    case Kind::Enum:
      return rng.pick(Pool{"bogus", "none ", "Alpha"});
    case Kind::String:
      return "";
  }
  return "";
}

}  // namespace regelwerk::difftest
