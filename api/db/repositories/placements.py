"""Placements: confirmed placements and how they end."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import (
    func,
    or_,
    select,
    update,
)

from api.db.repositories.common import (
    TableRepository,
    count_of,
    limit_to,
    page_of,
    rowcount_of,
)
from api.db.scope import Scope
from api.db.tables import (
    ChildRow,
    PlacementRow,
)


class PlacementRepository(TableRepository[PlacementRow]):
    table = PlacementRow

    def get(self, placement_id: str) -> PlacementRow | None:
        return self._by_id(placement_id)

    def open_for_child(self, child_id: str) -> PlacementRow | None:
        return self.session.scalar(
            select(PlacementRow).where(
                PlacementRow.child_id == child_id, PlacementRow.end_date.is_(None)
            )
        )

    def open_in_home(self, home_id: str) -> int:
        """How many placements in the home are open (full-time and part-time)."""
        return count_of(
            self.session, PlacementRow.home_id == home_id, PlacementRow.end_date.is_(None)
        )

    def guests(
        self, organisation: str | None, home_ids: Collection[str] | None = None
    ) -> list[tuple[str, str, list[str]]]:
        """``(child, home, keep_apart)`` for the open placements of children of
        ``organisation`` (any for ``None``) in a home they do not live in: part-time care,
        where the child keeps its ``current_home`` and comes for weekends and holidays. It
        meets the family's children there, so keep-apart holds against it in that home as
        against those who live there (docs/scoring.md)."""
        query = (
            select(PlacementRow.child_id, PlacementRow.home_id, ChildRow.keep_apart)
            .join(ChildRow, ChildRow.id == PlacementRow.child_id)
            .where(
                PlacementRow.end_date.is_(None),
                or_(
                    ChildRow.current_home.is_(None),
                    ChildRow.current_home != PlacementRow.home_id,
                ),
            )
        )
        if organisation is not None:
            query = query.where(ChildRow.organisation == organisation)
        if home_ids is not None:
            query = query.where(PlacementRow.home_id.in_(list(home_ids)))
        return [(cid, home, list(apart)) for cid, home, apart in self.session.execute(query)]

    def settled_until(self, child_ids: Collection[str]) -> date | None:
        """The last day the placements of ``child_ids`` account for: the latest end of an
        ended placement, or the start of an open one; ``None`` if there are none."""
        day = func.max(func.coalesce(PlacementRow.end_date, PlacementRow.start_date))
        value: date | None = self.session.scalar(
            select(day).where(PlacementRow.child_id.in_(list(child_ids)))
        )
        return value

    def ended_homes(self, child_id: str, reason: str) -> set[str]:
        """The homes where a placement of ``child_id`` ended with ``reason``."""
        query = select(PlacementRow.home_id).where(
            PlacementRow.child_id == child_id, PlacementRow.end_reason == reason
        )
        return set(self.session.scalars(query))

    def page(
        self,
        scope: Scope,
        *,
        open_only: bool,
        offset: int,
        limit: int,
    ) -> tuple[list[PlacementRow], int]:
        query = select(PlacementRow).order_by(PlacementRow.start_date.desc(), PlacementRow.id)
        query = limit_to(scope, query, PlacementRow.organisation, PlacementRow.home_id)
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
