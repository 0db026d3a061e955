"""Ranked options through HTTP are exactly ``dichtbij rank --json`` on the live state."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from api.cli import main
from api.services.live import ACTIVE_STATUSES, options_scenario, organisation_scenario
from api.services.seed import demo_document, load_scenario_document
from matching import Context, Policy, parse_scenario, rank
from tests.api.conftest import COORDINATOR_ORG, Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, confirmed_proposal, propose
from tests.builders import scenario_doc


def rank_cli(document: dict[str, Any], child_id: str, tmp_path: Path, *args: str) -> Any:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out = io.StringIO()
    assert main(["rank", "--scenario", str(path), "--child", child_id, "--json", *args], out) == 0
    return json.loads(out.getvalue())


@pytest.fixture
def demo(api: Api) -> dict[str, Any]:
    document = demo_document()
    load_scenario_document(api.uow, document, COORDINATOR_ORG, api.clock.now())
    return document


def test_options_equal_the_command_line_for_every_demo_child(
    demo: dict[str, Any], coordinator: Client, tmp_path: Path
) -> None:
    crisis_and_groups = [
        c["id"] for c in demo["children"] if c.get("siblings") or c.get("urgency") == "crisis"
    ][:6]
    confidential = [c["id"] for c in demo["children"] if c.get("min_distance_from_parents_km")][:1]
    for child_id in crisis_and_groups + confidential:
        response = coordinator.get(f"/v1/children/{child_id}/options")
        assert response.status_code == 200, response.text
        assert response.json() == rank_cli(demo, child_id, tmp_path), child_id


def test_top_and_lang_are_passed_on(
    demo: dict[str, Any], coordinator: Client, tmp_path: Path
) -> None:
    child_id = demo["children"][0]["id"]
    response = coordinator.get(f"/v1/children/{child_id}/options", params={"top": 2, "lang": "en"})
    expected = rank_cli(demo, child_id, tmp_path, "--top", "2", "--lang", "en")
    assert response.json() == expected
    assert len(response.json()["options"]) <= 2
    assert response.json()["lang"] == "en"


def test_bad_parameters_are_rejected(demo: dict[str, Any], coordinator: Client) -> None:
    child_id = demo["children"][0]["id"]
    assert_problem(coordinator.get(f"/v1/children/{child_id}/options", params={"top": 0}), 422)
    assert_problem(coordinator.get(f"/v1/children/{child_id}/options", params={"lang": "de"}), 422)


def test_held_beds_are_not_offered(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    before = coordinator.get("/v1/children/C-2/options").json()
    assert [o["home_id"] for o in before["options"]] == ["H-1"]
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    after = coordinator.get("/v1/children/C-2/options").json()
    assert after["options"] == []
    # A home with no bed left is not a candidate at all, as in the scenario file.
    assert after["excluded"] == []


def test_options_match_the_command_line_after_a_placement(
    provider: Client, coordinator: Client, tmp_path: Path
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", beds_free=1, postcode="6708")
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", keep_apart=["C-1"])
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    response = coordinator.get("/v1/children/C-2/options").json()
    # The live state as a scenario file: one bed left in H-1, where C-1 now lives.
    document = scenario_doc(
        homes=[
            {
                "id": "H-1",
                "organisation": "org-a",
                "type": "foster",
                "postcode": "6714",
                "beds_free": 1,
            },
            {
                "id": "H-2",
                "organisation": "org-a",
                "type": "foster",
                "postcode": "6708",
                "beds_free": 1,
            },
        ],
        children=[
            {"id": "C-1", "age": 8, "parents_postcode": "6712", "current_home": "H-1"},
            {"id": "C-2", "age": 8, "parents_postcode": "6712", "keep_apart": ["C-1"]},
        ],
    )
    assert response == rank_cli(document, "C-2", tmp_path)
    assert [o["home_id"] for o in response["options"]] == ["H-2"]
    assert [r["code"] for r in response["excluded"][0]["reasons"]] == ["keep_apart"]


def test_options_for_a_child_that_left_care(provider: Client, coordinator: Client) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    placement_id = _placed(coordinator, provider)
    coordinator.post(f"/v1/placements/{placement_id}/end", json={"reason": "return_home"})
    assert_problem(coordinator.get("/v1/children/C-1/options"), 409, "child_left")


def _placed(coordinator: Client, provider: Client) -> str:
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    items = coordinator.get("/v1/placements").json()["items"]
    placement_id: str = items[0]["id"]
    return placement_id


def test_only_the_coordinator_gets_options(demo: dict[str, Any], admin: Client) -> None:
    assert_problem(admin.get(f"/v1/children/{demo['children'][0]['id']}/options"), 403)


def test_unknown_child_has_no_options(coordinator: Client) -> None:
    assert_problem(coordinator.get("/v1/children/C-nope/options"), 404)


def test_the_small_scenario_ranks_like_the_whole_organisation(
    demo: dict[str, Any], api: Api, coordinator: Client
) -> None:
    # One more child living somewhere (some demo children already do), so residents matter.
    home_id, organisation = _first_fit(demo)
    carers = api.as_role("provider", organisation)
    confirmed_proposal(coordinator, carers, [demo["children"][0]["id"]], home_id)
    today = api.clock.now().date()
    for c in demo["children"]:
        with api.uow.read() as tx:
            small = options_scenario(
                tx,
                organisation=COORDINATOR_ORG,
                child_id=c["id"],
                reference_date=today,
                policy=Policy(),
            )
            whole = organisation_scenario(
                tx,
                organisation=COORDINATOR_ORG,
                statuses=ACTIVE_STATUSES,
                reference_date=today,
                policy=Policy(),
            )
        docs = []
        for scenario in (small, whole):
            ctx = Context.of(scenario)
            docs.append(rank(ctx, c["id"]).document(ctx, top=5).to_json())
        assert docs[0] == docs[1], c["id"]


def _first_fit(demo: dict[str, Any]) -> tuple[str, str]:
    ctx = Context.of(parse_scenario(demo))
    options = rank(ctx, demo["children"][0]["id"]).options
    assert options, "the first demo child needs an option for this test"
    return options[0].home.id, options[0].home.organisation


def test_options_show_their_effect_on_the_waiting_list(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    # H-1 is the only home that takes the 15-year-old crisis child; C-1 fits both.
    add_home(provider, "H-1")
    add_home(provider, "H-2", age_max=12)
    add_child(coordinator, "C-1", age=8)
    add_child(coordinator, "C-crisis", age=15, urgency="crisis")
    plain = coordinator.get("/v1/children/C-1/options").json()
    assert "waiting_list" not in plain
    response = coordinator.get("/v1/children/C-1/options", params={"waiting_list": "true"})
    assert response.status_code == 200, response.text
    doc = response.json()
    effects = {o["home_id"]: o["waiting_list_effect"] for o in doc["options"]}
    assert effects["H-1"]["no_eligible_home_left"] == ["C-crisis"]
    assert effects["H-1"]["unplaced_crisis"] == ["C-crisis"]
    assert "C-crisis" in effects["H-1"]["text"]
    assert effects["H-2"]["unplaced"] == []
    assert effects["H-2"]["no_eligible_home_left"] == []
    assert doc["waiting_list"]["competitors"] == 1
    # The ranking itself is the same with or without the effects.
    assert [(o["home_id"], o["score"]) for o in doc["options"]] == [
        (o["home_id"], o["score"]) for o in plain["options"]
    ]
    events = admin.get("/v1/audit-trail", params={"limit": 50, "action": "child.options"}).json()[
        "items"
    ]
    assert "C-crisis" in events[0]["child_ids"]  # the effect named another child: recorded


def test_waiting_list_effects_are_for_waiting_children_only(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    params = {"waiting_list": "true"}
    assert_problem(
        coordinator.get("/v1/children/C-1/options", params=params), 409, "child_not_waiting"
    )


def test_a_changed_home_is_ranked_as_it_is_now(provider: Client, coordinator: Client) -> None:
    # Homes are mapped once and reused while unchanged: a change must show at once.
    add_home(provider, "H-1", capabilities={"trauma": 1})
    add_child(coordinator, "C-1", needs={"trauma": 2})
    before = coordinator.get("/v1/children/C-1/options").json()
    assert before["options"] == []
    assert before["excluded_counts"] == {"care_need": 1}
    response = provider.patch("/v1/homes/H-1", json={"capabilities": {"trauma": 2}})
    assert response.status_code == 200, response.text
    after = coordinator.get("/v1/children/C-1/options").json()
    assert [o["home_id"] for o in after["options"]] == ["H-1"]
    assert provider.patch("/v1/homes/H-1", json={"beds_free": 0}).status_code == 200
    full = coordinator.get("/v1/children/C-1/options").json()
    assert full["options"] == []  # a home without a free bed is no candidate at all


def test_excluded_homes_are_summarised_and_listed_in_full_on_request(
    provider: Client, coordinator: Client, tmp_path: Path
) -> None:
    postcodes = ["6713", "6714", "6715", "6716", "6717", "6718", "6708", "6709", "6721", "6741"]
    for i, postcode in enumerate(postcodes):
        add_home(provider, f"H-{i}", postcode=postcode, age_min=12)
    add_home(provider, "H-ok")
    add_child(coordinator, "C-1")
    nearest = coordinator.get("/v1/children/C-1/options")
    everything = coordinator.get("/v1/children/C-1/options", params={"excluded": "all"})
    assert nearest.status_code == everything.status_code == 200
    short, full = nearest.json(), everything.json()
    assert len(full["excluded"]) == full["excluded_total"] == short["excluded_total"] == 10
    assert short["excluded"] == full["excluded"][:8]
    assert short["excluded_summary"] == full["excluded_summary"]
    assert [(s["code"], s["homes"]) for s in short["excluded_summary"]] == [("age", 10)]
    # Still exactly the command line's document, with the same choice.
    document = scenario_doc(
        homes=[
            {
                "id": f"H-{i}",
                "organisation": "org-a",
                "type": "foster",
                "postcode": p,
                "beds_free": 1,
                "age_min": 12,
            }
            for i, p in enumerate(postcodes)
        ]
        + [
            {
                "id": "H-ok",
                "organisation": "org-a",
                "type": "foster",
                "postcode": "6714",
                "beds_free": 1,
            }
        ],
        children=[{"id": "C-1", "age": 8, "parents_postcode": "6712"}],
    )
    assert short == rank_cli(document, "C-1", tmp_path)
    assert full == rank_cli(document, "C-1", tmp_path, "--excluded", "all")
    assert_problem(coordinator.get("/v1/children/C-1/options", params={"excluded": "some"}), 422)


def test_members_come_with_their_points_and_in_full_on_request(
    demo: dict[str, Any], coordinator: Client, tmp_path: Path
) -> None:
    groups = [c["id"] for c in demo["children"] if c.get("siblings")]
    docs = {cid: coordinator.get(f"/v1/children/{cid}/options").json() for cid in groups}
    child_id = next(cid for cid, doc in docs.items() if len(doc["members"]) > 1 and doc["options"])
    short = docs[child_id]
    response = coordinator.get(f"/v1/children/{child_id}/options", params={"members": "full"})
    assert response.status_code == 200, response.text
    full = response.json()
    assert (short["members_shown"], full["members_shown"]) == ("points", "full")
    for brief, whole in zip(short["options"], full["options"], strict=True):
        assert brief["criteria"] == whole["criteria"]
        for member, in_full in zip(brief["members"], whole["members"], strict=True):
            assert set(member) == {"child_id", "score", "points"}
            assert member["points"] == {c["criterion"]: c["points"] for c in in_full["criteria"]}
            assert all("detail" in c and "text" in c for c in in_full["criteria"])
    # Still exactly the command line's document, with the same choice.
    assert short == rank_cli(demo, child_id, tmp_path)
    assert full == rank_cli(demo, child_id, tmp_path, "--members", "full")
    bad = coordinator.get(f"/v1/children/{child_id}/options", params={"members": "some"})
    assert "members" in json.dumps(assert_problem(bad, 422))
