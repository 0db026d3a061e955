"""Fixtures for the screens: one demo database (SQLite, seeded like ``dichtbij serve``), a
demo key per role, an in-process TestClient and a live server for the browser tests."""

from __future__ import annotations

import shutil
import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine

from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.services.seed import issue_demo_keys, seed_demo
from api.settings import Settings
from tests.api.conftest import _pg_admin_url
from tests.scratch import free_port, scratch_database

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class Demo:
    app: FastAPI
    keys: dict[str, str]
    uow: UnitOfWork
    engine: Engine | None = None


def make_demo(tmp: Path, database_url: str | None = None) -> Demo:
    """The demo on SQLite in ``tmp``, or on the (empty) database at ``database_url``."""
    settings = Settings(
        data_dir=tmp,
        seed_demo=False,
        options_burst=10_000,
        match_runs_burst=10_000,
        planning_burst=10_000,
    )
    url = database_url or f"sqlite:///{tmp / 'screens.sqlite3'}"
    engine = make_engine(url, busy_timeout_ms=30_000)
    migrate(engine)
    uow = UnitOfWork(engine)
    clock = SystemClock()
    seed_demo(uow, clock.now())
    keys = {k.role.value: k.key for k in issue_demo_keys(uow, clock.now())}
    return Demo(create_app(settings, clock=clock, engine=engine), keys, uow, engine)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return make_demo(tmp_path_factory.mktemp("screens"))


@pytest.fixture(scope="session")
def postgres_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """The same demo on a throwaway PostgreSQL database; skipped where none answers."""
    admin_url, reason = _pg_admin_url()
    if admin_url is None:
        pytest.skip(reason)
    with scratch_database(admin_url, f"dichtbij_screens_{uuid.uuid4().hex[:12]}") as url:
        demo = None
        try:
            demo = make_demo(tmp_path_factory.mktemp("screens-pg"), url)
            yield demo
        finally:
            if demo is not None and demo.engine is not None:
                demo.engine.dispose()  # its connections close before the database goes


@pytest.fixture
def fresh_demo(tmp_path: Path) -> Demo:
    """A demo of its own, for a test that changes what other tests read."""
    return make_demo(tmp_path)


def sign_in(client: TestClient, key: str) -> None:
    page = client.get("/aanmelden")
    token = csrf_of(page.text, "/aanmelden")
    answer = client.post("/aanmelden", data={"key": key, "csrf": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def csrf_of(html: str, action: str = "/afmelden") -> str:
    """The CSRF token of the form posted to ``action``."""
    form = html.split(f'action="{action}"', 1)[1]
    return form.split('name="csrf" value="', 1)[1].split('"', 1)[0]


@contextmanager
def signed_in(app: FastAPI, key: str) -> Iterator[TestClient]:
    """A client of the screens, signed in with ``key``."""
    with TestClient(app) as client:
        sign_in(client, key)
        yield client


def import_homes(client: TestClient, data: str | bytes, filename: str = "woonplekken.csv") -> Any:
    """The answer to a file of homes uploaded through the import screen."""
    token = csrf_of(client.get("/woonplekken/importeren").text, "/woonplekken/importeren")
    content = data.encode() if isinstance(data, str) else data
    return client.post(
        "/woonplekken/importeren",
        data={"csrf": token},
        files={"file": (filename, content, "text/csv")},
    )


@pytest.fixture
def browser_client(demo: Demo) -> Iterator[TestClient]:
    with TestClient(demo.app, base_url="http://testserver") as client:
        yield client


@dataclass
class Live:
    url: str
    demo: Demo


def serve(demo: Demo) -> Iterator[Live]:
    port = free_port()
    config = uvicorn.Config(demo.app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield Live(f"http://127.0.0.1:{port}", demo)
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture(
    scope="session",
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def live(request: pytest.FixtureRequest) -> Iterator[Live]:
    """The demo served for the browser: on SQLite, and on PostgreSQL when one answers."""
    demo: Demo = request.getfixturevalue("demo" if request.param == "sqlite" else "postgres_demo")
    yield from serve(demo)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if CHROMIUM is None:
        pytest.skip("no chromium binary (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
