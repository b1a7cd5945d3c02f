// Typed output cells: hand-written number and date formatting, CSV quoting for strings.
#include "cell_formatter.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "compiler/support/civil_time.hpp"
#include "runtime/columnar/civil_date.hpp"
#include "runtime/columnar/decimal_text.hpp"

namespace regelwerk {

namespace {

bool needsQuotes(std::string_view text, char separator, char quote) {
  for (char c : text)
    if (c == separator || c == quote || c == '\n' || c == '\r') return true;
  return false;
}

}  // namespace

void appendCsvField(std::string_view text, char separator, char quote, std::string* out) {
  if (!needsQuotes(text, separator, quote)) {
    out->append(text);
    return;
  }
  out->push_back(quote);
  for (char c : text) {
    if (c == quote) out->push_back(quote);
    out->push_back(c);
  }
  out->push_back(quote);
}

// Whether `c` can occur in a number or date cell (`-12.50`, `2026-01-31`).
bool inNumberText(char c) { return (c >= '0' && c <= '9') || c == '-' || c == '.'; }

CellFormatter::CellFormatter(const ir::Type& type, std::string_view format, char separator, char quote)
    : type_(&type), separator_(separator), quote_(quote) {
  quote_numbers_ = inNumberText(separator) || inNumberText(quote);
  switch (type.kind) {
    case ir::TypeKind::Bool:
      mode_ = Mode::Bool;
      planMembers({"false", "true"});
      return;
    case ir::TypeKind::Date: mode_ = Mode::Date; return;
    case ir::TypeKind::Timestamp: mode_ = Mode::Timestamp; return;
    case ir::TypeKind::Time: mode_ = Mode::Time; return;
    case ir::TypeKind::Enum:
      mode_ = Mode::Enum;
      planMembers(type.members);
      return;
    case ir::TypeKind::String: mode_ = Mode::String; return;
    case ir::TypeKind::Int:
    case ir::TypeKind::Days:
    case ir::TypeKind::Duration: mode_ = Mode::Scaled; return;
    case ir::TypeKind::Decimal: break;
    case ir::TypeKind::Money:
      if (format == "cents") {
        mode_ = Mode::Shifted;
        scale_ = type.scale - 2;
        return;
      }
      break;
    case ir::TypeKind::Percent:
      mode_ = Mode::Shifted;
      scale_ = type.scale - 2;
      return;
  }
  mode_ = Mode::Scaled;
  scale_ = type.scale;
}

// Member cell texts, quoted once here when a name holds the separator or quote (names are
// identifiers, so only an unusual separator such as `_` does that).
void CellFormatter::planMembers(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    std::string text;
    appendCsvField(name, separator_, quote_, &text);
    longest_member_ = std::max(longest_member_, text.size());
    member_texts_.push_back(std::move(text));
  }
}

// Prints value / 10^scale_ (value * 10^-scale_ when scale_ < 0: the digits plus zeros, exact).
// Example: fraction 127 at scale 4 as a percent -> "1.27"; 5 at scale 1 (0.5) -> "50".
char* CellFormatter::writeShifted(int64_t value, char* out) const {
  if (scale_ >= 0) return out + writeDecimal(value, scale_, out);
  out += writeDecimal(value, 0, out);
  if (value == 0) return out;
  std::memset(out, '0', static_cast<size_t>(-scale_));
  return out + -scale_;
}

char* CellFormatter::writeString(std::string_view text, char* out) const {
  const bool quoted = (text.empty() && type_->optional) || needsQuotes(text, separator_, quote_);
  if (!quoted) {
    // An empty StrRef may have a null pointer (an empty cell, a zeroed column), and memcpy must not get one.
    if (!text.empty()) std::memcpy(out, text.data(), text.size());
    return out + text.size();
  }
  return writeQuoted(text, out);
}

char* CellFormatter::writeQuoted(std::string_view text, char* out) const {
  *out++ = quote_;
  for (char c : text) {
    if (c == quote_) *out++ = quote_;
    *out++ = c;
  }
  *out++ = quote_;
  return out;
}

CellFormatter::Shape CellFormatter::shape() const {
  if (quote_numbers_ && (mode_ == Mode::Scaled || mode_ == Mode::Shifted)) return Shape::Other;
  switch (mode_) {
    case Mode::Scaled:
    case Mode::Shifted: return scale_ == 0 ? Shape::Integer : scale_ > 0 ? Shape::Fixed : Shape::Other;
    case Mode::Enum: return Shape::Enum;
    case Mode::Bool: return Shape::Bool;
    case Mode::Date:
    case Mode::Timestamp:
    case Mode::Time:
    case Mode::String: break;
  }
  return Shape::Other;
}

size_t CellFormatter::maxSize(const CellValue& value) const {
  if (value.missing) return 0;
  switch (mode_) {
    case Mode::Scaled:
    case Mode::Shifted: return quote_numbers_ ? 2 * (kMaxDecimalChars + ir::kMaxScale) + 2 : kMaxDecimalChars + ir::kMaxScale;
    case Mode::Date: return quote_numbers_ ? 2 * kMaxDateChars + 2 : kMaxDateChars;
    case Mode::Timestamp: return quote_numbers_ ? 2 * 20 + 2 : 20;
    case Mode::Time: return quote_numbers_ ? 2 * 8 + 2 : 8;
    case Mode::Bool:
    case Mode::Enum: return longest_member_;
    case Mode::String: break;
  }
  return 2 * value.str.size() + 2;
}

size_t CellFormatter::exactSize(const CellValue& value) const {
  if (value.missing) return 0;
  switch (mode_) {
    case Mode::Scaled:
    case Mode::Shifted:
    case Mode::Date:
    case Mode::Timestamp:
    case Mode::Time: {
      char text[2 * (kMaxDecimalChars + ir::kMaxScale + kMaxDateChars) + 2];
      return static_cast<size_t>(write(value, text) - text);
    }
    case Mode::Bool:
    case Mode::Enum: return member_texts_[static_cast<size_t>(value.i64)].size();
    case Mode::String: break;
  }
  const std::string_view text = value.str;
  if (!(text.empty() && type_->optional) && !needsQuotes(text, separator_, quote_)) return text.size();
  return text.size() + 2 + static_cast<size_t>(std::count(text.begin(), text.end(), quote_));
}

// Numbers, dates, timestamps and times as they are, before quoting: digits, `-`, `.`, `:`, `T`, `Z`.
char* CellFormatter::writePlain(const CellValue& value, char* out) const {
  switch (mode_) {
    case Mode::Scaled: return out + writeDecimal(value.i64, scale_, out);
    case Mode::Shifted: return writeShifted(value.i64, out);
    case Mode::Date: return out + writeDate(value.i64, out);
    case Mode::Timestamp: return out + civil::formatTimestamp(value.i64, out);
    case Mode::Time: return out + civil::formatTimeOfDay(value.i64, out);
    case Mode::String:
    case Mode::Bool:
    case Mode::Enum: break;
  }
  assert(false && "writePlain is for numbers and dates");
  return out;
}

char* CellFormatter::write(const CellValue& value, char* out) const {
  if (value.missing) return out;
  switch (mode_) {
    case Mode::Scaled:
    case Mode::Shifted:
    case Mode::Date:
    case Mode::Timestamp:
    case Mode::Time: {
      if (!quote_numbers_) return writePlain(value, out);
      char plain[kMaxDecimalChars + ir::kMaxScale + kMaxDateChars];
      const char* end = writePlain(value, plain);
      return writeQuoted(std::string_view(plain, static_cast<size_t>(end - plain)), out);
    }
    case Mode::String: return writeString(value.str, out);
    case Mode::Bool:
    case Mode::Enum: break;
  }
  assert(value.i64 >= 0 && static_cast<size_t>(value.i64) < member_texts_.size() && "member index out of range");
  const std::string& text = member_texts_[static_cast<size_t>(value.i64)];
  std::memcpy(out, text.data(), text.size());
  return out + text.size();
}

void CellFormatter::append(const CellValue& value, std::string* out) const {
  const size_t used = out->size();
  out->resize(used + maxSize(value));
  char* end = write(value, out->data() + used);
  out->resize(static_cast<size_t>(end - out->data()));
}

void formatCell(const ir::Type& type, std::string_view format, const CellValue& value, std::string* out,
                char separator, char quote) {
  CellFormatter(type, format, separator, quote).append(value, out);
}

}  // namespace regelwerk
