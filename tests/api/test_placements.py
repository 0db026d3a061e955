"""Placements: recorded on confirmation with the audit's facts, ended with a reason."""

from __future__ import annotations

from sqlalchemy import select

from api.db.tables import PlacementRow
from tests.api.conftest import Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, confirmed_proposal


def placement_of(coordinator: Client, child_id: str) -> dict[str, object]:
    items = coordinator.get("/v1/placements", params={"open": True}).json()["items"]
    return next(p for p in items if p["child_id"] == child_id)


def test_confirmation_records_what_the_audit_counts(
    api: Api, provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2, postcode="6714")
    add_child(coordinator, "C-1", school_postcode="6716", age=9)
    add_child(coordinator, "C-2", siblings=["C-1"], age=3)
    confirmed_proposal(coordinator, provider, ["C-1", "C-2"], "H-1")
    with api.uow.read() as tx:
        rows = {r.child_id: r for r in tx.session.scalars(select(PlacementRow))}
    assert set(rows) == {"C-1", "C-2"}
    c1, c2 = rows["C-1"], rows["C-2"]
    assert c1.parents_municipality == c1.home_municipality == "0228"  # Ede
    assert 0 < c1.distance_km < 5
    assert c1.keeps_school is True
    assert c2.keeps_school is None  # too young for school
    assert c1.sibling_group == c2.sibling_group is not None
    assert "C-1" not in (c1.sibling_group or "")
    assert c1.together is True
    assert c1.home_type == "foster"


def test_ending_a_breakdown_frees_the_bed_and_the_child_waits_again(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 0
    placement = placement_of(coordinator, "C-1")
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "breakdown"})
    assert ended.status_code == 200, ended.text
    assert ended.json()["end_reason"] == "breakdown"
    assert ended.json()["end_date"] == "2026-11-23"
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1
    child = coordinator.get("/v1/children/C-1").json()
    assert (child["status"], child["current_home"]) == ("waiting", None)
    assert coordinator.get("/v1/placements", params={"open": True}).json()["total"] == 0
    assert coordinator.get("/v1/placements").json()["total"] == 1


def test_a_child_who_went_home_has_left_care(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    placement = placement_of(coordinator, "C-1")
    coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "return_home"})
    assert coordinator.get("/v1/children/C-1").json()["status"] == "left"
    assert coordinator.delete("/v1/children/C-1").status_code == 204
    # The placement outlives the child's record.
    assert coordinator.get(f"/v1/placements/{placement['id']}").json()["end_reason"] == (
        "return_home"
    )


def test_a_placement_ends_once(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    url = f"/v1/placements/{placement_of(coordinator, 'C-1')['id']}/end"
    assert coordinator.post(url, json={"reason": "move"}).status_code == 200
    assert_problem(coordinator.post(url, json={"reason": "move"}), 409, "already_ended")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1


def test_end_dates_and_reasons_are_checked(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1", start_date="2026-11-20")
    url = f"/v1/placements/{placement_of(coordinator, 'C-1')['id']}/end"
    assert_problem(coordinator.post(url, json={"reason": "bored"}), 422)
    assert_problem(coordinator.post(url, json={}), 422)
    early = assert_problem(
        coordinator.post(url, json={"reason": "move", "end_date": "2026-11-19"}), 422
    )
    assert early["errors"][0]["path"] == "$.end_date"
    assert_problem(coordinator.post(url, json={"reason": "move", "end_date": "2026-12-01"}), 422)
    ok = coordinator.post(url, json={"reason": "independence", "end_date": "2026-11-21"})
    assert ok.json()["end_date"] == "2026-11-21"


def test_who_sees_and_ends_which_placement(
    provider: Client,
    provider_b: Client,
    coordinator: Client,
    coordinator_b: Client,
    admin: Client,
    municipality: Client,
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    pid = placement_of(coordinator, "C-1")["id"]
    assert provider.get(f"/v1/placements/{pid}").status_code == 200
    assert provider.get("/v1/placements").json()["total"] == 1
    assert admin.get(f"/v1/placements/{pid}").status_code == 200
    assert_problem(provider_b.get(f"/v1/placements/{pid}"), 404)
    assert provider_b.get("/v1/placements").json()["total"] == 0
    assert_problem(coordinator_b.get(f"/v1/placements/{pid}"), 404)
    assert_problem(municipality.get(f"/v1/placements/{pid}"), 404)
    end = {"json": {"reason": "breakdown"}}
    assert_problem(provider.post(f"/v1/placements/{pid}/end", **end), 403)
    assert_problem(admin.post(f"/v1/placements/{pid}/end", **end), 403)
    assert_problem(coordinator_b.post(f"/v1/placements/{pid}/end", **end), 404)
    assert_problem(coordinator.get("/v1/placements/nope"), 404)
    assert placement_of(coordinator, "C-1")["end_date"] is None


def test_a_placed_child_cannot_be_removed_or_moved_by_hand(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_home(provider, "H-2")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    assert_problem(coordinator.delete("/v1/children/C-1"), 409, "child_placed")
    assert_problem(
        coordinator.patch("/v1/children/C-1", json={"current_home": "H-2"}), 409, "child_placed"
    )
    changed = coordinator.patch("/v1/children/C-1", json={"needs": {"trauma": 1}})
    assert changed.status_code == 200


def test_a_sibling_groups_placements_end_together_or_not_at_all(
    provider: Client, coordinator: Client, coordinator_b: Client
) -> None:
    add_home(provider, "H-1", beds_free=3)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    add_child(coordinator, "C-3", siblings=["C-1", "C-2"])
    confirmed_proposal(coordinator, provider, ["C-1", "C-2", "C-3"], "H-1")
    ids = {c: placement_of(coordinator, c)["id"] for c in ("C-1", "C-2", "C-3")}
    # C-3 went home already: ending all three is refused, and nothing changes.
    went_home = {"reason": "return_home"}
    assert coordinator.post(f"/v1/placements/{ids['C-3']}/end", json=went_home).status_code == 200
    body = {"placement_ids": [ids["C-1"], ids["C-2"], ids["C-3"]], "reason": "breakdown"}
    refused = assert_problem(coordinator.post("/v1/placements/end", json=body), 409)
    assert refused["code"] == "already_ended"
    assert {placement_of(coordinator, c)["end_date"] for c in ("C-1", "C-2")} == {None}
    assert coordinator.get("/v1/children/C-1").json()["history"] == []
    # Another organisation's coordinator cannot end them; a placement named twice is a 422.
    pair = {"placement_ids": [ids["C-1"], ids["C-2"]], "reason": "breakdown"}
    assert_problem(coordinator_b.post("/v1/placements/end", json=pair), 404)
    twice = {"placement_ids": [ids["C-1"], ids["C-1"]], "reason": "breakdown"}
    problem = assert_problem(coordinator.post("/v1/placements/end", json=twice), 422)
    assert problem["errors"][0]["path"] == "$.placement_ids"
    # The two still placed end together: one breakdown each, both beds free, in the order asked.
    ended = coordinator.post("/v1/placements/end", json=pair)
    assert ended.status_code == 200, ended.text
    items = ended.json()["items"]
    assert [(p["child_id"], p["end_reason"]) for p in items] == [
        ("C-1", "breakdown"),
        ("C-2", "breakdown"),
    ]
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 3
    for cid in ("C-1", "C-2"):
        child = coordinator.get(f"/v1/children/{cid}").json()
        assert child["status"] == "waiting"
        assert [(e["event"], e["home_id"]) for e in child["history"]] == [("breakdown", "H-1")]
