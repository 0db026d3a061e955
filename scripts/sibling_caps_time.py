"""The sibling caps on national seeds: how many children are placed apart, how many caps
the batch gets, the optimum, and the match time in one process (median of three).

Run on two checkouts to compare (docs/solver.md, "What an answer obeys"):
``.venv/bin/python scripts/sibling_caps_time.py 11 17``; on a commit before the caps the
``caps`` column reads ``n/a``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from fixtures.generate import dumps_scenario, generate_national
from matching import Context, parse_scenario, score_all
from solver import match
from solver.batch import build_batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds", nargs="+", type=int)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print("| seed | placed apart | caps | placed | points | status | match s (median) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for seed in args.seeds:
        doc = json.loads(dumps_scenario(generate_national(seed)))
        times = []
        for _ in range(args.repeat):
            ctx = Context.of(parse_scenario(doc))
            t0 = time.perf_counter()
            result = match(ctx)
            times.append(time.perf_counter() - t0)
        ctx = Context.of(parse_scenario(doc))
        batch = build_batch(ctx, score_all(ctx))
        apart = sum(1 for u in ctx.units if u.split_from_siblings)
        caps = getattr(batch, "n_caps", "n/a")
        print(
            f"| {seed} | {apart} | {caps} | {result.placed} | {result.total_score} | "
            f"{result.status.value} | {statistics.median(times):.2f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
