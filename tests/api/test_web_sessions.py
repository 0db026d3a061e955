"""Web sessions are kept in the database: a browser signed in on one worker process is
signed in on every other, and the database holds neither its cookie nor its key."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from api.clock import FixedClock
from api.db.engine import make_engine
from api.db.tables import WebSessionRow
from api.http.app import create_app
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import PROVIDER_ORG, START, Api
from tests.web.conftest import csrf_of, sign_in

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient


@pytest.fixture
def workers(api: Api, database_url: str, tmp_path: Path) -> Iterator[list[TestClient]]:
    """Two apps on the test database, each with an engine of its own (two processes)."""
    settings = Settings(data_dir=tmp_path, seed_demo=False)
    engines = [make_engine(database_url) for _ in range(2)]
    clock = FixedClock(START)
    try:
        yield [TestClient(create_app(settings, clock=clock, engine=e)) for e in engines]
    finally:
        for e in engines:
            e.dispose()


def test_a_session_signed_in_on_one_worker_holds_on_the_other(
    api: Api, workers: list[TestClient]
) -> None:
    one, two = workers
    key = create_key(
        api.uow, role="provider", organisation=PROVIDER_ORG, municipality=None, now=START
    ).key
    sign_in(one, key)
    cookie = one.cookies.get("dichtbij_sessie")
    assert cookie
    two.cookies.set("dichtbij_sessie", cookie)
    page = two.get("/aanbod", follow_redirects=False)
    assert page.status_code == 200, page.text

    # The language chosen on one worker is the session's on the other.
    answer = two.post(
        "/taal", data={"lang": "en", "back": "/aanbod", "csrf": csrf_of(page.text, "/taal")}
    )
    assert answer.status_code == 200
    one.cookies.delete("taal")
    assert 'lang="en"' in one.get("/aanbod").text

    with api.uow.read() as tx:
        rows = tx.session.scalars(select(WebSessionRow)).all()
    assert [r.key_hash for r in rows] == [hashlib.sha256(key.encode()).hexdigest()]
    stored = " ".join(f"{r.id_hash} {r.key_hash} {r.csrf}" for r in rows)
    assert cookie not in stored
    assert key not in stored

    # Signing out on one worker ends the session on the other.
    page = one.get("/aanbod").text
    one.post("/afmelden", data={"csrf": csrf_of(page)})
    assert two.get("/aanbod", follow_redirects=False).status_code == 303
