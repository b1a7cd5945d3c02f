// compiler/syntax/name_chars.hpp holds the letters and digits outside ASCII that names may contain; it
// must say exactly what ANTLR's \p{L} and \p{Nd} say, for every code point.
#include <catch2/catch.hpp>

#include <antlr4-runtime.h>

#include <string>

#include "NameCharsReference.h"
#include "compiler/syntax/name_chars.hpp"
#include "compiler/syntax/parser.hpp"

namespace {

// The set of the one transition of lexer rule `rule` that matches a set of characters.
antlr4::misc::IntervalSet ruleSet(const antlr4::Lexer& lexer, const std::string& rule) {
  size_t index = 0;
  while (lexer.getRuleNames().at(index) != rule) ++index;
  for (antlr4::atn::ATNState* state : lexer.getATN().states) {
    if (state == nullptr || state->ruleIndex != index) continue;
    for (antlr4::atn::Transition* transition : state->transitions) {
      if (transition->getSerializationType() == antlr4::atn::Transition::SET) return transition->label();
    }
  }
  FAIL("no set transition in lexer rule " << rule);
  return {};
}

bool asciiNameStart(size_t cp) { return cp == '_' || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'); }
bool asciiNamePart(size_t cp) { return asciiNameStart(cp) || (cp >= '0' && cp <= '9'); }

}  // namespace

TEST_CASE("name characters: the table is ANTLR's \\p{L} and \\p{Nd}, code point by code point", "[syntax]") {
  antlr4::ANTLRInputStream input("");
  name_chars_reference::NameCharsReference lexer(&input);
  const antlr4::misc::IntervalSet start = ruleSet(lexer, "START");
  const antlr4::misc::IntervalSet part = ruleSet(lexer, "PART");
  size_t letters = 0;
  for (size_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const bool table_start = cp < 0x80 ? asciiNameStart(cp) : regelwerk::syntax::isNameStart(cp);
    const bool table_part = cp < 0x80 ? asciiNamePart(cp) : regelwerk::syntax::isNamePart(cp);
    if (table_start != start.contains(cp) || table_part != part.contains(cp)) {
      FAIL("code point U+" << std::hex << cp << ": the table says start " << table_start << ", part " << table_part
                           << "; ANTLR says " << start.contains(cp) << ", " << part.contains(cp));
    }
    letters += table_start;
  }
  CHECK(letters > 100000);  // the table is not empty: Unicode has about 130,000 letters
}

TEST_CASE("name characters: letters and digits outside ASCII lex as names, other characters stay stray",
          "[syntax]") {
  regelwerk::SourceManager sources;
  auto parse = [&](const std::string& text) {
    regelwerk::DiagnosticSink diags;
    const uint32_t file = sources.add("names.rules", text);
    auto ruleset = regelwerk::syntax::parseRuleset(sources, file, diags);
    std::string messages;
    for (const regelwerk::Diagnostic& diagnostic : diags.all()) messages += diagnostic.message + "\n";
    return std::make_pair(ruleset.has_value(), messages);
  };
  // A letter starts a name and continues it; an Arabic-Indic digit (U+0663) continues one.
  CHECK(parse("ruleset größe\nlet ü٣ = 1\nlet Ωmega_2 = ü٣\n").first);
  // A digit does not start a name; an arrow or a euro sign is no part of one, wherever it stands.
  for (const char* text : {"ruleset t\nlet x = ٣a\n", "ruleset t\nlet x = a→b\n", "ruleset t\nlet x€ = 1\n"}) {
    auto [parsed, messages] = parse(text);
    INFO(text);
    CHECK(!parsed);
    CHECK(messages.find("unexpected character") != std::string::npos);
  }
}
