"""Signed-in browser sessions in the database, so that every worker process knows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, select, update

from api.db.repositories.common import Repository
from api.db.tables import WebSessionRow

__all__ = ["WebSessionRepository"]


class WebSessionRepository(Repository):
    def add(self, id_hash: str, key_hash: str, csrf: str, now: datetime, lang: str) -> None:
        self.session.add(
            WebSessionRow(
                id_hash=id_hash,
                key_hash=key_hash,
                csrf=csrf,
                created_at=now,
                seen_at=now,
                lang=lang,
                flash=[],
            )
        )
        self.session.flush()

    def get(self, id_hash: str) -> WebSessionRow | None:
        return self.session.scalar(select(WebSessionRow).where(WebSessionRow.id_hash == id_hash))

    def update(self, id_hash: str, **values: Any) -> None:
        self.session.execute(
            update(WebSessionRow).where(WebSessionRow.id_hash == id_hash).values(**values)
        )

    def remove(self, id_hash: str) -> None:
        self.session.execute(delete(WebSessionRow).where(WebSessionRow.id_hash == id_hash))

    def drop_expired(self, seen_before: datetime, created_before: datetime) -> None:
        self.session.execute(
            delete(WebSessionRow).where(
                or_(WebSessionRow.seen_at < seen_before, WebSessionRow.created_at < created_before)
            )
        )
