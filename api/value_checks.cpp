// The range of each type's physical form, checked where values enter through the API: the engines take
// an enum index or a date as given, so a value out of range would silently be another member or no date.
#include "api/api_state.hpp"
#include "runtime/columnar/civil_date.hpp"

namespace regelwerk::api_detail {

namespace {

constexpr int64_t kSecondsPerDay = 86400;

bool within(int64_t value, int64_t low, int64_t high) { return value >= low && value <= high; }

std::string memberList(const std::vector<std::string>& members) {
  std::string list;
  for (const std::string& member : members) list += (list.empty() ? "" : ", ") + member;
  return list;
}

}  // namespace

bool checkPhysical(const ir::Type& type, const std::string& name, int64_t value, std::string* why) {
  const int64_t first_day = kMinDateDays, last_day = kMaxDateDays;
  switch (type.kind) {
    case ir::TypeKind::Bool:
      if (within(value, 0, 1)) return true;
      *why = "a bool is 0 or 1, not " + std::to_string(value);
      return false;
    case ir::TypeKind::Enum:
      if (within(value, 0, static_cast<int64_t>(type.members.size()) - 1)) return true;
      *why = "enum index " + std::to_string(value) + " is out of range (" + name + " has " +
             std::to_string(type.members.size()) + " members: " + memberList(type.members) + ")";
      return false;
    case ir::TypeKind::Date:
      if (within(value, first_day, last_day)) return true;
      *why = "day " + std::to_string(value) + " is not a date of 0001-01-01 .. 9999-12-31 (" +
             std::to_string(first_day) + " .. " + std::to_string(last_day) + " days since 1970-01-01)";
      return false;
    case ir::TypeKind::Timestamp:
      if (within(value, first_day * kSecondsPerDay, last_day * kSecondsPerDay + kSecondsPerDay - 1)) return true;
      *why = "second " + std::to_string(value) + " is not an instant of 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z";
      return false;
    case ir::TypeKind::Time:
      if (within(value, 0, kSecondsPerDay - 1)) return true;
      *why = "a time of day is 0 .. 86399 seconds since midnight, not " + std::to_string(value);
      return false;
    default:
      return true;
  }
}

bool anyValueFits(const ir::Type& type) {
  switch (type.kind) {
    case ir::TypeKind::Bool: case ir::TypeKind::Enum: case ir::TypeKind::Date: case ir::TypeKind::Timestamp:
    case ir::TypeKind::Time:
      return false;
    default:
      return true;
  }
}

}  // namespace regelwerk::api_detail
