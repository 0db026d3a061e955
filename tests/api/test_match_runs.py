"""Match runs: the batch match of the caller's waiting children, stored and read back."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from api.services import match_runs
from matching.model import Scenario
from tests.api.conftest import Client
from tests.api.helpers import (
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
    stub_solver,
)


class RecordingSolver:
    """Stands in for ``solver`` to test the service around it: what it is given, what is
    stored. The solver itself is tested in tests/solver."""

    def __init__(self) -> None:
        self.scenarios: list[Scenario] = []

    def __call__(
        self, scenario: Scenario, time_limit_s: float = 10.0, lang: str = "nl", frontier: int = 0
    ) -> dict[str, Any]:
        self.scenarios.append(scenario)
        return {
            "status": "optimal",
            "placed": 1,
            "placed_crisis": 0,
            "total_score": 200,
            "bound": 200,
            "gap": 0.0,
            "assignments": [{"child_id": scenario.children[0].id, "home_id": "H-1", "score": 200}],
            "unplaced": [],
        }


@pytest.fixture
def solver(monkeypatch: pytest.MonkeyPatch) -> RecordingSolver:
    recording = RecordingSolver()
    monkeypatch.setattr(match_runs, "run_match", recording)
    return recording


def test_a_run_is_stored_and_read_back(
    solver: RecordingSolver, provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    created = coordinator.post("/v1/match-runs", json={"time_limit_s": 2})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "optimal"
    assert body["assignments"] == [{"child_id": "C-1", "home_id": "H-1", "score": 200}]
    assert body["organisation"] == "jb-a"
    read = coordinator.get(f"/v1/match-runs/{body['id']}")
    assert read.status_code == 200
    assert read.json() == body


def test_a_run_covers_only_waiting_children_of_the_caller(
    solver: RecordingSolver,
    provider: Client,
    coordinator: Client,
    coordinator_b: Client,
    admin: Client,
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    add_child(coordinator_b, "C-b")
    assert propose(coordinator, ["C-2"], "H-1").status_code == 201
    coordinator.post("/v1/match-runs")
    assert [c.id for c in solver.scenarios[-1].children] == ["C-1"]
    assert [h.beds_free for h in solver.scenarios[-1].homes] == [1]  # one bed is held
    admin.post("/v1/match-runs")
    assert [c.id for c in solver.scenarios[-1].children] == ["C-1", "C-b"]


def test_runs_are_private_to_their_organisation(
    solver: RecordingSolver, coordinator: Client, coordinator_b: Client, admin: Client
) -> None:
    add_child(coordinator, "C-1")
    run_id = coordinator.post("/v1/match-runs").json()["id"]
    assert_problem(coordinator_b.get(f"/v1/match-runs/{run_id}"), 404)
    assert admin.get(f"/v1/match-runs/{run_id}").status_code == 200
    assert_problem(coordinator.get("/v1/match-runs/nope"), 404)


def test_providers_and_municipalities_do_not_run_matches(
    provider: Client, municipality: Client
) -> None:
    assert_problem(provider.post("/v1/match-runs"), 403)
    assert_problem(municipality.post("/v1/match-runs"), 403)
    assert_problem(provider.get("/v1/match-runs/x"), 404)


def test_bad_time_limit_is_refused(coordinator: Client) -> None:
    assert_problem(coordinator.post("/v1/match-runs", json={"time_limit_s": 0}), 422)
    assert_problem(coordinator.post("/v1/match-runs", json={"time_limit_s": 1000}), 422)


def test_a_real_run_keeps_siblings_together_and_places_everyone(
    provider: Client, coordinator: Client
) -> None:
    # The nearer home has the two beds; taking it for the single child would split the pair.
    add_home(provider, "H-near", beds_free=2, postcode="6714")
    add_home(provider, "H-far", beds_free=1, postcode="6708")
    add_child(coordinator, "C-alone")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    created = coordinator.post("/v1/match-runs", json={"time_limit_s": 5})
    assert created.status_code == 201, created.text
    run = created.json()
    assert run["status"] == "optimal"
    assert run["gap"] == 0
    assert run["placed"] == 3
    homes = {a["child_id"]: a["home_id"] for a in run["assignments"]}
    assert homes == {"C-1": "H-near", "C-2": "H-near", "C-alone": "H-far"}
    assert run["total_score"] == sum(a["score"] for a in run["assignments"])
    assert run["unplaced"] == []
    assert coordinator.get(f"/v1/match-runs/{run['id']}").json() == run
    # A match run proposes nothing: the children still wait and the beds stay free.
    assert coordinator.get("/v1/children/C-1").json()["status"] == "waiting"
    assert provider.get("/v1/homes/H-near").json()["beds_free"] == 2


def test_a_run_never_places_a_child_where_a_child_it_is_kept_apart_from_lives(
    provider: Client, coordinator: Client
) -> None:
    # H-1: C-placed lives there. H-2: C-moving is proposed there. One bed left in each.
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", beds_free=2)
    add_child(coordinator, "C-listed")
    add_child(coordinator, "C-placed", keep_apart=["C-listed"])
    confirmed_proposal(coordinator, provider, ["C-placed"], "H-1")
    add_child(coordinator, "C-moving", keep_apart=["C-listed"])
    assert propose(coordinator, ["C-moving"], "H-2").status_code == 201
    add_child(coordinator, "C-new", keep_apart=["C-placed", "C-moving"])
    run = coordinator.post("/v1/match-runs").json()
    assert run["status"] == "optimal"
    assert run["assignments"] == []
    unplaced = {u["child_id"]: u for u in run["unplaced"]}
    assert set(unplaced) == {"C-new", "C-listed"}
    for why in unplaced.values():
        assert why["eligible_homes"] == 0
        assert [(r["code"], r["homes"]) for r in why["reasons"]] == [("keep_apart", 2)], why


def test_a_run_explains_in_the_language_asked(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", age_max=4)
    add_child(coordinator, "C-1", age=9)
    english = coordinator.post("/v1/match-runs", json={"lang": "en"}).json()
    (why,) = english["unplaced"]
    assert why["summary"] == "C-1: the only home considered does not meet every rule."
    dutch = coordinator.post("/v1/match-runs").json()
    assert "de enige bekeken woonplek" in dutch["unplaced"][0]["summary"]
    assert_problem(coordinator.post("/v1/match-runs", json={"lang": "de"}), 422)


def test_a_run_with_a_frontier_shows_what_the_last_children_cost(
    provider: Client, coordinator: Client
) -> None:
    # One bed near, one far: placing the second child costs distance.
    add_home(provider, "H-near", postcode="6714")
    add_home(provider, "H-far", postcode="6708")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    run = coordinator.post("/v1/match-runs", json={"frontier": 2}).json()
    assert run["placed"] == 2
    points = run["frontier"]
    assert [p["placed"] for p in points] == [0, 1, 2]
    assert all(p["status"] == "optimal" for p in points)
    assert points[1]["distance_mean_km"] < points[2]["distance_mean_km"]
    assert points[2]["total_score"] == run["total_score"]
    assert "De laatste 2 kinderen" in run["frontier_summary"]["text"]
    assert coordinator.get(f"/v1/match-runs/{run['id']}").json() == run
    # Without the field the answer is as before: no frontier keys.
    assert "frontier" not in coordinator.post("/v1/match-runs").json()


def test_a_frontier_wider_than_twenty_is_refused(coordinator: Client) -> None:
    body = assert_problem(coordinator.post("/v1/match-runs", json={"frontier": 21}), 422)
    assert "frontier" in str(body)


def test_a_run_lists_uitstroom_and_moves_the_child_out_of_its_residential_group(
    provider: Client, coordinator: Client
) -> None:
    # C-res lives in residential group H-res (no bed free) and a foster family is eligible.
    add_home(provider, "H-res", type="residential", beds_free=0)
    add_home(provider, "H-fam", type="foster", beds_free=1)
    add_child(coordinator, "C-res", current_home="H-res", residential_reason="safety")
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assert [(a["child_id"], a["home_id"]) for a in run["assignments"]] == [("C-res", "H-fam")]
    (move,) = run["uitstroom"]
    assert move["child_id"] == "C-res"
    assert move["current_home"] == "H-res"
    assert move["family_homes"] == ["H-fam"]
    assert move["moved_to"] == "H-fam"
    assert "verhuist naar H-fam" in move["text"]
    assert coordinator.get(f"/v1/match-runs/{run['id']}").json()["uitstroom"] == run["uitstroom"]
    english = coordinator.post("/v1/match-runs", json={"lang": "en"}).json()
    assert "H-fam" in english["uitstroom"][0]["text"]
    assert "verhuist" not in english["uitstroom"][0]["text"]


def test_a_run_without_children_in_residential_groups_lists_no_uitstroom(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-fam", type="foster", beds_free=1)
    add_child(coordinator, "C-1")
    assert coordinator.post("/v1/match-runs").json()["uitstroom"] == []


def test_the_stand_in_solvers_take_the_real_solvers_parameters() -> None:
    # A stand-in that lags behind run_match turns a match run into a 500 in every test that
    # uses it, which says nothing about the service.
    real = list(inspect.signature(match_runs.run_match).parameters)
    assert list(inspect.signature(stub_solver).parameters) == real
    assert list(inspect.signature(RecordingSolver().__call__).parameters) == real


@pytest.mark.parametrize("reason", ["specialist_care", "severe_conflict"])
@pytest.mark.parametrize("placed", [True, False])
def test_a_run_never_matches_a_split_sibling_where_a_brother_fills_the_family_limit(
    provider: Client, coordinator: Client, placed: bool, reason: str
) -> None:
    # H-near takes one child of a family. C-1 lives there (or is proposed there); its
    # sister C-2 may be placed apart (specialist care) or must be (severe conflict), but
    # not in H-near as well: a proposal there is refused, so the run must not match her
    # there; H-far is hers.
    add_home(provider, "H-near", beds_free=2, max_siblings=1, postcode="6714")
    add_home(provider, "H-far", beds_free=1, postcode="6708")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"], split_reason=reason)
    if placed:
        confirmed_proposal(coordinator, provider, ["C-1"], "H-near")
    else:
        assert propose(coordinator, ["C-1"], "H-near").status_code == 201
    assert_problem(propose(coordinator, ["C-2"], "H-near"), 409, "rule_broken")
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assert run["status"] == "optimal"
    assert {a["child_id"]: a["home_id"] for a in run["assignments"]} == {"C-2": "H-far"}
    assert propose(coordinator, ["C-2"], "H-far").status_code == 201
