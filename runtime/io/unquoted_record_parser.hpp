// The one-pass record parser for the common CSV record: split and parse straight from the bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.hpp"
#include "runtime/columnar/batch.hpp"
#include "runtime/columnar/cell_parser.hpp"
#include "runtime/io/csv_dialect.hpp"
#include "runtime/io/header_binding.hpp"

namespace regelwerk {

// Why it exists: splitting a record into a field vector and then parsing each field through a
// mode switch costs thousands of instructions a row; the common record has no quotes and only
// well-formed cells. A plan built once per header position parses each field where it starts
// (an int reads digits up to the first non-digit, then expects the separator), so every byte is
// looked at once. Example: `7,consumer,125050,0,2025-03-01,,0,false\n` fills row `row` of every
// bound column in one left-to-right walk.
//
// It is exact by giving up, never by guessing: whenever a record is not in the fast shape (a quote
// anywhere, a lone CR, a field count other than the header's, a cell the typed fast form does not
// accept, an int of 19+ digits) parse() returns null and the caller parses the record with the
// general path (CsvSplitter + CellParser), which produces the very same values or the reject.
// Requires the ByteBuffer padding after the chunk (see chunk.hpp): a field start may load a word.
class UnquotedRecordParser {
 public:
  UnquotedRecordParser(const std::vector<ir::InputColumn>& inputs, const HeaderBinding& binding, CsvDialect dialect);

  // False when the plan cannot be exact for this dialect and header (then parse() is never used).
  bool enabled() const { return enabled_; }
  // Points the plan at `batch`'s columns; call before parse() with a new batch.
  void bind(Batch* batch);
  // Parses the record at `pos` (not an empty line) into row `row`; returns the position after its
  // line end, or null to ask for the general path (row `row` may then be partly written).
  const char* parse(const char* pos, size_t row) const;

 private:
  enum class Action : uint8_t { Skip, Integer, Date, Enum, Bool, Text, Cell };

  struct FieldStep {
    Action action = Action::Skip;
    ir::Kind kind = ir::Kind::I64;  // the column's physical kind
    bool optional = false;
    uint32_t input = 0;      // batch column (not for Skip)
    int64_t multiplier = 1;  // Integer: 10^shift
    uint32_t helper = 0;     // Enum: index into matchers_; Cell: index into parsers_
  };

  // An enum member compared as one masked 8-byte word when it is that short, else with memcmp.
  struct Member {
    std::string_view name;
    uint64_t word;
    uint64_t mask;
  };
  // Candidates by first byte: member index + 1, 0 for none, kAmbiguous when several share it.
  struct EnumMatcher {
    std::array<uint8_t, 256> by_first_byte{};
    std::vector<Member> members;
  };
  static constexpr uint8_t kAmbiguous = 255;

  bool planField(const ir::InputColumn& input, uint32_t column, FieldStep* step);
  bool planEnum(const ir::Type& type, FieldStep* step);
  bool separatorCanBeCellText(const std::vector<ir::InputColumn>& inputs) const;

  // The per-field steps are forced inline into parse(): one call per record, not one per field.
  [[gnu::always_inline]] inline const char* parseField(const FieldStep& step, const char* pos, size_t row) const;
  const char* parseEmpty(const FieldStep& step, const char* pos, size_t row) const;
  [[gnu::always_inline]] inline const char* parseInteger(const FieldStep& step, const char* pos, size_t row) const;
  [[gnu::always_inline]] inline const char* parseDate(const FieldStep& step, const char* pos, size_t row) const;
  [[gnu::always_inline]] inline const char* parseEnum(const FieldStep& step, const char* pos, size_t row) const;
  [[gnu::always_inline]] inline const char* parseBool(const FieldStep& step, const char* pos, size_t row) const;
  const char* parseText(const FieldStep& step, const char* pos, size_t row) const;
  const char* parseCell(const FieldStep& step, const char* pos, size_t row) const;
  [[gnu::always_inline]] inline const char* skipText(const char* pos) const;
  [[gnu::always_inline]] inline void store(const FieldStep& step, size_t row, int64_t value) const;
  bool isFieldEnd(char c) const { return c == dialect_.separator || c == '\n' || c == '\r'; }
  void setPresent(const FieldStep& step, size_t row) const {
    if (step.optional) columns_[step.input].valid[row] = 1;
  }

  CsvDialect dialect_;
  bool enabled_ = false;
  std::vector<FieldStep> steps_;  // one per header position
  std::vector<EnumMatcher> matchers_;
  std::vector<CellParser> parsers_;
  std::vector<ColumnView> columns_;
  uint8_t stops_[256];  // separator, quote, CR, LF: where an unquoted text field may end
};

}  // namespace regelwerk
