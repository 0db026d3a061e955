"""Match runs: stored batch match documents."""

from __future__ import annotations

from api.db.repositories.common import TableRepository
from api.db.tables import (
    MatchRunRow,
)


class MatchRunRepository(TableRepository[MatchRunRow]):
    table = MatchRunRow

    def get(self, run_id: str) -> MatchRunRow | None:
        return self._by_id(run_id)
