#!/usr/bin/env bash
# Installs the build into a scratch prefix and builds examples/embedding, an outside project, against it:
# with find_package(regelwerk CONFIG REQUIRED) (the C++ and the C program) and with pkg-config (C++ and C).
# Each evaluates the dunning example in memory; its output must equal the installed command's output on the
# same invoices, and the standard library the C++ program uses must be the installed copy (with its
# base-rate table), not the source tree's.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR SCRATCH_DIR
set -euo pipefail
build=$1 source=$2 scratch=$3
rm -rf "$scratch" && mkdir -p "$scratch"
scratch=$(realpath "$scratch")
prefix=$scratch/prefix
cmake --install "$build" --prefix "$prefix" >"$scratch/install.log"

libdir=$(dirname "$(find "$prefix" -name 'libregelwerk.so' | head -1)")
test -f "$prefix/include/regelwerk/regelwerk.hpp"
test -f "$prefix/share/regelwerk/stdlib-rules/std/interest.rules"
test -f "$prefix/share/regelwerk/stdlib-rules/std/data/basiszinssatz_247_bgb.csv"
test -x "$prefix/bin/regelwerk"
# The public header is self-contained: it compiles alone, with nothing of the source tree on the path.
echo '#include <regelwerk/regelwerk.hpp>' | c++ -std=c++17 -fsyntax-only -I"$prefix/include" -x c++ -

# The C header too, as C99 with every warning.
echo '#include <regelwerk/regelwerk.h>' | cc -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only -I"$prefix/include" -x c -

examples=$source/examples/embedding
cmake -S "$examples" -B "$scratch/consumer-build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$scratch/consumer-configure.log"
cmake --build "$scratch/consumer-build" >"$scratch/consumer-build.log"
pc_flags=$(PKG_CONFIG_PATH=$libdir/pkgconfig pkg-config --cflags --libs regelwerk)
c++ -o "$scratch/consumer-pc" "$examples/dunning_in_memory.cpp" $pc_flags
cc -std=c99 -Wall -Wextra -pedantic -Werror -o "$scratch/consumer-c-pc" "$examples/dunning_in_memory.c" \
  -I"$prefix/include" -L"$libdir" -lregelwerk -Wl,-rpath,"$libdir"

printf '%s\n' 'id,customer_type,amount_cents,paid_cents,due_date,last_notice_date,dunning_level,disputed' \
  '1,consumer,12000,0,2026-09-04,,0,false' '2,business,250000,1000,2026-07-16,2026-09-04,1,false' \
  '3,business,9900,9900,2026-11-03,,0,false' >"$scratch/invoices.csv"
(cd "$scratch" && REGELWERK_STDLIB= "$prefix/bin/regelwerk" run "$source/examples/dunning/dunning.rules" \
  --input invoices.csv --output expected.csv --quiet)

# The installed command finds its whole-rule-set checks (a module beside it, not on the library path).
"$prefix/bin/regelwerk" check "$source/tests/golden/check/findings/shadowed.rules" 2>"$scratch/check.txt" ||
  { echo "FAIL: the installed regelwerk check:"; cat "$scratch/check.txt"; exit 1; }
grep -q 'warning\[W0402\]: rule `narrow` is shadowed' "$scratch/check.txt" ||
  { echo "FAIL: the installed regelwerk check found no W0402:"; cat "$scratch/check.txt"; exit 1; }

for consumer in "$scratch/consumer-build/dunning_in_memory" "$scratch/consumer-pc" \
  "$scratch/consumer-build/dunning_in_memory_c" "$scratch/consumer-c-pc"; do
  env -u REGELWERK_STDLIB -u REGELWERK_DATA_DIR "$consumer" "$source/examples/dunning/dunning.rules" >"$scratch/out.txt"
  grep -v '^file \|^version ' "$scratch/out.txt" >"$scratch/got.csv"
  if ! cmp -s "$scratch/got.csv" "$scratch/expected.csv"; then
    echo "FAIL: $consumer's in-memory output differs from the command's:"; diff "$scratch/expected.csv" "$scratch/got.csv"; exit 1
  fi
  [[ $consumer == *-c* || $consumer == *_c ]] && continue  # the C programs do not list files
  grep -qx "file $prefix/share/regelwerk/stdlib-rules/std/interest.rules" "$scratch/out.txt" ||
    { echo "FAIL: std.interest was not read from the installed stdlib:"; cat "$scratch/out.txt"; exit 1; }
  grep -qx "file $prefix/share/regelwerk/stdlib-rules/std/data/basiszinssatz_247_bgb.csv" "$scratch/out.txt" ||
    { echo "FAIL: the base-rate table was not read from the installed stdlib:"; cat "$scratch/out.txt"; exit 1; }
done
# The Python module, where it was built: importable from the prefix with the documented PYTHONPATH.
if [ -d "$libdir/python3/dist-packages/regelwerk" ]; then
  PYTHONPATH=$libdir/python3/dist-packages /usr/bin/python3 -c "
import regelwerk
rules = regelwerk.load('$source/examples/dunning/dunning.rules')
result = rules.evaluate({'id': [1], 'customer_type': ['consumer'], 'amount_cents': [12000], 'paid_cents': [0],
                         'due_date': ['2026-09-04'], 'last_notice_date': [''], 'dunning_level': [0], 'disputed': [False]},
                        values='text')
assert result.outputs.to_csv(index=False, lineterminator='\\n').splitlines()[1] == '1,reminder,1,0,161', result.outputs
assert regelwerk.__file__.startswith('$prefix'), regelwerk.__file__
" || { echo "FAIL: the installed Python module"; exit 1; }
fi
echo "installed into $prefix; the C++ and C programs (CMake and pkg-config) equal the command on $(($(wc -l <"$scratch/expected.csv") - 1)) invoices"
