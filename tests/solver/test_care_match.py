"""The batch match with kinds of care: the residential gate leaves a child unplaced with
its reason, a child in a residential group moves out, and the longest wait wins a bed."""

from __future__ import annotations

from solver import match
from tests.builders import WAGENINGEN, child, context, home


def test_residential_gate_leaves_the_child_unplaced_with_that_reason() -> None:
    ctx = context([home(type="residential")], [child()])
    result = match(ctx).to_json()
    assert result["placed"] == 0
    [unplaced] = result["unplaced"]
    assert [r["code"] for r in unplaced["reasons"]] == ["residential_gate"]


def test_uitstroom_the_batch_match_moves_a_child_out_of_a_residential_group() -> None:
    kid = child(current_home="H-1", residential_reason="safety")
    homes = [home(type="residential", beds_free=0), home("H-2", postcode=WAGENINGEN)]
    result = match(context(homes, [kid])).to_json()
    assert [(a["child_id"], a["home_id"]) for a in result["assignments"]] == [("C-1", "H-2")]
    [out] = result["uitstroom"]
    assert (out["child_id"], out["current_home"], out["family_homes"], out["moved_to"]) == (
        "C-1",
        "H-1",
        ["H-2"],
        "H-2",
    )
    assert out["text"] == (
        "C-1 woont in residentiële groep H-1; 1 gezinsgerichte woonplek geschikt: "
        "verhuist naar H-2."
    )


def test_uitstroom_lists_a_child_the_optimum_cannot_move_yet() -> None:
    kids = [
        child("C-1", current_home="H-1", residential_reason="safety"),
        child("C-2", urgency="crisis", care_kind="long_term"),
    ]
    homes = [home(type="residential", beds_free=0), home("H-2", postcode=WAGENINGEN)]
    result = match(context(homes, kids)).to_json("en")
    assert [(a["child_id"], a["home_id"]) for a in result["assignments"]] == [
        ("C-1", "H-1"),
        ("C-2", "H-2"),
    ]
    [out] = result["uitstroom"]
    assert out["moved_to"] is None
    assert out["text"] == (
        "C-1 lives in residential group H-1; 1 family-like home eligible: "
        "the best assignment needs those places for other children."
    )


def test_waiting_decides_a_contested_bed_for_the_child_who_waited_longest() -> None:
    kids = [child("C-1", waiting_since="2026-11-20"), child("C-2", waiting_since="2026-06-01")]
    result = match(context([home()], kids)).to_json()
    assert [a["child_id"] for a in result["assignments"]] == ["C-2"]


def test_part_time_children_never_take_a_full_time_bed() -> None:
    homes = [home("H-bed", beds_free=1), home("H-weekend", beds_free=1, care_kinds=["part_time"])]
    kids = [child("C-1"), child("C-2", care_kind="part_time"), child("C-3", care_kind="part_time")]
    result = match(context(homes, kids)).to_json()
    placed = {a["child_id"]: a["home_id"] for a in result["assignments"]}
    assert placed["C-1"] == "H-bed"
    assert sorted(placed) == ["C-1", "C-2"] or sorted(placed) == ["C-1", "C-3"]
    assert list(placed.values()).count("H-weekend") == 1


def test_part_time_places_and_beds_of_one_home_are_filled_apart() -> None:
    # One family: one full-time bed and one weekend place. Three children want it.
    both = home(beds_free=1, care_kinds=["long_term", "part_time"], part_time_places_free=1)
    kids = [child("C-1"), child("C-2", care_kind="part_time"), child("C-3", care_kind="part_time")]
    result = match(context([both], kids)).to_json()
    placed = {a["child_id"]: a["home_id"] for a in result["assignments"]}
    assert placed["C-1"] == "H-1"
    assert len(placed) == 2  # the bed and the one part-time place
    [unplaced] = result["unplaced"]
    assert unplaced["child_id"] in {"C-2", "C-3"}
    assert placed.get("C-2", placed.get("C-3")) == "H-1"


def test_a_part_time_child_never_takes_the_bed_of_a_home_that_counts_places_apart() -> None:
    both = home(beds_free=2, care_kinds=["long_term", "part_time"], part_time_places_free=0)
    result = match(context([both], [child("C-1", care_kind="part_time")])).to_json()
    assert result["assignments"] == []
    [unplaced] = result["unplaced"]
    assert [r["code"] for r in unplaced["reasons"]] == ["beds"]
    [opens] = unplaced["unlock"]
    assert opens["changes"] == [{"field": "part_time_places_free", "before": 0, "after": 1}]
    assert "1 extra deeltijdplaats (0 → 1) zou een plek openen" in opens["text"]


def test_keep_apart_holds_between_a_homes_beds_and_its_part_time_places() -> None:
    # The weekend child would meet the full-time child in the same family.
    both = home(beds_free=1, care_kinds=["long_term", "part_time"], part_time_places_free=1)
    kids = [child("C-1", keep_apart=["C-2"]), child("C-2", care_kind="part_time")]
    result = match(context([both], kids)).to_json()
    assert len(result["assignments"]) == 1


def test_uitstroom_on_the_demo_data_moves_the_child_out_of_its_residential_group() -> None:
    from importlib import resources

    from matching import Context, load_scenario

    text = resources.files("matching").joinpath("data/demo-scenario.json").read_text("utf-8")
    ctx = Context.of(load_scenario(text))
    result = match(ctx).to_json()
    assert result["uitstroom"], "the demo has a child in a residential group"
    for out in result["uitstroom"]:
        home = ctx.scenario.home(out["moved_to"])
        assert home.type.value in {"network_foster", "foster", "family_home"}
        assert out["current_home"] != out["moved_to"]


def test_uitstroom_never_lists_a_part_time_child_who_keeps_its_home() -> None:
    kid = child(current_home="H-1", residential_reason="safety", care_kind="part_time")
    weekend = home("H-2", postcode=WAGENINGEN, care_kinds=["part_time"])
    result = match(context([home(type="residential", beds_free=0), weekend], [kid])).to_json()
    assert [(a["child_id"], a["home_id"]) for a in result["assignments"]] == [("C-1", "H-2")]
    assert result["uitstroom"] == []


def test_a_part_time_place_given_to_another_child_is_called_a_part_time_place() -> None:
    # One part-time place, two weekend children: the one left out is told that the free
    # part-time place (not "the free bed") went to the other.
    both = home(beds_free=1, care_kinds=["long_term", "part_time"], part_time_places_free=1)
    kids = [child("C-1", care_kind="part_time"), child("C-2", care_kind="part_time")]
    result = match(context([both], kids))
    (unplaced,) = result.document("nl").unplaced
    (reason,) = unplaced.reasons
    assert "de vrije deeltijdplaats gaat naar" in reason.text
    assert "bed" not in reason.text
    (unplaced_en,) = result.document("en").unplaced
    assert "its free part-time place goes to" in unplaced_en.reasons[0].text
