"""Per-key limits are kept in the database: two app instances (two worker processes, each
with its own engine and pool) take from one bucket, and never grant more than it holds."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from api.clock import FixedClock
from api.db.engine import make_engine
from api.http.app import create_app
from api.services.keys import create_key
from api.settings import Settings
from tests.api.conftest import START, Api, Client
from tests.api.helpers import add_child, add_home, assert_problem

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient


@pytest.fixture
def workers(
    api: Api, database_url: str, tmp_path: Path
) -> Iterator[tuple[list[TestClient], FixedClock]]:
    """Two apps on the test database, each with an engine of its own, as two worker
    processes of ``dichtbij serve --workers 2`` are: 3 options at once, then one per 10 s."""
    settings = Settings(data_dir=tmp_path, seed_demo=False, options_per_minute=6, options_burst=3)
    clock = FixedClock(START)
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        yield [TestClient(create_app(settings, clock=clock, engine=e)) for e in engines], clock
    finally:
        for e in engines:
            e.dispose()


@pytest.fixture
def options_url(provider: Client, coordinator: Client) -> str:
    """A home with a free bed and a waiting child: the URL of the child's options."""
    add_home(provider, "H-1")
    add_child(coordinator, "C-1")
    return "/v1/children/C-1/options"


def _key(api: Api) -> dict[str, str]:
    issued = create_key(
        api.uow, role="coordinator", organisation="jb-a", municipality=None, now=START
    )
    return {"Authorization": f"Bearer {issued.key}"}


def test_two_workers_share_one_limit_per_key(
    api: Api,
    options_url: str,
    workers: tuple[list[TestClient], FixedClock],
) -> None:
    (one, two), clock = workers
    key, other = _key(api), _key(api)
    url = options_url
    assert one.get(url, headers=key).status_code == 200
    assert two.get(url, headers=key).status_code == 200
    assert one.get(url, headers=key).status_code == 200
    # Each worker alone has granted at most two: the third refusal is the shared bucket's.
    refused = two.get(url, headers=key)
    assert_problem(refused, 429)
    assert refused.headers["retry-after"] == "10"
    assert_problem(one.get(url, headers=key), 429)
    assert two.get(url, headers=other).status_code == 200  # another key, its own bucket
    clock.advance(timedelta(seconds=10))
    assert two.get(url, headers=key).status_code == 200
    assert_problem(one.get(url, headers=key), 429)


def test_concurrent_requests_on_two_workers_never_exceed_the_burst(
    api: Api,
    options_url: str,
    workers: tuple[list[TestClient], FixedClock],
) -> None:
    clients, _ = workers
    key = _key(api)

    def ask(i: int) -> int:
        status: int = clients[i % 2].get(options_url, headers=key).status_code
        return status

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(ask, range(16)))
    assert sorted(statuses) == [200] * 3 + [429] * 13


def test_a_request_refused_before_its_work_takes_no_token(
    api: Api,
    options_url: str,
    workers: tuple[list[TestClient], FixedClock],
) -> None:
    # The key, the role, the query and the token are settled in one transaction: a request
    # refused there rolls it back, bucket and all.
    (one, two), _ = workers
    key = _key(api)
    url = options_url
    for client in (one, two, one, two):
        assert_problem(client.get(f"{url}?colour=red", headers=key), 422)
    assert [c.get(url, headers=key).status_code for c in (one, two, one)] == [200] * 3
    assert_problem(two.get(url, headers=key), 429)


def test_a_lapsed_hold_is_closed_before_a_limited_request_reads(
    api: Api,
    coordinator: Client,
    options_url: str,
    workers: tuple[list[TestClient], FixedClock],
) -> None:
    # The options of a child whose proposal lapsed (its home has one free bed): the bed it
    # held is free again, and the child is waiting again, in the same request that took
    # the token.
    (one, _), clock = workers
    key = _key(api)
    proposed = coordinator.post("/v1/proposals", json={"child_ids": ["C-1"], "home_id": "H-1"})
    assert proposed.status_code == 201, proposed.text
    held = one.get(options_url, headers=key)
    assert held.status_code == 200, held.text
    assert held.json()["options"] == []
    clock.advance(timedelta(days=6))
    answer = one.get(options_url, headers=key)
    assert answer.status_code == 200, answer.text
    assert [o["home_id"] for o in answer.json()["options"]] == ["H-1"]
