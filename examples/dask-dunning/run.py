"""The dunning rules over the generated invoice file, split into partitions and evaluated on a Dask cluster
(a distributed.LocalCluster of worker processes on this machine, or the scheduler given with --scheduler).

    PYTHONPATH=build/python /usr/bin/python3 examples/dask-dunning/run.py BUILD_DIR DATA_DIR \\
        [--rows 10000000] [--workers 2] [--scheduler tcp://host:8786]

Generates DATA_DIR/invoices.csv with bench's gen_dunning (seed 42) unless it is there with that many
rows, reads it with dd.read_csv in blocks of 64 MB, applies examples/dunning/dunning.rules to every
partition (regelwerk.dask.apply), writes the decisions to DATA_DIR/decisions/part-*.csv and the rejects
to DATA_DIR/rejects/part-*.csv, and prints rows in = rows out + rows rejected and records per second."""

import argparse
import os
import subprocess
import time

import dask
import dask.dataframe as dd
from distributed import Client, LocalCluster

from regelwerk.dask import apply


def invoices(build, data, rows):
    path = os.path.join(data, "invoices.csv")
    marker = os.path.join(data, f"invoices.{rows}.rows")
    if not (os.path.exists(path) and os.path.exists(marker)):
        os.makedirs(data, exist_ok=True)
        with open(path, "w") as out:
            subprocess.run([os.path.join(build, "bench", "gen_dunning"), str(rows), "42"], stdout=out, check=True)
        open(marker, "w").close()
    return path


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("data")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scheduler", default=None)
    options = parser.parse_args()
    rules = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dunning", "dunning.rules")
    path = invoices(options.build, options.data, options.rows)
    cluster = None if options.scheduler else LocalCluster(
        n_workers=options.workers, threads_per_worker=1, processes=True, dashboard_address=":0",
        local_directory=options.data)
    with Client(options.scheduler or cluster):
        start = time.perf_counter()
        frame = dd.read_csv(path, blocksize=64_000_000, parse_dates=["due_date", "last_notice_date"])
        outputs, rejects = apply(rules, frame, params={"as_of": "2026-11-21"})
        # One graph: every partition is read and evaluated once for its files and its counts.
        written, _, out_lengths, reject_lengths = dask.compute(
            outputs.to_csv(os.path.join(options.data, "decisions", "part-*.csv"), index=False, compute=False),
            rejects.to_csv(os.path.join(options.data, "rejects", "part-*.csv"), compute=False),
            outputs.map_partitions(len), rejects.map_partitions(len))
        seconds = time.perf_counter() - start
        rows_out, rows_rejected = int(out_lengths.sum()), int(reject_lengths.sum())
    if cluster:
        cluster.close()
    print(f"{frame.npartitions} partitions, {len(written)} decision files; rows in {options.rows:,} = "
          f"rows out {rows_out:,} + rows rejected {rows_rejected:,}")
    print(f"{options.rows / seconds:,.0f} records/s end to end ({seconds:.1f} s: read, evaluate, write)")
    if rows_out + rows_rejected != options.rows:
        raise SystemExit("the counts do not add up")


if __name__ == "__main__":
    main()
