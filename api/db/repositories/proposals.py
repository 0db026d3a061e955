"""Proposals: the open offers of a home to a child or sibling group."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Select,
    insert,
    select,
    update,
)

from api.db.repositories.common import (
    Repository,
    count_of,
    in_batches,
    limit_to,
    lists_by,
    page_of,
    rowcount_of,
)
from api.db.scope import Scope
from api.db.tables import (
    ChildRow,
    HomeRow,
    ProposalChildRow,
    ProposalRow,
)


class ProposalRepository(Repository):
    def add(self, row: ProposalRow, child_ids: Sequence[str]) -> None:
        self.session.add(row)
        self.session.flush()
        self.session.execute(
            insert(ProposalChildRow),
            [
                {"proposal_id": row.id, "child_id": cid, "position": i}
                for i, cid in enumerate(child_ids)
            ],
        )

    def get(self, proposal_id: str) -> ProposalRow | None:
        return self.session.get(ProposalRow, proposal_id, populate_existing=True)

    def child_ids(self, proposal_ids: Collection[str]) -> dict[str, list[str]]:
        pc = ProposalChildRow
        return lists_by(self.session, pc.proposal_id, pc.child_id, proposal_ids, order=pc.position)

    def page(
        self,
        scope: Scope,
        *,
        statuses: Collection[str],
        offset: int,
        limit: int,
    ) -> tuple[list[ProposalRow], int]:
        query = select(ProposalRow).order_by(ProposalRow.created_at.desc(), ProposalRow.id)
        query = limit_to(scope, query, ProposalRow.organisation, ProposalRow.home_id)
        if statuses:
            query = query.where(ProposalRow.status.in_(list(statuses)))
        return page_of(self.session, query, offset, limit)

    def due(self, open_statuses: Collection[str], now: datetime, limit: int = 500) -> list[str]:
        query = (
            select(ProposalRow.id)
            .where(ProposalRow.status.in_(list(open_statuses)), ProposalRow.expires_at <= now)
            .order_by(ProposalRow.expires_at)
            .limit(limit)
        )
        return list(self.session.scalars(query))

    def destinations(
        self,
        organisation: str | None,
        open_statuses: Collection[str],
        home_ids: Collection[str] | None = None,
    ) -> list[tuple[str, str, list[str]]]:
        """``(child, home, keep_apart)`` for children in open proposals (to one of
        ``home_ids``, if given): where they are about to live."""
        query = (
            select(ProposalChildRow.child_id, ProposalRow.home_id, ChildRow.keep_apart)
            .join(ProposalRow, ProposalRow.id == ProposalChildRow.proposal_id)
            .join(ChildRow, ChildRow.id == ProposalChildRow.child_id)
            .where(ProposalRow.status.in_(list(open_statuses)))
        )
        if organisation is not None:
            query = query.where(ProposalRow.organisation == organisation)
        if home_ids is not None:
            query = query.where(ProposalRow.home_id.in_(list(home_ids)))
        return [(cid, home, list(apart)) for cid, home, apart in self.session.execute(query)]

    def told_to(self, home_organisation: str, child_ids: Collection[str]) -> set[str]:
        """Those of ``child_ids`` ever proposed to a home of ``home_organisation``: the
        children that organisation has been told about (in any status since)."""
        told: set[str] = set()
        for batch in in_batches(child_ids):  # an import may name more than one IN list takes
            told.update(self.session.scalars(self._told_to(home_organisation, batch)))
        return told

    @staticmethod
    def _told_to(home_organisation: str, child_ids: list[str]) -> Select[str]:
        return (
            select(ProposalChildRow.child_id)
            .join(ProposalRow, ProposalRow.id == ProposalChildRow.proposal_id)
            .join(HomeRow, HomeRow.id == ProposalRow.home_id)
            # Still the same child: one of the organisation that proposed it.
            .join(
                ChildRow,
                (ChildRow.id == ProposalChildRow.child_id)
                & (ChildRow.organisation == ProposalRow.organisation),
            )
            .where(
                HomeRow.organisation == home_organisation,
                ProposalChildRow.child_id.in_(child_ids),
            )
        )

    def homes_closed_as(self, child_id: str, status: str) -> set[str]:
        """The homes of the proposals of ``child_id`` that closed with ``status``."""
        query = (
            select(ProposalRow.home_id)
            .join(ProposalChildRow, ProposalChildRow.proposal_id == ProposalRow.id)
            .where(ProposalChildRow.child_id == child_id, ProposalRow.status == status)
        )
        return set(self.session.scalars(query))

    def open_for_home(self, home_id: str, open_statuses: Collection[str]) -> int:
        return count_of(
            self.session,
            ProposalRow.home_id == home_id,
            ProposalRow.status.in_(list(open_statuses)),
        )

    def move(
        self,
        proposal_id: str,
        from_status: Collection[str],
        to_status: str,
        now: datetime,
        *,
        unexpired: bool,
        **values: Any,
    ) -> bool:
        """Change the status if it is still one of ``from_status`` (and, if ``unexpired``,
        the hold has not lapsed); False if another request changed it first."""
        query = update(ProposalRow).where(
            ProposalRow.id == proposal_id, ProposalRow.status.in_(list(from_status))
        )
        if unexpired:
            query = query.where(ProposalRow.expires_at > now)
        else:
            query = query.where(ProposalRow.expires_at <= now)
        result = self.session.execute(
            query.values(status=to_status, updated_at=now, **values).execution_options(
                synchronize_session=False
            )
        )
        return rowcount_of(result) == 1
