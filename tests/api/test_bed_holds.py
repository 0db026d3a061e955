"""The bed-holding statement itself, with two transactions interleaved on purpose: the
second waits for the first and then sees that the bed is gone (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from api.db.tables import HomeRow
from tests.api.conftest import Api, Client
from tests.api.helpers import add_home


def test_second_holder_waits_for_the_first_and_loses(api: Api, provider: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    first_holds = threading.Event()
    release_first = threading.Event()
    outcome: dict[str, bool] = {}

    def first() -> None:
        with api.uow.write() as tx:
            outcome["first"] = tx.homes.hold_beds("H-1", 1, api.clock.now())
            first_holds.set()
            release_first.wait(10)
            tx.commit()

    def second() -> None:
        first_holds.wait(10)
        with api.uow.write() as tx:
            outcome["second"] = tx.homes.hold_beds("H-1", 1, api.clock.now())
            tx.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    first_holds.wait(10)
    time.sleep(0.3)
    # The second transaction is blocked behind the first one's uncommitted hold.
    assert "second" not in outcome
    release_first.set()
    for t in threads:
        t.join(15)
    assert outcome == {"first": True, "second": False}
    with api.uow.read() as tx:
        row = tx.session.scalars(select(HomeRow)).one()
        assert (row.beds_free, row.beds_held) == (1, 1)


def test_a_rolled_back_hold_leaves_the_bed_free(api: Api, provider: Client) -> None:
    add_home(provider, "H-1", beds_free=1)
    with api.uow.write() as tx:
        assert tx.homes.hold_beds("H-1", 1, api.clock.now())
        # no commit: the unit of work rolls back
    with api.uow.write() as tx:
        assert tx.homes.hold_beds("H-1", 1, api.clock.now())
        assert not tx.homes.hold_beds("H-1", 1, api.clock.now())
        tx.commit()
