"""Kinds of care and memory through HTTP: a decline and a breakdown are written into the
child's history and keep the home out of its options; every new field round-trips."""

from __future__ import annotations

import io
from typing import Any

import pytest

from tests.api.conftest import Client
from tests.api.helpers import (
    add_child,
    add_home,
    assert_problem,
    confirmed_proposal,
    propose,
    upload_homes,
)
from tests.builders import home as home_body

WISHES = {"priorities": ["school"], "note": "bij mijn vrienden blijven", "heard_on": "2026-11-02"}


def excluded_codes(coordinator: Client, child_id: str, home_id: str) -> list[str]:
    options = coordinator.get(f"/v1/children/{child_id}/options").json()
    assert home_id not in [o["home_id"] for o in options["options"]]
    [entry] = [e for e in options["excluded"] if e["home_id"] == home_id]
    return [r["code"] for r in entry["reasons"]]


def decline(provider: Client, proposal_id: str, **body: Any) -> Any:
    return provider.post(f"/v1/proposals/{proposal_id}/decline", json=body)


def test_declined_home_leaves_the_options_and_a_second_proposal_answers_409(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    # Read before the answer: the rates are kept per data version, and the decline
    # below must move it on.
    [option] = coordinator.get("/v1/children/C-2/options").json()["options"]
    assert option.get("decline_rate") is None
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    answer = decline(provider, proposal_id, reason_code="child_profile", reason="te jong")
    assert answer.status_code == 200, answer.text
    assert answer.json()["decline_reason_code"] == "child_profile"
    assert answer.json()["beds_check_requested"] is False

    child = coordinator.get("/v1/children/C-1").json()
    assert child["history"] == [
        {
            "home_id": "H-1",
            "event": "declined",
            "date": "2026-11-23",
            "reason": "child_profile: te jong",
        }
    ]
    assert excluded_codes(coordinator, "C-1", "H-1") == ["declined"]
    assert_problem(propose(coordinator, ["C-1"], "H-1"), 409, "declined")
    [option] = coordinator.get("/v1/children/C-2/options").json()["options"]
    assert (option["home_id"], option["decline_rate"]["declined"]) == ("H-1", 1)
    assert (option["decline_rate"]["answered"], option["decline_rate"]["rate"]) == (1, 1.0)
    assert provider.get("/v1/homes/H-1").json()["beds_held"] == 0


def test_decline_for_no_capacity_asks_the_provider_to_correct_its_free_beds(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    etag = provider.get("/v1/homes/H-1").headers["etag"]
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    answer = decline(provider, proposal_id, reason_code="no_capacity")
    assert answer.status_code == 200, answer.text
    assert answer.json()["beds_check_requested"] is True
    flagged = provider.get("/v1/homes/H-1")
    assert flagged.json()["beds_check_requested_at"] is not None
    assert flagged.headers["etag"] == etag  # the registered home did not change
    provider.patch("/v1/homes/H-1", json={"beds_free": 0})
    assert provider.get("/v1/homes/H-1").json()["beds_check_requested_at"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason_code": "other"}, "$.reason"),
        ({}, "$.reason"),
        ({"reason_code": "busy", "reason": "x"}, "$.reason_code"),
    ],
)
def test_a_bad_decline_reason_is_refused_and_changes_nothing(
    provider: Client, coordinator: Client, body: dict[str, Any], field: str
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    problem = assert_problem(decline(provider, proposal_id, **body), 422)
    assert problem["errors"][0]["path"] == field
    assert provider.get(f"/v1/proposals/{proposal_id}").json()["status"] == "proposed"
    assert coordinator.get("/v1/children/C-1").json()["history"] == []


def test_breakdown_is_written_into_the_history_and_the_home_is_not_offered_again(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    [placement] = coordinator.get("/v1/placements").json()["items"]
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "breakdown"})
    assert ended.status_code == 200, ended.text
    child = coordinator.get("/v1/children/C-1").json()
    assert child["status"] == "waiting"
    assert [(e["home_id"], e["event"]) for e in child["history"]] == [("H-1", "breakdown")]
    assert excluded_codes(coordinator, "C-1", "H-1") == ["breakdown"]


def test_the_events_the_service_recorded_cannot_be_edited_away(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_home(provider, "H-2", postcode="6716")
    add_child(coordinator, "C-1")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-1")
    [placement] = coordinator.get("/v1/placements").json()["items"]
    coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "breakdown"})
    declined = propose(coordinator, ["C-1"], "H-2").json()["id"]
    assert decline(provider, declined, reason_code="timing").status_code == 200
    recorded = coordinator.get("/v1/children/C-1").json()["history"]
    assert [(e["home_id"], e["event"]) for e in recorded] == [
        ("H-1", "breakdown"),
        ("H-2", "declined"),
    ]
    older = {"home_id": "H-77", "event": "declined", "date": "2026-01-05"}
    for history in (
        [],  # erased
        recorded[:1],  # the decline dropped
        [recorded[0], {**recorded[1], "date": "2026-01-02"}],  # dated out of the memory
        [{**recorded[0], "event": "declined"}, recorded[1]],  # a breakdown made a decline
    ):
        refused = assert_problem(
            coordinator.patch("/v1/children/C-1", json={"history": history}), 422
        )
        assert [e["path"] for e in refused["errors"]] == ["$.history"]
        assert coordinator.get("/v1/children/C-1").json()["history"] == recorded
        assert_problem(propose(coordinator, ["C-1"], "H-2"), 409, "declined")
    # What the coordinator adds (an event from before the service) stays the
    # coordinator's to change, and a recorded event's note may be put in other words.
    added = coordinator.patch("/v1/children/C-1", json={"history": [*recorded, older]})
    assert added.status_code == 200, added.text
    reworded = [recorded[0], {**recorded[1], "reason": "timing: na de zomer"}]
    changed = coordinator.patch("/v1/children/C-1", json={"history": reworded})
    assert changed.status_code == 200, changed.text


def test_every_new_child_field_round_trips(coordinator: Client, provider: Client) -> None:
    add_home(provider, "H-9", type="residential", beds_free=0)
    fields = {
        "care_kind": "part_time",
        "waiting_since": "2026-06-01",
        "history": [{"home_id": "H-77", "event": "declined", "date": "2026-10-01", "reason": "x"}],
        "wishes": WISHES,
        "residential_reason": "other",
        "residential_note": "na overleg met het regionaal expertteam",
    }
    created = add_child(coordinator, "C-1", **fields)
    stored = coordinator.get("/v1/children/C-1").json()
    for name, value in fields.items():
        assert created[name] == value, name
        assert stored[name] == value, name
    changed = coordinator.patch("/v1/children/C-1", json={"care_kind": "crisis", "wishes": None})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["care_kind"], changed.json()["wishes"]) == ("crisis", None)


def test_care_kinds_round_trip_through_the_api_and_the_csv_import(provider: Client) -> None:
    created = add_home(provider, "H-1", care_kinds=["crisis", "part_time"])
    assert created["care_kinds"] == ["crisis", "part_time"]
    assert add_home(provider, "H-2")["care_kinds"] is None  # the default kinds
    text = "id,type,postcode,beds_free,care_kinds\nH-3,foster,6714,1,part_time;long_term\n"
    imported = upload_homes(provider, text, as_file=False)
    assert imported.status_code == 200, imported.text
    assert provider.get("/v1/homes/H-3").json()["care_kinds"] == ["part_time", "long_term"]
    bad = "id,type,postcode,beds_free,care_kinds\nH-4,foster,6714,1,weekend\n"
    refused = upload_homes(provider, bad, as_file=False)
    assert_problem(refused, 422)
    assert provider.get("/v1/homes/H-4").status_code == 404


def test_a_kind_of_care_named_twice_is_refused_as_in_a_scenario_file(provider: Client) -> None:
    # The API's home once had a copy of the scenario's checks without this one.
    twice = provider.post("/v1/homes", json=home_body("H-5", care_kinds=["crisis", "crisis"]))
    problem = assert_problem(twice, 422)
    assert "care_kinds names a kind more than once" in str(problem)
    assert provider.get("/v1/homes/H-5").status_code == 404
    csv = "id,type,postcode,beds_free,care_kinds\nH-6,foster,6714,1,crisis;crisis\n"
    refused = upload_homes(provider, csv, as_file=False)
    assert_problem(refused, 422)
    assert provider.get("/v1/homes/H-6").status_code == 404


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"care_kind": "weekend"}, "$.care_kind"),
        (
            {"history": [{"home_id": "H-1", "event": "moved", "date": "2026-01-01"}]},
            "$.history[0].event",
        ),
        (
            {"history": [{"home_id": "H-1", "event": "declined", "date": "2027-01-01"}]},
            "$.history[0].date",
        ),
        ({"wishes": {"priorities": ["pets"]}}, "$.wishes.priorities"),
        ({"residential_reason": "other"}, "$.residential_note"),
    ],
)
def test_bad_care_fields_are_refused_naming_the_field(
    coordinator: Client, fields: dict[str, Any], field: str
) -> None:
    problem = assert_problem(
        coordinator.post(
            "/v1/children", json={"id": "C-1", "age": 8, "parents_postcode": "6712", **fields}
        ),
        422,
    )
    assert problem["errors"][0]["path"].startswith(field), problem
    assert coordinator.get("/v1/children/C-1").status_code == 404


#: What the service writes beside a child's own fields (no scenario field).
CHILD_SERVICE_FIELDS = (
    "organisation",
    "status",
    "created_at",
    "updated_at",
    "lives_with_kept_apart",
)
SERVICE_FIELDS = (
    "beds_held",
    "part_time_held",
    "beds_check_requested_at",
    "created_at",
    "updated_at",
)


def test_part_time_places_free_round_trips_through_the_api_the_csv_import_and_the_cli(
    provider: Client, coordinator: Client, tmp_path: Any
) -> None:
    import json

    from api.cli import main

    both = {"care_kinds": ["long_term", "part_time"], "part_time_places_free": 2}
    created = add_home(provider, "H-1", beds_free=0, **both)
    assert created["part_time_places_free"] == 2
    assert provider.get("/v1/homes/H-1").json()["part_time_places_free"] == 2
    changed = provider.patch("/v1/homes/H-1", json={"part_time_places_free": 1})
    assert changed.status_code == 200, changed.text
    stored = provider.get("/v1/homes/H-1").json()
    assert stored["part_time_places_free"] == 1
    assert add_home(provider, "H-2")["part_time_places_free"] is None

    # The CSV import, with the Dutch header a spreadsheet may use.
    text = (
        "id;type;postcode;vrije bedden;zorgvormen;vrije deeltijdplaatsen\n"
        "H-3;foster;6714;1;long_term part_time;3\n"
    )
    imported = upload_homes(provider, text, as_file=False)
    assert imported.status_code == 200, imported.text
    assert provider.get("/v1/homes/H-3").json()["part_time_places_free"] == 3

    # The engine behind the API: the bed is taken, the part-time place is not.
    add_child(coordinator, "C-full")
    add_child(coordinator, "C-weekend", care_kind="part_time")
    assert excluded_codes(coordinator, "C-full", "H-1") == ["beds"]
    weekend = coordinator.get("/v1/children/C-weekend/options").json()
    assert "H-1" in [o["home_id"] for o in weekend["options"]]

    # The stored home as a scenario home for the CLI: the same answer.
    home = {k: v for k, v in stored.items() if k not in SERVICE_FIELDS and v is not None}
    doc = {
        "format": "dichtbij.scenario/1",
        "reference_date": "2026-11-23",
        "homes": [home],
        "children": [
            {"id": "C-full", "age": 8, "parents_postcode": "6712"},
            {"id": "C-weekend", "age": 8, "parents_postcode": "6712", "care_kind": "part_time"},
        ],
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    out: list[str] = []
    for cid in ("C-full", "C-weekend"):
        buf = io.StringIO()
        assert main(["rank", "--scenario", str(path), "--child", cid, "--json"], buf) == 0
        out.append(buf.getvalue())
    full, weekend_cli = (json.loads(o) for o in out)
    assert full["options"] == []
    assert [r["code"] for r in full["excluded"][0]["reasons"]] == ["beds"]
    assert [o["home_id"] for o in weekend_cli["options"]] == ["H-1"]


def test_part_time_places_free_without_part_time_care_is_refused_everywhere(
    provider: Client,
) -> None:
    problem = assert_problem(
        provider.post("/v1/homes", json=home_body("H-1", part_time_places_free=1)), 422
    )
    assert "part_time_places_free" in str(problem["errors"])
    assert provider.get("/v1/homes/H-1").status_code == 404
    add_home(provider, "H-2")
    assert_problem(provider.patch("/v1/homes/H-2", json={"part_time_places_free": 1}), 422)
    bad = "id,type,postcode,beds_free,part_time_places_free\nH-4,foster,6714,1,2\n"
    refused = assert_problem(
        upload_homes(provider, bad, as_file=False),
        422,
    )
    assert "part_time_places_free" in str(refused["errors"])
    assert provider.get("/v1/homes/H-4").status_code == 404


def test_a_part_time_child_keeps_its_current_home_through_placement_and_its_end(
    provider: Client, coordinator: Client
) -> None:
    # C-1 lives in foster family H-home and comes to H-weekend for weekends and holidays.
    add_home(provider, "H-home", beds_free=0)
    add_home(provider, "H-weekend", beds_free=1, care_kinds=["long_term", "part_time"])
    add_child(coordinator, "C-1", care_kind="part_time", current_home="H-home")
    confirmed = confirmed_proposal(coordinator, provider, ["C-1"], "H-weekend")
    child = coordinator.get("/v1/children/C-1").json()
    assert child["status"] == "placed"
    assert child["current_home"] == "H-home"
    [placement] = coordinator.get("/v1/placements").json()["items"]
    assert placement["home_id"] == "H-weekend"
    assert confirmed["status"] == "confirmed"
    # The weekends end (the child waits again for part-time care) and it still lives there.
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "move"})
    assert ended.status_code == 200, ended.text
    child = coordinator.get("/v1/children/C-1").json()
    assert (child["status"], child["current_home"]) == ("waiting", "H-home")


def test_a_full_time_child_moves_its_current_home_to_the_placement(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-home", beds_free=0)
    add_home(provider, "H-new", beds_free=1)
    add_child(coordinator, "C-1", current_home="H-home")
    confirmed_proposal(coordinator, provider, ["C-1"], "H-new")
    assert coordinator.get("/v1/children/C-1").json()["current_home"] == "H-new"


def _weekend_child_and_home(
    provider: Client, coordinator: Client, *, beds_free: int, places: int
) -> None:
    """C-weekend, a child in part-time care, and H-1, a family with ``beds_free`` beds that
    also takes part-time children (``places`` weekend places free)."""
    both = {"care_kinds": ["long_term", "part_time"], "part_time_places_free": places}
    add_home(provider, "H-1", beds_free=beds_free, **both)
    add_child(coordinator, "C-weekend", care_kind="part_time")


def test_a_part_time_proposal_holds_and_takes_a_part_time_place_not_a_bed(
    provider: Client, coordinator: Client
) -> None:
    # The family's bed is taken; one weekend place is free.
    _weekend_child_and_home(provider, coordinator, beds_free=0, places=1)
    add_child(coordinator, "C-other", care_kind="part_time")
    created = propose(coordinator, ["C-weekend"], "H-1")
    assert created.status_code == 201, created.text
    home = provider.get("/v1/homes/H-1").json()
    assert (home["beds_held"], home["part_time_held"]) == (0, 1)
    # The one place is held: the next part-time child is refused with the reason.
    assert_problem(propose(coordinator, ["C-other"], "H-1"), 409, "beds")
    assert "H-1" not in [
        o["home_id"] for o in coordinator.get("/v1/children/C-other/options").json()["options"]
    ]
    # Withdrawn: the place is free again; confirmed: the place is taken, the bed untouched.
    coordinator.post(f"/v1/proposals/{created.json()['id']}/withdraw", json={"reason": "x"})
    assert provider.get("/v1/homes/H-1").json()["part_time_held"] == 0
    confirmed_proposal(coordinator, provider, ["C-weekend"], "H-1")
    home = provider.get("/v1/homes/H-1").json()
    assert (home["beds_free"], home["part_time_places_free"], home["part_time_held"]) == (0, 0, 0)
    [placement] = coordinator.get("/v1/placements").json()["items"]
    ended = coordinator.post(f"/v1/placements/{placement['id']}/end", json={"reason": "move"})
    assert ended.status_code == 200, ended.text
    home = provider.get("/v1/homes/H-1").json()
    assert (home["beds_free"], home["part_time_places_free"]) == (0, 1)


def test_a_weekend_child_placed_part_time_is_kept_apart_from_those_who_come_later(
    provider: Client, coordinator: Client
) -> None:
    """docs/scoring.md: keep-apart holds between a weekend child and the family's children.
    It held while the part-time proposal was open; once confirmed, the weekend child (who
    keeps its own current_home) was no longer seen in the home at all."""
    _weekend_child_and_home(provider, coordinator, beds_free=1, places=2)
    confirmed_proposal(coordinator, provider, ["C-weekend"], "H-1")
    for cid, kind in (("C-full", "long_term"), ("C-other-weekend", "part_time")):
        add_child(coordinator, cid, care_kind=kind, keep_apart=["C-weekend"])
        options = coordinator.get(f"/v1/children/{cid}/options").json()
        assert "H-1" not in [o["home_id"] for o in options["options"]]
        [entry] = [e for e in options["excluded"] if e["home_id"] == "H-1"]
        assert [r["code"] for r in entry["reasons"]] == ["keep_apart"]
        assert_problem(propose(coordinator, [cid], "H-1"), 409, "rule_broken")
    run = coordinator.post("/v1/match-runs", json={"time_limit_s": 5}).json()
    assert run["assignments"] == []
    assert {u["child_id"] for u in run["unplaced"]} == {"C-full", "C-other-weekend"}


def test_part_time_places_cannot_fall_below_those_held(
    provider: Client, coordinator: Client
) -> None:
    _weekend_child_and_home(provider, coordinator, beds_free=0, places=1)
    assert propose(coordinator, ["C-weekend"], "H-1").status_code == 201
    assert_problem(provider.patch("/v1/homes/H-1", json={"part_time_places_free": 0}), 409)
    assert provider.get("/v1/homes/H-1").json()["part_time_places_free"] == 1


def test_every_new_field_round_trips_from_the_api_and_the_csv_import_to_the_cli(
    provider: Client, coordinator: Client, tmp_path: Any
) -> None:
    """What the service stores of issue 13's fields, written back as a scenario file, gives
    the command line the same ranking as the service: nothing is lost on the way."""
    import json

    from api.cli import main

    add_home(provider, "H-res", type="residential", beds_free=1, postcode="6714")
    add_home(
        provider,
        "H-both",
        beds_free=0,
        postcode="6716",
        care_kinds=["long_term", "part_time"],
        part_time_places_free=1,
    )
    add_home(provider, "H-crisis", beds_free=1, postcode="6718", care_kinds=["crisis"])
    csv_text = (
        "id,type,postcode,beds_free,care_kinds,part_time_places_free\n"
        "H-csv,foster,6715,1,long_term;part_time,2\n"
    )
    imported = upload_homes(provider, csv_text, as_file=False)
    assert imported.status_code == 200, imported.text
    add_home(provider, "H-declined", beds_free=1, postcode="6713")
    add_child(
        coordinator,
        "C-1",
        care_kind="part_time",
        waiting_since="2026-06-01",
        history=[{"home_id": "H-declined", "event": "declined", "date": "2026-11-01"}],
        wishes=WISHES,
        residential_reason="other",
        residential_note="na overleg met het regionaal expertteam",
    )
    add_child(coordinator, "C-2", waiting_since="2026-03-01", residential_reason="safety")

    homes = [
        {k: v for k, v in h.items() if k not in SERVICE_FIELDS and v is not None}
        for h in provider.get("/v1/homes").json()["items"]
    ]
    children = [
        {k: v for k, v in c.items() if k not in CHILD_SERVICE_FIELDS and v is not None}
        for c in coordinator.get("/v1/children").json()["items"]
    ]
    assert {"care_kinds", "part_time_places_free"} <= set(homes[1]) | set(homes[2])
    doc = {
        "format": "dichtbij.scenario/1",
        "reference_date": "2026-11-23",
        "homes": homes,
        "children": children,
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    for cid in ("C-1", "C-2"):
        out = io.StringIO()
        assert main(["rank", "--scenario", str(path), "--child", cid, "--json"], out) == 0
        cli = json.loads(out.getvalue())
        api = coordinator.get(f"/v1/children/{cid}/options").json()
        assert [(o["home_id"], o["score"]) for o in cli["options"]] == [
            (o["home_id"], o["score"]) for o in api["options"]
        ], cid
        assert cli["options"], cid
        codes = {e["home_id"]: sorted(r["code"] for r in e["reasons"]) for e in cli["excluded"]}
        assert codes == {
            e["home_id"]: sorted(r["code"] for r in e["reasons"]) for e in api["excluded"]
        }, cid
    assert "declined" in str(codes_of_c1(path))


def codes_of_c1(path: Any) -> list[str]:
    import json

    from api.cli import main

    out = io.StringIO()
    main(["rank", "--scenario", str(path), "--child", "C-1", "--json"], out)
    return [r["code"] for e in json.loads(out.getvalue())["excluded"] for r in e["reasons"]]
