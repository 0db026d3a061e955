"""The state of one simulated run: who waits, who lives where, which beds are free.

Policies read the waiting list and the offers open to each waiting unit today
(:meth:`RunState.options`) and make offers (:meth:`RunState.offer`); the carers' answer,
the placement, its length and its ending are decided here, alike for every policy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from solver.simulation.events import keyed_uniform
from solver.simulation.world import NEVER, PairSet, World

__all__ = ["Option", "Placement", "RunState", "Waiting"]

WHOLE, SINGLE = 0, 1


@dataclass(slots=True)
class Waiting:
    """A placement unit on the waiting list: a whole sibling group or one child."""

    key: int
    kind: int
    """:data:`WHOLE` (a unit of ``world.whole``) or :data:`SINGLE` (placed apart)."""
    unit: int
    family: int
    children: tuple[int, ...]
    crisis: int
    since: int


@dataclass(frozen=True, slots=True)
class Option:
    """A pair open to a waiting unit today: its home (run index), points and distance."""

    pair: int
    home: int
    score: int
    km: float


@dataclass(slots=True)
class Placement:
    item: Waiting
    home: int
    beds: int
    breakdown: bool


@dataclass
class _Family:
    template: int
    children: tuple[int, ...]
    network: dict[int, int] = field(default_factory=dict)


class RunState:
    """One run under one policy. Day numbers count from the scenario's reference date."""

    def __init__(self, world: World, seed: int, run: int) -> None:
        self.world = world
        self.seed = seed
        self.run = run
        self.beds: list[int] = world.home_beds.tolist()
        self.home_template: list[int] = list(range(len(world.home_ids)))
        self.living: dict[int, set[int]] = {}
        self.families: list[_Family] = []
        self.child_template: list[int] = []
        self.child_family: list[int] = []
        self.child_home: list[int] = []
        self.child_placed: list[bool] = []
        self.forbidden: list[dict[int, int]] = []
        self.waiting: list[Waiting] = []
        self.ends: dict[int, list[Placement]] = {}
        self.offers_made: dict[tuple[int, int], int] = {}
        self.expiries: set[int] = set()
        self.changed = True
        self._keys = 0
        #: ``(day, event, children, home)``: every decline, placement and breakdown, in order.
        self.log: list[tuple[int, str, tuple[int, ...], int]] = []
        # figures
        self.waits: list[int] = []
        self.distances: list[float] = []
        self.moves = 0
        self.first_home: dict[int, int] = {}
        for f in world.initial_families:
            self.add_family(f, 0, initial=True)

    # ---- arrivals and beds -----------------------------------------------------------

    def add_family(self, template: int, day: int, initial: bool = False) -> None:
        w = self.world
        fam = len(self.families)
        children = []
        for c in w.family_members[template]:
            ci = len(self.child_template)
            self.child_template.append(c)
            self.child_family.append(fam)
            home = int(w.child_current_home[c])
            self.child_home.append(home)
            if home >= 0:
                self.living.setdefault(home, set()).add(c)
            self.child_placed.append(False)
            remembered: dict[int, int] = {}
            for h, until in w.child_history[c] if initial else ():
                remembered[h] = max(until, remembered.get(h, -NEVER))
                self.expiries.add(until + 1)  # offered again from the day after
            self.forbidden.append(remembered)
            children.append(ci)
        self.families.append(_Family(template, tuple(children)))
        first = dict(zip(w.family_members[template], children, strict=True))
        for u in w.family_units[template]:
            members = tuple(first[c] for c in w.whole.unit_members[u])
            since = min(int(w.child_wait_start[c]) for c in w.whole.unit_members[u])
            crisis = sum(bool(w.child_crisis[c]) for c in w.whole.unit_members[u])
            self._enqueue(WHOLE, u, fam, members, crisis, since if initial else day)
        self.changed = True

    def _enqueue(
        self, kind: int, unit: int, fam: int, children: tuple[int, ...], crisis: int, since: int
    ) -> None:
        self.waiting.append(Waiting(self._keys, kind, unit, fam, children, crisis, since))
        self._keys += 1

    def open_bed(self, home: int) -> None:
        if self.beds[home] < int(self.world.home_cap[home]):
            self.beds[home] += 1
            self.changed = True

    def pairs(self, item: Waiting) -> PairSet:
        return self.world.whole if item.kind == WHOLE else self.world.single

    def _run_home(self, family: int, home: int) -> int:
        """The run's home for a template home: a network home is the family's own copy."""
        if not self.world.home_network[home]:
            return home
        fam = self.families[family]
        if home not in fam.network:
            fam.network[home] = len(self.beds)
            self.beds.append(int(self.world.home_beds[home]))
            self.home_template.append(home)
        return fam.network[home]

    # ---- what a unit may be offered today ----------------------------------------------

    def waiting_points(self, item: Waiting, day: int) -> int:
        w = self.world
        return sum(
            min(w.waiting_cap, w.waiting_per_week * max(0, (day - item.since) // 7))
            for _ in item.children
        )

    def options(self, item: Waiting, day: int) -> list[Option]:
        """Every pair open to ``item`` today: a free bed, an open window, no memory of a
        decline or breakdown, nobody to keep apart from living there."""
        w = self.world
        ps = self.pairs(item)
        bonus = self.waiting_points(item, day)
        apart: frozenset[int] = frozenset().union(
            *(w.child_keep_apart[self.child_template[c]] for c in item.children)
        )
        out = []
        for p in ps.pairs_of(item.unit).tolist():
            h = int(ps.pair_home[p])
            if not w.available(h, day):
                continue
            g = self._run_home(item.family, h)
            if self.beds[g] < int(ps.pair_beds[p]):
                continue
            if any(self.forbidden[c].get(g, -NEVER) >= day for c in item.children):
                continue
            if apart and apart & self.living.get(g, set()):
                continue
            out.append(Option(p, g, int(ps.pair_score[p]) + bonus, float(ps.pair_km[p])))
        return out

    # ---- offers and placements ---------------------------------------------------------

    def offer(self, item: Waiting, option: Option, day: int) -> bool:
        """Propose ``option`` to its carers; on a yes the unit is placed (True)."""
        w = self.world
        h = self.home_template[option.home]
        n = self.offers_made.get((item.family, option.home), 0)
        self.offers_made[(item.family, option.home)] = n + 1
        ps = self.pairs(item)
        stays = int(ps.pair_beds[option.pair]) == 0  # its current home: nobody to ask
        u = keyed_uniform(self.seed, self.run, "decline", item.family, item.kind, item.unit, h, n)
        if not stays and u < w.assumptions.decline_rate:
            until = day + w.decline_memory_days
            for c in item.children:
                self.forbidden[c][option.home] = until
            self.expiries.add(until + 1)
            self.log.append((day, "declined", item.children, option.home))
            return False
        self._place(item, option, day, stays)
        return True

    def _place(self, item: Waiting, option: Option, day: int, stays: bool) -> None:
        w = self.world
        ps = self.pairs(item)
        beds = int(ps.pair_beds[option.pair])
        self.beds[option.home] -= beds
        self.waiting.remove(item)
        self.log.append((day, "placed", item.children, option.home))
        km = {
            int(ps.member_child[m]): float(ps.member_km[m])
            for m in ps.members_of_pair(option.pair).tolist()
        }
        living = self.living.setdefault(option.home, set())
        for c in item.children:
            t = self.child_template[c]
            before = self.child_home[c]
            if before >= 0 and before != option.home:
                self.moves += 1
                self.living.get(before, set()).discard(t)
                if int(w.child_current_home[t]) == before and not self.child_placed[c]:
                    self.open_bed(before)  # its own bed, not counted in beds_free
            self.child_home[c] = option.home
            self.child_placed[c] = True
            self.first_home.setdefault(c, option.home)
            living.add(t)
            self.waits.append(day - item.since)
            self.distances.append(km[t])
        if stays:
            return
        end, breakdown = self._ending(item, option, day)
        self.ends.setdefault(end, []).append(Placement(item, option.home, beds, breakdown))

    def _ending(self, item: Waiting, option: Option, day: int) -> tuple[int, bool]:
        w = self.world
        a = w.assumptions
        h = self.home_template[option.home]
        key = (item.family, item.kind, item.unit, h, self.offers_made[(item.family, option.home)])
        kind = w.child_kind[self.child_template[item.children[0]]]
        u = keyed_uniform(self.seed, self.run, "stay", *key)
        if kind == "long_term":
            youngest = min(int(w.child_age[self.child_template[c]]) for c in item.children)
            stay = max(30, (a.long_term_until_age - youngest) * 365)
        else:
            mean = {
                "crisis": a.stay_crisis_days,
                "short_term": a.stay_short_term_days,
                "part_time": a.stay_part_time_days,
            }[kind]
            stay = max(1, math.ceil(-mean * math.log1p(-u)))
        risk = a.breakdown_base
        if w.home_type[h] in ("small_scale", "residential"):
            risk += a.breakdown_group_extra
        if option.km > a.far_km:
            risk += a.breakdown_far_extra
        if keyed_uniform(self.seed, self.run, "breakdown", *key) < risk:
            lo, hi = a.breakdown_after_days
            after = lo + int(keyed_uniform(self.seed, self.run, "when", *key) * (hi - lo + 1))
            if after < stay:
                return day + max(1, after), True
        return day + stay, False

    def end_placements(self, day: int) -> None:
        """Placements ending today: the bed comes free; after a breakdown the unit waits
        again, as a crisis, never again offered that home."""
        for pl in self.ends.pop(day, ()):
            self.beds[pl.home] += pl.beds
            there = self.living.get(pl.home, set())
            for c in pl.item.children:
                there.discard(self.child_template[c])
                if pl.breakdown:
                    self.forbidden[c][pl.home] = NEVER
                else:
                    self.child_home[c] = -1
            if pl.breakdown:
                self.log.append((day, "breakdown", pl.item.children, pl.home))
                it = pl.item
                self._enqueue(it.kind, it.unit, it.family, it.children, len(it.children), day)
            self.changed = True
        if day in self.expiries:
            self.changed = True

    def ordered_waiting(self) -> list[Waiting]:
        """First come, first served: crisis first, then the longest wait."""
        return sorted(self.waiting, key=lambda it: (it.crisis == 0, it.since, it.key))

    def split(self, item: Waiting) -> list[Waiting]:
        """Replace a waiting sibling group by its members, each to be placed apart."""
        w = self.world
        self.waiting.remove(item)
        out = []
        for c in item.children:
            t = self.child_template[c]
            self._enqueue(
                SINGLE,
                int(w.single_unit_of_child[t]),
                item.family,
                (c,),
                int(bool(w.child_crisis[t]) or item.crisis == len(item.children)),
                item.since,
            )
            out.append(self.waiting[-1])
        self.changed = True
        return out
