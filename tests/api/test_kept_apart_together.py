"""Two children who must be kept apart but already live in one home: the fact is recorded
(refusing it would stop a coordinator from recording a safety fact), and from then on the
children say so (``lives_with_kept_apart``), neither one's options offer staying there,
and a match run moves the one who came last."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.api.conftest import START, Client
from tests.api.helpers import add_child, add_home, confirmed_proposal


def the_child(coordinator: Client, child_id: str) -> dict[str, Any]:
    response = coordinator.get(f"/v1/children/{child_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def option_homes(coordinator: Client, child_id: str) -> tuple[list[str], dict[str, list[str]]]:
    """The homes offered to the child, and the excluded ones with their reason codes."""
    doc = coordinator.get(f"/v1/children/{child_id}/options", params={"excluded": "all"})
    assert doc.status_code == 200, doc.text
    body = doc.json()
    excluded = {e["home_id"]: [r["code"] for r in e["reasons"]] for e in body["excluded"]}
    return [o["home_id"] for o in body["options"]], excluded


def placed_together(provider: Client, coordinator: Client, **recorded: Any) -> None:
    """C-2 placed in H-1 ten days ago, C-1 today (it came last), and then ``recorded``
    for C-1 (a fact learnt after the placement); H-2 has a free bed."""
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", beds_free=1)
    add_child(coordinator, "C-2")
    add_child(coordinator, "C-1")
    earlier = (START.date() - timedelta(days=10)).isoformat()
    confirmed_proposal(coordinator, provider, ["C-2"], "H-1", start_date=earlier)
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    if recorded:
        patched = coordinator.patch("/v1/children/C-1", json=recorded)
        assert patched.status_code == 200, patched.text


def test_keep_apart_recorded_for_children_living_together_is_named_on_both(
    provider: Client, coordinator: Client
) -> None:
    placed_together(provider, coordinator)
    assert the_child(coordinator, "C-1")["lives_with_kept_apart"] == []
    patched = coordinator.patch("/v1/children/C-2", json={"keep_apart": ["C-1"]})
    # Recorded, never refused: it is a safety fact.
    assert patched.status_code == 200, patched.text
    assert patched.json()["lives_with_kept_apart"] == ["C-1"]
    # Listed by either child is enough: C-1 says it too.
    assert the_child(coordinator, "C-1")["lives_with_kept_apart"] == ["C-2"]
    items = coordinator.get("/v1/children", params={"status": "placed"}).json()["items"]
    assert {c["id"]: c["lives_with_kept_apart"] for c in items} == {
        "C-1": ["C-2"],
        "C-2": ["C-1"],
    }
    # Once one of them has moved, neither is named any more.
    placement = next(
        p
        for p in coordinator.get("/v1/placements", params={"open": "true"}).json()["items"]
        if p["child_id"] == "C-1"
    )
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "move"})
    assert ended.status_code == 200, ended.text
    assert the_child(coordinator, "C-2")["lives_with_kept_apart"] == []


def test_a_protective_split_between_siblings_living_together_is_named(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    confirmed_proposal(coordinator, provider, ["C-1", "C-2"], "H-1")
    patched = coordinator.patch("/v1/children/C-1", json={"split_reason": "sibling_threat"})
    assert patched.status_code == 200, patched.text
    assert patched.json()["lives_with_kept_apart"] == ["C-2"]
    assert the_child(coordinator, "C-2")["lives_with_kept_apart"] == ["C-1"]
    # A split for another reason may share a home.
    coordinator.patch("/v1/children/C-1", json={"split_reason": "specialist_care"})
    assert the_child(coordinator, "C-2")["lives_with_kept_apart"] == []


def test_neither_childs_options_offer_staying_in_the_home_they_share(
    provider: Client, coordinator: Client
) -> None:
    placed_together(provider, coordinator, keep_apart=["C-2"])
    for child_id in ("C-1", "C-2"):
        offered, excluded = option_homes(coordinator, child_id)
        assert offered == ["H-2"], child_id
        assert excluded["H-1"] == ["keep_apart"], child_id


@pytest.mark.parametrize("reason", ["keep_apart", "sibling_threat"])
def test_a_match_run_moves_the_child_who_came_last(
    provider: Client, coordinator: Client, reason: str
) -> None:
    if reason == "keep_apart":
        placed_together(provider, coordinator, keep_apart=["C-2"])
    else:
        add_home(provider, "H-1", beds_free=2)
        add_home(provider, "H-2", beds_free=1)
        add_child(coordinator, "C-2")
        add_child(coordinator, "C-1", siblings=["C-2"])
        confirmed_proposal(coordinator, provider, ["C-1", "C-2"], "H-1")
        # Placed together the same day: the later id is the one to move.
        coordinator.patch("/v1/children/C-2", json={"split_reason": "sibling_threat"})
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    moved = "C-1" if reason == "keep_apart" else "C-2"
    assert [(a["child_id"], a["home_id"]) for a in run["assignments"]] == [(moved, "H-2")]
    # Staying was no option, and the other child is not moved as well.
    assert run["unplaced"] == []


def test_a_match_run_without_a_free_home_lists_the_child_as_unplaced_by_keep_apart(
    provider: Client, coordinator: Client
) -> None:
    placed_together(provider, coordinator, keep_apart=["C-2"])
    provider.patch("/v1/homes/H-2", json={"beds_free": 0})
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assert run["assignments"] == []
    (unplaced,) = run["unplaced"]
    assert unplaced["child_id"] == "C-1"
    assert "keep_apart" in str(unplaced)
