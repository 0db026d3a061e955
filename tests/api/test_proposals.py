"""Proposals: one sibling group at a time, beds held, carers answer, coordinator decides,
holds lapse; every failed request leaves beds and statuses as they were."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from api.db.tables import PlacementRow
from tests.api.conftest import Api, Client
from tests.api.helpers import (
    accepted_proposal,
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
)


def beds(provider: Client, home_id: str = "H-1") -> tuple[int, int]:
    h = provider.get(f"/v1/homes/{home_id}").json()
    return h["beds_free"], h["beds_held"]


def status(coordinator: Client, child_id: str) -> str:
    s: str = coordinator.get(f"/v1/children/{child_id}").json()["status"]
    return s


def test_proposing_holds_the_beds(api: Api, provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    response = propose(coordinator, ["C-1"], "H-1")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "proposed"
    assert body["child_ids"] == ["C-1"]
    assert body["beds"] == 1
    assert body["organisation"] == "jb-a"
    assert body["expires_at"].startswith("2026-11-28T09:00")  # hold_period_days = 5
    assert beds(provider) == (2, 1)
    assert status(coordinator, "C-1") == "proposed"


def test_proposal_tells_carers_only_what_they_need(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", capabilities={"trauma": 2})
    add_child(coordinator, "C-1", needs={"trauma": 2}, school_postcode="6716", urgency="crisis")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    seen = provider.get(f"/v1/proposals/{proposal_id}").json()
    assert seen["audience"] == "provider"
    assert seen["children"] == [
        {
            "child_id": "C-1",
            "age": 8,
            "needs": {"trauma": 2},
            "urgency": "crisis",
            "confidential": False,
            "school_area": {"municipality": "Ede", "distance_km": 2.5},
            "lives_here": False,
        }
    ]
    assert seen["sibling_group_size"] == 1
    assert "6712" not in str(seen)  # the parents' postcode
    assert "6716" not in str(seen)  # the school's


def test_carers_learn_that_a_child_is_recorded_as_living_with_them(
    provider: Client, coordinator: Client
) -> None:
    # A proposal to the home a child lives in holds no bed: its carers' accept is what
    # confirms the child is there, so they are told that is what they confirm.
    add_home(provider, "H-1", beds_free=0)
    add_child(coordinator, "C-1", current_home="H-1")
    proposal = propose(coordinator, ["C-1"], "H-1").json()
    seen = provider.get(f"/v1/proposals/{proposal['id']}").json()
    assert (seen["beds"], [c["lives_here"] for c in seen["children"]]) == (0, [True])


def test_sibling_group_is_proposed_together(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    body = assert_problem(propose(coordinator, ["C-1"], "H-1"), 409, "siblings_together")
    assert "C-2" in body["detail"]
    assert beds(provider) == (2, 0)
    together = propose(coordinator, ["C-2", "C-1"], "H-1")
    assert together.status_code == 201
    assert together.json()["child_ids"] == ["C-1", "C-2"]
    assert together.json()["beds"] == 2
    assert together.json()["split_reason"] is None


def test_a_group_with_a_recorded_reason_may_be_split(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"], split_reason="specialist_care")
    response = propose(coordinator, ["C-1"], "H-1")
    assert response.status_code == 201, response.text
    assert response.json()["split_reason"] == "specialist_care"
    assert status(coordinator, "C-2") == "waiting"


def test_a_proposal_is_for_one_group(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    assert_problem(propose(coordinator, ["C-1", "C-2"], "H-1"), 409, "not_one_group")


def test_a_broken_rule_is_a_conflict_with_the_engines_reasons(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", age_min=12, age_max=18)
    add_child(coordinator, "C-1", needs={"autism": 2})
    body = assert_problem(propose(coordinator, ["C-1"], "H-1"), 409, "rule_broken")
    assert {r["code"] for r in body["reasons"]} == {"age", "care_need"}
    assert all(r["text"] for r in body["reasons"])
    assert beds(provider) == (1, 0)
    assert status(coordinator, "C-1") == "waiting"


def test_not_enough_beds_is_a_conflict(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    assert_problem(propose(coordinator, ["C-1", "C-2"], "H-1"), 409, "beds")
    add_child(coordinator, "C-3")
    add_child(coordinator, "C-4")
    assert propose(coordinator, ["C-3"], "H-1").status_code == 201
    assert_problem(propose(coordinator, ["C-4"], "H-1"), 409, "beds")
    assert beds(provider) == (1, 1)
    assert status(coordinator, "C-4") == "waiting"


def test_a_child_already_living_there_needs_no_bed(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1", current_home="H-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    response = propose(coordinator, ["C-1", "C-2"], "H-1")
    assert response.status_code == 201, response.text
    assert response.json()["beds"] == 1


def test_unknown_children_and_homes_are_named(
    provider: Client, coordinator: Client, coordinator_b: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator_b, "C-b")
    body = assert_problem(propose(coordinator, ["C-b", "C-x"], "H-x"), 422)
    assert [e["path"] for e in body["errors"]] == ["$.child_ids[0]", "$.child_ids[1]", "$.home_id"]


def test_bad_proposal_bodies(coordinator: Client) -> None:
    assert_problem(coordinator.post("/v1/proposals", json={"child_ids": [], "home_id": "H"}), 422)
    twice = coordinator.post("/v1/proposals", json={"child_ids": ["C", "C"], "home_id": "H"})
    errors = assert_problem(twice, 422)["errors"]
    assert [(e["path"], e["reason"]) for e in errors] == [
        ("$.child_ids", "a child is listed twice")
    ]
    assert_problem(coordinator.post("/v1/proposals", json={"child_ids": ["C"]}), 422)


def test_a_child_can_be_in_one_open_proposal_only(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_home(provider, "H-2")
    add_child(coordinator, "C-1")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    assert_problem(propose(coordinator, ["C-1"], "H-2"), 409, "child_not_waiting")
    assert beds(provider, "H-2") == (1, 0)


def test_only_coordinators_propose(
    provider: Client, admin: Client, municipality: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    for client in (provider, admin, municipality):
        assert_problem(propose(client, ["C-1"], "H-1"), 403)


def test_carers_accept_and_the_coordinator_confirms(
    api: Api, provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    assert proposal["status"] == "accepted"
    assert proposal["accepted_at"] is not None
    confirmed = coordinator.post(f"/v1/proposals/{proposal['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["status"] == "confirmed"
    assert beds(provider) == (1, 0)
    child = coordinator.get("/v1/children/C-1").json()
    assert (child["status"], child["current_home"]) == ("placed", "H-1")
    placements = coordinator.get("/v1/placements").json()["items"]
    assert len(placements) == 1
    assert placements[0]["child_id"] == "C-1"
    assert placements[0]["start_date"] == "2026-11-23"
    assert placements[0]["end_date"] is None


def test_confirm_takes_a_start_date(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1", start_date="2026-12-01")
    assert coordinator.get("/v1/placements").json()["items"][0]["start_date"] == "2026-12-01"


def test_confirm_refuses_a_far_start_date(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    far = coordinator.post(
        f"/v1/proposals/{proposal['id']}/confirm", json={"start_date": "2030-01-01"}
    )
    assert_problem(far, 422)
    assert coordinator.get(f"/v1/proposals/{proposal['id']}").json()["status"] == "accepted"


def test_a_later_start_must_fit_on_that_day_and_can_be_called_off(
    provider: Client, coordinator: Client
) -> None:
    # Ten today (2026-11-23), eleven on 1 March: the home takes children up to ten.
    add_home(provider, "H-1", age_max=10)
    add_child(coordinator, "C-1", age=None, birth_date="2016-03-01")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    confirm = f"/v1/proposals/{proposal['id']}/confirm"
    late = assert_problem(coordinator.post(confirm, json={"start_date": "2027-06-01"}), 409)
    assert "age" in {r["code"] for r in late["reasons"]}
    assert coordinator.get(f"/v1/proposals/{proposal['id']}").json()["status"] == "accepted"
    assert coordinator.post(confirm, json={"start_date": "2027-02-01"}).status_code == 200
    [placement] = coordinator.get("/v1/placements").json()["items"]
    end = f"/v1/placements/{placement['id']}/end"
    # The child does not come after all: the placement ends on the day it was to begin,
    # not before and not after.
    for day in ("2027-01-31", "2027-02-02"):
        assert_problem(coordinator.post(end, json={"reason": "return_home", "end_date": day}), 422)
    ended = coordinator.post(end, json={"reason": "breakdown", "end_date": "2027-02-01"})
    assert ended.status_code == 200, ended.text
    # The breakdown is known today and dated today, not on the day that never came: a
    # history event may not lie in the future, and the child stays editable.
    child = coordinator.get("/v1/children/C-1").json()
    assert [(e["event"], e["date"]) for e in child["history"]] == [("breakdown", "2026-11-23")]
    assert coordinator.patch("/v1/children/C-1", json={"urgency": "crisis"}).status_code == 200


def test_a_placement_cannot_start_before_the_last_one_ended(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_home(provider, "H-2", postcode="6716")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1", start_date="2026-11-01")
    [first] = coordinator.get("/v1/placements").json()["items"]
    coordinator.post(
        f"/v1/placements/{first['id']}/end", json={"reason": "breakdown", "end_date": "2026-11-20"}
    )
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-2")
    confirm = f"/v1/proposals/{proposal['id']}/confirm"
    early = assert_problem(coordinator.post(confirm, json={"start_date": "2026-11-10"}), 422)
    assert [e["path"] for e in early["errors"]] == ["$.start_date"]
    assert coordinator.post(confirm, json={"start_date": "2026-11-20"}).status_code == 200


def test_only_an_accepted_proposal_can_be_confirmed(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    assert_problem(coordinator.post(f"/v1/proposals/{proposal_id}/confirm"), 409, "invalid_state")
    assert beds(provider) == (1, 1)


def test_declining_frees_the_beds_and_keeps_the_reason(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    assert_problem(provider.post(f"/v1/proposals/{proposal_id}/decline", json={}), 422)
    assert_problem(
        provider.post(f"/v1/proposals/{proposal_id}/decline", json={"reason": "  "}), 422
    )
    declined = provider.post(
        f"/v1/proposals/{proposal_id}/decline", json={"reason": "no room for a teenager"}
    )
    assert declined.status_code == 200
    assert declined.json()["status"] == "declined"
    assert declined.json()["decline_reason"] == "no room for a teenager"
    assert beds(provider) == (1, 0)
    assert status(coordinator, "C-1") == "waiting"
    assert_problem(provider.post(f"/v1/proposals/{proposal_id}/accept"), 409, "invalid_state")


def test_carers_may_decline_after_accepting(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    declined = provider.post(f"/v1/proposals/{proposal['id']}/decline", json={"reason": "ill"})
    assert declined.json()["status"] == "declined"


def test_withdrawing_frees_the_beds(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    withdrawn = coordinator.post(
        f"/v1/proposals/{proposal_id}/withdraw", json={"reason": "parents moved"}
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdraw_reason"] == "parents moved"
    assert beds(provider) == (1, 0)
    assert status(coordinator, "C-1") == "waiting"
    assert_problem(coordinator.post(f"/v1/proposals/{proposal_id}/withdraw"), 409)


def test_a_confirmed_proposal_cannot_be_withdrawn(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    assert_problem(
        coordinator.post(f"/v1/proposals/{proposal['id']}/withdraw"), 409, "invalid_state"
    )
    assert beds(provider) == (0, 0)


def test_each_side_acts_only_on_its_part(
    provider: Client,
    provider_b: Client,
    coordinator: Client,
    coordinator_b: Client,
    admin: Client,
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    pid = propose(coordinator, ["C-1"], "H-1").json()["id"]
    assert_problem(coordinator.post(f"/v1/proposals/{pid}/accept"), 403)
    assert_problem(admin.post(f"/v1/proposals/{pid}/accept"), 403)
    assert_problem(provider_b.post(f"/v1/proposals/{pid}/accept"), 404)
    assert_problem(provider.post(f"/v1/proposals/{pid}/withdraw"), 403)
    assert_problem(coordinator_b.post(f"/v1/proposals/{pid}/withdraw"), 404)
    assert_problem(coordinator_b.post(f"/v1/proposals/{pid}/confirm"), 404)
    assert_problem(provider_b.post(f"/v1/proposals/{pid}/decline", json={"reason": "x"}), 404)
    assert coordinator.get(f"/v1/proposals/{pid}").json()["status"] == "proposed"


def test_who_sees_which_proposal(
    provider: Client,
    provider_b: Client,
    coordinator: Client,
    coordinator_b: Client,
    admin: Client,
    municipality: Client,
) -> None:
    add_home(provider, "H-1")
    add_home(provider_b, "H-2", organisation="org-b")
    add_child(coordinator, "C-1")
    add_child(coordinator_b, "C-2")
    p1 = propose(coordinator, ["C-1"], "H-1").json()["id"]
    p2 = propose(coordinator_b, ["C-2"], "H-2").json()["id"]

    def ids(client: Client, **params: Any) -> list[str]:
        return [p["id"] for p in client.get("/v1/proposals", params=params).json()["items"]]

    assert ids(coordinator) == [p1]
    assert ids(coordinator_b) == [p2]
    assert ids(provider) == [p1]
    assert ids(provider_b) == [p2]
    assert sorted(ids(admin)) == sorted([p1, p2])
    assert ids(coordinator, status="accepted") == []
    assert_problem(coordinator_b.get(f"/v1/proposals/{p1}"), 404)
    assert_problem(provider_b.get(f"/v1/proposals/{p1}"), 404)
    assert admin.get(f"/v1/proposals/{p1}").status_code == 200
    assert_problem(municipality.get(f"/v1/proposals/{p1}"), 404)
    assert_problem(municipality.get("/v1/proposals"), 403)
    assert_problem(coordinator.get("/v1/proposals/nope"), 404)


def test_a_hold_lapses_after_the_hold_period(
    api: Api, provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    api.clock.advance(timedelta(days=5) - timedelta(seconds=1))
    assert coordinator.get(f"/v1/proposals/{proposal_id}").json()["status"] == "proposed"
    api.clock.advance(timedelta(seconds=1))
    expired = coordinator.get(f"/v1/proposals/{proposal_id}").json()
    assert expired["status"] == "expired"
    assert expired["closed_at"] is not None
    assert beds(provider) == (1, 0)
    assert status(coordinator, "C-1") == "waiting"
    assert_problem(provider.post(f"/v1/proposals/{proposal_id}/accept"), 409, "expired")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201


def test_an_accepted_proposal_also_lapses(api: Api, provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    api.clock.advance(timedelta(days=6))
    assert_problem(coordinator.post(f"/v1/proposals/{proposal['id']}/confirm"), 409, "expired")
    assert beds(provider) == (1, 0)
    assert coordinator.get("/v1/placements").json()["total"] == 0


def test_a_child_may_join_a_sibling_already_placed_there(
    api: Api, provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", beds_free=1)
    add_child(coordinator, "C-old", age=12)
    confirmed_proposal(coordinator, provider, ["C-old"], "H-1")
    add_child(coordinator, "C-young", siblings=["C-old"])
    elsewhere = assert_problem(propose(coordinator, ["C-young"], "H-2"), 409, "siblings_together")
    assert "C-old" in elsewhere["detail"]
    joining = propose(coordinator, ["C-young"], "H-1")
    assert joining.status_code == 201, joining.text
    assert (joining.json()["child_ids"], joining.json()["beds"]) == (["C-young"], 1)
    provider.post(f"/v1/proposals/{joining.json()['id']}/accept")
    coordinator.post(f"/v1/proposals/{joining.json()['id']}/confirm")
    assert beds(provider) == (0, 0)
    with api.uow.read() as tx:
        rows = {r.child_id: r for r in tx.session.scalars(select(PlacementRow))}
    assert rows["C-young"].together is True
    assert rows["C-young"].sibling_group is not None
    assert rows["C-old"].sibling_group is None  # placed alone, before the sibling came


def test_a_sibling_a_child_is_protected_from_cannot_join_it(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1", split_reason="sibling_threat")
    add_child(coordinator, "C-2", siblings=["C-1"])
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    body = assert_problem(propose(coordinator, ["C-2"], "H-1"), 409, "rule_broken")
    assert [r["code"] for r in body["reasons"]] == ["keep_apart"]
    options = coordinator.get("/v1/children/C-2/options").json()
    assert "H-1" not in [o["home_id"] for o in options["options"]]
