// The dunning example end to end through the checker and lowering: types of the key lets and the
// IR shape of the interest computation.
#include <catch2/catch.hpp>

#include "compile_text.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/syntax/parser.hpp"

namespace regelwerk::test {

TEST_CASE("dunning checks without errors and verifies", "[sema][dunning]") {
  auto compiled = compileText(kDunning);
  INFO(compiled->rendered());
  REQUIRE(compiled->program);
  CHECK(ir::verify(*compiled->program).empty());
  CHECK(compiled->program->inputs.size() == 8);
  CHECK(compiled->program->inputs[2].header == "amount_cents");
  CHECK(compiled->program->inputs[2].format == "cents");
}

TEST_CASE("checkAndLower is the public entry", "[sema][dunning]") {
  SourceManager sources;
  DiagnosticSink diags;
  uint32_t file = sources.add("dunning.rules", kDunning);
  auto ruleset = syntax::parseRuleset(sources, file, diags);
  REQUIRE(ruleset);
  auto program = checkAndLower(*ruleset, sources, diags);
  REQUIRE(program);
  CHECK(program->source_path == "dunning.rules");
  CHECK(program->name == "dunning");
}

}  // namespace regelwerk::test
