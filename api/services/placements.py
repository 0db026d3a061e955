"""Placements: recorded when a proposal is confirmed, ended with a reason.

Ending a placement frees the child's bed. A child that broke down or moves waits for a new
place; a child that went home or became independent has left care. The end reason is kept
so that breakdowns can be counted. A move arranged through a proposal (doorplaatsing) is
ended by confirming that proposal (:func:`api.services.proposals.confirm`), which places the
child in its new home in the same transaction; while such a proposal is open the placement
cannot be ended here.

The coordinating organisation and admins see a placement whole; the provider of the home
sees :class:`~api.schemas.placements.PlacementForProvider` (no split reason, and no
coordinating organisation when any child of the group is placed confidentially).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from api.db.tables import PlacementRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.children import ChildStatus
from api.schemas.placements import (
    EndReason,
    PlacementForProvider,
    PlacementPage,
    PlacementPublic,
)
from api.services.access import Caller, Role, list_scope
from api.services.care import record_history
from api.services.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from api.services.proposals import confidential_group
from matching.model import CareKind, HistoryKind

__all__ = [
    "end_date_problem",
    "end_placement",
    "end_placements",
    "get_placement",
    "list_placements",
    "open_placements_of",
]

_STILL_IN_CARE = {EndReason.BREAKDOWN, EndReason.MOVE}


def _public(row: PlacementRow) -> PlacementPublic:
    return PlacementPublic(
        id=row.id,
        proposal_id=row.proposal_id,
        child_id=row.child_id,
        home_id=row.home_id,
        organisation=row.organisation,
        home_type=row.home_type,
        split_reason=row.split_reason,
        start_date=row.start_date,
        end_date=row.end_date,
        end_reason=EndReason(row.end_reason) if row.end_reason else None,
    )


def _for_provider(tx: Tx, rows: list[PlacementRow]) -> list[PlacementForProvider]:
    # Confidential as a group: the children placed by the same proposal, and their
    # brothers and sisters (see :func:`api.services.proposals.confidential_group`).
    together = tx.proposals.child_ids({r.proposal_id for r in rows})
    secret = {pid: confidential_group(tx, ids) for pid, ids in together.items()}
    out = []
    for row in rows:
        hidden = secret.get(row.proposal_id, True)
        out.append(
            PlacementForProvider(
                id=row.id,
                proposal_id=row.proposal_id,
                child_id=row.child_id,
                home_id=row.home_id,
                organisation=None if hidden else row.organisation,
                home_type=row.home_type,
                start_date=row.start_date,
                end_date=row.end_date,
                end_reason=EndReason(row.end_reason) if row.end_reason else None,
            )
        )
    return out


def _views(
    tx: Tx, caller: Caller, rows: list[PlacementRow]
) -> list[PlacementPublic | PlacementForProvider]:
    tx.audit.about(children=[r.child_id for r in rows])
    if caller.role is Role.PROVIDER:
        return list(_for_provider(tx, rows))
    return [_public(r) for r in rows]


def _visible(tx: Tx, caller: Caller, placement_id: str) -> PlacementRow:
    row = tx.placements.get(placement_id)
    if row is None:
        raise NotFoundError("placement", placement_id)
    if caller.is_admin:
        return row
    if caller.role is Role.COORDINATOR and row.organisation == caller.organisation:
        return row
    if caller.role is Role.PROVIDER:
        home = tx.homes.get(row.home_id)
        if home is not None and home.organisation == caller.organisation:
            return row
    raise NotFoundError("placement", placement_id)


def get_placement(
    uow: UnitOfWork, caller: Caller, placement_id: str
) -> PlacementPublic | PlacementForProvider:
    with uow.read() as tx:
        return _views(tx, caller, [_visible(tx, caller, placement_id)])[0]


def list_placements(
    uow: UnitOfWork, caller: Caller, open_only: bool, offset: int, limit: int
) -> PlacementPage:
    with uow.read() as tx:
        rows, total = tx.placements.page(
            list_scope(caller), open_only=open_only, offset=offset, limit=limit
        )
        return PlacementPage(
            items=_views(tx, caller, rows), total=total, offset=offset, limit=limit
        )


def open_placements_of(
    uow: UnitOfWork, caller: Caller, child_ids: Collection[str]
) -> dict[str, PlacementPublic]:
    """The open placement of each of ``child_ids`` that the caller coordinates (an admin:
    any), by child: a child's page reads these, not every open placement of its
    organisation."""
    with uow.read() as tx:
        rows = {cid: tx.placements.open_for_child(cid) for cid in sorted(child_ids)}
        mine = {
            cid: row
            for cid, row in rows.items()
            if row is not None and (caller.is_admin or row.organisation == caller.organisation)
        }
        tx.audit.about(children=list(mine))
        return {cid: _public(row) for cid, row in mine.items()}


def end_placement(
    uow: UnitOfWork,
    caller: Caller,
    placement_id: str,
    reason: EndReason,
    end_date: date | None,
    now: datetime,
    today: date,
) -> PlacementPublic:
    return end_placements(uow, caller, [placement_id], reason, end_date, now, today)[0]


def end_placements(
    uow: UnitOfWork,
    caller: Caller,
    placement_ids: Sequence[str],
    reason: EndReason,
    end_date: date | None,
    now: datetime,
    today: date,
) -> list[PlacementPublic]:
    """End several placements (a sibling group's, placed together) with one reason and one
    last day, all or nothing: in one transaction, which the first refusal rolls back."""
    if not placement_ids or len(set(placement_ids)) != len(placement_ids):
        raise InvalidInputError([FieldProblem("$.placement_ids", "name each placement once")])
    with uow.write() as tx:
        rows = [_ending(tx, caller, pid) for pid in placement_ids]
        tx.audit.about(children=[r.child_id for r in rows])
        # Homes before children, as in every transaction, each in id order: the beds are
        # freed in the homes' rows, and a removal of a child (which locks the network homes
        # that know it, then the child) or a proposal to a home must not hold one while
        # waiting for the other (a deadlock on PostgreSQL).
        for home_id in sorted({r.home_id for r in rows}):
            tx.homes.get(home_id, lock=True)
        ended = [_end(tx, row, reason, end_date, now, today) for row in sorted(rows, key=_child)]
        by_id = {p.id: p for p in ended}
        result = [by_id[pid] for pid in placement_ids]
        tx.commit()
    return result


def end_date_problem(start_date: date, end: date, today: date) -> FieldProblem | None:
    """Why ``end`` cannot be the last day of a placement that started on ``start_date``,
    or None: the rule :func:`end_placements` holds, for a form to say with its other
    problems before anything is ended."""
    if end < start_date:
        return FieldProblem("$.end_date", "is before the placement's start_date")
    # A placement that has not started yet may end on its start day: the child did not
    # come (else a placement confirmed to start later could not be ended until then).
    if end > max(today, start_date):
        return FieldProblem("$.end_date", "is in the future")
    return None


def _child(row: PlacementRow) -> str:
    return row.child_id


def _ending(tx: Tx, caller: Caller, placement_id: str) -> PlacementRow:
    """The placement, if ``caller`` may end it: its coordinating organisation's."""
    row = _visible(tx, caller, placement_id)
    if caller.role is not Role.COORDINATOR or row.organisation != caller.organisation:
        raise NotFoundError("placement", placement_id)
    return row


def _end(
    tx: Tx, row: PlacementRow, reason: EndReason, end_date: date | None, now: datetime, today: date
) -> PlacementPublic:
    """End one placement inside the caller's transaction (nothing is committed here)."""
    placement_id = row.id
    end = end_date or today
    problem = end_date_problem(row.start_date, end, today)
    if problem is not None:
        raise InvalidInputError([problem])
    # Locked: a proposal moving this child updates its row conditionally on ``placed``,
    # so either that proposal comes first (and this is refused below) or it finds the
    # child no longer placed (and is refused).
    child = tx.children.get(row.child_id, lock=True)
    if row.end_date is None and child is not None and child.status == ChildStatus.PROPOSED:
        # The child is proposed to move on (doorplaatsing): that proposal ends this
        # placement when it is confirmed, and a withdrawal must find it intact.
        raise ConflictError(
            "move_open",
            f"child '{row.child_id}' has an open proposal to move; withdraw it before "
            "ending this placement",
        )
    if not tx.placements.end(placement_id, end, reason.value, now):
        raise ConflictError("already_ended", f"the placement of '{row.child_id}' has already ended")
    tx.homes.free_bed(row.home_id, now, part_time=row.part_time)
    if reason is EndReason.BREAKDOWN:
        # Dated the day it is known, never later: a placement called off before its
        # start day broke down today (a history event may not lie in the future).
        day = min(end, today)
        record_history(tx, [row.child_id], row.home_id, HistoryKind.BREAKDOWN, day, None, now)
    next_status = ChildStatus.WAITING if reason in _STILL_IN_CARE else ChildStatus.LEFT
    if child is not None and child.status == ChildStatus.PLACED:
        # A part-time child still lives where it lived (its current_home never moved).
        keeps_home = child.care_kind == CareKind.PART_TIME.value
        tx.children.move(
            [row.child_id],
            (ChildStatus.PLACED.value,),
            next_status.value,
            now,
            **({} if keeps_home else {"current_home": None}),
        )
    updated = tx.placements.get(placement_id)
    assert updated is not None
    return _public(updated)
