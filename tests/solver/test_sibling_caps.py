"""Brothers and sisters placed apart (a ``split_reason`` that protects no one) may still
share a home, but never more of them than the home's ``max_siblings``: in the batch, in
every engine route, in the first-come-first-served baseline and in the waiting-list
effects; and a child is not offered a home where siblings already live up to the limit."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from matching import Context, rank, score_all
from matching.explain import criterion_text
from matching.model import Resident, Scenario
from matching.rules import assess
from solver import match
from solver.batch import LexValue, build_batch, violations
from solver.greedy import greedy
from solver.waiting_list import waiting_list_effects
from tests.builders import WAGENINGEN, child, context, home
from tests.solver.helpers import brute_force, check_answer, placements_of
from tests.solver.test_exhaustive import ROUTES


def _family(n: int, reason: str = "specialist_care", **first: Any) -> list[dict[str, Any]]:
    ids = [f"C-{i}" for i in range(1, n + 1)]
    kids = [child(cid, siblings=[s for s in ids if s != cid]) for cid in ids]
    kids[0]["split_reason"] = reason
    kids[0].update(first)
    return kids


def _near_and_far(max_siblings: int) -> Context:
    # H-near (beds for all three) takes at most ``max_siblings`` of one family; H-far
    # takes anyone but scores lower (7.5 km from the parents).
    return context(
        [
            home("H-near", beds_free=3, max_siblings=max_siblings),
            home("H-far", beds_free=3, postcode=WAGENINGEN),
        ],
        _family(3),
    )


def _optimal_on(ctx: Context, route: str) -> tuple[dict[str, str], dict[str, int]]:
    """The placements of the engine ``route``'s answer, which the oracle finds sound and
    as good as the best by brute force."""
    result = match(ctx, options=ROUTES[route])
    homes, scores = placements_of(result.assignments)
    check_answer(ctx, homes, scores)
    assert LexValue(result.placed_crisis, result.placed, result.total_score) == brute_force(ctx)
    return homes, scores


def _effects_of_placing_c1(kids: list[dict[str, Any]], max_siblings: int) -> dict[str, Any]:
    """What C-1 taking H-near (two beds, ``max_siblings`` of a family) or H-far (children
    up to 12) does to the others waiting, by home."""
    ctx = context(
        [
            home("H-near", beds_free=2, max_siblings=max_siblings),
            home("H-far", postcode=WAGENINGEN, age_max=12),
        ],
        kids,
    )
    return {e.home_id: e for e in waiting_list_effects(ctx, rank(ctx, "C-1")).effects}


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("limit", [1, 2])
def test_no_engine_route_puts_more_split_siblings_in_a_home_than_it_takes(
    route: str, limit: int
) -> None:
    homes, _ = _optimal_on(_near_and_far(limit), route)
    assert sum(h == "H-near" for h in homes.values()) == limit
    assert sum(h == "H-far" for h in homes.values()) == 3 - limit


def test_without_a_limit_split_siblings_all_take_the_best_home() -> None:
    ctx = context(
        [home("H-near", beds_free=3), home("H-far", beds_free=3, postcode=WAGENINGEN)],
        _family(3),
    )
    homes, _ = placements_of(match(ctx).assignments)
    assert set(homes.values()) == {"H-near"}


def test_the_child_left_out_by_the_limit_is_told_why() -> None:
    ctx = context([home("H-near", beds_free=3, max_siblings=2)], _family(3))
    result = match(ctx)
    assert result.placed == 2
    (unplaced,) = result.unplaced
    (taken,) = unplaced.taken
    placed = {a.child_id for a in result.assignments}
    assert set(taken.siblings_there) == placed
    assert taken.max_siblings == 2
    doc = result.document("nl")
    (reason,) = doc.unplaced[0].reasons
    assert "hoogstens 2 kinderen uit één gezin" in reason.text
    # What would open it: taking three of the family, beside the two placed there.
    (opened,) = unplaced.unlock
    assert opened.home_id == "H-near"
    assert [(c.field, c.before, c.after) for c in opened.changes] == [("max_siblings", 2, 3)]
    assert set(opened.placed_there) == placed
    assert set(reason.to_json()["siblings_there"]) == placed


def test_the_first_come_first_served_baseline_keeps_the_limit_too() -> None:
    ctx = _near_and_far(1)
    problem = build_batch(ctx, score_all(ctx))
    assert problem.n_caps == 1
    chosen = greedy(problem)
    assert violations(problem, chosen) == []
    assert sorted(problem.home_ids[h] for h in problem.pair_home[chosen]) == [
        "H-far",
        "H-far",
        "H-near",
    ]
    # and the check itself sees a breach: all three in H-near
    near = [p for p in range(problem.n_pairs) if problem.home_ids[problem.pair_home[p]] == "H-near"]
    assert any("takes at most 1 of a family" in v for v in violations(problem, near))


def test_a_home_where_a_sibling_lives_up_to_the_limit_is_not_offered() -> None:
    kids = _family(2)
    kids[1]["current_home"] = "H-near"
    ctx = context(
        [home("H-near", beds_free=1, max_siblings=1), home("H-far", postcode=WAGENINGEN)], kids
    )
    ranked = rank(ctx, "C-1")
    assert [o.home.id for o in ranked.options] == ["H-far"]
    (reason,) = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-near")).reasons
    assert reason.detail == {"group_size": 2, "max_siblings": 1, "living_here": ["C-2"]}
    # the array form agrees: no (C-1, H-near) pair in the table
    table = score_all(ctx)
    pairs = {
        (table.units[u].members, table.homes[h].id)
        for u, h in zip(table.pair_unit.tolist(), table.pair_home.tolist(), strict=True)
    }
    assert (("C-1",), "H-near") not in pairs
    assert (("C-1",), "H-far") in pairs


def test_where_the_limit_allows_it_the_explanation_says_the_sibling_lives_there() -> None:
    kids = _family(2)
    kids[1]["current_home"] = "H-near"
    ctx = context([home("H-near", beds_free=1, max_siblings=2)], kids)
    (option,) = rank(ctx, "C-1").options
    (siblings,) = [c for c in option.members[0].criteria if c.code.value == "siblings"]
    assert siblings.detail["living_here"] == ["C-2"]
    assert "C-2 woont hier al" in criterion_text(siblings, "nl")
    assert "C-2 already lives here" in criterion_text(siblings, "en")


def test_taking_the_one_home_of_a_sibling_where_one_of_a_family_fits_warns() -> None:
    # C-2 fits only H-near (age); C-1 could also go to H-far. If C-1 takes H-near, which
    # takes one child of a family, C-2 has no home left at all.
    kids = _family(2)
    kids[1]["age"] = 15
    effects = _effects_of_placing_c1(kids, max_siblings=1)
    assert effects["H-near"].no_eligible_home_left == ("C-2",)
    assert effects["H-near"].others_placed == -1
    assert effects["H-far"].no_eligible_home_left == ()
    assert effects["H-far"].others_placed == 0


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_sibling_who_lives_there_and_stays_counts_against_the_limit(route: str) -> None:
    # C-3 lives in H-near, which takes two children of a family, and has outgrown both
    # homes (age 15): it is left unplaced, so it stays where it lives. One more of its
    # brothers and sisters fits there, not two.
    kids = _family(3)
    kids[2].update(current_home="H-near", age=15)
    ctx = context(
        [
            home("H-near", beds_free=3, max_siblings=2, age_max=12),
            home("H-far", beds_free=3, postcode=WAGENINGEN, age_max=12),
        ],
        kids,
    )
    homes, scores = _optimal_on(ctx, route)
    assert sorted(homes.values()) == ["H-far", "H-near"]
    # and the oracle itself sees the breach: both newcomers in H-near beside C-3
    with pytest.raises(AssertionError):
        check_answer(ctx, {"C-1": "H-near", "C-2": "H-near"}, scores)


def test_the_child_left_out_beside_a_sibling_who_lives_there_is_told_why() -> None:
    kids = _family(3)
    kids[2].update(current_home="H-near", age=15)
    ctx = context([home("H-near", beds_free=3, max_siblings=2, age_max=12)], kids)
    result = match(ctx)
    assert result.placed == 1
    (left,) = [u for u in result.unplaced if u.child_id != "C-3"]
    (taken,) = left.taken
    assert set(taken.siblings_there) == {"C-3", *(a.child_id for a in result.assignments)}
    assert taken.max_siblings == 2
    texts = {lang: result.document(lang).unplaced for lang in ("nl", "en")}
    (nl,) = [r.text for u in texts["nl"] if u.child_id == left.child_id for r in u.reasons]
    (en,) = [r.text for u in texts["en"] if u.child_id == left.child_id for r in u.reasons]
    assert "daar woont al C-3 en komt" in nl
    assert "hoogstens 2 kinderen" in nl
    assert "C-3 already lives there and" in en
    assert "at most 2 children" in en


def test_raising_max_siblings_is_suggested_where_a_sibling_lives_up_to_the_limit() -> None:
    # C-1 has no home: H-near takes one child of a family and C-2 lives there. Taking two
    # would open it, and that is the change suggested.
    kids = _family(2)
    kids[1]["current_home"] = "H-near"
    ctx = context([home("H-near", beds_free=2, max_siblings=1)], kids)
    (unplaced,) = match(ctx).unplaced
    assert unplaced.child_id == "C-1"
    (unlock,) = unplaced.unlock
    assert unlock.home_id == "H-near"
    assert [(c.field, c.before, c.after) for c in unlock.changes] == [("max_siblings", 1, 2)]


def test_the_stranding_warning_counts_the_sibling_who_lives_there() -> None:
    # H-near takes two of a family and C-3 lives there: C-1 there fills it, and C-2 (too
    # old for H-far) has no home left. C-3 itself stays, so it is not warned about.
    kids = _family(3)
    kids[1]["age"] = 15
    kids[2]["current_home"] = "H-near"
    effects = _effects_of_placing_c1(kids, max_siblings=2)
    assert effects["H-near"].no_eligible_home_left == ("C-2",)
    assert effects["H-far"].no_eligible_home_left == ()


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_siblings_linked_through_a_brother_who_lives_elsewhere_are_one_family(route: str) -> None:
    # C-1 and C-2 each name only C-R, who is placed elsewhere (a resident): siblings are
    # the connected components of the links, so the three are one family and H-near,
    # which takes one child of a family, gets one of the two, not both.
    base = context(
        [
            home("H-near", beds_free=3, max_siblings=1),
            home("H-far", beds_free=3, postcode=WAGENINGEN),
        ],
        [child(cid, split_reason="specialist_care") for cid in ("C-1", "C-2")],
    ).scenario
    kids = tuple(dataclasses.replace(c, siblings=frozenset({"C-R"})) for c in base.children)
    resident = Resident("C-R", "H-elsewhere", frozenset())
    ctx = Context.of(Scenario.of(base.reference_date, base.policy, base.homes, kids, (resident,)))
    assert {u.group for u in ctx.units} == {("C-1", "C-2", "C-R")}
    homes, _ = placements_of(match(ctx, options=ROUTES[route]).assignments)
    assert sorted(homes.values()) == ["H-far", "H-near"]
