"""The data version: one row that every committed change of the engine's data moves on.

Caches of the engine's per-request work (:mod:`api.services.engine_cache`) are keyed by
it, so a cached answer is reused exactly while the data it was computed from is unchanged.

Why it is correct, whoever writes: the version is not bumped by the services but by the
engine itself. Every statement any connection sends passes
:func:`track_writes`'s ``before_cursor_execute`` hook: a statement that writes (INSERT,
UPDATE, DELETE, TRUNCATE, DDL; ORM flushes, Core statements of the repositories and raw
SQL alike) to a table not listed in :data:`UNTRACKED` marks the connection. Its ``commit``
hook then moves the version on in the same transaction, right before the database
commits, so the new data and the new version become visible together; a rollback only
clears the mark. Readers read the version first in their transaction: on SQLite the
snapshot is then fixed, on PostgreSQL (READ COMMITTED) every later statement sees data at
least as new as that version, so a cache entry never holds data older than its key.

The row carries a random ``epoch`` beside the counter: a database emptied and filled
again (tests truncate every table) starts a new epoch, and two databases in one process
never share a key.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

__all__ = [
    "TRACKING_OFF",
    "UNTRACKED",
    "DataVersion",
    "read_version",
    "track_writes",
    "written_table",
]

#: Execution option that turns tracking off on a connection (schema migrations: the
#: version table may not exist yet; a process starts with empty caches anyway).
TRACKING_OFF = "dichtbij_untracked"
_DIRTY = "dichtbij_data_written"

#: Tables whose writes do not move the version, each with the reason. Every other table
#: of the schema, and any table not known here, is tracked (tests/api/test_data_version.py
#: holds the schema to this list).
UNTRACKED: dict[str, str] = {
    "data_version": "the version itself",
    "alembic_version": "the schema revision; migrations run before any request",
    "audit_events": "the audit trail records requests; no answer reads it",
    "audit_event_children": "part of the audit trail",
    "api_keys": "who may ask, not what is answered; every request checks its key anew",
    "idempotency_keys": "stored answers to replay, keyed by the request itself",
    "rate_buckets": "per-key request counts, written by nearly every request",
    "web_sessions": "browser sessions, written by every page",
    "staged_homes": "an import's temporary table; the import's own write is tracked",
}

# The first word(s) of a statement and the table it writes, where one is named.
_WRITE = re.compile(
    r"""^\s*(?:
        INSERT\s+(?:OR\s+\w+\s+)?INTO
      | REPLACE\s+INTO
      | UPDATE(?:\s+OR\s+\w+)?(?:\s+ONLY)?
      | DELETE\s+FROM(?:\s+ONLY)?
      | TRUNCATE(?:\s+TABLE)?(?:\s+ONLY)?
      | (?:CREATE|DROP|ALTER)\s+(?:(?:GLOBAL\s+|LOCAL\s+)?(?:TEMPORARY|TEMP)\s+)?
            (?:TABLE|INDEX|UNIQUE\s+INDEX|VIEW|TRIGGER)(?:\s+IF\s+(?:NOT\s+)?EXISTS)?
    )\s+"?(\w+)"?""",
    re.IGNORECASE | re.VERBOSE,
)
# Statements that change nothing; anything else unrecognised counts as a write.
_READ = re.compile(
    r"^\s*(?:SELECT|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|SET|SHOW|EXPLAIN|VALUES)\b",
    re.IGNORECASE,
)
_DML_IN_WITH = re.compile(r"\b(?:INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DataVersion:
    """The database's data as of one committed change: equal versions, equal data."""

    epoch: str
    version: int


def written_table(statement: str) -> str | None:
    """The table ``statement`` writes, ``""`` for a write whose table is not named
    plainly (counted as tracked), ``None`` for a statement that writes nothing."""
    found = _WRITE.match(statement)
    if found:
        return found.group(1).lower()
    if _READ.match(statement):
        return None
    if re.match(r"^\s*WITH\b", statement, re.IGNORECASE) and not _DML_IN_WITH.search(statement):
        return None
    return ""


_EXISTS = (
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'data_version'",
    "SELECT to_regclass('data_version') IS NOT NULL",
)


def _bump_statements() -> tuple[str, str]:
    epoch = secrets.token_hex(16)  # hex only: safe to write into the statement
    insert = f"INSERT INTO data_version (id, version, epoch) VALUES (1, 1, '{epoch}')"
    return (
        "UPDATE data_version SET version = version + 1 WHERE id = 1",
        f"{insert} ON CONFLICT (id) DO NOTHING",
    )


def track_writes(engine: Engine) -> None:
    """Move the data version on at the commit of every transaction that wrote a tracked
    table, on every connection of ``engine``."""

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(
        conn: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        if conn.info.get(_DIRTY) or conn.get_execution_options().get(TRACKING_OFF):
            return
        table = written_table(statement)
        if table is not None and table not in UNTRACKED:
            conn.info[_DIRTY] = True

    @event.listens_for(engine, "commit")
    def _bump(conn: Connection) -> None:
        if not conn.info.pop(_DIRTY, False):
            return
        # The DBAPI cursor, in the transaction that is about to commit: nothing of
        # SQLAlchemy's transaction state is touched while it commits.
        cursor = conn.connection.cursor()
        try:
            # A database at a revision before 0008 (tests step the schema back) has no
            # version to move; asking first keeps a PostgreSQL transaction from failing.
            cursor.execute(_EXISTS[engine.dialect.name == "postgresql"])
            exists = cursor.fetchone()
            if exists is not None and exists[0]:
                for statement in _bump_statements():
                    cursor.execute(statement)
        finally:
            cursor.close()

    @event.listens_for(engine, "rollback")
    def _forget(conn: Connection) -> None:
        conn.info.pop(_DIRTY, None)


def read_version(session: Session) -> DataVersion | None:
    """The current version; read it before the data it keys. ``None`` when the row is
    missing (an emptied database before its first write): then nothing may be cached."""
    row = session.execute(text("SELECT epoch, version FROM data_version WHERE id = 1")).first()
    return None if row is None else DataVersion(str(row[0]), int(row[1]))
