"""Benchmark of the planning answers a municipality asks for: its own area against the
whole database (every waiting child and candidate home), in the same run.

Loads the bundled demo into a fresh SQLite database and times, per answer, the service
functions behind ``/v1/planning/*`` for Ede's area (``api.services.planning``) and the
same solver calls on the whole scenario (the baseline: what planning without the area
restriction would cost). Prints the scenario sizes, medians over ``--repeat`` runs and the
ratio whole / area.

    .venv/bin/python benchmarks/bench_planning_area.py [--repeat 3] [--municipality 0228]
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from timing import median_time  # the script's folder is on sys.path

from api.clock import SystemClock, local_date
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.services.live import waiting_scenario
from api.services.planning import area_scenario
from api.services.seed import seed_demo
from matching import Context, Scenario
from matching.policy import Policy
from solver.planning import capacity, match_with_frontier
from solver.simulation import simulate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--municipality", default="0228")
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
