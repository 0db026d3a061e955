"""Benchmark: the municipality audit (``matching.audit.audit``) as the placements grow.

Synthetic placement and waiting facts (seeded) for one municipality over a period of
``--months`` months, at ``--sizes`` placements (the waiting list a fifth of that); each
size is timed ``--repeat`` times and the median printed, with the ratio to the first size
measured in the same run: the audit must grow linearly in the facts (twice the facts,
about twice the time). Prints a Markdown table.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_audit.py [--sizes 5000,10000,20000,40000]
        [--months 60] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import date, timedelta

from timing import median_time

from matching.audit import EndReason, Outcome, PlacementFact, WaitingFact, audit
from matching.model import HomeType, SplitReason

__all__ = ["main"]

MUNICIPALITY = "0228"


def _outcome(rng: random.Random) -> Outcome:
    return Outcome(
        home_type=rng.choice(list(HomeType)),
        distance_km=rng.expovariate(1 / 15),
        same_municipality=rng.random() < 0.4,
        keeps_school=rng.choice([True, False, None]),
        together=rng.choice([True, False, None]),
    )


def facts(
    n: int, start: date, end: date, seed: int = 7
) -> tuple[list[PlacementFact], list[WaitingFact]]:
    """``n`` placements started in the period (about one in three in a sibling group, one
    in ten ended by a breakdown) and ``n // 5`` waiting children."""
    rng = random.Random(seed)
    days = (end - start).days
    placements = []
    for i in range(n):
        started = start + timedelta(days=rng.randrange(days + 1))
        group = f"g{i // 3}" if rng.random() < 0.3 else None
        ended = started + timedelta(days=rng.randrange(30, 400)) if rng.random() < 0.3 else None
        placements.append(
            PlacementFact(
                ref=f"c{i}",
                municipality=MUNICIPALITY,
                start_date=started,
                actual=_outcome(rng),
                engine=_outcome(rng) if rng.random() < 0.7 else None,
                sibling_group=group,
                together=rng.random() < 0.7 if group else None,
                split_reason=rng.choice([None, *SplitReason]) if group else None,
                end_date=ended,
                end_reason=rng.choice(list(EndReason)) if ended else None,
            )
        )
    waiting = [
        WaitingFact(
            ref=f"w{i}",
            municipality=MUNICIPALITY,
            waiting_since=start + timedelta(days=rng.randrange(days + 1)),
            age=rng.randrange(0, 19),
            care_level=rng.randrange(0, 4),
            sibling_group_size=rng.randrange(1, 5),
        )
        for i in range(n // 5)
    ]
    return placements, waiting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,10000,20000,40000")
    parser.add_argument("--months", type=int, default=60, help="length of the period")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = date(2021, 1, 1)
    end = date(2021 + args.months // 12, 1 + args.months % 12, 1) - timedelta(days=1)
    print(f"# Audit benchmark, one municipality, {start} to {end}\n")
    print("| placements | waiting | median (s) | ratio to first | ratio of sizes | runs (s) |")
    print("|---:|---:|---:|---:|---:|---|")
    first: tuple[int, float] | None = None
    for n in (int(s) for s in args.sizes.split(",")):
        placements, waiting = facts(n, start, end)

        def run(p: list[PlacementFact] = placements, w: list[WaitingFact] = waiting) -> object:
            return audit(p, w, [MUNICIPALITY], start, end)

        median, runs = median_time(run, args.repeat)
        first = first or (n, median)
        print(
            f"| {n} | {len(waiting)} | {median:.3f} | {median / first[1]:.1f}x | "
            f"{n / first[0]:.0f}x | {', '.join(f'{t:.3f}' for t in runs)} |",
            flush=True,
        )
    print(f"\nLoad average after: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
