"""What the service remembers between a child and a home: a decline and a placement that
broke down are written into the child's ``history`` (so the engine never offers that home
again, reason codes ``declined`` and ``breakdown``), and a decline for lack of capacity
asks the provider to correct its free beds."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import case, func, or_, select

from api.db.tables import ProposalRow
from api.db.uow import Tx
from matching.model import HistoryKind

__all__ = ["decline_rates", "record_history", "request_beds_check"]

_DECLINED = "declined"


def record_history(
    tx: Tx,
    child_ids: Collection[str],
    home_id: str,
    event: HistoryKind,
    day: date,
    reason: str | None,
    now: datetime,
) -> None:
    """Append one event per child, in the transaction that decided it."""
    rows = tx.children.get_many(child_ids)
    for cid in sorted(rows):
        entry = {"home_id": home_id, "event": event.value, "date": day.isoformat()}
        if reason:
            entry["reason"] = reason
        history = [*(rows[cid].history or []), entry]
        tx.children.update_fields(cid, {"history": history, "updated_at": now})


def request_beds_check(tx: Tx, home_id: str, now: datetime) -> None:
    """Flag the home: its carers say it has no room, so beds_free is probably wrong. Not a
    change of the registered home, so its version (ETag) stays."""
    tx.homes.request_beds_check(home_id, now)


def decline_rates(
    tx: Tx, home_ids: Collection[str] | None, since: date
) -> dict[str, dict[str, Any]]:
    """Per home, the carers' answers to proposals made since ``since``: how many they
    declined of those they answered (a yes is an accept, even if later withdrawn).
    ``home_ids`` ``None``: every home proposed to since then.

    Beside a home's options this tells a coordinator how likely a proposal is to be taken,
    before spending days of a child's wait on it.
    """
    if home_ids is not None and not home_ids:
        return {}
    declined = ProposalRow.status == _DECLINED
    answered = or_(declined, ProposalRow.accepted_at.is_not(None))
    query = (
        select(
            ProposalRow.home_id,
            func.sum(case((declined, 1), else_=0)),
            func.sum(case((answered, 1), else_=0)),
        )
        .where(ProposalRow.created_at >= datetime.combine(since, time(), UTC))
        .group_by(ProposalRow.home_id)
    )
    if home_ids is not None:
        query = query.where(ProposalRow.home_id.in_(list(home_ids)))
    counts = {hid: (int(d or 0), int(a or 0)) for hid, d, a in tx.session.execute(query).all()}
    out: dict[str, dict[str, Any]] = {}
    for hid in counts if home_ids is None else home_ids:
        d, a = counts.get(hid, (0, 0))
        out[hid] = {
            "declined": d,
            "answered": a,
            "rate": round(d / a, 2) if a else None,
            "since": since.isoformat(),
        }
    return out
