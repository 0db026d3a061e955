"""An in-memory unit of work behind the same interface as :mod:`api.db.uow`: the
repositories the proposal service uses, over plain dicts, with the same conditional updates
and the same all-or-nothing writes. Services run on it without HTTP or a database."""

from __future__ import annotations

import copy
import json
from collections import namedtuple
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON

from api.db.tables import ChildRow, HomeRow, PlacementRow, ProposalRow
from api.db.uow import NO_AUDIT, AuditHook

__all__ = ["FakeUnitOfWork", "Store"]

_HOME_COLUMNS = tuple(c.name for c in HomeRow.__table__.c)
_CHILD_COLUMNS = tuple(c.name for c in ChildRow.__table__.c)
_PROPOSAL_COLUMNS = tuple(c.name for c in ProposalRow.__table__.c)
#: A plain row as ``candidate_rows`` gives it: named fields, iterable.
_HOME_JSON = tuple(c.name for c in HomeRow.__table__.c if isinstance(c.type, JSON))
_HomeTuple = namedtuple("_HomeTuple", _HOME_COLUMNS)
_ChildTuple = namedtuple("_ChildTuple", _CHILD_COLUMNS)


@dataclass
class Store:
    """Everything "stored": column values by id, as the tables hold them."""

    homes: dict[str, dict[str, Any]] = field(default_factory=dict)
    children: dict[str, dict[str, Any]] = field(default_factory=dict)
    links: set[tuple[str, str]] = field(default_factory=set)
    proposals: dict[str, dict[str, Any]] = field(default_factory=dict)
    proposal_children: dict[str, list[str]] = field(default_factory=dict)
    placements: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)


def _places(part_time: bool) -> tuple[str, str]:
    """The free and held columns of beds, or of part-time places (as the real repository)."""
    return ("part_time_places_free", "part_time_held") if part_time else ("beds_free", "beds_held")


def _plain(home: dict[str, Any]) -> Any:
    """A home as ``candidate_rows`` gives it: JSON columns as their text."""
    return _HomeTuple(**{k: json.dumps(v) if k in _HOME_JSON else v for k, v in home.items()})


class _Homes:
    def __init__(self, store: Store) -> None:
        self.s = store

    def get(self, home_id: str, *, lock: bool = False) -> HomeRow | None:
        values = self.s.homes.get(home_id)
        return HomeRow(**values) if values is not None else None

    def get_many(self, home_ids: Collection[str]) -> dict[str, HomeRow]:
        return {h: HomeRow(**self.s.homes[h]) for h in home_ids if h in self.s.homes}

    def lock_active(self, home_id: str) -> HomeRow | None:
        row = self.get(home_id)
        return row if row is not None and row.withdrawn_at is None else None

    def request_beds_check(self, home_id: str, now: datetime) -> None:
        if home_id in self.s.homes:
            self.s.homes[home_id]["beds_check_requested_at"] = now

    def hold_beds(self, home_id: str, beds: int, now: datetime, *, part_time: bool = False) -> bool:
        free, held = _places(part_time)
        h = self.s.homes.get(home_id)
        if h is None or h["withdrawn_at"] is not None or (h[free] or 0) - h[held] < beds:
            return False
        h.update({held: h[held] + beds, "updated_at": now})
        return True

    def release_beds(
        self, home_id: str, beds: int, now: datetime, *, part_time: bool = False
    ) -> bool:
        _, held = _places(part_time)
        h = self.s.homes.get(home_id)
        if h is None or h[held] < beds:
            return False
        h.update({held: h[held] - beds, "updated_at": now})
        return True

    def take_held_beds(
        self, home_id: str, beds: int, now: datetime, *, part_time: bool = False
    ) -> bool:
        free, held = _places(part_time)
        h = self.s.homes.get(home_id)
        if h is None or h["withdrawn_at"] is not None or h[held] < beds:
            return False
        h.update(
            {
                held: h[held] - beds,
                free: h[free] - beds,
                "updated_at": now,
                "version": h["version"] + 1,
            }
        )
        return True

    def free_bed(self, home_id: str, now: datetime, *, part_time: bool = False) -> None:
        free, _ = _places(part_time)
        h = self.s.homes[home_id]
        h.update({free: (h[free] or 0) + 1, "updated_at": now, "version": h["version"] + 1})

    def candidate_rows(self, extra_ids: Collection[str]) -> Sequence[Any]:
        return [
            _plain(h)
            for hid, h in sorted(self.s.homes.items())
            if h["withdrawn_at"] is None
            and (
                h["beds_free"] - h["beds_held"] > 0
                or (h["part_time_places_free"] or 0) - h["part_time_held"] > 0
                or hid in extra_ids
            )
        ]

    def plain_rows(self, home_ids: Collection[str]) -> Sequence[Any]:
        return [
            _plain(h)
            for hid, h in sorted(self.s.homes.items())
            if h["withdrawn_at"] is None and hid in home_ids
        ]


class _Children:
    def __init__(self, store: Store) -> None:
        self.s = store

    def get(self, child_id: str, *, lock: bool = False) -> ChildRow | None:
        values = self.s.children.get(child_id)
        return ChildRow(**values) if values is not None else None

    def get_many(self, child_ids: Collection[str]) -> dict[str, ChildRow]:
        return {c: ChildRow(**self.s.children[c]) for c in child_ids if c in self.s.children}

    def siblings_of(self, child_ids: Collection[str]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {cid: set() for cid in child_ids}
        for a, b in self.s.links:
            if a in out:
                out[a].add(b)
        return out

    def component(self, child_id: str) -> set[str]:
        seen, frontier = {child_id}, {child_id}
        while frontier:
            links = self.siblings_of(frontier)
            frontier = set().union(*links.values()) - seen
            seen |= frontier
        return seen

    def update_fields(self, child_id: str, values: dict[str, Any]) -> None:
        c = self.s.children.get(child_id)
        if c is not None:
            c.update(values, version=c["version"] + 1)

    def move(
        self,
        child_ids: Sequence[str],
        from_status: Collection[str],
        to_status: str,
        now: datetime,
        **values: Any,
    ) -> bool:
        for cid in sorted(child_ids):
            c = self.s.children.get(cid)
            if c is None or c["status"] not in from_status:
                return False
            c.update(status=to_status, updated_at=now, version=c["version"] + 1, **values)
        return True

    def _where(self, organisation: str | None, statuses: Collection[str]) -> list[dict[str, Any]]:
        return [
            c
            for _, c in sorted(self.s.children.items())
            if c["status"] in statuses and organisation in (None, c["organisation"])
        ]

    def scenario_rows(self, organisation: str | None, statuses: Collection[str]) -> list[Any]:
        return [_ChildTuple(**c) for c in self._where(organisation, statuses)]

    def placed_in_residential(self, organisation: str | None) -> list[Any]:
        return [
            _ChildTuple(**c)
            for c in self._where(organisation, ("placed",))
            if c["care_kind"] != "part_time"
            and self.s.homes.get(c["current_home"] or "", {}).get("type") == "residential"
        ]

    def living_in(
        self, organisation: str, home_id: str, statuses: Collection[str]
    ) -> list[ChildRow]:
        rows = self._where(organisation, statuses)
        return [ChildRow(**c) for c in rows if c["current_home"] == home_id]

    def living_anywhere(self, organisation: str, statuses: Collection[str]) -> list[ChildRow]:
        rows = self._where(organisation, statuses)
        return [ChildRow(**c) for c in rows if c["current_home"] is not None]

    def residents(
        self, organisation: str | None, statuses: Collection[str]
    ) -> list[tuple[str, str, list[str]]]:
        rows = self._where(organisation, statuses)
        return [
            (c["id"], c["current_home"], list(c["keep_apart"])) for c in rows if c["current_home"]
        ]

    def links_among(
        self, organisation: str | None, statuses: Collection[str]
    ) -> list[tuple[str, str]]:
        ids = {c["id"] for c in self._where(organisation, statuses)}
        return [(a, b) for a, b in sorted(self.s.links) if a in ids]


class _Proposals:
    def __init__(self, store: Store) -> None:
        self.s = store

    def add(self, row: ProposalRow, child_ids: Sequence[str]) -> None:
        self.s.proposals[row.id] = {name: getattr(row, name) for name in _PROPOSAL_COLUMNS}
        self.s.proposal_children[row.id] = list(child_ids)

    def get(self, proposal_id: str) -> ProposalRow | None:
        values = self.s.proposals.get(proposal_id)
        return ProposalRow(**values) if values is not None else None

    def child_ids(self, proposal_ids: Collection[str]) -> dict[str, list[str]]:
        return {pid: list(self.s.proposal_children.get(pid, [])) for pid in proposal_ids}

    def due(self, open_statuses: Collection[str], now: datetime, limit: int = 500) -> list[str]:
        due = [p for p in self.s.proposals.values() if p["status"] in open_statuses]
        return [
            p["id"] for p in sorted(due, key=lambda p: p["expires_at"]) if p["expires_at"] <= now
        ][:limit]

    def destinations(
        self,
        organisation: str | None,
        open_statuses: Collection[str],
        home_ids: Collection[str] | None = None,
    ) -> list[tuple[str, str, list[str]]]:
        return [
            (cid, p["home_id"], list(self.s.children[cid]["keep_apart"]))
            for pid, p in self.s.proposals.items()
            if p["status"] in open_statuses
            and organisation in (None, p["organisation"])
            and (home_ids is None or p["home_id"] in home_ids)
            for cid in self.s.proposal_children[pid]
            if cid in self.s.children
        ]

    def move(
        self,
        proposal_id: str,
        from_status: Collection[str],
        to_status: str,
        now: datetime,
        *,
        unexpired: bool,
        **values: Any,
    ) -> bool:
        p = self.s.proposals.get(proposal_id)
        if p is None or p["status"] not in from_status:
            return False
        if (p["expires_at"] > now) is not unexpired:
            return False
        p.update(status=to_status, updated_at=now, **values)
        return True


class _Placements:
    def __init__(self, store: Store) -> None:
        self.s = store

    def add_all(self, rows: Sequence[PlacementRow]) -> None:
        for row in rows:
            self.s.placements.append({c.name: getattr(row, c.name) for c in row.__table__.c})

    def open_for_child(self, child_id: str) -> PlacementRow | None:
        found = [p for p in self.s.placements if p["child_id"] == child_id and not p["end_date"]]
        return PlacementRow(**found[0]) if found else None

    def guests(
        self, organisation: str | None, home_ids: Collection[str] | None = None
    ) -> list[tuple[str, str, list[str]]]:
        out = []
        for p in self.s.placements:
            c = self.s.children.get(p["child_id"])
            if p["end_date"] is not None or c is None or c["current_home"] == p["home_id"]:
                continue
            if organisation in (None, c["organisation"]) and (
                home_ids is None or p["home_id"] in home_ids
            ):
                out.append((c["id"], p["home_id"], list(c["keep_apart"])))
        return out

    def settled_until(self, child_ids: Collection[str]) -> date | None:
        days = [
            p["end_date"] or p["start_date"]
            for p in self.s.placements
            if p["child_id"] in child_ids
        ]
        return max(days, default=None)

    def end(self, placement_id: str, end_date: date, reason: str, now: datetime) -> bool:
        for p in self.s.placements:
            if p["id"] == placement_id and p["end_date"] is None:
                p.update(end_date=end_date, end_reason=reason, ended_at=now)
                return True
        return False


class _AuditTrail:
    def __init__(self, store: Store) -> None:
        self.s = store

    def add(self, values: dict[str, Any], child_ids: Collection[str]) -> int:
        self.s.audit.append({**values, "children": sorted(child_ids)})
        return len(self.s.audit)


class FakeTx:
    """The fake of :class:`api.db.uow.Tx`: the same repository names over a store."""

    def __init__(self, store: Store, audit: AuditHook = NO_AUDIT) -> None:
        self.audit = audit
        self.homes = _Homes(store)
        self.children = _Children(store)
        self.proposals = _Proposals(store)
        self.placements = _Placements(store)
        self.audit_trail = _AuditTrail(store)
        self.committed = False

    def commit(self) -> None:
        self.audit.before_commit(self)
        self.committed = True
        self.audit.after_commit()


class FakeUnitOfWork:
    """The fake of :class:`api.db.uow.UnitOfWork`: a write works on a copy of the store
    that replaces it only on commit, so a refused step changes nothing, as a rollback."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        self.audit = NO_AUDIT

    @contextmanager
    def read(self) -> Iterator[FakeTx]:
        yield FakeTx(copy.deepcopy(self.store), self.audit)

    @contextmanager
    def write(self) -> Iterator[FakeTx]:
        working = copy.deepcopy(self.store)
        tx = FakeTx(working, self.audit)
        yield tx
        if tx.committed:
            self.store.__dict__.update(working.__dict__)
