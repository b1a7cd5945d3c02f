// Physical kinds of logical types (see type.hpp for the representation table).
#include "ir.hpp"

namespace regelwerk::ir {

Kind physicalKind(const Type& type) {
  switch (type.kind) {
    case TypeKind::Bool: return Kind::Bool;
    case TypeKind::String: return Kind::Str;
    default: return Kind::I64;
  }
}

}  // namespace regelwerk::ir
