// UTF-8 validation of string cells: what is text, and where the first bad byte is.
#include <catch2/catch.hpp>

#include <string>

#include "runtime/columnar/cell_parser.hpp"
#include "runtime/columnar/utf8.hpp"

using regelwerk::firstInvalidUtf8;

TEST_CASE("utf8: well-formed text of every sequence length is valid", "[utf8]") {
  CHECK(regelwerk::isValidUtf8(""));
  CHECK(regelwerk::isValidUtf8("plain ASCII text that is longer than eight bytes"));
  CHECK(regelwerk::isValidUtf8("Gr\xC3\xBC\xC3\x9F Gott"));           // Grüß, 2-byte sequences
  CHECK(regelwerk::isValidUtf8("\xE2\x82\xAC 12.50"));                // €, 3 bytes
  CHECK(regelwerk::isValidUtf8("\xF0\x9F\x92\xB6"));                  // U+1F4B6, 4 bytes
  CHECK(regelwerk::isValidUtf8("\xF4\x8F\xBF\xBF"));                  // U+10FFFF, the last code point
  CHECK(regelwerk::isValidUtf8(std::string("a\0b", 3)));              // NUL is a valid code point
}

TEST_CASE("utf8: the first ill-formed byte is found", "[utf8]") {
  CHECK(firstInvalidUtf8("Gr\xFC\xDF") == 2);                         // Latin-1 ü
  CHECK(firstInvalidUtf8("abcdefghij\xFF") == 10);                    // after the 8-byte ASCII path
  CHECK(firstInvalidUtf8("\xC0\xAF") == 0);                           // overlong '/'
  CHECK(firstInvalidUtf8("\xE0\x80\xAF") == 0);                       // overlong 3-byte form
  CHECK(firstInvalidUtf8("\xED\xA0\x80") == 0);                       // UTF-16 surrogate U+D800
  CHECK(firstInvalidUtf8("\xF4\x90\x80\x80") == 0);                   // above U+10FFFF
  CHECK(firstInvalidUtf8("ok \xE2\x82") == 3);                        // truncated at the end
  CHECK(firstInvalidUtf8("\x80") == 0);                               // a lone continuation byte
}

TEST_CASE("utf8: string cells must be text, and the reason names the byte", "[utf8][cells]") {
  regelwerk::ir::Type text = regelwerk::ir::Type::of(regelwerk::ir::TypeKind::String);
  regelwerk::CellValue value;
  CHECK(regelwerk::parseCell(text, "", "Gr\xC3\xBC\xC3\x9F", &value).empty());
  std::string reason = regelwerk::parseCell(text, "", "Gr\xFC\xDF", &value);
  CHECK(reason == "not valid UTF-8 text (byte 0xFC at position 3); save the file as UTF-8, e.g. `iconv -f latin1 -t "
                  "utf-8`");
}
