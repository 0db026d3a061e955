"""Match runs: stored batch match documents."""

from __future__ import annotations

from sqlalchemy.orm import Session

from api.db.tables import (
    MatchRunRow,
)


class MatchRunRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: MatchRunRow) -> None:
        self.session.add(row)
        self.session.flush()

    def get(self, run_id: str) -> MatchRunRow | None:
        return self.session.get(MatchRunRow, run_id)
