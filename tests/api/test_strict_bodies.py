"""Strict types in JSON bodies: a number is a JSON number and a date an ISO date, or the
request is a 422 naming the field and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Client
from tests.api.helpers import accepted_proposal, add_child, add_home, assert_problem
from tests.builders import child, home


def _paths(response: Any) -> list[str]:
    return [e["path"] for e in assert_problem(response, 422)["errors"]]


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"age": True}, "$.age"),
        ({"age": "5"}, "$.age"),
        ({"age": 5.5}, "$.age"),
        ({"age": None, "birth_date": "2020-01-01T00:00:00"}, "$.birth_date"),
        ({"age": None, "birth_date": 1577836800}, "$.birth_date"),
        ({"age": None, "birth_date": "01-01-2020"}, "$.birth_date"),
        ({"needs": {"trauma": True}}, "$.needs.trauma"),
        ({"needs": {"trauma": "2"}}, "$.needs.trauma"),
        ({"min_distance_from_parents_km": "20"}, "$.min_distance_from_parents_km"),
        ({"min_distance_from_parents_km": False}, "$.min_distance_from_parents_km"),
    ],
)
def test_a_child_number_or_date_of_the_wrong_type_is_refused(
    coordinator: Client, fields: dict[str, Any], path: str
) -> None:
    doc = {k: v for k, v in child("C-1", **fields).items() if v is not None}
    assert _paths(coordinator.post("/v1/children", json=doc)) == [path]
    assert coordinator.get("/v1/children").json()["total"] == 0


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"beds_free": True}, "$.beds_free"),
        ({"beds_free": "2"}, "$.beds_free"),
        ({"beds_free": 2.0}, "$.beds_free"),
        ({"age_min": "3"}, "$.age_min"),
        ({"max_siblings": True}, "$.max_siblings"),
        ({"capabilities": {"trauma": True}}, "$.capabilities.trauma"),
        ({"available_from": "2026-12-01T12:00:00"}, "$.available_from"),
        ({"available_until": 20261201}, "$.available_until"),
    ],
)
def test_a_home_number_or_date_of_the_wrong_type_is_refused(
    provider: Client, fields: dict[str, Any], path: str
) -> None:
    assert _paths(provider.post("/v1/homes", json=home("H-1", **fields))) == [path]
    add_home(provider, "H-1", beds_free=1)
    assert _paths(provider.patch("/v1/homes/H-1", json=fields)) == [path]
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1


def test_a_child_patch_of_the_wrong_type_changes_nothing(coordinator: Client) -> None:
    add_child(coordinator, "C-1", age=8)
    assert _paths(coordinator.patch("/v1/children/C-1", json={"age": "9"})) == ["$.age"]
    assert _paths(coordinator.patch("/v1/children/C-1", json={"age": True})) == ["$.age"]
    assert coordinator.get("/v1/children/C-1").json()["age"] == 8


def test_proper_numbers_and_iso_dates_are_accepted(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=2, available_from="2026-12-01")
    created = add_child(coordinator, "C-1", age=None, birth_date="2018-03-04")
    assert created["birth_date"] == "2018-03-04"
    patched = coordinator.patch("/v1/children/C-1", json={"min_distance_from_parents_km": 20})
    assert patched.status_code == 200, patched.text
    assert patched.json()["min_distance_from_parents_km"] == 20.0


def test_other_bodies_take_iso_dates_and_numbers_only(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    confirm = coordinator.post(
        f"/v1/proposals/{proposal['id']}/confirm", json={"start_date": "2026-11-23T00:00:00"}
    )
    assert _paths(confirm) == ["$.start_date"]
    assert _paths(coordinator.post("/v1/match-runs", json={"time_limit_s": "5"})) == [
        "$.time_limit_s"
    ]
    key = {"role": "provider", "organisation": "org-a", "expires_in_days": True}
    assert _paths(admin.post("/v1/keys", json=key)) == ["$.expires_in_days"]


def test_csv_cells_are_still_read_as_numbers(provider: Client) -> None:
    text = "id,type,postcode,beds_free,age_max,capabilities.trauma,available_from\n"
    text += "H-1,foster,6714,3,12,2,2026-12-01\n"
    response = provider.post(
        "/v1/homes/import", files={"file": ("homes.csv", text.encode(), "text/csv")}
    )
    assert response.status_code == 200, response.text
    stored = provider.get("/v1/homes/H-1").json()
    assert (stored["beds_free"], stored["age_max"], stored["capabilities"]) == (
        3,
        12,
        {"trauma": 2},
    )
    assert stored["available_from"] == "2026-12-01"
