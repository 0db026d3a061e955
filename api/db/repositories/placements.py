"""Placements: confirmed placements and how they end."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import (
    select,
    update,
)
from sqlalchemy.orm import Session

from api.db.repositories.common import page_of, rowcount_of
from api.db.tables import (
    HomeRow,
    PlacementRow,
)


class PlacementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, rows: Sequence[PlacementRow]) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def get(self, placement_id: str) -> PlacementRow | None:
        return self.session.get(PlacementRow, placement_id, populate_existing=True)

    def open_for_child(self, child_id: str) -> PlacementRow | None:
        return self.session.scalar(
            select(PlacementRow).where(
                PlacementRow.child_id == child_id, PlacementRow.end_date.is_(None)
            )
        )

    def page(
        self,
        *,
        organisation: str | None,
        home_organisation: str | None,
        open_only: bool,
        offset: int,
        limit: int,
    ) -> tuple[list[PlacementRow], int]:
        query = select(PlacementRow).order_by(PlacementRow.start_date.desc(), PlacementRow.id)
        if organisation is not None:
            query = query.where(PlacementRow.organisation == organisation)
        if home_organisation is not None:
            query = query.join(HomeRow, HomeRow.id == PlacementRow.home_id).where(
                HomeRow.organisation == home_organisation
            )
        if open_only:
            query = query.where(PlacementRow.end_date.is_(None))
        return page_of(self.session, query, offset, limit)

    def end(self, placement_id: str, end_date: date, reason: str, now: datetime) -> bool:
        result = self.session.execute(
            update(PlacementRow)
            .where(PlacementRow.id == placement_id, PlacementRow.end_date.is_(None))
            .values(end_date=end_date, end_reason=reason, ended_at=now)
            .execution_options(synchronize_session=False)
        )
        return rowcount_of(result) == 1
