"""A stronger start: the children who come alone, reassigned exactly as a min-cost flow.

With every sibling group kept where a start put it, the children who come alone (units of
one child) and the beds left form a bipartite b-matching: each child to at most one home,
each home's capacity row to at most its free beds. Its constraint matrix is totally
unimodular, so a min-cost flow solves it exactly in a fraction of a second (OR-tools'
``SimpleMinCostFlow``), where the same program as a MIP took HiGHS 50 s at four times the
national size. A child with a keep-apart conflict, or a brother or sister under a sibling
cap, is kept where the start put it too: conflicts and caps are not flow constraints, and
holding those few children keeps every answer valid.

Measured (docs/solver.md, "Four times the national size: large cores stay with HiGHS, and
a start from a min-cost flow"): the fix-and-solve start of seed 25 was 155 points below
the LP bound, 67 after this step (the optimum is 30 below); at four times the national
size 113 before, 36 after (optimum 29). The engine runs it on large parts only
(``EngineOptions.singles_flow_min_pairs``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

from solver.batch import Batch, IntArray

__all__ = ["reassign_singles"]

FloatArray = NDArray[np.float64]


def reassign_singles(
    problem: Batch,
    objective: FloatArray,
    start: IntArray,
    bound: float,
    reduced_cost: FloatArray,
) -> IntArray:
    """The best assignment that moves only children who come alone and have no keep-apart
    conflict, everyone else where ``start`` has them; never worse than ``start``.

    ``objective`` is integral per pair. Pairs whose LP reduced cost leaves them no way into
    a solution better than ``start`` (``bound + rc < value(start) + 1``) are left out:
    the flow's optimum is the same with or without them whenever it beats the start.
    """
    units = problem.pair_unit
    held = problem.unit_size > 1  # a new array: the conflicts below mark it too
    if problem.conflicts.size:
        held[units[problem.conflicts.ravel()]] = True
    if problem.n_caps:  # a sibling cap is no flow constraint either
        held[units[problem.pair_cap >= 0]] = True
    fixed = start[held[units[start]]]
    used = np.bincount(
        problem.pair_home[fixed], weights=problem.pair_beds[fixed], minlength=problem.n_homes
    )
    left = np.maximum(problem.home_beds - used.astype(np.int64), 0)
    in_start = np.zeros(problem.n_pairs, dtype=bool)
    in_start[start] = True
    z_start = float(objective[start].sum())
    may_improve = bound + reduced_cost >= z_start + 1.0 - 1e-6 * max(1.0, abs(bound))
    free = np.flatnonzero(
        ~held[units] & (may_improve | in_start) & (problem.pair_beds <= left[problem.pair_home])
    )
    if free.size == 0:
        return start
    free_units, tail = np.unique(units[free], return_inverse=True)
    n_free, n_homes = free_units.size, problem.n_homes
    sink = n_free + n_homes
    # A child who lives in the home already needs no bed there: its arc skips the home.
    head = np.where(problem.pair_beds[free] > 0, n_free + problem.pair_home[free], sink)
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([tail, np.arange(n_free), n_free + np.arange(n_homes)]).astype(np.int32),
        np.concatenate([head, np.full(n_free + n_homes, sink)]).astype(np.int32),
        np.concatenate([np.ones(free.size + n_free, dtype=np.int64), left]),
        # the flow minimises: a pair's cost is minus its points; staying unplaced costs 0
        np.concatenate(
            [-np.rint(objective[free]).astype(np.int64), np.zeros(n_free + n_homes, np.int64)]
        ),
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:n_free] = 1
    supplies[sink] = -n_free
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    if flow.solve() != flow.OPTIMAL:  # pragma: no cover - the flow always has a solution
        return start
    moved = free[flow.flows(arcs[: free.size]) > 0]
    answer = np.sort(np.concatenate([fixed, moved])).astype(np.int64)
    if float(objective[answer].sum()) <= z_start:
        return start
    return answer
