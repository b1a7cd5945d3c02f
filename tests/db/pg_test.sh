#!/usr/bin/env bash
# PostgreSQL in and out against a real server that this script starts and stops (scripts/pg-scratch-server.sh:
# initdb into the scratch folder, a Unix socket there, no TCP). Checks: the dunning example from a query into
# a table equals the file run; rejects land in their table; a failed run leaves existing tables as they
# were; types that do not map and passwords on the command line are refused with a clear message.
# Usage: pg_test.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 source=$2 scratch=$3
regelwerk=$build/cli/regelwerk
rules=$source/examples/dunning/dunning.rules
source "$source/scripts/pg-scratch-server.sh"
pg_scratch_start "$scratch"
scratch=$pg_folder
fail() { echo "FAIL: $*"; exit 1; }
count() { psql -At -c "SELECT count(*) FROM $1"; }

# The invoices of the dunning example, as a file and as a table with SQL types.
printf '%s\n' 'id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed' >"$scratch/invoices.csv"
for i in $(seq 1 400); do
  printf '%d,%s,%d,%d,2026-%02d-%02d,%s,%d,%s\n' "$i" "$([ $((i % 3)) = 0 ] && echo business || echo consumer)" \
    $((500 + i * 997 % 200000)) $((i * 7 % 500)) $((6 + i % 5)) $((1 + i % 28)) \
    "$([ $((i % 4)) = 0 ] && printf '2026-%02d-%02d' $((7 + i % 4)) $((1 + i % 27)))" $((i % 5)) \
    "$([ $((i % 10)) = 0 ] && echo true || echo false)" >>"$scratch/invoices.csv"
done
psql -c "CREATE TABLE invoices (id bigint, customer_type text, amount_cents bigint, paid_cents integer,
  due_date date, last_notice_date date, dunning_level smallint, disputed boolean)"
psql -c "\\copy invoices FROM '$scratch/invoices.csv' WITH (FORMAT csv, HEADER true)"

# 1. A query in, a table out: the same rows as the file run.
(cd "$scratch" && "$regelwerk" run "$rules" --input invoices.csv --output expected.csv --quiet)
"$regelwerk" run "$rules" --input-query "SELECT * FROM invoices ORDER BY id;" --output-table decisions --quiet
psql -c "\\copy (SELECT * FROM decisions ORDER BY id) TO '$scratch/got.csv' WITH (FORMAT csv, HEADER true)"
cmp -s "$scratch/expected.csv" "$scratch/got.csv" || { diff "$scratch/expected.csv" "$scratch/got.csv" | head; fail "table differs from the file run"; }
[ "$(psql -At -c "SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'decisions'::regclass AND attname = 'fee'")" = numeric ] ||
  fail "money output is not numeric"

# 2. Rejects into a table; rows in = rows out + rejected. Two rows overflow the interest product.
psql -c "INSERT INTO invoices VALUES (9001, 'consumer', 4611686018427387904, 0, '2026-01-01', NULL, 0, false),
                                     (9002, 'business', 4611686018427387904, 0, '2026-01-01', NULL, 0, false)"
"$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output-table decisions2 --rejects-table rejected \
  --db "dbname=postgres" --quiet
[ "$(count decisions2)" = 400 ] && [ "$(count rejected)" = 2 ] || fail "rows out $(count decisions2), rejected $(count rejected)"
psql -At -c "SELECT reason FROM rejected LIMIT 1" | grep -q "overflow" || fail "the reject has no reason"

# 3. A failed run writes nothing: the same run without a rejects table stops at the first reject, and the
#    tables it would have appended to (one existing, one new) are as they were.
before=$(count decisions)
if "$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output-table decisions --quiet 2>"$scratch/err.txt"; then
  fail "a run with rejected rows and no rejects table succeeded"
fi
grep -q "overflow" "$scratch/err.txt" || fail "no reason: $(cat "$scratch/err.txt")"
[ "$(count decisions)" = "$before" ] || fail "decisions changed by a failed run"
psql -c "CREATE TABLE wrong_shape (line bigint)"
if "$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output-table decisions3 --rejects-table wrong_shape \
  --quiet 2>"$scratch/err.txt"; then fail "a rejects table without its columns was accepted"; fi
grep -q "has no column \`column\`" "$scratch/err.txt" || fail "$(cat "$scratch/err.txt")"
[ "$(psql -At -c "SELECT to_regclass('decisions3') IS NULL")" = t ] || fail "decisions3 was created by a failed run"

# 4. Types that do not map, named with the column and what to do; and no password on the command line.
if "$regelwerk" run "$rules" --input-query "SELECT id, customer_type, amount_cents::float8 AS amount_cents, paid_cents,
   due_date, last_notice_date, dunning_level, disputed FROM invoices" --output-table d4 --quiet 2>"$scratch/err.txt"; then
  fail "a float column for money was accepted"
fi
grep -q "amount_cents is double precision.*not exact" "$scratch/err.txt" || fail "$(cat "$scratch/err.txt")"
if "$regelwerk" run "$rules" --input-query "SELECT 1 AS id" --output-table d5 --quiet 2>"$scratch/err.txt"; then
  fail "a query without the columns was accepted"
fi
grep -q "no column \`customer_type\`" "$scratch/err.txt" || fail "$(cat "$scratch/err.txt")"
if "$regelwerk" run "$rules" --input-query "SELECT * FROM invoices" --output-table d6 --db "password=hunter2" --quiet \
  2>"$scratch/err.txt"; then fail "a password on the command line was accepted"; fi
grep -q "PGPASSWORD" "$scratch/err.txt" && ! grep -q hunter2 "$scratch/err.txt" || fail "$(cat "$scratch/err.txt")"

echo "PostgreSQL: query in, tables out, rejects, rollback, type and password checks passed"
