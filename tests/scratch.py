"""Throwaway resources the tests and the benchmarks share: a free port on 127.0.0.1 for a
server of their own, and a scratch PostgreSQL database created for a while and dropped."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

__all__ = ["free_port", "scratch_database"]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def scratch_database(admin_url: str, name: str) -> Iterator[str]:
    """A database of its own, ``name``, on the server of ``admin_url`` (one left over
    from an earlier run is dropped first), dropped afterwards; yields its URL."""
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
