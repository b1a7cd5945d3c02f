// Typed CSV cells: the fast per-cell parse and the slow, friendly explanation of a failure.
#include "cell_parser.hpp"

#include <cassert>
#include <cstdio>
#include <cstring>

#include "compiler/support/civil_time.hpp"
#include "compiler/support/time_zone.hpp"
#include "runtime/columnar/cell_formats.hpp"
#include "runtime/columnar/civil_date.hpp"
#include "runtime/columnar/decimal_text.hpp"
#include "runtime/columnar/utf8.hpp"

namespace regelwerk {

namespace {

constexpr size_t kMessageTextLimit = 60;
constexpr const char* kMonthNames[12] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};

bool hasOuterSpace(std::string_view text) {
  auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
  return !text.empty() && (isSpace(text.front()) || isSpace(text.back()));
}

bool equalsText(std::string_view text, const std::string& name) {
  return text.size() == name.size() && text[0] == name[0] && std::memcmp(text.data(), name.data(), text.size()) == 0;
}

std::string joinMembers(const std::vector<std::string>& members) {
  std::string out;
  for (size_t member = 0; member < members.size(); ++member) {
    if (member) out += ", ";
    out += members[member];
  }
  return out;
}

bool parseTimestampCell(std::string_view text, int64_t* out) {
  civil::TimestampText parsed = civil::parseTimestamp(text);
  if (parsed.error != civil::TimeTextError::None) return false;
  *out = parsed.seconds;
  return true;
}

bool parseTimeCell(std::string_view text, int64_t* out) {
  auto seconds = civil::parseTimeOfDay(text);
  if (!seconds) return false;
  *out = *seconds;
  return true;
}

// "`2025-03-04T10:00:00.5Z` has a fraction of a second; timestamps are whole seconds".
std::string explainTimestampCell(std::string_view text) {
  return quoteForMessage(text) + " " + civil::timestampProblem(civil::parseTimestamp(text).error);
}

// "`2025-02-30` is not a date (February 2025 has 28 days)": names the part of the date that is wrong.
std::string explainDate(std::string_view text) {
  int64_t days = 0;
  const std::string shown = quoteForMessage(text) + " is not a date ";
  switch (parseDate(text, &days)) {
    case DateError::None: return "";
    case DateError::Syntax: return shown + "(write YYYY-MM-DD, e.g. 2026-11-21)";
    case DateError::Year: return shown + "(years run from 0001 to 9999)";
    case DateError::Month: return shown + "(there is no month " + std::string(text.substr(5, 2)) + ")";
    case DateError::Day: break;
  }
  const int year = std::stoi(std::string(text.substr(0, 4)));
  const int month = std::stoi(std::string(text.substr(5, 2)));
  if (text.substr(8, 2) == "00") return shown + "(there is no day 00)";
  return shown + "(" + kMonthNames[month - 1] + " " + std::to_string(year) + " has " +
         std::to_string(daysInMonth(year, month)) + " days)";
}

}  // namespace

// Built with append, not `"`" + std::string(…)`, which trips GCC 12's -Wrestrict false positive at -O3.
// Control and ill-formed bytes are escaped (printableText): the text is the input's, not ours.
std::string quoteForMessage(std::string_view text) {
  std::string out = "`";
  if (text.size() <= kMessageTextLimit) {
    out.append(printableText(text));
    out.push_back('`');
    return out;
  }
  size_t cut = kMessageTextLimit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  out.append(printableText(text.substr(0, cut)));
  out.append("…` (");
  out.append(std::to_string(text.size()));
  out.append(" bytes)");
  return out;
}

// Resolves type and format into a plan: which text shape to expect and how to rescale it.
// Example: money (scale 2) with format "cents" reads an integer and shifts it by 10^0;
// percent at fraction scale 4 reads the percent number at 2 places ("1.27" -> 127).
CellParser::CellParser(const ir::Type& type, std::string_view format) : type_(&type) {
  switch (type.kind) {
    case ir::TypeKind::Bool:
      mode_ = Mode::Bool;
      formatted_ = boolTextsNamed(format, &true_text_, &false_text_);
      return;
    case ir::TypeKind::Date:
      mode_ = Mode::Date;
      formatted_ = dateOrderNamed(format, &date_order_) && date_order_ != DateOrder::Iso;
      return;
    case ir::TypeKind::Enum: mode_ = Mode::Enum; return;
    case ir::TypeKind::String: mode_ = Mode::String; return;
    case ir::TypeKind::Timestamp:
      mode_ = Mode::Timestamp;
      zone_name_ = std::string(localZoneNamed(format));
      zone_ = zone_name_.empty() ? nullptr : tz::findZone(zone_name_);
      formatted_ = zone_ != nullptr;
      return;
    case ir::TypeKind::Time: mode_ = Mode::Time; return;
    case ir::TypeKind::Int:
    case ir::TypeKind::Days:
    case ir::TypeKind::Duration:
      mode_ = Mode::Number;
      formatted_ = format == "whole.0";
      return;
    case ir::TypeKind::Decimal: break;
    case ir::TypeKind::Money: cents_ = format == "cents"; break;
    case ir::TypeKind::Percent: break;
  }
  mode_ = Mode::Number;
  assert(type.scale >= 0 && type.scale <= ir::kMaxScale && "scale out of range");
  const bool shifted = cents_ || type.kind == ir::TypeKind::Percent;
  if (!shifted) {
    parse_scale_ = type.scale;
  } else if (cents_) {
    shift_ = type.scale - 2;
  } else {
    parse_scale_ = type.scale >= 2 ? type.scale - 2 : 0;
    shift_ = type.scale >= 2 ? 0 : type.scale - 2;
  }
}

CellParser::Shape CellParser::shape() const {
  if (formatted_) return Shape::Other;
  switch (mode_) {
    case Mode::Number: return parse_scale_ == 0 && shift_ >= 0 ? Shape::Integer : Shape::Other;
    case Mode::Date: return Shape::Date;
    case Mode::Enum: return Shape::Enum;
    case Mode::Bool: return Shape::Bool;
    case Mode::String: return Shape::String;
    case Mode::Timestamp:
    case Mode::Time: return Shape::Other;
  }
  return Shape::Other;
}

bool CellParser::parseNumber(std::string_view text, int64_t* out) const {
  int64_t value = 0;
  if (parseDecimal(text, parse_scale_, &value) != NumberError::None) return false;
  if (shift_ == 0) {
    *out = value;
    return true;
  }
  if (shift_ > 0) return scaleUp(value, shift_, out);
  const int64_t divisor = pow10(-shift_);
  if (value % divisor != 0) return false;
  *out = value / divisor;
  return true;
}

bool CellParser::parseEnum(std::string_view text, int64_t* out) const {
  const std::vector<std::string>& members = type_->members;
  for (size_t member = 0; member < members.size(); ++member) {
    if (!equalsText(text, members[member])) continue;
    *out = static_cast<int64_t>(member);
    return true;
  }
  return false;
}

bool CellParser::parse(std::string_view text, CellValue* out) const {
  out->missing = false;
  if (text.empty()) {
    if (type_->optional) {
      out->missing = true;
      out->i64 = 0;
      out->str = {};
      return true;
    }
    out->str = {};
    return mode_ == Mode::String;
  }
  if (formatted_) return parseFormatted(text, out);
  switch (mode_) {
    case Mode::Number: return parseNumber(text, &out->i64);
    case Mode::Date: return parseDate(text, &out->i64) == DateError::None;
    case Mode::Timestamp: return parseTimestampCell(text, &out->i64);
    case Mode::Time: return parseTimeCell(text, &out->i64);
    case Mode::Enum: return parseEnum(text, &out->i64);
    case Mode::String:
      out->str = text;
      return isValidUtf8(text);
    case Mode::Bool: break;
  }
  // Fixed-size compares inline to a load and a compare; `text == "true"` would call memcmp.
  if (text.size() == 4 && std::memcmp(text.data(), "true", 4) == 0) return out->i64 = 1, true;
  if (text.size() == 5 && std::memcmp(text.data(), "false", 5) == 0) return out->i64 = 0, true;
  return false;
}

std::string CellParser::explainEmpty(std::string_view field) const {
  std::string out = "empty cell, but ";
  out.append(field.empty() ? std::string("the field") : quoteForMessage(field));
  out.append(" is not optional (declare it `");
  out.append(ir::typeName(type_->required()));
  out.append("?`)");
  return out;
}

// "`1,5` is not a decimal number (…)": what a cell of this type looks like, with an example.
std::string CellParser::explainSyntax(std::string_view text) const {
  const std::string shown = quoteForMessage(text);
  if (cents_) return shown + " is not a whole number of cents (format \"cents\": write 1250 for 12.50)";
  switch (type_->kind) {
    case ir::TypeKind::Int: return shown + " is not an int (write digits, e.g. 42 or -7)";
    case ir::TypeKind::Days: return shown + " is not a number of days (write a whole number, e.g. 14)";
    case ir::TypeKind::Duration: return shown + " is not a duration (write whole seconds, e.g. 86400)";
    case ir::TypeKind::Percent: return shown + " is not a percent number (write 5 for 5%, 1.27 for 1.27%)";
    case ir::TypeKind::Money: return shown + " is not an amount (write e.g. 12.50 or -3, without currency)";
    default: return shown + " is not a decimal number (write e.g. 12.50 or -3)";
  }
}

std::string CellParser::explainNumber(std::string_view text) const {
  const std::string shown = quoteForMessage(text);
  const std::string name = ir::typeName(type_->required());
  int64_t value = 0;
  switch (parseDecimal(text, parse_scale_, &value)) {
    case NumberError::Syntax: return explainSyntax(text);
    case NumberError::TooManyPlaces: {
      if (cents_ || type_->kind == ir::TypeKind::Int || type_->kind == ir::TypeKind::Days ||
          type_->kind == ir::TypeKind::Duration) {
        return explainSyntax(text);
      }
      const int places = decimalPlaces(text);
      return shown + " has " + std::to_string(places) + (places == 1 ? " decimal place; " : " decimal places; ") +
             name + " allows " + std::to_string(parse_scale_);
    }
    case NumberError::Overflow: return shown + " is too large for " + name + " (beyond 64-bit range)";
    case NumberError::None: break;
  }
  if (shift_ > 0) return shown + " is too large for " + name + " (beyond 64-bit range)";
  return shown + " cannot be stored exactly as " + name + " at scale " + std::to_string(type_->scale);
}

// Names the offending byte rather than quoting the text, which would carry the bad bytes into the
// message. Example: "not valid UTF-8 text (byte 0xFC at position 3); save the file as UTF-8".
static std::string explainUtf8(std::string_view text) {
  size_t bad = firstInvalidUtf8(text);
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
  return "not valid UTF-8 text (byte " + std::string(hex) + " at position " + std::to_string(bad + 1) +
         "); save the file as UTF-8, e.g. `iconv -f latin1 -t utf-8`";
}

std::string CellParser::explain(std::string_view text, std::string_view field) const {
  CellValue value;
  if (parse(text, &value)) return "";
  if (text.empty()) return explainEmpty(field);
  if (mode_ == Mode::String && !formatted_) return explainUtf8(text);
  std::string reason;
  switch (formatted_ ? Mode::String : mode_) {
    case Mode::Number: reason = explainNumber(text); break;
    case Mode::Date: reason = explainDate(text); break;
    case Mode::Timestamp: reason = explainTimestampCell(text); break;
    case Mode::Time:
      reason = quoteForMessage(text) + " is not a time of day (write HH:MM or HH:MM:SS, e.g. 21:00 or 08:00:30)";
      break;
    case Mode::Bool: reason = quoteForMessage(text) + " is not a bool (write true or false)"; break;
    case Mode::Enum: reason = quoteForMessage(text) + " is not one of " + joinMembers(type_->members); break;
    case Mode::String: reason = explainFormatted(text); break;
  }
  if (hasOuterSpace(text)) reason += " (note the leading or trailing space: cells are not trimmed)";
  return reason;
}

// A cell of a field with a declared format: `1/2/2013` with "M/D/YYYY", `Yes` with "Yes/No",
// `17850.0` with "whole.0".
bool CellParser::parseFormatted(std::string_view text, CellValue* out) const {
  switch (mode_) {
    case Mode::Date: return parseOrderedDate(text, date_order_, &out->i64);
    case Mode::Bool:
      if (text == true_text_) return out->i64 = 1, true;
      if (text == false_text_) return out->i64 = 0, true;
      return false;
    case Mode::Number: {
      std::string_view whole = stripZeroFraction(text);
      return !whole.empty() && parseNumber(whole, &out->i64);
    }
    case Mode::Timestamp: {
      int64_t local = 0;
      if (!parseLocalDateTime(text, &local)) return false;
      out->i64 = zone_->utcOf(local);
      return out->i64 >= civil::kMinTimestamp && out->i64 <= civil::kMaxTimestamp;
    }
    default: return false;
  }
}

std::string CellParser::explainFormatted(std::string_view text) const {
  const std::string shown = quoteForMessage(text);
  switch (mode_) {
    case Mode::Date:
      return shown + (date_order_ == DateOrder::MonthFirst ? " is not a date M/D/YYYY (write e.g. 1/31/2013)"
                                                           : " is not a date D.M.YYYY (write e.g. 31.1.2013)");
    case Mode::Bool: return shown + " is not " + true_text_ + " or " + false_text_;
    case Mode::Number: return shown + " is not a whole number (format \"whole.0\" allows 17850 or 17850.0, not 17850.5)";
    case Mode::Timestamp:
      return shown + " is not a date and time on the clock of " + zone_name_ +
             " (format \"local " + zone_name_ + "\": write e.g. 2010-12-01 08:26:00 or 2010-12-01 08:26)";
    default: return "";
  }
}

std::string parseCell(const ir::Type& type, std::string_view format, std::string_view text, CellValue* out,
                      std::string_view field) {
  CellParser parser(type, format);
  if (parser.parse(text, out)) return "";
  return parser.explain(text, field);
}

}  // namespace regelwerk
