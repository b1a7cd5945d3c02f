// Evaluation goldens: one rule file and its input, expected output and rejects, through both engines.
#pragma once

#include <string>

namespace regelwerk::golden {

void runEvalGolden(const std::string& rules_path);

}  // namespace regelwerk::golden
