"""Engines for SQLite and PostgreSQL, and schema migration with Alembic on start.

SQLite serialises writers: every write transaction starts with ``BEGIN IMMEDIATE`` so
that two requests never both read a bed as free and then race to take it, and a busy
timeout makes the second writer wait instead of failing. PostgreSQL runs at READ
COMMITTED; there the bed-holding statements themselves are conditional (see
:mod:`api.db.repositories`), which is correct under concurrency without table locks.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from api.db.version import TRACKING_OFF, track_writes

__all__ = [
    "WRITE_OPTION",
    "alembic_config",
    "busy_timeout_s",
    "current_revision",
    "downgrade",
    "head_revision",
    "make_engine",
    "migrate",
]

# Execution option that marks a connection as a writer (see make_engine).
WRITE_OPTION = "dichtbij_write"

_BUSY_TIMEOUT_S: WeakKeyDictionary[Engine, float] = WeakKeyDictionary()


def busy_timeout_s(engine: Engine) -> float:
    """How long a writer of the SQLite ``engine`` waits for the lock (``make_engine``'s
    ``busy_timeout_ms``; 30 s for an engine made elsewhere)."""
    return _BUSY_TIMEOUT_S.get(engine, 30.0)


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = 30_000,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout_s: float = 10.0,
) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created if missing.

    A request waits at most ``pool_timeout_s`` for a connection and ``busy_timeout_ms`` for
    a lock (SQLite's write lock, PostgreSQL's row and table locks); beyond that the error
    is answered 503 with Retry-After (:mod:`api.http.problems`), not left hanging.
    """
    pool = {"pool_size": pool_size, "max_overflow": max_overflow, "pool_timeout": pool_timeout_s}
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(url, busy_timeout_ms, pool)
        _BUSY_TIMEOUT_S[engine] = busy_timeout_ms / 1000
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        hide_parameters=True,
        connect_args={"options": f"-c lock_timeout={int(busy_timeout_ms)}"},
        **pool,
    )
    track_writes(engine)
    return engine


def _sqlite_engine(url: str, busy_timeout_ms: int, pool: dict[str, Any]) -> Engine:
    parsed = make_url(url)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:")
    if not in_memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # hide_parameters: a database error's message never carries the values of a row
    # (postcodes, needs) into a log.
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False},
        "hide_parameters": True,
    }
    if in_memory:
        # One shared connection, or every connection would see its own empty database.
        kwargs["poolclass"] = StaticPool
    else:
        kwargs.update(pool)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy's "begin" event below (the pysqlite
        # driver would otherwise issue its own deferred BEGIN).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    track_writes(engine)
    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic configuration pointing at the migrations shipped inside this package."""
    cfg = Config()
    location = resources.files("api").joinpath("db", "migrations")
    cfg.set_main_option("script_location", str(location))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (default: the newest); a no-op when already there."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True, TRACKING_OFF: True})
        with conn.begin():
            command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Step the schema back to ``revision`` (``base`` removes every table); for tests."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True, TRACKING_OFF: True})
        with conn.begin():
            command.downgrade(alembic_config(conn), revision)
