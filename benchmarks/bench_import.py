"""Benchmark of a large CSV import of homes against a running service (not a timed test).

Loads the national fixture (20,000 homes, 3,000 children) into a fresh database, starts
the real server (uvicorn) on a free port and measures through HTTP:

1. ranked options for random children and a cheap read (``GET /v1/homes/{id}``), each from
   its own client thread, without any import (the baseline);
2. the same two request streams while one client imports ``--rows`` new homes
   (``POST /v1/homes/import``): the import's time, the server process's peak memory, the
   longest write transaction, and the requests' latencies during it;
3. ranked options after the import, in the same server and in a new one on the same
   database (fresh engine and caches), to tell what an import leaves behind from what
   more homes cost.

The imported homes are like the national fixture's: about one in nine has a free bed.

    .venv/bin/python benchmarks/bench_import.py [--postgres] [--rows N] [--seconds S]

``--postgres`` creates the scratch database ``dichtbij_bench_import`` on the server of
``--pg-admin-url`` and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import io
import logging
import random
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import uvicorn
from bench_api import _percentile  # the script's folder is on sys.path
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, event

from api.clock import FixedClock
from api.db import mappers
from api.db.engine import WRITE_OPTION, make_engine
from api.http.app import create_app
from api.services.keys import create_key
from api.services.seed import load_scenario_document
from api.settings import Settings
from fixtures.generate import generate_national, load_pc4_table
from tests.scratch import free_port, scratch_database

__all__ = ["homes_csv", "main"]

COORDINATOR_ORG = "jeugdbescherming-nl"
PROVIDER_ORG = "bench-provider"
PG_SCRATCH = "dichtbij_bench_import"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_TYPES = ("foster", "foster", "foster", "family_home", "small_scale", "residential")


def homes_csv(rows: int, seed: int = 3, prefix: str = "H-imp-") -> bytes:
    """A CSV file of ``rows`` valid homes of one provider, on real PC4 postcodes."""
    rng = random.Random(seed)
    codes = load_pc4_table().codes
    out = io.StringIO()
    out.write(
        "id,type,postcode,beds_free,age_min,age_max,capabilities.trauma,"
        "capabilities.behaviour,languages\n"
    )
    for i in range(rows):
        beds = rng.choice((1, 2)) if rng.random() < 0.11 else 0
        age_min = rng.choice((0, 0, 4, 12))
        out.write(
            f"{prefix}{i:06d},{rng.choice(_TYPES)},{rng.choice(codes)},{beds},{age_min},"
            f"{rng.choice((12, 17, 23))},{rng.randint(0, 3)},{rng.randint(0, 3)},"
            f"{rng.choice(('nl', 'nl;en', 'nl;ar', 'nl;tr'))}\n"
        )
    return out.getvalue().encode()


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


@dataclass
class _WriteLocks:
    """Durations of write transactions (``BEGIN IMMEDIATE`` on SQLite) on one engine."""

    started: dict[int, float] = field(default_factory=dict)
    durations: list[float] = field(default_factory=list)

    def watch(self, engine: Engine) -> None:
        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            if conn.get_execution_options().get(WRITE_OPTION, False):
                self.started[id(conn)] = time.perf_counter()

        def _end(conn: Connection) -> None:
            start = self.started.pop(id(conn), None)
            if start is not None:
                self.durations.append(time.perf_counter() - start)

        event.listen(engine, "commit", _end)
        event.listen(engine, "rollback", _end)


class _LoopLag:
    """The server's event loop stalls: how late a 10 ms sleep on it wakes up."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.stop = False

    async def watch(self) -> None:
        while not self.stop:
            start = time.perf_counter()
            await asyncio.sleep(0.01)
            self.worst = max(self.worst, time.perf_counter() - start - 0.01)


@contextmanager
def _serve(app: FastAPI, lag: _LoopLag | None = None) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    if lag is not None:
        asyncio.run_coroutine_threadsafe(lag.watch(), server.servers[0].get_loop())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        if lag is not None:
            lag.stop = True
        server.should_exit = True
        thread.join(30)


def _stream(
    base: str, key: str, urls: Callable[[], str], until: Callable[[], bool], limit: int
) -> list[float]:
    """Latencies (ms) of GETs fired one after another until ``until()`` or ``limit``."""
    out: list[float] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120) as h:
        while not until() and len(out) < limit:
            start = time.perf_counter()
            response = h.get(urls())
            out.append((time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    return out


@dataclass
class _Run:
    options: list[float]
    reads: list[float]


def _concurrent(
    base: str, keys: dict[str, str], child_ids: list[str], until: Callable[[], bool], limit: int
) -> _Run:
    rng = random.Random(5)
    result: dict[str, list[float]] = {}

    def options() -> None:
        result["options"] = _stream(
            base,
            keys["coordinator"],
            lambda: f"/v1/children/{rng.choice(child_ids)}/options?top=10",
            until,
            limit,
        )

    def reads() -> None:
        result["reads"] = _stream(base, keys["provider"], lambda: "/v1/homes/H-probe", until, limit)

    threads = [threading.Thread(target=options), threading.Thread(target=reads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return _Run(result["options"], result["reads"])


def _row(name: str, values: list[float]) -> str:
    return (
        f"{name:<44} {len(values):>5} {statistics.median(values):>10.1f} "
        f"{_percentile(values, 0.95):>8.1f} {max(values):>9.1f}"
    )


def _settings(url: str, rows: int) -> Settings:
    return Settings(
        database_url=url,
        seed_demo=False,
        options_burst=100_000,  # one key asks for every measured ranking
        max_import_bytes=256 << 20,
        max_import_rows=max(rows, 1),
    )


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _measure(url: str, rows: int, seconds: float) -> None:
    import_log = _Lines()
    logging.getLogger("dichtbij.import").addHandler(import_log)
    logging.getLogger("dichtbij.import").setLevel(logging.INFO)
    clock = FixedClock(NOW)
    settings = _settings(url, rows)
    engine = make_engine(url)
    locks = _WriteLocks()
    locks.watch(engine)
    app = create_app(settings, clock=clock, engine=engine)
    uow = app.state.uow
    document = generate_national()
    load_scenario_document(uow, document, COORDINATOR_ORG, clock.now())
    child_ids = [c["id"] for c in document["children"]]
    keys = {
        role: create_key(uow, role=role, organisation=org, municipality=None, now=NOW).key
        for role, org in (("coordinator", COORDINATOR_ORG), ("provider", PROVIDER_ORG))
    }
    data = homes_csv(rows)
    size = len(data) / 2**20
    print(f"{engine.dialect.name}: national fixture loaded; CSV of {rows} homes, {size:.1f} MiB")

    lag = _LoopLag()
    with _serve(app, lag) as base:
        with httpx.Client(base_url=base, timeout=600) as h:
            auth = {"Authorization": f"Bearer {keys['provider']}"}
            probe = "id,type,postcode,beds_free\nH-probe,foster,6714,0\n"
            response = h.post(
                "/v1/homes/import",
                content=probe.encode(),
                headers={**auth, "Content-Type": "text/csv"},
            )
            assert response.status_code == 200, response.text
        # Warm-up: imports, caches, pool.
        _concurrent(base, keys, child_ids, lambda: False, 3)
        deadline = time.perf_counter() + seconds
        lag.worst = 0.0
        baseline = _concurrent(base, keys, child_ids, lambda: time.perf_counter() > deadline, 10**6)
        lag_baseline, lag.worst = lag.worst, 0.0

        gc.collect()
        rss_before = _rss_mib()
        peak = [rss_before]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _rss_mib())
                time.sleep(0.05)

        outcome: dict[str, Any] = {}

        def upload() -> None:
            start = time.perf_counter()
            with httpx.Client(base_url=base, timeout=600) as h:
                response = h.post(
                    "/v1/homes/import",
                    files={"file": ("homes.csv", data, "text/csv")},
                    headers={"Authorization": f"Bearer {keys['provider']}"},
                )
            outcome["seconds"] = time.perf_counter() - start
            outcome["status"] = response.status_code
            outcome["created"] = len(response.json().get("created", []))
            done.set()

        locks.durations.clear()
        sampler = threading.Thread(target=sample)
        uploader = threading.Thread(target=upload)
        sampler.start()
        uploader.start()
        during = _concurrent(base, keys, child_ids, done.is_set, 10**6)
        uploader.join()
        sampler.join()
        lag_import = lag.worst
        if outcome["status"] != 200 or outcome["created"] != rows:
            raise SystemExit(f"import failed: {outcome}")
        longest_write = max(locks.durations)
        gc.collect()
        rss_after = _rss_mib()
        deadline = time.perf_counter() + seconds
        after = _concurrent(base, keys, child_ids, lambda: time.perf_counter() > deadline, 10**6)

    # A new server on the same database: fresh engine, sessions and mapping caches.
    engine.dispose()
    mappers._home_of.cache_clear()
    mappers._decoded.cache_clear()
    gc.collect()
    app = create_app(settings, clock=clock)
    with _serve(app) as base:
        _concurrent(base, keys, child_ids, lambda: False, 3)
        deadline = time.perf_counter() + seconds
        fresh = _concurrent(base, keys, child_ids, lambda: time.perf_counter() > deadline, 10**6)

    print(
        f"\nimport of {rows} homes: {outcome['seconds']:.1f} s through HTTP, longest write "
        f"transaction of any request {longest_write * 1000:.0f} ms;\nserver RSS "
        f"{rss_before:.0f} MiB before, peak {peak[0]:.0f} MiB during, {rss_after:.0f} MiB after"
    )
    print(f"server: {import_log.lines[-1]}")
    print(
        f"longest event-loop stall: {lag_baseline * 1000:.0f} ms without an import, "
        f"{lag_import * 1000:.0f} ms during it"
    )
    print(f"\n{'requests':<44} {'n':>5} {'median ms':>10} {'p95 ms':>8} {'max ms':>9}")
    for label, run in (
        ("without an import", baseline),
        ("during the import", during),
        ("after the import, same server", after),
        ("after the import, new server", fresh),
    ):
        print(_row(f"options, {label}", run.options))
        print(_row(f"GET a home, {label}", run.reads))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="homes in the imported CSV")
    parser.add_argument("--seconds", type=float, default=20, help="length of each baseline")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument(
        "--pg-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    args = parser.parse_args(argv)
    if args.postgres:
        with scratch_database(args.pg_admin_url, PG_SCRATCH) as url:
            _measure(url, args.rows, args.seconds)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            _measure(f"sqlite:///{tmp}/bench.sqlite3", args.rows, args.seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
