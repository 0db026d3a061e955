"""Shared helpers of the repositories: their base classes, batches, row counts and pages."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    func,
    select,
)
from sqlalchemy.orm import InstrumentedAttribute, Mapped, Session

from api.db.scope import Scope
from api.db.tables import HomeRow

#: Rows per statement when many are written or looked up at once. PostgreSQL takes at most
#: 65,535 bind parameters per statement and a home has 18 columns: 1,000 rows stay far
#: below that on both databases, and larger batches were not measurably faster.
BATCH_ROWS = 1000


def in_batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    # Items may be generated: only one batch of them exists at a time.
    it = iter(items)
    while batch := list(itertools.islice(it, BATCH_ROWS)):
        yield batch


def rowcount_of(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def count_of(session: Session, *conditions: ColumnElement[bool]) -> int:
    """How many rows meet all ``conditions`` (the table is the one they name)."""
    return int(session.scalar(select(func.count()).where(*conditions)) or 0)


K = TypeVar("K")
V = TypeVar("V")


def lists_by(
    session: Session,
    key: InstrumentedAttribute[K],
    value: InstrumentedAttribute[V],
    keys: Collection[K],
    order: InstrumentedAttribute[Any],
) -> dict[K, list[V]]:
    """For each of ``keys``, the ``value`` of every row whose ``key`` it is, in ``order``
    (an empty list where there are none): a link table read as lists."""
    out: dict[K, list[V]] = {k: [] for k in keys}
    if not keys:
        return out
    rows = session.execute(select(key, value).where(key.in_(list(keys))).order_by(key, order))
    for k, v in rows:
        out[k].append(v)
    return out


def page_of(session: Session, query: Select[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.offset(offset).limit(limit)))
    return rows, int(total or 0)


def limit_to(
    scope: Scope,
    query: Select[Any],
    organisation: InstrumentedAttribute[str],
    home_id: InstrumentedAttribute[str],
) -> Select[Any]:
    """``query`` limited to ``scope``, by the row's ``organisation`` and ``home_id``."""
    if scope.organisation is not None:
        query = query.where(organisation == scope.organisation)
    if scope.home_organisation is not None:
        query = query.join(HomeRow, HomeRow.id == home_id).where(
            HomeRow.organisation == scope.home_organisation
        )
    return query


class Repository:
    """What every repository holds: the unit of work's session, which it reads and writes
    in."""

    def __init__(self, session: Session) -> None:
        self.session = session


class _Keyed(Protocol):
    """A mapped row class with a string primary key ``id``."""

    id: ClassVar[Mapped[str]]


Row = TypeVar("Row", bound=_Keyed)


class TableRepository(Repository, Generic[Row]):
    """A repository of one table (:attr:`table`) whose rows are added as objects and read
    by their string ``id``. Each repository names its own ``get`` and ``get_many`` (their
    parameters say what the id is of) and reads with :meth:`_by_id` and :meth:`_by_ids`."""

    table: type[Row]

    def add(self, row: Row) -> None:
        self.session.add(row)
        self.session.flush()

    def add_all(self, rows: Sequence[Row]) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def _by_id(self, row_id: str, *, lock: bool = False) -> Row | None:
        """Any row by id, as the database has it now; ``lock`` holds the row until the
        transaction ends (PostgreSQL), so a version checked stays true."""
        return self.session.get(self.table, row_id, populate_existing=True, with_for_update=lock)

    def _by_ids(self, row_ids: Collection[str]) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for batch in in_batches(row_ids):  # an import may name more ids than one IN list takes
            rows = self.session.scalars(
                select(self.table)
                .where(self.table.id.in_(batch))
                .execution_options(populate_existing=True)
            )
            out.update((r.id, r) for r in rows)
        return out
