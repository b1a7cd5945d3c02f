// The one-pass record parser: a plan per header position, typed fast forms, and a way out.
#include "unquoted_record_parser.hpp"

#include <cstring>

#include "runtime/columnar/civil_date.hpp"
#include "runtime/columnar/decimal_text.hpp"
#include "runtime/io/byte_buffer.hpp"

namespace regelwerk {

namespace {

inline bool isDigit(char c) {
  return static_cast<unsigned char>(c - '0') < 10;
}
inline int digit(const char* pos) {
  return *pos - '0';
}

// Eight bytes from `pos`, first byte lowest; safe anywhere in a chunk thanks to ByteBuffer's padding.
inline uint64_t loadWord(const char* pos) {
  uint64_t word;
  std::memcpy(&word, pos, sizeof word);
  return word;
}

// `YYYY-MM-DD` with ASCII digits: the eight digit bytes must lie in '0'..'9' and the dashes in place.
inline bool hasIsoDateShape(const char* pos) {
  return isDigit(pos[0]) && isDigit(pos[1]) && isDigit(pos[2]) && isDigit(pos[3]) && pos[4] == '-' && isDigit(pos[5]) &&
         isDigit(pos[6]) && pos[7] == '-' && isDigit(pos[8]) && isDigit(pos[9]);
}

}  // namespace

UnquotedRecordParser::UnquotedRecordParser(const std::vector<ir::InputColumn>& inputs, const HeaderBinding& binding,
                                           CsvDialect dialect)
    : dialect_(dialect) {
  std::memset(stops_, 0, sizeof stops_);
  for (char c : {dialect.separator, dialect.quote, '\r', '\n'}) stops_[static_cast<unsigned char>(c)] = 1;
  steps_.resize(binding.header.size());
  std::vector<bool> bound(binding.header.size(), false);
  bool exact = !steps_.empty() && !separatorCanBeCellText(inputs);
  for (size_t input = 0; input < inputs.size() && exact; ++input) {
    const uint32_t field = binding.field_of_input[input];
    exact = !bound[field] && planField(inputs[input], static_cast<uint32_t>(input), &steps_[field]);
    bound[field] = true;  // two inputs from one header field: left to the general path
  }
  enabled_ = exact;
}

// The typed fast forms stop at the first byte that cannot be part of the cell and then expect the
// separator; that is only the general split when no cell text can contain the separator or quote.
bool UnquotedRecordParser::separatorCanBeCellText(const std::vector<ir::InputColumn>& inputs) const {
  std::string cell_bytes = "0123456789-truefalse";
  for (const ir::InputColumn& input : inputs)
    for (const std::string& member : input.type.members) cell_bytes += member;
  return cell_bytes.find(dialect_.separator) != std::string::npos ||
         cell_bytes.find(dialect_.quote) != std::string::npos;
}

bool UnquotedRecordParser::planField(const ir::InputColumn& input, uint32_t column, FieldStep* step) {
  const CellParser parser(input.type, input.format);
  step->input = column;
  step->kind = ir::physicalKind(input.type);
  step->optional = input.type.optional;
  switch (parser.shape()) {
    case CellParser::Shape::Integer:
      step->action = Action::Integer;
      step->multiplier = pow10(parser.integerShift());
      return true;
    case CellParser::Shape::Date:
      step->action = Action::Date;
      return true;
    case CellParser::Shape::Bool:
      step->action = Action::Bool;
      return true;
    case CellParser::Shape::String:
      step->action = Action::Text;
      return true;
    case CellParser::Shape::Enum:
      if (planEnum(input.type, step)) return true;
      break;
    case CellParser::Shape::Other:
      break;
  }
  step->action = Action::Cell;
  step->helper = static_cast<uint32_t>(parsers_.size());
  parsers_.push_back(parser);
  return true;
}

// Members by first byte, each as a masked word when at most eight bytes long. False (use the
// general cell parser) when a member is empty or longer than the padding a compare may read into.
bool UnquotedRecordParser::planEnum(const ir::Type& type, FieldStep* step) {
  EnumMatcher matcher;
  if (type.members.size() >= kAmbiguous) return false;
  for (size_t index = 0; index < type.members.size(); ++index) {
    const std::string& name = type.members[index];
    if (name.empty() || name.size() >= ByteBuffer::kPadding) return false;
    Member member{name, 0, 0};
    if (name.size() <= 8) {
      std::memcpy(&member.word, name.data(), name.size());
      member.mask = name.size() == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * name.size())) - 1;
    }
    matcher.members.push_back(member);
    uint8_t& slot = matcher.by_first_byte[static_cast<unsigned char>(name[0])];
    slot = slot == 0 ? static_cast<uint8_t>(index + 1) : kAmbiguous;
  }
  step->action = Action::Enum;
  step->helper = static_cast<uint32_t>(matchers_.size());
  matchers_.push_back(std::move(matcher));
  return true;
}

void UnquotedRecordParser::bind(Batch* batch) {
  columns_.resize(batch->columnCount());
  for (size_t column = 0; column < columns_.size(); ++column) columns_[column] = batch->column(column).view();
}

void UnquotedRecordParser::store(const FieldStep& step, size_t row, int64_t value) const {
  const ColumnView& column = columns_[step.input];
  if (step.kind == ir::Kind::Bool)
    static_cast<uint8_t*>(column.values)[row] = static_cast<uint8_t>(value);
  else
    static_cast<int64_t*>(column.values)[row] = value;
  if (step.optional) column.valid[row] = 1;
}

// The walk: a field, then the separator, …, then the line end (LF or CRLF). Any other byte where a
// field must end means the record is not in the fast shape.
const char* UnquotedRecordParser::parse(const char* pos, size_t row) const {
  const size_t last = steps_.size() - 1;
  for (size_t field = 0;; ++field) {
    pos = parseField(steps_[field], pos, row);
    if (pos == nullptr) return nullptr;
    if (field == last) break;
    if (*pos != dialect_.separator) return nullptr;
    ++pos;
  }
  if (*pos == '\n') return pos + 1;
  if (*pos == '\r' && pos[1] == '\n') return pos + 2;
  return nullptr;
}

// A flat switch that delegates each action; every case returns where the field's text ends.
const char* UnquotedRecordParser::parseField(const FieldStep& step, const char* pos, size_t row) const {
  switch (step.action) {
    case Action::Skip:
      return skipText(pos);
    case Action::Integer:
      return parseInteger(step, pos, row);
    case Action::Date:
      return parseDate(step, pos, row);
    case Action::Enum:
      return parseEnum(step, pos, row);
    case Action::Bool:
      return parseBool(step, pos, row);
    case Action::Text:
      return parseText(step, pos, row);
    case Action::Cell:
      return parseCell(step, pos, row);
  }
  return nullptr;
}

// An empty cell is missing for `T?` (stored as zero, like CellParser); for other types it is an
// error whose message the general path writes.
const char* UnquotedRecordParser::parseEmpty(const FieldStep& step, const char* pos, size_t row) const {
  if (!step.optional) return nullptr;
  const ColumnView& column = columns_[step.input];
  column.valid[row] = 0;
  switch (step.kind) {
    case ir::Kind::I64:
      static_cast<int64_t*>(column.values)[row] = 0;
      break;
    case ir::Kind::Bool:
      static_cast<uint8_t*>(column.values)[row] = 0;
      break;
    case ir::Kind::Str:
      static_cast<StrRef*>(column.values)[row] = StrRef{nullptr, 0};
      break;
  }
  return pos;
}

// `-?[0-9]{1,18}` times the multiplier: up to 18 digits cannot overflow, so the loop has no checks.
// Skips: 19+ digits, a lone `-`, and an overflowing multiply; all go to parseDecimal's exact checks.
const char* UnquotedRecordParser::parseInteger(const FieldStep& step, const char* pos, size_t row) const {
  if (isFieldEnd(*pos)) return parseEmpty(step, pos, row);
  const bool negative = *pos == '-';
  const char* digits = pos + (negative ? 1 : 0);
  const char* end = digits;
  uint64_t magnitude = 0;
  for (; isDigit(*end); ++end) magnitude = magnitude * 10 + static_cast<uint64_t>(digit(end));
  if (static_cast<size_t>(end - digits) - 1 >= 18) return nullptr;
  int64_t value = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  if (step.multiplier != 1 && __builtin_mul_overflow(value, step.multiplier, &value)) return nullptr;
  store(step, row, value);
  return end;
}

// Fixed positions instead of a general scan; the calendar checks are parseDate's, and a longer
// cell fails the caller's separator check. Years 0001..9999 are positive, so daysFromCivil's
// divisions are all by constants.
const char* UnquotedRecordParser::parseDate(const FieldStep& step, const char* pos, size_t row) const {
  if (isFieldEnd(*pos)) return parseEmpty(step, pos, row);
  if (!hasIsoDateShape(pos)) return nullptr;
  const int year = digit(pos) * 1000 + digit(pos + 1) * 100 + digit(pos + 2) * 10 + digit(pos + 3);
  const int month = digit(pos + 5) * 10 + digit(pos + 6);
  const int day = digit(pos + 8) * 10 + digit(pos + 9);
  if (year == 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return nullptr;
  store(step, row, daysFromCivil(year, month, day));
  return pos + 10;
}

// One candidate by the first byte, compared as a masked word; members sharing a first byte are
// tried in order and must be followed by a field end, like the general exact-name match.
const char* UnquotedRecordParser::parseEnum(const FieldStep& step, const char* pos, size_t row) const {
  if (isFieldEnd(*pos)) return parseEmpty(step, pos, row);
  const EnumMatcher& matcher = matchers_[step.helper];
  auto matches = [&](const Member& member) {
    if (member.mask != 0) return (loadWord(pos) & member.mask) == member.word;
    return std::memcmp(pos, member.name.data(), member.name.size()) == 0;
  };
  const uint8_t slot = matcher.by_first_byte[static_cast<unsigned char>(*pos)];
  if (slot == 0) return nullptr;
  if (slot != kAmbiguous) {
    const Member& member = matcher.members[slot - 1];
    if (!matches(member)) return nullptr;
    store(step, row, slot - 1);
    return pos + member.name.size();
  }
  for (size_t index = 0; index < matcher.members.size(); ++index) {
    const Member& member = matcher.members[index];
    if (!matches(member) || !isFieldEnd(pos[member.name.size()])) continue;
    store(step, row, static_cast<int64_t>(index));
    return pos + member.name.size();
  }
  return nullptr;
}

const char* UnquotedRecordParser::parseBool(const FieldStep& step, const char* pos, size_t row) const {
  if (isFieldEnd(*pos)) return parseEmpty(step, pos, row);
  const uint64_t word = loadWord(pos);
  const bool is_true = (word & 0xFFFFFFFFu) == 0x65757274u;       // "true"
  const bool is_false = (word & 0xFFFFFFFFFFu) == 0x65736C6166u;  // "false"
  if (!is_true && !is_false) return nullptr;
  store(step, row, is_true ? 1 : 0);
  return pos + (is_true ? 4 : 5);
}

// Unquoted text up to the next separator or line end; a quote or a lone CR needs the general split.
const char* UnquotedRecordParser::skipText(const char* pos) const {
  while (!stops_[static_cast<unsigned char>(*pos)]) ++pos;
  if (*pos == dialect_.quote || (*pos == '\r' && pos[1] != '\n')) return nullptr;
  return pos;
}

// Strings point into the chunk, as in the general path; an empty cell is missing for `string?`
// and the empty string (a null StrRef, as CellParser gives) for `string`.
const char* UnquotedRecordParser::parseText(const FieldStep& step, const char* pos, size_t row) const {
  const char* end = skipText(pos);
  if (end == nullptr) return nullptr;
  if (end == pos && step.optional) return parseEmpty(step, pos, row);
  const ColumnView& column = columns_[step.input];
  const int64_t size = end - pos;
  static_cast<StrRef*>(column.values)[row] = size == 0 ? StrRef{nullptr, 0} : StrRef{pos, size};
  if (step.optional) column.valid[row] = 1;
  return end;
}

// Types without a fast form (decimals, percents): split here, parse with the general CellParser.
const char* UnquotedRecordParser::parseCell(const FieldStep& step, const char* pos, size_t row) const {
  const char* end = skipText(pos);
  if (end == nullptr) return nullptr;
  if (end == pos) return parseEmpty(step, pos, row);
  CellValue value;
  if (!parsers_[step.helper].parse(std::string_view(pos, static_cast<size_t>(end - pos)), &value)) return nullptr;
  store(step, row, value.i64);
  return end;
}

}  // namespace regelwerk
