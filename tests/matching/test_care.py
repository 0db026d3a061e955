"""Kinds of care, memory of declines and breakdowns, residential as the last resort,
waiting time and the child's wishes: one test per rule and reason code, and properties."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import Context, ScenarioError, assess, parse_scenario, score_all
from matching.explain import criterion_text, reason_text
from matching.geo import distance_km
from matching.model import CARE_DOMAINS
from tests.builders import EDE_NEAR, child, context, home, scenario_doc
from tests.matching.strategies import scenario_documents

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def codes(ctx: Context, child_id: str = "C-1", home_id: str = "H-1") -> list[str]:
    pa = assess(ctx, ctx.unit_of[child_id], ctx.scenario.home(home_id))
    return [r.code.value for r in pa.reasons]


def criteria(ctx: Context, child_id: str = "C-1", home_id: str = "H-1") -> dict[str, Any]:
    pa = assess(ctx, ctx.unit_of[child_id], ctx.scenario.home(home_id))
    assert pa.eligible, pa.reasons
    return {c.code.value: c for c in pa.members[0].criteria}


# ---- care_kind


def test_care_kind_excludes_a_home_that_does_not_offer_the_childs_kind() -> None:
    ctx = context([home(care_kinds=["crisis"])], [child(care_kind="part_time")])
    assert codes(ctx) == ["care_kind"]
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    assert "deeltijdpleegzorg" in reason_text(pa.reasons[0], "nl")
    assert "part-time care" in reason_text(pa.reasons[0], "en")


def test_care_kind_part_time_only_where_a_home_lists_it() -> None:
    assert codes(context([home()], [child(care_kind="part_time")])) == ["care_kind"]
    ctx = context([home(care_kinds=["part_time"])], [child(care_kind="part_time")])
    assert codes(ctx) == []


def test_care_kind_defaults_to_crisis_care_for_a_crisis_and_long_term_otherwise() -> None:
    only_long = [home(care_kinds=["long_term"])]
    assert codes(context(only_long, [child(urgency="crisis")])) == ["care_kind"]
    assert codes(context(only_long, [child()])) == []


def test_stability_costs_nothing_in_crisis_care() -> None:
    young_only = [home(age_max=9, care_kinds=["crisis", "long_term"])]
    crisis = criteria(context(young_only, [child(age=8, care_kind="crisis")]))["stability"]
    lasting = criteria(context(young_only, [child(age=8, care_kind="long_term")]))["stability"]
    assert crisis.points == crisis.max_points
    assert lasting.points < lasting.max_points


# ---- declined


def test_declined_excludes_a_home_that_declined_within_the_memory() -> None:
    event = {"home_id": "H-1", "event": "declined", "date": "2026-10-01", "reason": "timing"}
    ctx = context([home()], [child(history=[event])])
    assert codes(ctx) == ["declined"]
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    assert "1 oktober 2026" in reason_text(pa.reasons[0], "nl")
    assert "(reason: not at this time)" in reason_text(pa.reasons[0], "en")
    assert "(reden: niet op dit moment)" in reason_text(pa.reasons[0], "nl")


def test_a_declines_category_is_named_and_the_carers_words_kept() -> None:
    note = "child_profile: te jong voor ons gezin"
    event = {"home_id": "H-1", "event": "declined", "date": "2026-10-01", "reason": note}
    ctx = context([home()], [child(history=[event])])
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    text = reason_text(pa.reasons[0], "nl")
    assert "(reden: past niet bij het kind: te jong voor ons gezin)" in text
    assert "child_profile" not in text


def test_declined_is_forgotten_after_decline_memory_days() -> None:
    event = {"home_id": "H-1", "event": "declined", "date": "2026-10-01"}
    assert codes(context([home()], [child(history=[event])], {"decline_memory_days": 30})) == []
    assert codes(context([home()], [child(history=[event])], {"decline_memory_days": 53})) == [
        "declined"
    ]


def test_declined_by_another_home_excludes_only_that_home() -> None:
    event = {"home_id": "H-2", "event": "declined", "date": "2026-11-01"}
    ctx = context([home(), home("H-2")], [child(history=[event])])
    assert codes(ctx, home_id="H-1") == []
    assert codes(ctx, home_id="H-2") == ["declined"]


# ---- breakdown


def test_breakdown_excludes_the_home_at_any_date() -> None:
    event = {"home_id": "H-1", "event": "breakdown", "date": "2019-03-01"}
    ctx = context([home()], [child(history=[event])], {"decline_memory_days": 0})
    assert codes(ctx) == ["breakdown"]
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    assert "afgebroken op 1 maart 2019" in reason_text(pa.reasons[0], "nl")


# ---- residential_gate


def test_residential_gate_closes_residential_groups_without_a_recorded_reason() -> None:
    assert codes(context([home(type="residential")], [child()])) == ["residential_gate"]
    reason = child(residential_reason="specialist_treatment")
    assert codes(context([home(type="residential")], [reason])) == []


def test_residential_gate_can_be_lifted_by_policy() -> None:
    ctx = context([home(type="residential")], [child()], {"residential_requires_reason": False})
    assert codes(ctx) == []


def test_residential_gate_holds_for_every_member_of_a_sibling_group() -> None:
    kids = [child("C-1", siblings=["C-2"], residential_reason="safety"), child("C-2")]
    ctx = context([home(type="residential", beds_free=2)], kids)
    assert codes(ctx) == ["residential_gate"]


# ---- staying in a residential group and uitstroom


def test_current_home_earns_no_points_in_a_residential_group() -> None:
    kid = child(current_home="H-1", residential_reason="safety")
    c = criteria(context([home(type="residential", beds_free=0)], [kid]))["current_home"]
    assert c.points == 0
    assert "uitstroom" in criterion_text(c, "nl")
    foster = criteria(context([home(beds_free=0)], [child(current_home="H-1")]))["current_home"]
    assert foster.points == foster.max_points > 0


def test_moving_out_of_a_residential_group_is_not_called_a_costly_doorplaatsing() -> None:
    # Staying in a residential group earns nothing, so leaving it loses nothing: the
    # sentence of every other home must not say that the move costs the stay's points.
    kid = child(current_home="H-1", residential_reason="safety")
    group = home(type="residential", beds_free=0)
    c = criteria(context([group, home("H-2")], [kid]), home_id="H-2")["current_home"]
    assert c.points == 0
    nl, en = criterion_text(c, "nl"), criterion_text(c, "en")
    assert "doorplaatsing" not in nl
    assert "doorplaatsing" not in en
    assert "residentiële groep" in nl
    assert "niets verloren" in nl
    assert "residential group" in en
    assert "nothing is lost" in en
    # A child in a foster family still reads that moving costs the stay's points.
    ctx = context([home(beds_free=0), home("H-2")], [child(current_home="H-1")])
    moves = criterion_text(criteria(ctx, home_id="H-2")["current_home"], "nl")
    assert "moet verhuizen (doorplaatsing): 0 van 60 punten" in moves


# ---- waiting


def test_waiting_grows_with_whole_weeks_and_is_capped() -> None:
    def waiting(since: str) -> int:
        return int(criteria(context([home()], [child(waiting_since=since)]))["waiting"].points)

    assert waiting("2026-11-23") == 0
    assert waiting("2026-11-16") == 1
    assert waiting("2026-11-10") == 1
    assert waiting("2026-10-26") == 4
    assert waiting("2020-01-01") == 26


def test_the_waiting_sentence_says_one_week_in_the_singular() -> None:
    def said(since: str, lang: str) -> str:
        c = criteria(context([home()], [child(waiting_since=since)]))["waiting"]
        return criterion_text(c, lang)  # type: ignore[arg-type]

    assert "Wacht sinds 16 november 2026: 1 week × 1" in said("2026-11-16", "nl")
    assert "Waiting since 16 November 2026: 1 week × 1" in said("2026-11-16", "en")
    assert ": 4 weken × 1" in said("2026-10-26", "nl")
    assert ": 4 weeks × 1" in said("2026-10-26", "en")


# ---- wishes


def test_wish_multiplies_the_named_criterion_and_says_when_the_child_was_heard() -> None:
    wishes = {"priorities": ["school"], "heard_on": "2026-11-02", "note": "mijn vriendinnen"}
    kid = child(age=10, school_postcode=EDE_NEAR, wishes=wishes)
    c = criteria(context([home()], [kid]))
    assert c["school"].points == 60  # 40 × 1.5
    assert (c["distance_parents"].points, c["distance_parents"].max_points) == (98, 100)
    assert "gehoord op 2 november 2026" in criterion_text(c["school"], "nl")
    assert "heard on 2 November 2026" in criterion_text(c["school"], "en")


def test_a_wish_without_the_day_heard_says_so_rather_than_leaving_it_out() -> None:
    kid = child(age=10, school_postcode=EDE_NEAR, wishes={"priorities": ["school"]})
    c = criteria(context([home()], [kid]))
    assert c["school"].points == 60
    assert "dag van horen niet vastgelegd" in criterion_text(c["school"], "nl")
    assert "day heard not recorded" in criterion_text(c["school"], "en")


# ---- bad input


@pytest.mark.parametrize(
    ("fields", "field", "why"),
    [
        ({"care_kind": "weekend"}, "care_kind", "Input should be"),
        (
            {"history": [{"home_id": "H-1", "event": "moved", "date": "2026-01-01"}]},
            "history.0.event",
            "Input should be",
        ),
        (
            {"history": [{"home_id": "H-1", "event": "declined", "date": "2027-01-01"}]},
            "history.0.date",
            "future",
        ),
        (
            {"wishes": {"priorities": ["pets"]}},
            "wishes.priorities",
            "unknown wish criterion 'pets'",
        ),
        ({"residential_reason": "because"}, "residential_reason", "Input should be"),
        ({"residential_reason": "other"}, "residential_note", "requires a residential_note"),
        ({"waiting_since": "2027-01-01"}, "waiting_since", "after the reference date"),
    ],
)
def test_bad_care_fields_name_the_child_the_field_and_the_reason(
    fields: dict[str, Any], field: str, why: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(scenario_doc([home()], [child(**fields)]))
    [problem] = info.value.problems
    assert problem.object == "child C-1"
    assert problem.field == field
    assert why in problem.reason


def test_an_unknown_care_kind_of_a_home_is_refused() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(scenario_doc([home(care_kinds=["respite"])], [child()]))
    [problem] = info.value.problems
    assert (problem.object, problem.field) == ("home H-1", "care_kinds.0")


# ---- properties


@SETTINGS
@given(scenario_documents(), st.integers(1, 400))
def test_a_longer_wait_never_lowers_a_childs_score(doc: dict[str, Any], extra_days: int) -> None:
    longer = copy.deepcopy(doc)
    kid = longer["children"][0]
    base_since = kid.get("waiting_since", "2026-11-23")
    from datetime import date, timedelta

    kid["waiting_since"] = (date.fromisoformat(base_since) - timedelta(days=extra_days)).isoformat()
    before = {(c, h): s for c, h, s in score_all(Context.of(parse_scenario(doc))).rows()}
    after = {(c, h): s for c, h, s in score_all(Context.of(parse_scenario(longer))).rows()}
    assert before.keys() == after.keys()
    for key, score in before.items():
        assert after[key] >= score


@SETTINGS
@given(
    scenario_documents(),
    st.sampled_from(
        ["distance_parents", "school", "siblings", "own_municipality", "religion", "language"]
    ),
)
def test_a_wish_never_lowers_the_named_criterion(doc: dict[str, Any], named: str) -> None:
    wished = copy.deepcopy(doc)
    wished["children"][0]["wishes"] = {"priorities": [named], "heard_on": "2026-11-01"}
    plain = copy.deepcopy(doc)
    plain["children"][0].pop("wishes", None)
    ctx_plain, ctx_wish = Context.of(parse_scenario(plain)), Context.of(parse_scenario(wished))
    cid = plain["children"][0]["id"]
    for h in ctx_plain.scenario.homes:
        a = assess(ctx_plain, ctx_plain.unit_of[cid], h)
        b = assess(ctx_wish, ctx_wish.unit_of[cid], ctx_wish.scenario.home(h.id))
        assert a.eligible == b.eligible
        if not a.eligible:
            continue
        before = {
            c.code.value: c.points for m in a.members if m.child_id == cid for c in m.criteria
        }
        after = {c.code.value: c.points for m in b.members if m.child_id == cid for c in m.criteria}
        assert after[named] >= before[named]


@SETTINGS
@given(scenario_documents(), st.data())
def test_adding_a_declined_event_never_adds_an_option(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    declined = copy.deepcopy(doc)
    kid = data.draw(st.sampled_from(declined["children"]))
    home_id = data.draw(st.sampled_from([h["id"] for h in declined["homes"]]))
    kid.setdefault("history", []).append(
        {"home_id": home_id, "event": "declined", "date": "2026-11-20"}
    )
    before = {(c, h) for c, h, _ in score_all(Context.of(parse_scenario(doc))).rows()}
    after = {(c, h) for c, h, _ in score_all(Context.of(parse_scenario(declined))).rows()}
    assert after <= before
    if not parse_scenario(declined).policy.decline_memory_days < 3:
        assert (kid["id"], home_id) not in after


# ---- supra-regional expertise


def test_distance_extends_to_the_specialist_limit_for_an_intensive_need_not_met_nearer() -> None:
    homes = [
        home("H-near", capabilities={"trauma": 2}),
        home("H-breda", postcode="4811", capabilities={"trauma": 3}),
        home("H-groningen", postcode="9711", capabilities={"trauma": 3}),
    ]
    ctx = context(homes, [child(needs={"trauma": 3})])
    assert codes(ctx, home_id="H-near") == ["care_need"]
    assert codes(ctx, home_id="H-groningen") == ["distance"]
    c = criteria(ctx, home_id="H-breda")["distance_parents"]
    assert c.points == 0
    assert c.detail["specialist"] == {"domains": ["trauma"], "limit_km": 120.0}
    assert "bovenregionale grens 120,0 km" in criterion_text(c, "nl")
    rows = {(cid, hid) for cid, hid, _ in score_all(ctx).rows()}
    assert rows == {("C-1", "H-breda")}


@SETTINGS
@given(scenario_documents())
def test_specialist_domains_are_the_intensive_needs_no_candidate_home_within_its_limit_meets(
    doc: dict[str, Any],
) -> None:
    # The definition home by home, apart from Context's arrays (which only measure to the
    # homes that meet one of the child's level-3 needs).
    ctx = Context.of(parse_scenario(doc))
    limit = ctx.policy.max_distance_for
    expected = {}
    for c in ctx.scenario.children:
        parents = ctx.parents_location(c)
        unmet = frozenset(
            d.value
            for d in CARE_DOMAINS
            if c.need(d) >= 3
            and not any(
                h.capability(d) >= 3 and distance_km(parents, ctx.home_location(h)) <= limit(h.type)
                for h in ctx.candidate_homes
            )
        )
        if unmet:
            expected[c.id] = unmet
    assert ctx.specialist_domains == expected


def test_distance_keeps_the_normal_limit_when_the_need_is_met_nearer() -> None:
    homes = [
        home("H-near", capabilities={"trauma": 3}),
        home("H-breda", postcode="4811", capabilities={"trauma": 3}),
    ]
    ctx = context(homes, [child(needs={"trauma": 3})])
    assert codes(ctx, home_id="H-breda") == ["distance"]


def test_care_kind_part_time_places_are_counted_apart_from_full_time_beds() -> None:
    # One family, two units of capacity: one full-time bed and one part-time place.
    homes = [home("H-bed", beds_free=1), home("H-weekend", beds_free=1, care_kinds=["part_time"])]
    kids = [child("C-1"), child("C-2", care_kind="part_time"), child("C-3", care_kind="part_time")]
    ctx = context(homes, kids)
    rows = {(cid, hid) for cid, hid, _ in score_all(ctx).rows()}
    assert rows == {("C-1", "H-bed"), ("C-2", "H-weekend"), ("C-3", "H-weekend")}


def test_beds_part_time_places_inside_one_home_are_counted_apart_from_its_beds() -> None:
    # One family offers both: its bed is taken (0 free) but a weekend place is free.
    both = home(
        beds_free=0,
        care_kinds=["long_term", "part_time"],
        part_time_places_free=1,
    )
    ctx = context([both], [child("C-1"), child("C-2", care_kind="part_time")])
    assert codes(ctx, "C-2") == []
    assert codes(ctx, "C-1") == ["beds"]
    rows = {(cid, hid) for cid, hid, _ in score_all(ctx).rows()}
    assert rows == {("C-2", "H-1")}


def test_beds_a_home_without_part_time_places_free_refuses_a_part_time_child_in_words() -> None:
    full = home(beds_free=2, care_kinds=["long_term", "part_time"], part_time_places_free=0)
    ctx = context([full], [child("C-1", care_kind="part_time"), child("C-2")])
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1"))
    [reason] = pa.reasons
    assert reason.code.value == "beds"
    assert reason_text(reason, "nl") == "Te weinig vrije deeltijdplaatsen: 0 vrij, 1 nodig."
    assert reason_text(reason, "en") == "Not enough free part-time places: 0 free, 1 needed."
    assert codes(ctx, "C-2") == []  # the full-time beds are free


def test_beds_without_part_time_places_free_part_time_children_take_beds_as_before() -> None:
    shared = home(beds_free=1, care_kinds=["long_term", "part_time"])
    ctx = context([shared], [child("C-1", care_kind="part_time")])
    assert codes(ctx) == []
    gone = context([home(beds_free=0, care_kinds=["part_time"])], [child("C-1")])
    assert gone.candidate_homes == ()


def test_a_home_with_only_part_time_places_free_is_a_candidate() -> None:
    weekend = home(beds_free=0, care_kinds=["long_term", "part_time"], part_time_places_free=2)
    ctx = context([weekend], [child("C-1")])
    assert [h.id for h in ctx.candidate_homes] == ["H-1"]


def test_care_kind_part_time_care_is_never_the_home_the_child_lives_in() -> None:
    """Part-time care is weekends and holidays away from where the child lives: the foster
    family it lives with (which takes other children for weekends) is no part-time option,
    though staying there needs no place and earns stay points. The batch must not count
    the child placed there while its need stays unmet."""
    from solver import match

    lives = home("H-lives", beds_free=0, care_kinds=["long_term", "part_time"])
    weekend = home("H-weekend", postcode="6716", care_kinds=["part_time"])
    ctx = context([lives, weekend], [child(care_kind="part_time", current_home="H-lives")])
    assert codes(ctx, home_id="H-lives") == ["care_kind"]
    pa = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-lives"))
    assert "woont hier" in reason_text(pa.reasons[0], "nl")
    assert "lives here" in reason_text(pa.reasons[0], "en")
    assert {(cid, hid) for cid, hid, _ in score_all(ctx).rows()} == {("C-1", "H-weekend")}
    placed = match(ctx).to_json()["assignments"]
    assert [(a["child_id"], a["home_id"]) for a in placed] == [("C-1", "H-weekend")]


def test_part_time_places_free_without_part_time_care_is_refused_naming_the_field() -> None:
    doc = scenario_doc([home(part_time_places_free=1)], [child()])
    with pytest.raises(ScenarioError, match="part_time_places_free"):
        parse_scenario(doc)
    doc = scenario_doc([home(care_kinds=["part_time"], part_time_places_free=-1)], [child()])
    with pytest.raises(ScenarioError, match="part_time_places_free"):
        parse_scenario(doc)


def test_declined_on_the_demo_data_the_home_leaves_the_options_with_its_reason() -> None:
    from importlib import resources

    from matching import rank

    text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    doc = json.loads(text)
    ctx = Context.of(parse_scenario(doc))
    child_id = next(c.id for c in ctx.scenario.children if rank(ctx, c.id).options)
    best = rank(ctx, child_id).options[0].home.id
    kid = next(c for c in doc["children"] if c["id"] == child_id)
    kid.setdefault("history", []).append(
        {"home_id": best, "event": "declined", "date": doc["reference_date"], "reason": "timing"}
    )
    after = rank(Context.of(parse_scenario(doc)), child_id)
    assert best not in [o.home.id for o in after.options]
    [excluded] = [e for e in after.excluded if e.home.id == best]
    assert [r.code.value for r in excluded.reasons] == ["declined"]


def test_a_child_hard_to_place_may_carry_hundreds_of_declines() -> None:
    # Every home that says no is remembered and no recorded event can be removed: a child
    # waiting for years can pass 200 events, and its history must still be accepted.
    events = [
        {"home_id": "H-1", "event": "declined", "date": f"20{y:02d}-{m:02d}-01"}
        for y in range(10, 26)
        for m in range(1, 13)
    ] * 2
    assert len(events) > 200
    sc = parse_scenario(scenario_doc([home()], [child(history=events)]))
    assert len(sc.children[0].history) == len(events)


def test_the_kinds_a_home_offers_are_listed_in_their_natural_order_joined_by_and() -> None:
    ctx = context([home()], [child(care_kind="part_time")])
    (reason,) = assess(ctx, ctx.unit_of["C-1"], ctx.scenario.home("H-1")).reasons
    assert reason_text(reason, "nl") == (
        "C-1: Biedt geen deeltijdpleegzorg, alleen crisisopvang, perspectiefzoekende zorg en "
        "perspectiefbiedende zorg."
    )
    assert reason_text(reason, "en").endswith(
        "only crisis care, short-term care (while the future is decided) and long-term care "
        "(until adulthood)."
    )
