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
from matching.siblings import connected_groups

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
    table = postcode_table()
    out = []
    cutoff = datetime.combine(end, time.max, tzinfo=UTC)
    rows = list(session.scalars(select(ChildRow).where(ChildRow.created_at <= cutoff)))
    group_size = _sibling_group_sizes(session, rows)
    for row in rows:
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
                sibling_group_size=group_size[row.id],
                care_kind=row.care_kind
                or (CareKind.CRISIS if row.urgency == "crisis" else CareKind.LONG_TERM).value,
            )
        )
    return out


def _sibling_group_sizes(session: Session, rows: list[ChildRow]) -> dict[str, int]:
    """Per child, the children still in care in its sibling group: the connected component
    of the links (:func:`matching.siblings.connected_groups`, as the engine groups them),
    not the child's direct links, which undercount a chain."""
    links: dict[str, set[str]] = {}
    for a, b in session.execute(select(SiblingLinkRow.child_id, SiblingLinkRow.sibling_id)):
        links.setdefault(a, set()).add(b)
    in_care = {r.id for r in rows if r.status != "left"}
    out: dict[str, int] = {}
    for group in connected_groups([r.id for r in rows], links):
        size = sum(cid in in_care for cid in group)
        out.update(dict.fromkeys(group, max(size, 1)))
    return out
