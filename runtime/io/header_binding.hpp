// Maps the input fields of a rule set to positions in the CSV header.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.hpp"

namespace regelwerk {

struct HeaderBinding {
  std::vector<std::string> header;       // the header fields as read (unquoted)
  std::vector<uint32_t> field_of_input;  // header position of each ir::InputColumn, in program order
};

// Finds each input's `header` name in `header` (exact, case-sensitive). Extra columns are ignored.
// False with a one-line `error` when a needed column is missing (it names the column and lists the
// header) or appears more than once. Example error:
//   missing column `amount_cents` (read into `amount`); the header has: `id`, `amount`
bool bindHeader(const std::vector<ir::InputColumn>& inputs, const std::vector<std::string>& header,
                HeaderBinding* binding, std::string* error);

}  // namespace regelwerk
