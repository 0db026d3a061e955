"""Every endpoint x every role x own versus another organisation's object: the exact status,
no foreign data in any body, and nothing changed by a refused request.

The endpoints come from the application's own routes, so a new endpoint without a row
here fails :func:`test_every_endpoint_has_a_matrix_row`. Every role acts for organisation
A (coordinator ``jb-a``, provider ``org-a``, municipality Ede ``0228``, an admin); "own"
is an object of organisation A, "foreign" the same kind of object of organisation B.

One world is built once and restored from a snapshot (sqlite3's backup API) before every
request, so each cell starts from the same state whatever the cells before it did. It runs
on SQLite only: who may see what is decided in Python, identically on every database (the
other API tests run on both).
"""

from __future__ import annotations

import json
import re
import sqlite3
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, text

from api.clock import FixedClock
from api.db.engine import make_engine
from api.db.tables import metadata
from api.http.app import create_app
from api.http.routing import endpoints as api_endpoints
from api.services import match_runs
from api.services.keys import create_key, hash_key
from api.settings import Settings
from api.web import web_endpoints
from tests.api.conftest import APPEND_ONLY, START
from tests.api.helpers import stub_solver
from tests.builders import child, home

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

ROLES = ("anonymous", "coordinator", "provider", "municipality", "admin")
SIDES = ("own", "foreign")

# Postcodes chosen so that no two objects share one: a postcode in a body names its owner.
HOMES = {
    "HUIS-A1": {"organisation": "org-a", "postcode": "6714", "beds_free": 3},
    "HUIS-A2": {"organisation": "org-a", "postcode": "6715", "beds_free": 2},
    "HUIS-B1": {"organisation": "org-b", "postcode": "3905", "beds_free": 3},
    # A network foster home that knows a child of B (attached by B's coordinator below):
    # coordinators of A must not learn it.
    "HUIS-B2": {
        "organisation": "org-b",
        "postcode": "3906",
        "beds_free": 1,
        "type": "network_foster",
        "known_to": [],
    },
}
CHILDREN = {
    "KIND-A1": {"parents_postcode": "6711", "school_postcode": "6718"},
    "KIND-A2": {"parents_postcode": "6713"},
    "KIND-A3": {"parents_postcode": "6716"},
    "KIND-A4": {"parents_postcode": "6717", "school_postcode": "6731"},
    "KIND-B1": {"parents_postcode": "6708", "school_postcode": "6702"},
    "KIND-B2": {"parents_postcode": "6709"},
    "KIND-B3": {"parents_postcode": "3904"},
    "KIND-B4": {"parents_postcode": "6741", "school_postcode": "6744"},
}
CHILD_POSTCODES = {pc for c in CHILDREN.values() for k, pc in c.items() if k.endswith("postcode")}
PERIOD = {"from": "2026-01-01", "to": "2026-11-23"}  # up to the clock's day
SIMULATION = {"days": 7, "runs": 1, "policies": ["fcfs"]}


@dataclass
class Call:
    method: str
    url: str
    json: Any = None
    params: dict[str, Any] | None = None
    content: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def sent(self) -> str:
        """Everything the request itself carries: an echo of it in the answer is no leak."""
        return " ".join(
            [self.url, json.dumps(self.json), json.dumps(self.params), repr(self.content)]
        )


@dataclass
class World:
    app: FastAPI
    http: TestClient
    engine: Engine
    keys: dict[str, str]  # role of organisation A -> key
    ids: dict[str, str]  # symbolic name -> id (proposals, placements, runs, key prefixes)
    all_keys: list[str]
    snapshot: sqlite3.Connection
    pristine: list[Any] = field(default_factory=list)

    def id(self, name: str) -> str:
        return self.ids.get(name, name)

    def restore(self) -> None:
        raw = self.engine.raw_connection()
        try:
            self.snapshot.backup(raw.driver_connection)  # type: ignore[arg-type]
        finally:
            raw.close()

    def fingerprint(self) -> list[Any]:
        """Every row of every table but the request's own bookkeeping: the audit trail
        (which a refusal does add to) and the rate buckets (every rate-limited request
        takes a token, granted or not)."""
        rows: list[Any] = []
        with self.engine.connect() as conn:
            for table in metadata.sorted_tables:
                if table.name not in APPEND_ONLY | {"rate_buckets"}:
                    rows.append(sorted(map(tuple, conn.execute(text(f"SELECT * FROM {table}")))))
        return rows

    def send(self, role: str, call: Call) -> Any:
        headers = dict(call.headers)
        if role != "anonymous":
            headers["Authorization"] = f"Bearer {self.keys[role]}"
        return self.http.request(
            call.method,
            call.url,
            json=call.json,
            params=call.params,
            content=call.content,
            headers=headers,
        )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("matrix")
    engine = make_engine(f"sqlite:///{folder / 'matrix.sqlite3'}")
    # Three planning endpoints x two sides on one key each: more than the default burst.
    settings = Settings(data_dir=Path(folder), seed_demo=False, planning_burst=100)
    app = create_app(settings, clock=FixedClock(START), engine=engine)
    http = TestClient(app)
    now = START
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(match_runs, "run_match", stub_solver)

        def key(role: str, organisation: str, municipality: str | None = None) -> str:
            return create_key(
                app.state.uow,
                role=role,
                organisation=organisation,
                municipality=municipality,
                now=now,
            ).key

        keys = {
            "coordinator": key("coordinator", "jb-a"),
            "provider": key("provider", "org-a"),
            "municipality": key("municipality", "gemeente-ede", "0228"),
            "admin": key("admin", "beheer"),
        }
        builders = {
            "a": (key("coordinator", "jb-a"), key("provider", "org-a")),
            "b": (key("coordinator", "jb-b"), key("provider", "org-b")),
        }
        spare = {"KEY-A": key("provider", "org-a"), "KEY-B": key("provider", "org-b")}

        def call(secret: str, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
            response = http.request(
                method, url, headers={"Authorization": f"Bearer {secret}"}, **kwargs
            )
            assert response.status_code < 300, (url, response.text)
            return response.json() if response.content else {}

        ids: dict[str, str] = {}
        for home_id, home_fields in HOMES.items():
            provider = builders["a" if home_fields["organisation"] == "org-a" else "b"][1]
            call(provider, "POST", "/v1/homes", json=home(home_id, **home_fields))
        for side in ("a", "b"):
            coordinator, provider = builders[side]
            up = side.upper()
            for name, fields in CHILDREN.items():
                if name.startswith(f"KIND-{up}"):
                    call(coordinator, "POST", "/v1/children", json=child(name, **fields))
            if side == "b":
                call(coordinator, "PUT", "/v1/children/KIND-B1/network/HUIS-B2")
            target = f"HUIS-{up}1"

            def propose(child_id: str, coordinator: str = coordinator, target: str = target) -> str:
                body = {"child_ids": [child_id], "home_id": target}
                proposal: str = call(coordinator, "POST", "/v1/proposals", json=body)["id"]
                return proposal

            ids[f"P-{up}1"] = propose(f"KIND-{up}1")  # proposed
            ids[f"P-{up}2"] = propose(f"KIND-{up}2")  # accepted
            call(provider, "POST", f"/v1/proposals/{ids[f'P-{up}2']}/accept")
            placed = propose(f"KIND-{up}3")  # confirmed: a placement
            call(provider, "POST", f"/v1/proposals/{placed}/accept")
            call(coordinator, "POST", f"/v1/proposals/{placed}/confirm")
            placements = call(coordinator, "GET", "/v1/placements")["items"]
            ids[f"PL-{up}"] = placements[0]["id"]
            ids[f"MR-{up}"] = call(coordinator, "POST", "/v1/match-runs")["id"]
        for name, secret in spare.items():
            ids[name] = secret[:12]

        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        raw = engine.raw_connection()
        try:
            raw.driver_connection.backup(snapshot)  # type: ignore[union-attr]
        finally:
            raw.close()
        every_key = [*keys.values(), *(k for pair in builders.values() for k in pair)]
        built = World(app, http, engine, keys, ids, [*every_key, *spare.values()], snapshot)
        built.pristine = built.fingerprint()
        yield built
    snapshot.close()
    engine.dispose()


# ---------------------------------------------------------------------------------------
# What each role must never see


def _secrets(w: World, role: str) -> set[str]:
    """Strings that must not appear in any answer to ``role`` (acting for organisation A)."""
    never = set(w.all_keys) | {hash_key(k) for k in w.all_keys}
    if role == "admin":
        return never
    never |= {k[:12] for k in w.all_keys}  # key prefixes: only admins list keys
    b_children = {c for c in CHILDREN if c.startswith("KIND-B")}
    b_postcodes = {pc for c, f in CHILDREN.items() if c in b_children for pc in f.values()}
    b_objects = {w.id(n) for n in ("P-B1", "P-B2", "PL-B", "MR-B")}
    if role == "coordinator":
        return never | b_children | b_postcodes | b_objects | {"jb-b"}
    if role == "provider":
        # Children proposed to its homes (KIND-A1..A3) are the provider's to see; their
        # postcodes never are, nor KIND-A4 (proposed nowhere) or anything of org B.
        return (
            never
            | CHILD_POSTCODES
            | b_children
            | b_objects
            | {"KIND-A4", w.id("MR-A"), "HUIS-B1", "HUIS-B2", "jb-b"}
        )
    # A municipality sees aggregates only; anonymous callers nothing at all.
    every_object = {w.id(n) for n in ("P-A1", "P-A2", "PL-A", "MR-A")} | b_objects
    return never | set(CHILDREN) | CHILD_POSTCODES | every_object | set(HOMES) | {"jb-a", "jb-b"}


def _leaks(body: str, secrets: set[str]) -> list[str]:
    found = []
    for secret in secrets:
        if secret.isdigit():
            # A postcode counts only as a number of its own (not inside an id or a time).
            if re.search(rf"(?<![\w.:-]){secret}(?![\w.:-])", body):
                found.append(secret)
        elif secret in body:
            found.append(secret)
    return sorted(found)


# ---------------------------------------------------------------------------------------
# The matrix


@dataclass(frozen=True)
class Expect:
    """Status per role; a pair is (own object, foreign object)."""

    anonymous: int
    coordinator: tuple[int, int]
    provider: tuple[int, int]
    municipality: tuple[int, int]
    admin: tuple[int, int]

    def status(self, role: str, side: str) -> int:
        value: int | tuple[int, int] = getattr(self, role)
        if isinstance(value, int):
            return value
        return value[SIDES.index(side)]


Build = Callable[[World, str], Call]


def get(template: str, own: str = "", foreign: str = "", **params: Any) -> Build:
    return at("GET", template, own, foreign, params=params or None)


def at(
    method: str,
    template: str,
    own: str = "",
    foreign: str = "",
    body: Any = None,
    params: dict[str, Any] | None = None,
) -> Build:
    """``method`` on ``template`` with its one path parameter the own or foreign object."""

    def build(w: World, side: str) -> Call:
        target = w.id(own if side == "own" else foreign)
        url = re.sub(r"\{[a-z_]+\}", target, template)
        return Call(method, url, json=body, params=params)

    return build


def by_side(own: Build, foreign: Build) -> Build:
    return lambda w, side: own(w, side) if side == "own" else foreign(w, side)


def csv_import(organisation: str, home_id: str) -> Build:
    data = f"id,organisation,type,postcode,beds_free\n{home_id},{organisation},foster,6714,1\n"
    return lambda w, side: Call(
        "POST", "/v1/homes/import", content=data.encode(), headers={"Content-Type": "text/csv"}
    )


def network(method: str) -> Build:
    """Own or foreign child, attached to (or detached from) B's network foster home."""
    return lambda w, side: Call(
        method, f"/v1/children/{'KIND-A4' if side == 'own' else 'KIND-B1'}/network/HUIS-B2"
    )


PUBLIC = Expect(200, (200, 200), (200, 200), (200, 200), (200, 200))
ADMIN_ONLY = Expect(401, (403, 403), (403, 403), (403, 403), (200, 200))
CHILD = Expect(401, (200, 404), (404, 404), (404, 404), (200, 200))
PROPOSAL_READ = Expect(401, (200, 404), (200, 404), (404, 404), (200, 200))
CARERS_ANSWER = Expect(401, (403, 403), (200, 404), (404, 404), (403, 403))
COORDINATOR_DECIDES = Expect(401, (200, 404), (403, 403), (404, 404), (403, 403))
# No object in the path: a role that may never end placements is told so (403).
COORDINATOR_ENDS_MANY = Expect(401, (200, 404), (403, 403), (403, 403), (403, 403))
HOME_WRITE = Expect(401, (403, 403), (200, 404), (404, 404), (200, 200))
HOME_WITHDRAW = Expect(401, (403, 403), (204, 404), (404, 404), (204, 204))
READ_LIST = Expect(401, (200, 200), (200, 200), (403, 403), (200, 200))
AUDIT_PROXIMITY = Expect(401, (403, 403), (403, 403), (200, 403), (200, 200))

MATRIX: dict[tuple[str, str], tuple[Expect, Build]] = {
    ("GET", "/health"): (PUBLIC, get("/health")),
    ("GET", "/health/ready"): (PUBLIC, get("/health/ready")),
    ("GET", "/openapi.json"): (PUBLIC, get("/openapi.json")),
    ("GET", "/docs"): (PUBLIC, get("/docs")),
    # Homes
    ("POST", "/v1/homes"): (
        Expect(401, (403, 403), (201, 403), (403, 403), (201, 201)),
        by_side(
            at("POST", "/v1/homes", body=home("HUIS-A9", organisation="org-a")),
            at("POST", "/v1/homes", body=home("HUIS-B9", organisation="org-b")),
        ),
    ),
    ("GET", "/v1/homes"): (READ_LIST, get("/v1/homes")),
    ("POST", "/v1/homes/import"): (
        Expect(401, (403, 403), (200, 422), (403, 403), (200, 200)),
        by_side(csv_import("org-a", "HUIS-A9"), csv_import("org-b", "HUIS-B9")),
    ),
    ("GET", "/v1/homes/{home_id}"): (
        Expect(401, (200, 200), (200, 404), (404, 404), (200, 200)),
        get("/v1/homes/{home_id}", "HUIS-A1", "HUIS-B2"),
    ),
    ("PATCH", "/v1/homes/{home_id}"): (
        HOME_WRITE,
        at("PATCH", "/v1/homes/{home_id}", "HUIS-A1", "HUIS-B1", {"beds_free": 5}),
    ),
    ("DELETE", "/v1/homes/{home_id}"): (
        HOME_WITHDRAW,
        at("DELETE", "/v1/homes/{home_id}", "HUIS-A2", "HUIS-B2"),
    ),
    # Children
    ("POST", "/v1/children"): (
        Expect(401, (201, 403), (403, 403), (403, 403), (201, 201)),
        by_side(
            at("POST", "/v1/children", body=child("KIND-A9"), params={"organisation": "jb-a"}),
            at("POST", "/v1/children", body=child("KIND-B9"), params={"organisation": "jb-b"}),
        ),
    ),
    ("GET", "/v1/children"): (
        Expect(401, (200, 200), (403, 403), (403, 403), (200, 200)),
        get("/v1/children"),
    ),
    ("GET", "/v1/children/{child_id}"): (
        CHILD,
        get("/v1/children/{child_id}", "KIND-A4", "KIND-B4"),
    ),
    ("PATCH", "/v1/children/{child_id}"): (
        CHILD,
        at("PATCH", "/v1/children/{child_id}", "KIND-A4", "KIND-B4", {"urgency": "crisis"}),
    ),
    ("DELETE", "/v1/children/{child_id}"): (
        Expect(401, (204, 404), (404, 404), (404, 404), (204, 204)),
        at("DELETE", "/v1/children/{child_id}", "KIND-A4", "KIND-B4"),
    ),
    ("GET", "/v1/children/{child_id}/options"): (
        Expect(401, (200, 404), (404, 404), (404, 404), (403, 403)),
        get("/v1/children/{child_id}/options", "KIND-A4", "KIND-B4"),
    ),
    # A child's own side attaches it to a network foster home (any provider's)
    ("PUT", "/v1/children/{child_id}/network/{home_id}"): (
        CHILD,
        network("PUT"),
    ),
    ("DELETE", "/v1/children/{child_id}/network/{home_id}"): (
        Expect(401, (204, 404), (404, 404), (404, 404), (204, 204)),
        network("DELETE"),
    ),
    # Match runs
    ("POST", "/v1/match-runs"): (
        Expect(401, (201, 201), (403, 403), (403, 403), (201, 201)),
        at("POST", "/v1/match-runs"),
    ),
    ("GET", "/v1/match-runs/{run_id}"): (
        CHILD,
        get("/v1/match-runs/{run_id}", "MR-A", "MR-B"),
    ),
    # Proposals
    ("POST", "/v1/proposals"): (
        Expect(401, (201, 422), (403, 403), (403, 403), (403, 403)),
        by_side(
            at("POST", "/v1/proposals", body={"child_ids": ["KIND-A4"], "home_id": "HUIS-A2"}),
            at("POST", "/v1/proposals", body={"child_ids": ["KIND-B4"], "home_id": "HUIS-A2"}),
        ),
    ),
    ("GET", "/v1/proposals"): (READ_LIST, get("/v1/proposals")),
    ("GET", "/v1/proposals/{proposal_id}"): (
        PROPOSAL_READ,
        get("/v1/proposals/{proposal_id}", "P-A1", "P-B1"),
    ),
    ("POST", "/v1/proposals/{proposal_id}/accept"): (
        CARERS_ANSWER,
        at("POST", "/v1/proposals/{proposal_id}/accept", "P-A1", "P-B1"),
    ),
    ("POST", "/v1/proposals/{proposal_id}/decline"): (
        CARERS_ANSWER,
        at("POST", "/v1/proposals/{proposal_id}/decline", "P-A1", "P-B1", {"reason": "vol"}),
    ),
    ("POST", "/v1/proposals/{proposal_id}/confirm"): (
        COORDINATOR_DECIDES,
        at("POST", "/v1/proposals/{proposal_id}/confirm", "P-A2", "P-B2"),
    ),
    ("POST", "/v1/proposals/{proposal_id}/withdraw"): (
        COORDINATOR_DECIDES,
        at("POST", "/v1/proposals/{proposal_id}/withdraw", "P-A1", "P-B1"),
    ),
    # Placements
    ("GET", "/v1/placements"): (READ_LIST, get("/v1/placements")),
    ("GET", "/v1/placements/{placement_id}"): (
        PROPOSAL_READ,
        get("/v1/placements/{placement_id}", "PL-A", "PL-B"),
    ),
    ("POST", "/v1/placements/end"): (
        COORDINATOR_ENDS_MANY,
        lambda w, side: Call(
            "POST",
            "/v1/placements/end",
            json={"placement_ids": [w.id("PL-A" if side == "own" else "PL-B")], "reason": "move"},
        ),
    ),
    ("POST", "/v1/placements/{placement_id}/end"): (
        COORDINATOR_DECIDES,
        at("POST", "/v1/placements/{placement_id}/end", "PL-A", "PL-B", {"reason": "breakdown"}),
    ),
    # The municipality audit: aggregates of the key's own municipality only
    ("GET", "/v1/audit/proximity"): (
        AUDIT_PROXIMITY,
        by_side(
            get("/v1/audit/proximity", municipality="0228", **PERIOD),
            get("/v1/audit/proximity", municipality="0289", **PERIOD),
        ),
    ),
    ("GET", "/v1/audit/proximity.csv"): (
        AUDIT_PROXIMITY,
        by_side(
            get("/v1/audit/proximity.csv", municipality="0228", **PERIOD),
            get("/v1/audit/proximity.csv", municipality="0289", **PERIOD),
        ),
    ),
    ("GET", "/v1/audit/proximity.png"): (
        AUDIT_PROXIMITY,
        by_side(
            get("/v1/audit/proximity.png", municipality="0228", **PERIOD),
            get("/v1/audit/proximity.png", municipality="0289", **PERIOD),
        ),
    ),
    # Planning of a municipality's area: aggregates of the key's own municipality only
    ("POST", "/v1/planning/capacity"): (
        AUDIT_PROXIMITY,
        by_side(
            at("POST", "/v1/planning/capacity", body={"beds": 1, "municipality": "0228"}),
            at("POST", "/v1/planning/capacity", body={"beds": 1, "municipality": "0289"}),
        ),
    ),
    ("POST", "/v1/planning/frontier"): (
        AUDIT_PROXIMITY,
        by_side(
            at("POST", "/v1/planning/frontier", body={"points": 1, "municipality": "0228"}),
            at("POST", "/v1/planning/frontier", body={"points": 1, "municipality": "0289"}),
        ),
    ),
    ("POST", "/v1/planning/simulations"): (
        AUDIT_PROXIMITY,
        by_side(
            at("POST", "/v1/planning/simulations", body=SIMULATION | {"municipality": "0228"}),
            at("POST", "/v1/planning/simulations", body=SIMULATION | {"municipality": "0289"}),
        ),
    ),
    # Keys and the audit trail: admins only
    ("GET", "/v1/keys"): (
        ADMIN_ONLY,
        by_side(get("/v1/keys", organisation="org-a"), get("/v1/keys", organisation="org-b")),
    ),
    ("POST", "/v1/keys"): (
        Expect(401, (403, 403), (403, 403), (403, 403), (201, 201)),
        by_side(
            at("POST", "/v1/keys", body={"role": "provider", "organisation": "org-a"}),
            at("POST", "/v1/keys", body={"role": "provider", "organisation": "org-b"}),
        ),
    ),
    ("DELETE", "/v1/keys/{prefix}"): (
        Expect(401, (404, 404), (404, 404), (404, 404), (204, 204)),
        at("DELETE", "/v1/keys/{prefix}", "KEY-A", "KEY-B"),
    ),
    ("GET", "/v1/audit-trail"): (
        ADMIN_ONLY,
        by_side(
            get("/v1/audit-trail", organisation="jb-a"), get("/v1/audit-trail", organisation="jb-b")
        ),
    ),
}


def test_every_endpoint_has_a_matrix_row(world: World) -> None:
    # The screens answer with pages, not the API's statuses: tests/web checks their access.
    endpoints = api_endpoints(world.app) - web_endpoints()
    assert endpoints - set(MATRIX) == set(), "endpoints without a row in the access matrix"
    assert set(MATRIX) - endpoints == set(), "rows for endpoints that no longer exist"


@pytest.mark.parametrize("endpoint", list(MATRIX), ids=[f"{m} {p}" for m, p in MATRIX])
def test_access_matrix(world: World, endpoint: tuple[str, str]) -> None:
    expect, build = MATRIX[endpoint]
    failures = []
    for role in ROLES:
        for side in SIDES:
            world.restore()
            call = build(world, side)
            response = world.send(role, call)
            where = f"{role:<12} {side:<7} {call.method} {call.url}"
            wanted = expect.status(role, side)
            if response.status_code != wanted:
                failures.append(f"{where}: {response.status_code}, not {wanted}")
                continue
            body = response.content.decode("utf-8", "replace")
            leaked = _leaks(body, {s for s in _secrets(world, role) if s not in call.sent()})
            if leaked:
                failures.append(f"{where}: leaks {leaked}")
            refused_or_read = wanted >= 400 or call.method == "GET"
            if refused_or_read and world.fingerprint() != world.pristine:
                failures.append(f"{where}: changed the database")
    assert not failures, "\n".join(failures)
