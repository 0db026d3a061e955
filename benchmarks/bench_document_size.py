"""Size of the options document with the national fixture loaded (not a timed test).

Loads ``fixtures.generate.generate_national()`` (3,000 waiting children, 20,000 homes) into
a fresh SQLite database and asks ``GET /v1/children/{id}/options`` through the app once for
every unit (a child alone, or a sibling group placed together: one document for them all),
by default
(``members=points``: each option's members with their points per criterion;
``excluded=nearest``: the nearest 8 excluded homes explained, every one counted per reason)
and with ``members=full`` (every member's criteria in full: the document as it was before
``members`` existed, measured in the same run as the baseline). ``excluded=all`` is asked
for a sample of ``--children`` units. Prints the bytes of the response bodies per size of
unit; the target is at most 100 kB (100,000 bytes) by default.

The fixture's groups of 4 have few options and it has no group of 5, so the same is asked
again on a second database: the fixture with the two groups of 3 that have the longest
documents grown to 4 and 5 children (brothers and sisters made of their members' ages,
needs and schools, waiting since other days), and the homes of their options given the
beds to take them.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_document_size.py [--children N] [--units N]
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import tempfile
import warnings
from collections import defaultdict
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


class _Service:
    """The app on a fresh SQLite database holding ``document``, asked by one coordinator."""

    def __init__(self, document: dict[str, Any], tmp: str, name: str) -> None:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/{name}.sqlite3", seed_demo=False, options_burst=100_000
        )
        self.app = create_app(settings, clock=FixedClock(NOW))
        load_scenario_document(self.app.state.uow, document, ORGANISATION, NOW)
        self.key = create_key(
            self.app.state.uow,
            role="coordinator",
            organisation=ORGANISATION,
            municipality=None,
            now=NOW,
        ).key

    def __enter__(self) -> _Service:
        self.http = TestClient(self.app, headers={"Authorization": f"Bearer {self.key}"})
        self.http.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.__exit__(*exc)

    def options(self, child_id: str, **params: Any) -> tuple[int, dict[str, Any]]:
        response = self.http.get(f"/v1/children/{child_id}/options", params=params)
        if response.status_code != 200:
            raise SystemExit(f"unexpected {response.status_code}: {response.text}")
        return len(response.content), response.json()


def _grown(document: dict[str, Any], bases: list[tuple[list[str], list[str]]]) -> dict[str, Any]:
    """``document`` with each group of 3 in ``bases`` (its members, the homes of its
    options) grown by one child more than the group before it: to 4, then 5."""
    doc = copy.deepcopy(document)
    kids = {c["id"]: c for c in doc["children"]}
    homes = {h["id"]: h for h in doc["homes"]}
    for extra, (members, home_ids) in enumerate(bases, start=1):
        base = [kids[cid] for cid in members]
        new = [f"{members[0]}-{i}" for i in range(1, extra + 1)]
        group = members + new
        for i, cid in enumerate(new):
            # Every fact from a member (so every home that takes them takes it too), in a
            # combination no member has: the sentences differ from each of theirs.
            who = base[(i + 1) % 3]
            left_out = ("wishes", "school_postcode", "current_home")
            child = {k: v for k, v in base[i % 3].items() if k not in left_out}
            child.update(id=cid, needs=dict(base[(i + 2) % 3].get("needs", {})))
            if "school_postcode" in who:
                child["school_postcode"] = who["school_postcode"]
            child["waiting_since"] = f"2026-{8 + i:02d}-0{3 + i}"
            doc["children"].append(child)
            kids[cid] = child
        for cid in group:
            kids[cid]["siblings"] = [other for other in group if other != cid]
        for hid in home_ids:
            h = homes[hid]
            h["beds_free"] = max(h["beds_free"], len(group))
            h["max_siblings"] = max(h.get("max_siblings", h["beds_free"]), len(group))
            if h.get("known_to") and set(members) & set(h["known_to"]):
                h["known_to"] = sorted(set(h["known_to"]) | set(new))
    return doc


def _kb(n: float) -> str:
    return f"{n / 1000:,.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--children", type=int, default=30, help="units sampled for excluded=all")
    parser.add_argument(
        "--units", type=int, default=0, help="measure only this many units (0: every one)"
    )
    args = parser.parse_args(argv)
    document = generate_national()
    children = sorted(c["id"] for c in document["children"])
    if args.units:
        children = random.Random(5).sample(children, args.units)
    units: list[list[str]] = []
    by_size: dict[int, dict[str, list[int]]] = defaultdict(lambda: {"points": [], "full": []})
    options_of: dict[tuple[str, ...], list[str]] = {}
    full_size: dict[tuple[str, ...], int] = {}
    everything: list[int] = []
    excluded_total: list[int] = []
    worst: tuple[int, dict[str, Any]] = (0, {})
    with tempfile.TemporaryDirectory() as tmp:
        with _Service(document, tmp, "national") as service:
            covered: set[str] = set()
            for child_id in children:
                if child_id in covered:
                    continue
                size, doc = service.options(child_id)
                unit = doc["members"]  # the child's whole group, when placed together
                covered |= set(unit)
                units.append(unit)
                by_size[len(unit)]["points"].append(size)
                if size > worst[0]:
                    worst = (size, doc)
                full, _ = service.options(unit[0], members="full")
                by_size[len(unit)]["full"].append(full)
                options_of[tuple(unit)] = [o["home_id"] for o in doc["options"]]
                full_size[tuple(unit)] = full
                excluded_total.append(doc["excluded_total"])
            for unit in random.Random(5).sample(units, min(args.children, len(units))):
                everything.append(service.options(unit[0], excluded="all")[0])
        threes = sorted(
            (u for u in options_of if len(u) == 3 and len(options_of[u]) == 10),
            key=lambda u: -full_size[u],
        )[:2]
        grown = _grown(document, [(list(u), options_of[u]) for u in threes])
        constructed = []
        with _Service(grown, tmp, "grown") as service:
            for u in threes:
                first = u[0]
                points, doc = service.options(first)
                full, _ = service.options(first, members="full")
                top3, _ = service.options(first, members="full", top=3)
                constructed.append((len(doc["members"]), len(doc["options"]), points, full, top3))
    print(
        f"national fixture, {len(units)} units, excluded homes per unit: "
        f"median {statistics.median(excluded_total):.0f}, max {max(excluded_total)}"
    )
    print(
        f"{'children':>8} {'units':>6} {'median kB':>10} {'max kB':>8}"
        f" {'full median':>12} {'full max':>9}  target (default max <= 100 kB)"
    )
    everyone: dict[str, list[int]] = {"points": [], "full": []}
    rows: list[tuple[str, dict[str, list[int]]]] = []
    for n, found in sorted(by_size.items()):
        rows.append((str(n), found))
        for form in everyone:
            everyone[form] += found[form]
    for n_children, found in [*rows, ("all", everyone)]:
        short, whole = found["points"], found["full"]
        met = "met" if max(short) <= TARGET_BYTES else "MISSED"
        print(
            f"{n_children:>8} {len(short):>6} {_kb(statistics.median(short)):>10} "
            f"{_kb(max(short)):>8} {_kb(statistics.median(whole)):>12} {_kb(max(whole)):>9}  {met}"
        )
    print(
        f"excluded=all ({len(everything)} units): median {_kb(statistics.median(everything))} kB, "
        f"max {_kb(max(everything))} kB"
    )
    size, doc = worst
    print(
        f"largest by default: {_kb(size)} kB for a unit of {len(doc['members'])}, "
        f"{len(doc['options'])} options"
    )
    print("groups of 3 grown to 4 and 5 (their options' homes given the beds):")
    print(f"{'children':>8} {'options':>8} {'default kB':>11} {'full kB':>8} {'top=3 full kB':>14}")
    for n, n_options, points_size, full_size_, top3 in constructed:
        print(
            f"{n:>8} {n_options:>8} {_kb(points_size):>11} {_kb(full_size_):>8} {_kb(top3):>14}"
            f"  {'met' if points_size <= TARGET_BYTES else 'MISSED'}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
