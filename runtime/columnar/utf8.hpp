// UTF-8 validation for string cells: text columns hold text, and a Latin-1 file should say so, not
// pass mangled bytes on to the output.
#pragma once

#include <cstddef>
#include <string_view>

namespace regelwerk {

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or npos when `text` is valid.
// Example: "Gr\xFC\xDF" (Latin-1 "Grüß") -> 2.
size_t firstInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == std::string_view::npos; }

}  // namespace regelwerk
