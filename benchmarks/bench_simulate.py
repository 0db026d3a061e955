"""Benchmark: ``dichtbij simulate`` on Regio Foodvalley, in this process and on a local Dask
cluster of two worker processes, and how the cost grows with the number of runs.

Each run is one simulated year (365 days) of the region fixture under each policy given
(default ``fcfs`` and ``batch-daily``, the cheapest and the dearest). For each number of
runs the whole simulation (Dask tasks, gathering, aggregation) is timed ``--repeats``
times in each mode and the median printed, with the ratio to the in-process median of
the same number of runs (measured in this same invocation). The cluster is started once
(its start-up is printed apart) and both modes must return the same JSON, byte for byte.

Run: ``.venv/bin/python benchmarks/bench_simulate.py`` (5, 10 and 20 runs, three repeats,
a few minutes on a 2-core machine), ``--runs 100 --repeats 1`` for a hundred years.
Prints a Markdown table (the one in docs/simulation.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from distributed import LocalCluster

from matching import load_scenario
from solver.simulation import build_world, simulate_run, simulate_world

REGION = Path(__file__).resolve().parents[1] / "fixtures" / "region-foodvalley.json"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", default="5,10,20", help="numbers of runs, comma-separated")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--policies", default="fcfs,batch-daily")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    runs_list = [int(x) for x in args.runs.split(",")]
    policies = args.policies.split(",")

    print(f"# Simulation benchmark ({date.today().isoformat()})\n")
    print(
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average before: {_load()}.\n"
    )
    t0 = time.perf_counter()
    scenario = load_scenario(REGION.read_text("utf-8"))
    world = build_world(scenario)
    prepare = time.perf_counter() - t0
    single = {}
    for policy in policies:
        times = []
        for r in range(args.repeats):
            t = time.perf_counter()
            simulate_run(world, policy, args.days, args.seed, r)
            times.append(time.perf_counter() - t)
        single[policy] = statistics.median(times)
    per_run = ", ".join(f"{p} {single[p]:.2f} s" for p in policies)
    print(
        f"Regio Foodvalley, {args.days} days a run, policies {', '.join(policies)}; "
        f"scenario loaded and prepared once in {prepare:.2f} s; one run alone (median of "
        f"{args.repeats}): {per_run}.\n"
    )

    t = time.perf_counter()
    # distributed carries no annotations (solver.simulation.execute relaxes the same check).
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )
    startup = time.perf_counter() - t
    rows = []
    try:
        for runs in runs_list:
            here, there = [], []
            docs = set()
            for _ in range(args.repeats):
                t = time.perf_counter()
                doc = simulate_world(world, args.days, runs, args.seed, policies)
                here.append(time.perf_counter() - t)
                docs.add(json.dumps(doc))
                t = time.perf_counter()
                doc = simulate_world(
                    world, args.days, runs, args.seed, policies, cluster.scheduler_address
                )
                there.append(time.perf_counter() - t)
                docs.add(json.dumps(doc))
            if len(docs) != 1:
                raise SystemExit(f"{runs} runs: the answers differ between modes or repeats")
            a, b = statistics.median(here), statistics.median(there)
            tasks = runs * len(policies)
            rows.append(
                f"| {runs} | {tasks} | {a:.1f} | {b:.1f} | {b / a:.2f} | "
                f"{a / runs:.2f} | {b / runs:.2f} |"
            )
    finally:
        cluster.close()
    print(f"Local cluster (2 worker processes, 1 thread each) started in {startup:.1f} s.\n")
    print(
        "| runs | tasks | in-process s | local cluster s | cluster / in-process | "
        "in-process s per run | cluster s per run |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(
        f"\nMedians of {args.repeats}; every answer identical in both modes. "
        f"Load average after: {_load()}."
    )


if __name__ == "__main__":
    main()
