// The one-pass record parser: a plan per header position, typed fast forms, and a way out.
#include "unquoted_record_parser.hpp"

#include <cstring>

#include "runtime/columnar/civil_date.hpp"
#include "runtime/columnar/decimal_text.hpp"
#include "runtime/io/byte_buffer.hpp"

namespace regelwerk {

namespace {

inline bool isDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline uint32_t digit(const char* pos) { return static_cast<uint32_t>(*pos - '0'); }

// Eight bytes from `pos`, first byte lowest; safe anywhere in a chunk thanks to ByteBuffer's padding.
inline uint64_t loadWord(const char* pos) {
  uint64_t word;
  std::memcpy(&word, pos, sizeof word);
  return word;
}

// The leading ASCII digits of `word` (at most 8): their count, and their value in *value.
// SWAR: a byte is a digit when its high nibble is 3 and adding 6 keeps it there; the digits are
// then moved to the top bytes (so missing ones read as leading zeros) and combined pairwise:
// 8 digits cost three multiplies instead of eight. Carries only move upward, so the bytes after
// the first non-digit cannot hide it.
inline int leadingDigits(uint64_t word, uint64_t* value) {
  constexpr uint64_t kHighNibbles = 0xF0F0F0F0F0F0F0F0u;
  constexpr uint64_t kZeros = 0x3030303030303030u;
  const uint64_t not_digit =
      ((word & kHighNibbles) ^ kZeros) | (((word + 0x0606060606060606u) & kHighNibbles) ^ kZeros);
  const int count = not_digit == 0 ? 8 : __builtin_ctzll(not_digit) / 8;
  if (count == 0) return 0;
  uint64_t digits = (word - kZeros) << (8 * (8 - count));
  digits = (digits * 10 + (digits >> 8)) & 0x00FF00FF00FF00FFu;
  digits = (digits * 100 + (digits >> 16)) & 0x0000FFFF0000FFFFu;
  digits = (digits * 10000 + (digits >> 32)) & 0xFFFFFFFFu;
  *value = digits;
  return count;
}

// `YYYY-MM-` as one word: after subtracting '0' from the digit bytes and '-' from the dash bytes,
// digits must be 0..9 and dashes 0; adding 0x76 (0x7F for dashes) sets bit 7 of any byte over
// its limit, and a byte under its base already has bit 7 set. Borrows and carries only move
// upward, so the first wrong byte is always caught.
inline bool hasIsoDatePrefix(uint64_t word) {
  const uint64_t offsets = word - 0x2D30302D30303030u;
  return (((offsets + 0x7F76767F76767676u) | offsets) & 0x8080808080808080u) == 0;
}

// Days since 1970-01-01 for a valid date in years 1..9999: Hinnant's days_from_civil with the
// era split folded away (365y + y/4 - y/100 + y/400 over a March-based year), which is exact for
// y >= 0 and leaves only divisions by constants. Example: 2026-11-21 -> 20778.
inline int64_t daysFromCivilAD(uint32_t year, uint32_t month, uint32_t day) {
  static constexpr uint32_t kMarchBasedMonthStart[13] = {0, 306, 337, 0, 31, 61, 92, 122, 153, 184, 214, 245, 275};
  const uint32_t march_year = year - (month <= 2 ? 1 : 0);
  const uint32_t days = march_year * 365 + march_year / 4 - march_year / 100 + march_year / 400 +
                        kMarchBasedMonthStart[month] + day - 1;
  return static_cast<int64_t>(days) - 719468;
}

// Whether `day` exists in `month` (1..12) of `year`; leap years only matter for 29 February.
inline bool dayExists(uint32_t year, uint32_t month, uint32_t day) {
  static constexpr uint32_t kLongest[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (day == 0 || day > kLongest[month]) return false;
  return month != 2 || day != 29 || isLeapYear(year);
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
  // Only the default text forms (and money's "cents") have typed fast forms; a field with any other
  // declared format is split here and parsed by its CellParser, whatever that format accepts.
  const bool default_text = input.format.empty() || (input.type.kind == ir::TypeKind::Money && input.format == "cents");
  switch (default_text ? parser.shape() : CellParser::Shape::Other) {
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
  uint64_t magnitude = 0;
  const char* end = digits + leadingDigits(loadWord(digits), &magnitude);
  if (end - digits == 8)
    for (; isDigit(*end); ++end) magnitude = magnitude * 10 + digit(end);
  if (static_cast<size_t>(end - digits) - 1 >= 18) return nullptr;
  int64_t value = negative ? -static_cast<int64_t>(magnitude) : static_cast<int64_t>(magnitude);
  if (step.multiplier != 1 && __builtin_mul_overflow(value, step.multiplier, &value)) return nullptr;
  store(step, row, value);
  return end;
}

// Fixed positions instead of a general scan, with parseDate's calendar checks; a longer cell
// fails the caller's separator check.
const char* UnquotedRecordParser::parseDate(const FieldStep& step, const char* pos, size_t row) const {
  if (isFieldEnd(*pos)) return parseEmpty(step, pos, row);
  if (!hasIsoDatePrefix(loadWord(pos)) || !isDigit(pos[8]) || !isDigit(pos[9])) return nullptr;
  const uint32_t year = digit(pos) * 1000 + digit(pos + 1) * 100 + digit(pos + 2) * 10 + digit(pos + 3);
  const uint32_t month = digit(pos + 5) * 10 + digit(pos + 6);
  const uint32_t day = digit(pos + 8) * 10 + digit(pos + 9);
  if (year == 0 || month - 1 >= 12 || !dayExists(year, month, day)) return nullptr;
  store(step, row, daysFromCivilAD(year, month, day));
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

static bool isAscii(const char* pos, const char* end) {
  for (; pos < end; ++pos) {
    if (static_cast<unsigned char>(*pos) >= 0x80) return false;
  }
  return true;
}

// Strings point into the chunk, as in the general path; an empty cell is missing for `string?`
// and the empty string (a null StrRef, as CellParser gives) for `string`.
const char* UnquotedRecordParser::parseText(const FieldStep& step, const char* pos, size_t row) const {
  const char* end = skipText(pos);
  if (end == nullptr) return nullptr;
  if (end == pos && step.optional) return parseEmpty(step, pos, row);
  // Non-ASCII text goes through the general path, whose CellParser checks it is valid UTF-8.
  if (!isAscii(pos, end)) return nullptr;
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
