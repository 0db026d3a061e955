"""API keys: hashed, per organisation and role."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    select,
    update,
)

from api.db.repositories.common import Repository, page_of, rowcount_of
from api.db.tables import (
    ApiKeyRow,
)


class KeyRepository(Repository):
    def add(self, row: ApiKeyRow) -> None:
        self.session.add(row)
        self.session.flush()

    def by_hash(self, digest: str) -> ApiKeyRow | None:
        return self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.hash == digest))

    def by_prefix(self, prefix: str) -> ApiKeyRow | None:
        return self.session.scalar(select(ApiKeyRow).where(ApiKeyRow.prefix == prefix))

    def page(
        self, *, organisation: str | None, role: str | None, offset: int, limit: int
    ) -> tuple[list[ApiKeyRow], int]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.created_at.desc(), ApiKeyRow.id.desc())
        if organisation is not None:
            query = query.where(ApiKeyRow.organisation == organisation)
        if role is not None:
            query = query.where(ApiKeyRow.role == role)
        return page_of(self.session, query, offset, limit)

    def revoke(self, prefix: str, now: datetime) -> bool:
        """Revoke the key if it is not revoked yet; False if it already was."""
        result = self.session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.prefix == prefix, ApiKeyRow.revoked_at.is_(None))
            .values(revoked_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1

    def revoke_labelled(self, label: str, now: datetime) -> list[str]:
        """Revoke every active key with ``label``; returns their prefixes."""
        prefixes = list(
            self.session.scalars(
                select(ApiKeyRow.prefix)
                .where(ApiKeyRow.label == label, ApiKeyRow.revoked_at.is_(None))
                .order_by(ApiKeyRow.prefix)
            )
        )
        if prefixes:
            self.session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.prefix.in_(prefixes))
                .values(revoked_at=now)
                .execution_options(synchronize_session=False)
            )
        return prefixes
