"""Idempotency-Key on POST: a retry after a lost answer gets the first answer again and
does nothing twice; a key reused for another request, or a retry while the first is still
being served, is told so. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from api.clock import FixedClock
from api.http.app import create_app
from api.services import children as children_service
from api.services import idempotency, match_runs
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START, Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, propose, stub_solver
from tests.builders import child

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

K = {"Idempotency-Key": "9b1de3a4-0c8e-4b7e-9f3a-3f0c2d7a1e55"}


def _post(client: Client, url: str, body: dict[str, Any], key: dict[str, str] = K) -> Any:
    return client.post(url, json=body, headers=key)


def test_a_retried_post_gets_the_first_answer_and_does_the_work_once(
    coordinator: Client,
) -> None:
    first = _post(coordinator, "/v1/children", child("C-1"))
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    again = _post(coordinator, "/v1/children", child("C-1"))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"] == first.headers["content-type"]
    assert coordinator.get("/v1/children").json()["total"] == 1
    # Without the key the same retry cannot tell its own success from a conflict.
    assert_problem(coordinator.post("/v1/children", json=child("C-1")), 409, "id_taken")


def test_the_same_key_with_another_body_is_refused_and_does_nothing(
    coordinator: Client,
) -> None:
    assert _post(coordinator, "/v1/children", child("C-1")).status_code == 201
    other = _post(coordinator, "/v1/children", child("C-2"))
    body = assert_problem(other, 422, "idempotency_key_reused")
    assert body["type"].endswith("/idempotency-key-reused")
    assert body["errors"][0]["location"] == "header"
    elsewhere = _post(coordinator, "/v1/match-runs", {})
    assert_problem(elsewhere, 422, "idempotency_key_reused")  # another path, another request
    assert [c["id"] for c in coordinator.get("/v1/children").json()["items"]] == ["C-1"]


def test_keys_are_scoped_per_api_key(api: Api, coordinator: Client) -> None:
    colleague = api.as_role("coordinator", "jb-a")
    assert _post(coordinator, "/v1/children", child("C-1")).status_code == 201
    # The same Idempotency-Key from another API key is another request: it is done, and
    # meets the child the first one registered.
    assert_problem(_post(colleague, "/v1/children", child("C-1")), 409, "id_taken")


def test_a_stored_answer_expires_after_24_hours(api: Api, coordinator: Client) -> None:
    assert _post(coordinator, "/v1/children", child("C-1")).status_code == 201
    api.clock.advance(timedelta(hours=23, minutes=59))
    assert _post(coordinator, "/v1/children", child("C-1")).status_code == 201
    api.clock.advance(timedelta(minutes=2))
    assert_problem(_post(coordinator, "/v1/children", child("C-1")), 409, "id_taken")


def test_a_deterministic_client_error_is_replayed_too(
    provider: Client, coordinator: Client
) -> None:
    add_home(provider, "H-1", beds_free=1)
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")
    assert propose(coordinator, ["C-1"], "H-1").status_code == 201
    body = {"child_ids": ["C-2"], "home_id": "H-1"}
    full = _post(coordinator, "/v1/proposals", body)
    assert_problem(full, 409, "beds")
    provider.patch("/v1/homes/H-1", json={"beds_free": 2})
    again = _post(coordinator, "/v1/proposals", body)
    assert (again.status_code, again.json()) == (409, full.json())
    assert again.headers["idempotent-replayed"] == "true"
    fresh = _post(coordinator, "/v1/proposals", body, {"Idempotency-Key": "another"})
    assert fresh.status_code == 201


def test_a_server_error_is_never_stored(
    coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = children_service.register_child

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(children_service, "register_child", broken)
    assert_problem(_post(coordinator, "/v1/children", child("C-1")), 500)
    monkeypatch.setattr(children_service, "register_child", real)
    retried = _post(coordinator, "/v1/children", child("C-1"))
    assert retried.status_code == 201
    assert "idempotent-replayed" not in retried.headers


def _claim_as_if_in_flight(api: Api, client: Client, body: bytes) -> None:
    """Claim the key the way a request still being served holds it."""
    assert client.key is not None
    prefix = next(
        k["prefix"]
        for k in api.as_role("admin", "beheer")
        .get("/v1/keys", params={"limit": 500})
        .json()["items"]
        if client.key.startswith(k["prefix"])
    )
    print_ = idempotency.fingerprint("POST", "/v1/children", "", "application/json", body)
    idempotency.claim(api.uow, prefix, K["Idempotency-Key"], print_, api.clock.now())


def test_a_retry_while_the_first_is_in_flight_is_409_and_retryable(
    api: Api, coordinator: Client
) -> None:
    body = json.dumps(child("C-1")).encode()
    _claim_as_if_in_flight(api, coordinator, body)
    headers = {**K, "Content-Type": "application/json"}
    busy = coordinator.post("/v1/children", content=body, headers=headers)
    assert_problem(busy, 409, "idempotency_in_flight")
    assert busy.headers["retry-after"] == "1"
    assert coordinator.get("/v1/children").json()["total"] == 0
    # A claim whose request died (no answer within the lease) is taken over by a retry.
    api.clock.advance(idempotency.LEASE + timedelta(seconds=1))
    done = coordinator.post("/v1/children", content=body, headers=headers)
    assert done.status_code == 201, done.text


def test_simultaneous_duplicates_do_the_work_once(coordinator: Client) -> None:
    racers = 6
    barrier = threading.Barrier(racers)

    def send(_: int) -> int:
        barrier.wait()
        return int(_post(coordinator, "/v1/children", child("C-1")).status_code)

    with ThreadPoolExecutor(racers) as pool:
        statuses = list(pool.map(send, range(racers)))
    assert set(statuses) <= {201, 409}, statuses
    assert 201 in statuses
    assert coordinator.get("/v1/children").json()["total"] == 1
    assert _post(coordinator, "/v1/children", child("C-1")).status_code == 201


def test_a_replay_is_in_the_audit_trail_as_reading_the_child(
    coordinator: Client, admin: Client
) -> None:
    _post(coordinator, "/v1/children", child("C-1"))
    _post(coordinator, "/v1/children", child("C-1"))
    assert coordinator.key is not None
    events = admin.get("/v1/audit-trail", params={"key_prefix": coordinator.key[:12]}).json()
    replays = [e for e in events["items"] if (e["route"] or "").endswith("(replay)")]
    assert [(e["action"], e["status"], e["child_ids"]) for e in replays] == [
        ("child.create", 201, ["C-1"])
    ]


def test_a_replayed_key_creation_never_shows_the_key_again(admin: Client) -> None:
    body = {"role": "provider", "organisation": "org-a"}
    first = _post(admin, "/v1/keys", body)
    assert first.status_code == 201
    issued = first.json()
    again = _post(admin, "/v1/keys", body)
    problem = assert_problem(again, 409, "key_not_stored")
    assert issued["prefix"] in problem["detail"]
    assert issued["key"] not in again.text
    listed = admin.get("/v1/keys", params={"organisation": "org-a"}).json()
    assert listed["total"] == 1


@pytest.mark.parametrize("bad", ["", "a" * 256, "met spatie", "sleutel\u00e9"])
def test_a_malformed_key_is_refused_naming_the_header(coordinator: Client, bad: str) -> None:
    response = coordinator.post(
        "/v1/children",
        content=json.dumps(child("C-1")).encode(),
        headers={"Idempotency-Key": bad.encode()},
    )
    errors = assert_problem(response, 422)["errors"]
    assert [(e["location"], e["path"]) for e in errors] == [("header", "Idempotency-Key")]
    assert coordinator.get("/v1/children").json()["total"] == 0


def test_every_post_documents_the_header(anonymous: Client) -> None:
    paths = anonymous.get("/openapi.json").json()["paths"]
    posts = {p: ops["post"] for p, ops in paths.items() if "post" in ops and p.startswith("/v1")}
    assert len(posts) >= 10
    for path, operation in posts.items():
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
        assert "Idempotency-Key" in names, path


def test_a_retried_csv_upload_is_the_same_request_whatever_its_boundary(
    provider: Client,
) -> None:
    text = b"id,type,postcode,beds_free\nH-1,foster,6714,1\n"

    def upload(data: bytes) -> Any:
        files = {"file": ("homes.csv", data, "text/csv")}
        return provider.post("/v1/homes/import", files=files, headers=K)

    first = upload(text)
    assert first.json() == {"created": ["H-1"], "updated": []}
    again = upload(text)  # a new random multipart boundary, the same file
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert_problem(upload(text.replace(b",1\n", b",2\n")), 422, "idempotency_key_reused")
    assert provider.get("/v1/homes/H-1").json()["beds_free"] == 1


def test_a_rate_limited_answer_is_not_kept_and_a_replay_costs_no_token(
    api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(match_runs, "run_match", stub_solver)
    settings = Settings(
        data_dir=tmp_path, seed_demo=False, match_runs_per_hour=1, match_runs_burst=1
    )
    clock = FixedClock(START)
    http = TestClient(create_app(settings, clock=clock, engine=api.engine))
    issued = create_key(
        api.uow, role="coordinator", organisation="jb-a", municipality=None, now=START
    )
    auth = {"Authorization": f"Bearer {issued.key}"}
    first = http.post("/v1/match-runs", headers={**auth, "Idempotency-Key": "run-1"})
    assert first.status_code == 201
    # The bucket is empty, yet the replay is answered: it does no work.
    replay = http.post("/v1/match-runs", headers={**auth, "Idempotency-Key": "run-1"})
    assert (replay.status_code, replay.json()["id"]) == (201, first.json()["id"])
    limited = http.post("/v1/match-runs", headers={**auth, "Idempotency-Key": "run-2"})
    assert_problem(limited, 429)
    clock.advance(timedelta(hours=1))
    later = http.post("/v1/match-runs", headers={**auth, "Idempotency-Key": "run-2"})
    assert later.status_code == 201  # the 429 was not kept: the retry did the work
    assert "idempotent-replayed" not in later.headers
