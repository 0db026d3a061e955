"""Service state: small named values the service keeps between requests."""

from __future__ import annotations

from api.db.repositories.common import Repository
from api.db.tables import (
    ServiceStateRow,
)
from api.db.version import DataVersion, read_version


class StateRepository(Repository):
    def get(self, key: str) -> str | None:
        row = self.session.get(ServiceStateRow, key)
        return None if row is None else row.value

    def set(self, key: str, value: str) -> None:
        self.session.merge(ServiceStateRow(key=key, value=value))
        self.session.flush()

    def data_version(self) -> DataVersion | None:
        """The data version (:mod:`api.db.version`); read it before the data it keys."""
        return read_version(self.session)
