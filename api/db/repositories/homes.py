"""Homes: registration, the staged import, candidate rows and the bed counters."""

from __future__ import annotations

import typing
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    MetaData,
    Table,
    Text,
    and_,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)

from api.db.repositories.common import TableRepository, in_batches, page_of, rowcount_of
from api.db.tables import (
    HomeRow,
    PlacementRow,
    ProposalRow,
)

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
    if c.name not in ("id", "created_at", "beds_held", "part_time_held", "withdrawn_at", "version")
)


def _places(part_time: bool) -> tuple[Any, Any]:
    """The free and held columns of beds, or of part-time places."""
    if part_time:
        return HomeRow.part_time_places_free, HomeRow.part_time_held
    return HomeRow.beds_free, HomeRow.beds_held


def stage_homes(connection: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Put an import's homes (every column's value) into :data:`STAGED_HOMES` on
    ``connection``, in batches of plain values; call inside a transaction that is not a
    writer's (see :meth:`api.db.uow.UnitOfWork.staged_write`)."""
    STAGED_HOMES.drop(connection, checkfirst=True)
    STAGED_HOMES.create(connection)
    for batch in in_batches(rows):
        connection.execute(insert(STAGED_HOMES), batch)


def drop_staged_homes(connection: Connection) -> None:
    STAGED_HOMES.drop(connection, checkfirst=True)


@dataclass(frozen=True, slots=True)
class StoredHome:
    """What an import needs to know of a home already registered under an id."""

    id: str
    organisation: str
    withdrawn: bool
    beds_held: int
    known_to: tuple[str, ...] = ()
    postcode: str = ""
    #: A proposal to the home is open: its postcode may not change meanwhile.
    proposed: bool = False


def _open_proposal(open_statuses: Collection[str]) -> Any:
    """Whether a proposal to the home of the statement's row is open."""
    return (
        select(ProposalRow.id)
        .where(ProposalRow.home_id == _HOMES.c.id, ProposalRow.status.in_(list(open_statuses)))
        .exists()
    )


def _stored_query(open_statuses: Collection[str]) -> Any:
    cols = _HOMES.c
    return select(
        cols.id,
        cols.organisation,
        cols.withdrawn_at,
        cols.beds_held,
        cols.known_to,
        cols.postcode,
        _open_proposal(open_statuses).label("proposed"),
    )


def _stored(rows: Iterable[Any]) -> dict[str, StoredHome]:
    return {
        r.id: StoredHome(
            r.id,
            r.organisation,
            r.withdrawn_at is not None,
            r.beds_held,
            tuple(r.known_to or ()),
            r.postcode,
            bool(r.proposed),
        )
        for r in rows
    }


class HomeRepository(TableRepository[HomeRow]):
    table = HomeRow

    def get(self, home_id: str, *, lock: bool = False) -> HomeRow | None:
        """Any home by id, withdrawn ones included (their ids stay taken)."""
        return self._by_id(home_id, lock=lock)

    def get_many(self, home_ids: Collection[str]) -> dict[str, HomeRow]:
        return self._by_ids(home_ids)

    def lock_active(self, home_id: str) -> HomeRow | None:
        """The home if it is not withdrawn, its row locked until the transaction ends (on
        PostgreSQL; SQLite's writers are serialised already)."""
        return self.session.scalar(
            select(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.withdrawn_at.is_(None))
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    def stored_for_import(
        self, home_ids: Iterable[str], open_statuses: Collection[str]
    ) -> dict[str, StoredHome]:
        """The homes registered under ``home_ids``, looked up in batches (no bind-parameter
        limit); for an import's error report, outside its write transaction."""
        out: dict[str, StoredHome] = {}
        for batch in in_batches(home_ids):
            query = _stored_query(open_statuses).where(_HOMES.c.id.in_(batch))
            out.update(_stored(self.session.execute(query)))
        return out

    def stored_for_staged(self, open_statuses: Collection[str]) -> dict[str, StoredHome]:
        """The homes registered under the ids of the staged import (:func:`stage_homes`),
        locked on PostgreSQL until the transaction ends, so that no proposal holds a bed
        between the import's check and its update (SQLite's writers are serialised)."""
        query = (
            _stored_query(open_statuses)
            .join(STAGED_HOMES, STAGED_HOMES.c.id == _HOMES.c.id)
            .with_for_update(of=_HOMES)
        )
        return _stored(self.session.execute(query))

    def replace_from_staged(self, open_statuses: Collection[str]) -> int:
        """Overwrite every active home whose id is staged with the staged values, in one
        statement; a home whose beds_free would fall below its held beds, or whose postcode
        would change under an open proposal, is left alone. The number of homes replaced."""
        staged = STAGED_HOMES.c
        query = (
            update(_HOMES)
            .where(
                _HOMES.c.id == staged.id,
                _HOMES.c.withdrawn_at.is_(None),
                _HOMES.c.beds_held <= staged.beds_free,
                _HOMES.c.part_time_held <= func.coalesce(staged.part_time_places_free, 0),
                or_(_HOMES.c.postcode == staged.postcode, ~_open_proposal(open_statuses)),
            )
            # A new version, as for a PATCH: an edit based on the old values gets 412.
            .values(
                {name: staged[name] for name in _REPLACED_COLUMNS}
                | {"version": _HOMES.c.version + 1}
            )
        )
        return rowcount_of(self.session.connection().execute(query))

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
        return rowcount_of(
            self.session.connection().execute(query.execution_options(preserve_rowcount=True))
        )

    def page(self, organisation: str | None, offset: int, limit: int) -> tuple[list[HomeRow], int]:
        query = select(HomeRow).where(HomeRow.withdrawn_at.is_(None)).order_by(HomeRow.id)
        if organisation is not None:
            query = query.where(HomeRow.organisation == organisation)
        return page_of(self.session, query, offset, limit)

    def replace(self, home_id: str, values: dict[str, Any]) -> bool:
        """Overwrite an active home's fields; refused (False) if beds (or part-time places)
        would fall below those held."""
        part_time = values.get("part_time_places_free")
        result = self.session.execute(
            update(HomeRow)
            .where(
                HomeRow.id == home_id,
                HomeRow.withdrawn_at.is_(None),
                HomeRow.beds_held <= values["beds_free"],
                HomeRow.part_time_held <= (part_time if part_time is not None else 0),
            )
            .values(**values, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1

    def set_known_to(self, home_id: str, known_to: list[str], now: datetime) -> None:
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            # A new version: a provider's edit based on the old list must not undo it.
            .values(known_to=known_to, updated_at=now, version=HomeRow.version + 1)
            .execution_options(synchronize_session=False)
        )

    def knowing(self, child_id: str) -> list[str]:
        """The network foster homes whose ``known_to`` names ``child_id``, as committed now."""
        return [
            home_id
            for home_id, known_to in self.session.execute(
                select(HomeRow.id, HomeRow.known_to).where(HomeRow.type == "network_foster")
            )
            if child_id in known_to
        ]

    def forget_known(self, child_id: str, now: datetime) -> None:
        """Take ``child_id`` out of every home's ``known_to`` (a removed child's id may be
        registered again, for another child)."""
        naming = self.knowing(child_id)
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

    def withdraw(self, home_id: str, now: datetime, open_statuses: Collection[str]) -> bool:
        """Withdraw the home if no proposal to it is open and no placement in it is: one
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
            select(PlacementRow.id)
            .where(PlacementRow.home_id == home_id, PlacementRow.end_date.is_(None))
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
        return rowcount_of(result) == 1

    def request_beds_check(self, home_id: str, now: datetime) -> None:
        """Flag the home: its carers said it has no room, so beds_free is probably wrong.
        Not a change of the registered home, so its version (ETag) stays."""
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            .values(beds_check_requested_at=now)
            .execution_options(synchronize_session=False)
        )

    def hold_beds(self, home_id: str, beds: int, now: datetime, *, part_time: bool = False) -> bool:
        """Hold ``beds`` beds (``part_time``: part-time places) if they are still free; the
        one statement that prevents double booking."""
        free, held = _places(part_time)
        result = self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.withdrawn_at.is_(None), free - held >= beds)
            .values({held.key: held + beds, "updated_at": now})
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1

    def release_beds(
        self, home_id: str, beds: int, now: datetime, *, part_time: bool = False
    ) -> bool:
        _, held = _places(part_time)
        result = self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id, held >= beds)
            .values({held.key: held - beds, "updated_at": now})
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1

    def take_held_beds(
        self, home_id: str, beds: int, now: datetime, *, part_time: bool = False
    ) -> bool:
        """Held beds (or part-time places) become occupied: both counters go down together
        (never in a withdrawn home)."""
        free, held = _places(part_time)
        result = self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id, HomeRow.withdrawn_at.is_(None), held >= beds)
            .values(
                {
                    held.key: held - beds,
                    free.key: free - beds,
                    "updated_at": now,
                    # beds_free is the provider's own figure: an edit based on the old one
                    # is stale (holds, which only move the held counts, leave the version).
                    "version": HomeRow.version + 1,
                }
            )
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1

    def free_bed(self, home_id: str, now: datetime, *, part_time: bool = False) -> None:
        free, _ = _places(part_time)
        self.session.execute(
            update(HomeRow)
            .where(HomeRow.id == home_id)
            .values({free.key: free + 1, "updated_at": now, "version": HomeRow.version + 1})
            .execution_options(synchronize_session=False)
        )

    def candidate_rows(
        self, extra_ids: Collection[str], postcodes: Collection[str] | None = None
    ) -> Sequence[Any]:
        """Active homes with a bed not held (and a postcode among ``postcodes``, PC4 as
        stored, if given), plus ``extra_ids`` (a resident's home, the home of a proposal):
        exactly the homes the engine can consider. Plain rows, no ORM objects: this runs
        for every ranking and may return thousands of homes. JSON columns come as their
        text (see :func:`api.db.mappers.home_domain`)."""
        cols = HomeRow.__table__.c
        cond = or_(
            cols.beds_free - cols.beds_held > 0,
            cols.part_time_places_free - cols.part_time_held > 0,
        )
        if postcodes is not None:
            cond = and_(cond, cols.postcode.in_(list(postcodes)))
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
