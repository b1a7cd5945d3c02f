// Typed output cells: hand-written number and date formatting, CSV quoting for strings.
#include "cell_formatter.hpp"

#include <cassert>

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
    case ir::TypeKind::Enum: mode_ = Mode::Enum; return;
    case ir::TypeKind::String: mode_ = Mode::String; return;
    case ir::TypeKind::Int:
    case ir::TypeKind::Days: mode_ = Mode::Scaled; return;
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
void CellFormatter::appendShifted(int64_t value, std::string* out) const {
  if (scale_ >= 0) {
    appendDecimal(value, scale_, out);
    return;
  }
  appendDecimal(value, 0, out);
  if (value != 0) out->append(static_cast<size_t>(-scale_), '0');
}

void CellFormatter::appendString(std::string_view text, std::string* out) const {
  if (text.empty() && type_->optional) {
    out->push_back(quote_);
    out->push_back(quote_);
    return;
  }
  appendCsvField(text, separator_, quote_, out);
}

void CellFormatter::append(const CellValue& value, std::string* out) const {
  if (value.missing) return;
  switch (mode_) {
    case Mode::Scaled: appendDecimal(value.i64, scale_, out); return;
    case Mode::Shifted: appendShifted(value.i64, out); return;
    case Mode::Date: appendDate(value.i64, out); return;
    case Mode::Bool: out->append(value.i64 ? "true" : "false"); return;
    case Mode::String: appendString(value.str, out); return;
    case Mode::Enum: break;
  }
  assert(value.i64 >= 0 && static_cast<size_t>(value.i64) < type_->members.size() && "enum index out of range");
  out->append(type_->members[static_cast<size_t>(value.i64)]);
}

void formatCell(const ir::Type& type, std::string_view format, const CellValue& value, std::string* out,
                char separator, char quote) {
  CellFormatter(type, format, separator, quote).append(value, out);
}

}  // namespace regelwerk
