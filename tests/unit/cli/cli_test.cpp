// The `regelwerk` command as a user runs it: exit codes, one-line errors, output files, the count line.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// The scratch folder of the running test case: ctest runs cases in parallel, so each has its own.
std::string& caseName() {
  static std::string name;
  return name;
}

fs::path scratch() {
  fs::path dir = fs::path(RW_BINARY_DIR) / "cli-scratch" / caseName();
  fs::create_directories(dir);
  return dir;
}

// Runs `binary` with `args` (a shell-quoted string) in the case's scratch folder.
Result runCommand(const std::string& binary, const std::string& args) {
  std::string command = "cd '" + scratch().string() + "' && '" + binary + "' " + args + " 2>&1";
  Result result{-1, {}};
  std::FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) result.output.append(buffer, got);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// Runs the built command.
Result regelwerk(const std::string& args) { return runCommand(std::string(RW_BINARY_DIR) + "/cli/regelwerk", args); }

void write(const std::string& name, const std::string& text) {
  std::ofstream(scratch() / name, std::ios::binary) << text;
}

std::string read(const std::string& name) {
  std::ifstream in(scratch() / name, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

const char* const kRules = R"(ruleset fees
input Invoice
  id: int
  kind: enum(consumer, business)
  amount: money
  parts: int
param as_of: date
output id: int = id
output fee: money = if kind == consumer then 5.00 EUR else 40.00 EUR
output share: money = round(amount / parts, 2, half_up)
)";

const char* const kGood = "id,kind,amount,parts\n1,consumer,10.00,2\n2,business,7.50,3\n";
const char* const kBad =
    "id,kind,amount,parts\n1,consumer,10.00,2\n2,premium,1.00,1\n3,business,1.00,0\n4,consumer,1.00\n5,business,9.99,1\n";

void setUp(const std::string& name) {
  caseName() = name;
  write("fees.rules", kRules);
  write("good.csv", kGood);
  write("bad.csv", kBad);
  fs::remove(scratch() / "out.csv");
  fs::remove(scratch() / "rejects.csv");
}

}  // namespace

TEST_CASE("cli: check reports rule errors with exit 1 and runs nothing", "[cli]") {
  setUp("check");
  write("broken.rules", "ruleset broken\noutput fee: money = 5\n");
  Result result = regelwerk("check broken.rules");
  CHECK(result.exit_code == 1);
  CHECK(result.output.find("broken.rules:2:") != std::string::npos);
  CHECK(result.output.find("error[E03") != std::string::npos);
  CHECK(result.output.find("1 error; nothing was run") != std::string::npos);
  CHECK(regelwerk("run broken.rules --input good.csv --output out.csv").exit_code == 1);
  CHECK(!fs::exists(scratch() / "out.csv"));
}

TEST_CASE("cli: a command without its checks' module runs, and check says which file it misses", "[cli]") {
  setUp("no_module");
  // A copy of the command in a folder with no lib/…/regelwerk-analysis.so beside it (a hard link where
  // the file system allows: the command finds the module from the path it was started by).
  const fs::path alone = scratch() / "bin" / "regelwerk";
  fs::create_directories(alone.parent_path());
  fs::remove(alone);
  std::error_code link_error;
  fs::create_hard_link(fs::path(RW_BINARY_DIR) / "cli" / "regelwerk", alone, link_error);
  if (link_error) fs::copy_file(fs::path(RW_BINARY_DIR) / "cli" / "regelwerk", alone);
  Result check = runCommand(alone.string(), "check fees.rules");
  INFO(check.output);
  CHECK(check.exit_code == 2);
  CHECK(check.output.find("regelwerk check: cannot load the whole-rule-set checks: " + scratch().string() + "/lib") !=
        std::string::npos);
  CHECK(check.output.find("regelwerk-analysis.so") != std::string::npos);
  CHECK(check.output.find("reinstall regelwerk") != std::string::npos);
  Result result = runCommand(alone.string(), "run fees.rules --input good.csv --output out.csv --param as_of=2026-11-21");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(read("out.csv") == "id,fee,share\n1,5.00,5.00\n2,40.00,2.50\n");
}

TEST_CASE("cli: a good run writes the output and a count line that adds up", "[cli]") {
  setUp("good_run");
  Result result = regelwerk("run fees.rules --input good.csv --output out.csv --param as_of=2026-11-21");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(read("out.csv") == "id,fee,share\n1,5.00,5.00\n2,40.00,2.50\n");
  CHECK(result.output.find("rows in 2 = rows out 2 + rows rejected 0") != std::string::npos);
  CHECK(result.output.find("fee              sum 45.00") != std::string::npos);
}

TEST_CASE("cli: both engines and every thread count write the same bytes", "[cli]") {
  setUp("engines");
  std::string base = "run fees.rules --input good.csv --param as_of=2026-11-21 --quiet --output ";
  REQUIRE(regelwerk(base + "jit.csv --engine jit --threads 2").exit_code == 0);
  REQUIRE(regelwerk(base + "interp.csv --engine interp --threads 1 --batch-size 1").exit_code == 0);
  CHECK(read("jit.csv") == read("interp.csv"));
}

TEST_CASE("cli: without --rejects the first bad row stops the run with file, line, field and reason", "[cli]") {
  setUp("stop");
  Result result = regelwerk("run fees.rules --input bad.csv --output out.csv --param as_of=2026-11-21");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("bad.csv:3: field `kind`: `premium` is not one of consumer, business") !=
        std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
  CHECK(!fs::exists(scratch() / "out.csv.tmp"));
}

TEST_CASE("cli: with --rejects every row ends up in the output or the rejects, with its reason", "[cli]") {
  setUp("rejects");
  Result result =
      regelwerk("run fees.rules --input bad.csv --output out.csv --rejects rejects.csv --param as_of=2026-11-21");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("rows in 5 = rows out 2 + rows rejected 3") != std::string::npos);
  CHECK(read("out.csv") == "id,fee,share\n1,5.00,5.00\n5,40.00,9.99\n");
  std::string rejects = read("rejects.csv");
  CHECK(rejects.find("line,column,reason,record\n") == 0);
  CHECK(rejects.find("3,kind,\"`premium` is not one of consumer, business\",\"2,premium,1.00,1\"") !=
        std::string::npos);
  CHECK(rejects.find("4,,fees.rules:10:") != std::string::npos);
  CHECK(rejects.find("division by zero") != std::string::npos);
  CHECK(rejects.find("5,,\"row has 3 fields, the header has 4\"") != std::string::npos);
}

TEST_CASE("cli: input and usage problems are one line and exit 2", "[cli]") {
  setUp("usage");
  struct Case {
    std::string args;
    std::string message;
  };
  write("empty.csv", "");
  write("header_only.csv", "id,kind,amount,parts\n");
  write("no_parts.csv", "id,kind,amount\n1,consumer,1.00\n");
  const Case cases[] = {
      {"run fees.rules --input missing.csv --output out.csv --param as_of=2026-11-21", "cannot open input `missing.csv`"},
      {"run fees.rules --input good.csv --output out.csv", "param `as_of` has no default: set it with --param as_of="},
      {"run fees.rules --input good.csv --output out.csv --param as_of=2026-11-21 --param rate=1",
       "unknown --param `rate`; fees.rules declares `as_of`"},
      {"run fees.rules --input good.csv --output out.csv --param as_of=2026-02-30", "is not a date"},
      {"run fees.rules --input empty.csv --output out.csv --param as_of=2026-11-21", "input is empty"},
      {"run fees.rules --input no_parts.csv --output out.csv --param as_of=2026-11-21", "missing column `parts`"},
      {"run missing.rules --input good.csv --output out.csv", "cannot read rule file `missing.rules`"},
      {"run fees.rules --input good.csv", "needs --output"},
      {"run fees.rules --input good.csv --output out.csv --threads 0", "--threads needs a positive whole number"},
      {"run fees.rules --input good.csv --output out.csv --engine fast", "--engine takes jit or interp"},
      {"run fees.rules --frobnicate", "unknown option `--frobnicate`"},
      {"explain fees.rules", "unknown command `explain`"},
  };
  for (const Case& test : cases) {
    Result result = regelwerk(test.args);
    INFO(test.args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(test.message) != std::string::npos);
  }
  Result header_only = regelwerk("run fees.rules --input header_only.csv --output out.csv --param as_of=2026-11-21");
  CHECK(header_only.exit_code == 0);
  CHECK(header_only.output.find("rows in 0 = rows out 0 + rows rejected 0") != std::string::npos);
  CHECK(read("out.csv") == "id,fee,share\n");
}

TEST_CASE("cli: standard input and output", "[cli]") {
  setUp("stdio");
  Result result = regelwerk("run fees.rules --input - --output - --quiet --param as_of=2026-11-21 < good.csv");
  CHECK(result.exit_code == 0);
  CHECK(result.output == "id,fee,share\n1,5.00,5.00\n2,40.00,2.50\n");
}

TEST_CASE("cli: every command has a help page that names each of its options, exit 0", "[cli]") {
  setUp("help");
  struct Page {
    std::string command;
    std::vector<std::string> options;
  };
  const Page pages[] = {
      {"check", {"usage: regelwerk check FILE.rules", "--budget MS", "--dump ast|ir|llvm", "--help"}},
      {"run",
       {"usage: regelwerk run FILE.rules", "--input IN.csv", "--output OUT.csv", "--rejects REJECTS.csv",
        "--param NAME=VALUE", "--threads N", "--engine jit|interp", "--batch-size N", "--separator C",
        "--memory-limit SIZE", "--explain LINE", "--quiet", "--dump ast|ir|llvm", "--help"}},
      {"test", {"usage: regelwerk test PATH...", "--quiet", "--coverage", "--junit FILE", "--no-cache", "--help"}},
      {"fmt", {"usage: regelwerk fmt [--check] FILE|FOLDER...", "--check", "--help"}},
  };
  for (const Page& page : pages) {
    for (const std::string& args : {page.command + " --help", "help " + page.command, page.command + " -h",
                                    page.command + " fees.rules --input good.csv --help"}) {
      Result result = regelwerk(args);
      INFO(args << "\n" << result.output);
      CHECK(result.exit_code == 0);
      for (const std::string& option : page.options) CHECK(result.output.find(option) != std::string::npos);
    }
  }
  Result overview = regelwerk("--help");
  CHECK(overview.exit_code == 0);
  for (const char* command : {"regelwerk check", "regelwerk run", "regelwerk test", "regelwerk fmt", "help COMMAND"}) {
    CHECK(overview.output.find(command) != std::string::npos);
  }
  CHECK(regelwerk("help").output == overview.output);
  Result unknown = regelwerk("help explain");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("there is no command `explain`; the commands are check, run, test, fmt, diff and lsp") !=
        std::string::npos);
  Result usage = regelwerk("run fees.rules --frobnicate");
  CHECK(usage.output.find("(see regelwerk run --help)") != std::string::npos);
  // `check --budget MS` is the solver's time; it belongs to `check` alone.
  CHECK(regelwerk("check fees.rules --budget 60000").exit_code == 0);
  Result no_budget = regelwerk("check fees.rules --budget 0");
  CHECK(no_budget.exit_code == 2);
  CHECK(no_budget.output.find("option --budget needs a positive whole number") != std::string::npos);
  Result run_budget = regelwerk("run fees.rules --input good.csv --output out.csv --budget 5");
  CHECK(run_budget.exit_code == 2);
  CHECK(run_budget.output.find("--budget is an option of `regelwerk check`") != std::string::npos);
  // The options `test --help` names are the ones `test` takes.
  Result test_options = regelwerk("test fees.rules --quiet --coverage --no-cache");
  INFO(test_options.output);
  CHECK(test_options.output.find("unknown option") == std::string::npos);
  CHECK(test_options.exit_code != 2);
}
