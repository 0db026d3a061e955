"""Ranked options that see the waiting list: the effect of each option on the others."""

from __future__ import annotations

import pytest

from matching import Context, rank, score_all
from solver import waiting_list
from solver.waiting_list import _sub_scenario, effect_text, waiting_list_effects
from tests.builders import EDE_NEAR, WAGENINGEN, child, context, home

VEENENDAAL = "3905"


def test_taking_the_only_home_of_a_crisis_child_costs_its_placement_and_warns() -> None:
    # C-crisis fits only H-shared (H-other takes no teenagers): C-me has a choice.
    ctx = context(
        [home("H-shared", beds_free=1), home("H-other", postcode=WAGENINGEN, age_max=12)],
        [child("C-me", age=8), child("C-crisis", age=15, urgency="crisis")],
    )
    effects = {e.home_id: e for e in waiting_list_effects(ctx, rank(ctx, "C-me")).effects}
    shared = effects["H-shared"]
    assert shared.others_placed == -1
    assert shared.others_placed_crisis == -1
    assert shared.unplaced == ("C-crisis",)
    assert shared.no_eligible_home_left == ("C-crisis",)
    assert "geen enkele geschikte woonplek" in effect_text(shared, "nl")
    assert "no eligible home at all" in effect_text(shared, "en")
    other = effects["H-other"]
    assert (other.others_placed, other.others_score, other.no_eligible_home_left) == (0, 0, ())


def test_an_option_that_pushes_a_child_to_its_next_best_home_costs_points() -> None:
    # Both prefer H-1; C-other more so (its parents live next to it: 275 against 248
    # points; C-me 249 against 244), so the batch optimum gives it H-1. If C-me takes H-1
    # instead, C-other moves to H-2 and loses points.
    ctx = context(
        [home("H-1", beds_free=1), home("H-2", postcode=WAGENINGEN)],
        [child("C-me", parents_postcode=VEENENDAAL), child("C-other", parents_postcode=EDE_NEAR)],
    )
    effects = {e.home_id: e for e in waiting_list_effects(ctx, rank(ctx, "C-me")).effects}
    taken = effects["H-1"]
    assert taken.others_placed == 0
    assert taken.others_score == 248 - 275
    assert [(m.children, m.from_home, m.to_home) for m in taken.moves] == [
        (("C-other",), "H-1", "H-2")
    ]
    assert "H-1 → H-2" in effect_text(taken, "nl")
    assert effects["H-2"].others_score == 0
    assert effects["H-2"].moves == ()


def test_the_sub_scenario_scores_every_pair_as_the_full_scenario_does(region: Context) -> None:
    full = score_all(region)
    full_rows = set(full.rows())
    some = {c.id for c in region.scenario.children[:12]}
    sub = score_all(Context(_sub_scenario(region.scenario, some, None), region.table))
    rows = {r for r in sub.rows() if r[0] in some}
    assert rows
    assert rows == {r for r in full_rows if r[0] in some}


def test_leaving_out_uncontested_competitors_changes_no_effect(
    region: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    children = [c.id for c in region.scenario.children[::7]]
    fast = [waiting_list_effects(region, rank(region, cid)) for cid in children]
    monkeypatch.setattr(waiting_list, "_contested", lambda *_: True)
    full = [waiting_list_effects(region, rank(region, cid)) for cid in children]
    assert any(f.contested < f.competitors for f in fast)
    for a, b in zip(fast, full, strict=True):
        assert [
            (
                e.home_id,
                e.others_placed,
                e.others_placed_crisis,
                e.others_score,
                e.no_eligible_home_left,
            )
            for e in a.effects
        ] == [
            (
                e.home_id,
                e.others_placed,
                e.others_placed_crisis,
                e.others_score,
                e.no_eligible_home_left,
            )
            for e in b.effects
        ]


def test_a_part_time_option_costs_no_full_time_child_its_bed_in_the_same_home() -> None:
    # One family: one bed (C-other's only home) and one weekend place for C-me.
    both = home(
        "H-both", beds_free=1, care_kinds=["long_term", "part_time"], part_time_places_free=1
    )
    ctx = context([both], [child("C-me", care_kind="part_time"), child("C-other")])
    [effect] = waiting_list_effects(ctx, rank(ctx, "C-me")).effects
    assert effect.home_id == "H-both"
    assert effect.others_placed == 0
    assert effect.no_eligible_home_left == ()
    # Without the count apart, the two compete for the one bed.
    shared = home("H-both", beds_free=1, care_kinds=["long_term", "part_time"])
    ctx = context([shared], [child("C-me", care_kind="part_time"), child("C-other")])
    [effect] = waiting_list_effects(ctx, rank(ctx, "C-me")).effects
    assert effect.others_placed == -1
    assert effect.no_eligible_home_left == ("C-other",)
