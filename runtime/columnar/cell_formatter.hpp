// Typed output cells: physical value -> CSV text, the inverse of CellParser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/type.hpp"
#include "runtime/columnar/cell_value.hpp"

namespace regelwerk {

// Formats the cells of one output column; built once per column, then called per row.
// int and days plain; decimal and money at the type's scale (`12.50`, `-0.05`); money with format
// "cents" as integer minor units (`1250`); percent in percent units (fraction 127 at scale 4 ->
// `1.27`); date ISO; bool true/false; enum the member name; string quoted when it contains the
// separator, the quote, CR or LF. A missing value is an empty cell; an empty string in a `string?`
// column is written `""` so that reading it back gives the empty string, not missing.
// Any other cell is quoted too when the separator or quote could occur in it (`12.50` with separator
// `.`, the enum member `small_business` with separator `_`), so every cell reads back; with the
// usual separators that never happens, and the check is made once, here, not per cell.
// `type` must outlive the formatter.
class CellFormatter {
 public:
  CellFormatter(const ir::Type& type, std::string_view format, char separator = ',', char quote = '"');
  void append(const CellValue& value, std::string* out) const;

  // The raw form for writers that manage their own buffer: write() puts the cell text at `out`,
  // which has room for maxSize(value) bytes, and returns the end of what it wrote.
  size_t maxSize(const CellValue& value) const;
  char* write(const CellValue& value, char* out) const;

  // What write() produces for a present value, for writers that inline the common shapes:
  // Integer is writeInteger(value); Fixed is writeFixed(value, fixedScale()); Enum and Bool are
  // memberText(value) (the name, quoted if need be).
  enum class Shape : uint8_t { Integer, Fixed, Enum, Bool, Other };
  Shape shape() const;
  int fixedScale() const { return scale_; }
  // Enum: the cell text of member `index`; Bool: of false (0) and true (1).
  const std::string& memberText(size_t index) const { return member_texts_[index]; }

  // The exact length write() would produce: what a writer checks against the record-length limit.
  size_t exactSize(const CellValue& value) const;

 private:
  enum class Mode : uint8_t { Bool, Scaled, Shifted, Date, Enum, String, Timestamp, Time };

  char* writeShifted(int64_t value, char* out) const;
  char* writeString(std::string_view text, char* out) const;
  char* writeQuoted(std::string_view text, char* out) const;
  char* writePlain(const CellValue& value, char* out) const;
  void planMembers(const std::vector<std::string>& names);

  const ir::Type* type_;
  Mode mode_ = Mode::Scaled;
  int scale_ = 0;  // Scaled: places; Shifted: type scale - 2 (negative: append zeros)
  std::vector<std::string> member_texts_;  // Enum, Bool: each member's cell text
  size_t longest_member_ = 0;
  char separator_;
  char quote_;
  bool quote_numbers_ = false;  // the separator or quote is a digit, `-` or `.`: quote numbers and dates
};

// One-shot form of CellFormatter: appends the cell text of `value` to `out`.
void formatCell(const ir::Type& type, std::string_view format, const CellValue& value, std::string* out,
                char separator = ',', char quote = '"');

// Appends `text` as one CSV field: as is, or in quotes with inner quotes doubled when it contains
// the separator, the quote, CR or LF. Example: say "hi", you -> "say ""hi"", you".
void appendCsvField(std::string_view text, char separator, char quote, std::string* out);

}  // namespace regelwerk
