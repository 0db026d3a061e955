"""Among otherwise equal answers, the child who waited longer is never worse off
(docs/spec/scenario.md): the waiting criterion counts whole weeks, so children who came
in the same week tie, and the input order must not decide who gets the bed."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from matching import Context
from matching.bulk import score_all
from solver import Status, match
from tests.builders import EDE_NEAR, WAGENINGEN, child, context, home

REFERENCE = date(2026, 11, 23)


def _since(days: int) -> str:
    return (REFERENCE - timedelta(days=days)).isoformat()


@pytest.mark.parametrize("first", ["new", "old"])
def test_the_last_bed_goes_to_the_child_who_waited_longer_in_either_order(first: str) -> None:
    new = child("C-new", waiting_since=_since(3))
    old = child("C-old", waiting_since=_since(6))  # same week: the same waiting points
    kids = [new, old] if first == "new" else [old, new]
    result = match(context([home("H-1")], kids))
    assert [a.child_id for a in result.assignments] == ["C-old"]


def test_the_child_left_waiting_is_told_the_other_waited_longer_with_the_same_points() -> None:
    kids = [child("C-new", waiting_since=_since(3)), child("C-old", waiting_since=_since(6))]
    result = match(context([home("H-1")], kids))
    [taken] = result.document("nl").unplaced[0].reasons
    assert taken.waited_longer == ["C-old"]  # type: ignore[union-attr]
    assert taken.text.endswith("C-old wacht langer, met evenveel punten.")
    [taken_en] = result.document("en").unplaced[0].reasons
    assert taken_en.text.endswith("C-old waited longer, with the same points.")


def test_a_child_who_scores_less_is_not_told_the_other_waited_longer() -> None:
    # C-old scores more in the only home (its school is near): the points decide, and the
    # explanation must not credit the wait.
    kids = [
        child("C-new", waiting_since=_since(6), age=9, school_postcode="9711"),
        child("C-old", waiting_since=_since(90), age=9, school_postcode=EDE_NEAR),
    ]
    result = match(context([home("H-1")], kids))
    [taken] = result.document("nl").unplaced[0].reasons
    assert taken.children == ["C-old"]  # type: ignore[union-attr]
    assert taken.waited_longer == []  # type: ignore[union-attr]
    assert "langer" not in taken.text


def test_a_child_with_no_recorded_wait_counts_as_arriving_on_the_reference_date() -> None:
    kids = [child("C-unknown"), child("C-recorded", waiting_since=_since(2))]
    assert [a.child_id for a in match(context([home("H-1")], kids)).assignments] == ["C-recorded"]


def test_the_tie_break_never_gives_up_points_or_urgency() -> None:
    # C-old waited longer but scores less in the only home (its school is far): the
    # optimum places the child with more points, waiting decides only between equals.
    kids = [
        child("C-new", waiting_since=_since(1), age=9, school_postcode=EDE_NEAR),
        child("C-old", waiting_since=_since(5), age=9, school_postcode="9711"),
    ]
    assert [a.child_id for a in match(context([home("H-1")], kids)).assignments] == ["C-new"]
    crisis = [child("C-crisis", urgency="crisis"), child("C-old", waiting_since=_since(6))]
    assert [a.child_id for a in match(context([home("H-1")], crisis)).assignments] == ["C-crisis"]


def _equals(ctx: Context) -> dict[tuple[str, str], int]:
    return {(c, h): s for c, h, s in score_all(ctx).rows()}


@pytest.mark.parametrize("seed", range(40))
def test_no_unplaced_child_who_waited_longer_could_take_an_equal_childs_bed(seed: int) -> None:
    rng = random.Random(seed)
    homes = [
        home(f"H-{i}", postcode=rng.choice([EDE_NEAR, WAGENINGEN]), beds_free=rng.randint(1, 2))
        for i in range(rng.randint(1, 3))
    ]
    kids = [child(f"C-{i}", waiting_since=_since(rng.randint(0, 13))) for i in range(7)]
    ctx = context(homes, kids)
    result = match(ctx)
    assert result.status is Status.OPTIMAL
    score = _equals(ctx)
    placed = {a.child_id: a.home_id for a in result.assignments}
    since = {c.id: c.waiting_since or REFERENCE for c in ctx.scenario.children}
    for v in (c.id for c in ctx.scenario.children if c.id not in placed):
        for u, h in placed.items():
            if (v, h) in score and score[(v, h)] == score[(u, h)]:
                assert since[v] >= since[u], (v, u, h)
