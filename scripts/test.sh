#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest; then builds it again with
# AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/) and runs it there too
# (scripts/test-sanitizers.sh; set REGELWERK_SKIP_SANITIZERS=1 to skip that second pass locally).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
CMAKE_ARGS="-DREGELWERK_WERROR=ON ${CMAKE_ARGS:-}" bash scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j2 --timeout 600)
if [ "${REGELWERK_SKIP_SANITIZERS:-0}" != 1 ]; then
  bash scripts/test-sanitizers.sh
fi
