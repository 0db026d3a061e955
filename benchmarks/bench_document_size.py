"""Size of the options document with the national fixture loaded (not a timed test).

Loads ``fixtures.generate.generate_national()`` (3,000 waiting children, 20,000 homes) into
a fresh SQLite database and asks ``GET /v1/children/{id}/options`` through the app for a
sample of children, by default (``excluded=nearest``: the nearest 8 excluded homes
explained, every one counted per reason) and with ``excluded=all``. Prints the bytes of
the response bodies; the target is at most 100 kB (100,000 bytes) by default.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_document_size.py [--children N]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import warnings
from datetime import UTC, datetime
from typing import Any

from api.clock import FixedClock
from api.http.app import create_app
from api.services.keys import create_key
from api.services.seed import load_scenario_document
from api.settings import Settings
from fixtures.generate import generate_national

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message=".*install `httpx2`")
    from fastapi.testclient import TestClient

__all__ = ["main"]

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ORGANISATION = "jeugdbescherming-nl"
TARGET_BYTES = 100_000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30, help="children sampled")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/size.sqlite3", seed_demo=False, options_burst=100_000
        )
        app = create_app(settings, clock=FixedClock(NOW))
        document = generate_national()
        load_scenario_document(app.state.uow, document, ORGANISATION, NOW)
        key = create_key(
            app.state.uow, role="coordinator", organisation=ORGANISATION, municipality=None, now=NOW
        ).key
        sample = random.Random(5).sample([c["id"] for c in document["children"]], args.children)
        sizes: dict[str, list[int]] = {"nearest": [], "all": []}
        excluded_total: list[int] = []
        largest: tuple[int, dict[str, Any]] = (0, {})
        with TestClient(app, headers={"Authorization": f"Bearer {key}"}) as http:
            for child_id in sample:
                for mode, found in sizes.items():
                    response = http.get(
                        f"/v1/children/{child_id}/options", params={"excluded": mode}
                    )
                    if response.status_code != 200:
                        raise SystemExit(f"unexpected {response.status_code}: {response.text}")
                    found.append(len(response.content))
                    if mode == "nearest" and len(response.content) > largest[0]:
                        largest = (len(response.content), response.json())
                excluded_total.append(response.json()["excluded_total"])
    print(
        f"national fixture, {args.children} children, excluded homes per child: "
        f"median {statistics.median(excluded_total):.0f}, max {max(excluded_total)}"
    )
    print(f"{'excluded=':<10} {'median kB':>10} {'max kB':>8}  target")
    for mode, found in sizes.items():
        median, worst = statistics.median(found), max(found)
        target = (
            f"max <= {TARGET_BYTES // 1000} kB {'met' if worst <= TARGET_BYTES else 'MISSED'}"
            if mode == "nearest"
            else "(the full list, on request)"
        )
        print(f"{mode:<10} {median / 1000:>10.1f} {worst / 1000:>8.1f}  {target}")
    size, doc = largest
    parts = ", ".join(
        f"{key} {len(json.dumps(doc[key], separators=(',', ':'), ensure_ascii=False)) / 1000:.1f}"
        for key in ("options", "excluded", "excluded_summary")
    )
    print(
        f"largest by default: {size / 1000:.1f} kB for a unit of {len(doc['members'])} "
        f"child(ren), {len(doc['options'])} options; kB per part: {parts}"
    )
    print(
        "ratio all / nearest (median): "
        f"{statistics.median(sizes['all']) / statistics.median(sizes['nearest']):.0f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
