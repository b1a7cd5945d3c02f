// `bench_grouping [--contacts N] [--per K] [--memory-limit BYTES]`: the grouped-input benchmark. Generates the
// events workload (gen_groups, sorted and shuffled) into a temporary folder under the build tree, groups each
// file by contact_id in a child process (one per run, for a clean peak RSS), prints MB/s and peak RSS as a
// markdown table, and deletes the data. `bench_grouping group …` is the child: it groups files and prints one
// result line (also used by tests/unit/grouping to measure peak memory).
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_support.hpp"
#include "runtime/exec/group_source.hpp"

namespace {

using namespace regelwerk;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Peak resident set of this process since its exec, in KiB (VmHWM).
long peakKib() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

// FNV-1a over bytes, for checksums of the group stream.
uint64_t fnv(uint64_t hash, std::string_view bytes) {
  for (unsigned char byte : bytes) hash = (hash ^ byte) * 1099511628211ull;
  return hash;
}

// A digest of the group stream that does not depend on the order of records inside a group (a
// sorted and a shuffled file give the same groups with their records in different file orders):
// per group, the key and the sum of the record hashes; the groups chained in order.
uint64_t groupDigest(uint64_t chain, const Group& group) {
  uint64_t members = 0;
  for (size_t input = 0; input < group.records.size(); ++input)
    for (const GroupRecord& record : group.records[input])
      members += fnv(fnv(14695981039346656037ull, std::to_string(input)), record.text);
  const std::string key = group.key_type == KeyType::Int ? std::to_string(group.int_key) : group.string_key;
  return fnv(fnv(chain, key), std::string_view(reinterpret_cast<const char*>(&members), sizeof members));
}

const char* planName(InputPlan plan) {
  switch (plan) {
    case InputPlan::Streamed:
      return "streamed";
    case InputPlan::SortedInMemory:
      return "sorted-in-memory";
    case InputPlan::SortedOnDisk:
      return "sorted-on-disk";
  }
  return "?";
}

// `group [--memory-limit BYTES] [--temp DIR] [--order detect|sorted|unsorted] [--string] KEY FILE...`
int groupMain(int argc, char** argv) {
  GroupSourceOptions options;
  InputOrder order = InputOrder::Detect;
  KeyType key_type = KeyType::Int;
  int arg = 2;
  for (; arg + 1 < argc && std::strncmp(argv[arg], "--", 2) == 0; ++arg) {
    const std::string flag = argv[arg];
    if (flag == "--string") {
      key_type = KeyType::String;
      continue;
    }
    const std::string value = argv[++arg];
    if (flag == "--memory-limit")
      options.memory_limit = std::stoull(value);
    else if (flag == "--temp")
      options.temp_parent = value;
    else if (flag == "--order")
      order = value == "sorted" ? InputOrder::Sorted : value == "unsorted" ? InputOrder::Unsorted : InputOrder::Detect;
  }
  if (argc - arg < 2) {
    std::fprintf(stderr, "usage: bench_grouping group [options] KEY FILE...\n");
    return 2;
  }
  std::vector<GroupInput> inputs;
  for (int file = arg + 1; file < argc; ++file) {
    GroupInput input;
    input.path = argv[file];
    input.key_column = argv[arg];
    input.key_type = key_type;
    input.order = order;
    inputs.push_back(input);
  }
  const auto start = Clock::now();
  std::string error;
  auto source = GroupSource::open(std::move(inputs), options, &error);
  if (!source) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  uint64_t groups = 0, chain = 14695981039346656037ull;
  for (Group group; source->next(&group, &error); ++groups) chain = groupDigest(chain, group);
  if (!error.empty()) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("groups %llu digest %016llx seconds %.3f", static_cast<unsigned long long>(groups),
              static_cast<unsigned long long>(chain), seconds);
  for (size_t input = 0; input < source->inputCount(); ++input) {
    const GroupInputStats stats = source->stats(input);
    std::printf(" | read %llu grouped %llu rejected %llu plan %s runs %llu passes %llu",
                static_cast<unsigned long long>(stats.records_read),
                static_cast<unsigned long long>(stats.records_grouped),
                static_cast<unsigned long long>(stats.records_rejected), planName(stats.plan),
                static_cast<unsigned long long>(stats.sort.runs_spilled),
                static_cast<unsigned long long>(stats.sort.merge_passes));
  }
  std::printf(" | peak_kib %ld\n", peakKib());
  return 0;
}

// Runs `command` into *output; false (with a message on stderr) when it fails.
bool capture(const std::string& command, std::string* output) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return false;
  char buffer[4096];
  for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) output->append(buffer, got);
  if (::pclose(pipe) == 0) return true;
  std::fprintf(stderr, "failed: %s\n%s", command.c_str(), output->c_str());
  return false;
}

std::string selfPath() {
  std::error_code error;
  return fs::read_symlink("/proc/self/exe", error).string();
}

double field(const std::string& line, const std::string& name) {
  const size_t at = line.find(name + " ");
  return at == std::string::npos ? -1 : std::atof(line.c_str() + at + name.size() + 1);
}

std::string word(const std::string& line, const std::string& name) {
  std::istringstream rest(line.substr(line.find(name + " ") + name.size() + 1));
  std::string value;
  rest >> value;
  return value;
}

int benchMain(int argc, char** argv) {
  long long contacts = 1000000, per = 10;
  std::string limit = std::to_string(kDefaultGroupMemoryLimit);
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    const std::string flag = argv[arg];
    if (flag == "--contacts")
      contacts = std::atoll(argv[arg + 1]);
    else if (flag == "--per")
      per = std::atoll(argv[arg + 1]);
    else if (flag == "--memory-limit")
      limit = argv[arg + 1];
  }
  std::string pattern = std::string(RW_BINARY_DIR) + "/bench-grouping-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (!::mkdtemp(name.data())) return 1;
  const fs::path scratch = name.data();
  std::map<std::string, std::string> lines;
  bool ok = true;
  for (const std::string shuffle : {"", "--shuffle"}) {
    const fs::path dir = scratch / (shuffle.empty() ? "sorted" : "shuffled");
    fs::create_directories(dir);
    std::string generated, line;
    ok = capture(std::string(RW_GEN_GROUPS) + " " + shuffle + " events " + std::to_string(contacts) + " " +
                     std::to_string(per) + " 42 '" + dir.string() + "' 2>&1",
                 &generated) &&
         capture("'" + selfPath() + "' group --memory-limit " + limit + " --temp '" + scratch.string() +
                     "' contact_id '" + (dir / "events.csv").string() + "'",
                 &line);
    if (!ok) break;
    const double megabytes = static_cast<double>(fs::file_size(dir / "events.csv")) / 1e6;
    lines[shuffle] = line;
    std::fprintf(stderr, "%s", line.c_str());
    std::printf("| events.csv %s, %.0f MB | %s | %.1f | %.0f | %s |\n", shuffle.empty() ? "sorted" : "shuffled",
                megabytes, word(line, "plan").c_str(), megabytes / field(line, "seconds"),
                field(line, "peak_kib") / 1024.0, word(line, "digest").c_str());
    fs::remove_all(dir);
  }
  fs::remove_all(scratch);
  if (!ok) return 1;
  const bool same = word(lines[""], "digest") == word(lines["--shuffle"], "digest");
  std::printf("\nsorted and shuffled group streams %s\n", same ? "identical" : "DIFFER");
  return same ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "group") return groupMain(argc, argv);
  regelwerk::bench::requireKnownOptions(
      argc, argv, {"--contacts", "--per", "--memory-limit"},
      "usage: bench_grouping [--contacts N=1000000] [--per K=10] [--memory-limit BYTES]\n");
  std::printf("| input | plan | MB/s | peak RSS MiB | group digest |\n|---|---|--:|--:|---|\n");
  return benchMain(argc, argv);
}
