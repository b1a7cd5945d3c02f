// Benchmark of the distribute group kernel (runtime/groups): ns per item over 100,000 groups x 50
// items held in memory, for the waterfall's pool mix and for pools that always end inside a tier.
//
//   bench_distribute [--groups N] [--items K] [--repeats R]
//
// The groups imitate shared/bench/groups.md's waterfall data (tier mix 6/10/60/10/8/6 %, round and
// 3..10-digit amounts, creditor ids CR/cr/Cr-/C_ with repeats, items in claim-id order, not by tier);
// seed fixed, so every run distributes the same cents. Prints each run and the median as a markdown
// table; exit status 1 if the kernel reports an error or two runs disagree.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "runtime/groups/distribute.hpp"

using namespace regelwerk;

namespace {

struct Options {
  size_t groups = 100000;
  size_t items = 50;
  int repeats = 5;
};

// All groups as columns: group g owns items [g * per_group, (g + 1) * per_group).
struct Workload {
  size_t per_group = 0;
  std::vector<int64_t> pools;
  std::vector<int64_t> claims;
  std::vector<int32_t> tiers;
  std::vector<int64_t> ids;
  std::vector<StrRef> creditors;
  std::vector<char> creditor_bytes;  // 16 bytes per item, the StrRefs point here
};

struct Random {
  std::mt19937_64 engine{42};
  int64_t between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(engine() % static_cast<uint64_t>(high - low + 1));
  }
};

int32_t randomTier(Random& random) {
  static const int kPercentUpTo[] = {6, 16, 76, 86, 94, 100};
  int64_t roll = random.between(1, 100);
  int32_t tier = 0;
  while (roll > kPercentUpTo[tier]) ++tier;
  return tier;
}

int64_t randomAmount(Random& random) {
  static const int64_t kRound[] = {5000, 10000, 25000, 100000, 500000, 1000000, 5000000, 10000000};
  if (random.between(1, 100) <= 35) return kRound[random.between(0, 7)];
  int64_t digits = random.between(3, 10);
  int64_t low = 1;
  for (int64_t digit = 1; digit < digits; ++digit) low *= 10;
  return random.between(low, low * 10 - 1);
}

// One group's items; 30 % repeat an earlier creditor, half of those with its tier and amount too.
void addGroup(Random& random, size_t first, Workload* load) {
  static const char* const kPrefixes[] = {"CR", "cr", "Cr-", "C_"};
  for (size_t item = first; item < first + load->per_group; ++item) {
    char* creditor = &load->creditor_bytes[item * 16];
    load->ids[item] = static_cast<int64_t>(item) + 1;
    if (item > first && random.between(1, 100) <= 30) {
      size_t earlier = first + static_cast<size_t>(random.between(0, static_cast<int64_t>(item - first) - 1));
      std::memcpy(creditor, &load->creditor_bytes[earlier * 16], 16);
      load->creditors[item] = StrRef{creditor, load->creditors[earlier].size};
      bool same = random.between(0, 1) == 1;
      load->tiers[item] = same ? load->tiers[earlier] : randomTier(random);
      load->claims[item] = same ? load->claims[earlier] : randomAmount(random);
      continue;
    }
    int length = std::snprintf(creditor, 16, "%s%d", kPrefixes[random.between(0, 3)],
                               static_cast<int>(random.between(1, 999999)));
    load->creditors[item] = StrRef{creditor, length};
    load->tiers[item] = randomTier(random);
    load->claims[item] = randomAmount(random);
  }
}

// The sum of the group's claims in ranks below `limit`.
int64_t claimsBelow(const Workload& load, size_t first, int32_t limit) {
  int64_t sum = 0;
  for (size_t item = first; item < first + load.per_group; ++item) {
    if (load.tiers[item] < limit) sum += load.claims[item];
  }
  return sum;
}

// groups.md's pool mix: 14 % surplus, 3 % exactly the total, 3 % zero, 8 % at a tier boundary, the
// rest inside the unsecured tier (or, with `inside_only`, every pool inside the unsecured tier).
int64_t randomPool(Random& random, const Workload& load, size_t first, bool inside_only) {
  int64_t total = claimsBelow(load, first, 6);
  int64_t before = claimsBelow(load, first, 2);
  int64_t unsecured = claimsBelow(load, first, 3) - before;
  int64_t inside = unsecured == 0 ? before : before + random.between(0, unsecured - 1);
  if (inside_only) return inside;
  int64_t roll = random.between(1, 100);
  if (roll <= 14) return total + random.between(1, total + 1);
  if (roll <= 17) return total;
  if (roll <= 20) return 0;
  if (roll <= 28) return claimsBelow(load, first, static_cast<int32_t>(random.between(1, 5)));
  return inside;
}

Workload makeWorkload(const Options& options, bool inside_only) {
  Workload load;
  size_t items = options.groups * options.items;
  load.per_group = options.items;
  load.claims.resize(items);
  load.tiers.resize(items);
  load.ids.resize(items);
  load.creditors.resize(items);
  load.creditor_bytes.resize(items * 16);
  Random random;
  for (size_t group = 0; group < options.groups; ++group) {
    addGroup(random, group * options.items, &load);
    load.pools.push_back(randomPool(random, load, group * options.items, inside_only));
  }
  return load;
}

// CPU seconds of this thread: the machine is shared, so wall time also counts other processes' turns.
double threadSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

struct Run {
  double seconds = 0;
  double cpu_seconds = 0;
  int64_t mix = 0;  // sum of (id mod 9973) * share: two runs must agree
  bool failed = false;
};

Run distributeAll(const Workload& load, std::vector<int64_t>* shares) {
  DistributeScratch scratch;
  Run run;
  auto start = std::chrono::steady_clock::now();
  double cpu_start = threadSeconds();
  for (size_t group = 0; group < load.pools.size(); ++group) {
    size_t first = group * load.per_group;
    const TieKey ties[] = {TieKey::ofBytes(&load.creditors[first]), TieKey::ofInts(&load.ids[first])};
    DistributeInput input{load.pools[group], load.per_group, &load.claims[first], &load.tiers[first], ties, 2};
    int64_t rest = 0;
    if (distribute(input, scratch, &(*shares)[first], &rest) != ir::ErrorCode::None) run.failed = true;
  }
  run.cpu_seconds = threadSeconds() - cpu_start;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t item = 0; item < shares->size(); ++item) run.mix += (load.ids[item] % 9973) * ((*shares)[item] % 1000003);
  return run;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Runs the scenario `repeats` times; prints a table row: median wall and CPU ns per item, every run's
// wall figure, and the mix.
bool measure(const char* name, const Options& options, bool inside_only) {
  Workload load = makeWorkload(options, inside_only);
  std::vector<int64_t> shares(load.claims.size());
  std::vector<double> wall_ns, cpu_ns;
  int64_t mix = 0;
  bool ok = true;
  const double items = static_cast<double>(load.claims.size());
  for (int repeat = 0; repeat < options.repeats; ++repeat) {
    Run run = distributeAll(load, &shares);
    ok = ok && !run.failed && (repeat == 0 || run.mix == mix);
    mix = run.mix;
    wall_ns.push_back(run.seconds * 1e9 / items);
    cpu_ns.push_back(run.cpu_seconds * 1e9 / items);
  }
  std::printf("| %s | %.1f | %.1f |", name, median(wall_ns), median(cpu_ns));
  for (double value : wall_ns) std::printf(" %.1f", value);
  std::printf(" | %lld |%s\n", static_cast<long long>(mix), ok ? "" : " **FAILED**");
  return ok;
}

bool parseOptions(int argc, char** argv, Options* options) {
  for (int arg = 1; arg + 1 < argc; arg += 2) {
    long long value = std::atoll(argv[arg + 1]);
    if (value <= 0) return false;
    if (std::strcmp(argv[arg], "--groups") == 0)
      options->groups = static_cast<size_t>(value);
    else if (std::strcmp(argv[arg], "--items") == 0)
      options->items = static_cast<size_t>(value);
    else if (std::strcmp(argv[arg], "--repeats") == 0)
      options->repeats = static_cast<int>(value);
    else
      return false;
  }
  return argc % 2 == 1;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parseOptions(argc, argv, &options)) {
    std::fprintf(stderr, "usage: bench_distribute [--groups N] [--items K] [--repeats R]\n");
    return 2;
  }
  std::printf("%zu groups x %zu items, %d runs, 1 thread\n\n", options.groups, options.items, options.repeats);
  std::printf("| pools | wall ns/item (median) | CPU ns/item (median) | wall ns/item (each run) | mix |\n");
  std::printf("|---|--:|--:|---|--:|\n");
  bool ok = measure("groups.md mix", options, false);
  ok = measure("inside the unsecured tier", options, true) && ok;
  return ok ? 0 : 1;
}
