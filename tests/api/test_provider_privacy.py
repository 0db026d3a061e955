"""What a provider may learn about children: only what carers need to decide on a proposal
to one of its own homes, and nothing at all about any other child. A confidential
placement shows carers nothing about where the child comes from."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import Client
from tests.api.helpers import accepted_proposal, add_child, add_home, assert_problem, propose


def _same_as_missing(response: Any, missing: Any, child_id: str) -> None:
    """An existing child's answer is the answer for a child that does not exist."""
    assert response.status_code == missing.status_code == 404
    assert response.json() == {**missing.json(), "detail": f"child '{child_id}' not found"}


def test_a_provider_learns_nothing_about_a_child_not_proposed_to_its_home(
    provider: Client, provider_b: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_home(provider_b, "H-2", organisation="org-b")
    add_child(coordinator, "C-1", school_postcode="6716")
    proposal_id = propose(coordinator, ["C-1"], "H-2").json()["id"]
    for method, suffix, body in (
        ("GET", "", None),
        ("PATCH", "", {"age": 9}),
        ("DELETE", "", None),
        ("GET", "/options", None),
    ):
        real = provider.request(method, f"/v1/children/C-1{suffix}", json=body)
        missing = provider.request(method, f"/v1/children/C-404{suffix}", json=body)
        _same_as_missing(real, missing, "C-1")
    assert_problem(provider.get(f"/v1/proposals/{proposal_id}"), 404)
    assert_problem(provider.post(f"/v1/proposals/{proposal_id}/accept"), 404)
    assert provider.get("/v1/proposals").json()["items"] == []
    assert provider.get("/v1/placements").json()["items"] == []
    assert_problem(provider.get("/v1/children"), 403)
    # ... while the provider of the home it was proposed to does see it.
    assert provider_b.get(f"/v1/proposals/{proposal_id}").status_code == 200


def test_carers_see_age_needs_group_size_and_school_area_only(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=3, capabilities={"trauma": 2})
    add_child(coordinator, "C-1", parents_postcode="6712", school_postcode="6716", age=13)
    add_child(coordinator, "C-2", siblings=["C-1"], split_reason="sibling_threat")
    add_child(coordinator, "C-3", siblings=["C-2"], needs={"trauma": 2})
    proposal = propose(coordinator, ["C-1", "C-3"], "H-1").json()
    coordinator.post(f"/v1/proposals/{proposal['id']}/withdraw", json={"reason": "moeder 6712"})
    seen = provider.get(f"/v1/proposals/{proposal['id']}").json()
    assert seen["audience"] == "provider"
    assert set(seen) == {
        "audience",
        "id",
        "status",
        "home_id",
        "organisation",
        "child_ids",
        "children",
        "sibling_group_size",
        "beds",
        "created_at",
        "updated_at",
        "expires_at",
        "accepted_at",
        "closed_at",
        "decline_reason",
        "decline_reason_code",  # the carers' own answer
        "beds_check_requested",  # a request to the carers' own organisation
    }
    assert seen["sibling_group_size"] == 3
    assert seen["organisation"] == "jb-a"
    first = seen["children"][0]
    assert first["school_area"] == {"municipality": "Ede", "distance_km": 2.5}
    assert first["age"] == 13
    text = str(seen)
    for hidden in ("6712", "6716", "sibling_threat", "moeder", "split"):
        assert hidden not in text
    # The coordinator's own view keeps everything.
    mine = coordinator.get(f"/v1/proposals/{proposal['id']}").json()
    assert (mine["audience"], mine["split_reason"], mine["withdraw_reason"]) == (
        "coordinator",
        "sibling_threat",
        "moeder 6712",
    )


def test_a_confidential_placement_shows_nothing_of_its_origin(
    provider: Client, coordinator: Client
) -> None:
    # Parents and school in Wageningen; the child must live at least 5 km from the parents.
    add_home(provider, "H-1")
    add_child(
        coordinator,
        "C-1",
        parents_postcode="6708",
        school_postcode="6702",
        min_distance_from_parents_km=5,
        age=14,
    )
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    assert proposal["children"][0]["confidential"] is True
    coordinator.post(f"/v1/proposals/{proposal['id']}/confirm")
    answers = [
        proposal,
        provider.get(f"/v1/proposals/{proposal['id']}").json(),
        provider.get("/v1/proposals").json(),
        provider.get("/v1/placements").json(),
    ]
    placement_id = answers[-1]["items"][0]["id"]
    answers.append(provider.get(f"/v1/placements/{placement_id}").json())
    for answer in answers:
        text = str(answer)
        for origin in ("6708", "6702", "Wageningen", "0289", "jb-a", "distance"):
            assert origin not in text, (origin, answer)
    assert answers[1]["children"][0]["school_area"] is None
    assert answers[1]["organisation"] is None
    assert answers[-1]["organisation"] is None
    # The coordinator still sees where its child comes from.
    assert coordinator.get(f"/v1/placements/{placement_id}").json()["organisation"] == "jb-a"


def test_coordinators_see_only_their_own_children_in_a_network_home(
    provider: Client, coordinator: Client, coordinator_b: Client, admin: Client
) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator_b, "C-2")
    add_home(provider, "H-1", type="network_foster", known_to=[])
    for client, child_id in ((coordinator, "C-1"), (coordinator_b, "C-2")):
        attached = client.put(f"/v1/children/{child_id}/network/H-1")
        assert attached.status_code == 200, attached.text
    assert coordinator.get("/v1/homes/H-1").json()["known_to"] == ["C-1"]
    assert coordinator_b.get("/v1/homes").json()["items"][0]["known_to"] == ["C-2"]
    assert provider.get("/v1/homes/H-1").json()["known_to"] == ["C-1", "C-2"]
    assert admin.get("/v1/homes/H-1").json()["known_to"] == ["C-1", "C-2"]


def test_one_confidential_member_makes_the_whole_group_confidential(
    provider: Client, coordinator: Client
) -> None:
    # C-1 must live at least 25 km from the parents; its brother C-2 need not. Both go to
    # school in Ede, near the parents: the brother's school area would locate them too.
    for home_id, postcode in (("H-1", "3511"), ("H-2", "3512")):
        add_home(provider, home_id, postcode=postcode, beds_free=2)
    add_child(coordinator, "C-1", school_postcode="6716", min_distance_from_parents_km=25)
    add_child(coordinator, "C-2", siblings=["C-1"], school_postcode="6718", age=13)
    first = propose(coordinator, ["C-1", "C-2"], "H-1").json()["id"]
    declined = provider.post(f"/v1/proposals/{first}/decline", json={"reason": "vol"})
    assert declined.status_code == 200, declined.text
    proposal = accepted_proposal(coordinator, provider, ["C-1", "C-2"], "H-2")
    confirmed = coordinator.post(f"/v1/proposals/{proposal['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.text
    placements = provider.get("/v1/placements").json()
    answers = [
        declined.json(),
        proposal,
        provider.get(f"/v1/proposals/{proposal['id']}").json(),
        provider.get("/v1/proposals").json(),
        placements,
        *(provider.get(f"/v1/placements/{p['id']}").json() for p in placements["items"]),
    ]
    for answer in answers:
        text = str(answer)
        for origin in ("6712", "6716", "6718", "Ede", "0228", "jb-a", "distance"):
            assert origin not in text, (origin, answer)
    for view in answers[:3]:
        assert view["organisation"] is None
        assert [c["school_area"] for c in view["children"]] == [None, None]
        assert [c["confidential"] for c in view["children"]] == [True, True]
    assert [p["organisation"] for p in placements["items"]] == [None, None]
    # The coordinator's own views keep everything.
    mine = coordinator.get("/v1/placements").json()["items"]
    assert [p["organisation"] for p in mine] == ["jb-a", "jb-a"]


def test_a_sibling_placed_confidentially_elsewhere_hides_the_others_origin(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", postcode="3511")
    add_home(provider, "H-2")
    add_child(coordinator, "C-1", min_distance_from_parents_km=25)
    add_child(coordinator, "C-2", siblings=["C-1"], school_postcode="6716", age=13)
    coordinator.patch("/v1/children/C-2", json={"split_reason": "specialist_care"})
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    alone = propose(coordinator, ["C-2"], "H-2").json()["id"]
    seen = provider.get(f"/v1/proposals/{alone}").json()
    assert seen["organisation"] is None
    assert seen["children"][0]["school_area"] is None
    assert "Ede" not in str(seen)


def _import(provider: Client, rows: str) -> Any:
    data = "id,organisation,type,postcode,beds_free\n" + rows
    return provider.post(
        "/v1/homes/import", content=data.encode(), headers={"Content-Type": "text/csv"}
    )


def test_a_home_cannot_move_under_an_open_proposal(provider: Client, coordinator: Client) -> None:
    # Were it allowed, carers could move the home, accept, read why the accept was refused
    # (the distance to the parents) and move again: a few tries locate the parents.
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", postcode="6714")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    before = provider.get("/v1/homes/H-1").json()
    moved = provider.patch("/v1/homes/H-1", json={"postcode": "3511"})
    assert_problem(moved, 409)
    assert moved.json()["code"] == "open_proposals"
    # Nor through an import; the whole file is refused, the other home too.
    imported = _import(provider, "H-2,org-a,foster,3512,1\nH-1,org-a,foster,3511,2\n")
    assert_problem(imported, 422)
    problems = imported.json()["errors"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "postcode")]
    assert provider.get("/v1/homes/H-1").json() == before
    assert provider.get("/v1/homes/H-2").json()["postcode"] == "6714"
    # Anything else may change, and so may the postcode's letters within the same PC4
    # (the engine measures from the PC4's centre).
    assert provider.patch("/v1/homes/H-1", json={"beds_free": 3}).status_code == 200
    assert _import(provider, "H-1,org-a,foster,6714AB,2\n").status_code == 200
    # Once the proposal is closed the home may move again.
    coordinator.post(f"/v1/proposals/{proposal_id}/withdraw", json={})
    assert provider.patch("/v1/homes/H-1", json={"postcode": "3511"}).status_code == 200
