"""The municipality audit as a service: who may see which municipality's aggregates.

A municipality key sees its own municipality, and its region's aggregate with cells hidden
where the other municipalities' part would be small; an admin any municipality or region.
Nothing here returns a child: :func:`matching.audit.audit` suppresses small numbers before
anything is rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from api.db.proximity import placement_facts, waiting_facts
from api.db.uow import UnitOfWork
from api.services.access import Caller, Role
from api.services.errors import FieldProblem, ForbiddenError, InvalidInputError
from matching.audit import REGIONS, AuditReport, Cell, PlacementFact, WaitingFact, audit
from matching.geo import postcode_table

__all__ = [
    "MAX_PERIOD_DAYS",
    "RegionView",
    "own_region_view",
    "proximity_report",
    "region_of",
    "region_view",
    "resolve_municipalities",
]

MAX_PERIOD_DAYS = 5 * 366
_CODE = re.compile(r"^[0-9]{4}$")


def resolve_municipalities(municipality: Sequence[str], region: str | None) -> list[str]:
    """CBS codes from ``municipality`` (repeated or comma-separated) and/or a region name."""
    codes = {c.strip() for item in municipality for c in item.split(",") if c.strip()}
    problems = []
    if region is not None:
        if region not in REGIONS:
            known = ", ".join(sorted(REGIONS))
            problems.append(FieldProblem("$.region", f"unknown region (known: {known})", "query"))
        else:
            codes |= set(REGIONS[region])
    known_codes = set(postcode_table().municipality_codes)
    for code in sorted(codes):
        if not _CODE.match(code) or code not in known_codes:
            problems.append(
                FieldProblem("$.municipality", "not a known 4-digit CBS municipality code", "query")
            )
            break
    if not codes and not problems:
        problems.append(FieldProblem("$.municipality", "give a municipality or a region", "query"))
    if problems:
        raise InvalidInputError(problems, "the audit query is invalid")
    return sorted(codes)


def proximity_report(
    uow: UnitOfWork,
    caller: Caller,
    municipalities: Sequence[str],
    start: date,
    end: date,
    *,
    today: date,
) -> AuditReport:
    """The audit of the period; ``today`` bounds its end (figures about a day that has not
    come would be made up: a wait measured to it, today's list as its end)."""
    if caller.role is Role.MUNICIPALITY and set(municipalities) != {caller.municipality}:
        raise ForbiddenError("a municipality key reads only its own municipality's figures")
    placements, waiting = _facts(uow, municipalities, start, end, today)
    return audit(placements, waiting, municipalities, start, end)


def _facts(
    uow: UnitOfWork, municipalities: Sequence[str], start: date, end: date, today: date | None
) -> tuple[list[PlacementFact], list[WaitingFact]]:
    """The placements and the waiting children the audit of the period counts, once the
    period is checked (its end no later than ``today``, where given)."""
    if today is not None and end > today:
        raise InvalidInputError([FieldProblem("$.to", "is in the future", "query")])
    if start > end:
        raise InvalidInputError([FieldProblem("$.from", "is after 'to'", "query")])
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInputError([FieldProblem("$.to", "period longer than 5 years", "query")])
    with uow.read() as tx:
        return (
            placement_facts(tx.session, municipalities, start, end),
            waiting_facts(tx.session, municipalities, end),
        )


@dataclass(frozen=True)
class RegionView:
    """A region's aggregate as a municipality may see it beside its own figures."""

    region: str
    municipalities: tuple[str, ...]
    practice: tuple[Cell, ...]


def region_of(municipality: str) -> str | None:
    """The youth-care region a municipality belongs to, if it is in one we know."""
    return next((name for name, codes in REGIONS.items() if municipality in codes), None)


def own_region_view(uow: UnitOfWork, caller: Caller, report: AuditReport) -> RegionView | None:
    """The region beside a report on one municipality (the caller's own, for a
    municipality key), as the municipality's screen shows it; none outside a known region."""
    if len(report.municipalities) != 1:
        return None
    region = region_of(report.municipalities[0])
    if region is None:
        return None
    return region_view(uow, caller, region, report.period_from, report.period_to)


def region_view(
    uow: UnitOfWork,
    caller: Caller,
    region: str,
    start: date,
    end: date,
    today: date | None = None,
) -> RegionView:
    """The region's practice figures, for an admin or a municipality of that region.

    A cell is shown only if the same cell over the region *without* the caller's own
    municipality would be shown too: otherwise the region minus the caller's own figures
    would give the other municipalities' small numbers by subtraction.
    """
    if region not in REGIONS:
        known = ", ".join(sorted(REGIONS))
        raise InvalidInputError(
            [FieldProblem("$.region", f"unknown region (known: {known})", "query")]
        )
    codes = REGIONS[region]
    own = caller.municipality if caller.role is Role.MUNICIPALITY else None
    if caller.role is Role.MUNICIPALITY and own not in codes:
        raise ForbiddenError("a municipality key reads only its own region's aggregate")
    placements, waiting = _facts(uow, codes, start, end, today)
    whole = audit(placements, waiting, codes, start, end)
    cells = list(whole.practice)
    if own is not None:
        others = [c for c in codes if c != own]
        rest = {c.metric: c for c in audit(placements, waiting, others, start, end).practice}
        # Hidden for the others' sake, a region cell is not small itself: it says so.
        cells = [
            c if c.suppressed or not rest[c.metric].suppressed else c.hidden(secondary=True)
            for c in cells
        ]
    return RegionView(region, tuple(codes), tuple(cells))
