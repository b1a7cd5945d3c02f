// Messages and rejects through the real binary: every message names its file, input bytes are
// escaped in messages but kept byte-exact in the rejects file, and every written line reads back.
#include <catch2/catch.hpp>

#include <regex>

#include "run_support.hpp"

using namespace badinput;

namespace {

const char* const kNoteRules = R"(ruleset notes
input Row
  id: int
  note: string
output id: int = id
output copy: string = note
output again: string = note
)";

}  // namespace

TEST_CASE("messages: a rejected record of 200 KiB is kept whole in the rejects file", "[badinput][messages]") {
  caseFolder() = "messages_whole_record";
  write("notes.rules", kNoteRules);
  const std::string record = "x" + std::string(200 * 1024, '7') + ",\"a,\"\"b\"\"\nc\"";
  write("input.csv", "id,note\n1,ok\n" + record + "\n");
  Result result = shell(binary() + " run notes.rules --input input.csv --output out.csv --rejects rejects.csv");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  std::string quoted;  // the record as one CSV field of the rejects file
  for (char c : record) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  const std::string rejects = readScratch("rejects.csv");
  const std::string expected_tail = ",\"" + quoted + "\"\n";
  REQUIRE(rejects.size() > expected_tail.size());
  CHECK(rejects.substr(rejects.size() - expected_tail.size()) == expected_tail);
}

TEST_CASE("messages: NUL and invalid bytes are escaped in messages and reasons, not in the record",
          "[badinput][messages]") {
  caseFolder() = "messages_escape";
  write("notes.rules", kNoteRules);
  const std::string bad_row = std::string("1\0\xFF", 3) + ",x";
  write("input.csv", "id,note\n" + bad_row + "\n");
  Result result = shell(binary() + " run notes.rules --input input.csv --output out.csv --rejects rejects.csv");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const std::string rejects = readScratch("rejects.csv");
  CHECK(rejects == "line,column,reason,record\n2,id,\"`1\\x00\\xFF` is not an int (write digits, e.g. 42 or -7)\",\"" +
                       bad_row + "\"\n");
  result = shell(binary() + " run notes.rules --input input.csv --output out.csv");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("input.csv:2: field `id`: `1\\x00\\xFF` is not an int") != std::string::npos);
  CHECK(result.output.find('\0') == std::string::npos);
}

TEST_CASE("messages: a rule file that is a directory or endless says so", "[badinput][messages]") {
  caseFolder() = "messages_rule_file";
  fs::create_directories(scratch() / "folder.rules");
  write("input.csv", "id\n1\n");
  Result result = shell(binary() + " run folder.rules --input input.csv --output out.csv");
  INFO(result.output);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("cannot read rule file `folder.rules`: it is a directory, not a file") != std::string::npos);
  // Read, never written: /dev/zero stands for any file that never ends.
  result = shell(binary() + " run /dev/zero --input input.csv --output out.csv");
  INFO(result.output.substr(0, 500));
  CHECK(result.exit_code == 1);
  CHECK(result.output.find("error[E0105]") != std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
}

TEST_CASE("messages: a runtime error inside a used module names the module's file", "[badinput][messages]") {
  caseFolder() = "messages_module";
  write("split.rules", "module split\ninput Row\n  parts: int\nfunction share(total: int, n: int): decimal(2) =\n"
                       "  round(total / n, 2)\n");
  write("main.rules", "ruleset main\nuse \"./split.rules\"\ninput Row\n  id: int\n  parts: int\n"
                      "output per_part: decimal(2) = share(100, parts)\n");
  write("input.csv", "id,parts\n1,4\n2,0\n");
  Result result = shell(binary() + " run main.rules --input input.csv --output out.csv --rejects rejects.csv");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const std::string rejects = readScratch("rejects.csv");
  INFO(rejects);
  CHECK(std::regex_search(rejects, std::regex("\n3,,split\\.rules:5:\\d+[^\n]*division by zero")));
  CHECK(rejects.find("main.rules:5") == std::string::npos);
}

// Two copies of a 40 MiB note make an 80 MiB output line, which the reader would refuse: the row is
// rejected with the reason, the others are written, and the counts add up.
TEST_CASE("messages: an output line longer than a record may be is rejected, not written", "[badinput][messages]") {
  caseFolder() = "messages_long_output";
  write("notes.rules", kNoteRules);
  const std::string note(40 << 20, 'n');
  write("input.csv", "id,note\n1,short\n2," + note + "\n3,short\n");
  Result result = shell(binary() + " run notes.rules --input input.csv --output out.csv --rejects rejects.csv");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output.find("rows in 3 = rows out 2 + rows rejected 1") != std::string::npos);
  CHECK(readScratch("out.csv") == "id,copy,again\n1,short,short\n3,short,short\n");
  const std::string rejects = readScratch("rejects.csv");
  CHECK(rejects.find("3,,\"the output line for this record would be 83886084 bytes, more than the 64 MiB a CSV "
                     "record may have") != std::string::npos);
  fs::remove(scratch() / "input.csv");
  fs::remove(scratch() / "rejects.csv");
}
