"""When the database is out of connections or does not answer, requests get 503 with
Retry-After (never a 500), ``/health/ready`` says so, and ``/health`` stays up."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from api.db.engine import WRITE_OPTION, make_engine
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START, Client
from tests.api.helpers import assert_problem
from tests.builders import home

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient


@pytest.fixture
def one_connection(database_url: str, engine: Engine) -> Iterator[Engine]:
    """An engine on the (migrated) test database with a pool of exactly one connection
    that a request waits for at most a tenth of a second."""
    del engine  # only for the migration it brings
    tiny = make_engine(database_url, pool_size=1, max_overflow=0, pool_timeout_s=0.1)
    yield tiny
    tiny.dispose()


def test_a_dry_pool_answers_503_with_retry_after(one_connection: Engine, tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path, seed_demo=False), engine=one_connection)
    issued = create_key(
        UnitOfWork(one_connection),
        role="admin",
        organisation="beheer",
        municipality=None,
        now=START,
    )
    http = TestClient(app)
    key = {"Authorization": f"Bearer {issued.key}"}
    with one_connection.connect() as held:
        held.execute(text("SELECT 1"))
        busy = http.get("/v1/homes", headers=key)
        not_ready = http.get("/health/ready")
        alive = http.get("/health")
    body = assert_problem(busy, 503)
    assert busy.headers["retry-after"] == "2"
    assert "try again" in body["detail"]
    assert_problem(not_ready, 503)
    assert not_ready.headers["retry-after"] == "2"
    assert alive.status_code == 200
    # The pool drains and everything answers again.
    assert http.get("/v1/homes", headers=key).status_code == 200
    assert http.get("/health/ready").json() == {"status": "ok"}


def test_readiness_answers_while_the_database_does(anonymous: Client) -> None:
    ready = anonymous.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}
    assert ready.headers["cache-control"] == "no-store"


def test_a_lock_held_beyond_the_lock_timeout_answers_503_and_changes_nothing(
    database_url: str, engine: Engine, tmp_path: Path
) -> None:
    del engine  # only for the migration it brings
    quick = make_engine(database_url, busy_timeout_ms=200)
    app = create_app(Settings(data_dir=tmp_path, seed_demo=False), engine=quick)
    uow = UnitOfWork(quick)
    issued = create_key(uow, role="provider", organisation="org-a", municipality=None, now=START)
    http = TestClient(app)
    key = {"Authorization": f"Bearer {issued.key}"}
    created = http.post("/v1/homes", json=home("H-lock", beds_free=1), headers=key)
    assert created.status_code == 201, created.text
    try:
        with quick.connect() as holder:
            # A writer that keeps the home's row (PostgreSQL) or the write lock (SQLite).
            holder.execution_options(**{WRITE_OPTION: True})
            with holder.begin():
                holder.execute(text("UPDATE homes SET beds_free = beds_free WHERE id = 'H-lock'"))
                blocked = http.patch("/v1/homes/H-lock", json={"beds_free": 3}, headers=key)
        body = assert_problem(blocked, 503)
        assert blocked.headers["retry-after"] == "2"
        assert "try again" in body["detail"]
        assert http.get("/v1/homes/H-lock", headers=key).json()["beds_free"] == 1
        assert http.patch("/v1/homes/H-lock", json={"beds_free": 3}, headers=key).status_code == 200
    finally:
        with quick.begin() as conn:
            conn.execute(text("DELETE FROM homes WHERE id = 'H-lock'"))
        quick.dispose()
