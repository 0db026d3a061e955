"""Experiment (issue 12): who proves the cores, measured on the largest part of each seed.

For each national seed the largest part is solved by :func:`solver.engine.solve_part`
once per strategy, the strategies in turn (the order rotates from seed to seed, and
``--repeat`` runs the round again), so that a slower minute on this shared machine does
not fall on one strategy only:

- ``before``: HiGHS for a head start of 1.5 s, then SCIP with all its separators (the
  engine until 2026-12-04);
- ``auto-1.5``: the same, SCIP without the separators of
  :data:`solver.backends.SCIP_SEPARATION`;
- ``auto-0.3`` (the engine's default since), ``auto-0.6``: as ``auto-1.5`` with a head
  start of 0.3 or 0.6 s;
- ``scip``: every core to SCIP at once, without those separators;
- ``no-flow``, ``flow``: the engine's default without and with the min-cost flow over the
  children who come alone (:mod:`solver.singles`) in its start, whatever the part's size
  (by default only parts of 500,000 pairs or more get it).

Every strategy must reach the same optimum; the script stops with an error if one does
not. It prints the median wall time of each strategy per seed and, at the end, the
median and worst over the seeds.

Run: ``.venv/bin/python scripts/core_strategies.py --seeds 11 12 13 14 15 16 17 18 19 20``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence

from fixtures.generate import generate_national
from matching import Context, parse_scenario, score_all
from solver.backends import every_scip_separator
from solver.batch import Batch, build_batch
from solver.engine import EngineOptions, PartResult, solve_part


def _largest_part(seed: int) -> Batch:
    ctx = Context.of(parse_scenario(generate_national(seed, 1.0)))
    return build_batch(ctx, score_all(ctx)).largest_part()


def _before(part: Batch) -> PartResult:
    with every_scip_separator():
        return solve_part(part, float("inf"), EngineOptions(highs_first=1.5))


def _head_start(seconds: float) -> Callable[[Batch], PartResult]:
    return lambda part: solve_part(part, float("inf"), EngineOptions(highs_first=seconds))


STRATEGIES: dict[str, Callable[[Batch], PartResult]] = {
    "before": _before,
    "auto-1.5": _head_start(1.5),
    "auto-0.3": _head_start(0.3),
    "auto-0.6": _head_start(0.6),
    "scip": lambda part: solve_part(part, float("inf"), EngineOptions(core_backend="scip")),
    "no-flow": lambda part: solve_part(
        part, float("inf"), EngineOptions(singles_flow_min_pairs=2**62)
    ),
    "flow": lambda part: solve_part(part, float("inf"), EngineOptions(singles_flow_min_pairs=0)),
}


def _cores(result: PartResult) -> str:
    return "; ".join(str(v) for k, v in sorted(result.stats.items()) if k.startswith("mip_"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 14, 17])
    parser.add_argument("--repeat", type=int, default=1, help="rounds of all strategies")
    parser.add_argument("--cores", action="store_true", help="print each core's line")
    parser.add_argument(
        "--strategies", nargs="+", choices=list(STRATEGIES), default=list(STRATEGIES)
    )
    args = parser.parse_args(argv)
    names = list(args.strategies)
    print("| seed | " + " | ".join(f"{n} (s)" for n in names) + " |")
    print("|---|" + "---:|" * len(names))
    per_strategy: dict[str, list[float]] = {n: [] for n in names}
    for i, seed in enumerate(args.seeds):
        part = _largest_part(seed)
        walls: dict[str, list[float]] = {n: [] for n in names}
        values = set()
        for r in range(args.repeat):
            shift = (i + r) % len(names)
            for name in names[shift:] + names[:shift]:
                t = time.perf_counter()
                result = STRATEGIES[name](part)
                walls[name].append(time.perf_counter() - t)
                if not result.optimal:
                    raise SystemExit(f"seed {seed}: {name} did not prove its answer")
                values.add(result.value)
                if args.cores:
                    print(f"  {seed} {name}: {_cores(result)}", flush=True)
        if len(values) != 1:
            raise SystemExit(f"seed {seed}: the strategies disagree: {values}")
        medians = {n: statistics.median(walls[n]) for n in names}
        for n in names:
            per_strategy[n].append(medians[n])
        print(f"| {seed} | " + " | ".join(f"{medians[n]:.2f}" for n in names) + " |", flush=True)
    print(
        "| median | "
        + " | ".join(f"{statistics.median(per_strategy[n]):.2f}" for n in names)
        + " |"
    )
    print("| worst | " + " | ".join(f"{max(per_strategy[n]):.2f}" for n in names) + " |")


if __name__ == "__main__":
    main()
