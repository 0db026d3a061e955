"""Benchmark of the planning answers a municipality asks for: its own area against the
whole database (every waiting child and candidate home), in the same run.

Loads the bundled demo into a fresh SQLite database and times, per answer, the service
functions behind ``/v1/planning/*`` for Ede's area (``api.services.planning``) and the
same solver calls on the whole scenario (the baseline: what planning without the area
restriction would cost). Prints the scenario sizes, medians over ``--repeat`` runs and the
ratio whole / area.

    .venv/bin/python benchmarks/bench_planning_area.py [--repeat 3] [--municipality 0228]

With ``--national`` it times, once each and in memory (no database), building the area
of ``--municipality`` from the national fixture (``generate_national(seed=11)``), the
plan for 5 extra beds and the frontier with K=5 on it (docs/planning.md, "On the national
fixture"), each with a time limit of ``--time-limit`` seconds (120 unless told):

    .venv/bin/python benchmarks/bench_planning_area.py --national --municipality 0599

``--municipality all`` takes the whole national fixture; ``--only capacity|frontier``
times that step alone, ``--repeat`` times (the median and every run; the frontier's own
time apart from the match before it, since each has the time limit):

    .venv/bin/python benchmarks/bench_planning_area.py --national --municipality all \
        --only frontier --repeat 3 --time-limit 60
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from timing import median_time  # the script's folder is on sys.path

from api.clock import SystemClock, local_date
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.services.live import waiting_scenario
from api.services.planning import area_of, area_scenario
from api.services.seed import seed_demo
from matching import Context, Scenario
from matching.policy import Policy
from solver.planning import capacity, match_with_frontier
from solver.simulation import simulate

T = TypeVar("T")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--municipality", default="0228")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--only", choices=["capacity", "frontier"])
    args = parser.parse_args()
    if args.national:
        if args.only:
            national_step(args.municipality, args.only, args.time_limit, args.repeat)
        else:
            national(args.municipality, args.time_limit)
        return
    folder = Path(tempfile.mkdtemp())
    engine = make_engine(f"sqlite:///{folder / 'bench.sqlite3'}")
    migrate(engine)
    uow = UnitOfWork(engine)
    now = SystemClock().now()
    seed_demo(uow, now)
    today, policy = local_date(now), Policy()
    with uow.read() as tx:
        whole = waiting_scenario(tx, None, today, policy)
    area = area_scenario(uow, args.municipality, today, policy)

    def answers(sc: Scenario) -> dict[str, Callable[[], object]]:
        return {
            "capacity, 3 beds": lambda: capacity(Context.of(sc), 3, time_limit=20),
            "frontier, K=3": lambda: match_with_frontier(Context.of(sc), 3, 20),
            "simulation, 90 days x 3 runs x 2 policies": lambda: simulate(
                sc, 90, 3, 1, ["practice", "batch-weekly"]
            ),
        }

    print(f"area {args.municipality}: {len(area.children)} children, {len(area.homes)} homes")
    print(f"whole database: {len(whole.children)} children, {len(whole.homes)} homes")
    print(f"{'answer':<44} {'area s':>8} {'whole s':>8} {'whole/area':>10}")
    mine, all_ = answers(area), answers(whole)
    for name in mine:
        a, _ = median_time(mine[name], args.repeat)
        w, _ = median_time(all_[name], args.repeat)
        print(f"{name:<44} {a:>8.2f} {w:>8.2f} {w / a:>10.1f}")


def national(code: str, time_limit: float) -> None:
    """The area of ``code`` in the national fixture, in memory: one run of each step."""
    from fixtures.generate import generate_national
    from matching import parse_scenario

    whole = parse_scenario(generate_national(seed=11))
    made, area = _once(lambda: area_of(whole, code))
    print(f"area {code}: {len(area.children)} children, {len(area.homes)} homes")
    print(f"{'step':<24} {'s':>8}")
    print(f"{'build the area':<24} {made:>8.2f}")
    t, plan = _once(lambda: capacity(Context.of(area), 5, time_limit=time_limit))
    proven = "optimal" if plan.optimal else "feasible"
    print(f"{'capacity, 5 beds':<24} {t:>8.2f}  {proven}, +{plan.extra_placed} placed")
    t, _ = _once(lambda: match_with_frontier(Context.of(area), 5, time_limit))
    print(f"{'frontier, K=5':<24} {t:>8.2f}")


def national_step(code: str, step: str, time_limit: float, repeat: int) -> None:
    """One step on the area of ``code`` (``all``: the whole national fixture), ``repeat``
    times: its wall time, and for the frontier its own time and its points' statuses."""
    from fixtures.generate import generate_national
    from matching import parse_scenario

    whole = parse_scenario(generate_national(seed=11))
    area = whole if code == "all" else area_of(whole, code)
    print(f"area {code}: {len(area.children)} children, {len(area.homes)} homes")
    walls: list[float] = []
    for _ in range(repeat):
        if step == "capacity":
            t, plan = _once(lambda: capacity(Context.of(area), 5, time_limit=time_limit))
            status = plan.status.value
        else:
            t, (_, front, _) = _once(lambda: match_with_frontier(Context.of(area), 5, time_limit))
            assert front is not None
            statuses = [p.status for p in front.points]
            status = f"frontier {front.wall_time_s:.2f} s, " + ", ".join(
                f"{statuses.count(s)} {s}" for s in dict.fromkeys(statuses)
            )
        walls.append(t)
        print(f"{step}, K/beds=5, limit {time_limit:g} s: {t:.2f} s ({status})", flush=True)
    runs = ", ".join(f"{w:.2f}" for w in walls)
    print(f"median {statistics.median(walls):.2f} s ({runs})")


def _once(job: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = job()
    return time.perf_counter() - start, out


if __name__ == "__main__":
    main()
