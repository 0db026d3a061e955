"""Network foster homes: which children a home is for (``known_to``) is said by the child's
own side. A provider names only children it has been told about through a proposal to one
of its homes; a coordinator attaches its own child; no one attaches a stranger's child."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Client
from tests.api.helpers import add_child, add_home, assert_problem, propose
from tests.builders import child


def network_home(provider: Client, home_id: str = "H-net", **fields: Any) -> dict[str, Any]:
    return add_home(provider, home_id, type="network_foster", known_to=[], **fields)


def _errors(response: Any) -> list[tuple[str, str]]:
    body = assert_problem(response, 422)
    return [(e["path"], e["reason"]) for e in body["errors"]]


def test_a_provider_cannot_name_a_child_it_was_never_told_about(
    provider: Client, coordinator_b: Client
) -> None:
    add_child(coordinator_b, "C-b")
    body = {"id": "H-net", "organisation": "org-a", "type": "network_foster"}
    body |= {"postcode": "6714", "beds_free": 1}
    foreign = provider.post("/v1/homes", json={**body, "known_to": ["C-b"]})
    nowhere = provider.post("/v1/homes", json={**body, "known_to": ["C-x"]})
    # The same answer for a stranger's child and an id that exists nowhere.
    assert _errors(foreign) == [("$.known_to[0]", "unknown child id")]
    assert _errors(nowhere) == [("$.known_to[0]", "unknown child id")]
    assert_problem(provider.get("/v1/homes/H-net"), 404)


def test_a_provider_may_name_a_child_proposed_to_one_of_its_homes(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    pid = propose(coordinator, ["C-1"], "H-1").json()["id"]
    assert provider.post(f"/v1/proposals/{pid}/decline", json={"reason": "vol"}).status_code == 200
    # The carers declined, but know the child's family: their relatives take the child.
    created = add_home(provider, "H-net", type="network_foster", known_to=["C-1"])
    assert created["known_to"] == ["C-1"]
    assert propose(coordinator, ["C-1"], "H-net").status_code == 201


def test_the_childs_coordinator_attaches_it_and_the_home_becomes_an_option(
    provider: Client, coordinator: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    assert_problem(propose(coordinator, ["C-1"], "H-net"), 409, "rule_broken")
    attached = coordinator.put("/v1/children/C-1/network/H-net")
    assert attached.status_code == 200, attached.text
    assert attached.json()["known_to"] == ["C-1"]
    again = coordinator.put("/v1/children/C-1/network/H-net")
    assert again.json()["known_to"] == ["C-1"]  # attaching twice changes nothing
    options = coordinator.get("/v1/children/C-1/options").json()
    assert options["options"][0]["home_id"] == "H-net"
    assert propose(coordinator, ["C-1"], "H-net").status_code == 201


def test_a_provider_keeps_attached_children_but_adds_no_strangers(
    provider: Client, coordinator: Client, coordinator_b: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    add_child(coordinator_b, "C-b")
    coordinator.put("/v1/children/C-1/network/H-net")
    kept = provider.patch("/v1/homes/H-net", json={"beds_free": 2, "known_to": ["C-1"]})
    assert kept.status_code == 200, kept.text
    stranger = provider.patch("/v1/homes/H-net", json={"known_to": ["C-1", "C-b"]})
    assert _errors(stranger) == [("$.known_to[1]", "unknown child id")]
    assert provider.get("/v1/homes/H-net").json()["known_to"] == ["C-1"]
    # Leaving the child out is the family's to say: it no longer takes the child.
    dropped = provider.patch("/v1/homes/H-net", json={"known_to": []})
    assert dropped.json()["known_to"] == []


def test_no_one_attaches_a_strangers_child(
    provider: Client, coordinator: Client, coordinator_b: Client, municipality: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    for client in (provider, coordinator_b, municipality):
        assert_problem(client.put("/v1/children/C-1/network/H-net"), 404)
        assert_problem(client.delete("/v1/children/C-1/network/H-net"), 404)
    assert provider.get("/v1/homes/H-net").json()["known_to"] == []


def test_an_admin_attaches_and_detaches_any_child(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    assert admin.put("/v1/children/C-1/network/H-net").json()["known_to"] == ["C-1"]
    assert admin.delete("/v1/children/C-1/network/H-net").status_code == 204
    assert provider.get("/v1/homes/H-net").json()["known_to"] == []
    assert_problem(admin.post("/v1/homes", json=_net("H-2", ["C-x"])), 422)


def _net(home_id: str, known_to: list[str]) -> dict[str, Any]:
    return {
        "id": home_id,
        "organisation": "org-a",
        "type": "network_foster",
        "postcode": "6714",
        "beds_free": 1,
        "known_to": known_to,
    }


def test_only_network_homes_take_attached_children(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    assert_problem(coordinator.put("/v1/children/C-1/network/H-1"), 409, "not_network_home")
    assert_problem(coordinator.put("/v1/children/C-1/network/H-x"), 404)
    assert provider.get("/v1/homes/H-1").json()["known_to"] == []


def test_detaching_stops_an_open_proposal_at_the_next_step(
    provider: Client, coordinator: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    coordinator.put("/v1/children/C-1/network/H-net")
    pid = propose(coordinator, ["C-1"], "H-net").json()["id"]
    assert coordinator.delete("/v1/children/C-1/network/H-net").status_code == 204
    body = assert_problem(provider.post(f"/v1/proposals/{pid}/accept"), 409, "rule_broken")
    assert [r["code"] for r in body["reasons"]] == ["network"]


def test_a_csv_import_names_no_strangers_either(
    provider: Client, coordinator: Client, coordinator_b: Client
) -> None:
    add_child(coordinator_b, "C-b")
    data = (
        "id,type,postcode,beds_free,known_to\n"
        "H-1,foster,6714,1,\n"
        "H-net,network_foster,6714,1,C-b\n"
        "H-new,network_foster,6714,1,\n"
    )
    response = provider.post(
        "/v1/homes/import", content=data.encode(), headers={"Content-Type": "text/csv"}
    )
    body = assert_problem(response, 422)
    assert [(e["row"], e["column"], e["path"]) for e in body["errors"]] == [
        (3, "known_to", "$.known_to[0]")
    ]
    assert provider.get("/v1/homes").json()["total"] == 0


def test_a_removed_child_leaves_no_network_home_behind(
    provider: Client, coordinator: Client, coordinator_b: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    coordinator.put("/v1/children/C-1/network/H-net")
    assert coordinator.delete("/v1/children/C-1").status_code == 204
    assert provider.get("/v1/homes/H-net").json()["known_to"] == []
    # The id stays taken for good (a tombstone), so no other child can inherit the family.
    assert_problem(coordinator_b.post("/v1/children", json=child("C-1")), 409, "id_taken")


def test_attaching_is_recorded_with_the_child_it_concerns(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    coordinator.put("/v1/children/C-1/network/H-net")
    coordinator.delete("/v1/children/C-1/network/H-net")
    provider.put("/v1/children/C-1/network/H-net")
    # The trail outlives each test: read only what these keys did.
    events = [
        e
        for client in (coordinator, provider)
        for e in admin.get("/v1/audit-trail", params={"key_prefix": str(client.key)[:12]}).json()[
            "items"
        ]
    ]
    mine = [
        (e["action"], e["role"], e["object_id"], e["child_ids"], e["outcome"])
        for e in sorted(events, key=lambda e: e["id"])
        if e["action"].startswith("child.network")
    ]
    assert mine == [
        ("child.network_attach", "coordinator", "C-1", ["C-1"], "allowed"),
        ("child.network_detach", "coordinator", "C-1", ["C-1"], "allowed"),
        ("child.network_attach", "provider", "C-1", [], "denied"),
    ]


def test_a_csv_import_keeps_the_children_attached_to_an_existing_home(
    provider: Client, coordinator: Client
) -> None:
    network_home(provider)
    add_child(coordinator, "C-1")
    coordinator.put("/v1/children/C-1/network/H-net")
    data = "id,type,postcode,beds_free,known_to\nH-net,network_foster,6714,2,C-1\n"
    response = provider.post(
        "/v1/homes/import", content=data.encode(), headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == ["H-net"]
    stored = provider.get("/v1/homes/H-net").json()
    assert (stored["beds_free"], stored["known_to"]) == (2, ["C-1"])


def test_a_csv_import_cannot_name_a_child_never_proposed_to_the_provider(
    provider: Client, coordinator_b: Client
) -> None:
    add_child(coordinator_b, "C-9")
    data = "id,type,postcode,beds_free,known_to\nH-net,network_foster,6714,1,C-9\n"
    response = provider.post(
        "/v1/homes/import", content=data.encode(), headers={"Content-Type": "text/csv"}
    )
    body = assert_problem(response, 422)
    assert [(e["path"], e["row"], e["column"]) for e in body["errors"]] == [
        ("$.known_to[0]", 2, "known_to")
    ]
    assert provider.get("/v1/homes/H-net").status_code == 404


def test_an_import_does_not_tell_a_provider_whom_another_organisations_home_knows(
    provider: Client, provider_b: Client, coordinator_b: Client
) -> None:
    # A row taking the id of org-b's network home is refused for its id; its known_to is
    # judged as on a new home, so the answer is the same whether org-b's home knows C-b.
    network_home(provider_b, "H-B", organisation="org-b")
    add_child(coordinator_b, "C-b")
    assert coordinator_b.put("/v1/children/C-b/network/H-B").status_code == 200
    header = "id,type,postcode,beds_free,known_to\n"
    for named in ("C-b", "C-x"):
        for kind in ("network_foster", "castle"):  # a valid row, and one with another problem
            text = header + f"H-B,{kind},6714,1,{named}\n"
            response = provider.post(
                "/v1/homes/import", files={"file": ("homes.csv", text.encode(), "text/csv")}
            )
            body = assert_problem(response, 422)
            columns = {(e["column"], e["reason"]) for e in body["errors"]}
            assert ("known_to", "unknown child id") in columns, (named, kind)
            assert ("id", "id is already in use by another organisation's home") in columns
