"""Per-key token buckets in the database, so that every worker process counts together."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from api.db.repositories.common import Repository
from api.db.tables import RateBucketRow

__all__ = ["RateBucketRepository"]


class RateBucketRepository(Repository):
    def locked(
        self, family: str, key_prefix: str, full: float, now: datetime
    ) -> tuple[float, datetime]:
        """The bucket's tokens and last update, locked until the transaction ends (a new
        bucket starts ``full``). On PostgreSQL the row lock makes a second worker wait and
        then read what the first wrote; on SQLite the write transaction already does."""
        row = self._locked_row(family, key_prefix)
        if row is None:
            # The first take of this bucket; another worker may be inserting it too: the
            # one that loses waits for the winner's row and reads it.
            dialect = self.session.get_bind().dialect.name
            insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
            self.session.execute(
                insert(RateBucketRow)
                .values(family=family, key_prefix=key_prefix, tokens=full, updated_at=now)
                .on_conflict_do_nothing(index_elements=["family", "key_prefix"])
            )
            row = self._locked_row(family, key_prefix)
            assert row is not None
        return row

    def _locked_row(self, family: str, key_prefix: str) -> tuple[float, datetime] | None:
        row = self.session.execute(
            select(RateBucketRow.tokens, RateBucketRow.updated_at)
            .where(RateBucketRow.family == family, RateBucketRow.key_prefix == key_prefix)
            .with_for_update()
        ).first()
        return None if row is None else (float(row.tokens), row.updated_at)

    def put(self, family: str, key_prefix: str, tokens: float, now: datetime) -> None:
        self.session.execute(
            update(RateBucketRow)
            .where(RateBucketRow.family == family, RateBucketRow.key_prefix == key_prefix)
            .values(tokens=tokens, updated_at=now)
        )

    def drop_idle(self, family: str, before: datetime) -> int:
        """Remove the buckets of ``family`` untouched since ``before`` (full again by then:
        forgetting them changes no answer)."""
        result = self.session.execute(
            delete(RateBucketRow).where(
                RateBucketRow.family == family, RateBucketRow.updated_at < before
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
