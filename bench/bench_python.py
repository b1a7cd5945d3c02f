"""The Python module and Dask measured (bench/README.md, "APIs"): the dunning workload of gen_dunning
(seed 42) evaluated from a pandas DataFrame, in ns per record, and through regelwerk.dask.apply on a
distributed.LocalCluster with one and with two worker processes, in records per second.

    PYTHONPATH=build/python /usr/bin/python3 bench/bench_python.py BUILD_DIR [--rows N] [--repeats R]

What is timed: `evaluate` from a DataFrame already in memory (conversion of its columns, the engine,
building the output DataFrame); for Dask, from dd.read_csv to the computed outputs and rejects (CSV
parsing by pandas on the workers, evaluation, collecting the results) — the cluster's start is not.
Scratch data goes to BUILD_DIR/bench/python-scratch and is removed at the end."""

import argparse
import os
import shutil
import statistics
import subprocess
import time

import dask
import dask.dataframe as dd
import pandas as pd
from distributed import Client, LocalCluster

import regelwerk
from regelwerk.dask import apply


def cpu_model():
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


def timed(repeats, run):
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("build")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    source = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rules_path = os.path.join(source, "examples", "dunning", "dunning.rules")
    scratch = os.path.join(options.build, "bench", "python-scratch")
    os.makedirs(scratch, exist_ok=True)
    csv = os.path.join(scratch, "invoices.csv")
    with open(csv, "w") as out:
        subprocess.run([os.path.join(options.build, "bench", "gen_dunning"), str(options.rows), "42"], stdout=out, check=True)
    rows = options.rows
    rules = regelwerk.load(rules_path)

    as_text = pd.read_csv(csv, dtype=str, keep_default_na=False)
    as_read = pd.read_csv(csv, keep_default_na=False, dtype={"due_date": str, "last_notice_date": str})
    typed = pd.read_csv(csv, parse_dates=["due_date", "last_notice_date"])
    typed["customer_type"] = typed["customer_type"].astype("category")
    cases = [("every column as str (read_csv dtype=str)", as_text, "text"),
             ("read_csv's integer and bool columns, dates as str", as_read, "units"),
             ("typed: integers, bool, dates as datetime64, customer_type as category", typed, "units")]
    print(f"CPU: {cpu_model()}; {rows} rows (gen_dunning seed 42); medians of {options.repeats}\n")
    print("| pandas DataFrame in memory → RuleSet.evaluate, JIT, 1 thread | values= | ns/record |")
    print("|---|---|--:|")
    for label, frame, values in cases:
        seconds = timed(options.repeats, lambda: rules.evaluate(frame, values=values))
        print(f"| {label} | {values} | {seconds * 1e9 / rows:.0f} |")

    print("\n| regelwerk.dask.apply (values=\"units\"), dd.read_csv(blocksize=16 MB, parse_dates) → computed outputs "
          "and rejects | records/s |")
    print("|---|--:|")
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                          local_directory=scratch) as cluster, Client(cluster):
            def job():
                frame = dd.read_csv(csv, blocksize=16_000_000, parse_dates=["due_date", "last_notice_date"])
                outputs, rejects = apply(rules_path, frame)
                outputs, rejects = dask.compute(outputs, rejects)
                assert len(outputs) + len(rejects) == rows, (len(outputs), len(rejects))
            job()  # warms the workers: each compiles the rule set once
            seconds = timed(max(1, options.repeats // 2), job)
        print(f"| {workers} worker process{'es' if workers > 1 else ''} | {rows / seconds:,.0f} |")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
