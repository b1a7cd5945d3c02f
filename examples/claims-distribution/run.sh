#!/usr/bin/env bash
# Runs the proportional rule of examples/claims-distribution on the four estates that the R package
# ClaimsProblems documents (shared/data/claims-problems-insolvency/estates_from_package_examples.csv):
#   run.sh OUT_DIR [ENGINE_OPTIONS…]
# The data folder is $REGELWERK_DATA_DIR, else ../shared/data beside this checkout. ENGINE_OPTIONS go to
# every `regelwerk run` as they are (e.g. --engine interp --threads 1). The engine is $REGELWERK, else
# build/cli/regelwerk of this checkout.
#
# The package's files have no key column (a file is one claims problem), and a keyed input reads its key
# from a column, so each file is streamed to regelwerk with a first column `problem` added on the fly
# (awk, through a pipe): the file itself is read in place and left as it is; lines keep their numbers.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine=${REGELWERK:-$here/../../build/cli/regelwerk}
data=${REGELWERK_DATA_DIR:-$here/../../../shared/data}/claims-problems-insolvency

usage() {
  echo "usage: $0 OUT_DIR [ENGINE_OPTIONS…]" >&2
  echo "  reads \$REGELWERK_DATA_DIR/claims-problems-insolvency (default ../shared/data beside the checkout)," >&2
  echo "  OUT_DIR (must exist) receives one Estate and one Award/Allowance file per estate" >&2
  exit 2
}

if [[ $# -lt 1 || $1 == -* ]]; then usage; fi
out=$1
shift
options=("$@")
for file in Bankruptcy.csv Universityfunds.csv CO2emissions.csv; do
  if [[ ! -f $data/$file ]]; then
    echo "$0: $data/$file does not exist: set REGELWERK_DATA_DIR to the shared data folder" >&2
    exit 2
  fi
done
if [[ ! -d $out ]]; then
  echo "$0: OUT_DIR $out does not exist: create it first (mkdir -p '$out')" >&2
  exit 2
fi
if [[ ! -x $engine ]]; then
  echo "$0: no regelwerk binary at $engine: build it (scripts/build.sh) or set REGELWERK" >&2
  exit 2
fi

# The file with `problem,` before the header and `NAME,` before every other line.
keyed() { awk -v key="$1" 'NR == 1 { print "problem," $0; next } { print key "," $0 }' "$data/$2"; }

# RULES PROBLEM FILE INPUT ITEM_RECORD OUT_PREFIX [--param …]
one() {
  local rules=$1 problem=$2 file=$3 input=$4 record=$5 prefix=$6
  shift 6
  echo "== $prefix" >&2
  "$engine" run "$here/$rules" --input "$input="<(keyed "$problem" "$file") \
    --output "Estate=$out/${prefix}_estate.csv" --output "$record=$out/${prefix}_${record,,}s.csv" \
    "$@" ${options[@]+"${options[@]}"}
}

one bankruptcy.rules Bankruptcy Bankruptcy.csv Claim Award bankruptcy --param estate=230000000.00
one universityfunds.rules Universityfunds Universityfunds.csv Degree Award universityfunds --param estate=717293.11
one co2emissions.rules CO2emissions CO2emissions.csv Region Allowance co2_2015 --param estate_kt=31284288
one co2emissions.rules CO2emissions CO2emissions.csv Region Allowance co2_e0 --param estate_kt=33857455
