"""Large CSV imports: no bind-parameter limit, row and byte limits (413), a per-key rate
limit (429), all rows or none however late a problem is found, and other requests
answered while an import runs."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, func, select

from api.clock import FixedClock
from api.db import repositories
from api.db.repositories import BATCH_ROWS, HomeRepository
from api.db.tables import HomeRow
from api.http.app import create_app
from api.services import homes
from api.services.homes import MAX_REPORTED_PROBLEMS
from api.services.keys import create_key
from api.settings import Settings
from fixtures.generate import load_pc4_table
from tests.api.conftest import START, Api, Client
from tests.api.helpers import add_child, add_home, assert_problem

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

HEADER = "id,type,postcode,beds_free,age_min,age_max,capabilities.trauma,languages\n"


def homes_csv(count: int, *, beds_free: int = 1, prefix: str = "H-", last: str = "") -> str:
    """``count`` valid rows of homes ``H-000000`` onwards, then ``last`` (a raw line)."""
    codes = load_pc4_table().codes[::97]
    lines = [
        f"{prefix}{i:06d},foster,{codes[i % len(codes)]},{beds_free},0,17,{i % 4},nl;en\n"
        for i in range(count)
    ]
    return HEADER + "".join(lines) + last


def upload(client: Client | TestClient, text: str, headers: dict[str, str] | None = None) -> Any:
    return client.post(
        "/v1/homes/import",
        content=text.encode(),
        headers={"Content-Type": "text/csv", **(headers or {})},
    )


def stored_homes(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.scalar(select(func.count()).select_from(HomeRow)) or 0)


def test_an_import_above_postgresqls_bind_parameter_limit_writes_every_row(
    provider: Client, api: Api
) -> None:
    rows = 65_536 + 1_000  # one IN list or one INSERT of all of them would need more
    response = upload(provider, homes_csv(rows))
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert (len(body["created"]), body["updated"]) == (rows, [])
    assert stored_homes(api.engine) == rows
    last = provider.get(f"/v1/homes/H-{rows - 1:06d}").json()
    assert (last["beds_free"], last["languages"], last["organisation"]) == (
        1,
        ["nl", "en"],
        "org-a",
    )


def test_an_import_replaces_own_homes_across_batches(provider: Client, api: Api) -> None:
    rows = 2 * BATCH_ROWS + 500
    assert upload(provider, homes_csv(rows, beds_free=1)).status_code == 200
    response = upload(provider, homes_csv(rows + 10, beds_free=3))
    assert response.status_code == 200, response.text[:500]
    assert (len(response.json()["created"]), len(response.json()["updated"])) == (10, rows)
    with api.engine.connect() as conn:
        beds = conn.execute(select(HomeRow.beds_free, func.count()).group_by(HomeRow.beds_free))
        assert dict(beds.all()) == {3: rows + 10}


def test_an_error_in_the_last_row_imports_nothing(provider: Client, api: Api) -> None:
    add_home(provider, "H-000001", beds_free=1)
    text = homes_csv(3 * BATCH_ROWS, beds_free=2, last="H-last,foster,6714,-1,,,,\n")
    body = assert_problem(upload(provider, text), 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(3 * BATCH_ROWS + 2, "beds_free")]
    assert stored_homes(api.engine) == 1
    assert provider.get("/v1/homes/H-000001").json()["beds_free"] == 1


def test_a_failure_after_the_first_writes_rolls_every_write_back(
    provider: Client, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_home(provider, "H-000001", beds_free=1)
    insert_staged = HomeRepository.insert_staged

    def lost_a_race(self: HomeRepository) -> int:
        insert_staged(self)
        return 0  # as if another request had registered the ids meanwhile

    monkeypatch.setattr(HomeRepository, "insert_staged", lost_a_race)
    body = assert_problem(upload(provider, homes_csv(2 * BATCH_ROWS, beds_free=2)), 409)
    assert body["code"] == "id_taken"
    assert stored_homes(api.engine) == 1  # the new homes were inserted, then rolled back
    assert provider.get("/v1/homes/H-000001").json()["beds_free"] == 1  # and the update
    monkeypatch.undo()
    # Nothing of the failed import, staged rows included, changes the next one.
    retry = upload(provider, homes_csv(3, beds_free=2))
    assert retry.json() == {"created": ["H-000000", "H-000002"], "updated": ["H-000001"]}


def test_a_file_wrong_throughout_lists_the_first_problems_and_counts_all(
    provider: Client,
) -> None:
    rows = MAX_REPORTED_PROBLEMS + 200
    body = assert_problem(upload(provider, homes_csv(rows, beds_free=-1)), 422)
    assert len(body["errors"]) == MAX_REPORTED_PROBLEMS
    assert body["detail"].startswith(f"{rows} problem(s)")
    assert body["errors"][0]["row"] == 2


def test_a_row_with_more_cells_than_the_header_is_named(provider: Client) -> None:
    text = "id,type,postcode,beds_free\nH-1,foster,6714,1\nH-2,foster,6714,1,extra\n"
    body = assert_problem(upload(provider, text), 422)
    assert [e["row"] for e in body["errors"]] == [3]
    assert "cells" in body["errors"][0]["reason"]


def test_blank_lines_are_skipped_but_keep_spreadsheet_row_numbers(provider: Client) -> None:
    text = "id,type,postcode,beds_free\n\nH-1,foster,6714,1\n\nH-2,foster,6714,x\n"
    body = assert_problem(upload(provider, text), 422)
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(5, "beds_free")]


@pytest.fixture
def small_limits(api: Api, engine: Engine, tmp_path: Path) -> tuple[TestClient, FixedClock]:
    """An app on the test database with small import limits: 5 rows, 2 KiB, one import
    at once and then one every 20 minutes."""
    settings = Settings(
        data_dir=tmp_path,
        seed_demo=False,
        max_import_rows=5,
        max_import_bytes=2048,
        imports_per_hour=3,
        imports_burst=1,
    )
    clock = FixedClock(START)
    return TestClient(create_app(settings, clock=clock, engine=engine)), clock


def _key(api: Api, role: str = "provider", organisation: str = "org-a") -> dict[str, str]:
    issued = create_key(api.uow, role=role, organisation=organisation, municipality=None, now=START)
    return {"Authorization": f"Bearer {issued.key}"}


def test_more_rows_than_the_limit_is_413_and_imports_nothing(
    api: Api, small_limits: tuple[TestClient, FixedClock]
) -> None:
    http, _ = small_limits
    body = assert_problem(upload(http, homes_csv(6), _key(api)), 413)
    assert "5 rows" in body["detail"]
    assert stored_homes(api.engine) == 0
    assert upload(http, homes_csv(5), _key(api)).status_code == 200


def test_a_file_larger_than_the_byte_limit_is_413_also_when_streamed(
    api: Api, small_limits: tuple[TestClient, FixedClock]
) -> None:
    http, _ = small_limits
    text = homes_csv(3) + "\n" * 2048
    assert_problem(upload(http, text, _key(api)), 413)

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield homes_csv(3).encode()
        for _ in range(10):
            yield b"\n" * 512

    streamed = http.post(
        "/v1/homes/import", content=chunks(), headers={"Content-Type": "text/csv", **_key(api)}
    )
    body = assert_problem(streamed, 413)
    assert "2048 bytes" in body["detail"]
    assert stored_homes(api.engine) == 0


def test_imports_are_rate_limited_per_key(
    api: Api, small_limits: tuple[TestClient, FixedClock]
) -> None:
    http, clock = small_limits
    first, second = _key(api), _key(api)
    assert upload(http, homes_csv(1), first).status_code == 200
    refused = upload(http, homes_csv(1), first)
    assert_problem(refused, 429)
    assert refused.headers["retry-after"] == "1200"
    assert upload(http, homes_csv(1, prefix="B-"), second).status_code == 200  # its own bucket
    clock.advance(timedelta(minutes=20))
    assert upload(http, homes_csv(1), first).status_code == 200


def _paused(
    monkeypatch: pytest.MonkeyPatch, target: Any, name: str
) -> tuple[threading.Event, threading.Event]:
    """Make ``target.name`` wait, the first time it is called, until released."""
    reached, release = threading.Event(), threading.Event()
    original: Callable[..., Any] = getattr(target, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not reached.is_set():
            reached.set()
            assert release.wait(60), "the test never released the import"
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, wrapper)
    return reached, release


def _import_in_background(provider: Client, text: str) -> tuple[threading.Thread, list[Any]]:
    answers: list[Any] = []
    thread = threading.Thread(target=lambda: answers.append(upload(provider, text)))
    thread.start()
    return thread, answers


def _paused_while_staging(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event]:
    """Make the next import wait, once its first batch is staged, until released."""
    reached, release = threading.Event(), threading.Event()
    stage_homes = repositories.stage_homes

    def slow_rows(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for i, row in enumerate(rows):
            if i == BATCH_ROWS + 1:
                reached.set()
                assert release.wait(60), "the test never released the import"
            yield row

    def stage(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
        stage_homes(connection, slow_rows(rows))

    monkeypatch.setattr(homes, "stage_homes", stage)
    return reached, release


@pytest.mark.parametrize("phase", ["validating", "staging"])
def test_requests_during_an_import_are_answered_and_see_none_of_it(
    phase: str, provider: Client, coordinator: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_home(provider, "H-own", beds_free=1)
    add_child(coordinator, "C-1")
    rows = 2 * BATCH_ROWS
    if phase == "validating":
        reached, release = _paused(monkeypatch, homes, "_validated_row")
    else:
        reached, release = _paused_while_staging(monkeypatch)
    thread, answers = _import_in_background(provider, homes_csv(rows))
    try:
        assert reached.wait(60)
        assert provider.get("/v1/homes").json()["total"] == 1
        options = coordinator.get("/v1/children/C-1/options?top=3")
        assert options.status_code == 200
        assert [o["home_id"] for o in options.json()["options"]] == ["H-own"]
    finally:
        release.set()
        thread.join(60)
    assert answers[0].status_code == 200, answers[0].text[:500]
    assert provider.get("/v1/homes").json()["total"] == rows + 1


def test_a_read_during_an_imports_writes_sees_none_of_it(
    provider: Client, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    if api.engine.dialect.name == "sqlite":
        pytest.skip("on SQLite a keyed request writes its audit record, so it waits for the writer")
    add_home(provider, "H-000000", beds_free=1)
    rows = 2 * BATCH_ROWS + 1
    # Paused after the own home was replaced, before the new homes are inserted.
    reached, release = _paused(monkeypatch, HomeRepository, "insert_staged")
    thread, answers = _import_in_background(provider, homes_csv(rows, beds_free=2))
    try:
        assert reached.wait(60)
        listing = provider.get("/v1/homes?limit=1")
        assert listing.json()["total"] == 1
        assert listing.json()["items"][0]["beds_free"] == 1
    finally:
        release.set()
        thread.join(60)
    assert answers[0].status_code == 200, answers[0].text[:500]
    assert provider.get("/v1/homes").json()["total"] == rows
    assert provider.get("/v1/homes/H-000000").json()["beds_free"] == 2


def _statements_of_import(client: Client, engine: Engine, text: str) -> int:
    """The database statements an import of ``text`` sends (executemany counts once)."""
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        response = upload(client, text)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, response.text[:500]
    return len(sent)


def test_the_children_named_by_network_homes_are_looked_up_once_per_import(
    admin: Client, coordinator: Client, api: Api
) -> None:
    # Looked up per row, they held the write transaction (on SQLite every writer's lock)
    # 2.3 s for 8,000 network homes, against 0.04 s for as many other homes.
    add_child(coordinator, "C-1")
    add_child(coordinator, "C-2")

    def network(count: int, prefix: str) -> str:
        rows = [f"{prefix}{i},org-a,network_foster,6714,1,C-{1 + i % 2}\n" for i in range(count)]
        return "id,organisation,type,postcode,beds_free,known_to\n" + "".join(rows)

    _statements_of_import(admin, api.engine, network(1, "H-0"))  # the key's first import
    few = _statements_of_import(admin, api.engine, network(3, "H-a"))
    many = _statements_of_import(admin, api.engine, network(40, "H-b"))
    assert many == few
    stored = admin.get("/v1/homes/H-b39").json()
    assert (stored["type"], stored["known_to"]) == ("network_foster", ["C-2"])
