"""The cores prove the optimum for any valid dual bound: the pairs the second core leaves
out by their reduced costs never hold a better solution than the first core's."""

from __future__ import annotations

import time
from functools import partial

import numpy as np
from scipy.optimize import linprog

from solver import engine
from solver.backends import solve_mip
from solver.engine import EngineOptions
from solver.relaxation import base_rows, lagrangian, restrict
from tests.solver.helpers import random_problem


def test_the_second_core_holds_every_solution_the_first_core_missed() -> None:
    # Any non-negative duals give a valid bound and reduced costs. Here the LP's duals,
    # more on rows the optimum fills, and a large dual on one placed unit's row: that
    # unit's pairs fall just outside the first core (first_delta just below its optimal
    # pair's reduced cost), so only the second core can place it and reach the optimum.
    rng = np.random.default_rng(12)
    found_by_the_second = 0
    for seed in range(100):
        problem = random_problem(seed, units=8, homes=4, per_unit=3, groups=0.3)
        objective = problem.pair_score.astype(np.float64)
        base = base_rows(problem)
        best = solve_mip(objective, base.matrix, base.rhs, 60.0)
        assert best.optimal
        assert best.x is not None
        lp = linprog(-objective, A_ub=base.matrix, b_ub=base.rhs, method="highs")
        duals = -lp.ineqlin.marginals
        filled = np.isclose(base.matrix @ best.x.astype(np.float64), base.rhs)
        duals += rng.uniform(0.0, 40.0, duals.size) * filled
        placed = int(rng.choice(np.flatnonzero(best.x)))
        duals[problem.pair_unit[placed]] += rng.uniform(100.0, 1000.0)
        bound, reduced_cost = lagrangian(objective, base, duals)
        stats: dict[str, float | int | str] = {}
        core = engine._core_mip(
            problem,
            objective,
            bound,
            reduced_cost,
            partial(restrict, base),
            np.empty(0, dtype=np.int64),
            time.perf_counter() + 60.0,
            EngineOptions(first_delta=float(-reduced_cost[placed]) - 1e-3),
            stats,
        )
        assert core.optimal, seed
        assert float(objective[core.best].sum()) == best.value, seed
        # "bound - start" of the second core: the first core's best fell short.
        after_first = float(str(stats["mip_2"]).rsplit(" ", 1)[1])
        found_by_the_second += after_first > bound - best.value + 0.5
    assert found_by_the_second > 80
