"""The unit of work: one database transaction, with the repositories that work inside it.

Services open ``uow.read()`` for a consistent snapshot or ``uow.write()`` for a change;
a write commits only when the service calls :meth:`Tx.commit`, so any exception (a rule
broken half-way, a lost race) rolls back everything: a failed request writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.db.engine import WRITE_OPTION
from api.db.repositories import (
    ChildRepository,
    HomeRepository,
    KeyRepository,
    MatchRunRepository,
    PlacementRepository,
    ProposalRepository,
    StateRepository,
)

__all__ = ["Tx", "UnitOfWork"]


class Tx:
    """An open transaction and its repositories."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.homes = HomeRepository(session)
        self.children = ChildRepository(session)
        self.proposals = ProposalRepository(session)
        self.placements = PlacementRepository(session)
        self.match_runs = MatchRunRepository(session)
        self.keys = KeyRepository(session)
        self.state = StateRepository(session)
        self.committed = False

    def commit(self) -> None:
        self.session.commit()
        self.committed = True


class UnitOfWork:
    """Opens transactions on one engine; readers and writers are told apart for SQLite."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._readers = sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)
        self._writers = sessionmaker(
            bind=engine.execution_options(**{WRITE_OPTION: True}),
            expire_on_commit=False,
            autoflush=True,
        )

    @contextmanager
    def read(self) -> Iterator[Tx]:
        # Closing the session ends the transaction; rows read stay usable afterwards
        # (a rollback would expire them).
        with self._readers() as session:
            yield Tx(session)

    @contextmanager
    def write(self) -> Iterator[Tx]:
        with self._writers() as session:
            tx = Tx(session)
            try:
                yield tx
            finally:
                if not tx.committed:
                    session.rollback()
