"""Why a child stays unplaced, and what change to a home would open a place for it."""

from __future__ import annotations

from dataclasses import replace

from matching import Context, assess, rank
from solver import match
from solver.explain import unplaced_json
from solver.reasons import ReasonIndex
from solver.unlock import unlock_text, unlocks
from tests.builders import EDE_NEAR, GRONINGEN, WAGENINGEN, child, context, home


def test_bulk_reason_counts_equal_rank_for_every_child(region: Context) -> None:
    index = ReasonIndex(region)
    for c in region.scenario.children:
        expected = rank(region, c.id).document(region).to_json()["excluded_counts"]
        assert index.excluded_counts(region.unit_of[c.id]) == expected, c.id


def test_an_index_within_a_bigger_one_gives_the_same_masks_and_distances(
    region: Context,
) -> None:
    alone = ReasonIndex(region)
    within = ReasonIndex(region, within=ReasonIndex(region, region.scenario.homes))
    assert alone.homes == within.homes
    for unit in region.units:
        expected = alone.masks(unit)
        got = within.masks(unit)
        assert expected.keys() == got.keys()
        for code, mask in expected.items():
            assert (got[code] == mask).all(), (unit.members, code)
        for cid in unit.members:
            assert (within.distances(cid) == alone.distances(cid)).all(), cid


def test_the_best_few_unlocks_are_the_head_of_all_of_them(region: Context) -> None:
    # unlocks stops assessing once no further home can be among the best ``limit``.
    index = ReasonIndex(region, region.scenario.homes)
    for unit in region.units:
        every = unlocks(region, unit, index, limit=12)
        assert unlocks(region, unit, index) == every[:3], unit.members
        assert unlocks(region, unit, index, limit=1) == every[:1], unit.members


def test_an_unplaced_child_hears_who_took_its_suitable_home() -> None:
    ctx = context(
        [home("H-1", beds_free=1), home("H-far", postcode=GRONINGEN)],
        [child("C-planned"), child("C-crisis", urgency="crisis", parents_postcode=WAGENINGEN)],
    )
    result = match(ctx)
    (why,) = result.unplaced
    assert why.child_id == "C-planned"
    assert why.eligible_homes == 1
    (taken,) = why.taken
    assert taken.home_id == "H-1"
    assert taken.placed == ("C-crisis",)
    assert taken.placed_crisis == ("C-crisis",)
    nl = unplaced_json(why, "nl")
    assert "C-crisis (crisis)" in nl["reasons"][0]["text"]
    assert "voorrang" in nl["summary"]
    en = unplaced_json(why, "en")
    assert "priority" in en["summary"]
    assert "goes to C-crisis (crisis)" in en["reasons"][0]["text"]


def test_a_kept_apart_child_hears_who_keeps_it_out() -> None:
    ctx = context(
        [home("H-1", beds_free=2)],
        [child("C-1", urgency="crisis", keep_apart=["C-2"]), child("C-2", keep_apart=["C-1"])],
    )
    (why,) = match(ctx).unplaced
    assert why.child_id == "C-2"
    assert why.taken[0].kept_apart_from == ("C-1",)
    assert "gescheiden" in unplaced_json(why, "nl")["reasons"][0]["text"]


def test_one_more_bed_would_keep_siblings_together() -> None:
    ctx = context(
        [home("H-1", beds_free=1), home("H-2", beds_free=1, postcode=WAGENINGEN)],
        [child("C-1", siblings=["C-2"]), child("C-2", siblings=["C-1"])],
    )
    result = match(ctx)
    assert result.placed == 0
    best = result.unplaced[0].unlock[0]
    assert best.home_id == "H-1"  # the nearer one: more points
    (change,) = best.changes
    assert (change.field, change.before, change.after) == ("beds_free", 1, 2)
    opened = replace(ctx.scenario.home("H-1"), beds_free=2)
    assert assess(ctx, ctx.unit_of["C-1"], opened).score == best.score
    assert "1 extra bed (1 → 2)" in unlock_text(best, "nl")
    assert "1 more bed (1 → 2)" in unlock_text(best, "en")


def test_a_higher_care_level_or_age_range_is_the_smallest_change() -> None:
    ctx = context(
        [home("H-1", capabilities={"trauma": 1}), home("H-2", postcode=EDE_NEAR, age_max=10)],
        [child("C-1", age=12, needs={"trauma": 2})],
    )
    found = unlocks(ctx, ctx.unit_of["C-1"], ReasonIndex(ctx, ctx.scenario.homes))
    changes = {
        x.home_id: [(c.field, c.domain, c.before, c.after) for c in x.changes] for x in found
    }
    assert changes["H-1"] == [("capability", "trauma", 1, 2)]
    assert ("age_max", None, 10, 12) in changes["H-2"]


def test_a_full_home_can_be_opened_by_a_bed_beside_the_children_placed_there() -> None:
    ctx = context(
        [home("H-1", beds_free=1)],
        [child("C-crisis", urgency="crisis"), child("C-planned")],
    )
    (why,) = match(ctx).unplaced
    (offer,) = why.unlock
    assert offer.home_id == "H-1"
    assert offer.placed_there == ("C-crisis",)
    assert [(c.field, c.before, c.after) for c in offer.changes] == [("beds_free", 1, 2)]


def test_distance_and_network_are_never_offered_as_changes() -> None:
    ctx = context(
        [home("H-far", postcode=GRONINGEN), home("H-net", type="network_foster", known_to=["C-2"])],
        [child("C-1"), child("C-2", age=3, parents_postcode=GRONINGEN)],
    )
    assert unlocks(ctx, ctx.unit_of["C-1"], ReasonIndex(ctx, ctx.scenario.homes)) == ()


def test_a_sibling_groups_points_for_a_taken_home_are_said_to_be_the_groups() -> None:
    # The group's score in a home is its members' sum: the sentence names every member,
    # since `dichtbij scores` gives each child only its share.
    ctx = context(
        [home("H-1", beds_free=2)],
        [
            child("C-1", siblings=["C-2"]),
            child("C-2", siblings=["C-1"]),
            child("C-3", urgency="crisis", parents_postcode=WAGENINGEN),
            child("C-4", urgency="crisis", parents_postcode=WAGENINGEN),
        ],
    )
    why = {u.child_id: u for u in match(ctx).unplaced}
    (taken,) = why["C-1"].taken
    shares = [
        assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1")).members[i].score for i in (0, 1)
    ]
    assert taken.score == sum(shares)
    nl = unplaced_json(why["C-1"], "nl")["reasons"][0]["text"]
    en = unplaced_json(why["C-1"], "en")["reasons"][0]["text"]
    assert f"{taken.score} punten voor C-1 en C-2 samen)" in nl
    assert f"{taken.score} points for C-1 and C-2 together)" in en
    alone = unplaced_json(
        match(context([home("H-1")], [child("C-1"), child("C-3", urgency="crisis")])).unplaced[0],
        "nl",
    )
    assert "punten voor C-1)" in alone["reasons"][0]["text"]


def test_two_suitable_homes_are_both_not_all_two() -> None:
    ctx = context(
        [home("H-1"), home("H-2", postcode=WAGENINGEN)],
        [child("C-1"), child("C-2", urgency="crisis"), child("C-3", urgency="crisis")],
    )
    (why,) = match(ctx).unplaced
    assert why.eligible_homes == 2
    assert "C-1: beide geschikte woonplekken zijn" in unplaced_json(why, "nl")["summary"]
    assert "C-1: both suitable homes are" in unplaced_json(why, "en")["summary"]
