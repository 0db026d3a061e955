"""Experiment (issue 12): the engine's cores raced (HiGHS and SCIP at once) or in sequence.

For each national seed, the largest part is solved twice by :func:`solver.engine.solve_part`,
alternating: with the race (``EngineOptions()``, :mod:`solver.race`) and without it
(``race_min_pairs=None``: HiGHS for its head start, then SCIP from HiGHS' best solution).
It prints the wall time of the part, the CPU time of this process and of the SCIP
worker, and which solver proved each core. Both runs must reach the same optimum; the
script stops with an error if they do not.

Run: ``.venv/bin/python scripts/race_compare.py --seeds 11 12 13 14 15 16 17 18 19 20``.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Sequence

from fixtures.generate import generate_national
from matching import Context, parse_scenario, score_all
from solver.batch import Batch, build_batch
from solver.engine import EngineOptions, PartResult, solve_part


def _largest_part(seed: int) -> Batch:
    ctx = Context.of(parse_scenario(generate_national(seed, 1.0)))
    problem = build_batch(ctx, score_all(ctx))
    units, homes = max(problem.components(), key=lambda part: len(part[0]))
    part, _ = problem.subproblem(units, homes)
    return part


def _children_cpu() -> float:
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def _run(part: Batch, opts: EngineOptions) -> tuple[float, float, float, PartResult]:
    t, c, k = time.perf_counter(), time.process_time(), _children_cpu()
    result = solve_part(part, float("inf"), opts)
    return time.perf_counter() - t, time.process_time() - c, _children_cpu() - k, result


def _cores(result: PartResult) -> str:
    return "; ".join(str(v) for k, v in sorted(result.stats.items()) if k.startswith("mip_"))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 14, 17])
    args = parser.parse_args(argv)
    print(
        "| seed | in sequence (s) | raced (s) | raced / sequence | raced CPU here + worker (s)"
        " | cores in sequence | cores raced |"
    )
    print("|---|---:|---:|---:|---:|---|---|")
    ratios = []
    for seed in args.seeds:
        part = _largest_part(seed)
        wall_s, _, _, alone = _run(part, EngineOptions(race_min_pairs=None))
        wall_r, cpu_r, kids_r, raced = _run(part, EngineOptions())
        if alone.value != raced.value or not (alone.optimal and raced.optimal):
            raise SystemExit(f"seed {seed}: {alone.value} alone, {raced.value} raced")
        ratios.append(wall_r / wall_s)
        print(
            f"| {seed} | {wall_s:.2f} | {wall_r:.2f} | {wall_r / wall_s:.2f} |"
            f" {cpu_r:.1f} + {kids_r:.1f} | {_cores(alone)} | {_cores(raced)} |",
            flush=True,
        )
    print(
        f"\nraced / in sequence: median {statistics.median(ratios):.2f}, "
        f"lowest {min(ratios):.2f}, highest {max(ratios):.2f}"
    )


if __name__ == "__main__":
    main()
