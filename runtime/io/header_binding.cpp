// Header binding: the first check of every run, with errors that say what to fix.
#include "header_binding.hpp"

#include "runtime/columnar/utf8.hpp"

namespace regelwerk {

namespace {

std::string listHeader(const std::vector<std::string>& header) {
  std::string out;
  for (size_t field = 0; field < header.size(); ++field) {
    if (field) out += ", ";
    out += "`" + printableText(header[field]) + "`";  // the header is input: escape NUL and such
  }
  return out;
}

std::string missingColumn(const ir::InputColumn& input, const std::vector<std::string>& header) {
  std::string out = "missing column `" + input.header + "`";
  if (input.header != input.name) out += " (read into `" + input.name + "`)";
  return out + "; the header has: " + listHeader(header);
}

}  // namespace

bool bindHeader(const std::vector<ir::InputColumn>& inputs, const std::vector<std::string>& header,
                HeaderBinding* binding, std::string* error) {
  binding->header = header;
  binding->field_of_input.clear();
  for (const ir::InputColumn& input : inputs) {
    std::vector<size_t> found;
    for (size_t field = 0; field < header.size(); ++field)
      if (header[field] == input.header) found.push_back(field);
    if (found.empty()) {
      *error = missingColumn(input, header);
      return false;
    }
    if (found.size() > 1) {
      *error = "column `" + input.header + "` appears " + std::to_string(found.size()) +
               " times in the header (fields " + std::to_string(found[0] + 1) + " and " +
               std::to_string(found[1] + 1) + "); rename one so `" + input.name + "` is unambiguous";
      return false;
    }
    binding->field_of_input.push_back(static_cast<uint32_t>(found[0]));
  }
  return true;
}

}  // namespace regelwerk
