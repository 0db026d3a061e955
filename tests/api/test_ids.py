"""Object ids: one pattern everywhere (letters, digits, ``-``, ``_``, ``.``; 1-64 characters,
starting with a letter or digit), so every id stored can be read and erased again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Client
from tests.api.helpers import add_child, add_home, assert_problem, propose
from tests.builders import child, home

BAD_IDS = ["a/b", "a b", "", "x" * 65, "..", ".hidden", "-x", "kind%2F1", "Ünal", "a\tb"]
GOOD_IDS = ["H-1", "a.b_c-9", "x" * 64, "0"]


def _paths(response: Any) -> list[str]:
    return [e["path"] for e in assert_problem(response, 422)["errors"]]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_home_id_outside_the_pattern_is_refused(provider: Client, bad: str) -> None:
    assert _paths(provider.post("/v1/homes", json=home(bad))) == ["$.id"]
    assert provider.get("/v1/homes").json()["total"] == 0


@pytest.mark.parametrize("good", GOOD_IDS)
def test_every_id_inside_the_pattern_can_be_read_and_erased(
    provider: Client, coordinator: Client, good: str
) -> None:
    add_home(provider, good)
    assert provider.get(f"/v1/homes/{good}").json()["id"] == good
    assert provider.delete(f"/v1/homes/{good}").status_code == 204
    add_child(coordinator, good)
    assert coordinator.get(f"/v1/children/{good}").json()["id"] == good
    assert coordinator.delete(f"/v1/children/{good}").status_code == 204
    assert_problem(coordinator.get(f"/v1/children/{good}"), 404)


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"siblings": ["C/2"]}, "$.siblings[0]"),
        ({"keep_apart": ["ok", "C 3"]}, "$.keep_apart[1]"),
        ({"current_home": "H/1"}, "$.current_home"),
    ],
)
def test_ids_a_child_names_follow_the_pattern(
    coordinator: Client, fields: dict[str, Any], path: str
) -> None:
    assert _paths(coordinator.post("/v1/children", json=child("C-1", **fields))) == [path]
    add_child(coordinator, "C-1")
    assert _paths(coordinator.patch("/v1/children/C-1", json=fields)) == [path]


def test_ids_a_network_home_knows_follow_the_pattern(provider: Client) -> None:
    doc = home("H-1", type="network_foster", known_to=["C-1", "C/2"])
    assert _paths(provider.post("/v1/homes", json=doc)) == ["$.known_to[1]"]
    # A provider names only children proposed to it: the home starts knowing nobody.
    add_home(provider, "H-2", type="network_foster", known_to=[])
    patched = provider.patch("/v1/homes/H-2", json={"known_to": ["C 1"]})
    assert _paths(patched) == ["$.known_to[0]"]


def test_ids_a_proposal_names_follow_the_pattern(coordinator: Client) -> None:
    assert _paths(propose(coordinator, ["C-1", "C/2"], "H-1")) == ["$.child_ids[1]"]
    assert _paths(propose(coordinator, ["C-1"], "H 1")) == ["$.home_id"]


@pytest.mark.parametrize("url", ["/v1/homes/a%20b", "/v1/children/..x", "/v1/homes/%C3%9C"])
def test_a_path_id_outside_the_pattern_is_refused_naming_the_parameter(
    admin: Client, url: str
) -> None:
    errors = assert_problem(admin.get(url), 422)["errors"]
    assert [e["location"] for e in errors] == ["path"]
    assert errors[0]["path"] in ("home_id", "child_id")


def test_a_csv_row_with_an_id_outside_the_pattern_imports_nothing(provider: Client) -> None:
    text = "id,type,postcode,beds_free\nH-1,foster,6714,1\nH/2,foster,6714,1\n"
    response = provider.post(
        "/v1/homes/import", files={"file": ("homes.csv", text.encode(), "text/csv")}
    )
    errors = assert_problem(response, 422)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "id")]
    assert provider.get("/v1/homes").json()["total"] == 0


def test_the_id_of_a_deleted_child_is_never_given_again(
    coordinator: Client, coordinator_b: Client
) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator_b, "C-live")
    assert coordinator.delete("/v1/children/C-1").status_code == 204
    own = assert_problem(coordinator.post("/v1/children", json=child("C-1")), 409, "id_taken")
    foreign = assert_problem(coordinator_b.post("/v1/children", json=child("C-1")), 409, "id_taken")
    live = assert_problem(coordinator.post("/v1/children", json=child("C-live")), 409, "id_taken")
    # A tombstone answers exactly like a living child of another organisation.
    assert own == foreign == {**live, "detail": live["detail"].replace("C-live", "C-1")}
    assert coordinator_b.get("/v1/children").json()["total"] == 1
    assert_problem(coordinator.get("/v1/children/C-1"), 404)


def test_an_id_is_read_without_surrounding_spaces_as_in_a_scenario(provider: Client) -> None:
    # The scenario loader reads " H-1" as the same home too (its duplicate).
    assert provider.post("/v1/homes", json=home(" H-1 ")).json()["id"] == "H-1"
    assert_problem(provider.post("/v1/homes", json=home("H-1")), 409, "id_taken")


def test_the_id_of_a_withdrawn_home_stays_taken(provider: Client, provider_b: Client) -> None:
    add_home(provider, "H-1")
    assert provider.delete("/v1/homes/H-1").status_code == 204
    assert_problem(provider.post("/v1/homes", json=home("H-1")), 409, "id_taken")
    taken = provider_b.post("/v1/homes", json=home("H-1", organisation="org-b"))
    assert_problem(taken, 409, "id_taken")
    text = "id,type,postcode,beds_free\nH-1,foster,6714,1\n"
    imported = provider_b.post(
        "/v1/homes/import", files={"file": ("homes.csv", text.encode(), "text/csv")}
    )
    assert assert_problem(imported, 422)["errors"][0]["column"] == "id"
    assert_problem(provider.get("/v1/homes/H-1"), 404)
