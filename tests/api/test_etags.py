"""ETag and If-Match on homes and children: a change based on a stale read answers 412 and
changes nothing, so two people editing one object never overwrite each other unknowingly."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tests.api.conftest import Client
from tests.api.helpers import (
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
    upload_homes,
)


def _etag(response: Any) -> str:
    assert response.status_code == 200, response.text
    tag: str = response.headers["etag"]
    assert re.fullmatch(r'"[0-9]+"', tag), tag  # strong, not W/"..."
    return tag


def test_the_second_of_two_editors_of_a_home_gets_412(provider: Client, admin: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    seen_by_provider = _etag(provider.get("/v1/homes/H-1"))
    seen_by_admin = _etag(admin.get("/v1/homes/H-1"))
    assert seen_by_provider == seen_by_admin
    first = provider.patch(
        "/v1/homes/H-1", json={"beds_free": 3}, headers={"If-Match": seen_by_provider}
    )
    new_tag = _etag(first)
    assert new_tag != seen_by_provider
    second = admin.patch(
        "/v1/homes/H-1", json={"beds_free": 0}, headers={"If-Match": seen_by_admin}
    )
    assert_problem(second, 412, "stale")
    now = provider.get("/v1/homes/H-1")
    assert now.json()["beds_free"] == 3
    assert _etag(now) == new_tag


def test_the_second_of_two_editors_of_a_child_gets_412(coordinator: Client, admin: Client) -> None:
    add_child(coordinator, "C-1", age=8)
    tag = _etag(coordinator.get("/v1/children/C-1"))
    first = coordinator.patch("/v1/children/C-1", json={"age": 9}, headers={"If-Match": tag})
    assert _etag(first) != tag
    second = admin.patch("/v1/children/C-1", json={"urgency": "crisis"}, headers={"If-Match": tag})
    assert_problem(second, 412, "stale")
    child = coordinator.get("/v1/children/C-1").json()
    assert (child["age"], child["urgency"]) == (9, "planned")


def test_a_stale_if_match_on_delete_removes_nothing(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    home_tag = _etag(provider.get("/v1/homes/H-1"))
    child_tag = _etag(coordinator.get("/v1/children/C-1"))
    provider.patch("/v1/homes/H-1", json={"beds_free": 2})
    coordinator.patch("/v1/children/C-1", json={"age": 9})
    assert_problem(provider.delete("/v1/homes/H-1", headers={"If-Match": home_tag}), 412)
    assert_problem(coordinator.delete("/v1/children/C-1", headers={"If-Match": child_tag}), 412)
    assert provider.get("/v1/homes/H-1").status_code == 200
    assert coordinator.get("/v1/children/C-1").status_code == 200
    fresh = _etag(coordinator.get("/v1/children/C-1"))
    assert coordinator.delete("/v1/children/C-1", headers={"If-Match": fresh}).status_code == 204


def test_without_if_match_the_last_writer_wins_as_before(provider: Client) -> None:
    add_home(provider, "H-1")
    assert provider.patch("/v1/homes/H-1", json={"beds_free": 2}).status_code == 200
    assert provider.patch("/v1/homes/H-1", json={"beds_free": 4}).status_code == 200
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 4


def test_if_match_compares_strongly_and_star_matches_any_version(provider: Client) -> None:
    add_home(provider, "H-1")
    tag = _etag(provider.get("/v1/homes/H-1"))
    weak = provider.patch("/v1/homes/H-1", json={"beds_free": 2}, headers={"If-Match": f"W/{tag}"})
    assert_problem(weak, 412)
    listed = provider.patch(
        "/v1/homes/H-1", json={"beds_free": 2}, headers={"If-Match": f'"nope", {tag}'}
    )
    assert listed.status_code == 200
    star = provider.patch("/v1/homes/H-1", json={"beds_free": 3}, headers={"If-Match": "*"})
    assert star.status_code == 200


def test_bed_holds_leave_a_homes_etag_but_change_the_childs(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    home_tag = _etag(provider.get("/v1/homes/H-1"))
    child_tag = _etag(coordinator.get("/v1/children/C-1"))
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    held = provider.get("/v1/homes/H-1")
    assert held.json()["beds_held"] == 1
    assert _etag(held) == home_tag  # the provider's edit of beds_free is not stale
    assert _etag(coordinator.get("/v1/children/C-1")) != child_tag  # its status changed
    patched = provider.patch("/v1/homes/H-1", json={"beds_free": 3}, headers={"If-Match": home_tag})
    assert patched.status_code == 200


def test_a_new_sibling_link_changes_the_other_childs_etag(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    tag = _etag(coordinator.get("/v1/children/C-1"))
    add_child(coordinator, "C-2", siblings=["C-1"])
    assert coordinator.get("/v1/children/C-1").json()["siblings"] == ["C-2"]
    assert _etag(coordinator.get("/v1/children/C-1")) != tag


def test_concurrent_edits_with_one_etag_have_exactly_one_winner(
    provider: Client, admin: Client
) -> None:
    add_home(provider, "H-1", beds_free=1)
    tag = _etag(provider.get("/v1/homes/H-1"))
    racers = [(provider, 2), (admin, 3), (provider, 4), (admin, 5)]
    barrier = threading.Barrier(len(racers))

    def edit(racer: tuple[Client, int]) -> int:
        client, beds = racer
        barrier.wait()
        response = client.patch(
            "/v1/homes/H-1", json={"beds_free": beds}, headers={"If-Match": tag}
        )
        return int(response.status_code)

    with ThreadPoolExecutor(len(racers)) as pool:
        statuses = list(pool.map(edit, racers))
    assert sorted(statuses) == [200, 412, 412, 412], statuses
    winner = racers[statuses.index(200)][1]
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == winner


def test_a_confirmed_placement_makes_an_edit_of_beds_free_stale(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    tag = _etag(provider.get("/v1/homes/H-1"))
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1
    stale = provider.patch("/v1/homes/H-1", json={"beds_free": 3}, headers={"If-Match": tag})
    assert_problem(stale, 412, "stale")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1


def test_a_csv_import_that_replaces_a_home_makes_an_earlier_read_stale(
    provider: Client,
) -> None:
    add_home(provider, "H-1", beds_free=1)
    seen = _etag(provider.get("/v1/homes/H-1"))
    data = "id,type,postcode,beds_free\nH-1,foster,6714,2\n"
    imported = upload_homes(provider, data, as_file=False)
    assert imported.status_code == 200, imported.text
    stale = provider.patch("/v1/homes/H-1", json={"beds_free": 0}, headers={"If-Match": seen})
    assert_problem(stale, 412, "stale")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 2
