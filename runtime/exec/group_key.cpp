// Key descriptions for messages.
#include "group_key.hpp"

#include "runtime/columnar/cell_parser.hpp"

namespace regelwerk {

std::string describeKey(KeyType type, const KeyView& key) {
  if (type == KeyType::Int) return std::to_string(key.number);
  return quoteForMessage(key.text);
}

}  // namespace regelwerk
