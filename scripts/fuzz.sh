#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-19 into build-fuzz/ and runs one for a number of minutes.
#   bash scripts/fuzz.sh TARGET [MINUTES] [libFuzzer flags...]     TARGET: front_end | csv_reader | engines
# The corpus grows in build-fuzz/corpus/TARGET (kept between runs, never committed); crashes land in
# build-fuzz/artifacts/TARGET/. See tests/fuzz/README.md for triage and regressions.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh front_end|csv_reader|engines [MINUTES] [libFuzzer flags...]}
minutes=${2:-10}
shift $(($# < 2 ? $# : 2))
case "$target" in
  front_end) max_len=8192 ;;
  csv_reader | engines) max_len=4096 ;;
  *) echo "unknown target \`$target\`: front_end, csv_reader or engines" >&2; exit 2 ;;
esac

bash scripts/install-deps.sh
missing=()
for package in clang-19 lld-19 libclang-rt-19-dev libfuzzer-19-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; fi
  $sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
cmake -G Ninja -S . -B "$build_dir" -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=lld \
  -DREGELWERK_FUZZ=ON -DREGELWERK_TESTS=OFF >/dev/null
nice -n 10 ninja -C "$build_dir" "fuzz_$target"

# Seeds: the checked-in ones, every input that once failed, and the repository's own files.
corpus="$build_dir/corpus/$target"
seeds="$build_dir/seeds/$target"
mkdir -p "$corpus" "$seeds" "$build_dir/artifacts/$target"
cp tests/fuzz/seeds/"$target"/* tests/fuzz/regressions/"$target"/* "$seeds"/ 2>/dev/null || true
case "$target" in
  front_end)
    for folder in examples tests/golden stdlib-rules std; do if [ -d "$folder" ]; then find "$folder" -name '*.rules'; fi; done |
      while read -r file; do
      cp "$file" "$seeds/$(echo "$file" | tr / _)"
    done ;;
  csv_reader)
    find tests/golden/eval -name '*.csv' | while read -r file; do
      { printf '\x80'; tail -n +2 "$file"; } >"$seeds/$(echo "$file" | tr / _)"
    done ;;
  engines)
    # Byte 0 picks a rule file (tests/fuzz/fuzz_engines.cpp), byte 1 the batch size, the rest are rows.
    index=0
    for file in $(find tests/golden/eval -name '*.input.csv' | sort); do
      for pick in 0 1 2 3 4 5 6 7; do
        { printf "\\x0$pick\\x0$((index % 3))"; tail -n +2 "$file"; } >"$seeds/$pick-$(basename "$file")"
      done
      index=$((index + 1))
    done ;;
esac

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
dict=()
if [ -f "tests/fuzz/$target.dict" ]; then dict=("-dict=tests/fuzz/$target.dict"); fi
exec nice -n 10 "$build_dir/tests/fuzz/fuzz_$target" -max_total_time=$((minutes * 60)) -timeout=30 \
  -rss_limit_mb=4096 -max_len="$max_len" -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target/" \
  "${dict[@]}" "$@" "$corpus" "$seeds"
