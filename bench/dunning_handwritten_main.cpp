// `dunning_handwritten IN.csv OUT.csv [--threads N]`: the hand-written baseline as a program. Prints
// the CHECKSUM line of dunning.md on stdout and the time on stderr.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/dunning_handwritten.hpp"

namespace {

int usage() {
  std::fprintf(stderr, "usage: dunning_handwritten IN.csv OUT.csv [--threads N]   (N = 0: all cores, the default)\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) return usage();
  int threads = 0;
  if (argc == 5) {
    if (std::string(argv[3]) != "--threads") return usage();
    char* end = nullptr;
    threads = static_cast<int>(std::strtol(argv[4], &end, 10));
    if (*end != '\0' || threads < 0) return usage();
  }
  const regelwerk::dunning::HandwrittenRun run = regelwerk::dunning::runHandwritten(argv[1], argv[2], threads);
  if (!run.ok) {
    std::fprintf(stderr, "dunning_handwritten: %s\n", run.error.c_str());
    return 2;
  }
  std::printf("%s\n", run.checksum.line().c_str());
  std::fprintf(stderr, "%lld rows in %.3f s (%.0f records/s)\n", static_cast<long long>(run.checksum.rows), run.seconds,
               static_cast<double>(run.checksum.rows) / run.seconds);
  return 0;
}
