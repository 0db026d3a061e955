"""Fixtures for the API tests: one migrated database per backend, emptied before each test.

Every API test runs against SQLite and, when it answers at 127.0.0.1:5432, PostgreSQL (a
throwaway database created for the session and dropped after it). Callers are API keys of
each role for two organisations: ``*_b`` keys belong to another organisation.
"""

from __future__ import annotations

import functools
import os
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from api.http.app import create_app

with warnings.catch_warnings():
    # Starlette's test client prefers the httpx2 package (a dev dependency) and warns when
    # it falls back to httpx, which works just as well for these tests.
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient
from api.clock import FixedClock
from api.db.engine import make_engine, migrate
from api.db.tables import metadata
from api.db.uow import UnitOfWork
from api.services.keys import create_key
from api.settings import Settings
from tests.scratch import scratch_database

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
# A server to create throwaway databases on: DICHTBIJ_TEST_PG_URL, or the local one.
PG_ADMIN_URLS = (
    (os.environ["DICHTBIJ_TEST_PG_URL"],)
    if os.environ.get("DICHTBIJ_TEST_PG_URL")
    else (
        "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        "postgresql+psycopg://root@127.0.0.1:5432/test",
    )
)

PROVIDER_ORG = "org-a"  # tests.builders.home() registers homes for this organisation
PROVIDER_B_ORG = "org-b"
COORDINATOR_ORG = "jb-a"
COORDINATOR_B_ORG = "jb-b"


@functools.cache
def _pg_admin_url() -> tuple[str | None, str]:
    """A PostgreSQL URL that answers, or why there is none (asked once per session)."""
    reason = "no PostgreSQL server to test against"
    for url in PG_ADMIN_URLS:
        engine = create_engine(url, connect_args={"connect_timeout": 2})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url, ""
        except OperationalError as exc:
            where = engine.url.render_as_string(hide_password=True)
            reason = f"PostgreSQL does not answer at {where} ({type(exc.orig).__name__})"
        finally:
            engine.dispose()
    return None, reason


def _pg_admin_engine() -> tuple[Engine | None, str]:
    url, reason = _pg_admin_url()
    if url is None:
        return None, reason
    return create_engine(url, isolation_level="AUTOCOMMIT"), ""


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin_url, reason = _pg_admin_url()
    if admin_url is None:
        pytest.skip(reason)
    with scratch_database(admin_url, f"dichtbij_test_{uuid.uuid4().hex[:12]}") as url:
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'api.sqlite3'}"


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def database_url(request: pytest.FixtureRequest) -> str:
    if request.param == "sqlite":
        url: str = request.getfixturevalue("sqlite_url")
    else:
        url = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, busy_timeout_ms=30_000)
    migrate(engine)
    yield engine
    engine.dispose()


#: Append-only by trigger: the database refuses to empty them, so tests never try. Each test
#: reads the trail through its own keys (new prefixes every time), or after a known event id.
APPEND_ONLY = frozenset({"audit_events", "audit_event_children"})


def empty_database(engine: Engine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables) if t.name not in APPEND_ONLY]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@dataclass
class Client:
    """A TestClient bound to one API key (or none)."""

    http: TestClient
    key: str | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.http.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self.request("PATCH", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)


@dataclass
class Api:
    app: FastAPI
    http: TestClient
    uow: UnitOfWork
    clock: FixedClock
    engine: Engine

    def as_role(self, role: str, organisation: str, municipality: str | None = None) -> Client:
        issued = create_key(
            self.uow,
            role=role,
            organisation=organisation,
            municipality=municipality,
            now=self.clock.now(),
        )
        return Client(self.http, issued.key)


@pytest.fixture(scope="session")
def _app(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[FastAPI, FixedClock]:
    clock = FixedClock(START)
    # Rate limits high enough never to bite a functional test; test_rate_limits.py makes
    # an app of its own with small ones.
    settings = Settings(
        data_dir=Path(tmp_path_factory.mktemp("unused")),
        seed_demo=False,
        options_burst=10_000,
        match_runs_burst=10_000,
        imports_burst=10_000,
    )
    return create_app(settings, clock=clock, engine=engine), clock


@pytest.fixture
def api(_app: tuple[FastAPI, FixedClock], engine: Engine) -> Api:
    app, clock = _app
    empty_database(engine)
    clock.set(START)
    return Api(app, TestClient(app), app.state.uow, clock, engine)


@pytest.fixture
def provider(api: Api) -> Client:
    return api.as_role("provider", PROVIDER_ORG)


@pytest.fixture
def provider_b(api: Api) -> Client:
    return api.as_role("provider", PROVIDER_B_ORG)


@pytest.fixture
def coordinator(api: Api) -> Client:
    return api.as_role("coordinator", COORDINATOR_ORG)


@pytest.fixture
def coordinator_b(api: Api) -> Client:
    return api.as_role("coordinator", COORDINATOR_B_ORG)


@pytest.fixture
def admin(api: Api) -> Client:
    return api.as_role("admin", "beheer")


@pytest.fixture
def municipality(api: Api) -> Client:
    return api.as_role("municipality", "gemeente-ede", "0228")


@pytest.fixture
def anonymous(api: Api) -> Client:
    return Client(api.http, None)
