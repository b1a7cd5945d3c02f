// Tables, accrual, functions (with/local), modules and explanations: kernels, both engines over
// hand-built IR, and whole rule files through the public API (including the real base-rate file).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "ir_build.hpp"
#include "runtime/exec/api.hpp"
#include "runtime/builtins/builtins.hpp"
#include "runtime/columnar/civil_date.hpp"
#include "runtime/interp/interpreter.hpp"

using namespace rwtest;
namespace ir = regelwerk::ir;
using regelwerk::daysFromCivil;

TEST_CASE("rw_table_find: exact keys need an equal key, range keys the last key at or before", "[tables]") {
  const int64_t keys[] = {10, 20, 30};
  CHECK(rw_table_find(keys, 3, 20, 0) == 1);
  CHECK(rw_table_find(keys, 3, 25, 0) == -1);
  CHECK(rw_table_find(keys, 3, 25, 1) == 1);
  CHECK(rw_table_find(keys, 3, 9, 1) == -1);
  CHECK(rw_table_find(keys, 3, 1000, 1) == 2);
  CHECK(rw_table_find(keys, 0, 5, 1) == -1);
}

TEST_CASE("rw_table_range_sum walks the periods crossed, not the days", "[tables]") {
  const int64_t keys[] = {0, 1000000000};
  const int64_t rates[] = {-88, 127};
  int64_t sum = 0;
  // Two billion days would take seconds one by one; two periods are two steps.
  REQUIRE(rw_table_range_sum(keys, rates, 2, 5, 2000000005, 500, 0, &sum) == 0);
  CHECK(sum == (500 - 88) * int64_t{999999995} + (500 + 127) * int64_t{1000000005});
  CHECK(rw_table_range_sum(keys, rates, 2, 7, 7, 500, 0, &sum) == 0);
  CHECK(sum == 0);
  CHECK(rw_table_range_sum(keys, rates, 2, 9, 3, 500, 0, &sum) == 0);
  CHECK(sum == 0);
  CHECK(rw_table_range_sum(keys, rates, 2, -1, 3, 0, 0, &sum) == static_cast<int32_t>(ir::ErrorCode::NoTableRow));
  const int64_t huge[] = {INT64_MAX / 2};
  CHECK(rw_table_range_sum(keys, huge, 1, 0, 10, 0, 0, &sum) == static_cast<int32_t>(ir::ErrorCode::Overflow));
}

// Act/Act (ISDA): a day of a year of 365 days weighs 366, a day of a leap year 365 (over 365 * 366).
TEST_CASE("rw_table_range_sum with basis act/act weighs each day by its year's length", "[tables]") {
  const int64_t keys[] = {daysFromCivil(2000, 1, 1)};
  const int64_t rates[] = {100};
  int64_t sum = 0;
  // 2023-12-30 .. 2024-01-02 excluded: two days of 2023, one of 2024 (a leap year).
  REQUIRE(rw_table_range_sum(keys, rates, 1, daysFromCivil(2023, 12, 30), daysFromCivil(2024, 1, 2), 0, 1, &sum) == 0);
  CHECK(sum == 100 * (2 * 366 + 1 * 365));
  // The whole of 2024 and of 2025: one year each, 366 * 365 and 365 * 366.
  REQUIRE(rw_table_range_sum(keys, rates, 1, daysFromCivil(2024, 1, 1), daysFromCivil(2026, 1, 1), 0, 1, &sum) == 0);
  CHECK(sum == 100 * 2 * 365 * 366);
  // A rate change inside a year splits the period as for act/365f.
  const int64_t two_keys[] = {daysFromCivil(2000, 1, 1), daysFromCivil(2024, 7, 1)};
  const int64_t two_rates[] = {100, 200};
  REQUIRE(rw_table_range_sum(two_keys, two_rates, 2, daysFromCivil(2024, 6, 29), daysFromCivil(2024, 7, 3), 5, 1, &sum) == 0);
  CHECK(sum == 105 * 2 * 365 + 205 * 2 * 365);
  CHECK(rw_table_range_sum(keys, rates, 1, keys[0], int64_t{1} << 40, 0, 1, &sum) == static_cast<int32_t>(ir::ErrorCode::Overflow));
}

namespace {

// One table (rates by day, range) and outputs that use TableLookup, RangeSum and With/Local.
ir::Program tableProgram() {
  ProgramBuilder builder;
  ir::Program& program = builder.program;
  ir::Table table;
  table.name = "rate";
  table.key_type = ir::Type::of(ir::TypeKind::Date);
  table.range = true;
  table.keys = {100, 200};
  table.columns.push_back({"r", ir::Type::of(ir::TypeKind::Int), {7, 3}});
  program.tables.push_back(table);
  builder.addInput("day");
  uint32_t site = builder.site();
  ExprPtr lookup = node(Op::TableLookup, Kind::I64, input(0));
  lookup->optional = true;
  program.outputs.push_back({"found", typeOf(Kind::I64, true), std::move(lookup), ""});
  ExprPtr sum = withSite(node(Op::RangeSum, Kind::I64, input(0), num(250), num(1)), site);
  program.outputs.push_back({"sum", typeOf(Kind::I64), std::move(sum), ""});
  // with 0 = day * 2 in (local 0 + local 0): the value is computed once and read twice.
  ExprPtr local = node(Op::Local, Kind::I64);
  ExprPtr twice = arith(Op::Add, std::move(local), node(Op::Local, Kind::I64), site);
  ExprPtr with = node(Op::With, Kind::I64, arith(Op::Mul, input(0), num(2), site), std::move(twice));
  program.outputs.push_back({"doubled", typeOf(Kind::I64), std::move(with), ""});
  program.local_count = 1;
  return std::move(builder.program);
}

struct EngineOutcome {
  std::vector<int64_t> values;
  std::vector<int32_t> codes;
};

EngineOutcome evaluate(const regelwerk::Evaluator& engine, const ir::Program& program, const std::vector<int64_t>& days) {
  regelwerk::Batch inputs({program.inputs[0].type}, days.size());
  for (size_t row = 0; row < days.size(); ++row) inputs.column(0).i64()[row] = days[row];
  std::vector<ir::Type> types;
  for (const ir::Output& output : program.outputs) types.push_back(output.type);
  regelwerk::Batch outputs(types, days.size());
  std::vector<regelwerk::RowError> errors(days.size());
  auto in = inputs.views();
  auto out = outputs.views();
  engine.evaluate(in.data(), nullptr, out.data(), errors.data(), static_cast<int64_t>(days.size()));
  EngineOutcome outcome;
  for (size_t row = 0; row < days.size(); ++row) {
    outcome.codes.push_back(errors[row].code);
    if (errors[row].code != 0) continue;
    outcome.values.push_back(outputs.column(0).isValid(row) ? outputs.column(0).i64()[row] : -999);
    outcome.values.push_back(outputs.column(1).i64()[row]);
    outcome.values.push_back(outputs.column(2).i64()[row]);
  }
  return outcome;
}

}  // namespace

TEST_CASE("TableLookup, RangeSum and With/Local agree in both engines", "[tables][functions]") {
  ir::Program program = tableProgram();
  REQUIRE(ir::verify(program).empty());
  CHECK(ir::print(program).find("(with 0 (mul.checked (input 0 day) (const 2))") != std::string::npos);
  std::string error;
  auto jit = regelwerk::compileJit(program, &error);
  REQUIRE(jit);
  auto interp = regelwerk::makeInterpreter(program);
  std::vector<int64_t> days = {150, 200, 99, 240};
  EngineOutcome a = evaluate(*interp, program, days);
  EngineOutcome b = evaluate(*jit, program, days);
  CHECK(a.codes == b.codes);
  CHECK(a.values == b.values);
  // day 150: rate 7; sum 150..249 = 50 * (7 + 1) + 50 * (3 + 1) = 600; doubled 600; day 240: 10 * (3 + 1).
  CHECK(a.values == std::vector<int64_t>{7, 600, 600, 3, 200, 800, 3, 40, 960});
  CHECK(a.codes == std::vector<int32_t>{0, 0, static_cast<int32_t>(ir::ErrorCode::NoTableRow), 0});
}

TEST_CASE("verify rejects an unbound local and a range sum over an exact table", "[tables][functions]") {
  ir::Program program = tableProgram();
  program.outputs[2].default_value = node(Op::Local, Kind::I64);
  program.tables[0].range = false;
  std::string problems;
  for (const std::string& problem : ir::verify(program)) problems += problem + "\n";
  CHECK(problems.find("local 0 is not bound by an enclosing with") != std::string::npos);
  CHECK(problems.find("range_sum needs a range table") != std::string::npos);
}

namespace {

std::unique_ptr<regelwerk::RuleSet> compile(const std::string& path, const std::string& text) {
  regelwerk::Diagnostics diagnostics;
  auto rules = regelwerk::RuleSet::fromText(path, text, &diagnostics);
  INFO(diagnostics.text);
  REQUIRE(rules);
  return rules;
}

const char* kInterestRules = R"RULES(ruleset interest
table base_rate from "../shared/data/de-basiszinssatz/basiszinssatz_247_bgb.csv"
  key valid_from: date range until valid_to value basiszinssatz_percent: percent
input Claim
  principal: money
  from_day: date
  until_day: date
  points: percent
output interest: money =
  round(accrue(principal, from: from_day, until: until_day, rate: base_rate, plus: points), 2, half_up)
test "D3" given principal = 3650.00 EUR, from_day = 2025-06-26, until_day = 2025-07-06, points = 5%
  expect interest = 6.77 EUR end
test "D4" given principal = 10000.00 EUR, from_day = 2025-01-01, until_day = 2025-01-31, points = 9%
  expect interest = 92.63 EUR end
test "negative base rate 2020: -0.88 + 5 = 4.12 %" given principal = 1000.00 EUR, from_day = 2020-01-01,
  until_day = 2021-01-01, points = 5% expect interest = 41.31 EUR end
)RULES";

}  // namespace

TEST_CASE("accrue over the real Basiszinssatz file reproduces the DOMAIN vectors", "[tables][accrual]") {
  std::filesystem::path root(RW_SOURCE_DIR);
  std::filesystem::path data = root / "../shared/data/de-basiszinssatz/basiszinssatz_247_bgb.csv";
  if (!std::filesystem::exists(data)) {
    WARN("SKIPPED: " << data.string() << " is absent (the shared data set is not checked out)");
    return;
  }
  auto rules = compile((root / "interest.rules").string(), kInterestRules);
  regelwerk::TestSummary summary = regelwerk::runTests(*rules);
  INFO(regelwerk::renderTestResults(summary, false));
  CHECK(summary.passed == 3);
  CHECK(summary.failed == 0);
}

TEST_CASE("use std.X finds the standard library in $REGELWERK_STDLIB", "[modules]") {
  std::filesystem::path dir = std::filesystem::path(RW_BINARY_DIR) / "stdlib-test";
  std::filesystem::create_directories(dir / "std");
  std::ofstream(dir / "std" / "fees.rules") << "module std.fees\n"
                                               "function late(open: money): money = round(open * 1%, 2)\n";
  ::setenv("REGELWERK_STDLIB", dir.c_str(), 1);
  auto rules = compile("t.rules", "ruleset t\nuse std.fees\ninput I\n  open: money\noutput fee: money = late(open)\n"
                                  "test \"one percent\" given open = 250.00 EUR expect fee = 2.50 EUR end\n");
  ::unsetenv("REGELWERK_STDLIB");
  regelwerk::TestSummary summary = regelwerk::runTests(*rules);
  CHECK(summary.passed == 1);
}

TEST_CASE("explainRow names the winner, the overridden rules and those that did not apply, with the values their conditions read", "[explain]") {
  auto rules = compile("x.rules", R"RULES(ruleset x
input C
  fraud: bool
  gross: bool
output pays: int = 0
decide exceptions
  rule r1 "(1)" then pays = 1
  rule r3 "(3)" overrides r1 when gross then pays = 3
  rule r7 "(7)" overrides r3 when fraud then pays = 7
end
test "fraud" given fraud = true, gross = true expect pays = 3 end
)RULES");
  regelwerk::TestSummary summary = regelwerk::runTests(*rules);
  REQUIRE(summary.results.size() == 1);
  CHECK(summary.results[0].problems == std::vector<std::string>{"pays: expected 3, actual 7"});
  CHECK(summary.results[0].explanation ==
        "decide exceptions (line 6): r1 \"(1)\" applied but was overridden by r3; r3 \"(3)\" applied but was "
        "overridden by r7 [gross = true]; r7 \"(7)\" won [fraud = true]\n");
}

namespace {

// Runs the built `regelwerk` with `args` from the source root; returns the exit code and stdout.
// Standard error goes to a file of this process's own in the build tree (tests name no system path).
int runCli(const std::string& args, std::string* out) {
  std::string errors = std::string(RW_BINARY_DIR) + "/language_features_stderr." + std::to_string(::getpid());
  std::string command = "cd " RW_SOURCE_DIR " && " RW_BINARY_DIR "/cli/regelwerk " + args + " 2>'" + errors + "'";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  char buffer[4096];
  out->clear();
  while (size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) out->append(buffer, read);
  int status = ::pclose(pipe);
  std::remove(errors.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("regelwerk test: last line `N passed, N failed`, exit 0 / 1 / 2", "[cli]") {
  std::string out;
  CHECK(runCli("test tests/golden/test/companion", &out) == 0);
  CHECK(out.substr(out.rfind('\n', out.size() - 2) + 1) == "3 passed, 0 failed\n");
  CHECK(runCli("test --quiet tests/golden/test/blocks", &out) == 1);
  CHECK(out.find("FAIL tests/golden/test/blocks/dunning_tests.rules:64") == 0);
  CHECK(out.substr(out.rfind('\n', out.size() - 2) + 1) == "6 passed, 2 failed\n");
  CHECK(runCli("test tests/golden/check/tests/unknown_names.rules", &out) == 2);
  CHECK(runCli("test no/such/folder", &out) == 2);
  CHECK(runCli("test", &out) == 2);
}

TEST_CASE("regelwerk run --explain LINE prints the record's outputs and the rules' outcomes", "[cli]") {
  std::string out;
  std::string run = "run tests/golden/eval/decide/liability.rules --input tests/golden/eval/decide/liability.input.csv";
  CHECK(runCli(run + " --explain 3", &out) == 0);
  CHECK(out ==
        "line 3: id = 2, customer_pays = 30.00, basis = (1)\n"
        "decide exceptions (line 17): r1 \"10.2.1 (1)\" won [misused = true]; r2 did not apply; r3 did not apply; "
        "r4 did not apply; "
        "r7 did not apply; other did not apply\n");
  CHECK(runCli(run + " --explain 999", &out) == 2);
}
