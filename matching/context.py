"""Precomputed facts about a scenario that both the per-pair and the bulk path read.

Locations, municipalities, current residents and placement units are derived once, so
that the two paths cannot disagree about the data they start from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from matching.geo import (
    FloatArray,
    Location,
    PostcodeTable,
    engine_km,
    postcode_table,
)
from matching.model import CARE_DOMAINS, PROTECTIVE_SPLITS, CareKind, Child, Home, Scenario
from matching.policy import Policy
from matching.siblings import Unit, placement_units

__all__ = ["Context"]

IndexArray = NDArray[np.intp]


@dataclass(frozen=True)
class Context:
    scenario: Scenario
    table: PostcodeTable

    @classmethod
    def of(cls, scenario: Scenario) -> Context:
        return cls(scenario, postcode_table())

    @property
    def policy(self) -> Policy:
        return self.scenario.policy

    @cached_property
    def units(self) -> tuple[Unit, ...]:
        sc = self.scenario
        return tuple(placement_units(sc.children, [r.id for r in sc.residents]))

    @cached_property
    def unit_of(self) -> Mapping[str, Unit]:
        return {cid: u for u in self.units for cid in u.members}

    @cached_property
    def residents(self) -> Mapping[str, frozenset[str]]:
        """Children in the scenario who live in a home now (their ``current_home``)."""
        out: dict[str, set[str]] = {}
        for c in self.scenario.children:
            if c.current_home is not None:
                out.setdefault(c.current_home, set()).add(c.id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def lives_in(self) -> Mapping[str, frozenset[str]]:
        """Where each child lives now (or is about to): waiting children with a
        ``current_home`` and every :class:`~matching.model.Resident`."""
        out: dict[str, set[str]] = {}
        for c in self.scenario.children:
            if c.current_home is not None:
                out.setdefault(c.id, set()).add(c.current_home)
        for r in self.scenario.residents:
            out.setdefault(r.id, set()).add(r.home_id)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def occupants(self) -> Mapping[str, frozenset[str]]:
        """Everyone who lives in each home, waiting or not: what keep-apart checks against."""
        out: dict[str, set[str]] = {}
        for cid, homes in self.lives_in.items():
            for hid in homes:
                out.setdefault(hid, set()).add(cid)
        return {k: frozenset(v) for k, v in out.items()}

    @cached_property
    def keep_apart(self) -> Mapping[str, frozenset[str]]:
        """Keep-apart as a symmetric relation: listed by either child is enough (safety).
        Residents' lists count too, and so does a protective split reason
        (:data:`~matching.model.PROTECTIVE_SPLITS`): such a child is kept apart from each
        of its brothers and sisters."""
        listed = [(c.id, c.keep_apart) for c in self.scenario.children]
        listed += [(r.id, r.keep_apart) for r in self.scenario.residents]
        listed += [
            (c.id, frozenset(self.unit_of[c.id].group) - {c.id})
            for c in self.scenario.children
            if c.split_reason in PROTECTIVE_SPLITS
        ]
        out: dict[str, set[str]] = {c.id: set() for c in self.scenario.children}
        for cid, others in listed:
            out.setdefault(cid, set()).update(others)
            for other in others:
                out.setdefault(other, set()).add(cid)
        return {k: frozenset(v) for k, v in out.items()}

    def home_location(self, home: Home) -> Location:
        return self.table.locate(home.postcode)

    def parents_location(self, child: Child) -> Location:
        return self.table.locate(child.parents_postcode)

    def school_location(self, child: Child) -> Location | None:
        return None if child.school_postcode is None else self.table.locate(child.school_postcode)

    def is_candidate(self, home: Home) -> bool:
        """A registered home is a candidate if it has a free place (a bed or a part-time
        place) or someone lives there now."""
        return home.has_places() or home.id in self.residents

    @cached_property
    def part_time_units(self) -> frozenset[tuple[str, ...]]:
        """The units (by members) that come for part-time care: every member needs it. Where
        a home counts part-time places apart, such a unit takes those, not its beds."""
        sc = self.scenario
        return frozenset(
            u.members
            for u in self.units
            if all(sc.child(cid).kind is CareKind.PART_TIME for cid in u.members)
        )

    def takes_part_time(self, unit: Unit) -> bool:
        return unit.members in self.part_time_units

    @cached_property
    def candidate_homes(self) -> tuple[Home, ...]:
        return tuple(h for h in self.scenario.homes if self.is_candidate(h))

    @cached_property
    def candidate_postcodes(self) -> IndexArray:
        """The table index of each candidate home's postcode, in :attr:`candidate_homes` order."""
        return self._postcodes(self.candidate_homes)

    @cached_property
    def specialist_domains(self) -> Mapping[str, frozenset[str]]:
        """Per child, its level-3 domains that no candidate home within the normal distance
        limit can meet: for these it may go further (policy max_distance_specialist_km)."""
        homes, table = self.candidate_homes, self.table
        limits = np.array([self.policy.max_distance_for(h.type) for h in homes], dtype=float)
        # Built once for all children: per home, which domains it meets at level 3, and
        # where it is; a child then measures only to the homes that meet one of its needs.
        intensive_care = np.array(
            [[h.capability(d) >= 3 for d in CARE_DOMAINS] for h in homes], dtype=bool
        ).reshape(len(homes), len(CARE_DOMAINS))
        latitudes = table.latitudes[self.candidate_postcodes]
        longitudes = table.longitudes[self.candidate_postcodes]
        out: dict[str, frozenset[str]] = {}
        for c in self.scenario.children:
            intensive = [i for i, d in enumerate(CARE_DOMAINS) if c.need(d) >= 3]
            if not intensive:
                continue
            able = np.flatnonzero(intensive_care[:, intensive].any(axis=1))
            origin = self.parents_location(c)
            near = able[
                engine_km(origin.latitude, origin.longitude, latitudes[able], longitudes[able])
                <= limits[able]
            ]
            unmet = frozenset(
                CARE_DOMAINS[i].value for i in intensive if not intensive_care[near, i].any()
            )
            if unmet:
                out[c.id] = unmet
        return out

    def specialist_reach(self, child: Child, home: Home) -> bool:
        """Whether ``home`` meets one of the child's unmet intensive needs (may be further)."""
        unmet = self.specialist_domains.get(child.id, frozenset())
        return any(home.capability(d) >= 3 for d in unmet)

    def distances_from(self, origin: Location, homes: tuple[Home, ...]) -> FloatArray:
        """Engine distances (0.1 km) from one point to many homes, vectorised."""
        idx = self.candidate_postcodes if homes is self.candidate_homes else self._postcodes(homes)
        return engine_km(
            origin.latitude,
            origin.longitude,
            self.table.latitudes[idx],
            self.table.longitudes[idx],
        )

    def _postcodes(self, homes: tuple[Home, ...]) -> IndexArray:
        return np.fromiter(
            (self.table.index_of[h.postcode.pc4] for h in homes), dtype=np.intp, count=len(homes)
        )
