"""Fixtures for the screens: one demo database (SQLite, seeded like ``dichtbij serve``), a
demo key per role, an in-process TestClient and a live server for the browser tests."""

from __future__ import annotations

import shutil
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from api.clock import SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.app import create_app
from api.services.seed import issue_demo_keys, seed_demo
from api.settings import Settings
from tests.api.test_concurrency import _free_port

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


def make_demo(tmp: Path) -> Demo:
    settings = Settings(
        data_dir=tmp,
        seed_demo=False,
        options_burst=10_000,
        match_runs_burst=10_000,
        planning_burst=10_000,
    )
    engine = make_engine(f"sqlite:///{tmp / 'screens.sqlite3'}", busy_timeout_ms=30_000)
    migrate(engine)
    uow = UnitOfWork(engine)
    clock = SystemClock()
    seed_demo(uow, clock.now())
    keys = {k.role.value: k.key for k in issue_demo_keys(uow, clock.now())}
    return Demo(create_app(settings, clock=clock, engine=engine), keys, uow)


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return make_demo(tmp_path_factory.mktemp("screens"))


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


@pytest.fixture
def browser_client(demo: Demo) -> Iterator[TestClient]:
    with TestClient(demo.app, base_url="http://testserver") as client:
        yield client


@dataclass
class Live:
    url: str
    demo: Demo


def serve(demo: Demo) -> Iterator[Live]:
    port = _free_port()
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


@pytest.fixture(scope="session")
def live(demo: Demo) -> Iterator[Live]:
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
