"""Mapping between stored rows, the scenario schemas and the domain objects of ``matching``.

Writes go schema -> domain (validated by the engine's own loader) -> column values; reads
go row -> schema field values (what the API returns) or row -> domain (what the engine
ranks). Stored rows were validated on the way in, so the read path builds domain objects
directly: it runs for thousands of homes on every ranking.

Postcodes are stored as their PC4 whatever was given: the engine measures between PC4
areas, and a PC6 is nearly an address (data minimisation; migration 0003).
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from matching.geo import parse_postcode
from matching.model import (
    CareKind,
    Child,
    HistoryEvent,
    HistoryKind,
    Home,
    HomeType,
    ResidentialReason,
    SplitReason,
    Urgency,
    Wishes,
)
from matching.scenario import ChildIn, HomeIn, age_on

__all__ = [
    "HOME_FIELDS",
    "child_domain",
    "child_fields",
    "child_values",
    "home_domain",
    "home_fields",
    "home_values",
]

HOME_FIELDS = tuple(HomeIn.model_fields)
CHILD_FIELDS = tuple(f for f in ChildIn.model_fields if f != "siblings")


def home_values(body: HomeIn, home: Home) -> dict[str, Any]:
    """Column values of a validated home; the postcode as its PC4 (see the module docstring)."""
    values = body.model_dump(mode="python")
    values["type"] = body.type.value
    values["postcode"] = home.postcode.pc4
    values["capabilities"] = dict(body.capabilities)
    values["languages"] = list(body.languages)
    values["known_to"] = list(body.known_to)
    values["care_kinds"] = [k.value for k in body.care_kinds] if body.care_kinds else None
    # Any change by the provider answers a request to check the free beds.
    values["beds_check_requested_at"] = None
    return values


def home_fields(row: Any) -> dict[str, Any]:
    """The scenario home object of a stored row (a ``HomeRow`` or a plain row)."""
    return {name: getattr(row, name) for name in HOME_FIELDS}


@functools.lru_cache(maxsize=8192)
def _decoded(text: str) -> Any:
    # Shared between homes: home_domain only reads it, building its own containers.
    return json.loads(text)


def _json(value: Any) -> Any:
    """A JSON column's value: already decoded (ORM rows) or its text (scenario rows)."""
    return _decoded(value) if isinstance(value, str) else value


def home_domain(row: Any) -> Home:
    """The domain home the engine sees: beds held by open proposals are not free.

    ``row`` is a plain row of :meth:`~api.db.repositories.HomeRepository.candidate_rows`;
    the same values give the same (immutable) home, so a ranking reuses the homes that
    have not changed since the last one instead of mapping thousands of rows again.
    """
    return _home_of(tuple(row._fields), tuple(row))


@functools.lru_cache(maxsize=16_384)  # a national candidate set is about 2,300 homes
def _home_of(fields: tuple[str, ...], values: tuple[Any, ...]) -> Home:
    return _map_home(types.SimpleNamespace(**dict(zip(fields, values, strict=True))))


def _map_home(row: Any) -> Home:
    capabilities: dict[str, Any] = _json(row.capabilities)
    return Home(
        id=row.id,
        organisation=row.organisation,
        type=HomeType(row.type),
        postcode=parse_postcode(row.postcode),
        beds_free=row.beds_free - row.beds_held,
        age_min=row.age_min,
        age_max=row.age_max,
        max_siblings=row.max_siblings,
        capabilities={k: int(v) for k, v in capabilities.items() if v},
        religion=row.religion,
        languages=tuple(_json(row.languages)),
        available_from=row.available_from,
        available_until=row.available_until,
        known_to=frozenset(_json(row.known_to)),
        **(
            {"care_kinds": frozenset(CareKind(k) for k in kinds)}
            if (kinds := _json(row.care_kinds))
            else {}
        ),
        part_time_places_free=None
        if row.part_time_places_free is None
        else row.part_time_places_free - row.part_time_held,
    )


def child_values(body: ChildIn, child: Child) -> dict[str, Any]:
    """Column values of a validated child (siblings are stored as links, not here)."""
    values = body.model_dump(mode="python", exclude={"siblings"})
    values["parents_postcode"] = child.parents_postcode.pc4
    values["school_postcode"] = child.school_postcode.pc4 if child.school_postcode else None
    values["split_reason"] = body.split_reason.value if body.split_reason else None
    values["urgency"] = body.urgency.value
    values["needs"] = dict(body.needs)
    values["keep_apart"] = list(body.keep_apart)
    values["languages"] = list(body.languages)
    values["care_kind"] = body.care_kind.value if body.care_kind else None
    values["residential_reason"] = (
        body.residential_reason.value if body.residential_reason else None
    )
    # JSON columns hold JSON: dates as ISO text.
    values["history"] = [e.model_dump(mode="json") for e in body.history]
    values["wishes"] = body.wishes.model_dump(mode="json") if body.wishes else None
    return values


def child_fields(row: Any, siblings: Collection[str]) -> dict[str, Any]:
    """The scenario child object of a stored row, with its direct siblings sorted."""
    fields = {name: getattr(row, name) for name in CHILD_FIELDS}
    fields["siblings"] = sorted(siblings)
    return fields


def child_domain(
    row: Any, siblings: Collection[str], known: Collection[str], reference_date: date
) -> Child:
    """The domain child on ``reference_date``; references outside ``known`` are dropped so
    that the scenario the engine sees is always closed."""
    age = row.age
    if row.birth_date is not None:
        age = age_on(row.birth_date, reference_date)
    needs: Mapping[str, Any] = row.needs
    return Child(
        id=row.id,
        age=int(age if age is not None else 0),
        parents_postcode=parse_postcode(row.parents_postcode),
        birth_date=row.birth_date,
        school_postcode=parse_postcode(row.school_postcode) if row.school_postcode else None,
        siblings=frozenset(s for s in siblings if s in known),
        split_reason=SplitReason(row.split_reason) if row.split_reason else None,
        split_note=row.split_note,
        keep_apart=frozenset(c for c in row.keep_apart if c in known),
        needs={k: int(v) for k, v in needs.items() if v},
        urgency=Urgency(row.urgency),
        min_distance_from_parents_km=row.min_distance_from_parents_km,
        religion=row.religion,
        languages=tuple(row.languages),
        current_home=row.current_home,
        care_kind=CareKind(row.care_kind) if row.care_kind else None,
        waiting_since=row.waiting_since,
        history=tuple(
            HistoryEvent(
                e["home_id"],
                HistoryKind(e["event"]),
                date.fromisoformat(e["date"]),
                e.get("reason"),
            )
            for e in (row.history or ())
        ),
        wishes=_wishes(row.wishes),
        residential_reason=(
            ResidentialReason(row.residential_reason) if row.residential_reason else None
        ),
        residential_note=row.residential_note,
    )


def _wishes(stored: Mapping[str, Any] | None) -> Wishes | None:
    if stored is None:
        return None
    heard = stored.get("heard_on")
    return Wishes(
        tuple(stored.get("priorities", ())),
        stored.get("note"),
        date.fromisoformat(heard) if heard else None,
    )
