"""Each eligibility rule of the spec, with its reason code; one test per rule."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from matching import Context, PairAssessment, ReasonCode, assess, score_all
from matching.explain import reason_text
from matching.model import Resident, Scenario
from tests.builders import GRONINGEN, WAGENINGEN, child, context, home


def verdict(ctx: Context, child_id: str = "C-1", home_id: str = "H-1") -> PairAssessment:
    return assess(ctx, ctx.unit_of[child_id], ctx.scenario.home(home_id))


def codes(ctx: Context, child_id: str = "C-1", home_id: str = "H-1") -> set[str]:
    return {r.code.value for r in verdict(ctx, child_id, home_id).reasons}


def test_a_plain_home_near_home_is_eligible() -> None:
    assert verdict(context([home()], [child()])).eligible


def test_rule_beds_a_group_needs_a_free_bed_per_member() -> None:
    kids = [child("C-1", siblings=["C-2"]), child("C-2")]
    assert codes(context([home(beds_free=1)], kids)) == {"beds"}
    assert codes(context([home(beds_free=2)], kids)) == set()


def test_rule_beds_a_child_staying_in_its_current_home_needs_no_free_bed() -> None:
    ctx = context([home(beds_free=0)], [child(current_home="H-1")])
    assert verdict(ctx).eligible


def test_rule_siblings_max_siblings_limits_the_group_size() -> None:
    kids = [child("C-1", siblings=["C-2", "C-3"]), child("C-2"), child("C-3")]
    assert codes(context([home(beds_free=3, max_siblings=2)], kids)) == {"siblings"}
    assert codes(context([home(beds_free=3, max_siblings=3)], kids)) == set()


@pytest.mark.parametrize(("age", "ok"), [(3, False), (4, True), (12, True), (13, False)])
def test_rule_age_every_member_within_the_homes_range(age: int, ok: bool) -> None:
    ctx = context([home(age_min=4, age_max=12)], [child(age=age)])
    assert (codes(ctx) == set()) is ok
    if not ok:
        assert codes(ctx) == {"age"}


def test_rule_care_need_every_domain_covered() -> None:
    ctx = context(
        [home(capabilities={"trauma": 2, "behaviour": 1})],
        [child(needs={"trauma": 2, "behaviour": 2, "autism": 1})],
    )
    reasons = verdict(ctx).reasons
    assert [(r.code, r.detail["domain"]) for r in reasons] == [
        (ReasonCode.CARE_NEED, "behaviour"),
        (ReasonCode.CARE_NEED, "autism"),
    ]


def test_rule_distance_beyond_the_policy_maximum() -> None:
    ctx = context([home(postcode=WAGENINGEN)], [child()], policy={"max_distance_km": 5})
    reason = verdict(ctx).reasons[0]
    assert reason.code is ReasonCode.DISTANCE
    assert reason.detail == {"distance_km": 7.5, "max_km": 5.0}
    assert codes(context([home(postcode=GRONINGEN)], [child()])) == {"distance"}


def test_rule_distance_network_homes_have_a_wider_limit() -> None:
    network = home(type="network_foster", postcode=GRONINGEN, known_to=["C-1"])
    assert verdict(context([network], [child()])).eligible  # 144 km, limit 150
    assert codes(context([network], [child()], policy={"max_distance_network_km": 100})) == {
        "distance"
    }


def test_rule_safety_distance_a_secret_placement_is_far_enough_away() -> None:
    near = context([home()], [child(min_distance_from_parents_km=20)])
    assert codes(near) == {"safety_distance"}
    far = context([home(postcode="3861")], [child(min_distance_from_parents_km=20)])
    assert verdict(far).eligible  # Nijkerk is about 28 km from Ede 6712


@pytest.mark.parametrize(
    ("window", "ok"),
    [
        ({"available_from": "2026-12-01"}, False),
        ({"available_until": "2026-11-22"}, False),
        ({"available_from": "2026-11-23", "available_until": "2026-11-23"}, True),
        ({}, True),
    ],
)
def test_rule_availability_on_the_reference_date(window: dict[str, Any], ok: bool) -> None:
    ctx = context([home(**window)], [child()])
    assert codes(ctx) == (set() if ok else {"availability"})


def test_rule_network_only_for_the_children_it_knows() -> None:
    homes = [home(type="network_foster", known_to=["C-2"])]
    ctx = context(homes, [child("C-1"), child("C-2")])
    assert codes(ctx, "C-1") == {"network"}
    assert codes(ctx, "C-2") == set()


def test_rule_network_a_group_needs_every_member_known() -> None:
    kids = [child("C-1", siblings=["C-2"]), child("C-2")]
    partial = context([home(type="network_foster", beds_free=2, known_to=["C-1"])], kids)
    assert codes(partial) == {"network"}
    whole = context([home(type="network_foster", beds_free=2, known_to=["C-1", "C-2"])], kids)
    assert verdict(whole).eligible


def test_rule_keep_apart_a_home_where_that_child_lives_now() -> None:
    kids = [child("C-1", keep_apart=["C-2"]), child("C-2", current_home="H-1")]
    ctx = context([home(beds_free=1)], kids)
    reason = verdict(ctx, "C-1").reasons[0]
    assert reason.code is ReasonCode.KEEP_APART
    assert reason.detail == {"other_child_id": "C-2"}


def test_rule_keep_apart_holds_when_only_the_resident_lists_the_newcomer() -> None:
    kids = [child("C-1"), child("C-2", current_home="H-1", keep_apart=["C-1"])]
    assert codes(context([home(beds_free=1)], kids), "C-1") == {"keep_apart"}


def with_residents(ctx: Context, *residents: Resident, keep_apart: str | None = None) -> Context:
    """``ctx`` plus residents; ``keep_apart`` lets every child list that resident (the
    scenario file format has no residents, so the parser would refuse the reference)."""
    sc = ctx.scenario
    kids = tuple(
        replace(c, keep_apart=c.keep_apart | {keep_apart}) if keep_apart else c for c in sc.children
    )
    return Context.of(Scenario.of(sc.reference_date, sc.policy, sc.homes, kids, residents))


@pytest.mark.parametrize("listed_by", ["newcomer", "resident"])
def test_rule_keep_apart_holds_against_a_placed_child_who_is_not_waiting(listed_by: str) -> None:
    # The service passes placed children as residents: not matched, but kept apart from.
    resident = Resident("C-placed", "H-1", frozenset({"C-1"} if listed_by == "resident" else ()))
    ctx = with_residents(
        context([home("H-1"), home("H-2")], [child("C-1")]),
        resident,
        keep_apart="C-placed" if listed_by == "newcomer" else None,
    )
    assert codes(ctx, "C-1", "H-1") == {"keep_apart"}
    assert codes(ctx, "C-1", "H-2") == set()
    table = score_all(ctx)  # the bulk path agrees
    assert {(child_id, home_id) for child_id, home_id, _ in table.rows()} == {("C-1", "H-2")}


def test_several_broken_rules_are_all_reported() -> None:
    ctx = context(
        [home(beds_free=0, age_max=4, capabilities={}, available_from="2027-01-01")],
        [child(age=9, needs={"trauma": 1})],
    )
    assert codes(ctx) == {"beds", "age", "care_need", "availability"}


def test_rule_siblings_sentence_counts_one_child_in_the_singular() -> None:
    kids = [child("C-1", siblings=["C-2"]), child("C-2")]
    ctx = context([home(beds_free=2, max_siblings=1)], kids)
    (reason,) = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1")).reasons
    assert reason_text(reason, "nl") == (
        "Neemt uit één gezin hoogstens 1 kind samen op; deze broers-zussengroep telt 2 kinderen."
    )
    assert reason_text(reason, "en") == (
        "Takes at most 1 child of one family together; this group has 2 children."
    )
