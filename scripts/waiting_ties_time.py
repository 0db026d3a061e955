"""What the waiting-time tie-break (:mod:`solver.waiting_ties`) costs on the national
fixture, and how many exchanges it makes: per seed, ``solver.match`` runs as it always
does, with its call of the tie-break timed.

Run: ``.venv/bin/python scripts/waiting_ties_time.py [--seeds 11 17]``.
"""

from __future__ import annotations

import argparse
import time
from typing import Any
from unittest import mock

from fixtures.generate import generate_national
from matching import Context, parse_scenario
from solver import match
from solver.waiting_ties import longer_waiters_first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 17])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print("| seed | units | pairs | unplaced | tie-break | exchanges | objective kept |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    seen: dict[str, Any] = {}

    def timed(ctx: Context, problem: Any, chosen: Any) -> Any:
        started = time.perf_counter()
        after = longer_waiters_first(ctx, problem, chosen)
        seen.update(problem=problem, chosen=chosen, after=after)
        seen["took"] = time.perf_counter() - started
        return after

    for seed in args.seeds:
        with mock.patch("solver.match.longer_waiters_first", timed):  # match's own call
            match(Context.of(parse_scenario(generate_national(seed, args.scale))))
        problem, chosen, after = seen["problem"], seen["chosen"], seen["after"]
        exchanges = len(set(chosen.tolist()) ^ set(after.tolist())) // 2
        kept = problem.value(after) == problem.value(chosen)
        print(
            f"| {seed} | {problem.n_units:,} | {problem.n_pairs:,} | "
            f"{problem.n_units - len(chosen):,} | {seen['took'] * 1000:.1f} ms | {exchanges} "
            f"| {kept} |"
        )


if __name__ == "__main__":
    main()
