"""Proximity audit for municipalities: how close to home children are placed, in aggregates.

Input is a list of placement facts (one per child placed) and waiting-list facts; output
is a table of cells in which no cell describes fewer than :data:`MIN_CELL` children:

- a count below the threshold is shown as ``<5``;
- a share is shown only if both the children it counts and the children it leaves out
  number at least the threshold (97 % of 100 would reveal 3 children);
- a percentile is shown only if at least the threshold of children lie on each side;
- in a partition that adds up to a shown total (types of home, months, municipalities),
  one suppressed cell could be recovered by subtraction, so other cells are suppressed
  too (secondary suppression) until no small cell can be worked out; such a cell is
  marked ``secondary``, since it hides no small number itself (``SUPPRESSED_SECONDARY``
  in a CSV file, its own words on a page);
- a period in which nobody was placed (a true zero, such as the months before the data
  starts) is published as 0: it describes no child.

No child identifier ever leaves this module: records carry an opaque reference only so
that sibling groups can be counted.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from matching.model import FAMILY_LIKE_TYPES, HomeType, SplitReason

__all__ = [
    "MIN_CELL",
    "REGIONS",
    "SUPPRESSED",
    "SUPPRESSED_SECONDARY",
    "WAITING_DIMENSIONS",
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
    "within_km",
]

MIN_CELL = 5
SUPPRESSED = "<5"
#: A cell of 5 or more hidden so that a small cell beside it cannot be worked out from the
#: total (secondary suppression); files write it so, never as the false "<5".
SUPPRESSED_SECONDARY = "hidden"

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
) -> tuple[dict[str, list[tuple[str, Cell, Cell]]], bool]:
    """Per dimension and band: children waiting at the end and their median wait, with the
    same suppression as every other cell (bands partition the waiting children); and
    whether their total may still be shown (see :func:`suppress_partition`)."""
    out: dict[str, list[tuple[str, Cell, Cell]]] = {}
    total_ok = True
    for dimension in WAITING_DIMENSIONS:
        bands: dict[str, list[int]] = {}
        for w in still:
            bands.setdefault(_band(w, dimension), []).append((period_to - w.waiting_since).days)
        names = sorted(bands)
        counts = [count_cell(b, len(bands[b])) for b in names]
        if total_shown:
            counts, ok = suppress_partition(counts)
            total_ok = total_ok and ok
        rows = []
        for name, count in zip(names, counts, strict=True):
            median = _median_days("waiting_days_median", bands[name])
            if count.suppressed:
                median = Cell(median.metric, None, True, median.unit, count.secondary)
            rows.append((name, count, median))
        out[dimension] = rows
    return out, total_ok


@dataclass(frozen=True, slots=True)
class Cell:
    """One published number: its value, or suppressed."""

    metric: str
    value: float | int | None
    suppressed: bool = False
    unit: str = ""
    # Hidden only to protect a small cell beside it (secondary suppression), not small.
    secondary: bool = False

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
        return self.hidden(secondary=other.secondary)

    def hidden(self, *, secondary: bool) -> Cell:
        """This cell hidden: to protect another (``secondary``), or as small; a cell
        already hidden as small stays so."""
        if self.suppressed and not self.secondary:
            return self
        return Cell(self.metric, self.value, True, self.unit, secondary)

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

    def cell(self, metric: str, engine: bool = False) -> Cell:
        for c in self.engine if engine else self.practice:
            if c.metric == metric:
                return c
        raise KeyError(metric)

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
                {"month": m, "placed": placed.shown, "share_within_10km": share.shown}
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
    a total, shown when ``total_shown``); see :func:`suppress_partition`."""
    if not total_shown:
        return cells
    return suppress_partition(cells, zeros_shown)[0]


# ---------------------------------------------------------------------------------------
# Metrics


def _outcome_cells(outcomes: Sequence[Outcome]) -> list[Cell]:
    n = len(outcomes)
    dist = sorted(o.distance_km for o in outcomes)
    cells = [count_cell("placed", n)]
    cells += [
        _percentile("distance_median_km", dist, 0.5),
        _percentile("distance_p75_km", dist, 0.75),
        _percentile("distance_p90_km", dist, 0.9),
    ]
    for km in (5, 10, 25):
        cells.append(_share(f"share_within_{km}km", sum(within_km(d, km) for d in dist), n))
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
    type_cells = [
        count_cell(f"placed_{k}", kinds[k]) for k in ("family_like", "small_scale", "residential")
    ]
    if not cells[0].suppressed:
        type_cells, total_ok = suppress_partition(type_cells)
        if not total_ok:
            cells[0] = cells[0].hidden(secondary=True)
    shares = []
    for c in type_cells:
        k = c.metric.removeprefix("placed_")
        share = _share(f"share_{k}", kinds[k], n)
        shares.append(share.hidden_like(c) if c.suppressed else share)
    return cells + type_cells + shares


def _sibling_cells(facts: Sequence[PlacementFact]) -> tuple[list[Cell], list[Cell]]:
    groups: dict[str, list[PlacementFact]] = {}
    for f in facts:
        if f.sibling_group is not None:
            groups.setdefault(f.sibling_group, []).append(f)
    together = [g for g in groups.values() if all(f.together for f in g)]
    split = [g for g in groups.values() if not all(f.together for f in g)]
    children_in_groups = sum(len(g) for g in groups.values())
    cells = [
        count_cell("children_in_sibling_groups", children_in_groups),
        count_cell("children_placed_with_all_siblings", sum(len(g) for g in together)),
        count_cell("children_placed_apart_from_siblings", sum(len(g) for g in split)),
        _share(
            "share_of_sibling_children_kept_together",
            sum(len(g) for g in together),
            children_in_groups,
        ),
    ]
    reasons: Counter[str] = Counter()
    for g in split:
        for f in g:
            reasons[f.split_reason.value if f.split_reason else "not_recorded"] += 1
    keys = [r.value for r in SplitReason] + ["not_recorded"]
    reason_cells = secondary_suppression(
        [count_cell(f"split_{k}", reasons[k]) for k in keys], total_shown=not cells[2].suppressed
    )
    return cells, reason_cells


def _engine_sibling_cells(facts: Sequence[PlacementFact]) -> list[Cell]:
    """The sibling metrics for the engine's counterpart: per child in a sibling group with a
    recorded counterpart, whether the engine placed it with all its siblings."""
    known = [
        f.engine.together
        for f in facts
        if f.sibling_group is not None and f.engine is not None and f.engine.together is not None
    ]
    with_all = sum(known)
    return [
        count_cell("children_in_sibling_groups", len(known)),
        count_cell("children_placed_with_all_siblings", with_all),
        count_cell("children_placed_apart_from_siblings", len(known) - with_all),
        _share("share_of_sibling_children_kept_together", with_all, len(known)),
    ]


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
    practice = _outcome_cells([f.actual for f in facts])
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
    waiting_by, total_ok = _waiting_by(still, period_to, total_shown=len(still) >= MIN_CELL)
    at_end = count_cell("waiting_at_end", len(still))
    # Bands of 4 and 4 would give themselves away beside a total of 8.
    practice.append(at_end if total_ok else at_end.hidden(secondary=True))
    practice.append(
        _median_days("waiting_days_median", [(period_to - w.waiting_since).days for w in still])
    )

    # The engine's counterpart exists only where its proposal was recorded at the time.
    paired = [f for f in facts if f.engine is not None]
    engine_outcomes = [f.engine for f in paired if f.engine is not None]
    engine = _outcome_cells(engine_outcomes) if engine_outcomes else []
    paired_practice = _outcome_cells([f.actual for f in paired]) if paired else []
    if engine_outcomes:
        engine += _engine_sibling_cells(facts)
        paired_practice += _sibling_cells(paired)[0]

    # A period in which nobody was placed is a true zero (the months before the data
    # starts, say): shown as 0, it describes no child and needs no other cell hidden.
    months = _months(period_from, period_to)
    monthly_placed = [
        _period_cell(m, sum(1 for f in facts if f.start_date.strftime("%Y-%m") == m))
        for m in months
    ]
    quarters = list(dict.fromkeys(_quarter(m) for m in months))
    quarterly_placed = [
        _period_cell(q, sum(1 for f in facts if _quarter(f.start_date.strftime("%Y-%m")) == q))
        for q in quarters
    ]
    # Months and quarters partition the placements: where even hiding every other period
    # leaves a small one determined (4 and 4 beside a shown 0, making 8), the total goes.
    if not practice[0].suppressed:
        monthly_placed, months_ok = suppress_partition(monthly_placed, zeros_shown=True)
        quarterly_placed, quarters_ok = suppress_partition(quarterly_placed, zeros_shown=True)
        if not (months_ok and quarters_ok):
            practice[0] = practice[0].hidden(secondary=True)
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
    )


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
    for period, placed in zip(periods, placed_cells, strict=True):
        inside = [f for f in facts if period_of(f) == period]
        share = _share(
            "share_within_10km",
            sum(within_km(f.actual.distance_km, 10) for f in inside),
            len(inside),
        )
        if not inside:
            share = Cell(share.metric, None, unit=share.unit)  # no share of nobody: "–"
        if placed.suppressed:
            share = share.hidden_like(placed)
        placed_cell = Cell("placed", placed.value, placed.suppressed, placed.unit, placed.secondary)
        out.append((period, placed_cell, share))
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


def histogram(distances: Sequence[float], edges: Sequence[float]) -> list[Cell]:
    """Children per distance band (km, see :func:`distance_band`), with primary and
    secondary suppression."""
    counts = Counter(distance_band(d, edges) for d in distances)
    cells = []
    for i, (lo, hi) in enumerate(zip(edges, [*edges[1:], math.inf], strict=True)):
        label = f"{lo:g}-{hi:g} km" if hi != math.inf else f"{lo:g}+ km"
        cells.append(count_cell(label, counts[i]))
    return secondary_suppression(cells, total_shown=len(distances) >= MIN_CELL)
