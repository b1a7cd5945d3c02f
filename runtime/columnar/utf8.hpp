// UTF-8 validation for string cells: text columns hold text, and a Latin-1 file should say so, not
// pass mangled bytes on to the output.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace regelwerk {

// Offset of the first byte that does not belong to a well-formed UTF-8 sequence (overlong forms,
// surrogates and code points above U+10FFFF are ill-formed), or npos when `text` is valid.
// Example: "Gr\xFC\xDF" (Latin-1 "Grüß") -> 2.
size_t firstInvalidUtf8(std::string_view text);

inline bool isValidUtf8(std::string_view text) { return firstInvalidUtf8(text) == std::string_view::npos; }

// `text` made safe to print in a message or a rejects reason: well-formed UTF-8 stays as it is;
// control bytes and bytes that are not well-formed UTF-8 become escapes (`\t`, `\n`, `\r`, else
// `\xNN`), so a NUL or a Latin-1 byte in a cell cannot corrupt a terminal, a log or the rejects file.
// Example: "10.0\0" "0" -> `10.0\x000`; "Gr\xFC\xDF" -> `Gr\xFC\xDF` as eight printable characters.
std::string printableText(std::string_view text);

}  // namespace regelwerk
