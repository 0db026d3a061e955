"""Points are rounded half up as the sentence beside them reads, not as float division
happens to land: docs/scoring.md ('rounded half up', 'anyone can recompute it')."""

from __future__ import annotations

import numpy as np

from matching.rules.base import round_half_up
from matching.rules.criteria import distance_parents, wishes


def test_an_exact_half_from_the_distance_formula_rounds_up() -> None:
    # 100 × (1 − 25.5/60) = 57.5 exactly; in floats 57.49999999999999.
    assert int(distance_parents.points(100, 25.5, 60.0)) == 58
    both = distance_parents.points(100, np.array([25.5, 25.4]), 60.0)
    assert both.tolist() == [58.0, 58.0]


def test_a_wish_scaling_to_a_half_rounds_up() -> None:
    # 57 × 1.5 = 85.5: the factor the demo's children are weighed with.
    assert int(wishes.scale(57, 1.5)) == 86
    assert int(wishes.scale(5, 1.1)) == 6  # 5.5, in floats 5.500000000000001


def test_values_off_a_half_still_round_to_the_nearest() -> None:
    assert round_half_up(np.array([57.49, 57.51, 0.0, 0.5, 2.4999])).tolist() == [
        57.0,
        58.0,
        0.0,
        1.0,
        2.0,
    ]
