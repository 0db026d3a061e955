"""Turns: a freed slot goes to the longest waiter, never to a newcomer; a wait that runs
out gives up its place; SQLite writers of one process take turns there, and one that waits
longer than the lock timeout fails as SQLite's own busy timeout would (a 503)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.turns import Turns


def _waiting(turns: Turns, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(turns._waiting) < n:
        assert time.monotonic() < deadline
        time.sleep(0.001)


def test_slots_go_to_waiters_in_the_order_they_came() -> None:
    turns = Turns(1)
    order: list[int] = []
    turns.acquire()
    threads = []
    for i in range(5):

        def wait(i: int = i) -> None:
            with turns:
                order.append(i)

        threads.append(threading.Thread(target=wait))
        threads[-1].start()
        _waiting(turns, i + 1)
    turns.release()

    def newcomer() -> None:
        # Arriving while the slot is handed from one waiter to the next, it queues last.
        with turns:
            order.append(99)

    late = threading.Thread(target=newcomer)
    late.start()
    for t in [*threads, late]:
        t.join(10)
    assert order == [0, 1, 2, 3, 4, 99]
    assert turns.free == 1


def test_a_wait_that_runs_out_gives_up_its_place() -> None:
    turns = Turns(2)
    assert turns.acquire()
    assert turns.acquire()
    assert not turns.acquire(timeout=0.05)
    assert len(turns._waiting) == 0
    turns.release()
    assert turns.acquire(timeout=0)
    turns.release()
    turns.release()
    assert turns.free == 2


def test_a_sqlite_writer_waits_its_turn_no_longer_than_the_lock_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'turns.db'}", busy_timeout_ms=200)
    migrate(engine)
    one, two = UnitOfWork(engine), UnitOfWork(engine)
    with one.write():
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"), two.write():
            pass
        assert 0.15 < time.monotonic() - started < 5
    with two.write() as tx:  # the turn was given back, and the failed wait left no place
        tx.commit()
    engine.dispose()
