"""Whom to recruit: only children no registered home could take, whatever its beds, in
profiles one family could take (same area, kind of care, ages close together)."""

from __future__ import annotations

from solver.planning import AGE_SPAN, capacity, recruitment
from tests.builders import child, context, home

AUTISM_3 = {"autism": 3}


def test_profiles_group_children_one_family_could_take() -> None:
    ctx = context(
        [home("H-1", beds_free=0, capabilities={"autism": 1}), home("H-2", beds_free=1)],
        [
            child("C-young", age=3, needs=AUTISM_3),
            child("C-older", age=3 + AGE_SPAN, needs={"autism": 3, "trauma": 1}),
            child("C-teen", age=4 + AGE_SPAN, needs=AUTISM_3),
            child("C-far", age=5, needs=AUTISM_3, min_distance_from_parents_km=30),
            child("C-fits", age=8),  # H-2 could take it: not a recruitment case
            child("C-full", age=8, needs={"autism": 1}),  # H-1 could, with a bed
        ],
    )
    profiles = recruitment(ctx, [c.id for c in ctx.scenario.children])
    by_children = {p.children: p for p in profiles}
    assert set(by_children) == {("C-young", "C-older"), ("C-teen",), ("C-far",)}
    pair = by_children[("C-young", "C-older")]
    assert (pair.municipality, pair.municipality_name) == ("0228", "Ede")
    assert (pair.age_min, pair.age_max) == (3, 3 + AGE_SPAN)
    assert pair.needs == {"trauma": 1, "autism": 3}
    assert pair.home_type == "family_home"  # intensive needs: professional carers
    assert pair.care_kind == "long_term"
    assert pair.siblings == 1
    # A confidential placement never reveals the parents' area.
    assert by_children[("C-far",)].municipality is None


def test_a_sibling_group_too_big_for_every_home_is_a_recruitment_case() -> None:
    kids = [child(f"C-{i}", siblings=[f"C-{j}" for j in range(3) if j != i]) for i in range(3)]
    ctx = context([home("H-1", beds_free=1, max_siblings=2)], kids)
    (profile,) = recruitment(ctx, ["C-0", "C-1", "C-2"])
    assert profile.siblings == 3
    assert profile.home_type == "family_home"
    assert profile.children == ("C-0", "C-1", "C-2")


def test_capacity_recruits_only_for_children_the_beds_do_not_place() -> None:
    ctx = context(
        [home("H-1", beds_free=1)],
        [child("C-1"), child("C-2"), child("C-3", needs=AUTISM_3)],
    )
    plan = capacity(ctx, beds=1)
    assert plan.extra_placed == 1
    assert [p.children for p in plan.recruitment] == [("C-3",)]
