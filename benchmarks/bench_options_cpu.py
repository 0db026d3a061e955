"""CPU per options request in-process, national fixture loaded (not a test).

The load benchmark (``bench_api.py``) measures what clients see through HTTP; on two
shared cores that follows the load of the machine as much as the code. This one measures
the work: the national fixture is loaded into a scratch database (a SQLite file, or with
``--postgres URL`` a scratch database on that server, dropped afterwards), then one
process per run sends ``GET /v1/children/{id}/options`` for 100 random national children
through the whole app (middleware, rate limit, audit record; Starlette's test client, no
network) and reports the process's CPU time per request (the app's and the test
client's threads), its wall time and the document's size. On PostgreSQL it also reports
the CPU of the database server's processes serving the app (``/proc`` of the backends
connected to the scratch database: the server must run on this machine), per request on
average: on two shared cores that CPU is taken from the app too. With ``--baseline DIR``
the code of another checkout is measured the same way on its own database, runs
alternating.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_options_cpu.py \\
        [--postgres URL] [--baseline DIR] [--runs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench_api import ROOT, _load

from tests.scratch import scratch_database

__all__ = ["main"]

#: One run, in a process of its own with the code of the checkout on ``PYTHONPATH``.
_RUN = """
import json, os, random, statistics, sys, time
from datetime import UTC, datetime
from fastapi.testclient import TestClient
from api.db.engine import make_engine
from api.http.app import create_app
from api.settings import Settings
url, key, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])

def server_cpu():  # CPU seconds of the PostgreSQL backends of this database (0 on SQLite)
    if not url.startswith("postgresql"):
        return 0.0
    from sqlalchemy import create_engine, text
    probe = create_engine(url)
    with probe.connect() as conn:
        pids = conn.execute(text(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )).scalars().all()
    probe.dispose()
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total

os.environ["DICHTBIJ_OPTIONS_BURST"] = "100000"
os.environ["DICHTBIJ_OPTIONS_PER_MINUTE"] = "100000"
children = json.loads(sys.stdin.read())
app = create_app(Settings.from_env(), engine=make_engine(url))
headers = {"Authorization": f"Bearer {key}"}
random.seed(seed)
cpu, wall, size = [], [], []
with TestClient(app) as client:
    client.get(f"/v1/children/{children[0]}/options", headers=headers)  # builds the ranker
    server = server_cpu()
    for child in random.sample(children, 100):
        t, p = time.perf_counter(), time.process_time()
        answer = client.get(f"/v1/children/{child}/options", headers=headers)
        cpu.append(time.process_time() - p)
        wall.append(time.perf_counter() - t)
        assert answer.status_code == 200, answer.text
        size.append(len(answer.content))
    server = server_cpu() - server
q = lambda xs: statistics.quantiles(xs, n=20)[-1]
print(json.dumps({
    "cpu_ms": statistics.median(cpu) * 1000, "cpu_p95_ms": q(cpu) * 1000,
    "wall_ms": statistics.median(wall) * 1000, "wall_p95_ms": q(wall) * 1000,
    "kb": statistics.median(size) / 1000, "db_cpu_ms": server / len(cpu) * 1000,
}))
"""


def _run(url: str, key: str, children: list[str], root: Path, seed: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _RUN, url, key, str(seed)],
        input=json.dumps(children),
        env={**os.environ, "PYTHONPATH": str(root)},
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


@contextmanager
def _database(postgres: str | None, tmp: Path, name: str) -> Iterator[str]:
    if postgres is None:
        yield f"sqlite:///{tmp / (name + '.db')}"
    else:
        with scratch_database(postgres, name) as url:
            yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL: measure there (scratch DB)")
    parser.add_argument("--baseline", type=Path, help="another checkout, measured alike")
    parser.add_argument("--runs", type=int, default=2, help="runs per checkout (alternating)")
    args = parser.parse_args(argv)
    roots = [("before", args.baseline)] if args.baseline else []
    roots.append(("now", ROOT))
    database = "PostgreSQL" if args.postgres else "SQLite"
    with tempfile.TemporaryDirectory() as name, ExitStack() as stack:
        loaded = {}
        for label, root in roots:
            url = stack.enter_context(_database(args.postgres, Path(name), f"options_{label}"))
            key, children = _load(url, root)
            loaded[label] = (url, key, children, root)
        rows = []
        for run in range(args.runs):
            for label, (url, key, children, root) in loaded.items():
                rows.append((label, run + 1, _run(url, key, children, root, seed=run + 1)))
    print(f"\nGET /v1/children/{{id}}/options in-process, 100 national children, {database}")
    server = " server CPU mean ms |" if args.postgres else ""
    head = "| code | run | CPU median ms | CPU p95 ms | wall median ms | wall p95 ms |"
    print(f"{head}{server} kB |")
    print("|---|---:|---:|---:|---:|---:|" + ("---:|" if args.postgres else "") + "---:|")
    for label, run, r in rows:
        db = f" {r.get('db_cpu_ms', 0.0):.1f} |" if args.postgres else ""
        print(
            f"| {label} | {run} | {r['cpu_ms']:.1f} | {r['cpu_p95_ms']:.1f} | "
            f"{r['wall_ms']:.1f} | {r['wall_p95_ms']:.1f} |{db} {r['kb']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
