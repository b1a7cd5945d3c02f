#!/usr/bin/env bash
# PostgreSQL in and out measured (bench/README.md, "APIs"): the dunning workload (gen_dunning, seed 42)
# through `regelwerk run` with a query in and a table out, against the same run over files, on a throwaway
# server (scripts/pg-scratch-server.sh). Prints a markdown table: records/s of each run (whole processes,
# medians of REPEATS), and COPY out / COPY in records/s derived from the differences to the file run.
# Usage: bench/bench_postgresql.sh BUILD_DIR [ROWS] [REPEATS]      (default 1,000,000 rows, 3 repeats)
set -euo pipefail
build=$(realpath "$1") rows=${2:-1000000} repeats=${3:-3}
source_dir=$(cd "$(dirname "$0")/.." && pwd)
regelwerk=$build/cli/regelwerk rules=$source_dir/examples/dunning/dunning.rules
source "$source_dir/scripts/pg-scratch-server.sh"
export PGOPTIONS="-c client_min_messages=warning"
pg_scratch_start "$build/bench/pg-scratch"
work=$pg_folder
"$build/bench/gen_dunning" "$rows" 42 >"$work/invoices.csv"
psql -c "CREATE TABLE invoices (id bigint, customer_type text, amount_cents bigint, paid_cents bigint,
  due_date date, last_notice_date date, dunning_level integer, disputed boolean)"

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); awk "BEGIN {print $end - $start}"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
measure() {  # measure NAME COMMAND...: the median seconds of REPEATS runs, each after dropping the target table
  local times=()
  for _ in $(seq "$repeats"); do
    psql -c "DROP TABLE IF EXISTS decisions" && rm -f "$work/out.csv"
    times+=("$(seconds "$@")")
  done
  median "${times[@]}"
}
load_invoices() {
  psql -c "TRUNCATE invoices" && psql -c "\\copy invoices FROM '$work/invoices.csv' WITH (FORMAT csv, HEADER true)"
}
load=$(measure load_invoices)
[ "$(psql -At -c "SELECT count(*) FROM invoices")" = "$rows" ] || { echo "the invoices did not load"; exit 1; }
file=$(measure "$regelwerk" run "$rules" --input "$work/invoices.csv" --output "$work/out.csv" --threads 1 --quiet)
query_in=$(measure "$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output "$work/out.csv" --threads 1 --quiet)
table_out=$(measure "$regelwerk" run "$rules" --input "$work/invoices.csv" --output-table decisions --threads 1 --quiet)
both=$(measure "$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output-table decisions --threads 1 --quiet)
[ "$(psql -At -c "SELECT count(*) FROM decisions")" = "$rows" ] || { echo "the decisions are not all there"; exit 1; }
rate() { awk "BEGIN {printf \"%.0f\", $rows / ($1)}"; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $rows rows; medians of $repeats; --threads 1; PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') (fsync off, Unix socket)"
echo
echo "| run (whole process) | seconds | records/s |"
echo "|---|--:|--:|"
printf '| psql \\copy of the input file into a table (PostgreSQL alone) | %.3f | %s |\n' "$load" "$(rate "$load")"
printf '| file in, file out | %.3f | %s |\n' "$file" "$(rate "$file")"
printf '| --input-query in, file out | %.3f | %s |\n' "$query_in" "$(rate "$query_in")"
printf '| file in, --output-table out | %.3f | %s |\n' "$table_out" "$(rate "$table_out")"
printf '| --input-query in, --output-table out | %.3f | %s |\n' "$both" "$(rate "$both")"
echo
printf 'COPY out (query to the run'"'"'s input): %s records/s; COPY in (output into the table): %s records/s\n' \
  "$(rate "($query_in - $file)")" "$(rate "($table_out - $file)")"
