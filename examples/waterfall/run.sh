#!/usr/bin/env bash
# Runs examples/waterfall/waterfall.rules (shared/bench/groups.md, workload "waterfall") on a data folder:
#   run.sh DATA_DIR OUT_DIR [ENGINE_OPTIONS…]
# reads DATA_DIR/estates.csv and DATA_DIR/claims.csv, writes OUT_DIR/payouts.csv and OUT_DIR/estate_totals.csv;
# ENGINE_OPTIONS go to `regelwerk run` as they are (e.g. --engine interp --threads 1). The engine is
# $REGELWERK, else build/cli/regelwerk of this checkout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
engine=${REGELWERK:-$here/../../build/cli/regelwerk}

usage() {
  echo "usage: $0 DATA_DIR OUT_DIR [ENGINE_OPTIONS…]" >&2
  echo "  DATA_DIR holds estates.csv and claims.csv (bench/gen_groups waterfall N K SEED DATA_DIR)," >&2
  echo "  OUT_DIR (must exist) receives payouts.csv and estate_totals.csv" >&2
  exit 2
}

if [[ $# -lt 2 || $1 == -* || $2 == -* ]]; then usage; fi
data=$1
out=$2
shift 2
for file in estates.csv claims.csv; do
  if [[ ! -f $data/$file ]]; then
    echo "$0: $data/$file does not exist: DATA_DIR must hold estates.csv and claims.csv" >&2
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

exec "$engine" run "$here/waterfall.rules" \
  --input "Estate=$data/estates.csv" --input "Claim=$data/claims.csv" \
  --output "Payout=$out/payouts.csv" --output "Totals=$out/estate_totals.csv" "$@"
