// Typed CSV cells: text -> physical value for every input type, with reasons an analyst can act on.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ir/type.hpp"
#include "compiler/support/time_zone.hpp"
#include "runtime/columnar/cell_formats.hpp"
#include "runtime/columnar/cell_value.hpp"

namespace regelwerk {

// Parses the cells of one input column. Built once per column (it resolves the type and format
// into a parse plan), then called per cell without allocating; explain() builds the message only
// for cells that failed. `type` must outlive the parser.
//
// Rules (docs/language.md, Declarations/Input): int and days `-?[0-9]+`; decimal and money
// `-?[0-9]+(\.[0-9]+)?` with at most the type's places; money with format "cents" an integer of
// minor units; percent cells in percent units (`1.27` is the fraction 0.0127); bool `true`/`false`;
// date `YYYY-MM-DD`; timestamp `YYYY-MM-DDTHH:MM:SSZ` or with an offset `+HH:MM` (no fraction of a
// second); duration a whole number of seconds; time `HH:MM` or `HH:MM:SS`; enum an exact member name
// (-> index); string as is. Nothing is trimmed.
// An empty cell is missing for `T?`, the empty string for `string`, and an error otherwise.
class CellParser {
 public:
  CellParser(const ir::Type& type, std::string_view format);

  // True when `text` is a valid cell; fills `out` (out->str points into `text` for strings).
  bool parse(std::string_view text, CellValue* out) const;
  // Why parse(text) failed, as one sentence; `field` names the input field in the empty-cell case.
  // Example: "`2025-02-30` is not a date (February 2025 has 28 days)".
  std::string explain(std::string_view text, std::string_view field = {}) const;

  const ir::Type& type() const { return *type_; }

  // The text shape parse() accepts, for readers that parse the common shapes inline (and must agree
  // with parse() exactly): Integer is `-?[0-9]+` times 10^integerShift(), with no places allowed.
  enum class Shape : uint8_t { Integer, Date, Enum, Bool, String, Other };
  Shape shape() const;
  int integerShift() const { return shift_; }

 private:
  enum class Mode : uint8_t { Bool, Number, Date, Enum, String, Timestamp, Time };

  bool parseNumber(std::string_view text, int64_t* out) const;
  bool parseEnum(std::string_view text, int64_t* out) const;
  std::string explainEmpty(std::string_view field) const;
  std::string explainNumber(std::string_view text) const;
  std::string explainSyntax(std::string_view text) const;

  const ir::Type* type_;
  Mode mode_ = Mode::String;
  bool cents_ = false;
  int parse_scale_ = 0;  // places the cell text may have
  int shift_ = 0;        // then the value is multiplied by 10^shift, or divided exactly by 10^-shift
  // Declared formats (cell_formats.hpp); fields with one parse through parseFormatted().
  bool formatted_ = false;
  DateOrder date_order_ = DateOrder::Iso;
  std::string true_text_;   // bool format "Yes/No"
  std::string false_text_;
  const tz::Zone* zone_ = nullptr;  // timestamp format "local ZONE"
  std::string zone_name_;
  bool parseFormatted(std::string_view text, CellValue* out) const;
  std::string explainFormatted(std::string_view text) const;
};

// One-shot form of CellParser: "" when `text` is a valid cell of `type`, else the reason.
// Example: parseCell(money, "", "12.345", &value) == "`12.345` has 3 decimal places; money allows 2".
std::string parseCell(const ir::Type& type, std::string_view format, std::string_view text, CellValue* out,
                      std::string_view field = {});

// `text` in backticks for messages, shortened to about 60 bytes (on a UTF-8 boundary) when long,
// with control and ill-formed bytes escaped: `10.0\x000` for a cell holding a NUL.
std::string quoteForMessage(std::string_view text);

}  // namespace regelwerk
