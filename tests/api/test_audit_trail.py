"""The audit trail records every read or change of a child's data, every proposal step and
every key operation (who, organisation, what, when, outcome), holds ids only, and cannot be
changed: not through the API, and not by UPDATE or DELETE on its tables."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from api.cli import main
from api.http import middleware
from api.services import homes, match_runs
from tests.api.conftest import Api, Client
from tests.api.helpers import (
    accepted_proposal,
    add_child,
    add_home,
    assert_problem,
    propose,
    stub_solver,
)
from tests.builders import child, home


def trail(admin: Client, **filters: Any) -> list[dict[str, Any]]:
    """The audit trail, oldest first, filtered as the admin endpoint filters it."""
    response = admin.get("/v1/audit-trail", params={"limit": 500, **filters})
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items[::-1]


def by(client: Client) -> str:
    """The key prefix a client's events are recorded under."""
    assert client.key is not None
    return client.key[:12]


def actions(admin: Client, client: Client) -> list[tuple[str, int]]:
    return [(e["action"], e["status"]) for e in trail(admin, key_prefix=by(client))]


def test_reads_and_changes_of_a_child_are_recorded(coordinator: Client, admin: Client) -> None:
    add_child(coordinator, "C-1")
    coordinator.get("/v1/children/C-1")
    coordinator.get("/v1/children")
    coordinator.patch("/v1/children/C-1", json={"urgency": "crisis"})
    coordinator.delete("/v1/children/C-1")
    events = trail(admin, key_prefix=by(coordinator))
    assert [(e["action"], e["status"], e["outcome"]) for e in events] == [
        ("child.create", 201, "allowed"),
        ("child.read", 200, "allowed"),
        ("child.list", 200, "allowed"),
        ("child.update", 200, "allowed"),
        ("child.delete", 204, "allowed"),
    ]
    for event in events:
        assert event["role"] == "coordinator"
        assert event["organisation"] == "jb-a"
        assert event["child_ids"] == ["C-1"]
        assert event["at"] == "2026-11-23T09:00:00Z"
    assert events[1]["route"] == "GET /v1/children/{child_id}"
    assert events[1]["object_type"] == "child"
    assert events[1]["object_id"] == "C-1"


def test_options_record_the_whole_sibling_group(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2", siblings=["C-1"])
    assert coordinator.get("/v1/children/C-1/options").status_code == 200
    (event,) = trail(admin, key_prefix=by(coordinator), action="child.options")
    assert event["child_ids"] == ["C-1", "C-2"]


def test_every_proposal_step_is_recorded(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1", beds_free=2)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    first = accepted_proposal(coordinator, provider, ["C-1"], "H-1")["id"]
    coordinator.post(f"/v1/proposals/{first}/confirm")
    second = propose(coordinator, ["C-2"], "H-1").json()["id"]
    provider.get(f"/v1/proposals/{second}")
    provider.post(f"/v1/proposals/{second}/decline", json={"reason": "geen match"})
    assert actions(admin, coordinator)[-3:] == [
        ("proposal.create", 201),
        ("proposal.confirm", 200),
        ("proposal.create", 201),
    ]
    assert actions(admin, provider)[-3:] == [
        ("proposal.accept", 200),
        ("proposal.read", 200),
        ("proposal.decline", 200),
    ]
    steps = trail(admin, object_type="proposal", object_id=second)
    assert {e["action"] for e in steps} == {"proposal.create", "proposal.read", "proposal.decline"}
    assert all(e["child_ids"] == ["C-2"] for e in steps)


def test_a_lapsed_hold_is_recorded_as_the_systems_doing(
    api: Api, provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal_id = propose(coordinator, ["C-1"], "H-1").json()["id"]
    api.clock.advance(timedelta(days=5))
    coordinator.get("/v1/proposals")  # any request closes lapsed holds first
    (event,) = trail(admin, role="system", object_id=proposal_id)
    assert (event["action"], event["key_prefix"], event["child_ids"]) == (
        "proposal.expire",
        None,
        ["C-1"],
    )


def test_placements_reads_and_ends_are_recorded(
    provider: Client, coordinator: Client, admin: Client
) -> None:
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    proposal = accepted_proposal(coordinator, provider, ["C-1"], "H-1")
    coordinator.post(f"/v1/proposals/{proposal['id']}/confirm")
    placement = provider.get("/v1/placements").json()["items"][0]["id"]
    provider.get(f"/v1/placements/{placement}")
    coordinator.post(f"/v1/placements/{placement}/end", json={"reason": "breakdown"})
    # Only this test's keys: earlier tests' events about a "C-1" stay in the append-only trail.
    ours = {by(provider), by(coordinator)}
    seen = [
        e for e in trail(admin, object_type="placement", child_id="C-1") if e["key_prefix"] in ours
    ]
    assert [(e["action"], e["role"]) for e in seen] == [
        ("placement.list", "provider"),
        ("placement.read", "provider"),
        ("placement.end", "coordinator"),
    ]


def test_match_runs_are_recorded_with_their_children(
    coordinator: Client, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(match_runs, "run_match", stub_solver)
    add_child(coordinator, "C-1")
    run_id = coordinator.post("/v1/match-runs").json()["id"]
    coordinator.get(f"/v1/match-runs/{run_id}")
    events = trail(admin, object_type="match_run", object_id=run_id)
    assert [(e["action"], e["child_ids"]) for e in events] == [
        ("match_run.create", ["C-1"]),
        ("match_run.read", ["C-1"]),
    ]


def test_a_csv_import_is_recorded(provider: Client, admin: Client) -> None:
    data = b"id,type,postcode,beds_free\nH-1,foster,6714,1\n"
    response = provider.post("/v1/homes/import", files={"file": ("h.csv", data)})
    assert response.status_code == 200
    bad = provider.post("/v1/homes/import", files={"file": ("h.csv", b"id\nH-2\n")})
    assert bad.status_code == 422
    assert actions(admin, provider) == [("home.import", 200), ("home.import", 422)]


def test_key_operations_are_recorded_through_the_api_and_the_command_line(
    api: Api, admin: Client, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = admin.post("/v1/keys", json={"role": "provider", "organisation": "org-a"}).json()
    admin.get("/v1/keys")
    admin.delete(f"/v1/keys/{created['prefix']}")
    assert [(e["action"], e["object_id"]) for e in trail(admin, key_prefix=by(admin))][:3] == [
        ("key.create", created["prefix"]),
        ("key.list", None),
        ("key.revoke", created["prefix"]),
    ]
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = io.StringIO()
    assert main(["token", "create", "--role", "admin", "--organisation", "beheer"], out) == 0
    prefix = out.getvalue().strip().splitlines()[-1][:12]
    assert main(["token", "list"], io.StringIO()) == 0
    assert main(["token", "revoke", prefix], io.StringIO()) == 0
    operator = [e for e in trail(admin, role="operator") if e["object_id"] in (prefix, None)]
    assert [(e["action"], e["route"]) for e in operator][-3:] == [
        ("key.create", "cli token create"),
        ("key.list", "cli token list"),
        ("key.revoke", "cli token revoke"),
    ]


def test_denied_requests_are_recorded(
    coordinator: Client, coordinator_b: Client, provider: Client, admin: Client
) -> None:
    add_child(coordinator, "C-1")
    assert_problem(provider.get("/v1/children/C-1"), 404)
    assert_problem(coordinator_b.get("/v1/children/C-1"), 404)
    assert_problem(provider.get("/v1/children"), 403)
    denied = trail(admin, outcome="denied")
    mine = [e for e in denied if e["key_prefix"] in (by(provider), by(coordinator_b))]
    assert [(e["role"], e["action"], e["object_id"], e["status"]) for e in mine] == [
        ("provider", "child.read", "C-1", 404),
        ("coordinator", "child.read", "C-1", 404),
        ("provider", "child.list", None, 403),
    ]


def test_a_failed_change_is_recorded_though_it_changed_nothing(
    provider: Client, coordinator: Client, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    assert_problem(propose(coordinator, ["C-2"], "H-1"), 409, "beds")
    (failed,) = trail(admin, key_prefix=by(coordinator), outcome="failed")
    assert (failed["action"], failed["status"], failed["child_ids"]) == (
        "proposal.create",
        409,
        ["C-2"],
    )
    assert coordinator.get("/v1/children/C-2").json()["status"] == "waiting"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(homes, "register_home", broken)
    assert_problem(provider.post("/v1/homes", json=home("H-2")), 500)
    crashed = trail(admin, key_prefix=by(provider), action="home.create")[-1]
    assert (crashed["status"], crashed["outcome"], crashed["object_id"]) == (500, "failed", None)


_GENERATED = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}"
)


def test_records_carry_ids_only(provider: Client, coordinator: Client, admin: Client) -> None:
    add_home(provider, "H-1", beds_free=2, capabilities={"autism": 3})
    add_child(
        coordinator,
        "C-1",
        parents_postcode="6712 AB",
        school_postcode="6716",
        needs={"autism": 3},
        split_note="grootmoeder woont in Bennekom",
    )
    proposal = propose(coordinator, ["C-1"], "H-1").json()["id"]
    provider.post(f"/v1/proposals/{proposal}/decline", json={"reason": "vader belde 0612345678"})
    coordinator.post("/v1/children", json=child("C-2", parents_postcode="QWERTY"))
    events = trail(admin)
    assert events
    # Times, key prefixes and generated ids (UUIDs, request ids) are clock-made or random and
    # may hold any four digits (a time of 17:16:16.712 holds "6712", an id 333950dc-6716-...
    # holds "6716"); they are masked, every other value is checked.
    assert proposal in {str(value) for event in events for value in event.values()}
    values = [
        _GENERATED.sub("<id>", str(value))
        for event in events
        for field, value in event.items()
        if field not in {"at", "key_prefix"}
    ]
    for personal in ("6712", "6716", "autism", "Bennekom", "0612345678", "QWERTY", "geen"):
        assert not [value for value in values if personal in value], personal


def test_the_trail_cannot_be_changed_through_the_api(admin: Client) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        response = admin.request(method, "/v1/audit-trail", json={})
        assert_problem(response, 405)
        assert response.headers["allow"] == "GET, HEAD"
    assert_problem(admin.delete("/v1/audit-trail/1"), 404)
    assert_problem(admin.patch("/v1/audit-trail/1", json={"outcome": "allowed"}), 404)


_TABLES = ("audit_events", "audit_event_children")


def _first_event(engine: Engine) -> int:
    with engine.connect() as conn:
        event_id = conn.execute(
            text("SELECT event_id FROM audit_event_children ORDER BY event_id DESC LIMIT 1")
        ).scalar_one()
    return int(event_id)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET outcome = 'allowed' WHERE id = :id",
        "DELETE FROM audit_events WHERE id = :id",
        "UPDATE audit_event_children SET child_id = 'C-X' WHERE event_id = :id",
        "DELETE FROM audit_event_children WHERE event_id = :id",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_the_trail(
    api: Api, coordinator: Client, statement: str
) -> None:
    add_child(coordinator, "C-1")
    event_id = _first_event(api.engine)
    with pytest.raises(DBAPIError, match="append-only"), api.engine.begin() as conn:
        conn.execute(text(statement), {"id": event_id})
    with api.engine.connect() as conn:
        kept = conn.execute(
            text("SELECT COUNT(*) FROM audit_event_children WHERE event_id = :id"),
            {"id": event_id},
        ).scalar_one()
    assert kept == 1


def test_postgresql_refuses_to_truncate_the_trail(api: Api, coordinator: Client) -> None:
    if api.engine.dialect.name != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has only DELETE (refused above)")
    add_child(coordinator, "C-1")
    for table in _TABLES:
        with pytest.raises(DBAPIError, match="append-only"), api.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {table} CASCADE"))


def test_the_trail_is_filtered_and_paged(api: Api, coordinator: Client, admin: Client) -> None:
    for i in range(3):
        add_child(coordinator, f"C-{i}")
        api.clock.advance(timedelta(hours=1))
    mine = {"key_prefix": by(coordinator)}
    assert [e["object_id"] for e in trail(admin, **mine, child_id="C-1")] == ["C-1"]
    later = trail(admin, **mine, **{"from": "2026-11-23T10:00:00Z"})
    assert [e["object_id"] for e in later] == ["C-1", "C-2"]
    earlier = trail(admin, **mine, to="2026-11-23T10:00:00+00:00")
    assert [e["object_id"] for e in earlier] == ["C-0"]
    page = admin.get("/v1/audit-trail", params={**mine, "limit": 2, "offset": 1}).json()
    assert (page["total"], [e["object_id"] for e in page["items"]]) == (3, ["C-1", "C-0"])
    assert_problem(admin.get("/v1/audit-trail", params={"to": "1700000000"}), 422)
    assert_problem(admin.get("/v1/audit-trail", params={"to": "2026-11-23T10:00:00"}), 422)


def test_reading_the_trail_is_recorded_too(admin: Client) -> None:
    admin.get("/v1/audit-trail")
    first = trail(admin, key_prefix=by(admin))[0]
    assert first["action"] == "audit_trail.read"


def test_no_child_data_leaves_without_its_record(
    coordinator: Client, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_child(coordinator, "C-1", parents_postcode="6712")

    def unwritable(*args: object, **kwargs: object) -> None:
        raise DBAPIError("INSERT INTO audit_events ...", {}, Exception("disk full"))

    monkeypatch.setattr("api.http.middleware.write_record", unwritable)
    response = coordinator.get("/v1/children/C-1")
    assert_problem(response, 503)
    assert "6712" not in response.text


def test_options_leave_only_with_their_record(
    provider: Client, coordinator: Client, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The options route writes its record itself, in the thread that built the answer;
    # the middleware tries again if that failed, and answers 503 if it fails again.
    add_home(provider, "H-1", postcode="6714")
    add_child(coordinator, "C-1", parents_postcode="6712")
    failures = {"left": 1}
    real = middleware.write_record

    def flaky(*args: Any, **kwargs: Any) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise DBAPIError("INSERT INTO audit_events ...", {}, Exception("busy"))
        real(*args, **kwargs)

    monkeypatch.setattr("api.http.middleware.write_record", flaky)
    answer = coordinator.get("/v1/children/C-1/options")
    assert answer.status_code == 200, answer.text
    (event,) = trail(admin, key_prefix=by(coordinator), action="child.options")
    assert (event["status"], event["child_ids"]) == (200, ["C-1"])

    failures["left"] = 2
    refused = coordinator.get("/v1/children/C-1/options")
    assert_problem(refused, 503)
    assert "H-1" not in refused.text
    assert len(trail(admin, key_prefix=by(coordinator), action="child.options")) == 1
