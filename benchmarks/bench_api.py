"""Benchmark of the HTTP service with the national fixture loaded (not a timed test).

Loads ``fixtures.generate.generate_national()`` (3,000 waiting children, 20,000 homes) into
a fresh database, starts the real server (uvicorn) on a free 127.0.0.1 port and measures,
through HTTP with one keep-alive connection:

- ranked options for one child (``GET /v1/children/{id}/options``): target median under
  300 ms, 95th percentile under 1 s;
- registering a home (``POST /v1/homes``): target median under 50 ms.

All 3,000 children belong to one coordinating organisation, the worst case: the options
of a child are ranked in a scenario holding every one of its organisation's children.

    .venv/bin/python benchmarks/bench_api.py [--database-url URL] [--requests N]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import uvicorn

from api.clock import FixedClock
from api.http.app import create_app
from api.services.keys import create_key
from api.services.seed import load_scenario_document
from api.settings import Settings
from fixtures.generate import generate_national

__all__ = ["main"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ORGANISATION = "jeugdbescherming-nl"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _timed(call: Callable[[], httpx.Response], expected: int) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != expected:
        raise SystemExit(f"unexpected {response.status_code}: {response.text[:300]}")
    return elapsed


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temp folder")
    parser.add_argument("--requests", type=int, default=60, help="requests per measurement")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            seed_demo=False,
            # One key asks for every measured ranking: the per-key limit would refuse most.
            options_burst=100_000,
        )
        clock = FixedClock(NOW)
        app = create_app(settings, clock=clock)
        uow = app.state.uow

        t0 = time.perf_counter()
        document = generate_national()
        t1 = time.perf_counter()
        loaded = load_scenario_document(uow, document, ORGANISATION, clock.now())
        t2 = time.perf_counter()
        print(
            f"national fixture: {loaded.homes} homes, {loaded.children} children "
            f"(generated in {t1 - t0:.1f} s, loaded in {t2 - t1:.1f} s)"
        )
        coordinator = create_key(
            uow, role="coordinator", organisation=ORGANISATION, municipality=None, now=NOW
        ).key
        admin = create_key(uow, role="admin", organisation="beheer", municipality=None, now=NOW)

        port = _free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.02)
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(5)
        child_ids = [c["id"] for c in document["children"]]
        try:
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {coordinator}"}, timeout=60
            ) as http:
                for cid in rng.sample(child_ids, 3):  # warm-up: imports, caches, pool
                    http.get(f"/v1/children/{cid}/options")
                sizes: list[int] = []
                options: list[float] = []
                for cid in rng.sample(child_ids, args.requests):
                    url = f"/v1/children/{cid}/options?top=10"
                    options.append(_timed(lambda url=url: http.get(url), 200))
                    sizes.append(len(http.get(url).content))
            with httpx.Client(
                base_url=base, headers={"Authorization": f"Bearer {admin.key}"}, timeout=60
            ) as http:
                homes: list[float] = []
                for i in range(args.requests + 5):
                    body = {
                        "id": f"H-bench-{i}",
                        "organisation": "bench-provider",
                        "type": "foster",
                        "postcode": "6714AB",
                        "beds_free": 1,
                        "capabilities": {"trauma": 1},
                    }
                    ms = _timed(lambda body=body: http.post("/v1/homes", json=body), 201)
                    if i >= 5:  # the first few warm the route up
                        homes.append(ms)
        finally:
            server.should_exit = True
            thread.join(15)

    rows = [
        ("GET /v1/children/{id}/options", options, 300.0, 1000.0),
        ("POST /v1/homes", homes, 50.0, None),
    ]
    print(f"\ndatabase: {settings.url_for_display.split(':')[0]}, {args.requests} requests each")
    print(f"{'endpoint':<32} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  target")
    for name, values, median_target, p95_target in rows:
        median = statistics.median(values)
        p95 = _percentile(values, 0.95)
        target = f"median < {median_target:.0f}" + (
            f", p95 < {p95_target:.0f}" if p95_target else ""
        )
        ok = median < median_target and (p95_target is None or p95 < p95_target)
        print(
            f"{name:<32} {median:>10.1f} {p95:>8.1f} {max(values):>8.1f}  "
            f"{target} {'met' if ok else 'MISSED'}"
        )
    print(f"options document size: median {statistics.median(sizes) / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
