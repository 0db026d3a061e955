"""Benchmark: the planning answers (frontier, capacity) on the region and national fixtures.

Prints a Markdown table (the one committed in docs/planning.md): per fixture and job the
wall time (median of ``--repeats`` runs for the region; one run nationally, which takes
minutes on a shared machine), its ratio to the plain batch match measured in the same
run (the baseline), whether every stage was proven, and what the answer says.

Run: ``.venv/bin/python benchmarks/bench_planning.py`` (region and national, capacity
for 10 and 50 beds and frontier K=5, each national job bounded by ``--time-limit``), or
``--fixtures region`` for the quick part.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from fixtures.generate import generate_national, generate_region
from matching import Context, parse_scenario
from solver import match
from solver.planning import capacity, match_with_frontier

T = TypeVar("T")


def _timed(job: Callable[[], T], repeats: int) -> tuple[float, T]:
    """The median wall time of ``repeats`` runs of ``job`` (at least one) and its last answer."""
    times: list[float] = []
    while True:
        t = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - t)
        if len(times) >= repeats:
            return statistics.median(times), result


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fixtures", default="region,national")
    ap.add_argument("--repeats", type=int, default=3, help="region runs per job (median)")
    ap.add_argument("--time-limit", type=float, default=300.0, help="seconds per national job")
    ap.add_argument("--beds", default="10,50")
    ap.add_argument("--frontier", type=int, default=5)
    args = ap.parse_args()
    beds = [int(b) for b in args.beds.split(",")]
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores "
        f"(shared), Python {platform.python_version()}; K={args.frontier}, "
        f"time limit {args.time_limit:g} s per national job.\n"
    )
    print(
        _row(["fixture", "job", "wall s", "x match", "proven", "answer"])
        + "\n"
        + _row(["---", "---", "---:", "---:", "---", "---"])
    )
    for name in args.fixtures.split(","):
        doc = generate_region() if name == "region" else generate_national()
        ctx = Context.of(parse_scenario(doc))
        repeats = args.repeats if name == "region" else 1
        limit = None if name == "region" else args.time_limit
        t_match, base = _timed(partial(match, ctx), repeats)
        print(
            _row(
                [
                    name,
                    "match (baseline)",
                    f"{t_match:.2f}",
                    "1.0",
                    "yes" if base.status.value == "optimal" else "no",
                    f"{base.placed} placed, {base.placed_crisis} crisis",
                ]
            ),
            flush=True,
        )
        t, (_, front, _) = _timed(partial(match_with_frontier, ctx, args.frontier, limit), repeats)
        assert front is not None
        proven = sum(p.status == "optimal" for p in front.points)
        low, top = front.points[0], front.points[-1]
        print(
            _row(
                [
                    name,
                    f"match --frontier {args.frontier}",
                    f"{t:.2f}",
                    f"{t / t_match:.1f}",
                    f"{proven}/{len(front.points)} points",
                    f"{low.placed}..{top.placed} placed: median km {low.distance_median_km}"
                    f" -> {top.distance_median_km}, mean km {low.distance_mean_km} -> "
                    f"{top.distance_mean_km}",
                ]
            ),
            flush=True,
        )
        for n in beds:
            t, plan = _timed(
                partial(capacity, ctx, n, time_limit=limit, baseline=base),
                repeats,
            )
            print(
                _row(
                    [
                        name,
                        f"capacity --beds {n}",
                        f"{t:.2f}",
                        f"{t / t_match:.1f}",
                        "yes" if plan.optimal else "no",
                        f"+{plan.extra_placed} placed (+{plan.extra_crisis} crisis) with "
                        f"{sum(b.extra_beds for b in plan.plan)} beds in {len(plan.plan)} homes; "
                        f"verified {plan.verified.placed}; {len(plan.recruitment)} recruitment "
                        "profiles",
                    ]
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
