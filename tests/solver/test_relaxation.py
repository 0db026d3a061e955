"""The cuts that strengthen the LP relaxation are valid: they never cut off an assignment
that obeys the rules, and they do cut off the fractional points they are made for."""

from __future__ import annotations

import itertools

import numpy as np

from solver.batch import Batch, violations
from solver.relaxation import CoverCuts
from tests.solver.helpers import random_problem


def _home_of_three() -> Batch:
    # One home with three free beds; a group of two and two single children want it.
    return Batch(
        unit_members=(("C-1", "C-2"), ("C-3",), ("C-4",)),
        unit_size=np.array([2, 1, 1]),
        unit_crisis=np.zeros(3, dtype=np.int64),
        unit_arrival=np.arange(3),
        home_ids=("H-1",),
        home_beds=np.array([3]),
        pair_unit=np.array([0, 1, 2]),
        pair_home=np.array([0, 0, 0]),
        pair_score=np.array([400, 200, 200]),
        pair_beds=np.array([2, 1, 1]),
        conflicts=np.empty((0, 2), dtype=np.int64),
    )


def test_a_group_half_in_a_full_home_beside_two_children_is_cut_off() -> None:
    # The beds row allows half the group beside both children (2 * 0.5 + 1 + 1 = 3): no
    # clique holds here, but the three never fit together.
    cuts = CoverCuts(_home_of_three()).violated(np.array([0.5, 1.0, 1.0]))
    assert cuts == [((0, 1, 2), 2.0)]


def test_no_cover_cut_when_the_lp_point_fits() -> None:
    assert CoverCuts(_home_of_three()).violated(np.array([1.0, 1.0, 0.0])) == []


def _valid_assignments(problem: Batch) -> list[np.ndarray]:
    pairs, start = problem.pairs_of_unit
    options = [[-1, *pairs[start[u] : start[u + 1]].tolist()] for u in range(problem.n_units)]
    out = []
    for combo in itertools.product(*options):
        chosen = np.array([p for p in combo if p >= 0], dtype=np.int64)
        if not violations(problem, chosen):
            out.append(chosen)
    return out


def test_cover_cuts_never_cut_off_an_assignment_that_obeys_the_rules() -> None:
    rng = np.random.default_rng(3)
    checked = 0
    for seed in range(40):
        problem = random_problem(seed, units=6, homes=3, per_unit=2, groups=0.5)
        valid = _valid_assignments(problem)
        separator = CoverCuts(problem)
        for _ in range(20):
            x = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=problem.n_pairs)
            for members, rhs in separator.violated(x):
                checked += 1
                assert sum(x[list(members)]) > rhs
                for chosen in valid:
                    assert np.isin(chosen, members).sum() <= rhs
    assert checked > 100  # the random points did produce cuts to check
