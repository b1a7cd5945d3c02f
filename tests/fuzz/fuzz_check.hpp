// FUZZ_CHECK: the assertion of the fuzz harnesses. Unlike assert() it stays on in release builds, and it
// prints what broke before it aborts, so libFuzzer saves the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

#define FUZZ_CHECK(condition, message)                                                                     \
  do {                                                                                                     \
    if (!(condition)) {                                                                                    \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n%s\n", __FILE__, __LINE__, #condition,        \
                   std::string(message).c_str());                                                          \
      std::abort();                                                                                        \
    }                                                                                                      \
  } while (0)
