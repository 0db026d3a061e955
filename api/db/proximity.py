"""Read-only queries behind the municipality audit: placement facts and waiting children.

Only the facts :mod:`matching.audit` counts leave this module; child ids are turned into
opaque references (the audit never prints them, and neither does anything here).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from api.db.tables import ChildRow, PlacementRow, SiblingLinkRow
from matching.audit import EndReason, Outcome, PlacementFact, WaitingFact
from matching.geo import parse_postcode, postcode_table
from matching.model import CareKind, HomeType, SplitReason
from matching.scenario import age_on

__all__ = ["placement_facts", "waiting_facts"]


def placement_facts(
    session: Session, municipalities: Collection[str], start: date, end: date
) -> list[PlacementFact]:
    """Placements of children from ``municipalities`` that started or ended in the period."""
    rows = session.scalars(
        select(PlacementRow).where(
            PlacementRow.parents_municipality.in_(list(municipalities)),
            or_(
                PlacementRow.start_date.between(start, end),
                and_(PlacementRow.end_date.is_not(None), PlacementRow.end_date.between(start, end)),
            ),
        )
    )
    return [
        PlacementFact(
            ref=row.id,
            municipality=row.parents_municipality,
            start_date=row.start_date,
            actual=Outcome(
                home_type=HomeType(row.home_type),
                distance_km=row.distance_km,
                same_municipality=row.home_municipality == row.parents_municipality,
                keeps_school=row.keeps_school,
            ),
            engine=Outcome(
                home_type=HomeType(row.engine_home_type),
                distance_km=row.engine_distance_km,
                same_municipality=bool(row.engine_same_municipality),
                keeps_school=row.engine_keeps_school,
                together=row.engine_together,
            )
            if row.engine_home_type is not None and row.engine_distance_km is not None
            else None,
            sibling_group=row.sibling_group,
            together=row.together,
            split_reason=SplitReason(row.split_reason) if row.split_reason else None,
            end_date=row.end_date,
            end_reason=EndReason(row.end_reason) if row.end_reason else None,
        )
        for row in rows
    ]


def waiting_facts(
    session: Session, municipalities: Collection[str], end: date
) -> list[WaitingFact]:
    """Children registered by the end of the period whose parents live in ``municipalities``.

    A child's municipality is derived from the parents' postcode, which never leaves here.
    """
    wanted = set(municipalities)
    first_start = dict(
        session.execute(
            select(PlacementRow.child_id, func.min(PlacementRow.start_date)).group_by(
                PlacementRow.child_id
            )
        ).all()
    )
    siblings = dict(
        session.execute(
            select(SiblingLinkRow.child_id, func.count()).group_by(SiblingLinkRow.child_id)
        ).all()
    )
    table = postcode_table()
    out = []
    cutoff = datetime.combine(end, time.max, tzinfo=UTC)
    for row in session.scalars(select(ChildRow).where(ChildRow.created_at <= cutoff)):
        municipality = table.locate(parse_postcode(row.parents_postcode)).municipality_code
        if municipality not in wanted or row.status == "left":
            continue
        out.append(
            WaitingFact(
                ref=row.id,
                municipality=municipality,
                # Recorded waiting_since where the coordinator knows it, else registration.
                waiting_since=row.waiting_since or row.created_at.date(),
                placed_on=first_start.get(row.id),
                age=age_on(row.birth_date, end) if row.birth_date else row.age,
                care_level=max((int(v) for v in row.needs.values()), default=0),
                sibling_group_size=1 + int(siblings.get(row.id, 0)),
                care_kind=row.care_kind
                or (CareKind.CRISIS if row.urgency == "crisis" else CareKind.LONG_TERM).value,
            )
        )
    return out
