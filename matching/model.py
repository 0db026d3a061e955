"""Domain objects of a placement decision: homes, children and the scenario that holds them.

Plain frozen dataclasses that import nothing outside the standard library; loading and
validation live in :mod:`matching.scenario`, so these objects are always valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matching.policy import Policy

__all__ = [
    "CARE_DOMAINS",
    "DEFAULT_CARE_KINDS",
    "FAMILY_LIKE_TYPES",
    "WISH_CRITERIA",
    "CareDomain",
    "CareKind",
    "Child",
    "HistoryEvent",
    "HistoryKind",
    "Home",
    "HomeType",
    "Postcode",
    "Resident",
    "ResidentialReason",
    "Scenario",
    "SplitReason",
    "Urgency",
    "Wishes",
]


class HomeType(StrEnum):
    """The kinds of capacity, in the family-first order of the Youth Act."""

    NETWORK_FOSTER = "network_foster"
    FOSTER = "foster"
    FAMILY_HOME = "family_home"
    SMALL_SCALE = "small_scale"
    RESIDENTIAL = "residential"


FAMILY_LIKE_TYPES = frozenset({HomeType.NETWORK_FOSTER, HomeType.FOSTER, HomeType.FAMILY_HOME})


class CareDomain(StrEnum):
    """The areas of care a child needs (0..3) and a home's carers can handle (0..3);
    ``lvb`` is a mild intellectual disability (licht verstandelijke beperking)."""

    TRAUMA = "trauma"
    BEHAVIOUR = "behaviour"
    MENTAL_HEALTH = "mental_health"
    AUTISM = "autism"
    LVB = "lvb"
    MEDICAL = "medical"
    ADDICTION = "addiction"


CARE_DOMAINS: tuple[CareDomain, ...] = tuple(CareDomain)


class Urgency(StrEnum):
    """A crisis placement must start at once and comes first in a match."""

    CRISIS = "crisis"
    PLANNED = "planned"


class SplitReason(StrEnum):
    """Recorded reasons that allow a sibling group to be placed apart."""

    SPECIALIST_CARE = "specialist_care"
    SIBLING_THREAT = "sibling_threat"
    SEVERE_CONFLICT = "severe_conflict"
    SEXUAL_ABUSE_SUSPECTED = "sexual_abuse_suspected"
    OTHER = "other"


#: The split reasons that protect a child from its brothers and sisters: a child with one of
#: them is never placed in one home with them, as if each were in its ``keep_apart``. With
#: ``specialist_care`` or ``other`` they may be apart, and may still share a home.
PROTECTIVE_SPLITS = frozenset(
    {SplitReason.SIBLING_THREAT, SplitReason.SEVERE_CONFLICT, SplitReason.SEXUAL_ABUSE_SUSPECTED}
)


class CareKind(StrEnum):
    """The kinds of foster and residential care (pleegzorgvormen)."""

    CRISIS = "crisis"
    SHORT_TERM = "short_term"
    LONG_TERM = "long_term"
    PART_TIME = "part_time"


#: What a home offers when it names no kinds: every full-time kind; part-time care
#: (weekends and holidays) is a separate commitment a home must state.
DEFAULT_CARE_KINDS = frozenset({CareKind.CRISIS, CareKind.SHORT_TERM, CareKind.LONG_TERM})


class HistoryKind(StrEnum):
    """What happened between a child and a home before."""

    DECLINED = "declined"
    BREAKDOWN = "breakdown"


class ResidentialReason(StrEnum):
    """Recorded decisions that allow a residential placement (after the expert team)."""

    SPECIALIST_TREATMENT = "specialist_treatment"
    SAFETY = "safety"
    NO_FAMILY_OPTION = "no_family_option"
    OTHER = "other"


#: The criteria a child can name as mattering most (``wishes.priorities``).
WISH_CRITERIA: tuple[str, ...] = (
    "distance_parents",
    "school",
    "siblings",
    "own_municipality",
    "religion",
    "language",
)


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """A home that declined the child, or where its placement broke down: the home is
    not offered to the child again (``reason`` as recorded, shown to the coordinator)."""

    home_id: str
    event: HistoryKind
    date: date
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Wishes:
    """The child's own voice: what matters most to it, and the day it was heard."""

    priorities: tuple[str, ...] = ()
    note: str | None = None
    heard_on: date | None = None


@dataclass(frozen=True, slots=True)
class Postcode:
    """A Dutch postcode as given (PC4 or PC6), located by its PC4."""

    pc4: str
    letters: str | None = None

    @property
    def text(self) -> str:
        """Canonical form: ``6711`` or ``6711AB``."""
        return self.pc4 + (self.letters or "")

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, eq=False, slots=True)
class Home:
    """A unit of capacity; equal by identity (its id), not by its current free beds."""

    id: str
    organisation: str
    type: HomeType
    postcode: Postcode
    beds_free: int
    age_min: int = 0
    age_max: int = 23
    max_siblings: int | None = None
    capabilities: Mapping[str, int] = field(default_factory=dict)
    religion: str | None = None
    languages: tuple[str, ...] = ()
    available_from: date | None = None
    available_until: date | None = None
    known_to: frozenset[str] = frozenset()
    care_kinds: frozenset[CareKind] = DEFAULT_CARE_KINDS
    part_time_places_free: int | None = None
    """Part-time places free (weekends and holidays), counted apart from ``beds_free``;
    ``None``: part-time children take ``beds_free`` like everyone else."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Home) and other.id == self.id

    def places_for(self, part_time: bool) -> int:
        """The free places a unit takes from: the part-time places where the home counts
        them apart and the unit comes for part-time care, else the beds."""
        if part_time and self.part_time_places_free is not None:
            return self.part_time_places_free
        return self.beds_free

    def has_places(self) -> bool:
        """Some place is free, full-time or part-time."""
        return self.beds_free > 0 or bool(self.part_time_places_free)

    def __hash__(self) -> int:
        return hash(("home", self.id))

    def capability(self, domain: str) -> int:
        return self.capabilities.get(domain, 0)

    def available_on(self, day: date) -> bool:
        if self.available_from is not None and day < self.available_from:
            return False
        return not (self.available_until is not None and day > self.available_until)


@dataclass(frozen=True, eq=False, slots=True)
class Child:
    """A waiting child; ``age`` is in whole years on the scenario's reference date."""

    id: str
    age: int
    parents_postcode: Postcode
    birth_date: date | None = None
    school_postcode: Postcode | None = None
    siblings: frozenset[str] = frozenset()
    split_reason: SplitReason | None = None
    split_note: str | None = None
    keep_apart: frozenset[str] = frozenset()
    needs: Mapping[str, int] = field(default_factory=dict)
    urgency: Urgency = Urgency.PLANNED
    min_distance_from_parents_km: float | None = None
    religion: str | None = None
    languages: tuple[str, ...] = ()
    current_home: str | None = None
    care_kind: CareKind | None = None
    waiting_since: date | None = None
    history: tuple[HistoryEvent, ...] = ()
    wishes: Wishes | None = None
    residential_reason: ResidentialReason | None = None
    residential_note: str | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Child) and other.id == self.id

    def __hash__(self) -> int:
        return hash(("child", self.id))

    @property
    def confidential(self) -> bool:
        """A secret placement (geheime plaatsing): the parents' location must never leak."""
        return self.min_distance_from_parents_km is not None

    @property
    def is_crisis(self) -> bool:
        return self.urgency is Urgency.CRISIS

    def need(self, domain: str) -> int:
        return self.needs.get(domain, 0)

    @property
    def kind(self) -> CareKind:
        """The kind of care needed: as recorded, else crisis care for a crisis, else
        long-term care."""
        if self.care_kind is not None:
            return self.care_kind
        return CareKind.CRISIS if self.is_crisis else CareKind.LONG_TERM

    def wishes_for(self, criterion: str) -> bool:
        return self.wishes is not None and criterion in self.wishes.priorities


@dataclass(frozen=True, slots=True)
class Resident:
    """A child who lives in a home, or is about to, and is not on the waiting list.

    Residents take no part in matching and need no bed, but keep-apart holds against
    them: a waiting child is never placed in a home where a child it must be kept apart
    from lives. A child placed apart from its brothers and sisters that names one in its
    ``siblings`` counts it where it lives (protective keep-apart, ``max_siblings``: see
    :func:`matching.siblings.placement_units`). Scenario files describe residents as
    children with ``current_home``; the service, which knows who is placed, passes its
    placed children as residents.
    """

    id: str
    home_id: str
    keep_apart: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Scenario:
    """A validated situation: homes with capacity and the children waiting for a place."""

    reference_date: date
    policy: Policy
    homes: tuple[Home, ...]
    children: tuple[Child, ...]
    residents: tuple[Resident, ...] = ()
    home_by_id: Mapping[str, Home] = field(repr=False, default_factory=dict)
    child_by_id: Mapping[str, Child] = field(repr=False, default_factory=dict)

    @classmethod
    def of(
        cls,
        reference_date: date,
        policy: Policy,
        homes: tuple[Home, ...],
        children: tuple[Child, ...],
        residents: tuple[Resident, ...] = (),
    ) -> Scenario:
        return cls(
            reference_date=reference_date,
            policy=policy,
            homes=homes,
            children=children,
            residents=residents,
            home_by_id={h.id: h for h in homes},
            child_by_id={c.id: c for c in children},
        )

    def home(self, home_id: str) -> Home:
        return self.home_by_id[home_id]

    def child(self, child_id: str) -> Child:
        return self.child_by_id[child_id]
