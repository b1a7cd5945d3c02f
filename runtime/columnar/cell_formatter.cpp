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

CellFormatter::CellFormatter(const ir::Type& type, std::string_view format, char separator, char quote)
    : type_(&type), separator_(separator), quote_(quote) {
  switch (type.kind) {
    case ir::TypeKind::Bool: mode_ = Mode::Bool; return;
    case ir::TypeKind::Date: mode_ = Mode::Date; return;
    case ir::TypeKind::Timestamp: mode_ = Mode::Timestamp; return;
    case ir::TypeKind::Time: mode_ = Mode::Time; return;
    case ir::TypeKind::Enum:
      mode_ = Mode::Enum;
      for (const std::string& member : type.members) longest_member_ = std::max(longest_member_, member.size());
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
  *out++ = quote_;
  for (char c : text) {
    if (c == quote_) *out++ = quote_;
    *out++ = c;
  }
  *out++ = quote_;
  return out;
}

CellFormatter::Shape CellFormatter::shape() const {
  switch (mode_) {
    case Mode::Scaled:
    case Mode::Shifted: return scale_ == 0 ? Shape::Integer : Shape::Other;
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
    case Mode::Shifted: return kMaxDecimalChars + ir::kMaxScale;
    case Mode::Date: return kMaxDateChars;
    case Mode::Timestamp: return 20;
    case Mode::Time: return 8;
    case Mode::Bool: return 5;
    case Mode::Enum: return longest_member_;
    case Mode::String: break;
  }
  return 2 * value.str.size() + 2;
}

char* CellFormatter::write(const CellValue& value, char* out) const {
  if (value.missing) return out;
  switch (mode_) {
    case Mode::Scaled: return out + writeDecimal(value.i64, scale_, out);
    case Mode::Shifted: return writeShifted(value.i64, out);
    case Mode::Date: return out + writeDate(value.i64, out);
    case Mode::Timestamp: return out + civil::formatTimestamp(value.i64, out);
    case Mode::Time: return out + civil::formatTimeOfDay(value.i64, out);
    case Mode::String: return writeString(value.str, out);
    case Mode::Bool: {
      const std::string_view text = value.i64 ? "true" : "false";
      std::memcpy(out, text.data(), text.size());
      return out + text.size();
    }
    case Mode::Enum: break;
  }
  assert(value.i64 >= 0 && static_cast<size_t>(value.i64) < type_->members.size() && "enum index out of range");
  const std::string& name = type_->members[static_cast<size_t>(value.i64)];
  std::memcpy(out, name.data(), name.size());
  return out + name.size();
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
