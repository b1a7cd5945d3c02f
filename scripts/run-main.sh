#!/usr/bin/env bash
# The main job: install, build (Release), generate 1,000,000 invoices and run the dunning example over
# them with the JIT on all cores, printing the outcome counts and the throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
bash scripts/install-deps.sh
NINJA_TARGETS="regelwerk gen_dunning" bash scripts/build.sh
mkdir -p build/data build/out
input=build/data/invoices-${rows}.csv
if [ ! -s "$input" ]; then
  ./build/bench/gen_dunning "$rows" 42 >"$input"
fi
./build/cli/regelwerk run examples/dunning/dunning.rules --input "$input" --output build/out/dunning-${rows}.csv
echo "output: build/out/dunning-${rows}.csv"
