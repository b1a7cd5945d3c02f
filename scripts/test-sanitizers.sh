#!/usr/bin/env bash
# Builds regelwerk with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/ and runs the whole
# test suite there (docs/reliability.md, "Sanitizers"). Debug at -O1 with line tables: assertions stay
# on, reports have file:line, and the build and the run stay a few minutes on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=${ASAN_BUILD_DIR:-build-asan}
# No -Werror here: the normal build enforces warnings, and GCC 12 with -fsanitize=address reports
# -Wmaybe-uninitialized false positives inside std::regex and std::function.
# shellcheck disable=SC2086  # CMAKE_ARGS is a list of words on purpose
cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DREGELWERK_WERROR=OFF -DREGELWERK_SANITIZE=address,undefined ${CMAKE_ARGS:-} >/dev/null
ninja -C "$build_dir"
# Leaks are checked (LeakSanitizer works with the uninstrumented libLLVM and ANTLR runtime); the one
# known leak inside Debian's ANTLR 4.9 runtime is suppressed, see tests/fuzz/lsan.supp.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build_dir"
ctest --output-on-failure -j2 --timeout 900
