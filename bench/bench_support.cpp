// The shared helpers of the benchmark drivers: child processes with wall time and peak RSS, medians, and
// the machine description (bench_support.hpp).
#include "bench/bench_support.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

namespace regelwerk::bench {

namespace {

// In the forked child: points `target` at `path` (created or truncated), or at `pipe_fd` when the path is
// empty and a pipe is given. Exits with 126 when the file cannot be opened.
void redirect(const std::string& path, int pipe_fd, int target) {
  const int fd = path.empty() ? pipe_fd : ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) {
    if (path.empty()) return;  // no pipe, no file: keep the driver's
    std::_Exit(126);
  }
  if (::dup2(fd, target) < 0) std::_Exit(126);
}

void readAll(int fd, std::string* out) {
  char buffer[4096];
  for (ssize_t got; (got = ::read(fd, buffer, sizeof buffer)) > 0;) out->append(buffer, static_cast<size_t>(got));
}

}  // namespace

ProcessRun runProcess(const std::vector<std::string>& args, const ProcessOptions& options) {
  ProcessRun result;
  int pipe_fds[2] = {-1, -1};
  if (options.stdout_path.empty() && ::pipe(pipe_fds) != 0) return result;
  std::fflush(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    redirect(options.stdout_path, pipe_fds[1], STDOUT_FILENO);
    redirect(options.stderr_path, -1, STDERR_FILENO);
    std::vector<char*> argv;
    for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  if (pipe_fds[1] >= 0) ::close(pipe_fds[1]);
  if (pipe_fds[0] >= 0) {
    if (pid > 0) readAll(pipe_fds[0], &result.out);
    ::close(pipe_fds[0]);
  }
  int status = 0;
  struct rusage usage {};
  if (pid < 0 || ::wait4(pid, &status, 0, &usage) < 0) return result;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.max_rss_kib = usage.ru_maxrss;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return result;
}

int64_t peakRssKibOfSelf() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return 0;
}

double median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t middle = values.size() / 2;
  return values.size() % 2 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
}

int allThreads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const size_t colon = line.find(':');
    if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
  }
  return "unknown CPU";
}

std::string format(const char* pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

void requireKnownOptions(int argc, char** argv, std::initializer_list<std::string_view> names, const char* usage) {
  for (int index = 1; index < argc; index += 2) {
    const std::string_view name = argv[index];
    if (name == "--help") {
      std::fputs(usage, stdout);
      std::exit(0);
    }
    const bool known = std::find(names.begin(), names.end(), name) != names.end();
    if (!known || index + 1 >= argc) {
      std::fprintf(stderr, "%s: %s %s\n%s", argv[0], known ? "a value is missing after" : "unknown option",
                   std::string(name).c_str(), usage);
      std::exit(2);
    }
  }
}

}  // namespace regelwerk::bench
