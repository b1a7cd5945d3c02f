// Logical value types of the language, shared by sema, the IR and the runtime's readers and writers.
//
// Physical representation (one per kind, used by both engines and by columns):
//   Bool                            -> uint8_t 0/1
//   Int, Decimal, Money, Percent,
//   Date, Days, Enum,
//   Timestamp, Duration, Time       -> int64_t
//   String                          -> StrRef {const char*, int64_t}
// Decimal, Money and Percent are fixed-point: the int64 is value * 10^scale. Percent is stored as a
// fraction (5% = 0.05 -> 5 at scale 2; 1.27% = 0.0127 -> 127 at scale 4). Date is days since
// 1970-01-01. Enum is the 0-based member index. Timestamp is seconds since 1970-01-01T00:00:00Z (UTC,
// 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z), Duration a number of seconds, Time the seconds since
// midnight of a wall-clock time of day (0 .. 86399).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace regelwerk::ir {

enum class TypeKind { Bool, Int, Decimal, Money, Percent, Date, Days, String, Enum, Timestamp, Duration, Time };

inline constexpr int kMaxScale = 18;

struct Type {
  TypeKind kind = TypeKind::Int;
  int scale = 0;                     // Decimal, Money, Percent (as a fraction); 0 otherwise
  std::vector<std::string> members;  // Enum
  std::string currency;              // Money, e.g. "EUR"
  bool optional = false;             // `T?`: the value may be missing

  static Type of(TypeKind kind, int scale = 0) {
    Type type;
    type.kind = kind;
    type.scale = scale;
    return type;
  }
  Type required() const {
    Type copy = *this;
    copy.optional = false;
    return copy;
  }
  bool isString() const { return kind == TypeKind::String; }
  bool isBool() const { return kind == TypeKind::Bool; }
  friend bool operator==(const Type&, const Type&) = default;
};

// "money", "decimal(2)", "enum(a, b)?", as the language writes it.
std::string typeName(const Type& type);

}  // namespace regelwerk::ir
