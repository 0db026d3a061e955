"""Repositories: every query the services need, and nothing else, per aggregate.

The statements that move beds are conditional updates whose row count says whether they
won: ``UPDATE homes SET beds_held = beds_held + n WHERE ... beds_free - beds_held >= n``.
On PostgreSQL a second writer blocks on the row lock and re-checks the condition against
the committed row, so two requests can never both take the last bed; on SQLite writers are
serialised by ``BEGIN IMMEDIATE``. Callers always lock homes before children, children in
id order, so that two transactions never wait for each other in a cycle.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    CursorResult,
    MetaData,
    Select,
    Table,
    Text,
    cast,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from api.db.tables import (
    ApiKeyRow,
    AuditEventChildRow,
    AuditEventRow,
    ChildRow,
    ChildTombstoneRow,
    HomeRow,
    MatchRunRow,
    PlacementRow,
    ProposalChildRow,
    ProposalRow,
    ServiceStateRow,
    SiblingLinkRow,
)

__all__ = [
    "BATCH_ROWS",
    "STAGED_HOMES",
    "AuditFilter",
    "AuditTrailRepository",
    "ChildRepository",
    "HomeRepository",
    "KeyRepository",
    "MatchRunRepository",
    "PlacementRepository",
    "ProposalRepository",
    "StateRepository",
    "StoredHome",
    "drop_staged_homes",
    "stage_homes",
]


#: Rows per statement when many are written or looked up at once. PostgreSQL takes at most
#: 65,535 bind parameters per statement and a home has 18 columns: 1,000 rows stay far
#: below that on both databases, and larger batches were not measurably faster.
BATCH_ROWS = 1000


# The homes table for Core statements: executemany of plain values, no ORM bookkeeping.
_HOMES = typing.cast(Table, HomeRow.__table__)


#: Where an import's rows wait for its write transaction: a temporary table, private to
#: the connection. Filling it takes no lock on the database (on SQLite the temporary
#: tables are a database of their own), so the seconds of bind processing and row-by-row
#: inserting happen before the write lock is taken; the write copies the rows in C.
STAGED_HOMES = Table(
    "staged_homes",
    MetaData(),  # not the schema's: Alembic neither creates nor compares it
    *(Column(c.name, c.type, primary_key=c.primary_key) for c in _HOMES.c),
    prefixes=["TEMPORARY"],
)
#: What an import replaces of an existing home: everything but its creation, its held
#: beds, its withdrawal and its version (which counts up instead).
_REPLACED_COLUMNS = tuple(
    c.name
    for c in _HOMES.c
    if c.name not in ("id", "created_at", "beds_held", "withdrawn_at", "version")
)


def stage_homes(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Put an import's homes (every column's value) into :data:`STAGED_HOMES` on
    ``connection``, in batches of plain values; call inside a transaction that is not a
    writer's (see :meth:`api.db.uow.UnitOfWork.staged_write`)."""
    STAGED_HOMES.drop(connection, checkfirst=True)
    STAGED_HOMES.create(connection)
    for batch in _batches(rows):
        connection.execute(insert(STAGED_HOMES), batch)


def drop_staged_homes(connection: Connection) -> None:
    STAGED_HOMES.drop(connection, checkfirst=True)


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    # Items may be generated: only one batch of them exists at a time.
    it = iter(items)
    while batch := list(itertools.islice(it, BATCH_ROWS)):
        yield batch


@dataclass(frozen=True, slots=True)
class StoredHome:
    """What an import needs to know of a home already registered under an id."""

    id: str
    organisation: str
    withdrawn: bool
    beds_held: int
    known_to: tuple[str, ...] = ()


def _rowcount(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def _page(session: Session, query: Select[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.offset(offset).limit(limit)))
    return rows, int(total or 0)


class HomeRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, home_id: str, *, lock: bool = False) -> HomeRow | None:
        """Any home by id, withdrawn ones included (their ids stay taken); ``lock`` holds
        the row until the transaction ends (PostgreSQL), so a version checked stays true."""
        return self.session.get(HomeRow, home_id, populate_existing=True, with_for_update=lock)

    def get_many(self, home_ids: Collection[str]) -> dict[str, HomeRow]:
        if not home_ids:
            return {}
        rows = self.session.scalars(
            select(HomeRow)
            .where(HomeRow.id.in_(list(home_ids)))
            .execution_options(populate_existing=True)
        )
        return {r.id: r for r in rows}

    def add(self, row: HomeRow) -> None:
        self.session.add(row)
        self.session.flush()

    def lock_active(self, home_id: str) -> HomeRow | None:
        """The home if it is not withdrawn, its row locked until the transaction ends (on
        PostgreSQL; SQLite's writers are serialised already)."""
        return self.session.scalar(
            select(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.withdrawn_at.is_(None))
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def add_all(self, rows: Sequence[HomeRow]) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def stored_for_import(self, home_ids: Iterable[str]) -> dict[str, StoredHome]:
        """The homes registered under ``home_ids``, looked up in batches (no bind-parameter
        limit); for an import's error report, outside its write transaction."""
        cols = _HOMES.c
        out: dict[str, StoredHome] = {}
        for batch in _batches(home_ids):
            query = select(
                cols.id, cols.organisation, cols.withdrawn_at, cols.beds_held, cols.known_to
            ).where(cols.id.in_(batch))
            for home_id, organisation, withdrawn_at, beds_held, known in self.session.execute(
                query
            ):
                out[home_id] = StoredHome(
                    home_id, organisation, withdrawn_at is not None, beds_held, tuple(known or ())
                )
        return out

    def stored_for_staged(self) -> dict[str, StoredHome]:
        """The homes registered under the ids of the staged import (:func:`stage_homes`),
        locked on PostgreSQL until the transaction ends, so that no proposal holds a bed
        between the import's check and its update (SQLite's writers are serialised)."""
        cols = _HOMES.c
        query = (
            select(cols.id, cols.organisation, cols.withdrawn_at, cols.beds_held, cols.known_to)
            .join(STAGED_HOMES, STAGED_HOMES.c.id == cols.id)
            .with_for_update(of=_HOMES)
        )
        return {
            home_id: StoredHome(
                home_id, organisation, withdrawn_at is not None, beds_held, tuple(known or ())
            )
            for home_id, organisation, withdrawn_at, beds_held, known in self.session.execute(query)
        }

    def replace_from_staged(self) -> int:
        """Overwrite every active home whose id is staged with the staged values, in one
        statement; a home whose beds_free would fall below its held beds is left alone.
        The number of homes replaced."""
        staged = STAGED_HOMES.c
        query = (
            update(_HOMES)
            .where(
                _HOMES.c.id == staged.id,
                _HOMES.c.withdrawn_at.is_(None),
                _HOMES.c.beds_held <= staged.beds_free,
            )
            # A new version, as for a PATCH: an edit based on the old values gets 412.
            .values(
                {name: staged[name] for name in _REPLACED_COLUMNS}
                | {"version": _HOMES.c.version + 1}
            )
        )
        return _rowcount(self.session.connection().execute(query))

    def insert_staged(self) -> int:
        """Insert every staged home whose id is not registered, in one statement; the
        number inserted."""
        names = [c.name for c in _HOMES.c]
        query = insert(_HOMES).from_select(
            names,
            select(*(STAGED_HOMES.c[n] for n in names)).where(
                ~select(_HOMES.c.id).where(_HOMES.c.id == STAGED_HOMES.c.id).exists()
            ),
        )
        # Only an UPDATE's or DELETE's row count is kept by default, not an INSERT's.
        return _rowcount(
            self.session.connection().execute(query.execution_options(preserve_rowcount=True))
        )

    def page(self, organisation: str | None, offset: int, limit: int) -> tuple[list[HomeRow], int]:
        query = select(HomeRow).where(HomeRow.withdrawn_at.is_(None)).order_by(HomeRow.id)
        if organisation is not None:
            query = query.where(HomeRow.organisation == organisation)
        return _page(self.session, query, offset, limit)

    def replace(self, home_id: str, values: dict[str, Any]) -> bool:
        """Overwrite an active home's fields; refused (False) if beds would fall below held."""
        result = self.session.execute(
            update(HomeRow)
            .where(
                HomeRow.id == home_id,
                HomeRow.withdrawn_at.is_(None),
                HomeRow.beds_held <= values["beds_free"],
            )
            .values(**values, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def set_known_to(self, home_id: str, known_to: list[str], now: datetime) -> None:
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            # A new version: a provider's edit based on the old list must not undo it.
            .values(known_to=known_to, updated_at=now, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def forget_known(self, child_id: str, now: datetime) -> None:
        """Take ``child_id`` out of every home's ``known_to`` (a removed child's id may be
        registered again, for another child)."""
        naming = [
            home_id
            for home_id, known_to in self.session.execute(
                select(HomeRow.id, HomeRow.known_to).where(HomeRow.type == "network_foster")
            )
            if child_id in known_to
        ]
        # Only those rows are locked, and read again under the lock, so that a child
        # attached meanwhile by another request is not lost.
        for row in self.session.scalars(
            select(HomeRow)
            .where(HomeRow.id.in_(naming))
            .order_by(HomeRow.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ):
            self.set_known_to(row.id, [c for c in row.known_to if c != child_id], now)

    def withdraw(
        self,
        home_id: str,
        now: datetime,
        open_statuses: Collection[str],
        resident_statuses: Collection[str],
    ) -> bool:
        """Withdraw the home if no proposal to it is open and no child lives in it: one
        conditional statement, so that a confirm racing it leaves either a placement in a
        home still on the register or a withdrawn home without one, never both. (Confirm
        locks the home row and needs ``withdrawn_at IS NULL``; an open proposal holds beds
        or concerns a child who already lives there.)"""
        open_proposal = (
            select(ProposalRow.id)
            .where(ProposalRow.home_id == home_id, ProposalRow.status.in_(list(open_statuses)))
            .exists()
        )
        resident = (
            select(ChildRow.id)
            .where(ChildRow.current_home == home_id, ChildRow.status.in_(list(resident_statuses)))
            .exists()
        )
        result = self.session.execute(
            update(HomeRow)
            .where(
                HomeRow.id == home_id,
                HomeRow.withdrawn_at.is_(None),
                HomeRow.beds_held == 0,
                ~open_proposal,
                ~resident,
            )
            .values(withdrawn_at=now, updated_at=now, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def request_beds_check(self, home_id: str, now: datetime) -> None:
        """Flag the home: its carers said it has no room, so beds_free is probably wrong.
        Not a change of the registered home, so its version (ETag) stays."""
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            .values(beds_check_requested_at=now)
            .execution_options(synchronize_session=False)
        )

    def hold_beds(self, home_id: str, beds: int, now: datetime) -> bool:
        """Hold ``beds`` beds if they are still free; the one statement that prevents
        double booking."""
        result = self.session.execute(
            update(HomeRow)
            .where(
                HomeRow.id == home_id,
                HomeRow.withdrawn_at.is_(None),
                HomeRow.beds_free - HomeRow.beds_held >= beds,
            )
            .values(beds_held=HomeRow.beds_held + beds, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def release_beds(self, home_id: str, beds: int, now: datetime) -> bool:
        result = self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.beds_held >= beds)
            .values(beds_held=HomeRow.beds_held - beds, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def take_held_beds(self, home_id: str, beds: int, now: datetime) -> bool:
        """Held beds become occupied: both counters go down together (never in a withdrawn
        home)."""
        result = self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.withdrawn_at.is_(None), HomeRow.beds_held >= beds)
            .values(
                beds_held=HomeRow.beds_held - beds,
                beds_free=HomeRow.beds_free - beds,
                updated_at=now,
                # beds_free is the provider's own figure: an edit based on the old one is
                # stale (holds, which only move beds_held, leave the version alone).
                version=HomeRow.version + 1,
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def free_bed(self, home_id: str, now: datetime) -> None:
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            .values(beds_free=HomeRow.beds_free + 1, updated_at=now, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def candidate_rows(self, extra_ids: Collection[str]) -> Sequence[Any]:
        """Active homes with a bed not held, plus ``extra_ids`` (a resident's home, the home
        of a proposal): exactly the homes the engine can consider. Plain rows, no ORM
        objects: this runs for every ranking and may return thousands of homes. JSON
        columns come as their text (see :func:`api.db.mappers.home_domain`)."""
        cols = HomeRow.__table__.c
        cond = cols.beds_free - cols.beds_held > 0
        if extra_ids:
            cond = or_(cond, cols.id.in_(list(extra_ids)))
        query = select(*_scenario_columns()).where(cols.withdrawn_at.is_(None), cond)
        return self.session.execute(query.order_by(cols.id)).all()

    def plain_rows(self, home_ids: Collection[str]) -> Sequence[Any]:
        """Active homes by id, as plain rows (see :meth:`candidate_rows`)."""
        cols = HomeRow.__table__.c
        query = select(*_scenario_columns()).where(
            cols.withdrawn_at.is_(None), cols.id.in_(list(home_ids))
        )
        return self.session.execute(query.order_by(cols.id)).all()


def _scenario_columns() -> list[Any]:
    """Every home column, JSON ones as text: decoding each small JSON value separately cost
    about a tenth of a national ranking, while the same few texts recur in every home, so
    :func:`api.db.mappers.home_domain` decodes each distinct text once."""
    return [
        cast(c, Text).label(c.name) if isinstance(c.type, JSON) else c for c in HomeRow.__table__.c
    ]


class ChildRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, child_id: str, *, lock: bool = False) -> ChildRow | None:
        return self.session.get(ChildRow, child_id, populate_existing=True, with_for_update=lock)

    def get_many(self, child_ids: Collection[str]) -> dict[str, ChildRow]:
        if not child_ids:
            return {}
        rows = self.session.scalars(
            select(ChildRow)
            .where(ChildRow.id.in_(list(child_ids)))
            .execution_options(populate_existing=True)
        )
        return {r.id: r for r in rows}

    def add(self, row: ChildRow) -> None:
        self.session.add(row)
        self.session.flush()

    def page(
        self, organisation: str | None, statuses: Collection[str], offset: int, limit: int
    ) -> tuple[list[ChildRow], int]:
        query = select(ChildRow).order_by(ChildRow.id)
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        if statuses:
            query = query.where(ChildRow.status.in_(list(statuses)))
        return _page(self.session, query, offset, limit)

    def siblings_of(self, child_ids: Collection[str]) -> dict[str, set[str]]:
        """Direct sibling links of each child (both directions are stored)."""
        out: dict[str, set[str]] = {cid: set() for cid in child_ids}
        if not child_ids:
            return out
        rows = self.session.execute(
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id).where(
                SiblingLinkRow.child_id.in_(list(child_ids))
            )
        )
        for child_id, sibling_id in rows:
            out[child_id].add(sibling_id)
        return out

    def sibling_links(self, organisation: str) -> list[tuple[str, str]]:
        query = (
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id)
            .join(ChildRow, ChildRow.id == SiblingLinkRow.child_id)
            .where(ChildRow.organisation == organisation)
        )
        return [(a, b) for a, b in self.session.execute(query)]

    def component(self, child_id: str, extra_links: Iterable[tuple[str, str]] = ()) -> set[str]:
        """The sibling group of ``child_id`` (transitive), with ``extra_links`` assumed."""
        extra: dict[str, set[str]] = {}
        for a, b in extra_links:
            extra.setdefault(a, set()).add(b)
            extra.setdefault(b, set()).add(a)
        seen = {child_id}
        frontier = {child_id}
        while frontier:
            links = self.siblings_of(frontier)
            nxt: set[str] = set()
            for cid in frontier:
                nxt |= links[cid] | extra.get(cid, set())
            frontier = nxt - seen
            seen |= frontier
        return seen

    def set_siblings(self, child_id: str, siblings: Collection[str]) -> None:
        """Make ``siblings`` exactly the direct siblings of ``child_id``, in both directions."""
        current = self.siblings_of([child_id])[child_id]
        removed = current - set(siblings)
        added = set(siblings) - current
        if removed:
            self.session.execute(
                delete(SiblingLinkRow).where(
                    or_(
                        (SiblingLinkRow.child_id == child_id)
                        & SiblingLinkRow.sibling_id.in_(removed),
                        (SiblingLinkRow.sibling_id == child_id)
                        & SiblingLinkRow.child_id.in_(removed),
                    )
                )
            )
        if added:
            rows = [{"child_id": child_id, "sibling_id": s} for s in sorted(added)]
            rows += [{"child_id": s, "sibling_id": child_id} for s in sorted(added)]
            self.session.execute(insert(SiblingLinkRow), rows)
        if removed | added:
            # The other side's siblings changed too: what a GET of it shows is new.
            self.session.execute(
                update(ChildRow)
                .where(ChildRow.id.in_(sorted(removed | added)))
                .values(version=ChildRow.version + 1)
                .execution_options(synchronize_session=False)
            )

    def drop_from_keep_apart(self, organisation: str, child_id: str, now: datetime) -> None:
        """Remove ``child_id`` from the keep_apart lists of the organisation's children."""
        for row in self.session.scalars(
            select(ChildRow).where(ChildRow.organisation == organisation)
        ):
            if child_id in row.keep_apart:
                row.keep_apart = [c for c in row.keep_apart if c != child_id]
                row.updated_at = now
                row.version += 1
        self.session.flush()

    def update_fields(self, child_id: str, values: dict[str, Any]) -> None:
        self.session.execute(
            update(ChildRow)
            .where(ChildRow.id == child_id)
            .values(**values, version=ChildRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def move(
        self,
        child_ids: Sequence[str],
        from_status: Collection[str],
        to_status: str,
        now: datetime,
        **values: Any,
    ) -> bool:
        """Move every child from one of ``from_status`` to ``to_status``; False if any was
        not in such a status (another request got there first). Rows in id order."""
        for cid in sorted(child_ids):
            result = self.session.execute(
                update(ChildRow)
                .where(ChildRow.id == cid, ChildRow.status.in_(list(from_status)))
                .values(status=to_status, updated_at=now, version=ChildRow.version + 1, **values)
                .execution_options(synchronize_session=False)
            )
            if _rowcount(result) != 1:
                return False
        return True

    def delete(self, child_id: str, now: datetime) -> None:
        """Remove the child and leave a tombstone: its id is never given to another child."""
        self.session.execute(
            delete(SiblingLinkRow).where(
                or_(SiblingLinkRow.child_id == child_id, SiblingLinkRow.sibling_id == child_id)
            )
        )
        self.session.execute(delete(ChildRow).where(ChildRow.id == child_id))
        self.session.add(ChildTombstoneRow(id=child_id, deleted_at=now))
        self.session.flush()

    def id_taken(self, child_id: str) -> bool:
        """Whether a child has, or ever had, this id."""
        return (
            self.session.get(ChildRow, child_id) is not None
            or self.session.get(ChildTombstoneRow, child_id) is not None
        )

    def scenario_rows(self, organisation: str | None, statuses: Collection[str]) -> Sequence[Any]:
        """Plain rows of the children a scenario is built from (see :mod:`api.services.live`)."""
        cols = ChildRow.__table__.c
        query = select(*cols).where(cols.status.in_(list(statuses))).order_by(cols.id)
        if organisation is not None:
            query = query.where(cols.organisation == organisation)
        return self.session.execute(query).all()

    def living_in(
        self, organisation: str, home_id: str, statuses: Collection[str]
    ) -> list[ChildRow]:
        query = select(ChildRow).where(
            ChildRow.organisation == organisation,
            ChildRow.current_home == home_id,
            ChildRow.status.in_(list(statuses)),
        )
        return list(self.session.scalars(query))

    def count_living_in(self, home_id: str, statuses: Collection[str]) -> int:
        """How many children in ``statuses`` live in the home (any organisation)."""
        query = select(func.count()).where(
            ChildRow.current_home == home_id, ChildRow.status.in_(list(statuses))
        )
        return int(self.session.scalar(query) or 0)

    def living_anywhere(self, organisation: str, statuses: Collection[str]) -> list[ChildRow]:
        """The organisation's children who live in a home now (``current_home`` is set)."""
        query = select(ChildRow).where(
            ChildRow.organisation == organisation,
            ChildRow.current_home.is_not(None),
            ChildRow.status.in_(list(statuses)),
        )
        return list(self.session.scalars(query))

    def residents(
        self, organisation: str | None, statuses: Collection[str]
    ) -> list[tuple[str, str, list[str]]]:
        """``(child, home, keep_apart)`` for children in ``statuses`` who live in a home."""
        query = select(ChildRow.id, ChildRow.current_home, ChildRow.keep_apart).where(
            ChildRow.current_home.is_not(None), ChildRow.status.in_(list(statuses))
        )
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        return [(cid, home, list(apart)) for cid, home, apart in self.session.execute(query)]

    def links_among(
        self, organisation: str | None, statuses: Collection[str]
    ) -> list[tuple[str, str]]:
        child = ChildRow.__table__.alias("c")
        query = (
            select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id)
            .join(child, child.c.id == SiblingLinkRow.child_id)
            .where(child.c.status.in_(list(statuses)))
        )
        if organisation is not None:
            query = query.where(child.c.organisation == organisation)
        return [(a, b) for a, b in self.session.execute(query)]


class ProposalRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: ProposalRow, child_ids: Sequence[str]) -> None:
        self.session.add(row)
        self.session.flush()
        self.session.execute(
            insert(ProposalChildRow),
            [
                {"proposal_id": row.id, "child_id": cid, "position": i}
                for i, cid in enumerate(child_ids)
            ],
        )

    def get(self, proposal_id: str) -> ProposalRow | None:
        return self.session.get(ProposalRow, proposal_id, populate_existing=True)

    def child_ids(self, proposal_ids: Collection[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {pid: [] for pid in proposal_ids}
        if not proposal_ids:
            return out
        rows = self.session.execute(
            select(ProposalChildRow.proposal_id, ProposalChildRow.child_id)
            .where(ProposalChildRow.proposal_id.in_(list(proposal_ids)))
            .order_by(ProposalChildRow.proposal_id, ProposalChildRow.position)
        )
        for pid, cid in rows:
            out[pid].append(cid)
        return out

    def page(
        self,
        *,
        organisation: str | None,
        home_organisation: str | None,
        statuses: Collection[str],
        offset: int,
        limit: int,
    ) -> tuple[list[ProposalRow], int]:
        query = select(ProposalRow).order_by(ProposalRow.created_at.desc(), ProposalRow.id)
        if organisation is not None:
            query = query.where(ProposalRow.organisation == organisation)
        if home_organisation is not None:
            query = query.join(HomeRow, HomeRow.id == ProposalRow.home_id).where(
                HomeRow.organisation == home_organisation
            )
        if statuses:
            query = query.where(ProposalRow.status.in_(list(statuses)))
        return _page(self.session, query, offset, limit)

    def due(self, open_statuses: Collection[str], now: datetime, limit: int = 500) -> list[str]:
        query = (
            select(ProposalRow.id)
            .where(ProposalRow.status.in_(list(open_statuses)), ProposalRow.expires_at <= now)
            .order_by(ProposalRow.expires_at)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def destinations(
        self,
        organisation: str | None,
        open_statuses: Collection[str],
        home_id: str | None = None,
    ) -> list[tuple[str, str, list[str]]]:
        """``(child, home, keep_apart)`` for children in open proposals (to ``home_id``, if
        given): where they are about to live."""
        query = (
            select(ProposalChildRow.child_id, ProposalRow.home_id, ChildRow.keep_apart)
            .join(ProposalRow, ProposalRow.id == ProposalChildRow.proposal_id)
            .join(ChildRow, ChildRow.id == ProposalChildRow.child_id)
            .where(ProposalRow.status.in_(list(open_statuses)))
        )
        if organisation is not None:
            query = query.where(ProposalRow.organisation == organisation)
        if home_id is not None:
            query = query.where(ProposalRow.home_id == home_id)
        return [(cid, home, list(apart)) for cid, home, apart in self.session.execute(query)]

    def told_to(self, home_organisation: str, child_ids: Collection[str]) -> set[str]:
        """Those of ``child_ids`` ever proposed to a home of ``home_organisation``: the
        children that organisation has been told about (in any status since)."""
        if not child_ids:
            return set()
        query = (
            select(ProposalChildRow.child_id)
            .join(ProposalRow, ProposalRow.id == ProposalChildRow.proposal_id)
            .join(HomeRow, HomeRow.id == ProposalRow.home_id)
            # Still the same child: one of the organisation that proposed it.
            .join(
                ChildRow,
                (ChildRow.id == ProposalChildRow.child_id)
                & (ChildRow.organisation == ProposalRow.organisation),
            )
            .where(
                HomeRow.organisation == home_organisation,
                ProposalChildRow.child_id.in_(list(child_ids)),
            )
        )
        return set(self.session.scalars(query))

    def open_for_home(self, home_id: str, open_statuses: Collection[str]) -> int:
        query = select(func.count()).where(
            ProposalRow.home_id == home_id, ProposalRow.status.in_(list(open_statuses))
        )
        return int(self.session.scalar(query) or 0)

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
        """Change the status if it is still one of ``from_status`` (and, if ``unexpired``,
        the hold has not lapsed); False if another request changed it first."""
        query = update(ProposalRow).where(
            ProposalRow.id == proposal_id, ProposalRow.status.in_(list(from_status))
        )
        if unexpired:
            query = query.where(ProposalRow.expires_at > now)
        else:
            query = query.where(ProposalRow.expires_at <= now)
        result = self.session.execute(
            query.values(status=to_status, updated_at=now, **values).execution_options(
                synchronize_session=False
            )
        )
        return _rowcount(result) == 1


class PlacementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, rows: Sequence[PlacementRow]) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def get(self, placement_id: str) -> PlacementRow | None:
        return self.session.get(PlacementRow, placement_id, populate_existing=True)

    def open_for_child(self, child_id: str) -> PlacementRow | None:
        return self.session.scalar(
            select(PlacementRow).where(
                PlacementRow.child_id == child_id, PlacementRow.end_date.is_(None)
            )
        )

    def page(
        self,
        *,
        organisation: str | None,
        home_organisation: str | None,
        open_only: bool,
        offset: int,
        limit: int,
    ) -> tuple[list[PlacementRow], int]:
        query = select(PlacementRow).order_by(PlacementRow.start_date.desc(), PlacementRow.id)
        if organisation is not None:
            query = query.where(PlacementRow.organisation == organisation)
        if home_organisation is not None:
            query = query.join(HomeRow, HomeRow.id == PlacementRow.home_id).where(
                HomeRow.organisation == home_organisation
            )
        if open_only:
            query = query.where(PlacementRow.end_date.is_(None))
        return _page(self.session, query, offset, limit)

    def end(self, placement_id: str, end_date: date, reason: str, now: datetime) -> bool:
        result = self.session.execute(
            update(PlacementRow)
            .where(PlacementRow.id == placement_id, PlacementRow.end_date.is_(None))
            .values(end_date=end_date, end_reason=reason, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1


class MatchRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: MatchRunRow) -> None:
        self.session.add(row)
        self.session.flush()

    def get(self, run_id: str) -> MatchRunRow | None:
        return self.session.get(MatchRunRow, run_id)


class KeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: ApiKeyRow) -> None:
        self.session.add(row)
        self.session.flush()

    def by_hash(self, digest: str) -> ApiKeyRow | None:
        return self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.hash == digest))

    def by_prefix(self, prefix: str) -> ApiKeyRow | None:
        return self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))

    def page(
        self, *, organisation: str | None, role: str | None, offset: int, limit: int
    ) -> tuple[list[ApiKeyRow], int]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.created_at.desc(), ApiKeyRow.id.desc())
        if organisation is not None:
            query = query.where(ApiKeyRow.organisation == organisation)
        if role is not None:
            query = query.where(ApiKeyRow.role == role)
        return _page(self.session, query, offset, limit)

    def revoke(self, prefix: str, now: datetime) -> bool:
        """Revoke the key if it is not revoked yet; False if it already was."""
        result = self.session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.prefix == prefix, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def revoke_labelled(self, label: str, now: datetime) -> list[str]:
        """Revoke every active key with ``label``; returns their prefixes."""
        prefixes = list(
            self.session.scalars(
                select(ApiKeyRow.prefix)
                .where(ApiKeyRow.label == label, ApiKeyRow.revoked_at.is_(None))
                .order_by(ApiKeyRow.prefix)
            )
        )
        if prefixes:
            self.session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.prefix.in_(prefixes))
                .values(revoked_at=now)
                .execution_options(synchronize_session=False)
            )
        return prefixes


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What to select from the audit trail; ``None`` means any."""

    key_prefix: str | None = None
    role: str | None = None
    organisation: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    child_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditTrailRepository:
    """Inserts and reads the audit trail; it has no method that changes or deletes."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, values: dict[str, Any], child_ids: Collection[str]) -> int:
        event_id = self.session.execute(
            insert(AuditEventRow).values(**values).returning(AuditEventRow.id)
        ).scalar_one()
        if child_ids:
            self.session.execute(
                insert(AuditEventChildRow),
                [{"event_id": event_id, "child_id": c} for c in sorted(child_ids)],
            )
        return int(event_id)

    def page(self, where: AuditFilter, offset: int, limit: int) -> tuple[list[AuditEventRow], int]:
        query = select(AuditEventRow).order_by(AuditEventRow.id.desc())
        for column, value in (
            (AuditEventRow.key_prefix, where.key_prefix),
            (AuditEventRow.role, where.role),
            (AuditEventRow.organisation, where.organisation),
            (AuditEventRow.action, where.action),
            (AuditEventRow.object_type, where.object_type),
            (AuditEventRow.object_id, where.object_id),
            (AuditEventRow.outcome, where.outcome),
        ):
            if value is not None:
                query = query.where(column == value)
        if where.since is not None:
            query = query.where(AuditEventRow.at >= where.since)
        if where.until is not None:
            query = query.where(AuditEventRow.at < where.until)
        if where.child_id is not None:
            query = query.where(
                AuditEventRow.id.in_(
                    select(AuditEventChildRow.event_id).where(
                        AuditEventChildRow.child_id == where.child_id
                    )
                )
            )
        return _page(self.session, query, offset, limit)

    def children_of(self, event_ids: Collection[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {e: [] for e in event_ids}
        if not event_ids:
            return out
        rows = self.session.execute(
            select(AuditEventChildRow.event_id, AuditEventChildRow.child_id)
            .where(AuditEventChildRow.event_id.in_(list(event_ids)))
            .order_by(AuditEventChildRow.event_id, AuditEventChildRow.child_id)
        )
        for event_id, child_id in rows:
            out[event_id].append(child_id)
        return out


class StateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(ServiceStateRow, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        self.session.merge(ServiceStateRow(key=key, value=value))
        self.session.flush()
