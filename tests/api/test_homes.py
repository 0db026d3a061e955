"""Homes through HTTP: register, read, update, withdraw, list; who may touch which home."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Api, Client
from tests.api.helpers import (
    accepted_proposal,
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
)
from tests.builders import home


def test_provider_registers_a_home_and_reads_it_back(provider: Client) -> None:
    created = add_home(provider, "H-1", postcode="6714 ab", beds_free=2, capabilities={"trauma": 2})
    assert created["id"] == "H-1"
    assert created["postcode"] == "6714"  # only the PC4 is kept (minimisation)
    assert created["beds_free"] == 2
    assert created["beds_held"] == 0
    assert created["capabilities"] == {"trauma": 2}
    read = provider.get("/v1/homes/H-1")
    assert read.status_code == 200
    assert read.json() == created


def test_home_body_is_the_scenario_home_object(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_child(coordinator, "C-9")  # an admin may name any existing child in known_to
    body = home(
        "H-net",
        type="network_foster",
        known_to=["C-9"],
        age_min=2,
        age_max=12,
        max_siblings=2,
        religion="muslim",
        languages=["nl", "ar"],
        available_from="2026-12-01",
        available_until="2027-06-30",
    )
    response = admin.post("/v1/homes", json=body)
    assert response.status_code == 201, response.text
    stored = response.json()
    for field, value in body.items():
        assert stored[field] == value, field


def test_registering_a_taken_id_is_a_conflict(provider: Client, provider_b: Client) -> None:
    add_home(provider, "H-1")
    assert_problem(provider.post("/v1/homes", json=home("H-1")), 409, "id_taken")
    assert_problem(
        provider_b.post("/v1/homes", json=home("H-1", organisation="org-b")), 409, "id_taken"
    )


def test_provider_cannot_register_for_another_organisation(provider: Client) -> None:
    response = provider.post("/v1/homes", json=home("H-1", organisation="org-b"))
    assert_problem(response, 403)
    assert provider.get("/v1/homes").json()["total"] == 0


def test_admin_registers_for_any_organisation(admin: Client) -> None:
    response = admin.post("/v1/homes", json=home("H-1", organisation="org-z"))
    assert response.status_code == 201
    assert response.json()["organisation"] == "org-z"


def test_coordinator_and_municipality_may_not_register_homes(
    coordinator: Client, municipality: Client
) -> None:
    assert_problem(coordinator.post("/v1/homes", json=home()), 403)
    assert_problem(municipality.post("/v1/homes", json=home()), 403)


def test_role_is_checked_before_the_body(municipality: Client) -> None:
    assert_problem(municipality.post("/v1/homes", json={"nonsense": True}), 403)


def test_another_providers_home_is_not_found(provider: Client, provider_b: Client) -> None:
    add_home(provider, "H-1")
    body = assert_problem(provider_b.get("/v1/homes/H-1"), 404)
    assert body["detail"] == "home 'H-1' not found"
    assert_problem(provider_b.patch("/v1/homes/H-1", json={"beds_free": 0}), 404)
    assert_problem(provider_b.delete("/v1/homes/H-1"), 404)
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1


def test_unknown_home_is_not_found(provider: Client) -> None:
    assert_problem(provider.get("/v1/homes/H-nope"), 404)


def test_coordinator_reads_every_home_but_changes_none(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    assert coordinator.get("/v1/homes/H-1").status_code == 200
    assert_problem(coordinator.patch("/v1/homes/H-1", json={"beds_free": 3}), 403)
    assert_problem(coordinator.delete("/v1/homes/H-1"), 403)


def test_municipality_sees_no_homes(provider: Client, municipality: Client) -> None:
    add_home(provider, "H-1")
    assert_problem(municipality.get("/v1/homes"), 403)
    assert_problem(municipality.get("/v1/homes/H-1"), 404)


def test_list_is_paginated_and_ordered_by_id(provider: Client) -> None:
    for i in range(5):
        add_home(provider, f"H-{i}")
    first = provider.get("/v1/homes", params={"limit": 2}).json()
    assert [h["id"] for h in first["items"]] == ["H-0", "H-1"]
    assert (first["total"], first["offset"], first["limit"]) == (5, 0, 2)
    last = provider.get("/v1/homes", params={"offset": 4, "limit": 2}).json()
    assert [h["id"] for h in last["items"]] == ["H-4"]


def test_provider_lists_own_homes_coordinator_and_admin_list_all(
    provider: Client, provider_b: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-a")
    add_home(provider_b, "H-b", organisation="org-b")
    assert [h["id"] for h in provider.get("/v1/homes").json()["items"]] == ["H-a"]
    assert [h["id"] for h in provider_b.get("/v1/homes").json()["items"]] == ["H-b"]
    assert coordinator.get("/v1/homes").json()["total"] == 2
    assert admin.get("/v1/homes").json()["total"] == 2


def test_bad_pagination_is_rejected(provider: Client) -> None:
    body = assert_problem(provider.get("/v1/homes", params={"limit": 0}), 422)
    assert body["errors"][0]["location"] == "query"
    assert body["errors"][0]["path"] == "$.limit"
    assert_problem(provider.get("/v1/homes", params={"offset": -1}), 422)
    assert_problem(provider.get("/v1/homes", params={"limit": 501}), 422)


def test_update_changes_only_the_given_fields(provider: Client) -> None:
    add_home(provider, "H-1", beds_free=1, religion="christian")
    response = provider.patch("/v1/homes/H-1", json={"beds_free": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["beds_free"] == 3
    assert body["religion"] == "christian"


def test_update_can_clear_an_optional_field(provider: Client) -> None:
    add_home(provider, "H-1", religion="christian", max_siblings=2)
    body = provider.patch("/v1/homes/H-1", json={"religion": None, "max_siblings": None}).json()
    assert body["religion"] is None
    assert body["max_siblings"] is None


def test_update_validates_the_whole_home(provider: Client) -> None:
    add_home(provider, "H-1", age_min=4, age_max=12)
    body = assert_problem(provider.patch("/v1/homes/H-1", json={"age_min": 14}), 422)
    assert "age_min 14 is above age_max 12" in body["errors"][0]["reason"]
    assert body["errors"][0]["path"] == "$.age_max"
    assert_problem(provider.patch("/v1/homes/H-1", json={"beds_free": None}), 422)
    assert_problem(provider.patch("/v1/homes/H-1", json={"organisation": "org-b"}), 422)
    assert_problem(provider.patch("/v1/homes/H-1", json={"postcode": "0000"}), 422)
    assert provider.get("/v1/homes/H-1").json()["age_min"] == 4


def test_update_refuses_a_language_named_twice_and_keeps_the_home(provider: Client) -> None:
    add_home(provider, "H-1", languages=["nl"])
    body = assert_problem(provider.patch("/v1/homes/H-1", json={"languages": ["ar", "ar"]}), 422)
    assert body["errors"][0]["path"] == "$.languages"
    assert "languages names a language more than once" in body["errors"][0]["reason"]
    assert provider.get("/v1/homes/H-1").json()["languages"] == ["nl"]


def test_free_beds_cannot_fall_below_held_beds(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    assert_problem(provider.patch("/v1/homes/H-1", json={"beds_free": 0}), 409, "beds_held")
    ok = provider.patch("/v1/homes/H-1", json={"beds_free": 1})
    assert ok.status_code == 200
    assert (ok.json()["beds_free"], ok.json()["beds_held"]) == (1, 1)


def test_withdrawn_home_disappears_and_its_id_stays_taken(provider: Client, api: Api) -> None:
    add_home(provider, "H-1")
    response = provider.delete("/v1/homes/H-1")
    assert response.status_code == 204
    assert response.content == b""
    assert_problem(provider.get("/v1/homes/H-1"), 404)
    assert_problem(provider.delete("/v1/homes/H-1"), 404)
    assert provider.get("/v1/homes").json()["total"] == 0
    assert_problem(provider.post("/v1/homes", json=home("H-1")), 409, "id_taken")


def test_home_with_an_open_proposal_cannot_be_withdrawn(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    assert_problem(provider.delete("/v1/homes/H-1"), 409, "open_proposals")
    assert provider.get("/v1/homes/H-1").status_code == 200


def test_home_with_a_placed_child_cannot_be_withdrawn(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    body = assert_problem(provider.delete("/v1/homes/H-1"), 409, "home_occupied")
    assert "C-1" not in body["detail"]  # a provider learns no more than it knows
    assert_problem(admin.delete("/v1/homes/H-1"), 409, "home_occupied")
    assert provider.get("/v1/homes/H-1").status_code == 200
    placement = coordinator.get("/v1/placements").json()["items"][0]
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "move"})
    assert ended.status_code == 200, ended.text
    assert provider.delete("/v1/homes/H-1").status_code == 204


def test_a_claim_to_live_in_a_home_does_not_keep_it_on_the_register(
    provider: Client, coordinator_b: Client
) -> None:
    # Any coordinator may register a waiting child as living in a home (a placement from
    # before the service), and its provider cannot see that child: such a claim must not
    # keep the provider from withdrawing its home. The child lives there no longer.
    add_home(provider, "H-1")
    add_child(coordinator_b, "C-1", current_home="H-1")
    assert provider.delete("/v1/homes/H-1").status_code == 204
    child = coordinator_b.get("/v1/children/C-1").json()
    assert (child["status"], child["current_home"]) == ("waiting", None)


def test_a_part_time_placement_keeps_the_home_on_the_register(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", care_kinds=["part_time"], part_time_places_free=1)
    add_child(coordinator, "C-1", care_kind="part_time")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    assert_problem(provider.delete("/v1/homes/H-1"), 409, "home_occupied")


def test_home_with_an_accepted_proposal_cannot_be_withdrawn(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    pid = accepted_proposal(coordinator, provider, ["C-1"], "H-1")["id"]
    assert_problem(provider.delete("/v1/homes/H-1"), 409, "open_proposals")
    assert coordinator.post(f"/v1/proposals/{pid}/confirm").status_code == 200
    assert_problem(provider.delete("/v1/homes/H-1"), 409, "home_occupied")


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"age_min": 12, "age_max": 4}, "$.age_max"),
        ({"available_from": "2027-02-01", "available_until": "2027-01-01"}, "$.available_until"),
        ({"known_to": ["C-1"]}, "$.known_to"),
        ({"part_time_places_free": 1}, "$.part_time_places_free"),
    ],
)
def test_a_rule_between_fields_names_the_field_to_change_not_the_body(
    provider: Client, fields: dict[str, Any], path: str
) -> None:
    body = assert_problem(provider.post("/v1/homes", json=home(**fields)), 422)
    assert [e["path"] for e in body["errors"]] == [path]
