// Typed random expressions over a fixed input, written as rule-language text (see the header).
#include "program_generator.hpp"

#include <array>
#include <limits>
#include <string>

#include "runtime/columnar/civil_date.hpp"

namespace regelwerk::fuzz {

uint64_t ByteSource::word() {
  uint64_t value = 0;
  for (int index = 0; index < 8; ++index) value = value << 8 | byte();
  return value;
}

std::string_view ByteSource::rest() {
  std::string_view out(reinterpret_cast<const char*>(data_ + used_), size_ - used_);
  used_ = size_;
  return out;
}

namespace {

const char* const kInput = R"(input Row
  a: int
  b: int
  o: int?
  q: decimal(3)
  m: money
  n: money
  om: money?
  p: percent
  d: date
  e: date
  od: date?
  k: days
  f: bool
  s: string
  os: string?
  c: enum(x, y, z)
)";

const char* const kHeader = "a,b,o,q,m,n,om,p,d,e,od,k,f,s,os,c\n";

enum class Type { Int, Decimal, Money, Percent, Date, Days, Bool, String, Enum };

constexpr int kMaxDepth = 4;

// Edge values an int64 computation must handle: signs, overflow limits and their square roots.
int64_t edgeInt(ByteSource* bytes) {
  static const int64_t kEdges[] = {0,  1,   -1,   2,          7,          10,         100,
                                   365, -365, 1000, 3037000499, -3037000500, 4611686018427387904,
                                   std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min() + 1};
  const size_t choice = bytes->pick(20);
  if (choice < std::size(kEdges)) return kEdges[choice];
  if (choice < 18) return static_cast<int8_t>(bytes->byte());
  return static_cast<int64_t>(bytes->word());
}

// `value` as a decimal with `places` digits after the point: fixed(-1234, 2) == "-12.34".
std::string fixed(int64_t value, int places) {
  const bool negative = value < 0;
  uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  if (places > 0) {
    if (digits.size() <= static_cast<size_t>(places)) digits.insert(0, places + 1 - digits.size(), '0');
    digits.insert(digits.size() - places, ".");
  }
  return negative ? "-" + digits : digits;
}

class Generator {
 public:
  explicit Generator(ByteSource* bytes) : bytes_(bytes) {}

  // From now on expressions may read the let `l1`.
  void letReady() { let_ready_ = true; }

  std::string expr(Type type, int depth) {
    // Near the depth limit only leaves, so every expression ends.
    const bool leaf = depth >= kMaxDepth || bytes_->pick(4) == 0;
    switch (type) {
      case Type::Int: return leaf ? intLeaf() : intNode(depth + 1);
      case Type::Decimal: return leaf ? decimalLeaf() : decimalNode(depth + 1);
      case Type::Money: return leaf ? moneyLeaf() : moneyNode(depth + 1);
      case Type::Percent: return leaf ? percentLeaf() : "(" + expr(Type::Percent, depth + 1) + " + p)";
      case Type::Date: return leaf ? dateLeaf() : dateNode(depth + 1);
      case Type::Days: return leaf ? daysLeaf() : daysNode(depth + 1);
      case Type::Bool: return leaf ? boolLeaf() : boolNode(depth + 1);
      case Type::String: return leaf ? stringLeaf() : ifNode(Type::String, depth + 1);
      case Type::Enum: return leaf ? enumLeaf() : ifNode(Type::Enum, depth + 1);
    }
    return "";
  }

  std::string ifNode(Type type, int depth) {
    return "(if " + expr(Type::Bool, depth) + " then " + expr(type, depth) + " else " + expr(type, depth) + ")";
  }

  std::string mode() {
    static const char* const kModes[] = {"half_up", "half_even", "down", "up", "floor", "ceiling"};
    return kModes[bytes_->pick(6)];
  }

 private:
  std::string intLiteral() {
    const int64_t value = edgeInt(bytes_);
    return value < 0 ? "(" + std::to_string(value) + ")" : std::to_string(value);
  }
  std::string intLeaf() {
    static const char* const kNames[] = {"a", "b", "pa", "l1"};
    const size_t choice = bytes_->pick(6);
    if (choice < 4) return kNames[choice == 3 && !let_ready_ ? 0 : choice];
    if (choice == 4) return "(o ?? " + intLiteral() + ")";
    return intLiteral();
  }
  std::string intNode(int depth) {
    auto sub = [&] { return expr(Type::Int, depth); };
    switch (bytes_->pick(9)) {
      case 0: return "(" + sub() + " + " + sub() + ")";
      case 1: return "(" + sub() + " - " + sub() + ")";
      case 2: return "(" + sub() + " * " + sub() + ")";
      case 3: return "(-" + sub() + ")";
      case 4: return "abs(" + sub() + ")";
      case 5: return "min(" + sub() + ", " + sub() + ")";
      case 6: return "max(" + sub() + ", " + sub() + ")";
      case 7: return "(o ?? " + sub() + ")";
      default: return "(if " + expr(Type::Bool, depth) + " then " + sub() + " else " + sub() + ")";
    }
  }

  std::string decimalLeaf() {
    if (bytes_->pick(2) == 0) return "q";
    const std::string text = fixed(edgeInt(bytes_) % 1000000000, 3);
    return text[0] == '-' ? "(" + text + ")" : text;
  }
  std::string decimalNode(int depth) {
    auto sub = [&] { return expr(Type::Decimal, depth); };
    switch (bytes_->pick(6)) {
      case 0: return "(" + sub() + " + " + sub() + ")";
      case 1: return "(" + sub() + " - " + sub() + ")";
      case 2: return "(" + sub() + " + " + expr(Type::Int, depth) + ")";
      case 3: return "round(" + sub() + " * " + sub() + ", 3, " + mode() + ")";
      case 4: return "round(" + sub() + " / " + sub() + ", 3, " + mode() + ")";
      default: return "round(" + expr(Type::Int, depth) + " / " + expr(Type::Int, depth) + ", 3, " + mode() + ")";
    }
  }

  std::string moneyLeaf() {
    static const char* const kNames[] = {"m", "n", "pm"};
    const size_t choice = bytes_->pick(5);
    if (choice < 3) return kNames[choice];
    const std::string text = fixed(edgeInt(bytes_), 2) + " EUR";
    if (choice == 3) return "(om ?? " + (text[0] == '-' ? "(" + text + ")" : text) + ")";
    return text[0] == '-' ? "(" + text + ")" : text;
  }
  std::string moneyNode(int depth) {
    auto sub = [&] { return expr(Type::Money, depth); };
    switch (bytes_->pick(11)) {
      case 0: return "(" + sub() + " + " + sub() + ")";
      case 1: return "(" + sub() + " - " + sub() + ")";
      case 2: return "(" + sub() + " * " + expr(Type::Int, depth) + ")";
      case 3: return "(-" + sub() + ")";
      case 4: return "abs(" + sub() + ")";
      case 5: return "min(" + sub() + ", " + sub() + ")";
      case 6: return "max(" + sub() + ", " + sub() + ")";
      case 7: return "round(" + sub() + " * " + expr(Type::Percent, depth) + ", 2, " + mode() + ")";
      case 8: return "round(" + sub() + " / " + expr(Type::Int, depth) + ", 2, " + mode() + ")";
      case 9: return "round(" + sub() + " * " + expr(Type::Percent, depth) + " * (" + expr(Type::Days, depth) +
                     " / 365 days), 2, " + mode() + ")";
      default: return "(if " + expr(Type::Bool, depth) + " then " + sub() + " else " + sub() + ")";
    }
  }

  std::string percentLeaf() {
    if (bytes_->pick(2) == 0) return "p";
    return std::to_string(bytes_->byte()) + "." + std::to_string(bytes_->pick(10)) + std::to_string(bytes_->pick(10)) + "%";
  }

  std::string dateLeaf() {
    static const char* const kNames[] = {"d", "e", "(od ?? d)"};
    const size_t choice = bytes_->pick(5);
    if (choice < 3) return kNames[choice];
    static const char* const kDates[] = {"0001-01-01", "9999-12-31", "1970-01-01", "2024-02-29", "2026-11-21"};
    return kDates[bytes_->pick(5)];
  }
  std::string dateNode(int depth) {
    switch (bytes_->pick(3)) {
      case 0: return "(" + expr(Type::Date, depth) + " + " + expr(Type::Days, depth) + ")";
      case 1: return "(" + expr(Type::Date, depth) + " - " + expr(Type::Days, depth) + ")";
      default: return "(if " + expr(Type::Bool, depth) + " then " + expr(Type::Date, depth) + " else " +
                      expr(Type::Date, depth) + ")";
    }
  }

  std::string daysLeaf() {
    if (bytes_->pick(2) == 0) return "k";
    const int64_t value = edgeInt(bytes_);
    if (value < 0) return "(-" + std::to_string(0 - static_cast<uint64_t>(value)) + " days)";
    return std::to_string(value) + (value == 1 ? " day" : " days");
  }
  std::string daysNode(int depth) {
    auto sub = [&] { return expr(Type::Days, depth); };
    switch (bytes_->pick(6)) {
      case 0: return "(" + expr(Type::Date, depth) + " - " + expr(Type::Date, depth) + ")";
      case 1: return "(" + sub() + " + " + sub() + ")";
      case 2: return "(" + sub() + " - " + sub() + ")";
      case 3: return "(" + sub() + " * " + expr(Type::Int, depth) + ")";
      case 4: return "max(" + sub() + ", " + sub() + ")";
      default: return "(-" + sub() + ")";
    }
  }

  std::string boolLeaf() {
    static const char* const kLeaves[] = {"f", "true", "false", "o is missing", "od is not missing", "os is missing"};
    return kLeaves[bytes_->pick(6)];
  }
  std::string compare() {
    static const char* const kOps[] = {" == ", " != ", " < ", " <= ", " > ", " >= "};
    return kOps[bytes_->pick(6)];
  }
  std::string boolNode(int depth) {
    switch (bytes_->pick(13)) {
      case 0: return "(" + expr(Type::Int, depth) + compare() + expr(Type::Int, depth) + ")";
      case 1: return "(" + expr(Type::Money, depth) + compare() + expr(Type::Money, depth) + ")";
      case 2: return "(" + expr(Type::Date, depth) + compare() + expr(Type::Date, depth) + ")";
      case 3: return "(" + expr(Type::Days, depth) + compare() + expr(Type::Days, depth) + ")";
      case 4: return "(" + expr(Type::Decimal, depth) + compare() + expr(Type::Decimal, depth) + ")";
      case 5: return "(" + expr(Type::Bool, depth) + " and " + expr(Type::Bool, depth) + ")";
      case 6: return "(" + expr(Type::Bool, depth) + " or " + expr(Type::Bool, depth) + ")";
      case 7: return "(not " + expr(Type::Bool, depth) + ")";
      case 8: return bytes_->pick(2) ? "(c == " + enumLeaf() + ")" : "(c in (x, z))";
      case 9: return "(" + expr(Type::String, depth) + (bytes_->pick(2) ? " == " : " != ") + expr(Type::String, depth) + ")";
      case 10: return "(s in (\"DE\", \"AT\", " + stringLeaf() + "))";
      case 11: return "(" + expr(Type::Int, depth) + (bytes_->pick(2) ? " in " : " not in ") + intLiteral() + ".." +
                      intLiteral() + ")";
      default: return "(" + expr(Type::Money, depth) + " not in 0.00 EUR..100.00 EUR)";
    }
  }

  std::string stringLeaf() {
    static const char* const kLeaves[] = {"s", "(os ?? \"\")", "\"DE\"", "\"\"", "\"a,b\"", "\"q\\\"q\"", "\"\\\\\""};
    return kLeaves[bytes_->pick(7)];
  }
  std::string enumLeaf() {
    static const char* const kLeaves[] = {"c", "x", "y", "z"};
    return kLeaves[bytes_->pick(4)];
  }

  ByteSource* bytes_;
  bool let_ready_ = false;  // false while generating the let itself, which must not use itself
};

struct OutputSpec {
  const char* name;
  const char* type;
  Type generated;
};

const OutputSpec kOutputs[] = {
    {"r_int", "int", Type::Int},       {"r_dec", "decimal(3)", Type::Decimal}, {"r_money", "money", Type::Money},
    {"r_date", "date", Type::Date},    {"r_days", "days", Type::Days},         {"r_bool", "bool", Type::Bool},
    {"r_str", "string", Type::String}, {"r_enum", "enum(x, y, z)", Type::Enum},
};

std::string decisionBlock(Generator* generator, ByteSource* bytes) {
  static const char* const kPolicies[] = {"first", "unique", "exceptions"};
  const size_t policy = bytes->pick(3);
  std::string text = std::string("decide ") + kPolicies[policy] + "\n";
  const size_t rules = 1 + bytes->pick(4);
  for (size_t rule = 0; rule < rules; ++rule) {
    text += "  rule r" + std::to_string(rule);
    if (policy == 2 && rule > 0 && bytes->pick(2)) text += " overrides r" + std::to_string(bytes->pick(rule));
    if (bytes->pick(4) != 0) text += " when " + generator->expr(Type::Bool, 1);
    std::string assignments;
    for (const OutputSpec& output : kOutputs) {
      if (bytes->pick(3) != 0) continue;
      assignments += (assignments.empty() ? " then " : ", ") + std::string(output.name) + " = " +
                     generator->expr(output.generated, 2);
    }
    text += assignments + "\n";
  }
  return text + "end\n";
}

// One CSV cell of `type`: mostly a well-formed value (edge values included), sometimes empty or odd.
std::string cell(Type type, bool optional, ByteSource* bytes) {
  const size_t shape = bytes->pick(32);
  if (shape == 0 || (optional && shape < 6)) return "";
  if (shape == 1) return std::to_string(bytes->byte());  // often the wrong type
  const int64_t value = edgeInt(bytes);
  switch (type) {
    case Type::Int: return std::to_string(value);
    case Type::Decimal: return fixed(value, 3);
    case Type::Money: return fixed(value, 2);
    case Type::Percent: return fixed(value % 100000000, 2);
    case Type::Date: {
      const int64_t span = kMaxDateDays - kMinDateDays + 1;
      const int64_t days = bytes->pick(4) == 0 ? (bytes->pick(2) ? kMinDateDays : kMaxDateDays)
                                               : kMinDateDays + static_cast<int64_t>(static_cast<uint64_t>(value) % span);
      return formatDate(days);
    }
    case Type::Days: return std::to_string(bytes->pick(2) ? value % 4000000 : value);
    case Type::Bool: return value & 1 ? "true" : "false";
    case Type::String: {
      static const char* const kStrings[] = {"DE", "AT", "", "\"\"\"\"", "\"a,b\"", "\"l1\nl2\"", "\\", "x"};
      return kStrings[static_cast<uint64_t>(value) % 8];
    }
    case Type::Enum: {
      static const char* const kMembers[] = {"x", "y", "z"};
      return kMembers[static_cast<uint64_t>(value) % 3];
    }
  }
  return "";
}

}  // namespace

std::string generateProgram(ByteSource* bytes) {
  Generator generator(bytes);
  std::string text = "ruleset generated\n";
  text += kInput;
  text += "param pa: int = " + std::to_string(edgeInt(bytes) & 0xffffff) + "\n";
  text += "param pm: money = " + fixed(edgeInt(bytes) & 0xffffff, 2) + " EUR\n";
  text += "let l1 = " + generator.expr(Type::Int, 1) + "\n";
  generator.letReady();
  for (const OutputSpec& output : kOutputs) {
    text += std::string("output ") + output.name + ": " + output.type + " = " + generator.expr(output.generated, 1) + "\n";
  }
  text += "output r_opt: int? = if " + generator.expr(Type::Bool, 2) + " then o else " + generator.expr(Type::Int, 2) + "\n";
  return text + decisionBlock(&generator, bytes);
}

std::string generateRows(ByteSource* bytes) {
  static const std::array<std::pair<Type, bool>, 16> kColumns = {{
      {Type::Int, false}, {Type::Int, false}, {Type::Int, true},      {Type::Decimal, false},
      {Type::Money, false}, {Type::Money, false}, {Type::Money, true}, {Type::Percent, false},
      {Type::Date, false}, {Type::Date, false}, {Type::Date, true},   {Type::Days, false},
      {Type::Bool, false}, {Type::String, false}, {Type::String, true}, {Type::Enum, false},
  }};
  std::string csv = kHeader;
  const size_t rows = 1 + bytes->pick(12);
  for (size_t row = 0; row < rows && !bytes->empty(); ++row) {
    for (size_t column = 0; column < kColumns.size(); ++column) {
      if (column > 0) csv += ',';
      csv += cell(kColumns[column].first, kColumns[column].second, bytes);
    }
    csv += '\n';
  }
  return csv;
}

}  // namespace regelwerk::fuzz
