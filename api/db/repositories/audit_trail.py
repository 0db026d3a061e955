"""The audit trail: append-only events with the children they concern."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    insert,
    select,
)

from api.db.repositories.common import Repository, lists_by, page_of
from api.db.tables import (
    AuditEventChildRow,
    AuditEventRow,
)


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """What to select from the audit trail; ``None`` means any."""

    key_prefix: str | None = None
    role: str | None = None
    organisation: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    child_id: str | None = None
    outcome: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditTrailRepository(Repository):
    """Inserts and reads the audit trail; it has no method that changes or deletes."""

    def add(self, values: dict[str, Any], child_ids: Collection[str]) -> int:
        event_id = self.session.execute(
            insert(AuditEventRow).values(**values).returning(AuditEventRow.id)
        ).scalar_one()
        if child_ids:
            self.session.execute(
                insert(AuditEventChildRow),
                [{"event_id": event_id, "child_id": c} for c in sorted(child_ids)],
            )
        return int(event_id)

    def page(self, where: AuditFilter, offset: int, limit: int) -> tuple[list[AuditEventRow], int]:
        query = select(AuditEventRow).order_by(AuditEventRow.id.desc())
        for column, value in (
            (AuditEventRow.key_prefix, where.key_prefix),
            (AuditEventRow.role, where.role),
            (AuditEventRow.organisation, where.organisation),
            (AuditEventRow.action, where.action),
            (AuditEventRow.object_type, where.object_type),
            (AuditEventRow.object_id, where.object_id),
            (AuditEventRow.outcome, where.outcome),
        ):
            if value is not None:
                query = query.where(column == value)
        if where.since is not None:
            query = query.where(AuditEventRow.at >= where.since)
        if where.until is not None:
            query = query.where(AuditEventRow.at < where.until)
        if where.child_id is not None:
            query = query.where(
                AuditEventRow.id.in_(
                    select(AuditEventChildRow.event_id).where(
                        AuditEventChildRow.child_id == where.child_id
                    )
                )
            )
        return page_of(self.session, query, offset, limit)

    def children_of(self, event_ids: Collection[int]) -> dict[int, list[str]]:
        ec = AuditEventChildRow
        return lists_by(self.session, ec.event_id, ec.child_id, event_ids, order=ec.child_id)
