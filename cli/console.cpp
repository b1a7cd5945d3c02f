// Printing that cannot fail the command (see console.hpp).
#include "console.hpp"

namespace regelwerk::cli {

void write(std::FILE* stream, std::string_view text) noexcept {
  if (text.empty()) return;
  if (std::fwrite(text.data(), 1, text.size(), stream) != text.size()) std::clearerr(stream);
  std::fflush(stream);
}

}  // namespace regelwerk::cli
