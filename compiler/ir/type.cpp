// Type names as the language spells them, for diagnostics and --dump.
#include "type.hpp"

namespace regelwerk::ir {

static std::string baseName(const Type& type) {
  switch (type.kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Decimal: return "decimal(" + std::to_string(type.scale) + ")";
    case TypeKind::Money: return "money";
    case TypeKind::Percent: return "percent";
    case TypeKind::Date: return "date";
    case TypeKind::Days: return "days";
    case TypeKind::String: return "string";
    case TypeKind::Timestamp: return "timestamp";
    case TypeKind::Duration: return "duration";
    case TypeKind::Time: return "time";
    case TypeKind::Enum: {
      std::string out = "enum(";
      for (size_t member = 0; member < type.members.size(); ++member) {
        if (member) out += ", ";
        out += type.members[member];
      }
      return out + ")";
    }
  }
  return "?";
}

std::string typeName(const Type& type) { return baseName(type) + (type.optional ? "?" : ""); }

}  // namespace regelwerk::ir
