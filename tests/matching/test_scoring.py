"""Each scoring criterion: its points, its measured value, and that points add up."""

from __future__ import annotations

from typing import Any

import pytest

from matching import Context, CriterionCode, assess
from tests.builders import WAGENINGEN, child, context, home


def criteria(ctx: Context, child_id: str = "C-1", home_id: str = "H-1") -> dict[str, Any]:
    pa = assess(ctx, ctx.unit_of[child_id], ctx.scenario.home(home_id))
    assert pa.eligible, pa.reasons
    member = next(m for m in pa.members if m.child_id == child_id)
    return {c.code.value: c for c in member.criteria}


def points(ctx: Context, code: str, child_id: str = "C-1", home_id: str = "H-1") -> int:
    return int(criteria(ctx, child_id, home_id)[code].points)


@pytest.mark.parametrize(
    ("home_type", "expected"),
    [
        ("network_foster", 120),
        ("foster", 80),
        ("family_home", 80),
        ("small_scale", 40),
        ("residential", 0),
    ],
)
def test_type_family_first_hierarchy(home_type: str, expected: int) -> None:
    extra = {"known_to": ["C-1"]} if home_type == "network_foster" else {}
    gate = {"residential_reason": "specialist_treatment"} if home_type == "residential" else {}
    assert points(context([home(type=home_type, **extra)], [child(**gate)]), "type") == expected


def test_distance_parents_falls_linearly_to_zero_at_the_limit() -> None:
    ctx = context([home(postcode=WAGENINGEN)], [child()])
    c = criteria(ctx)["distance_parents"]
    assert c.detail["distance_km"] == 7.5
    assert c.points == 88  # 100 * (1 - 7.5/60) = 87.5, rounded half up
    assert points(context([home(postcode="6712")], [child()]), "distance_parents") == 100


def test_school_kept_when_the_home_is_within_commuting_distance() -> None:
    ctx = context([home(postcode=WAGENINGEN)], [child(age=8, school_postcode="6712")])
    c = criteria(ctx)["school"]
    assert (c.points, c.detail["keeps_school"], c.detail["commute_km"]) == (40, True, 10.0)
    short = context(
        [home(postcode=WAGENINGEN)],
        [child(age=8, school_postcode="6712")],
        policy={"school_commute_primary_km": 5},
    )
    assert points(short, "school") == 0


def test_school_secondary_pupils_commute_further() -> None:
    ctx = context([home(postcode="3861")], [child(age=14, school_postcode="6712")])  # about 28 km
    assert criteria(ctx)["school"].detail["commute_km"] == 20.0
    assert points(ctx, "school") == 0


def test_school_not_applicable_loses_nothing() -> None:
    assert points(context([home()], [child(age=2)]), "school") == 40
    assert points(context([home()], [child(age=9)]), "school") == 40


def test_siblings_together_earn_points_per_member() -> None:
    ctx = context([home(beds_free=2)], [child("C-1", siblings=["C-2"]), child("C-2")])
    assert points(ctx, "siblings", "C-1") == 50
    assert criteria(ctx, "C-2")["siblings"].detail["together_with"] == ["C-1"]
    alone = context([home()], [child()])
    assert points(alone, "siblings") == 0


def test_siblings_split_with_a_recorded_reason_earn_nothing_and_say_why() -> None:
    ctx = context(
        [home(), home("H-2")],
        [child("C-1", siblings=["C-2"], split_reason="severe_conflict"), child("C-2")],
    )
    c = criteria(ctx)["siblings"]
    assert (c.points, c.detail["split_reason"]) == (0, "severe_conflict")


@pytest.mark.parametrize(("age_max", "expected"), [(23, 30), (17, 30), (13, 18), (9, 6), (8, 3)])
def test_stability_share_of_years_until_adulthood_the_home_covers(
    age_max: int, expected: int
) -> None:
    # An 8-year-old needs 10 years; a home up to 13 covers 6 of them: 30 * 6/10 = 18.
    ctx = context([home(age_max=age_max)], [child(age=8)])
    assert points(ctx, "stability") == expected


def test_current_home_staying_beats_moving() -> None:
    ctx = context([home("H-1", beds_free=0), home("H-2")], [child(current_home="H-1")])
    assert points(ctx, "current_home", home_id="H-1") == 60
    assert points(ctx, "current_home", home_id="H-2") == 0
    assert criteria(ctx, home_id="H-2")["current_home"].detail["stays"] is False


def test_own_municipality_of_the_parents() -> None:
    assert points(context([home()], [child()]), "own_municipality") == 15
    assert points(context([home(postcode=WAGENINGEN)], [child()]), "own_municipality") == 0


def test_background_religion_and_language_small_weights() -> None:
    ctx = context(
        [home(religion="muslim", languages=["nl", "ar"]), home("H-2", religion="christian")],
        [child(religion="muslim", languages=["ar"])],
    )
    assert (points(ctx, "religion"), points(ctx, "language")) == (5, 5)
    assert (points(ctx, "religion", home_id="H-2"), points(ctx, "language", home_id="H-2")) == (
        0,
        0,
    )


def test_care_needs_are_explained_but_earn_no_points() -> None:
    c = criteria(context([home(capabilities={"trauma": 2})], [child(needs={"trauma": 1})]))[
        "care_needs"
    ]
    assert (c.points, c.detail["needs"], c.detail["capabilities"]) == (
        0,
        {"trauma": 1},
        {"trauma": 2},
    )


def test_points_add_up_to_the_score_and_a_group_scores_the_sum_of_members() -> None:
    ctx = context([home(beds_free=2)], [child("C-1", siblings=["C-2"]), child("C-2", age=12)])
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    for m in pa.members:
        assert m.score == sum(c.points for c in m.criteria)
    assert pa.score == sum(m.score for m in pa.members)
    assert [c.code for c in pa.members[0].criteria] == list(CriterionCode)


def test_policy_weights_change_the_points() -> None:
    ctx = context(
        [home(type="residential")],
        [child(residential_reason="safety")],
        policy={"points_type": {"residential": 7}},
    )
    assert points(ctx, "type") == 7
