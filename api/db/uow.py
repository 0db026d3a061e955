"""The unit of work: one database transaction, with the repositories that work inside it.

Services open ``uow.read()`` for a consistent snapshot or ``uow.write()`` for a change;
a write commits only when the service calls :meth:`Tx.commit`, so any exception (a rule
broken half-way, a lost race) rolls back everything: a failed request writes nothing.

A unit of work can carry an :class:`AuditHook` (one per request, see
:mod:`api.services.audit_trail`): services tell it which object and which children they
touched, and a successful change writes its audit record in the same transaction as the
change itself, so a committed change never lacks its record.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api.db.engine import WRITE_OPTION, busy_timeout_s
from api.db.repositories import (
    AuditTrailRepository,
    ChildRepository,
    HomeRepository,
    KeyRepository,
    MatchRunRepository,
    PlacementRepository,
    ProposalRepository,
    RateBucketRepository,
    StateRepository,
    WebSessionRepository,
)
from api.turns import Turns

__all__ = ["NO_AUDIT", "AuditHook", "Tx", "UnitOfWork"]

#: Per SQLite engine: its writers' turns in this process (:meth:`UnitOfWork.write`).
_WRITERS: WeakKeyDictionary[Engine, Turns] = WeakKeyDictionary()


class AuditHook(Protocol):
    """What a service reports about the request it serves, for the audit trail."""

    def about(self, *, object_id: str | None = None, children: Iterable[str] = ()) -> None:
        """The object the action created or touched, and children whose data it used."""

    def before_commit(self, tx: Tx) -> None:
        """Called inside the transaction right before it commits."""

    def after_commit(self) -> None:
        """Called once the transaction has committed."""


class _NoAudit:
    """The hook of a unit of work outside any request: it records nothing."""

    def about(self, *, object_id: str | None = None, children: Iterable[str] = ()) -> None:
        del object_id, children

    def before_commit(self, tx: Tx) -> None:
        del tx

    def after_commit(self) -> None:
        return None


NO_AUDIT: AuditHook = _NoAudit()


class Tx:
    """An open transaction and its repositories."""

    def __init__(self, session: Session, audit: AuditHook = NO_AUDIT) -> None:
        self.session = session
        self.audit = audit
        self.homes = HomeRepository(session)
        self.children = ChildRepository(session)
        self.proposals = ProposalRepository(session)
        self.placements = PlacementRepository(session)
        self.match_runs = MatchRunRepository(session)
        self.keys = KeyRepository(session)
        self.state = StateRepository(session)
        self.audit_trail = AuditTrailRepository(session)
        self.rate_buckets = RateBucketRepository(session)
        self.web_sessions = WebSessionRepository(session)
        self.committed = False

    def commit(self) -> None:
        self.audit.before_commit(self)
        self.session.commit()
        self.committed = True
        self.audit.after_commit()


class UnitOfWork:
    """Opens transactions on one engine; readers and writers are told apart for SQLite."""

    def __init__(self, engine: Engine, audit: AuditHook = NO_AUDIT) -> None:
        self.engine = engine
        self.audit = audit
        # A read is one snapshot: on PostgreSQL each statement of a READ COMMITTED transaction
        # sees what was committed by then, so a child read as placed could be gone from the
        # next query of the same read (a placement ended meanwhile: a KeyError, a 500).
        # A read-only REPEATABLE READ transaction never fails to serialise. SQLite's read
        # transaction is one snapshot already.
        # On PostgreSQL a read is declared READ ONLY and ends with COMMIT, not ROLLBACK:
        # the same outcome for a transaction that cannot write, but psycopg forgets its
        # prepared statements at every ROLLBACK, so with ROLLBACK no statement of a
        # request was ever prepared (each was parsed and planned again, every time).
        self._commit_reads = engine.dialect.name == "postgresql"
        readers = (
            engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            if self._commit_reads
            else engine
        )
        self._readers = sessionmaker(bind=readers, expire_on_commit=False, autoflush=True)
        self._writers = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=True,
        )
        # SQLite has one writer at a time. Writers of this process wait for it in line
        # here, each woken the moment the one before it is done, and only then ask SQLite
        # (BEGIN IMMEDIATE), whose busy handler sleeps 1 to 100 ms between tries and lets
        # a newcomer pass a writer that has waited long (16 requests at once: some waited
        # seconds). Writers of other processes still meet in SQLite's busy handler.
        self._turns = (
            _WRITERS.setdefault(engine, Turns(1)) if engine.dialect.name == "sqlite" else None
        )

    def audited(self, audit: AuditHook) -> UnitOfWork:
        """The same unit of work reporting to ``audit`` (cheap: the session factories are
        shared)."""
        clone = copy.copy(self)
        clone.audit = audit
        return clone

    @contextmanager
    def read(self) -> Iterator[Tx]:
        # Closing the session ends the transaction; rows read stay usable afterwards
        # (a rollback would expire them).
        with self._readers() as session:
            yield Tx(session, self.audit)
            if self._commit_reads:
                session.commit()

    @contextmanager
    def _uncommitted_rolled_back(self, session: Session) -> Iterator[Tx]:
        """A write transaction in ``session``, rolled back unless it was committed."""
        tx = Tx(session, self.audit)
        try:
            yield tx
        finally:
            if not tx.committed:
                session.rollback()

    @contextmanager
    def _writer_turn(self) -> Iterator[None]:
        """This process's turn to write (SQLite); as long as SQLite would wait, at most."""
        if self._turns is None:
            yield
            return
        if not self._turns.acquire(busy_timeout_s(self.engine)):
            raise OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        try:
            yield
        finally:
            self._turns.release()

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with (
            self._writer_turn(),
            self._writers() as session,
            self._uncommitted_rolled_back(session) as tx,
        ):
            yield tx

    @contextmanager
    def staged_write(
        self, stage: Callable[[Connection], None], unstage: Callable[[Connection], None]
    ) -> Iterator[Tx]:
        """A write transaction on a connection that ``stage`` prepared beforehand, in a
        transaction of its own that takes no write lock (it fills temporary tables);
        ``unstage`` removes what it made once the write has ended, either way.

        On SQLite the write transaction makes every other writer wait: this keeps it to
        what must be atomic, while the slow filling goes on beside other requests."""
        with self.engine.connect() as conn:
            try:
                with conn.begin():
                    stage(conn)
                conn.execution_options(**{WRITE_OPTION: True})
                with (
                    self._writer_turn(),
                    Session(bind=conn, expire_on_commit=False, autoflush=True) as session,
                    self._uncommitted_rolled_back(session) as tx,
                ):
                    yield tx
            finally:
                if conn.in_transaction():
                    conn.rollback()
                # Removing temporary tables is no write to the database: no write lock.
                conn.execution_options(**{WRITE_OPTION: False})
                with conn.begin():
                    unstage(conn)
