// Fuzz target: bytes → RuleSet::fromText. Any input must end in either a checked, lowered program
// whose IR verifies and prints, or at least one rendered diagnostic: never a crash, hang or leak.
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "runtime/exec/api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace regelwerk;
  Diagnostics diagnostics;
  auto rules = RuleSet::fromText("fuzz.rules", std::string(reinterpret_cast<const char*>(data), size), &diagnostics);
  if (rules == nullptr) {
    FUZZ_CHECK(diagnostics.errors > 0, "rejected without an error:\n" + diagnostics.text);
    FUZZ_CHECK(diagnostics.text.find("error[E") != std::string::npos, "no rendered error:\n" + diagnostics.text);
    return 0;
  }
  FUZZ_CHECK(diagnostics.errors == 0, "accepted with errors:\n" + diagnostics.text);
  std::string problems;
  for (const std::string& problem : ir::verify(rules->program())) problems += problem + "\n";
  FUZZ_CHECK(problems.empty(), "the lowered IR does not verify:\n" + problems + rules->dumpIr());
  FUZZ_CHECK(!rules->dumpAst().empty() && !rules->dumpIr().empty(), "empty dump");
  return 0;
}
