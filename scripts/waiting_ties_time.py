"""What the waiting-time tie-break (:mod:`solver.waiting_ties`) costs on the national
fixture, and how many exchanges it makes: per seed, the proven optimum is found part by
part as ``solver.match`` finds it, then the tie-break is timed on it.

Run: ``.venv/bin/python scripts/waiting_ties_time.py [--seeds 11 17]``.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from fixtures.generate import generate_national
from matching import Context, parse_scenario, score_all
from solver.batch import build_batch
from solver.engine import solve_part
from solver.waiting_ties import longer_waiters_first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 17])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print("| seed | units | pairs | unplaced | tie-break | exchanges | objective kept |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for seed in args.seeds:
        ctx = Context.of(parse_scenario(generate_national(seed, args.scale)))
        problem = build_batch(ctx, score_all(ctx))
        parts = []
        for units, homes in problem.components():
            sub, index = problem.subproblem(units, homes)
            parts.append(index[solve_part(sub, float("inf"), None).chosen])
        chosen = np.sort(np.concatenate(parts))
        started = time.perf_counter()
        after = longer_waiters_first(ctx, problem, chosen)
        took = time.perf_counter() - started
        exchanges = len(set(chosen.tolist()) ^ set(after.tolist())) // 2
        kept = problem.value(after) == problem.value(chosen)
        print(
            f"| {seed} | {problem.n_units:,} | {problem.n_pairs:,} | "
            f"{problem.n_units - len(chosen):,} | {took * 1000:.1f} ms | {exchanges} | {kept} |"
        )


if __name__ == "__main__":
    main()
