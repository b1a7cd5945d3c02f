// What the benchmark drivers share (bench_dunning, bench_groups): running a program as a measured child
// process, medians, and the machine facts printed above each results table. No engine code.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace regelwerk::bench {

// Where a child's standard output and error go: empty `stdout_path` captures stdout into
// ProcessRun::out; empty `stderr_path` leaves stderr shared with the driver.
struct ProcessOptions {
  std::string stdout_path;
  std::string stderr_path;
};

struct ProcessRun {
  int status = -1;        // exit status; 128 + signal when killed; -1 when it could not be started
  double seconds = 0;     // wall time from fork to reaped
  int64_t max_rss_kib = 0;  // wait4's ru_maxrss: the child's peak resident set, its waited descendants included
  std::string out;        // captured standard output
};

// Runs `args[0] args[1…]` (a path, no PATH search) and waits for it with wait4. On Linux the peak RSS
// includes the forking process's resident set at fork time (exec folds the old address space's
// high-water mark in), so drivers that use it should stay small (see peakRssKibOfSelf).
ProcessRun runProcess(const std::vector<std::string>& args, const ProcessOptions& options = {});

// This process's own peak resident set since exec, in KiB (VmHWM of /proc/self/status).
int64_t peakRssKibOfSelf();

double median(std::vector<double> values);
int allThreads();               // hardware threads, at least 1
std::string loadAverage();      // "1.02 0.88 0.75" from /proc/loadavg
std::string cpuModel();         // the first "model name" of /proc/cpuinfo, "unknown CPU" without one
std::string format(const char* pattern, double value);  // snprintf of one double

// Checks a driver's command line of `--name VALUE` options against `names` before anything runs:
// `--help` prints `usage` and exits 0; an unknown option or one without its value prints `usage` to
// stderr and exits 2 — so a typo never runs the default workload.
void requireKnownOptions(int argc, char** argv, std::initializer_list<std::string_view> names, const char* usage);

}  // namespace regelwerk::bench
