// What `regelwerk test` prints or writes beside its results: rule coverage (--coverage) and JUnit XML
// (--junit), both over every rule file of the run.
#pragma once

#include <string>
#include <vector>

#include "runtime/exec/api.hpp"

namespace regelwerk::cli {

// One rule file's tests as run: its summary, or why it could not run (rule errors, a JIT failure).
struct TestUnit {
  std::string file;
  TestSummary summary;
  std::string error;
  double seconds = 0;
};

// `coverage: N of M rules exercised (P%)`, a line per file, then each rule no test exercised as
// `FILE:LINE: rule NAME (decide at line L) is exercised by no test`. A rule of a module used by several
// rule files counts as exercised when any of their tests exercised it.
std::string renderCoverage(const std::vector<TestUnit>& units);

// JUnit XML: a <testsuite> per rule file, a <testcase> per test (<failure> with its differences), and
// an <error> test case for a file that could not run.
std::string renderJunit(const std::vector<TestUnit>& units);

}  // namespace regelwerk::cli
