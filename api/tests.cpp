// runTests: the `test` blocks of a rule file through the public API, as `regelwerk test FILE` runs them.
#include "api/api_state.hpp"

namespace regelwerk::api {

using namespace api_detail;

bool runTests(const std::string& path, std::vector<TestOutcome>* outcomes, Error* error) {
  if (!outcomes) return fail(error, ErrorCode::WrongType, "runTests needs a vector to write the outcomes into (got null)");
  Diagnostics diagnostics;
  std::string io_error;
  auto rules = regelwerk::RuleSet::load(path, &diagnostics, &io_error, LoadOptions{true});
  if (!io_error.empty()) return fail(error, ErrorCode::Io, io_error);
  if (!rules) return fail(error, ErrorCode::RuleErrors, diagnostics.text);
  const TestSummary summary = regelwerk::runTests(*rules);
  if (!summary.error.empty()) return fail(error, ErrorCode::Internal, path + ": " + summary.error);
  outcomes->clear();
  for (const TestResult& result : summary.results) {
    outcomes->push_back(TestOutcome{result.name, result.location, result.passed, result.problems});
  }
  if (error) *error = Error{};
  return true;
}

}  // namespace regelwerk::api
