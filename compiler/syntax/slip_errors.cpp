// E0118 durations written `24h` or `24 hours`, E0119 timestamps without seconds or zone, E0120 type
// names that do not exist: each says what to write instead.
#include "slip_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <string_view>
#include <vector>

#include "RegelwerkParser.h"

namespace regelwerk::syntax {
namespace {

using P = regelwerk_gen::RegelwerkParser;

Location startOf(antlr4::Token* token, uint32_t file_id) {
  return Location{file_id, static_cast<uint32_t>(token->getLine()),
                  static_cast<uint32_t>(token->getCharPositionInLine() + 1)};
}

std::string lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return text;
}

// The default-channel token before `token`, or null.
antlr4::Token* previousOf(antlr4::TokenStream* tokens, antlr4::Token* token) {
  for (size_t at = token->getTokenIndex(); at-- > 0;) {
    antlr4::Token* candidate = tokens->get(at);
    if (candidate->getChannel() == antlr4::Token::DEFAULT_CHANNEL) return candidate;
  }
  return nullptr;
}

// True when `next` starts right where `token` ends, with no space between.
bool touches(antlr4::Token* token, antlr4::Token* next) {
  return next->getStartIndex() == token->getStopIndex() + 1;
}

// ---- E0118: `24h`, `24 hours`, `2d`, `3 weeks` ------------------------------------------------------

struct UnitWord {
  const char* words[6];
  const char* unit;    // what the language writes: "h", "min", "s", "days"
  int64_t multiplier;  // `3 weeks` is 21 days
};

const UnitWord kUnitWords[] = {
    {{"h", "hr", "hrs", "hour", "hours", nullptr}, "h", 1},
    {{"min", "mins", "minute", "minutes", nullptr}, "min", 1},
    {{"s", "sec", "secs", "second", "seconds", nullptr}, "s", 1},
    {{"d", "day", "days", nullptr}, "days", 1},
    {{"w", "wk", "wks", "week", "weeks", nullptr}, "days", 7},
};

const UnitWord* unitWord(const std::string& word) {
  std::string low = lowered(word);
  for (const UnitWord& unit : kUnitWords) {
    for (const char* const* candidate = unit.words; *candidate; ++candidate) {
      if (low == *candidate) return &unit;
    }
  }
  return nullptr;
}

// `1.5 h` is `90 min`: a duration literal is a whole number of its unit, so a fraction moves to a
// smaller unit when it divides evenly; empty when it does not (`1.2345 h`) or for days.
std::string wholeDuration(const std::string& number, const UnitWord& unit) {
  if (number.find('.') == std::string::npos) {
    if (unit.multiplier == 1) return fmt::format("{} {}", number, unit.unit);
    return fmt::format("{} {}", std::stoll(number) * unit.multiplier, unit.unit);
  }
  int64_t seconds_per_unit = std::string_view(unit.unit) == "h" ? 3600 : std::string_view(unit.unit) == "min" ? 60 : 0;
  size_t point = number.find('.');
  std::string digits = number.substr(0, point) + number.substr(point + 1);
  size_t places = number.size() - point - 1;
  if (seconds_per_unit == 0 || digits.size() > 15) return {};
  int64_t scaled = std::stoll(digits) * seconds_per_unit;
  int64_t divisor = 1;
  for (size_t place = 0; place < places; ++place) divisor *= 10;
  if (scaled % divisor != 0) return {};
  int64_t seconds = scaled / divisor;
  return seconds % 60 == 0 ? fmt::format("{} min", seconds / 60) : fmt::format("{} s", seconds);
}

bool reportDurationSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, SyntaxErrorSink& errors) {
  if (offending->getType() != P::NAME && offending->getType() != P::T_DAYS) return false;
  antlr4::Token* number = previousOf(tokens, offending);
  if (!number || (number->getType() != P::INT_LIT && number->getType() != P::DECIMAL_LIT)) return false;
  if (number->getLine() != offending->getLine()) return false;
  const UnitWord* unit = unitWord(offending->getText());
  if (!unit) return false;
  std::string written = number->getText() + (touches(number, offending) ? "" : " ") + offending->getText();
  std::string wanted = wholeDuration(number->getText(), *unit);
  bool days = std::string_view(unit->unit) == "days";
  std::string message = fmt::format("`{}` is not a {}", written, days ? "number of days" : "duration");
  std::string hint =
      wanted.empty() ? "a duration is a whole number with its unit: 90 min, 45 s" : fmt::format("write `{}`", wanted);
  if (!days) hint += "; durations are written `24 h`, `30 min`, `45 s`";
  errors.report("E0118", startOf(number, errors.fileId()), message, hint);
  return true;
}

// ---- E0119: `2025-03-04T10:00`, `2025-03-04 10:00:00Z` ---------------------------------------------

// Whether `text` can be part of a timestamp as written: digits, `T`, `:`, `Z`, `+`, `-`, `.`.
bool timestampPiece(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char ch) {
    return std::isdigit(static_cast<unsigned char>(ch)) ||
           std::string_view("TZ:+-.").find(ch) != std::string_view::npos;
  });
}

// The text the analyst meant as one timestamp: the date and the tokens that touch it (one space is
// allowed between the date and a time of day).
std::string writtenTimestamp(antlr4::TokenStream* tokens, antlr4::Token* date) {
  std::string text = date->getText();
  antlr4::Token* last = date;
  for (size_t at = date->getTokenIndex() + 1; at < tokens->size(); ++at) {
    antlr4::Token* token = tokens->get(at);
    if (token->getChannel() != antlr4::Token::DEFAULT_CHANNEL || token->getLine() != date->getLine()) break;
    bool spaced_time = last == date && token->getType() == P::TIME_LIT && !touches(last, token);
    if ((!touches(last, token) && !spaced_time) || !timestampPiece(token->getText())) break;
    text += (spaced_time ? " " : "") + token->getText();
    last = token;
  }
  return text;
}

// "`T` between the date and the time, the seconds and `Z` or an offset such as +01:00", only the parts
// that `written` lacks (`parts` is its match of the timestamp shape).
std::string missingTimestampParts(const std::string& written, const std::smatch& parts) {
  std::vector<std::string> missing;
  if (written[10] != 'T') missing.emplace_back("`T` between the date and the time");
  if (!parts[5].matched) missing.emplace_back("the seconds");
  if (!parts[7].matched) missing.emplace_back("`Z` or an offset such as +01:00");
  std::string out;
  for (size_t at = 0; at < missing.size(); ++at) {
    out += (at == 0 ? "" : at + 1 == missing.size() ? " and " : ", ") + missing[at];
  }
  return out.empty() ? "whole seconds" : out;
}

bool reportTimestampSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, SyntaxErrorSink& errors) {
  antlr4::Token* date = previousOf(tokens, offending);
  if (!date || date->getType() != P::DATE_LIT || date->getLine() != offending->getLine()) return false;
  std::string found = offending->getText();
  bool starts_time = offending->getType() == P::TIME_LIT ||
                     (found.size() > 1 && found[0] == 'T' && std::isdigit(static_cast<unsigned char>(found[1])));
  if (!starts_time) return false;
  static const std::regex shape(R"(^(\d{4}-\d\d-\d\d)[T ](\d\d):(\d\d)(:(\d\d))?(\.\d+)?(Z|[+-]\d\d:\d\d)?$)");
  std::string written = writtenTimestamp(tokens, date);
  std::smatch parts;
  std::string message = fmt::format("`{}` is not a timestamp", written);
  std::string hint = "a timestamp is written 2025-03-04T10:00:00Z or 2025-03-04T10:00:00+01:00";
  if (std::regex_match(written, parts, shape)) {
    message += ": it needs " + missingTimestampParts(written, parts);
    std::string seconds = parts[5].matched ? parts[5].str() : "00";
    std::string zone = parts[7].matched ? parts[7].str() : "Z";
    hint = fmt::format("write `{}T{}:{}:{}{}`", parts[1].str(), parts[2].str(), parts[3].str(), seconds, zone);
    if (!parts[7].matched) {
      hint += fmt::format(
          " for UTC, or give the offset (+01:00); a wall-clock time in a zone is at_local({}, {}:{}, "
          "\"Europe/Berlin\")",
          parts[1].str(), parts[2].str(), parts[3].str());
    }
  }
  errors.report("E0119", startOf(date, errors.fileId()), message, hint);
  return true;
}

// ---- E0120: `at: datetime` ------------------------------------------------------------------------

constexpr const char* kTypeList =
    "the types are bool, int, decimal, money, percent, date, days, timestamp, duration, "
    "time, string and enum(a, b, ...)";

struct TypeAlias {
  const char* word;
  const char* type;
};

// Names other languages and spreadsheets use for the types.
const TypeAlias kTypeAliases[] = {
    {"datetime", "timestamp"},
    {"date_time", "timestamp"},
    {"instant", "timestamp"},
    {"timestamptz", "timestamp"},
    {"integer", "int"},
    {"long", "int"},
    {"number", "int` or `decimal"},
    {"float", "decimal"},
    {"double", "decimal"},
    {"numeric", "decimal"},
    {"real", "decimal"},
    {"boolean", "bool"},
    {"text", "string"},
    {"str", "string"},
    {"varchar", "string"},
    {"currency", "money"},
    {"amount", "money"},
    {"interval", "duration"},
    {"percentage", "percent"},
    {"rate", "percent"},
};

const char* const kTypeNames[] = {"bool", "int",       "decimal",  "money", "percent", "date",
                                  "days", "timestamp", "duration", "time",  "string",  "enum"};

// `Money` → money, `datetime` → timestamp, `intt` → int; null when nothing is close.
const char* meantType(const std::string& word) {
  std::string low = lowered(word);
  for (const char* type : kTypeNames) {
    if (low == type) return type;
  }
  for (const TypeAlias& alias : kTypeAliases) {
    if (low == alias.word) return alias.type;
  }
  for (const char* type : kTypeNames) {
    std::string_view name = type;
    bool one_extra = low.size() == name.size() + 1 && (low.substr(0, name.size()) == name || low.substr(1) == name);
    if (one_extra && name.size() >= 3) return type;
  }
  return nullptr;
}

bool reportTypeSlip(antlr4::Token* offending, SyntaxErrorSink& errors) {
  if (offending->getType() != P::NAME) return false;
  const char* meant = meantType(offending->getText());
  std::string hint = meant ? fmt::format("did you mean `{}`? {}", meant, kTypeList) : kTypeList;
  errors.report("E0120", startOf(offending, errors.fileId()), fmt::format("`{}` is not a type", offending->getText()),
                hint);
  return true;
}

// `fold Item when c` / `ledger Claim when c`: `when` filters the rows of a record, so it follows `as R`;
// a fold that skips records says `where`.
bool reportBlockWhenSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, SyntaxErrorSink& errors) {
  if (offending->getType() != P::K_WHEN) return false;
  antlr4::Token* input = previousOf(tokens, offending);
  antlr4::Token* head = input != nullptr && input->getType() == P::NAME ? previousOf(tokens, input) : nullptr;
  if (head == nullptr) return false;
  const std::string name = input->getText();
  if (head->getType() == P::K_FOLD) {
    errors.report("E0101", startOf(offending, errors.fileId()),
                  fmt::format("`fold {} when …`: `when` keeps rows of a record, so it comes after `as NAME`", name),
                  fmt::format("skip records with `fold {0} where …`, or write rows only where it holds with "
                              "`fold {0} as NAME when …`", name));
    return true;
  }
  if (head->getType() == P::NAME && head->getText() == "ledger") {
    errors.report("E0101", startOf(offending, errors.fileId()),
                  fmt::format("`ledger {} when …`: `when` keeps rows of a record, so it comes after `as NAME`", name),
                  fmt::format("write rows only where it holds with `ledger {} as NAME when …`, or test it in the "
                              "ledger's rules", name));
    return true;
  }
  return false;
}

// `input Rate common order by rank`: after an input's name, on its line, come `key FIELD`, `shared` or `derived`;
// the parser took the word for a field and misses its `:`.
bool reportInputWordSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, SyntaxErrorSink& errors) {
  if (offending->getType() == P::COLON) return false;
  antlr4::Token* word = previousOf(tokens, offending);
  antlr4::Token* name = word != nullptr && word->getType() == P::NAME ? previousOf(tokens, word) : nullptr;
  antlr4::Token* head = name != nullptr && name->getType() == P::NAME ? previousOf(tokens, name) : nullptr;
  if (head == nullptr || head->getType() != P::K_INPUT || word->getLine() != head->getLine()) return false;
  errors.report("E0130", startOf(word, errors.fileId()),
                fmt::format("expected `key FIELD`, `shared` or `derived` after the input's name, not `{}`", word->getText()),
                "write `input NAME key FIELD [many]`, `input NAME shared`, `input NAME derived`, or the fields on the next lines");
  return true;
}

}  // namespace

bool reportSlip(antlr4::TokenStream* tokens, antlr4::Token* offending, bool type_expected, SyntaxErrorSink& errors) {
  if (type_expected && reportTypeSlip(offending, errors)) return true;
  return reportDurationSlip(tokens, offending, errors) || reportTimestampSlip(tokens, offending, errors) ||
         reportBlockWhenSlip(tokens, offending, errors) || reportInputWordSlip(tokens, offending, errors);
}

}  // namespace regelwerk::syntax
