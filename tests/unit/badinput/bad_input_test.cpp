// The bad-input suite: malformed CSV files, parameters and rule files through the real `regelwerk` binary.
// Each case states its exit code and message; every run that completes must satisfy
// rows in = rows out + rows rejected, and a run that stops must leave no output file behind.
#include <catch2/catch.hpp>

#include "run_support.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace badinput;

// The rule file most CSV cases run: one field of each kind a malformed cell can break.
const char* const kRules = R"(ruleset intake
input Claim
  id: int
  kind: enum(a, b)
  amount: money
  day: date
  note: string?
  flag: bool
  parts: int
output id: int = id
output share: money = round(amount / parts, 2, half_up)
output later: date = day + 30 days
output label: string = "x"
decide unique
  rule big when amount > 1000.00 EUR then label = "big"
  rule flagged when flag then label = "flagged"
end
)";

const char* const kHeader = "id,kind,amount,day,note,flag,parts\n";
const char* const kGoodRow = "1,a,10.00,2026-01-31,,false,2\n";

struct CsvCase {
  const char* name;
  std::string body;      // after the header (or the whole file when `whole` is set)
  bool whole;
  int exit_code;         // with --rejects
  const char* message;   // in the rejects file (exit 0) or the error line (exit 2)
  int rows_in;           // -1 when the run stops
  int rows_rejected;
};

std::vector<CsvCase> csvCases() {
  std::string big_number = "1," "a," "99999999999999999999.00,2026-01-01,,false,1\n";
  return {
      {"truncated last row", std::string(kGoodRow) + "2,b,5.0", false, 0, "row has 3 fields, the header has 7", 2, 1},
      {"truncated inside quotes", std::string(kGoodRow) + "2,b,\"5.00", false, 0, "", 2, 1},
      {"semicolon delimited file", "1;a;10.00;2026-01-31;;false;2\n", true, 2, "missing column", -1, 0},
      {"header missing a column", "id,kind,amount,day,note,flag\n1,a,1.00,2026-01-01,,false\n", true, 2,
       "missing column `parts`", -1, 0},
      {"duplicated header name", "id,kind,amount,amount,day,note,flag,parts\n1,a,1.00,2.00,2026-01-01,,false,1\n", true,
       2, "amount", -1, 0},
      {"unknown enum value", "1,c,10.00,2026-01-31,,false,2\n", false, 0, "`c` is not one of a, b", 1, 1},
      {"enum value in other case", "1,A,10.00,2026-01-31,,false,2\n", false, 0, "`A` is not one of a, b", 1, 1},
      {"decimal with too many places", "1,a,10.005,2026-01-31,,false,2\n", false, 0, "has 3 decimal places", 1, 1},
      {"impossible date", "1,a,10.00,2025-02-30,,false,2\n", false, 0, "February 2025 has 28 days", 1, 1},
      {"29 February outside a leap year", "1,a,10.00,2025-02-29,,false,2\n", false, 0, "is not a date", 1, 1},
      {"month 13", "1,a,10.00,2025-13-01,,false,2\n", false, 0, "is not a date", 1, 1},
      {"date written D.M.YYYY", "1,a,10.00,31.01.2026,,false,2\n", false, 0, "is not a date", 1, 1},
      {"year zero", "1,a,10.00,0000-01-01,,false,2\n", false, 0, "is not a date", 1, 1},
      {"number too large for money", big_number, false, 0, "99999999999999999999.00", 1, 1},
      {"int too large", "99999999999999999999,a,1.00,2026-01-01,,false,1\n", false, 0, "99999999999999999999", 1, 1},
      {"amount with currency", "1,a,10.00 EUR,2026-01-31,,false,2\n", false, 0, "10.00 EUR", 1, 1},
      {"decimal comma", "1,a,\"10,50\",2026-01-31,,false,2\n", false, 0, "10,50", 1, 1},
      {"space around a number", "1,a, 10.00,2026-01-31,,false,2\n", false, 0, "` 10.00`", 1, 1},
      {"plus sign", "+1,a,10.00,2026-01-31,,false,2\n", false, 0, "`+1`", 1, 1},
      {"bool TRUE", "1,a,10.00,2026-01-31,,TRUE,2\n", false, 0, "`TRUE`", 1, 1},
      {"bool 1", "1,a,10.00,2026-01-31,,1,2\n", false, 0, "`1`", 1, 1},
      {"empty required cell", "1,a,,2026-01-31,,false,2\n", false, 0, "empty", 1, 1},
      {"row of separators only", ",,,,,,\n", false, 0, "empty", 1, 1},
      {"too many fields", "1,a,10.00,2026-01-31,,false,2,extra\n", false, 0, "row has 8 fields, the header has 7", 1, 1},
      {"quote inside an unquoted field", "1,a,10.00,2026-01-31,say \"hi\",false,2\n", false, 0, "quote", 1, 1},
      {"text after a closing quote", "1,a,10.00,2026-01-31,\"hi\"x,false,2\n", false, 0, "quote", 1, 1},
      {"evaluation: division by zero", "1,a,10.00,2026-01-31,,false,0\n", false, 0, "division by zero", 1, 1},
      {"evaluation: date beyond 9999", "1,a,10.00,9999-12-31,,false,1\n", false, 0, "outside 0001-01-01", 1, 1},
      {"evaluation: unique conflict", "1,a,2000.00,2026-01-31,,true,1\n", false, 0, "conflict", 1, 1},
      {"evaluation: overflow", "1,a,92233720368547758.07,2026-01-31,,false,1\n", false, 0, "", 1, 0},
      {"empty file", "", true, 2, "input is empty", -1, 0},
      {"header only", "", false, 0, "", 0, 0},
      {"BOM only", "\xEF\xBB\xBF", true, 2, "empty", -1, 0},
      {"BOM and CRLF", std::string("\xEF\xBB\xBF") + "id,kind,amount,day,note,flag,parts\r\n1,a,1.00,2026-01-01,,false,1\r\n",
       true, 0, "", 1, 0},
      {"blank lines between rows", std::string(kGoodRow) + "\n\n" + kGoodRow, false, 0, "", 2, 0},
      {"quoted field with newline and quotes", "1,a,10.00,2026-01-31,\"line1\nsays \"\"hi\"\"\",false,2\n", false, 0, "", 1,
       0},
      {"Latin-1 bytes in a text field", "1,a,10.00,2026-01-31,Gr\xFC\xDF,false,2\n", false, 0, "not valid UTF-8", 1, 1},
      {"NUL byte in a number", std::string("1,a,10.0\0", 9) + "0,2026-01-31,,false,2\n", false, 0, "", 1, 1},
      {"no newline at the end", "1,a,10.00,2026-01-31,,false,2", false, 0, "", 1, 0},
      {"mixed good and bad rows", std::string(kGoodRow) + "x,a,1.00,2026-01-01,,false,1\n" + kGoodRow, false, 0, "`x`", 3,
       1},
  };
}

// Runs one CSV case with --rejects and checks its exit code, message and the count rule.
void runCsvCase(const CsvCase& test) {
  write("input.csv", test.whole ? test.body : std::string(kHeader) + test.body);
  Result result = shell(binary() + " run intake.rules --input input.csv --output out.csv --rejects rejects.csv");
  std::ifstream rejects_in(scratch() / "rejects.csv");
  std::string rejects((std::istreambuf_iterator<char>(rejects_in)), std::istreambuf_iterator<char>());
  INFO(test.name << "\n" << result.output << "\nrejects:\n" << rejects);
  REQUIRE(result.exit_code == test.exit_code);
  if (test.exit_code != 0) {
    CHECK(result.output.find(test.message) != std::string::npos);
    CHECK(!fs::exists(scratch() / "out.csv"));
    return;
  }
  CHECK(rejects.find(test.message) != std::string::npos);
  std::smatch counts;
  REQUIRE(std::regex_search(result.output, counts, std::regex("rows in (\\d+) = rows out (\\d+) \\+ rows rejected (\\d+)")));
  int rows_in = std::stoi(counts[1]), rows_out = std::stoi(counts[2]), rejected = std::stoi(counts[3]);
  CHECK(rows_in == rows_out + rejected);
  CHECK(rows_in == test.rows_in);
  if (test.rows_rejected > 0 || std::string(test.message).empty()) CHECK(rejected == test.rows_rejected);
}

}  // namespace

TEST_CASE("bad input: malformed CSV files are rejected row by row, and the counts add up", "[badinput]") {
  caseFolder() = "csv";
  write("intake.rules", kRules);
  for (const CsvCase& test : csvCases()) runCsvCase(test);
}

TEST_CASE("bad input: without --rejects the first bad row stops the run and names file, line and field",
          "[badinput]") {
  caseFolder() = "stop";
  write("intake.rules", kRules);
  write("input.csv", std::string(kHeader) + kGoodRow + "2,a,10.00,2025-02-30,,false,2\n");
  Result result = shell(binary() + " run intake.rules --input input.csv --output out.csv");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("input.csv:3: field `day`: `2025-02-30` is not a date") != std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
}

// The record limit holds with flat memory: with --rejects the 100 MB record is rejected (its first
// 64 MiB kept) and the run goes on; without, the run stops naming the file and the line.
TEST_CASE("bad input: a 100 MB single line is rejected with its file and line, not unbounded memory", "[badinput]") {
  caseFolder() = "long_line";
  write("intake.rules", kRules);
  {
    std::ofstream out(scratch() / "long.csv", std::ios::binary);
    out << kHeader << kGoodRow << "1,a,10.00,2026-01-31,\"";
    std::string block(1 << 20, 'x');
    for (int megabyte = 0; megabyte < 100; ++megabyte) out << block;
    out << "\n\",false,2\n" << kGoodRow;
  }
  Result result = shell(binary() + " run intake.rules --input long.csv --output out.csv --rejects rejects.csv");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("rows in 3 = rows out 2 + rows rejected 1") != std::string::npos);
  const std::string rejects = readScratch("rejects.csv");
  CHECK(rejects.find("3,,\"the record is longer than 64 MiB, the most a CSV record may have") != std::string::npos);
  CHECK(rejects.size() > (size_t{64} << 20));
  CHECK(rejects.size() < (size_t{65} << 20));
  result = shell(binary() + " run intake.rules --input long.csv --output out.csv");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("long.csv:3: the record is longer than 64 MiB") != std::string::npos);
  fs::remove(scratch() / "long.csv");
  fs::remove(scratch() / "rejects.csv");
}

TEST_CASE("bad input: params and paths are one line, exit 2", "[badinput]") {
  caseFolder() = "params";
  write("intake.rules", kRules);
  write("input.csv", std::string(kHeader) + kGoodRow);
  write("dated.rules", "ruleset dated\ninput Row\n  id: int\nparam as_of: date\nparam rate: percent = 5%\noutput id: int = id\n");
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"run dated.rules --input input.csv --output out.csv", "param `as_of` has no default"},
      {"run dated.rules --input input.csv --output out.csv --param as_of=2026-13-01", "is not a date"},
      {"run dated.rules --input input.csv --output out.csv --param as_of=2026-01-01 --param rate=abc", "rate"},
      {"run dated.rules --input input.csv --output out.csv --param as_of=2026-01-01 --param foo=1", "unknown --param `foo`"},
      {"run dated.rules --input input.csv --output out.csv --param as_of", "--param takes name=value"},
      {"run intake.rules --input . --output out.csv", "input"},
      {"run intake.rules --input input.csv --output no/such/dir/out.csv", "cannot create output"},
      {"run intake.rules --input nothing.csv --output out.csv", "cannot open input `nothing.csv`"},
      {"run nothing.rules --input input.csv --output out.csv", "cannot read rule file"},
      {"run intake.rules --input input.csv --output out.csv --separator ab", "--separator takes one character"},
  };
  for (const Case& test : cases) {
    Result result = shell(binary() + " " + test.args);
    INFO(test.args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(test.message) != std::string::npos);
  }
}

TEST_CASE("bad input: rule files with each kind of error exit 1 and run nothing", "[badinput]") {
  caseFolder() = "rule_files";
  struct Case {
    std::string text;
    std::string code;
  };
  std::string deep = "ruleset deep\noutput x: int = " + std::string(10000, '(') + "1" + std::string(10000, ')') + "\n";
  std::string huge = "ruleset huge\n" + std::string(10 * 1024 * 1024, '#') + "\n";
  const Case cases[] = {
      {"ruleset r\noutput x: int = 1 +\n", "E01"},            // syntax
      {"ruleset r\noutput x: int = y\n", "E0201"},            // unknown name
      {"ruleset r\noutput x: money = 5\n", "E0314"},          // type
      {"ruleset r\noutput x: date = 2025-02-30\n", "E05"},    // literal
      {"ruleset r\ndecide sometimes\nend\n", "E04"},          // hit policy
      {"ruleset r\noutput x: int = 1 $ 2\n", "E0106"},        // stray character
      {deep, "E0103"},                                        // nesting 10,000 deep
      {huge, "E0105"},                                        // 10 MB rule file
      {std::string("ruleset r\noutput x: string = \"\xff\"\n"), "E0112"},  // not UTF-8
  };
  write("input.csv", "x\n1\n");
  for (const Case& test : cases) {
    write("broken.rules", test.text);
    Result result = shell(binary() + " run broken.rules --input input.csv --output out.csv");
    INFO(test.code << "\n" << result.output.substr(0, 2000));
    CHECK(result.exit_code == 1);
    CHECK(result.output.find("error[" + test.code) != std::string::npos);
    CHECK(result.output.find("nothing was run") != std::string::npos);
    CHECK(!fs::exists(scratch() / "out.csv"));
  }
}

TEST_CASE("resources: 10,000,000 rows through a pipe keep peak memory under 200 MiB", "[resource]") {
  caseFolder() = "resources";
  std::string gen = std::string("'") + RW_BINARY_DIR + "/bench/gen_dunning'";
  std::string rules = std::string(RW_SOURCE_DIR) + "/examples/dunning/dunning.rules";
  // The output goes through a pipe to `wc -c`, so the test names no file outside its scratch folder.
  Result result = shell("(" + gen + " 10000000 42 | " + binary() + " run '" + rules + "' --input - --output - | wc -c)");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(std::regex_search(result.output, std::regex("(^|\\n)\\s*[1-9][0-9]{8}\\s*(\\n|$)")));  // ~230 MB of rows
  CHECK(result.output.find("rows in 10000000 = rows out 10000000 + rows rejected 0") != std::string::npos);
  std::smatch peak;
  REQUIRE(std::regex_search(result.output, peak, std::regex("peak memory (\\d+) MiB")));
  CHECK(std::stoi(peak[1]) < 200);
}
