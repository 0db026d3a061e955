"""Children through HTTP: the scenario child object, sibling relations kept whole, ownership."""

from __future__ import annotations

from api.schemas.children import ChildUpdate
from tests.api.conftest import Client
from tests.api.helpers import add_child, add_home, assert_problem, propose
from tests.builders import child


def test_coordinator_registers_a_child_and_reads_it_back(coordinator: Client) -> None:
    created = add_child(
        coordinator,
        "C-1",
        parents_postcode="6712 ab",
        school_postcode="6716",
        needs={"trauma": 2},
        urgency="crisis",
        languages=["nl"],
    )
    assert created["organisation"] == "jb-a"
    assert created["status"] == "waiting"
    assert created["parents_postcode"] == "6712"  # only the PC4 is kept (minimisation)
    assert created["needs"] == {"trauma": 2}
    assert created["siblings"] == []
    assert coordinator.get("/v1/children/C-1").json() == created


def test_child_body_is_the_scenario_child_object(coordinator: Client) -> None:
    add_child(coordinator, "C-2")
    body = child(
        "C-1",
        age=None,
        birth_date="2015-03-01",
        siblings=["C-2"],
        split_reason="other",
        split_note="recorded by the judge",
        keep_apart=[],
        min_distance_from_parents_km=25.0,
        religion="none",
        current_home=None,
    )
    response = coordinator.post("/v1/children", json=body)
    assert response.status_code == 201, response.text
    stored = response.json()
    for field, value in body.items():
        assert stored[field] == value, field


def test_siblings_are_symmetric_whichever_child_names_them(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    assert coordinator.get("/v1/children/C-1").json()["siblings"] == ["C-2"]
    add_child(coordinator, "C-3")
    coordinator.patch("/v1/children/C-3", json={"siblings": ["C-1", "C-2"]})
    assert coordinator.get("/v1/children/C-1").json()["siblings"] == ["C-2", "C-3"]
    assert coordinator.get("/v1/children/C-2").json()["siblings"] == ["C-1", "C-3"]


def test_unlinking_a_sibling_removes_both_directions(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    response = coordinator.patch("/v1/children/C-1", json={"siblings": []})
    assert response.json()["siblings"] == []
    assert coordinator.get("/v1/children/C-2").json()["siblings"] == []


def test_removing_a_child_removes_it_from_other_lists(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    add_child(coordinator, "C-3", keep_apart=["C-1"])
    response = coordinator.delete("/v1/children/C-1")
    assert response.status_code == 204
    assert_problem(coordinator.get("/v1/children/C-1"), 404)
    assert coordinator.get("/v1/children/C-2").json()["siblings"] == []
    assert coordinator.get("/v1/children/C-3").json()["keep_apart"] == []


def test_references_must_be_own_children(coordinator: Client, coordinator_b: Client) -> None:
    add_child(coordinator_b, "C-b")
    body = assert_problem(
        coordinator.post("/v1/children", json=child("C-1", siblings=["C-b"], keep_apart=["C-x"])),
        422,
    )
    assert {e["path"]: e["reason"] for e in body["errors"]} == {
        "$.siblings[0]": "unknown child id",
        "$.keep_apart[0]": "unknown child id",
    }
    assert_problem(coordinator.get("/v1/children/C-1"), 404)


def test_current_home_must_be_a_registered_home(coordinator: Client, provider: Client) -> None:
    body = assert_problem(coordinator.post("/v1/children", json=child(current_home="H-x")), 422)
    assert body["errors"][0]["path"] == "$.current_home"
    add_home(provider, "H-1")
    assert add_child(coordinator, "C-1", current_home="H-1")["current_home"] == "H-1"


def test_keep_apart_inside_a_group_that_may_not_be_split_is_refused(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    body = assert_problem(
        coordinator.post("/v1/children", json=child("C-2", siblings=["C-1"], keep_apart=["C-1"])),
        422,
    )
    assert body["errors"][0]["path"] == "$.keep_apart"
    assert "split_reason" in body["errors"][0]["reason"]
    add_child(
        coordinator, "C-2", siblings=["C-1"], keep_apart=["C-1"], split_reason="sibling_threat"
    )


def test_joining_a_group_is_checked_for_the_whole_group(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", keep_apart=["C-1"])
    add_child(coordinator, "C-3", siblings=["C-1"])
    # C-2 joining through C-3 would put C-2 and C-1 in one group that may not be split.
    body = assert_problem(coordinator.patch("/v1/children/C-2", json={"siblings": ["C-3"]}), 422)
    assert body["errors"]
    assert coordinator.get("/v1/children/C-3").json()["siblings"] == ["C-1"]


def test_taken_id_is_a_conflict_even_in_another_organisation(
    coordinator: Client, coordinator_b: Client
) -> None:
    add_child(coordinator, "C-1")
    first = assert_problem(coordinator.post("/v1/children", json=child("C-1")), 409, "id_taken")
    other = assert_problem(coordinator_b.post("/v1/children", json=child("C-1")), 409, "id_taken")
    assert first["detail"] == other["detail"]  # the answer does not say whose it is


def test_another_organisations_child_is_not_found(
    coordinator: Client, coordinator_b: Client
) -> None:
    add_child(coordinator, "C-1")
    missing = assert_problem(coordinator_b.get("/v1/children/C-nope"), 404)
    foreign = assert_problem(coordinator_b.get("/v1/children/C-1"), 404)
    assert foreign["detail"] == missing["detail"].replace("C-nope", "C-1")
    assert_problem(coordinator_b.patch("/v1/children/C-1", json={"age": 9}), 404)
    assert_problem(coordinator_b.delete("/v1/children/C-1"), 404)
    assert_problem(coordinator_b.get("/v1/children/C-1/options"), 404)
    assert coordinator_b.get("/v1/children").json()["total"] == 0


def test_providers_and_municipalities_see_no_children(
    coordinator: Client, provider: Client, municipality: Client
) -> None:
    add_child(coordinator, "C-1")
    for client in (provider, municipality):
        # A child's URL does not exist for a role that may never read a child.
        assert_problem(client.get("/v1/children/C-1"), 404)
        assert_problem(client.get("/v1/children/C-1/options"), 404)
        assert_problem(client.get("/v1/children"), 403)
        assert_problem(client.post("/v1/children", json=child("C-2")), 403)


def test_coordinator_cannot_register_for_another_organisation(coordinator: Client) -> None:
    response = coordinator.post("/v1/children", params={"organisation": "jb-b"}, json=child())
    assert_problem(response, 403)
    same = coordinator.post("/v1/children", params={"organisation": "jb-a"}, json=child())
    assert same.status_code == 201


def test_admin_names_the_organisation(admin: Client, coordinator: Client) -> None:
    body = assert_problem(admin.post("/v1/children", json=child()), 422)
    error = body["errors"][0]
    assert (error["location"], error["path"]) == ("query", "$.organisation")
    created = admin.post("/v1/children", params={"organisation": "jb-a"}, json=child())
    assert created.status_code == 201
    assert coordinator.get("/v1/children/C-1").json()["organisation"] == "jb-a"
    assert admin.get("/v1/children").json()["total"] == 1
    assert admin.get("/v1/children/C-1").status_code == 200


def test_list_filters_by_status(coordinator: Client, provider: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    waiting = coordinator.get("/v1/children", params={"status": "waiting"}).json()
    assert [c["id"] for c in waiting["items"]] == ["C-2"]
    both = coordinator.get("/v1/children", params=[("status", "waiting"), ("status", "proposed")])
    assert both.json()["total"] == 2
    assert_problem(coordinator.get("/v1/children", params={"status": "lost"}), 422)


def test_update_changes_only_the_given_fields(coordinator: Client) -> None:
    add_child(coordinator, "C-1", needs={"trauma": 1}, urgency="crisis")
    body = coordinator.patch("/v1/children/C-1", json={"needs": {"autism": 2}}).json()
    assert body["needs"] == {"autism": 2}
    assert body["urgency"] == "crisis"


def test_update_is_validated_as_a_whole(coordinator: Client) -> None:
    add_child(coordinator, "C-1")
    body = assert_problem(coordinator.patch("/v1/children/C-1", json={"age": None}), 422)
    assert "birth_date or age" in body["errors"][0]["reason"]
    assert_problem(coordinator.patch("/v1/children/C-1", json={"id": "C-2"}), 422)
    assert_problem(coordinator.patch("/v1/children/C-1", json={"siblings": ["C-1"]}), 422)
    assert_problem(
        coordinator.patch("/v1/children/C-1", json={"birth_date": "2012-01-01", "age": 3}), 422
    )
    assert coordinator.get("/v1/children/C-1").json()["age"] == 8


def test_birth_date_in_the_future_is_refused(coordinator: Client) -> None:
    body = assert_problem(
        coordinator.post("/v1/children", json=child(age=None, birth_date="2027-01-01")), 422
    )
    assert body["errors"][0]["path"] == "$.birth_date"


def test_proposed_child_cannot_be_changed_or_removed(coordinator: Client, provider: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    assert_problem(coordinator.patch("/v1/children/C-1", json={"age": 9}), 409, "child_proposed")
    assert_problem(coordinator.delete("/v1/children/C-1"), 409, "child_proposed")
    assert_problem(
        coordinator.patch("/v1/children/C-2", json={"siblings": ["C-1"]}), 409, "child_proposed"
    )


def test_the_group_of_a_proposed_child_cannot_change_anywhere_along_it(
    coordinator: Client, provider: Client
) -> None:
    # C-1 - C-2 - C-3 is one group; C-1 goes alone (a recorded split reason).
    add_home(provider, "H-1")
    add_child(coordinator, "C-1", split_reason="specialist_care")
    add_child(coordinator, "C-2", siblings=["C-1"])
    add_child(coordinator, "C-3", siblings=["C-2"])
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    before = coordinator.get("/v1/children").json()
    # Removing the middle child, or its link to C-3, would split the proposed group.
    assert_problem(coordinator.delete("/v1/children/C-2"), 409, "child_proposed")
    assert_problem(coordinator.delete("/v1/children/C-3"), 409, "child_proposed")
    assert_problem(
        coordinator.patch("/v1/children/C-3", json={"siblings": []}), 409, "child_proposed"
    )
    assert coordinator.get("/v1/children").json() == before
    # A change that leaves the group as it is stays allowed.
    assert coordinator.patch("/v1/children/C-3", json={"age": 9}).status_code == 200


def test_an_update_may_carry_a_history_of_hundreds_of_events() -> None:
    # The service records a decline for every home that says no, and a recorded event
    # cannot be removed: an edit of a long history must still be a valid body.
    events = [
        {"home_id": "H-1", "event": "declined", "date": f"20{y:02d}-{m:02d}-01"}
        for y in range(10, 26)
        for m in range(1, 13)
    ]
    assert len(events) > 190
    body = ChildUpdate.model_validate({"history": events * 2})
    assert len(body.history or []) == 2 * len(events)
