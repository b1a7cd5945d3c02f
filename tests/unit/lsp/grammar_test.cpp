// editors/regelwerk.tmLanguage.json stays in step with grammar/Regelwerk.g4: it is valid JSON and
// highlights every keyword and type name the grammar's lexer knows.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <regex>
#include <string>

#include "tests/support/cli_harness.hpp"

namespace {

// Every `pattern.match` string of the grammar, concatenated with spaces.
void collectMatches(const nlohmann::json& node, std::string* out) {
  if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      if (key == "match" && value.is_string()) *out += value.get<std::string>() + " ";
      collectMatches(value, out);
    }
  } else if (node.is_array()) {
    for (const auto& value : node) collectMatches(value, out);
  }
}

bool listed(const std::string& matches, const std::string& word) {
  for (const char* before : {"(", "|"})
    for (const char* after : {")", "|"})
      if (matches.find(before + word + after) != std::string::npos) return true;
  return false;
}

TEST_CASE("the TextMate grammar highlights every keyword and type of the language", "[editors]") {
  const std::string grammar = regelwerk::testing::readFile(RW_SOURCE_DIR "/grammar/Regelwerk.g4");
  const nlohmann::json textmate =
      nlohmann::json::parse(regelwerk::testing::readFile(RW_SOURCE_DIR "/editors/regelwerk.tmLanguage.json"));
  CHECK(textmate["scopeName"] == "source.regelwerk");
  std::string matches;
  collectMatches(textmate, &matches);
  const std::regex token("^(K|T)_[A-Z_]+ : '([a-z_]+)' ;", std::regex::multiline);
  size_t words = 0;
  for (auto it = std::sregex_iterator(grammar.begin(), grammar.end(), token); it != std::sregex_iterator(); ++it) {
    const std::string word = (*it)[2];
    INFO("`" << word << "` is a keyword of grammar/Regelwerk.g4 but not in editors/regelwerk.tmLanguage.json");
    CHECK(listed(matches, word));
    ++words;
  }
  CHECK(words > 60);  // the lexer's keywords and type names were found at all
}

}  // namespace
