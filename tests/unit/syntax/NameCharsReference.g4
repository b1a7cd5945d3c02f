// The character classes of a name as ANTLR expands them (tests/unit/syntax/name_chars_test.cpp compares
// compiler/syntax/name_chars.hpp with them).
lexer grammar NameCharsReference;

START : [\p{L}_] ;
PART : [\p{L}\p{Nd}_] ;
