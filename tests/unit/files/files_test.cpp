// Reliability of the files around the rows (issue "Reliability, part 2"): how `regelwerk run` creates,
// commits and refuses output files, bounds its options and reacts to signals. Every case runs the real
// binary in a scratch folder of its own under the build tree; device nodes are made there with mknod
// (root only: elsewhere those cases print a visible skip notice).
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/cli_harness.hpp"

namespace {

namespace fs = std::filesystem;
namespace testing = regelwerk::testing;

using testing::CommandResult;
using Result = CommandResult;

std::string& caseName() {
  static std::string name = "default";
  return name;
}

fs::path scratch() { return testing::scratchFolder("files-scratch", caseName()); }
void write(const std::string& name, const std::string& bytes) { testing::writeFile(scratch() / name, bytes); }
std::string read(const std::string& name) { return testing::readFile(scratch() / name); }
std::string binary() { return testing::regelwerkCommand(); }
Result shell(const std::string& command) { return testing::runIn(scratch(), command); }

Result run(const std::string& args) { return shell(binary() + " run " + args); }

// Every name in the scratch folder: a run must leave no temporary file behind.
std::set<std::string> folderNames() {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(scratch())) names.insert(entry.path().filename().string());
  return names;
}

const char* const kRules = R"(ruleset copy
input Row
  id: int
  amount: money
output id: int = id
output double: money = amount * 2
)";

// `rows` rows whose amounts start at `first`, so that outputs of different inputs differ in every row.
std::string inputRows(int rows, int first) {
  std::string text = "id,amount\n";
  for (int row = 1; row <= rows; ++row) text += std::to_string(row) + "," + std::to_string(first + row) + ".00\n";
  return text;
}

std::string expectedOutput(int rows, int first) {
  std::string text = "id,double\n";
  for (int row = 1; row <= rows; ++row) text += std::to_string(row) + "," + std::to_string(2 * (first + row)) + ".00\n";
  return text;
}

void setUp(const std::string& name) {
  caseName() = name;
  fs::remove_all(scratch());
  write("copy.rules", kRules);
  write("in.csv", inputRows(3, 0));
}

bool isRoot() { return ::geteuid() == 0; }

mode_t modeOf(const std::string& name) {
  struct stat info {};
  REQUIRE(::stat((scratch() / name).c_str(), &info) == 0);
  return info.st_mode & 07777;
}

}  // namespace

TEST_CASE("files: 4 x 25 concurrent runs to one output leave exactly one run's complete output", "[files]") {
  setUp("concurrent");
  std::vector<std::string> expected;
  for (int input = 0; input < 4; ++input) {
    write("in" + std::to_string(input) + ".csv", inputRows(20000, input * 100000));
    expected.push_back(expectedOutput(20000, input * 100000));
  }
  for (int round = 0; round < 25; ++round) {
    std::string line;
    for (int input = 0; input < 4; ++input) {
      line += binary() + " run copy.rules --quiet --threads 1 --input in" + std::to_string(input) +
              ".csv --output out.csv > status" + std::to_string(input) + ".txt 2>&1; echo $? >> status" +
              std::to_string(input) + ".txt & ";
    }
    Result result = shell(line + "wait");
    REQUIRE(result.exit_code == 0);
    for (int input = 0; input < 4; ++input) {
      INFO("round " << round << " run " << input << ": " << read("status" + std::to_string(input) + ".txt"));
      CHECK(read("status" + std::to_string(input) + ".txt") == "0\n");
    }
    std::string output = read("out.csv");
    bool matches_one = std::find(expected.begin(), expected.end(), output) != expected.end();
    INFO("round " << round << ": " << output.size() << " bytes");
    REQUIRE(matches_one);
  }
  std::set<std::string> expected_names{"copy.rules", "in.csv", "out.csv"};
  for (int input = 0; input < 4; ++input) {
    expected_names.insert("in" + std::to_string(input) + ".csv");
    expected_names.insert("status" + std::to_string(input) + ".txt");
  }
  CHECK(folderNames() == expected_names);
}

TEST_CASE("files: a file or link planted at the old temporary name is never written through", "[files]") {
  setUp("planted");
  write("victim.txt", "precious\n");
  fs::create_symlink("victim.txt", scratch() / "out.csv.tmp");
  write("rejects.csv.tmp", "planted\n");
  ::chmod((scratch() / "rejects.csv.tmp").c_str(), 0666);
  Result result = run("copy.rules --input in.csv --output out.csv --rejects rejects.csv --quiet");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(read("victim.txt") == "precious\n");
  CHECK(read("rejects.csv.tmp") == "planted\n");
  CHECK(read("out.csv") == expectedOutput(3, 0));
  CHECK(fs::is_symlink(scratch() / "out.csv.tmp"));
  CHECK(modeOf("out.csv") == (0666 & ~[] { mode_t mask = ::umask(0); ::umask(mask); return mask; }()));
}

TEST_CASE("files: a FIFO, a device and a link to one are written through, never replaced", "[files]") {
  setUp("nodes");
  REQUIRE(::mkfifo((scratch() / "pipe").c_str(), 0644) == 0);
  Result through_fifo = shell("(cat pipe > from_pipe.csv &) ; " + binary() +
                              " run copy.rules --input in.csv --output pipe --quiet; sleep 0.2");
  INFO(through_fifo.output);
  CHECK(through_fifo.exit_code == 0);
  CHECK(fs::is_fifo(scratch() / "pipe"));
  CHECK(read("from_pipe.csv") == expectedOutput(3, 0));
  if (!isRoot()) {
    WARN("SKIPPED: device-node cases need root (mknod); run the suite as root to cover them");
    return;
  }
  REQUIRE(::mknod((scratch() / "null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  fs::create_symlink("null", scratch() / "link_to_null");
  for (const char* target : {"null", "link_to_null"}) {
    Result result = run(std::string("copy.rules --input in.csv --quiet --output ") + target);
    INFO(target << ": " << result.output);
    CHECK(result.exit_code == 0);
  }
  CHECK(fs::is_character_file(scratch() / "null"));
  CHECK(fs::is_symlink(scratch() / "link_to_null"));
  CHECK(folderNames() == std::set<std::string>{"copy.rules", "in.csv", "pipe", "from_pipe.csv", "null", "link_to_null"});
}

TEST_CASE("files: a full disk is an error with its reason, and the device survives", "[files]") {
  setUp("full");
  if (!isRoot()) {
    WARN("SKIPPED: the /dev/full case needs root (mknod); run the suite as root to cover it");
    return;
  }
  REQUIRE(::mknod((scratch() / "full").c_str(), S_IFCHR | 0666, makedev(1, 7)) == 0);
  Result result = run("copy.rules --input in.csv --output full --quiet");
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("cannot write output `full`: No space left on device") != std::string::npos);
  CHECK(fs::is_character_file(scratch() / "full"));
}

// The writeback started every 8 MiB (output_file.cpp) flushes stdio first; a write that fails there
// must fail the run like any other. A file-size limit of exactly 8 MiB (bash `ulimit -f 8192`, with
// SIGXFSZ ignored so that the write reports EFBIG) makes that flush the one that fails: the run must
// stop with the reason, and the previous output stay, not be replaced by its first 8 MiB.
TEST_CASE("files: a write that fails at the 8 MiB writeback fails the run and keeps the previous output", "[files]") {
  setUp("size-limit");
  write("text.rules", "ruleset copy\ninput Row\n  s: string\noutput s: string = s\n");
  std::string text = "s\n";
  for (int row = 0; row < 8381; ++row) text += std::string(1000, 'x') + "\n";  // output: 8,389,383 bytes
  write("big.csv", text);
  write("out.csv", "previous\n");
  Result result = shell("bash -c \"trap '' XFSZ; ulimit -f 8192; exec " + binary() +
                        " run text.rules --input big.csv --output out.csv --quiet\"");
  INFO(result.output);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("cannot write output `out.csv`: File too large") != std::string::npos);
  CHECK(read("out.csv") == "previous\n");
  CHECK(folderNames() == std::set<std::string>{"copy.rules", "in.csv", "text.rules", "big.csv", "out.csv"});
}

TEST_CASE("files: a symlink to a regular output is kept and its target replaced", "[files]") {
  setUp("symlink");
  fs::create_directories(scratch() / "data");
  std::ofstream(scratch() / "data" / "real.csv") << "old\n";
  fs::create_symlink("data/real.csv", scratch() / "out.csv");
  Result result = run("copy.rules --input in.csv --output out.csv --quiet");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(fs::is_symlink(scratch() / "out.csv"));
  CHECK(read("data/real.csv") == expectedOutput(3, 0));
}

TEST_CASE("files: one file named twice is refused before anything is read or written", "[files]") {
  setUp("same_file");
  write("out.csv", "previous output\n");
  fs::create_symlink("in.csv", scratch() / "alias.csv");
  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {"--output out.csv --rejects out.csv", "--output `out.csv` and --rejects `out.csv` are the same file"},
      {"--output in.csv", "--input `in.csv` and --output `in.csv` are the same file"},
      {"--output alias.csv", "--input `in.csv` and --output `alias.csv` are the same file"},
      {"--output out.csv --rejects in.csv", "--input `in.csv` and --rejects `in.csv` are the same file"},
      {"--output copy.rules", "--output `copy.rules` and the rule set's file `copy.rules` are the same file"},
      {"--output ./new.csv --rejects new.csv", "are the same file"},
      {"--output - --rejects -", "--output - and --rejects - would mix two CSV files"},
  };
  for (const Case& test : cases) {
    Result result = run("copy.rules --input in.csv " + test.args);
    INFO(test.args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(test.message) != std::string::npos);
    CHECK(std::count(result.output.begin(), result.output.end(), '\n') == 1);
  }
  CHECK(read("in.csv") == inputRows(3, 0));
  CHECK(read("copy.rules") == kRules);
  CHECK(read("out.csv") == "previous output\n");
  CHECK(!fs::exists(scratch() / "new.csv"));
}

TEST_CASE("files: folders, an uncommittable rejects file and long names", "[files]") {
  setUp("folders");
  write("out.csv", "previous output\n");
  fs::create_directories(scratch() / "dir");
  Result output_dir = run("copy.rules --input in.csv --output dir");
  CHECK(output_dir.exit_code == 2);
  CHECK(output_dir.output.find("--output `dir` is a folder: name a file") != std::string::npos);
  Result rejects_dir = run("copy.rules --input in.csv --output out.csv --rejects dir");
  CHECK(rejects_dir.exit_code == 2);
  CHECK(rejects_dir.output.find("--rejects `dir` is a folder: name a file") != std::string::npos);
  CHECK(read("out.csv") == "previous output\n");
  CHECK(fs::is_empty(scratch() / "dir"));
  std::string long_name(251, 'o');
  long_name += ".csv";  // 255 bytes, the longest name a Linux file system takes
  Result long_output = run("copy.rules --input in.csv --quiet --output " + long_name);
  INFO(long_output.output);
  CHECK(long_output.exit_code == 0);
  CHECK(read(long_name) == expectedOutput(3, 0));
  CHECK(folderNames() == std::set<std::string>{"copy.rules", "in.csv", "out.csv", "dir", long_name});
}

TEST_CASE("files: an existing output keeps its mode", "[files]") {
  setUp("mode");
  write("out.csv", "secret\n");
  REQUIRE(::chmod((scratch() / "out.csv").c_str(), 0600) == 0);
  CHECK(run("copy.rules --input in.csv --output out.csv --quiet").exit_code == 0);
  CHECK(modeOf("out.csv") == 0600);
  CHECK(read("out.csv") == expectedOutput(3, 0));
}

// The run reads from a FIFO that the test keeps open, so it is certainly in the middle of its work
// when the signal arrives.
TEST_CASE("files: SIGINT, SIGTERM and SIGHUP remove the temporaries, keep the outputs and say so", "[files]") {
  setUp("signals");
  const std::pair<int, int> cases[] = {{SIGINT, 130}, {SIGTERM, 143}, {SIGHUP, 129}};
  for (auto [signal_number, expected_exit] : cases) {
    write("out.csv", "previous output\n");
    fs::remove(scratch() / "feed");
    REQUIRE(::mkfifo((scratch() / "feed").c_str(), 0644) == 0);
    std::string command = "cd '" + scratch().string() + "' && exec " + binary() +
                          " run copy.rules --input feed --output out.csv --rejects rejects.csv 2> message.txt";
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int feed = ::open((scratch() / "feed").c_str(), O_WRONLY);
    REQUIRE(feed >= 0);
    std::string rows = inputRows(2000, 0);
    REQUIRE(::write(feed, rows.data(), rows.size()) == static_cast<ssize_t>(rows.size()));
    // Wait until the run has created its temporary files (they are hidden names beside out.csv).
    for (int tries = 0; tries < 500 && folderNames().size() < 7; ++tries) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(folderNames().size() == 7);  // copy.rules in.csv out.csv feed message.txt + 2 temporaries
    ::kill(pid, signal_number);
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    ::close(feed);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == expected_exit);
    std::string message = read("message.txt");
    INFO(message);
    CHECK(message.find("regelwerk: SIG") == 0);
    CHECK(message.find("output files were left as they were and temporary files removed") != std::string::npos);
    CHECK(read("out.csv") == "previous output\n");
    CHECK(folderNames() == std::set<std::string>{"copy.rules", "in.csv", "out.csv", "feed", "message.txt"});
  }
}

TEST_CASE("files: bounds and closed streams are errors or work, never a crash", "[files]") {
  setUp("bounds");
  const std::pair<std::string, std::string> refused[] = {
      {"--threads 99999", "option --threads takes 1 to 1024, not 99999"},
      {"--batch-size 4294967296", "option --batch-size takes 1 to 1048576, not 4294967296"},
      {"--batch-size 100000000", "option --batch-size takes 1 to 1048576"},
      {"--output o2.csv", "option --output is given twice"},
      {"--input in.csv", "option --input is given twice"},
      {"--engine jit --engine interp", "option --engine is given twice"},
      {"--separator .", "the separator `.` can stand inside unquoted values"},
      {"--separator 7", "the separator `7` can stand inside unquoted values"},
      {"--separator -", "the separator `-` can stand inside unquoted values"},
  };
  for (const auto& [args, message] : refused) {
    Result result = run("copy.rules --input in.csv --output out.csv " + args);
    INFO(args << "\n" << result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(message) != std::string::npos);
    CHECK(std::count(result.output.begin(), result.output.end(), '\n') == 1);
  }
  CHECK(!fs::exists(scratch() / "out.csv"));
  write("param.rules", std::string(kRules) + "param rate: int = 1\n");
  Result twice = run("param.rules --input in.csv --output out.csv --param rate=1 --param rate=2");
  CHECK(twice.exit_code == 2);
  CHECK(twice.output.find("--param rate is given twice") != std::string::npos);

  // The largest batch on a small file: memory follows the input and a budget, not the option.
  Result large_batch = run("copy.rules --input in.csv --output out.csv --batch-size 1048576 --threads 2");
  INFO(large_batch.output);
  CHECK(large_batch.exit_code == 0);
  std::smatch peak;
  REQUIRE(std::regex_search(large_batch.output, peak, std::regex("peak memory (\\d+) MiB")));
  CHECK(std::stoi(peak[1]) < 300);

  Result closed_stderr = shell(binary() + " run copy.rules --input in.csv --output out.csv 2>&-; echo exit=$?");
  CHECK(closed_stderr.output.find("exit=0") != std::string::npos);
  CHECK(read("out.csv") == expectedOutput(3, 0));
  Result closed_stdout = shell(binary() + " run copy.rules --input in.csv --output - 2>&1 >&-; echo exit=$?");
  CHECK(closed_stdout.output.find("exit=2") != std::string::npos);
  CHECK(closed_stdout.output.find("- writes standard output, which is closed") != std::string::npos);
}

TEST_CASE("files: a run that stops at a bad row says what it had already written to standard output", "[files]") {
  setUp("stop_after_stdout");
  write("late_bad.csv", inputRows(200000, 0) + "x,1.00\n");  // several chunks before the bad row
  const std::string bad_row = "late_bad.csv:200002: field `id`: `x` is not an int";
  Result to_stdout =
      shell(binary() + " run copy.rules --input late_bad.csv --output - > seen.csv 2> message.txt; echo $?");
  CHECK(to_stdout.output == "2\n");
  const std::string message = read("message.txt");
  INFO(message);
  CHECK(message.find(bad_row) != std::string::npos);
  CHECK(message.find("(the run stopped here; what it had written to standard output before this point stays there, and "
                     "no file was replaced; use --rejects FILE to set such rows aside and go on)") !=
        std::string::npos);
  const std::string seen = read("seen.csv");
  CHECK(seen.rfind(expectedOutput(1000, 0), 0) == 0);  // the earlier chunks did go out
  // A file output is abandoned, so there the run did write nothing.
  Result to_file = run("copy.rules --input late_bad.csv --output out.csv");
  CHECK(to_file.exit_code == 2);
  CHECK(to_file.output.find(bad_row) != std::string::npos);
  CHECK(to_file.output.find("(the run stopped here and wrote no output; use --rejects FILE") != std::string::npos);
  CHECK(!fs::exists(scratch() / "out.csv"));
}

TEST_CASE("files: a reader that goes away is an error with a message, not a silent SIGPIPE", "[files]") {
  setUp("sigpipe");
  write("many.csv", inputRows(200000, 0));
  Result result = shell("{ " + binary() +
                        " run copy.rules --input many.csv --output - 2> message.txt; echo $? > status.txt; } | head -1");
  CHECK(result.output == "id,double\n");
  CHECK(read("status.txt") == "2\n");
  CHECK(read("message.txt").find("cannot write output `-`: Broken pipe") != std::string::npos);
}
