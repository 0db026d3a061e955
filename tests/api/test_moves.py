"""Moving a placed child (doorplaatsing), above all out of a residential group (uitstroom):
proposed like any child, beds held like any proposal, and confirmed in one transaction that
ends the old placement with reason ``move`` (its bed freed) and starts the new one."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Client
from tests.api.helpers import (
    accepted_proposal,
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
)


def beds(provider: Client, home_id: str) -> tuple[int, int]:
    """(beds_free, beds_held) of the home as its provider sees it."""
    body = provider.get(f"/v1/homes/{home_id}").json()
    return body["beds_free"], body["beds_held"]


def the_child(coordinator: Client, child_id: str) -> dict[str, Any]:
    response = coordinator.get(f"/v1/children/{child_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def placements_of(coordinator: Client, child_id: str) -> list[dict[str, Any]]:
    items = coordinator.get("/v1/placements", params={"limit": 100}).json()["items"]
    return sorted(
        (p for p in items if p["child_id"] == child_id), key=lambda p: p["end_date"] or "9999"
    )


def placed_in_residential_group(provider: Client, coordinator: Client) -> None:
    """C-res lives in residential group H-res (placed there through a proposal, with its
    recorded reason); foster family H-fam has a bed."""
    add_home(provider, "H-res", type="residential", beds_free=1)
    add_home(provider, "H-fam", type="foster", beds_free=1)
    add_child(coordinator, "C-res", residential_reason="safety")
    confirmed_proposal(coordinator, provider, ["C-res"], "H-res")
    assert beds(provider, "H-res") == (0, 0)


def test_a_move_out_of_a_residential_group_ends_the_old_placement_with_reason_move(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    created = propose(coordinator, ["C-res"], "H-fam")
    assert created.status_code == 201, created.text
    # While the move is open the child still lives where it lives, in its own bed; the
    # new home's bed is held.
    child = the_child(coordinator, "C-res")
    assert (child["status"], child["current_home"]) == ("proposed", "H-res")
    assert beds(provider, "H-fam") == (1, 1)
    assert [p["end_date"] for p in placements_of(coordinator, "C-res")] == [None]

    accepted = provider.post(f"/v1/proposals/{created.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    confirmed = coordinator.post(f"/v1/proposals/{created.json()['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text

    child = the_child(coordinator, "C-res")
    assert (child["status"], child["current_home"]) == ("placed", "H-fam")
    old, new = placements_of(coordinator, "C-res")
    assert (old["home_id"], old["end_reason"]) == ("H-res", "move")
    assert old["end_date"] == new["start_date"]
    assert (new["home_id"], new["end_date"], new["home_type"]) == ("H-fam", None, "foster")
    assert beds(provider, "H-res") == (1, 0)  # the residential bed is free again
    assert beds(provider, "H-fam") == (0, 0)


def test_a_withdrawn_move_leaves_the_old_placement_intact(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    created = propose(coordinator, ["C-res"], "H-fam").json()
    withdrawn = coordinator.post(f"/v1/proposals/{created['id']}/withdraw", json={})
    assert withdrawn.status_code == 200, withdrawn.text
    child = the_child(coordinator, "C-res")
    assert (child["status"], child["current_home"]) == ("placed", "H-res")
    (placement,) = placements_of(coordinator, "C-res")
    assert (placement["home_id"], placement["end_date"]) == ("H-res", None)
    assert beds(provider, "H-res") == (0, 0)
    assert beds(provider, "H-fam") == (1, 0)


def test_a_declined_move_leaves_the_old_placement_intact_and_remembers_the_decline(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    proposal = accepted_proposal(coordinator, provider, ["C-res"], "H-fam")
    body = {"reason": "te vol", "reason_code": "timing"}
    declined = provider.post(f"/v1/proposals/{proposal['id']}/decline", json=body)
    assert declined.status_code == 200, declined.text
    child = the_child(coordinator, "C-res")
    assert (child["status"], child["current_home"]) == ("placed", "H-res")
    assert [(e["home_id"], e["event"]) for e in child["history"]] == [("H-fam", "declined")]
    (placement,) = placements_of(coordinator, "C-res")
    assert placement["end_date"] is None
    assert beds(provider, "H-fam") == (1, 0)
    assert_problem(propose(coordinator, ["C-res"], "H-fam"), 409, "declined")


def test_a_move_into_a_residential_group_without_a_recorded_reason_is_refused_by_the_gate(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-fam", type="foster", beds_free=1)
    add_home(provider, "H-res", type="residential", beds_free=1)
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-fam")
    body = assert_problem(propose(coordinator, ["C-1"], "H-res"), 409, "rule_broken")
    assert {r["code"] for r in body["reasons"]} == {"residential_gate"}
    child = the_child(coordinator, "C-1")
    assert (child["status"], child["current_home"]) == ("placed", "H-fam")
    assert beds(provider, "H-res") == (1, 0)


def test_a_child_is_not_proposed_to_the_home_it_lives_in(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    assert_problem(propose(coordinator, ["C-res"], "H-res"), 409, "already_there")
    assert the_child(coordinator, "C-res")["status"] == "placed"


def test_a_placement_with_an_open_move_cannot_be_ended(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    created = propose(coordinator, ["C-res"], "H-fam").json()
    (placement,) = placements_of(coordinator, "C-res")
    url = f"/v1/placements/{placement['id']}/end"
    assert_problem(coordinator.post(url, json={"reason": "move"}), 409, "move_open")
    coordinator.post(f"/v1/proposals/{created['id']}/withdraw", json={})
    ended = coordinator.post(url, json={"reason": "move"})
    assert ended.status_code == 200, ended.text
    assert the_child(coordinator, "C-res")["status"] == "waiting"


def test_a_part_time_placement_is_not_moved(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-pt", care_kinds=["part_time"], beds_free=1)
    add_home(provider, "H-fam", type="foster", beds_free=1, care_kinds=["part_time"])
    add_child(coordinator, "C-pt", care_kind="part_time")
    confirmed_proposal(coordinator, provider, ["C-pt"], "H-pt")
    body = assert_problem(propose(coordinator, ["C-pt"], "H-fam"), 409, "child_not_waiting")
    assert "part-time" in body["detail"]


def test_options_of_a_placed_child_list_staying_and_the_family_home(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    response = coordinator.get("/v1/children/C-res/options")
    assert response.status_code == 200, response.text
    options = {o["home_id"]: o for o in response.json()["options"]}
    assert set(options) == {"H-res", "H-fam"}
    assert options["H-res"]["beds_needed"] == 0  # staying keeps its own bed
    assert options["H-fam"]["beds_needed"] == 1


def test_a_run_moves_a_placed_child_out_of_its_residential_group(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    add_child(coordinator, "C-wait", age=16)  # waits too, for no home that takes its age
    provider.patch("/v1/homes/H-fam", json={"age_max": 12})
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assert [(a["child_id"], a["home_id"]) for a in run["assignments"]] == [("C-res", "H-fam")]
    assert [u["child_id"] for u in run["unplaced"]] == ["C-wait"]
    (move,) = run["uitstroom"]
    assert (move["child_id"], move["current_home"], move["moved_to"]) == (
        "C-res",
        "H-res",
        "H-fam",
    )
    # The move the run makes can be carried out as it says.
    confirmed_proposal(coordinator, provider, ["C-res"], "H-fam")
    assert the_child(coordinator, "C-res")["current_home"] == "H-fam"


def test_a_run_keeps_a_placed_child_in_its_residential_group_when_no_family_can_take_it(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    provider.patch("/v1/homes/H-fam", json={"beds_free": 0})
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    # It stays where it lives: an assignment to its own home, never 'unplaced'.
    assert [(a["child_id"], a["home_id"]) for a in run["assignments"]] == [("C-res", "H-res")]
    assert run["unplaced"] == []
    assert run["uitstroom"] == []


def test_the_family_bed_goes_to_a_waiting_child_before_a_move(
    provider: Client, coordinator: Client
) -> None:
    placed_in_residential_group(provider, coordinator)
    add_child(coordinator, "C-wait")
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assigned = {a["child_id"]: a["home_id"] for a in run["assignments"]}
    assert assigned == {"C-res": "H-res", "C-wait": "H-fam"}
    (move,) = run["uitstroom"]
    assert move["moved_to"] is None
    assert move["family_homes"] == ["H-fam"]
