"""Hardening: per-key rate limits on the expensive endpoints (429 with Retry-After),
security headers on every answer, a Content-Security-Policy that /docs still works under,
and errors and logs that never carry what was sent."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import re
import warnings
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from api.clock import FixedClock
from api.http.app import create_app
from api.logs import LogFormat, log_handler
from api.services import match_runs
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START, Api, Client
from tests.api.helpers import add_child, add_home, assert_problem, mentions, stub_solver
from tests.builders import child, home

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient


@pytest.fixture
def limited(api: Api, engine: Engine, tmp_path: Path) -> tuple[TestClient, FixedClock]:
    """An app on the test database with small limits: 2 options at once, then one every
    10 s; one match run, then one an hour."""
    settings = Settings(
        data_dir=tmp_path,
        seed_demo=False,
        options_per_minute=6,
        options_burst=2,
        match_runs_per_hour=1,
        match_runs_burst=1,
    )
    clock = FixedClock(START)
    return TestClient(create_app(settings, clock=clock, engine=engine)), clock


def _key(api: Api, role: str = "coordinator", organisation: str = "jb-a") -> dict[str, str]:
    issued = create_key(api.uow, role=role, organisation=organisation, municipality=None, now=START)
    return {"Authorization": f"Bearer {issued.key}"}


def test_options_are_limited_per_key(
    api: Api, provider: Client, coordinator: Client, limited: tuple[TestClient, FixedClock]
) -> None:
    http, clock = limited
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    first, second = _key(api), _key(api)
    url = "/v1/children/C-1/options"
    assert [http.get(url, headers=first).status_code for _ in range(2)] == [200, 200]
    refused = http.get(url, headers=first)
    assert_problem(refused, 429)
    assert refused.headers["retry-after"] == "10"
    assert http.get(url, headers=second).status_code == 200  # another key, its own bucket
    clock.advance(timedelta(seconds=10))
    assert http.get(url, headers=first).status_code == 200
    assert_problem(http.get(url, headers=first), 429)


def test_match_runs_are_limited_per_key(
    api: Api, limited: tuple[TestClient, FixedClock], monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setattr(match_runs, "run_match", stub_solver)
    http, _ = limited
    key = _key(api)
    assert http.post("/v1/match-runs", headers=key).status_code == 201
    refused = http.post("/v1/match-runs", headers=key)
    assert_problem(refused, 429)
    assert refused.headers["retry-after"] == "3600"


def test_limits_are_documented_in_the_openapi_schema(anonymous: Client) -> None:
    paths = anonymous.get("/openapi.json").json()["paths"]
    for path, method in (("/v1/children/{child_id}/options", "get"), ("/v1/match-runs", "post")):
        assert "Retry-After" in paths[path][method]["responses"]["429"]["headers"]


def test_every_answer_carries_security_headers(provider: Client, anonymous: Client) -> None:
    answers = [
        provider.get("/v1/homes"),
        anonymous.get("/v1/homes"),
        provider.get("/v1/nothing"),
        provider.post("/v1/homes", content=b"x" * (2 << 20)),
        anonymous.get("/health"),
    ]
    for response in answers:
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "server" not in headers
    for response in answers[:4]:
        assert response.headers["cache-control"] == "no-store"


def test_docs_run_under_a_policy_that_allows_exactly_their_script(anonymous: Client) -> None:
    page = anonymous.get("/docs")
    assert page.status_code == 200
    assert "swagger-ui" in page.text
    policy = page.headers["content-security-policy"]
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert f"'sha256-{digest}'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert anonymous.get("/openapi.json").status_code == 200
    assert anonymous.get("/redoc").status_code == 404


def test_errors_name_fields_never_what_was_sent(provider: Client, coordinator: Client) -> None:
    sent = {
        "postcode_key": coordinator.post(
            "/v1/children", json=child("C-1", needs={"6712 AB": 1, "Jan de Vries": 2})
        ),
        "domain": provider.post("/v1/homes", json=home(capabilities={"Fam. Jansen": 1})),
        "note": coordinator.post(
            "/v1/children", json=child("C-2", split_reason="other", split_note="x" * 2001)
        ),
        "wrong_type": coordinator.post("/v1/children", json=child("C-3", age="Jansen")),
    }
    for name, response in sent.items():
        body = assert_problem(response, 422)
        assert body["errors"], name
        for secret in ("6712", "Jan de Vries", "Jansen", "x" * 50):
            assert secret not in response.text, (name, response.text)
    assert [e["path"] for e in sent["postcode_key"].json()["errors"]] == ["$.needs"]
    nested = coordinator.post("/v1/children", json=child("C-4", needs={"6712 AB": "x"}))
    assert [e["path"] for e in assert_problem(nested, 422)["errors"]] == ["$.needs[*]"]


def test_logs_carry_no_personal_data(
    provider: Client, coordinator: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        add_home(provider, "H-1", postcode="6714 AB")
        add_child(coordinator, "C-1", parents_postcode="6712 AB", split_note="oma in Bennekom")
        coordinator.get("/v1/children/C-1")
        coordinator.post("/v1/children", json=child("C-2", parents_postcode="9999 ZZ"))
    # The service's own log lines (the test client logs the URLs it calls: not ours).
    ours = "\n".join(
        r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "asyncio"))
    )
    assert "GET /v1/children/{child_id} 200" in ours
    for secret in ("6712", "6714", "9999", "Bennekom", "C-1"):
        assert not mentions(ours, secret), secret


def test_every_answer_names_its_request_id(coordinator: Client, anonymous: Client) -> None:
    first = coordinator.get("/v1/children")
    second = anonymous.get("/health")
    ids = [r.headers["x-request-id"] for r in (first, second)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids), ids
    assert ids[0] != ids[1]
    mine = coordinator.get("/v1/children", headers={"X-Request-ID": "trace-4f2a9c01"})
    assert mine.headers["x-request-id"] == "trace-4f2a9c01"
    for odd in ("Jan de Vries", "short", "x" * 65):
        answer = coordinator.get("/v1/children", headers={"X-Request-ID": odd})
        assert re.fullmatch(r"[0-9a-f]{32}", answer.headers["x-request-id"]), odd


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_log_lines_carry_time_and_request_id_and_no_personal_data(
    provider: Client,
    coordinator: Client,
    caplog: pytest.LogCaptureFixture,
    log_format: LogFormat,
) -> None:
    stream = io.StringIO()
    handler = log_handler(log_format, stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            add_home(provider, "H-1", postcode="6714 AB")
            add_child(coordinator, "C-1", parents_postcode="6712 AB", split_note="oma in Ede")
            read = coordinator.get("/v1/children/C-1", headers={"X-Request-ID": "trace-0001"})
            coordinator.post("/v1/children", json=child("C-2", parents_postcode="9999 ZZ"))
    finally:
        root.removeHandler(handler)
    assert read.headers["x-request-id"] == "trace-0001"
    lines = [line for line in stream.getvalue().splitlines() if "httpx" not in line]
    assert lines
    if log_format == "json":
        records = [json.loads(line) for line in lines]
        assert all(set(r) >= {"time", "level", "logger", "request_id", "message"} for r in records)
        assert all(
            re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", r["time"]) for r in records
        )
        access = [r for r in records if r["logger"] == "dichtbij.access"]
        traced = [r for r in access if r["request_id"] == "trace-0001"]
        assert [r["message"].split(" ")[:3] for r in traced] == [
            ["GET", "/v1/children/{child_id}", "200"]
        ]
        assert len({r["request_id"] for r in access}) == len(access)
    else:
        assert any(
            re.match(r"^\d{4}-\d\d-\d\dT[0-9:.]+Z INFO dichtbij.access \[trace-0001\] GET", line)
            for line in lines
        ), lines
    ours = "\n".join(lines)  # the test client's own lines (the URLs it calls) left out
    for secret in ("6712", "6714", "9999", "Ede", "C-1"):
        assert not mentions(ours, secret), secret


def test_a_parameter_given_twice_is_refused(coordinator: Client) -> None:
    body = assert_problem(coordinator.get("/v1/children?limit=5&limit=500"), 422)
    assert body["errors"][0]["path"] == "$.limit"
    assert coordinator.get("/v1/children?status=waiting&status=placed").status_code == 200


def test_a_mistyped_filter_is_refused_not_ignored(admin: Client) -> None:
    body = assert_problem(admin.get("/v1/audit-trail", params={"organisaton": "jb-a"}), 422)
    assert body["errors"] == [
        {"location": "query", "path": "$.organisaton", "reason": "not a parameter of this endpoint"}
    ]
    assert admin.get("/v1/audit-trail", params={"organisation": "jb-a"}).status_code == 200


def test_a_query_parameter_is_named_by_one_kind_of_path_whatever_refuses_it(
    coordinator: Client, admin: Client
) -> None:
    # A client that maps errors to its fields meets one form for a query parameter,
    # whether the type check, the unknown-parameter check or a service refused it.
    def paths(response: object) -> list[tuple[str, str]]:
        body = assert_problem(response, 422)
        return [(e["location"], e["path"]) for e in body["errors"]]

    assert paths(coordinator.get("/v1/children?limit=501")) == [("query", "$.limit")]
    assert paths(coordinator.get("/v1/children?status=bogus")) == [("query", "$.status[0]")]
    assert paths(coordinator.get("/v1/children?limit=5&limit=6")) == [("query", "$.limit")]
    assert paths(admin.get("/v1/audit-trail?from=2026-01-01")) == [("query", "$.from")]
    assert paths(admin.post("/v1/children", json=child())) == [("query", "$.organisation")]
    # A path parameter keeps its name (docs/api.md, "Ids and types").
    assert paths(coordinator.get("/v1/children/%2E%2E")) == [("path", "child_id")]


def test_method_not_allowed_lists_the_resources_methods(provider: Client) -> None:
    response = provider.request("PUT", "/v1/homes")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET, HEAD, POST"
    imports = provider.request("PUT", "/v1/homes/import")
    assert imports.headers["allow"] == "POST"
    # A HEAD answers as the GET of the same path would.
    assert (
        provider.request("HEAD", "/v1/homes/import").status_code
        == provider.get("/v1/homes/import").status_code
    )


def test_head_answers_wherever_get_does_without_a_body(provider: Client) -> None:
    add_home(provider, "H-1")
    got = provider.get("/v1/homes/H-1")
    head = provider.request("HEAD", "/v1/homes/H-1")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-length"] == got.headers["content-length"]
    assert provider.request("HEAD", "/v1/homes/H-404").status_code == 404
    assert provider.request("HEAD", "/health").status_code == 200


def test_a_body_without_a_key_is_answered_401_before_it_is_read(anonymous: Client) -> None:
    response = anonymous.post("/v1/homes", content=b'{"id": "H-\\u0000"}')
    assert_problem(response, 401)
    big = anonymous.post("/v1/homes", content=b" " * (2 << 20))
    assert_problem(big, 413)  # the size is still checked first: nothing large is buffered
