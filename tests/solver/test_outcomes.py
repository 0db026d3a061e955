"""The figures an assignment is compared on, on a hand-made case."""

from __future__ import annotations

import pytest

from solver.outcomes import outcomes
from tests.builders import EDE_NEAR, GRONINGEN, WAGENINGEN, child, context, home


def test_outcomes_count_what_the_children_get() -> None:
    ctx = context(
        [
            home("H-near", beds_free=2, postcode=EDE_NEAR),
            home("H-far", beds_free=1, postcode=WAGENINGEN, type="small_scale"),
            home("H-north", beds_free=1, postcode=GRONINGEN, type="residential"),
        ],
        [
            child("C-1", siblings=["C-2"], urgency="crisis"),
            child("C-2"),
            child("C-3", siblings=["C-4"]),
            child("C-4"),
            child("C-5"),
        ],
    )
    # C-1 and C-2 together, C-3 and C-4 split, C-5 not placed.
    o = outcomes(ctx, {"C-1": "H-near", "C-2": "H-near", "C-3": "H-far", "C-4": "H-north"})
    assert (o.children, o.placed, o.crisis, o.placed_crisis) == (5, 4, 1, 1)
    assert (o.groups, o.groups_together, o.groups_split) == (2, 1, 1)
    assert o.family_like == 2
    assert o.share_family_like == 0.5
    assert o.distances_km[:3] == (1.0, 1.0, 7.5)  # Ede 6712 to 6714 and to Wageningen
    assert o.distances_km[3] > 100  # Groningen
    assert o.share_within(10) == 0.75
    assert o.median_km == pytest.approx((1.0 + 7.5) / 2)
