"""Proximity audit for municipalities: how close to home children are placed, in aggregates.

Input is a list of placement facts (one per child placed) and waiting-list facts; output
is a table of cells in which no cell describes fewer than :data:`MIN_CELL` children:

- a count below the threshold is shown as ``<5``;
- a share is shown only if both the children it counts and the children it leaves out
  number at least the threshold (97 % of 100 would reveal 3 children);
- a percentile is shown only if at least the threshold of children lie on each side;
- in a partition that adds up to a shown total (types of home, months within quarters,
  sibling groups and split reasons, distance bands with the shares within 5, 10 and
  25 km), one suppressed cell could be recovered by subtraction, so other cells are
  suppressed too (secondary suppression) until no small cell can be worked out; such a
  cell is marked ``secondary``, since it hides no small number itself
  (``SUPPRESSED_SECONDARY`` in a CSV file, its own words on a page). Where that cannot
  protect a small cell (4 and 4 of 8), the partition's cells are *withheld*: all read as
  secondary and say nothing of their size, while the total stays (it is published
  elsewhere too, so hiding it would not help);
- a period in which nobody was placed (a true zero, such as the months before the data
  starts) is published as 0: it describes no child.

No child identifier ever leaves this module: records carry an opaque reference only so
that sibling groups can be counted.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from matching.model import FAMILY_LIKE_TYPES, CareKind, HomeType, SplitReason

__all__ = [
    "DISTANCE_EDGES",
    "MIN_CELL",
    "REGIONS",
    "SUPPRESSED",
    "SUPPRESSED_SECONDARY",
    "WAITING_BANDS",
    "WAITING_DIMENSIONS",
    "WITHIN_KM",
    "AuditReport",
    "Cell",
    "EndReason",
    "PlacementFact",
    "WaitingFact",
    "audit",
    "count_cell",
    "distance_band",
    "histogram",
    "secondary_suppression",
    "suppress_partition",
    "suppress_sums",
    "within_cells",
    "within_km",
]

MIN_CELL = 5
SUPPRESSED = "<5"
#: A cell of 5 or more hidden so that a small cell beside it cannot be worked out from the
#: total (secondary suppression); files write it so, never as the false "<5".
SUPPRESSED_SECONDARY = "hidden"

#: The distance chart's band edges (km); each of :data:`WITHIN_KM` is one of them, so that
#: the shares within those distances are sums of the first bands and are protected with them.
DISTANCE_EDGES: tuple[float, ...] = (0.0, 5.0, 10.0, 25.0, 50.0)
#: The distances of the shares ``share_within_{km}km``.
WITHIN_KM: tuple[int, ...] = (5, 10, 25)

# Youth-care regions (jeugdzorgregio's) by their municipalities' CBS codes.
REGIONS: dict[str, tuple[str, ...]] = {
    "foodvalley": ("0203", "0228", "0267", "0279", "0289", "0339", "0340", "0345"),
}


class EndReason(StrEnum):
    """Why a placement ended; ``breakdown`` is the outcome a municipality must watch."""

    RETURN_HOME = "return_home"
    INDEPENDENCE = "independence"
    BREAKDOWN = "breakdown"
    MOVE = "move"


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a child went (or, for the engine, would have gone)."""

    home_type: HomeType
    distance_km: float
    same_municipality: bool
    keeps_school: bool | None  # None: no school to keep (too young, or none recorded)
    together: bool | None = None  # with all siblings; None: no siblings (or not recorded)


@dataclass(frozen=True, slots=True)
class PlacementFact:
    """One child's placement as the audit sees it: facts, no identity."""

    ref: str
    municipality: str  # CBS code of the parents' municipality
    start_date: date
    actual: Outcome
    engine: Outcome | None = None  # the engine's proposal at the time, if one was recorded
    sibling_group: str | None = None  # opaque key shared by siblings placed in this period
    together: bool | None = None  # placed with all siblings of the group
    split_reason: SplitReason | None = None
    end_date: date | None = None
    end_reason: EndReason | None = None


@dataclass(frozen=True, slots=True)
class WaitingFact:
    """A child on the waiting list, with the traits the fairness view groups by."""

    ref: str
    municipality: str
    waiting_since: date
    placed_on: date | None = None
    age: int | None = None
    care_level: int | None = None  # the child's highest need level, 0..3
    sibling_group_size: int | None = None
    care_kind: str | None = None


#: The groups the waiting time is shown by (fairness: who waits longest), band by band.
WAITING_DIMENSIONS: tuple[str, ...] = ("age_band", "care_level", "sibling_group_size", "care_kind")


#: Every band of each dimension, listed whether or not a child is in it: a band listed
#: only when it has children would tell that it has some, and five listed bands of a
#: total of five would each hold exactly one. "unknown" gathers missing data.
WAITING_BANDS: dict[str, tuple[str, ...]] = {
    "age_band": ("0-3", "4-11", "12-17", "18+", "unknown"),
    "care_level": ("0", "1", "2", "3", "unknown"),
    "sibling_group_size": ("1", "2", "3+", "unknown"),
    "care_kind": (*(k.value for k in CareKind), "unknown"),
}


def _band(w: WaitingFact, dimension: str) -> str:
    if dimension == "age_band":
        if w.age is None:
            return "unknown"
        return "0-3" if w.age < 4 else "4-11" if w.age < 12 else "12-17" if w.age < 18 else "18+"
    if dimension == "care_level":
        return "unknown" if w.care_level is None else str(w.care_level)
    if dimension == "sibling_group_size":
        n = w.sibling_group_size
        return "unknown" if n is None else str(n) if n < 3 else "3+"
    return w.care_kind or "unknown"


def _waiting_by(
    still: Sequence[WaitingFact], period_to: date, total_shown: bool
) -> dict[str, list[tuple[str, Cell, Cell]]]:
    """Per dimension and band: children waiting at the end and their median wait, with the
    same suppression as every other cell (bands partition the waiting children)."""
    out: dict[str, list[tuple[str, Cell, Cell]]] = {}
    for dimension in WAITING_DIMENSIONS:
        bands: dict[str, list[int]] = {}
        for w in still:
            bands.setdefault(_band(w, dimension), []).append((period_to - w.waiting_since).days)
        names = [*WAITING_BANDS[dimension], *sorted(set(bands) - set(WAITING_BANDS[dimension]))]
        counts = secondary_suppression(
            [count_cell(b, len(bands.get(b, []))) for b in names], total_shown
        )
        rows = []
        for name, count in zip(names, counts, strict=True):
            median = _median_days("waiting_days_median", bands.get(name, []))
            if count.suppressed:
                median = median.hidden_like(count)
            rows.append((name, count, median))
        out[dimension] = rows
    return out


@dataclass(frozen=True, slots=True)
class Cell:
    """One published number: its value, or suppressed."""

    metric: str
    value: float | int | None
    suppressed: bool = False
    unit: str = ""
    # Hidden only to protect a small cell beside it (secondary suppression), not small.
    secondary: bool = False
    # Withheld with its partition where hiding cells one by one could not protect a small
    # one (see :meth:`withhold`): it reads as ``secondary`` but says nothing of its size.
    withheld: bool = False

    @property
    def shown(self) -> float | int | str | None:
        """The value, or ``<5`` when hidden for any reason (the JSON API's contract)."""
        return SUPPRESSED if self.suppressed else self.value

    @property
    def written(self) -> float | int | str | None:
        """The value as a file writes it: ``<5``, or ``hidden`` for a secondary cell."""
        if self.suppressed and self.secondary:
            return SUPPRESSED_SECONDARY
        return self.shown

    def hidden_like(self, other: Cell) -> Cell:
        """This cell hidden for ``other``'s reason (a share hidden with its count)."""
        return self.withhold() if other.withheld else self.hidden(secondary=other.secondary)

    def hidden(self, *, secondary: bool) -> Cell:
        """This cell hidden: to protect another (``secondary``), or as small; a cell
        already hidden as small (or withheld) stays so."""
        if self.withheld or (self.suppressed and not self.secondary):
            return self
        return Cell(self.metric, self.value, True, self.unit, secondary)

    def withhold(self) -> Cell:
        """This cell withheld with the rest of its partition: where even hiding every
        other cell leaves a small one determined (4 and 4 of a shown 8), the words "fewer
        than 5" would give it away, so every cell of the partition reads as hidden to
        protect a small group, small or not, and keeps no value."""
        return Cell(self.metric, None, True, self.unit, secondary=True, withheld=True)

    def to_json(self) -> dict[str, Any]:
        return {"metric": self.metric, "value": self.shown, "unit": self.unit}


@dataclass(frozen=True)
class AuditReport:
    municipalities: tuple[str, ...]
    period_from: date
    period_to: date
    practice: tuple[Cell, ...]
    engine: tuple[Cell, ...]
    monthly: tuple[tuple[str, Cell, Cell], ...]  # month, placed, share within 10 km
    split_reasons: tuple[Cell, ...]
    distances: tuple[float, ...] = field(repr=False, default=())  # for charts, binned later
    waiting_by: dict[str, list[tuple[str, Cell, Cell]]] = field(default_factory=dict)
    # Practice over only the children that have an engine counterpart, so the two columns
    # compare the same children; quarters keep a trend readable where months are too small.
    paired_practice: tuple[Cell, ...] = ()
    engine_distances: tuple[float, ...] = field(repr=False, default=())
    paired_distances: tuple[float, ...] = field(repr=False, default=())
    quarterly: tuple[tuple[str, Cell, Cell], ...] = ()  # quarter, placed, share within 10 km
    # Children per band of DISTANCE_EDGES, suppressed with the shares within 5, 10, 25 km.
    distance_bands: tuple[Cell, ...] = ()
    paired_distance_bands: tuple[Cell, ...] = ()
    engine_distance_bands: tuple[Cell, ...] = ()

    def cell(self, metric: str, engine: bool = False) -> Cell:
        for c in self.engine if engine else self.practice:
            if c.metric == metric:
                return c
        raise KeyError(metric)

    def cut(self, period: str) -> tuple[bool, bool]:
        """Whether the report's dates cut ``period`` (a month '2026-04' or a quarter
        '2026-Q2') at its start and at its end: its figures then count only part of its
        days and read as a dip. The chart, the page ('deels'), ``monthly.csv`` and the JSON
        answer (``partial``) all ask this."""
        first, last = _period_days(period)
        return self.period_from > first, self.period_to < last

    def partial(self, period: str) -> bool:
        """Whether the report's dates cut ``period`` at either end (see :meth:`cut`)."""
        return any(self.cut(period))

    def to_json(self) -> dict[str, Any]:
        return {
            "municipalities": list(self.municipalities),
            "from": self.period_from.isoformat(),
            "to": self.period_to.isoformat(),
            "min_cell": MIN_CELL,
            "suppressed_as": SUPPRESSED,
            "practice": {c.metric: c.shown for c in self.practice},
            "engine": {c.metric: c.shown for c in self.engine},
            "split_reasons": {c.metric: c.shown for c in self.split_reasons},
            "monthly": [
                {
                    "month": m,
                    "placed": placed.shown,
                    "share_within_10km": share.shown,
                    "partial": self.partial(m),
                }
                for m, placed, share in self.monthly
            ],
            "waiting_by": {
                dimension: [
                    {"band": band, "waiting": n.shown, "waiting_days_median": median.shown}
                    for band, n, median in rows
                ]
                for dimension, rows in self.waiting_by.items()
            },
        }


def _period_days(period: str) -> tuple[date, date]:
    """The first and last day of a month ('2026-04') or a quarter ('2026-Q2')."""
    if "-Q" in period:
        year, q = (int(x) for x in period.split("-Q"))
        first, months = date(year, 3 * q - 2, 1), 3
    else:
        year, month = (int(x) for x in period.split("-")[:2])
        first, months = date(year, month, 1), 1
    nxt = first.month - 1 + months
    following = date(first.year + nxt // 12, nxt % 12 + 1, 1)
    return first, following - timedelta(days=1)


# ---------------------------------------------------------------------------------------
# Cells with primary suppression


def count_cell(metric: str, n: int) -> Cell:
    """A count of children, suppressed below :data:`MIN_CELL` (also used by the planning
    answers a municipality reads, so that both publish small numbers the same way)."""
    return Cell(metric, n, suppressed=n < MIN_CELL, unit="children")


def _share(metric: str, hits: int, total: int) -> Cell:
    if total == 0:
        return Cell(metric, None, suppressed=True, unit="share")
    ok = hits >= MIN_CELL and total - hits >= MIN_CELL
    return Cell(metric, round(hits / total, 3), suppressed=not ok, unit="share")


def _percentile(metric: str, values: Sequence[float], p: float) -> Cell:
    n = len(values)
    ok = n > 0 and min(n * p, n * (1 - p)) >= MIN_CELL
    if not ok:
        return Cell(metric, None, suppressed=True, unit="km")
    q = statistics.quantiles(values, n=100, method="inclusive")[round(p * 100) - 1]
    return Cell(metric, round(q, 1), unit="km")


def _median_days(metric: str, days: Sequence[int]) -> Cell:
    ok = len(days) * 0.5 >= MIN_CELL  # at least the threshold on each side of the median
    return Cell(metric, statistics.median(days) if ok else None, suppressed=not ok, unit="days")


def _primary_range(cell: Cell, zeros_shown: bool) -> tuple[float, float]:
    """What a reader knows of a hidden cell from its words: a small one holds 1-4 children
    (0-4 where a zero is hidden too), a secondary one at least the threshold."""
    if cell.secondary:
        return float(MIN_CELL), math.inf
    return (1.0 if zeros_shown else 0.0), float(MIN_CELL - 1)


def _small_cell_derivable(cells: Sequence[Cell], total: float, zeros_shown: bool) -> bool:
    """Whether the shown total and cells pin down a small hidden cell of 1-4 children
    exactly: each hidden cell lies in its range and together they make up the rest."""
    hidden = [c for c in cells if c.suppressed]
    rest = total - sum(float(c.value or 0) for c in cells if not c.suppressed)
    ranges = [_primary_range(c, zeros_shown) for c in hidden]
    low_sum, high_sum = sum(lo for lo, _ in ranges), sum(hi for _, hi in ranges)
    for c, (lo, hi) in zip(hidden, ranges, strict=True):
        if c.secondary:
            continue
        least = max(lo, rest - (high_sum - hi))
        most = min(hi, rest - (low_sum - lo))
        if least >= most >= 1:  # one value, and not nobody: a zero describes no child
            return True
    return False


def suppress_partition(cells: list[Cell], zeros_shown: bool = False) -> tuple[list[Cell], bool]:
    """Secondary suppression of ``cells`` that partition a total: the smallest shown cells
    (never a shown zero, which everybody could guess) are hidden until no small hidden
    cell can be worked out from the total and the rest. Returns the cells and whether the
    total may still be shown: where even hiding every other cell leaves a small one
    determined (two cells of 4 making 8), the total must be hidden too."""
    total = float(sum(c.value or 0 for c in cells))
    out = list(cells)
    while any(c.suppressed for c in out) and _small_cell_derivable(out, total, zeros_shown):
        open_cells = [c for c in out if not c.suppressed and (c.value or 0) > 0]
        if not open_cells:
            return out, False
        smallest = min(open_cells, key=lambda c: (c.value or 0, c.metric))
        out = [
            Cell(c.metric, c.value, True, c.unit, secondary=True) if c is smallest else c
            for c in out
        ]
    return out, True


def _pinned(
    names: Sequence[str],
    cells: Sequence[tuple[Cell, Mapping[str, int]]],
    target: Mapping[str, int],
    value: int,
) -> bool:
    """Whether the shown cells and what the hidden ones' words say (``<5``: at most 4; one
    hidden to protect another: at least 5) leave ``target`` no value but ``value``, over
    every count of children (whole numbers, none negative) that fits them."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows, low, high = [], [], []
    for cell, coef in cells:
        v = float(cell.value or 0)
        rows.append([coef.get(n, 0) for n in names])
        if not cell.suppressed:
            low.append(v)
            high.append(v)
        elif cell.secondary:
            low.append(float(MIN_CELL))
            high.append(math.inf)
        else:  # a gain can be negative: the reader is granted the sign
            low.append(min(0.0, v))
            high.append(float(MIN_CELL - 1))
    rows.append([target.get(n, 0) for n in names])
    for lo, hi in ((-math.inf, value - 1.0), (value + 1.0, math.inf)):
        res = milp(
            c=[0.0] * len(names),
            constraints=LinearConstraint(rows, [*low, lo], [*high, hi]),
            integrality=[1] * len(names),
            bounds=Bounds(0, math.inf),
        )
        if res.status == 0:  # another value fits
            return False
    return True


def suppress_sums(
    atoms: Mapping[str, int],
    cells: Sequence[tuple[Cell, Mapping[str, int]]],
    counts: Iterable[Mapping[str, int]] = (),
    fixed: Iterable[str] = (),
) -> list[Cell]:
    """Secondary suppression of counts linked in more ways than one partition.

    ``atoms`` are disjoint counts of children that everything is made of (placed before
    and after, in crisis or not, ...), never published themselves; each of ``cells`` is a
    published count, ``coef`` saying how it is made of atoms (``after - before`` is
    ``{"new": 1, "gave_way": -1}``); ``counts`` are further counts of children that the
    cells could give away (children still waiting, children not in crisis). The smallest
    shown cells are hidden (``secondary``) until no count of 1-4 children, published or
    not, is left one value by the shown cells and the hidden cells' words, checked exactly
    (a small integer program per count). Cells named in ``fixed`` are published elsewhere
    as they are and are never hidden here. Metrics must be distinct.
    """
    names = list(atoms)

    def value(coef: Mapping[str, int]) -> int:
        return sum(k * atoms[n] for n, k in coef.items())

    out = list(cells)
    targets = [coef for _, coef in cells] + list(counts)
    small = [(t, v) for t in targets if 1 <= abs(v := value(t)) < MIN_CELL]
    keep = set(fixed)
    while any(_pinned(names, out, t, v) for t, v in small):
        open_cells = [
            i
            for i, (c, _) in enumerate(out)
            if not c.suppressed and (c.value or 0) > 0 and c.metric not in keep
        ]
        if not open_cells:
            break
        i = min(open_cells, key=lambda i: (out[i][0].value or 0, out[i][0].metric))
        out[i] = (out[i][0].hidden(secondary=True), out[i][1])
    return [c for c, _ in out]


def secondary_suppression(
    cells: list[Cell], total_shown: bool, zeros_shown: bool = False
) -> list[Cell]:
    """Suppress further cells where a suppressed one could be derived (``cells`` partition
    a total, shown when ``total_shown``; see :func:`suppress_partition`); where that cannot
    protect a small cell, withhold every hidden cell of the partition (:meth:`Cell.withhold`):
    its total is published in other places too (another column over the same children,
    another partition of them), so hiding the total would not keep the small cells."""
    if not total_shown:
        return cells
    out, total_ok = suppress_partition(cells, zeros_shown)
    return out if total_ok else [c.withhold() if c.suppressed else c for c in out]


# ---------------------------------------------------------------------------------------
# Counts that add up to others: what a reader can work out, and what to hide against it


def _narrow(
    ranges: dict[str, tuple[float, float]], sums: Sequence[tuple[str, Sequence[str]]]
) -> dict[str, tuple[float, float]]:
    """Each count's range once the sums are used, as a reader would: a total lies between
    the least and the most its parts can make, a part between the total less the most and
    the total less the least of the others; repeated until nothing narrows. Exact (every
    value left in a range is possible) for sums that pairwise share at most one count and
    form no cycle, as every use here does."""
    r = dict(ranges)
    for _ in range(10_000):  # settles in a few rounds on a tree of sums; a bound all the same
        changed = False
        for total, parts in sums:
            los = [r[p][0] for p in parts]
            his = [r[p][1] for p in parts]
            unbounded = sum(1 for h in his if h == math.inf)
            finite = sum(h for h in his if h != math.inf)
            lo_t = max(r[total][0], sum(los))
            hi_t = min(r[total][1], math.inf if unbounded else finite)
            changed |= (lo_t, hi_t) != r[total]
            r[total] = (lo_t, hi_t)
            for p, lo, hi in zip(parts, los, his, strict=True):
                if hi == math.inf:
                    others_hi = math.inf if unbounded > 1 else finite
                else:
                    others_hi = math.inf if unbounded else finite - hi
                new = (max(lo, lo_t - others_hi), min(hi, hi_t - (sum(los) - lo)))
                changed |= new != r[p]
                r[p] = new
        if not changed:
            return r
    raise AssertionError("the ranges of the counts did not settle")  # pragma: no cover


@dataclass
class _Counts:
    """Cells whose counts add up (``sums``: a total and its parts) and what a reader can
    work out of the hidden ones: each hidden cell's words give a range (1-4 or 0-4 for a
    small one, at least 5 for one hidden to protect it, anything for a withheld one), and
    the sums narrow the ranges (:func:`_narrow`)."""

    cells: dict[str, Cell]
    values: dict[str, int]  # the true counts (a withheld cell keeps none itself)
    sums: Sequence[tuple[str, Sequence[str]]]
    zeros_shown: frozenset[str] = frozenset()  # cells whose zero is published as 0
    # A share's cell -> the total it is a share of; its count is the children within.
    shares: dict[str, str] = field(default_factory=dict)
    # Withheld together with the zeros of their group: a reader cannot tell them from 0.
    loose: set[str] = field(default_factory=set)

    def reading(self, name: str) -> tuple[float, float]:
        """The range of a cell's count that its words and its value give a reader."""
        cell, value = self.cells[name], self.values[name]
        if not cell.suppressed:
            return value, value
        if name in self.shares:
            n = self.values[self.shares[name]]  # shares are reasoned about beside a shown total
            if cell.withheld:
                return 0, n
            if cell.secondary:
                return MIN_CELL, n - MIN_CELL
            # Hidden as small: fewer than 5 within or outside (a reader may tell which).
            least = n - MIN_CELL + 1 if n - value < MIN_CELL else 0
            return least, MIN_CELL - 1 if value < MIN_CELL else n
        low = 1.0 if name in self.zeros_shown and name not in self.loose else 0.0
        if cell.withheld:
            return low, math.inf
        if cell.secondary:
            return MIN_CELL, math.inf
        return low, MIN_CELL - 1

    def leaks(self) -> list[str]:
        """The hidden cells a reader can work out exactly that tell of 1-4 children (for a
        share: 1-4 within or 1-4 outside the distance)."""
        ranges = _narrow({name: self.reading(name) for name in self.cells}, self.sums)
        out = []
        for name, (lo, hi) in ranges.items():
            if lo < hi or not self.cells[name].suppressed:
                continue
            told = [self.values[name]]
            if name in self.shares:
                told.append(self.values[self.shares[name]] - self.values[name])
            if any(0 < n < MIN_CELL for n in told):
                out.append(name)
        return out

    def protect(self, open_to_hide: Sequence[str], groups: Sequence[Sequence[str]]) -> None:
        """Hide or withhold cells until no small cell can be worked out. Each round takes,
        of the steps that leave fewer small cells to work out, the one that hides the
        fewest shown cells: hiding one cell of ``open_to_hide`` (preferred in that order),
        withholding one of ``groups`` (its hidden cells and the shown ones that are not 0;
        with the zeros too once that has not helped), or else hiding two cells together.
        Withholding a group whose cells are all hidden already costs less than hiding one
        more; where no step helps, the group next to a small cell is withheld."""
        steps = [(tuple(g), zeros) for zeros in (False, True) for g in groups]
        while leaks := self.leaks():
            open_ = [n for n in open_to_hide if not self.cells[n].suppressed and self.values[n] > 0]
            options: list[tuple[float, _Change]] = [(1.0, ((n,), (), ())) for n in open_]
            for group, zeros in steps:
                changed = [n for n in group if self._withheld_by(n, zeros) and not self._known(n)]
                loosen = tuple(n for n in group if n not in self.loose) if zeros else ()
                if changed or loosen:
                    shown = sum(1 for n in changed if not self.cells[n].suppressed)
                    options.append((shown + 0.5, ((), tuple(changed), loosen)))
            best = self._best(options, len(leaks))
            if best is None or best[0] > 2:
                near = [n for n in open_ if n in self._near(leaks, hops=2)]
                pairs = [(2.0, (pair, (), ())) for pair in itertools.combinations(near, 2)]
                best = min(filter(None, [best, self._best(pairs, len(leaks))]), default=None)
            if best is None:  # nothing helps on its own: withhold the group next to a leak
                near_leak = self._near(leaks, hops=1)
                useful = [o for o in options if o[1][1] or o[1][2]]
                if not useful:
                    raise AssertionError(f"nothing left to protect {leaks}")  # pragma: no cover
                best = next((o for o in useful if near_leak & {*o[1][1], *o[1][2]}), useful[0])
            self._apply(best[1])

    def _known(self, name: str) -> bool:
        """Whether a shown cell would be worked out exactly were it withheld (its quarter
        from its three shown months, say): withholding it would hide nothing."""
        if self.cells[name].suppressed:
            return False
        trial = replace(self, cells={**self.cells, name: self.cells[name].withhold()})
        lo, hi = _narrow({n: trial.reading(n) for n in self.cells}, self.sums)[name]
        return lo == hi

    def _withheld_by(self, name: str, zeros: bool) -> bool:
        """Whether withholding its group (with its zeros or not) changes this cell."""
        cell = self.cells[name]
        return not cell.withheld and (zeros or cell.suppressed or self.values[name] > 0)

    def _apply(self, change: _Change) -> None:
        hide, withhold, loosen = change
        for name in hide:
            self.cells[name] = self.cells[name].hidden(secondary=True)
        for name in withhold:
            self.cells[name] = self.cells[name].withhold()
        self.loose.update(loosen)

    def _best(
        self, options: Sequence[tuple[float, _Change]], now: int
    ) -> tuple[float, _Change] | None:
        """The cheapest of ``options`` that leaves fewer than ``now`` small cells to work
        out (then the one that leaves fewest, then the first)."""
        best: tuple[tuple[float, int, int], tuple[float, _Change]] | None = None
        for order, (cost, change) in enumerate(options):
            trial = replace(self, cells=dict(self.cells), loose=set(self.loose))
            trial._apply(change)
            left = len(trial.leaks())
            if left < now and (best is None or (cost, left, order) < best[0]):
                best = ((cost, left, order), (cost, change))
        return None if best is None else best[1]

    def _near(self, names: Iterable[str], hops: int) -> set[str]:
        """Cells that share a sum with ``names``, ``hops`` steps away."""
        found = set(names)
        for _ in range(hops):
            found |= {
                c for total, parts in self.sums if found & {total, *parts} for c in (total, *parts)
            }
        return found


#: Cells to hide, cells to withhold, and cells whose zero a reader can no longer tell
#: from a withheld count (their group's zeros withheld too).
_Change = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


# ---------------------------------------------------------------------------------------
# Metrics


def _outcome_cells(outcomes: Sequence[Outcome]) -> tuple[list[Cell], list[Cell]]:
    """The metrics of one column (practice, or the engine's counterpart) and its distance
    bands."""
    n = len(outcomes)
    dist = sorted(o.distance_km for o in outcomes)
    cells = [count_cell("placed", n)]
    cells += [
        _percentile("distance_median_km", dist, 0.5),
        _percentile("distance_p75_km", dist, 0.75),
        _percentile("distance_p90_km", dist, 0.9),
    ]
    within, bands = within_cells(dist, cells[0])
    cells += within
    cells.append(
        _share("share_outside_own_municipality", sum(not o.same_municipality for o in outcomes), n)
    )
    with_school = [o for o in outcomes if o.keeps_school is not None]
    cells.append(
        _share(
            "share_keeping_school", sum(bool(o.keeps_school) for o in with_school), len(with_school)
        )
    )
    kinds: Counter[str] = Counter()
    for o in outcomes:
        if o.home_type in FAMILY_LIKE_TYPES:
            kinds["family_like"] += 1
        else:
            kinds[o.home_type.value] += 1
    type_cells = secondary_suppression(
        [
            count_cell(f"placed_{k}", kinds[k])
            for k in ("family_like", "small_scale", "residential")
        ],
        total_shown=not cells[0].suppressed,
    )
    shares = []
    for c in type_cells:
        k = c.metric.removeprefix("placed_")
        share = _share(f"share_{k}", kinds[k], n)
        shares.append(share.hidden_like(c) if c.suppressed else share)
    return cells + type_cells + shares, bands


def within_cells(distances: Sequence[float], placed: Cell) -> tuple[list[Cell], list[Cell]]:
    """The shares within :data:`WITHIN_KM` of the parents and the children per band of
    :data:`DISTANCE_EDGES`, suppressed together: a share within 10 km beside the placed
    count is the sum of the bands up to 10 km, so two shares give the band between them by
    subtraction (12 of 30 within 10 km and 10 of 30 within 5 km: 2 children in 5-10 km),
    and shown bands with a share can give a hidden band the same way. Bands are hidden
    before shares (the shares are the headline, the bands a chart); where hiding cannot
    protect a small band, the bands are withheld (and then, if need be, the shares)."""
    n = len(distances)
    shares = [
        _share(f"share_within_{km}km", sum(within_km(d, km) for d in distances), n)
        for km in WITHIN_KM
    ]
    bands = _bands(distances, DISTANCE_EDGES)
    if placed.suppressed:
        return shares, bands  # fewer than 5 children: every band and share is hidden already
    block = _Counts(
        cells={c.metric: c for c in [placed, *shares, *bands]},
        values={
            placed.metric: n,
            **{c.metric: int(c.value or 0) for c in bands},
            **{
                c.metric: sum(within_km(d, km) for d in distances)
                for c, km in zip(shares, WITHIN_KM, strict=True)
            },
        },
        sums=_chain(placed.metric, [c.metric for c in shares], [c.metric for c in bands]),
        shares={c.metric: placed.metric for c in shares},
    )
    by_size = sorted(bands, key=lambda c: (c.value or 0, bands.index(c)))
    block.protect(
        [c.metric for c in by_size] + [c.metric for c in shares],
        [[c.metric for c in bands], [c.metric for c in shares]],
    )
    return [block.cells[c.metric] for c in shares], [block.cells[c.metric] for c in bands]


def _chain(total: str, shares: Sequence[str], bands: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The sums of the distance block: the first share is the first bands, each next share
    the one before and the bands between, the total the last share and the bands above."""
    sums: list[tuple[str, list[str]]] = []
    before: list[str] = []
    first = 0
    for km, share in zip(WITHIN_KM, shares, strict=True):
        last = DISTANCE_EDGES.index(km)  # bands 0 .. last-1 lie within km
        sums.append((share, before + list(bands[first:last])))
        before, first = [share], last
    sums.append((total, before + list(bands[first:])))
    return sums


def _sibling_cells(
    facts: Sequence[PlacementFact], reasons_published: bool = True
) -> tuple[list[Cell], list[Cell]]:
    """The sibling metrics and the split reasons, for children placed with siblings."""
    groups: dict[str, list[PlacementFact]] = {}
    for f in facts:
        if f.sibling_group is not None:
            groups.setdefault(f.sibling_group, []).append(f)
    split = [g for g in groups.values() if not all(f.together for f in g)]
    reasons: Counter[str] = Counter()
    for g in split:
        for f in g:
            reasons[f.split_reason.value if f.split_reason else "not_recorded"] += 1
    together = sum(len(g) for g in groups.values()) - sum(len(g) for g in split)
    reason_counts = reasons if reasons_published else None
    return _sibling_block(together, sum(len(g) for g in split), reason_counts)


def _sibling_block(
    together: int, apart: int, reasons: Counter[str] | None
) -> tuple[list[Cell], list[Cell]]:
    """Children in sibling groups, with all their siblings, apart from them, the share kept
    together, and (where ``reasons`` are published) the split reasons: suppressed together,
    as with-all and apart add up to the children in groups and the reasons to those apart
    (7 in groups beside 5 together would give 2 apart; reasons 4, 4, 4, 4, 4, 4 beside 24
    apart would give them all). Reasons are hidden first; where hiding cannot protect a
    small cell, the reasons are withheld, and then with-all and apart."""
    in_groups = count_cell("children_in_sibling_groups", together + apart)
    cells = {
        "with_all": count_cell("children_placed_with_all_siblings", together),
        "apart": count_cell("children_placed_apart_from_siblings", apart),
    }
    keys = [r.value for r in SplitReason] + ["not_recorded"]
    counted = reasons or Counter()
    reason_cells = {f"split_{k}": count_cell(f"split_{k}", counted[k]) for k in keys}
    if not in_groups.suppressed:
        published = reason_cells if reasons is not None else {}
        block = _Counts(
            cells={"in_groups": in_groups, **cells, **published},
            values={
                "in_groups": together + apart,
                **{k: int(c.value or 0) for k, c in {**cells, **published}.items()},
            },
            sums=[("in_groups", ["with_all", "apart"])]
            + ([("apart", list(published))] if published else []),
        )
        first = sorted(published, key=lambda k: (published[k].value or 0, k))
        block.protect(
            [*first, *sorted(cells, key=lambda k: (cells[k].value or 0, k))],
            [list(published), list(cells)] if published else [list(cells)],
        )
        cells = {k: block.cells[k] for k in cells}
        reason_cells.update({k: block.cells[k] for k in published})
    share = _share("share_of_sibling_children_kept_together", together, together + apart)
    hidden = [c for c in cells.values() if c.suppressed]
    if hidden:  # with the count in groups, a shown share would give with-all
        share = share.hidden_like(next((c for c in hidden if c.withheld), hidden[0]))
    return [in_groups, cells["with_all"], cells["apart"], share], list(reason_cells.values())


def _engine_sibling_cells(facts: Sequence[PlacementFact]) -> list[Cell]:
    """The sibling metrics for the engine's counterpart: per child in a sibling group with a
    recorded counterpart, whether the engine placed it with all its siblings."""
    known = [
        f.engine.together
        for f in facts
        if f.sibling_group is not None and f.engine is not None and f.engine.together is not None
    ]
    with_all = sum(known)
    return _sibling_block(with_all, len(known) - with_all, None)[0]


def _in_period(d: date, start: date, end: date) -> bool:
    return start <= d <= end


def audit(
    placements: Iterable[PlacementFact],
    waiting: Iterable[WaitingFact],
    municipalities: Sequence[str],
    period_from: date,
    period_to: date,
) -> AuditReport:
    """Aggregate proximity metrics for children of ``municipalities`` placed in the period."""
    wanted = set(municipalities)
    facts = [
        f
        for f in placements
        if f.municipality in wanted and _in_period(f.start_date, period_from, period_to)
    ]
    practice, bands = _outcome_cells([f.actual for f in facts])
    sib_cells, reason_cells = _sibling_cells(facts)
    practice += sib_cells
    breakdowns = sum(
        1
        for f in placements
        if f.municipality in wanted
        and f.end_reason is EndReason.BREAKDOWN
        and f.end_date is not None
        and _in_period(f.end_date, period_from, period_to)
    )
    practice.append(count_cell("breakdowns", breakdowns))
    waits = [w for w in waiting if w.municipality in wanted and w.waiting_since <= period_to]
    still = [w for w in waits if w.placed_on is None or w.placed_on > period_to]
    waiting_by = _waiting_by(still, period_to, total_shown=len(still) >= MIN_CELL)
    practice.append(count_cell("waiting_at_end", len(still)))
    practice.append(
        _median_days("waiting_days_median", [(period_to - w.waiting_since).days for w in still])
    )

    # The engine's counterpart exists only where its proposal was recorded at the time.
    paired = [f for f in facts if f.engine is not None]
    engine_outcomes = [f.engine for f in paired if f.engine is not None]
    engine, engine_bands = _outcome_cells(engine_outcomes) if engine_outcomes else ([], [])
    paired_practice, paired_bands = (
        _outcome_cells([f.actual for f in paired]) if paired else ([], [])
    )
    if engine_outcomes:
        engine += _engine_sibling_cells(facts)
        paired_practice += _sibling_cells(paired, reasons_published=False)[0]

    months = _months(period_from, period_to)
    monthly_placed, quarterly_placed = _period_cells(
        practice[0], months, [f.start_date.strftime("%Y-%m") for f in facts]
    )
    quarters = [q.metric for q in quarterly_placed]
    monthly = _trend(facts, months, monthly_placed, lambda f: f.start_date.strftime("%Y-%m"))
    quarterly = _trend(
        facts, quarters, quarterly_placed, lambda f: _quarter(f.start_date.strftime("%Y-%m"))
    )

    return AuditReport(
        municipalities=tuple(sorted(wanted)),
        period_from=period_from,
        period_to=period_to,
        practice=tuple(practice),
        engine=tuple(engine),
        monthly=tuple(monthly),
        split_reasons=tuple(reason_cells),
        distances=tuple(sorted(f.actual.distance_km for f in facts)),
        waiting_by=waiting_by,
        paired_practice=tuple(paired_practice),
        engine_distances=tuple(sorted(o.distance_km for o in engine_outcomes)),
        paired_distances=tuple(sorted(f.actual.distance_km for f in paired)),
        quarterly=tuple(quarterly),
        distance_bands=tuple(bands),
        paired_distance_bands=tuple(paired_bands),
        engine_distance_bands=tuple(engine_bands),
    )


def _period_cells(
    placed: Cell, months: Sequence[str], started: Sequence[str]
) -> tuple[list[Cell], list[Cell]]:
    """Children placed per month and per quarter (``started``: the month of each
    placement), suppressed together: months add up to their quarter and quarters to the
    placed count. A period in which nobody was placed is a true zero (the months before the
    data starts, say): shown as 0, it describes no child. Where hiding cannot protect a
    small period (4 and 4 beside a shown 0, making 8), that quarter's months are withheld."""
    per_month = Counter(started)
    quarters = list(dict.fromkeys(_quarter(m) for m in months))
    month_cells = [_period_cell(m, per_month[m]) for m in months]
    quarter_cells = [
        _period_cell(q, sum(per_month[m] for m in months if _quarter(m) == q)) for q in quarters
    ]
    in_quarter = {q: [m for m in months if _quarter(m) == q] for q in quarters}
    periods = [*month_cells, *quarter_cells]
    block = _Counts(
        cells={"placed": placed, **{c.metric: c for c in periods}},
        values={
            "placed": sum(per_month[m] for m in months),
            **{c.metric: int(c.value or 0) for c in periods},
        },
        sums=[("placed", quarters), *in_quarter.items()],
        zeros_shown=frozenset(c.metric for c in periods),
    )
    by_size = sorted(periods, key=lambda c: (c.value or 0, c in quarter_cells, c.metric))
    block.protect([c.metric for c in by_size], [*in_quarter.values(), quarters])
    return [block.cells[m] for m in months], [block.cells[q] for q in quarters]


def _period_cell(period: str, n: int) -> Cell:
    """Children placed in a period: 0 shown (nobody to protect), 1-4 hidden."""
    return Cell(period, n, suppressed=0 < n < MIN_CELL, unit="children")


def _quarter(month: str) -> str:
    """'2026-05' -> '2026-Q2'."""
    year, m = month.split("-")
    return f"{year}-Q{(int(m) - 1) // 3 + 1}"


def _trend(
    facts: Sequence[PlacementFact],
    periods: Sequence[str],
    placed_cells: Sequence[Cell],
    period_of: Callable[[PlacementFact], str],
) -> list[tuple[str, Cell, Cell]]:
    """Per period: children placed and the share within 10 km, hidden with its count."""
    out = []
    # Each fact's period once: a scan of every fact per period took 90% of a five-year
    # audit (80 periods; benchmarks/bench_audit.py).
    by_period: dict[str, list[PlacementFact]] = {}
    for f in facts:
        by_period.setdefault(period_of(f), []).append(f)
    for period, placed in zip(periods, placed_cells, strict=True):
        inside = by_period.get(period, [])
        share = _share(
            "share_within_10km",
            sum(within_km(f.actual.distance_km, 10) for f in inside),
            len(inside),
        )
        if not inside:
            share = Cell(share.metric, None, unit=share.unit)  # no share of nobody: "–"
        if placed.suppressed:
            share = share.hidden_like(placed)
        out.append((period, replace(placed, metric="placed"), share))
    return out


def _months(start: date, end: date) -> list[str]:
    out = []
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def within_km(distance_km: float, km: float) -> bool:
    """Whether a child counts as placed within ``km`` of its parents: at most that far.
    The shares ("binnen 5 km") and the chart's bands both use it, so a child at exactly
    5.0 km is within 5 km in the table and in the first band of the chart."""
    return distance_km <= km


def distance_band(distance_km: float, edges: Sequence[float]) -> int:
    """The band of a distance: 0 up to and including ``edges[1]``, 1 above that up to and
    including ``edges[2]``, ...; the last band is everything above the last edge."""
    for i, hi in enumerate(edges[1:]):
        if within_km(distance_km, hi):
            return i
    return len(edges) - 1


def _bands(distances: Sequence[float], edges: Sequence[float]) -> list[Cell]:
    """Children per distance band (km, see :func:`distance_band`), small ones hidden."""
    counts = Counter(distance_band(d, edges) for d in distances)
    cells = []
    for i, (lo, hi) in enumerate(zip(edges, [*edges[1:], math.inf], strict=True)):
        label = f"{lo:g}-{hi:g} km" if hi != math.inf else f"{lo:g}+ km"
        cells.append(count_cell(label, counts[i]))
    return cells


def histogram(distances: Sequence[float], edges: Sequence[float]) -> list[Cell]:
    """Children per distance band (km, see :func:`distance_band`), with primary and
    secondary suppression beside their total, for a distribution published with nothing
    but its total; the audit's own bands are protected with its shares within 5, 10 and
    25 km too (:func:`within_cells`)."""
    return secondary_suppression(_bands(distances, edges), total_shown=len(distances) >= MIN_CELL)
