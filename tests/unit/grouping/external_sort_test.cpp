// The external sort behind GroupSource: sorted and shuffled inputs agree in every plan, spills clean up, memory stays
// bounded.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <random>
#include <regex>

#include "tests/unit/grouping/grouping_test_support.hpp"

using namespace regelwerk;
using namespace regelwerk::grouping_test;

namespace {

struct Workload {
  std::string sorted;    // path of the rows sorted by key (file order within a key)
  std::string shuffled;  // the same rows in random order
};

// `rows` rows `key,seq,payload` over keys 0..keys-1 (some keys get none); string keys are the
// number's decimal text with a prefix, so "k1" < "k10" < "k2" exercises byte order.
Workload writeWorkload(const fs::path& dir, const std::string& name, size_t rows, int keys, bool string_keys) {
  struct Row {
    int key;
    std::string key_text;
    size_t seq;
    std::string text;
  };
  std::mt19937 random(42);
  std::vector<Row> records;
  for (size_t seq = 0; seq < rows; ++seq) {
    const int key = static_cast<int>(random() % static_cast<unsigned>(keys)) / 2 * 2;  // odd keys never appear
    const std::string key_text = string_keys ? "k" + std::to_string(key) : std::to_string(key);
    const std::string payload =
        seq % 7 == 0 ? "\"multi\nline, " + std::to_string(seq) + "\"" : "p" + std::to_string(seq);
    records.push_back(Row{key, key_text, seq, key_text + "," + std::to_string(seq) + "," + payload});
  }
  std::vector<Row> sorted = records;
  std::sort(sorted.begin(), sorted.end(), [string_keys](const Row& left, const Row& right) {
    if (string_keys && left.key_text != right.key_text) return left.key_text < right.key_text;
    if (!string_keys && left.key != right.key) return left.key < right.key;
    return left.seq < right.seq;
  });
  std::shuffle(records.begin(), records.end(), random);
  std::string sorted_text = "key,seq,payload\n", shuffled_text = "key,seq,payload\n";
  for (const Row& record : sorted) sorted_text += record.text + "\n";
  for (const Row& record : records) shuffled_text += record.text + "\n";
  return Workload{writeFile(dir, name + "-sorted.csv", sorted_text),
                  writeFile(dir, name + "-shuffled.csv", shuffled_text)};
}

GroupSourceOptions tinyLimit(const fs::path& dir, size_t limit) {
  GroupSourceOptions options;
  options.memory_limit = limit;
  options.temp_parent = dir.string();
  return options;
}

bool emptyFolder(const fs::path& dir) {
  return fs::is_directory(dir) && fs::is_empty(dir);
}

// Entries of `dir` other than the .csv inputs (left-over temporary folders or files).
size_t leftovers(const fs::path& dir) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) count += entry.path().extension() != ".csv";
  return count;
}

// Each group's records must come in file order (ascending lines).
bool fileOrderWithinGroups(const Collected& collected) {
  for (const CollectedGroup& group : collected.groups)
    for (const std::vector<Member>& members : group.members)
      for (size_t index = 1; index < members.size(); ++index)
        if (members[index - 1].first >= members[index].first) return false;
  return true;
}

}  // namespace

TEST_CASE("sorted and shuffled copies give the same groups in every plan, int and string keys", "[grouping]") {
  const fs::path dir = freshScratch("sorted-vs-shuffled");
  for (bool string_keys : {false, true}) {
    INFO("string keys: " << string_keys);
    const KeyType key_type = string_keys ? KeyType::String : KeyType::Int;
    const Workload many = writeWorkload(dir, "many", 3000, 400, string_keys);
    const Workload one = writeWorkload(dir, "one", 150, 700, string_keys);
    const Collected streamed =
        collect({inputFile(one.sorted, "key", key_type), inputFile(many.sorted, "key", key_type)});
    REQUIRE(streamed.error.empty());
    CHECK(streamed.stats[0].plan == InputPlan::Streamed);
    CHECK(streamed.stats[1].plan == InputPlan::Streamed);
    CHECK(streamed.groups.size() > 100);
    const Collected in_memory =
        collect({inputFile(one.shuffled, "key", key_type), inputFile(many.shuffled, "key", key_type)});
    REQUIRE(in_memory.error.empty());
    CHECK(in_memory.stats[1].plan == InputPlan::SortedInMemory);
    const Collected on_disk =
        collect({inputFile(one.shuffled, "key", key_type), inputFile(many.shuffled, "key", key_type)},
                tinyLimit(dir, 24 << 10));
    REQUIRE(on_disk.error.empty());
    CHECK(on_disk.stats[1].plan == InputPlan::SortedOnDisk);
    CHECK(on_disk.stats[1].sort.runs_spilled > 10);
    CHECK(on_disk.stats[1].sort.merge_passes > 0);
    const Collected sorted_on_disk = collect({inputFile(one.sorted, "key", key_type, InputOrder::Unsorted),
                                              inputFile(many.sorted, "key", key_type, InputOrder::Unsorted)},
                                             tinyLimit(dir, 24 << 10));
    REQUIRE(sorted_on_disk.error.empty());
    CHECK(sorted_on_disk.groups == streamed.groups);  // same file: same lines, same order
    CHECK(contents(in_memory) == contents(streamed));
    CHECK(in_memory.groups == on_disk.groups);
    CHECK(fileOrderWithinGroups(on_disk));
    for (const Collected* run : {&streamed, &in_memory, &on_disk})
      for (const GroupInputStats& stats : run->stats) {
        CHECK(countsAddUp(stats));
        CHECK(stats.records_rejected == 0);
      }
    CHECK(leftovers(dir) == 0);
  }
}

TEST_CASE("spilling: the temporary folder is empty while in use and gone after the last group or on destruction",
          "[grouping]") {
  const fs::path dir = freshScratch("spill-folder");
  const Workload rows = writeWorkload(dir, "rows", 4000, 300, false);
  std::string error;
  {
    auto source = GroupSource::open({inputFile(rows.shuffled, "key")}, tinyLimit(dir, 16 << 10), &error);
    REQUIRE(source);
    const fs::path folder = source->tempFolder();
    REQUIRE(!folder.empty());
    CHECK(folder.parent_path() == dir);
    CHECK(folder.filename().string().rfind("regelwerk-sort-", 0) == 0);
    CHECK(emptyFolder(folder));  // run files have no names
    Group group;
    for (int taken = 0; taken < 3; ++taken) REQUIRE(source->next(&group, &error));
    CHECK(source->stats(0).records_grouped > 0);
    CHECK(source->stats(0).records_grouped < 4000);
    CHECK(leftovers(dir) == 1);
  }  // destroyed midway
  CHECK(leftovers(dir) == 0);
  {
    auto source = GroupSource::open({inputFile(rows.shuffled, "key")}, tinyLimit(dir, 16 << 10), &error);
    REQUIRE(source);
    size_t groups = 0;
    for (Group group; source->next(&group, &error);) ++groups;
    CHECK(error.empty());
    CHECK(groups == 150);
    CHECK(source->stats(0).sort.runs_spilled > 10);
  }
  CHECK(leftovers(dir) == 0);
}

TEST_CASE("many spilled runs keep few descriptors open: the sort succeeds under a tight descriptor limit",
          "[grouping]") {
  const fs::path dir = freshScratch("descriptors");
  const Workload rows = writeWorkload(dir, "rows", 6000, 300, false);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {  // no Catch assertions in the child: its exit status is the verdict
    size_t open_fds = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/fd")) ++open_fds;
    const rlimit limit{open_fds + 12, open_fds + 12};
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) ::_exit(3);
    const Collected out = collect({inputFile(rows.shuffled, "key")}, tinyLimit(dir, 16 << 10));
    const bool ok = out.error.empty() && out.groups.size() == 150 && out.stats[0].sort.runs_spilled > 40;
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(leftovers(dir) == 0);
}

TEST_CASE("a temporary folder that cannot be made is an error only when a run must be spilled", "[grouping]") {
  const fs::path dir = freshScratch("spill-error");
  const Workload rows = writeWorkload(dir, "rows", 2000, 100, false);
  GroupSourceOptions options = tinyLimit(dir / "absent", 16 << 10);
  const Collected spilled = collect({inputFile(rows.shuffled, "key")}, options);
  CHECK(spilled.error.find("cannot create a temporary folder in `" + (dir / "absent").string() + "` for sorting") == 0);
  const std::string no_key = writeFile(dir, "no-key.csv", "id,v\n1,a\n");
  const Collected later_error =
      collect({inputFile(rows.shuffled, "key"), inputFile(no_key, "key")}, tinyLimit(dir, 16 << 10));
  CHECK(later_error.error.find("no-key.csv: missing key column `key`") != std::string::npos);
  CHECK(leftovers(dir) == 0);  // the first input had spilled: its folder went with the error
  options.memory_limit = kDefaultGroupMemoryLimit;
  const Collected in_memory = collect({inputFile(rows.shuffled, "key")}, options);
  CHECK(in_memory.error.empty());
  CHECK(in_memory.groups.size() == 50);
  CHECK(leftovers(dir) == 0);
}

namespace {

struct Measured {
  std::string line;
  long peak_kib = -1;
  std::string digest;
};

Measured measure(const std::string& arguments) {
  Measured out;
  std::FILE* pipe = ::popen((std::string("'") + RW_BENCH_GROUPING + "' group " + arguments + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.line.append(buffer, got);
  REQUIRE(::pclose(pipe) == 0);
  std::smatch match;
  if (std::regex_search(out.line, match, std::regex("peak_kib (\\d+)"))) out.peak_kib = std::stol(match[1]);
  if (std::regex_search(out.line, match, std::regex("digest ([0-9a-f]+)"))) out.digest = match[1];
  return out;
}

}  // namespace

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasuresMemory = false;  // AddressSanitizer's shadow memory and quarantine dwarf the bound
#else
constexpr bool kMeasuresMemory = true;
#endif

// The stated bound (docs/groups.md, "Grouped input"): peak RSS <= memory limit + 8 MiB (the
// program, two 1 MiB chunk buffers, the largest group, allocator slack).
TEST_CASE("memory: 2,000,000 shuffled events with a 16 MiB limit stay under 24 MiB peak, sorted ones stream flat",
          "[grouping][resource]") {
  const fs::path dir = freshScratch("memory");
  const std::string generate = std::string("'") + RW_GEN_GROUPS + "' ";
  REQUIRE(std::system((generate + "--shuffle events 200000 10 42 '" + dir.string() + "' 2>>'" +
                       (dir / "gen.log").string() + "'")
                          .c_str()) == 0);
  fs::rename(dir / "events.csv", dir / "shuffled.csv");
  REQUIRE(std::system((generate + "events 200000 10 42 '" + dir.string() + "' 2>>'" + (dir / "gen.log").string() + "'")
                          .c_str()) == 0);
  const std::string temp = "--temp '" + dir.string() + "' ";
  const Measured shuffled =
      measure("--memory-limit 16777216 " + temp + "contact_id '" + (dir / "shuffled.csv").string() + "'");
  INFO(shuffled.line);
  CHECK(shuffled.line.find("read 2000000 grouped 2000000 rejected 0 plan sorted-on-disk") != std::string::npos);
  CHECK(shuffled.peak_kib > 0);
  if (kMeasuresMemory) CHECK(shuffled.peak_kib < 24 * 1024);
  else WARN("SKIPPED: the peak-memory bounds are not checked in a sanitizer build");
  const Measured sorted =
      measure("--memory-limit 16777216 " + temp + "contact_id '" + (dir / "events.csv").string() + "'");
  INFO(sorted.line);
  CHECK(sorted.line.find("read 2000000 grouped 2000000 rejected 0 plan streamed") != std::string::npos);
  if (kMeasuresMemory) CHECK(sorted.peak_kib < 16 * 1024);
  CHECK(sorted.digest == shuffled.digest);
  CHECK(!sorted.digest.empty());
  fs::remove_all(dir);
}
