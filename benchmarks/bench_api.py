"""Benchmark of the HTTP service under load with the national fixture loaded (not a test).

Loads ``fixtures.generate.generate_national()`` (3,000 waiting children, 20,000 homes) into
a fresh database: a SQLite file in a temporary folder, or with ``--postgres URL`` a scratch
database created on that server and dropped afterwards (nothing is left in the database
the URL names). Then, per database and per number of worker processes, it starts the real
service (``python -m api.cli serve --workers N``, uvicorn) on a free 127.0.0.1 port and
measures ``GET /v1/children/{id}/options`` through HTTP:

- one client alone (the baseline of the same run), then
- ``--clients`` concurrent clients (default 16), each with its own keep-alive connection,
  each asking ``--requests`` times for a random child of the 3,000.

With ``--baseline DIR`` the code of another checkout (the main branch before this work)
is measured first the same way, on SQLite with one worker, on a database of its own.

Targets (issue 12): with 16 clients p50 at most 300 ms and p95 at most 1 s. Every worker
warms up first (the first options request after a change builds the organisation's
ranker; ``api.services.engine_cache``). All 3,000 children belong to one coordinating
organisation, the worst case. ``POST /v1/homes`` is timed last, by one client.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_api.py [--postgres URL] [--workers 1,2]
        [--baseline ../main] [--clients 16] [--requests 10]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

from api.db.engine import make_engine
from api.db.uow import UnitOfWork
from api.services.keys import create_key
from fixtures.generate import generate_national

ROOT = Path(__file__).resolve().parents[1]
# The free port and the scratch database are the tests' own (tests/ is no installed package).
sys.path.insert(0, str(ROOT))

from tests.scratch import free_port, scratch_database  # noqa: E402

__all__ = ["main"]

ORGANISATION = "jeugdbescherming-nl"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


_LOAD = """
import sys
from datetime import UTC, datetime
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.services.keys import create_key
from api.services.seed import load_scenario_document
from fixtures.generate import generate_national
engine = make_engine(sys.argv[1])
migrate(engine)
uow = UnitOfWork(engine)
now = datetime.now(UTC)
load_scenario_document(uow, generate_national(), sys.argv[2], now)
print(create_key(uow, role="coordinator", organisation=sys.argv[2], municipality=None, now=now).key)
"""


def _load(url: str, root: Path) -> tuple[str, list[str]]:
    """Migrate, load the national fixture with the code of ``root`` (its own migrations);
    a coordinator key and the children's ids."""
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _LOAD, url, ORGANISATION],
        env={**os.environ, "PYTHONPATH": str(root)},
        # In the checkout: ``-c`` and ``-m`` put the working folder first on sys.path.
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    key = done.stdout.split()[-1]
    children = [c["id"] for c in generate_national()["children"]]
    print(f"  national fixture loaded in {time.perf_counter() - t0:.1f} s ({root})")
    return key, children


@contextmanager
def _serving(url: str, workers: int, root: Path = ROOT) -> Iterator[str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DICHTBIJ"))}
    env.update(
        PYTHONPATH=str(root),
        DATABASE_URL=url,
        DICHTBIJ_SEED_DEMO="false",
        # One key asks for every measured ranking: the per-key limit would refuse most.
        DICHTBIJ_OPTIONS_BURST="100000",
        DICHTBIJ_OPTIONS_PER_MINUTE="100000",
    )
    # One worker without the option: a baseline checkout may not know --workers.
    more = ["--workers", str(workers)] if workers > 1 else []
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), *more],
        env=env,
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health/ready").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _clients(base: str, key: str, children: list[str], clients: int, requests: int) -> list[float]:
    """Latencies (ms) of ``clients`` concurrent clients asking ``requests`` times each."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)
    failures: list[str] = []

    def client(seed: int) -> None:
        rng = random.Random(seed)
        mine: list[float] = []
        with httpx.Client(
            base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=120
        ) as http:
            http.get("/health")  # the connection is open before the clock starts
            start.wait()
            for _ in range(requests):
                url = f"/v1/children/{rng.choice(children)}/options"
                t0 = time.perf_counter()
                response = http.get(url)
                mine.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    failures.append(f"{response.status_code}: {response.text[:200]}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, first: {failures[0]}")
    return latencies


def _warm(base: str, key: str, children: list[str], workers: int) -> None:
    """Every worker builds its ranker before the clock runs (new connections spread over
    the processes; a few more than workers make it likely that each got one)."""
    for child_id in children[: 4 * workers]:
        response = httpx.get(
            f"{base}/v1/children/{child_id}/options",
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        )
        if response.status_code != 200:
            raise SystemExit(f"warm-up failed: {response.status_code} {response.text[:200]}")


def _homes(base: str, key: str, n: int) -> list[float]:
    out: list[float] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as http:
        for i in range(n + 5):
            body = {
                "id": f"H-bench-{i}",
                "organisation": "bench-provider",
                "type": "foster",
                "postcode": "6714AB",
                "beds_free": 1,
                "capabilities": {"trauma": 1},
            }
            t0 = time.perf_counter()
            response = http.post("/v1/homes", json=body)
            if response.status_code != 201:
                raise SystemExit(f"POST /v1/homes: {response.status_code} {response.text[:200]}")
            if i >= 5:  # the first few warm the route up
                out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL: measure there too (scratch DB)")
    parser.add_argument("--only-postgres", action="store_true", help="skip SQLite")
    parser.add_argument("--workers", default="1,2", help="worker counts (default 1,2)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=10, help="requests per client")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of the code before (e.g. the main branch): measured too, in the same "
        "run, on SQLite with one worker, on a database of its own",
    )
    args = parser.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",")]

    rows: list[tuple[str, int, int, list[float], float]] = []
    homes: dict[str, list[float]] = {}

    def measure(name: str, url: str, root: Path = ROOT, counts: list[int] = counts) -> None:
        print(f"{name}:")
        key, children = _load(url, root)
        sample = random.Random(5).sample(children, len(children))
        for workers in counts:
            with _serving(url, workers, root) as base:
                _warm(base, key, sample, workers)
                for clients in (1, args.clients):
                    t0 = time.perf_counter()
                    found = _clients(base, key, sample, clients, args.requests)
                    wall = time.perf_counter() - t0
                    rows.append((name, workers, clients, found, len(found) / wall))
                if workers == counts[-1] and root == ROOT:
                    admin = _admin_key(url)
                    homes[name] = _homes(base, admin, 20)

    with tempfile.TemporaryDirectory() as tmp:
        if args.baseline:
            measure("baseline", f"sqlite:///{tmp}/baseline.sqlite3", args.baseline.resolve(), [1])
        if not args.only_postgres:
            measure("sqlite", f"sqlite:///{tmp}/bench.sqlite3")
    if args.postgres:
        with scratch_database(args.postgres, f"dichtbij_bench_{uuid.uuid4().hex[:12]}") as url:
            measure("postgresql", url)

    print(
        f"\nGET /v1/children/{{id}}/options, national fixture, {args.requests} requests per "
        "client; targets with 16 clients: p50 <= 300 ms, p95 <= 1000 ms"
    )
    print(
        f"{'database':<11} {'workers':>7} {'clients':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'max ms':>8} {'req/s':>7}  vs 1 client"
    )
    for name, workers, clients, found, rate in rows:
        p50, p95 = statistics.median(found), _percentile(found, 0.95)
        alone = next(
            statistics.median(f) for n, w, c, f, _ in rows if (n, w, c) == (name, workers, 1)
        )
        verdict = ""
        if clients >= 16:
            verdict = "met" if p50 <= 300 and p95 <= 1000 else "MISSED"
        print(
            f"{name:<11} {workers:>7} {clients:>7} {p50:>8.1f} {p95:>8.1f} {max(found):>8.1f} "
            f"{rate:>7.1f}  p50 x{p50 / alone:.1f} {verdict}"
        )
    for name, found in homes.items():
        print(
            f"POST /v1/homes on {name}: median {statistics.median(found):.1f} ms, "
            f"p95 {_percentile(found, 0.95):.1f} ms (target median < 50 ms)"
        )
    return 0


def _admin_key(url: str) -> str:
    engine = make_engine(url)
    try:
        return create_key(
            UnitOfWork(engine),
            role="admin",
            organisation="beheer",
            municipality=None,
            now=datetime.now(UTC),
        ).key
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
