// renderCoverage and renderJunit: plain text and XML from the test summaries.
#include "test_report.hpp"

#include <fmt/format.h>

#include <map>
#include <tuple>

namespace regelwerk::cli {
namespace {

using RuleKey = std::tuple<std::string, uint32_t, std::string>;

std::string xmlEscaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 has no other control characters than tab, line feed and carriage return.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out.push_back(c);
        }
    }
  }
  return out;
}

std::string percent(size_t part, size_t whole) {
  return whole == 0 ? "100.0" : fmt::format("{:.1f}", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

}  // namespace

std::string renderCoverage(const std::vector<TestUnit>& units) {
  struct Seen {
    bool exercised = false;
    uint32_t block_line = 0;  // the line of the decide block
    uint32_t table_row = 0;
  };
  // Rules by (file, line, name); `reject` lines by (file, line, reason), counted apart.
  std::map<RuleKey, Seen> rules, rejects;
  for (const TestUnit& unit : units) {
    for (const RuleCoverage& rule : unit.summary.coverage) {
      const bool reject = !rule.reject_reason.empty();
      Seen& seen = (reject ? rejects : rules)[RuleKey{rule.file, rule.line, reject ? rule.reject_reason : rule.rule}];
      seen = Seen{seen.exercised || rule.exercised, rule.block_line, rule.table_row};
    }
  }
  std::map<std::string, std::pair<size_t, size_t>> per_file;  // exercised, all
  size_t exercised = 0;
  std::string missing;
  for (const auto& [key, seen] : rules) {
    auto& counts = per_file[std::get<0>(key)];
    ++counts.second;
    if (seen.exercised) {
      ++counts.first;
      ++exercised;
      continue;
    }
    const std::string what = seen.table_row != 0 ? fmt::format("row {} of the decision table", seen.table_row)
                                                 : "rule " + std::get<2>(key);
    missing += fmt::format("{}:{}: {} (decide at line {}) is exercised by no test\n", std::get<0>(key),
                           std::get<1>(key), what, seen.block_line);
  }
  size_t rejecting = 0;
  for (const auto& [key, seen] : rejects) {
    if (seen.exercised) {
      ++rejecting;
      continue;
    }
    missing += fmt::format("{}:{}: reject \"{}\" rejects the record of no test\n", std::get<0>(key), std::get<1>(key),
                           std::get<2>(key));
  }
  std::string out = fmt::format("coverage: {} of {} rules exercised ({}%)\n", exercised, rules.size(),
                                percent(exercised, rules.size()));
  for (const auto& [file, counts] : per_file)
    out += fmt::format("  {}: {} of {} ({}%)\n", file, counts.first, counts.second, percent(counts.first, counts.second));
  if (!rejects.empty()) {
    out += fmt::format("rejects: {} of {} `reject` lines rejected a test's record ({}%)\n", rejecting, rejects.size(),
                       percent(rejecting, rejects.size()));
  }
  return out + missing;
}

std::string renderJunit(const std::vector<TestUnit>& units) {
  size_t tests = 0;
  size_t failures = 0;
  size_t errors = 0;
  std::string suites;
  for (const TestUnit& unit : units) {
    const size_t unit_tests = unit.error.empty() ? unit.summary.results.size() : 1;
    const size_t unit_errors = unit.error.empty() ? 0 : 1;
    tests += unit_tests;
    failures += unit.summary.failed;
    errors += unit_errors;
    suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n",
                          xmlEscaped(unit.file), unit_tests, unit.summary.failed, unit_errors, unit.seconds);
    if (!unit.error.empty()) {
      suites += fmt::format("    <testcase name=\"load\" classname=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
                            xmlEscaped(unit.file), xmlEscaped(unit.error));
    }
    for (const TestResult& result : unit.summary.results) {
      suites += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\"", xmlEscaped(result.name),
                            xmlEscaped(unit.file), xmlEscaped(result.location));
      if (result.passed) {
        suites += "/>\n";
        continue;
      }
      std::string details;
      for (const std::string& problem : result.problems) details += problem + "\n";
      details += result.explanation;
      suites += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                            xmlEscaped(result.problems.empty() ? "failed" : result.problems.front()), xmlEscaped(details));
    }
    suites += "  </testsuite>\n";
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites name=\"regelwerk test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n{}</testsuites>\n",
                     tests, failures, errors, suites);
}

}  // namespace regelwerk::cli
