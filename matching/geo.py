"""Postcodes and distances, offline: PC4 centroids (GeoNames, CC BY 4.0) shipped in the package.

One distance is used for every decision, on every path: the great-circle distance between
PC4 centroids on the mean Earth sphere, rounded to 0.1 km. Bulk paths compute it
vectorised; a single pair goes through the very same function, so a score computed in
bulk and the same score explained pair by pair are identical. geopy's ellipsoidal
geodesic (:func:`geodesic_km`) is the accuracy reference: on Dutch distances the two
agree within 0.5 % (tested), far below the error of using a postcode centroid at all.
"""

from __future__ import annotations

import bisect
import csv
import re
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.model import Postcode

__all__ = [
    "EARTH_RADIUS_KM",
    "ISOLATED_KM",
    "NEIGHBOURS_AGREE_KM",
    "NEIGHBOURS_EACH_SIDE",
    "NEIGHBOUR_REACH_KM",
    "ROWS_AGREE_KM",
    "Location",
    "PostcodeError",
    "PostcodeTable",
    "RowResolution",
    "SpatialIndex",
    "distance_km",
    "engine_km",
    "geodesic_km",
    "great_circle_km",
    "parse_postcode",
    "postcode_rows",
    "postcode_table",
    "resolve_rows",
    "round_km",
]

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
_PC6 = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})?$")

FloatArray = NDArray[np.float64]


class PostcodeError(ValueError):
    """A postcode that is malformed or not in the table; the message names the value."""


def parse_postcode(raw: str) -> Postcode:
    """Parse ``"6711"``, ``"6711AB"`` or ``"6711 ab"`` into a :class:`Postcode`."""
    text = raw.strip().upper()
    match = _PC6.match(text) if len(text) <= 7 else None
    if match is None:
        raise PostcodeError(
            f"'{raw[:20]}' is not a Dutch postcode (expected PC4 '1234' or PC6 '1234 AB')"
        )
    return Postcode(match.group(1), match.group(2))


@dataclass(frozen=True, slots=True)
class Location:
    """A PC4 area: its centroid, its place and the municipality it belongs to.

    ``single_municipality`` is False where the area's places lie in more than one
    municipality; ``municipality_code`` is then the one most of its places belong to.
    Only the places that locate the area count (:func:`resolve_rows`).

    ``located_from_neighbours`` is True where none of the table's places for the area
    could be trusted and it lies at the middle of its numeric neighbours instead;
    ``place`` then says so, and the municipality is the one most of them are in.
    """

    pc4: str
    latitude: float
    longitude: float
    place: str
    municipality_code: str
    municipality_name: str
    province: str = ""
    single_municipality: bool = True
    located_from_neighbours: bool = False


# GeoNames labels a few municipalities wrongly; the CBS code is right (data README).
_NAME_FIXES = {"0267": "Nijkerk", "1992": "Voorne aan Zee"}

# GeoNames has no municipality for the places of Voorne aan Zee (CBS 1992), formed on
# 1 January 2023 from Brielle, Hellevoetsluis and Westvoorne: their rows carry an empty
# code, which once became '0000' and showed as a municipality. Filled in by place.
_CODE_FIXES = dict.fromkeys(
    (
        "Brielle",
        "Hellevoetsluis",
        "Oostvoorne",
        "Oudenhoorn",
        "Rockanje",
        "Tinte",
        "Vierpolders",
        "Zwartewaal",
    ),
    "1992",
)


def _municipality_code(row: dict[str, str]) -> str:
    """The row's CBS code (4 digits), filled in where GeoNames has none; never '0000'."""
    code = row["province_code"].strip() or _CODE_FIXES.get(row["place"].strip(), "")
    if not code.isdigit() or int(code) == 0:
        raise ValueError(
            f"postcode table: PC4 {row['zipcode']} ({row['place']}) has no municipality code"
        )
    return code.zfill(4)


def _municipality_name(row: dict[str, str]) -> str:
    code = _municipality_code(row)
    if code in _NAME_FIXES:
        return _NAME_FIXES[code]
    name = row["province"].strip().removeprefix("Gemeente ")
    for suffix in (" Municipalitye", " Municipality", " Municipalty", "."):
        name = name.removesuffix(suffix)
    return name.strip() or row["place"].strip()


class PostcodeTable:
    """The PC4 centroids, indexed for scalar look-ups and for vectorised work.

    ``refused`` maps a PC4 that neither its own rows nor its neighbours can locate (see
    :func:`resolve_rows`) to the reason: it is not in the table, and looking it up raises
    :class:`PostcodeError` with that reason instead of placing it somewhere it may not be.
    """

    def __init__(self, locations: list[Location], refused: dict[str, str] | None = None) -> None:
        self.refused: dict[str, str] = dict(refused or {})
        self._by_pc4 = {loc.pc4: loc for loc in locations}
        self.pc4s: tuple[str, ...] = tuple(loc.pc4 for loc in locations)
        self.index_of = {pc4: i for i, pc4 in enumerate(self.pc4s)}
        self.latitudes: FloatArray = np.array([loc.latitude for loc in locations])
        self.longitudes: FloatArray = np.array([loc.longitude for loc in locations])
        self.municipality_codes: tuple[str, ...] = tuple(loc.municipality_code for loc in locations)

    def __contains__(self, pc4: object) -> bool:
        return pc4 in self._by_pc4

    def __len__(self) -> int:
        return len(self._by_pc4)

    def locate(self, postcode: Postcode | str) -> Location:
        pc4 = postcode.pc4 if isinstance(postcode, Postcode) else postcode
        try:
            return self._by_pc4[pc4]
        except KeyError:
            if pc4 in self.refused:
                raise PostcodeError(
                    f"postcode '{pc4}' is not a known Dutch PC4 area: {self.refused[pc4]}"
                ) from None
            raise PostcodeError(f"postcode '{pc4}' is not a known Dutch PC4 area") from None

    def municipality_names(self) -> dict[str, str]:
        return {loc.municipality_code: loc.municipality_name for loc in self._by_pc4.values()}

    @classmethod
    def from_csv_rows(cls, rows: list[dict[str, str]]) -> PostcodeTable:
        """The one reading of the shipped table that every caller (engine, fixtures) uses.

        A PC4 that spans several places has one row per place; :func:`resolve_rows`
        decides which of them locate it, or which neighbours do instead, or refuses it.
        """
        resolutions = resolve_rows(rows)
        located: dict[str, Location] = {}
        refused: dict[str, str] = {}
        for r in resolutions:
            if r.rows:
                located[r.pc4] = _location(r.pc4, list(r.rows))
        for r in resolutions:
            if r.located_from_neighbours:
                located[r.pc4] = _interpolated(r.pc4, [located[n] for n in r.neighbours])
            elif not r.rows:
                refused[r.pc4] = r.reason
        return cls([located[r.pc4] for r in resolutions if r.pc4 in located], refused)


# When a PC4's rows disagree. GeoNames gives one row per (postcode, place), and for a
# few postcodes one of the places is simply wrong: 2324 (Leiden Zuidwest) has a row for
# Amersfoort, 62 km away, 3523 (Utrecht) one for Ouddorp, 89 km away. The mean of such
# rows is a point in neither place, and a confidential placement's minimum distance from
# the parents was measured from it (docs/scoring.md, "Postcodes whose places disagree").
ROWS_AGREE_KM = 10.0
"""Rows of one PC4 linked by steps of at most this many km form one group and are
averaged, as villages of one rural PC4 area. In the shipped table such a group spans at
most 11.2 km (8079 Oldebroek, Hattemerbroek, Noordeinde) and its mean lies at most 6.3 km
from each of its places; the rows that disagree lie 37 km and more apart (7887), except
7991 Dwingeloo's Havelte row (11.7 km)."""

NEIGHBOURS_EACH_SIDE = 3
"""How many numerically neighbouring PC4s on each side (of those whose rows agree) vote
on which group of rows is the true location: PC4s are handed out by area, so 2323 and
2325 lie in Leiden like 2324."""

NEIGHBOUR_REACH_KM = 15.0
"""A neighbour votes only if some row of the PC4 lies within this distance of it: where
the numbering jumps to another area (7991 Dwingeloo's next PC4 is 8011 Zwolle) the
neighbour has no say."""


ISOLATED_KM = 30.0
"""A PC4 located farther than this from every one of its :data:`NEIGHBOURS_EACH_SIDE`
numeric neighbours on each side is not where the table has it (5217, a
's-Hertogenbosch postcode, has one row, for The Hague, 79 km from 5213-5223): its
neighbours locate it instead (:data:`NEIGHBOURS_AGREE_KM`). The most isolated genuine
PC4s are islands whose neighbours by number lie on the next island or the mainland:
9166 Schiermonnikoog 24 km, 8899 Vlieland 20 km."""

NEIGHBOURS_AGREE_KM = 10.0
"""Where a PC4's own rows cannot be trusted (a tied vote, or :data:`ISOLATED_KM`), its
:data:`NEIGHBOURS_EACH_SIDE` numeric neighbours on each side locate it if every one of
them lies within this distance of their median: 70 % of the PC4s in the shipped table
have neighbours that close together, and for those a PC4's own centre lies within
2.5 km of the median in half the cases, 6.1 km in 90 % and 10.7 km in 99 %. The six
PC4s it locates have neighbours within 7.0 km of their median."""


@dataclass(frozen=True, slots=True)
class RowResolution:
    """How one PC4's rows became its location.

    ``rows`` are those that locate it (all of them where they agree); where none can be
    trusted ``neighbours`` are the PC4s whose middle locates it instead, and where they
    cannot either, both are empty and the PC4 is refused. ``votes`` counts the
    neighbours' votes per place group where the rows disagreed; ``reason`` says why the
    rows were not trusted and what was done instead (empty where the rows or a vote
    decided).
    """

    pc4: str
    all_rows: tuple[dict[str, str], ...]
    rows: tuple[dict[str, str], ...]
    votes: tuple[tuple[str, int], ...] = ()
    reason: str = ""
    neighbours: tuple[str, ...] = ()

    @property
    def corrected(self) -> bool:
        """Whether some of the table's rows for this PC4 do not locate it."""
        return len(self.rows) != len(self.all_rows)

    @property
    def located_from_neighbours(self) -> bool:
        """Whether the PC4 lies at the median of its neighbours, none of its rows trusted."""
        return bool(self.neighbours)

    @property
    def refused(self) -> bool:
        """Whether neither its rows nor its neighbours locate the PC4."""
        return not self.rows and not self.neighbours


def _row_point(row: dict[str, str]) -> tuple[float, float]:
    return float(row["latitude"]), float(row["longitude"])


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(great_circle_km(a[0], a[1], b[0], b[1]))


def _groups(group: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """The rows in groups linked by steps of at most :data:`ROWS_AGREE_KM`, in row order."""
    if len(group) == 1:  # most PC4s: nothing to link
        return [list(group)]
    groups: list[list[dict[str, str]]] = []
    for row in group:
        near = [
            g
            for g in groups
            if any(_km(_row_point(row), _row_point(r)) <= ROWS_AGREE_KM for r in g)
        ]
        merged = [row]
        for g in near:
            merged = g + merged
            groups.remove(g)
        groups.append(merged)
    order = {id(r): i for i, r in enumerate(group)}
    for g in groups:
        g.sort(key=lambda r: order[id(r)])
    groups.sort(key=lambda g: order[id(g[0])])
    return groups


def _mean_point(rows: list[dict[str, str]]) -> tuple[float, float]:
    points = [_row_point(r) for r in rows]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _median(values: list[float]) -> float:
    # Not np.median: its first call costs 30 ms, at every start, for a handful of points.
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2


def _median_point(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Latitude and longitude medians: one neighbour across a numbering jump cannot pull it."""
    return _median([p[0] for p in points]), _median([p[1] for p in points])


def _places(rows: list[dict[str, str]]) -> str:
    return ", ".join(r["place"].strip() for r in rows)


def resolve_rows(rows: list[dict[str, str]]) -> list[RowResolution]:
    """Which rows locate each PC4, in PC4 order: the documented rule for places that disagree.

    Where all of a PC4's rows form one group (:data:`ROWS_AGREE_KM`) they all count.
    Otherwise each of the :data:`NEIGHBOURS_EACH_SIDE` nearest PC4s by number on either
    side whose own rows agree, and that lies within :data:`NEIGHBOUR_REACH_KM` of one of
    the rows, votes for the group holding the row nearest to it. The group with the most
    votes locates the PC4 if it has at least two and more than any other group; else
    the PC4's rows cannot be trusted. Nor can they where the PC4 is then more than
    :data:`ISOLATED_KM` from each of its numeric neighbours: its place in the table is
    not where it is. Such a PC4 is located from its neighbours (:func:`_from_neighbours`)
    or, where they are spread out, refused, not guessed (a wrong place can bypass a
    minimum distance).
    """
    by_pc4: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        _municipality_code(row)  # every row must have one, also one that is left out
        by_pc4.setdefault(row["zipcode"].strip(), []).append(row)
    pc4s = sorted(by_pc4)
    grouped = {pc4: _groups(by_pc4[pc4]) for pc4 in pc4s}
    agreeing = [pc4 for pc4 in pc4s if len(grouped[pc4]) == 1]
    centre = {pc4: _mean_point(by_pc4[pc4]) for pc4 in agreeing}

    resolutions: list[RowResolution] = []
    for pc4 in pc4s:
        all_rows = tuple(by_pc4[pc4])
        groups = grouped[pc4]
        if len(groups) == 1:
            resolutions.append(RowResolution(pc4, all_rows, all_rows))
            continue
        below = bisect.bisect_left(agreeing, pc4)  # pc4 itself is not in `agreeing`
        neighbours = agreeing[max(0, below - NEIGHBOURS_EACH_SIDE) : below + NEIGHBOURS_EACH_SIDE]
        votes = [0] * len(groups)
        for n in neighbours:
            km, nearest = min(
                (_km(centre[n], _row_point(r)), k) for k, g in enumerate(groups) for r in g
            )
            if km <= NEIGHBOUR_REACH_KM:
                votes[nearest] += 1
        tally = tuple((_places(g), v) for g, v in zip(groups, votes, strict=True))
        best = max(range(len(groups)), key=lambda k: votes[k])
        if votes[best] >= 2 and all(v < votes[best] for k, v in enumerate(votes) if k != best):
            resolutions.append(RowResolution(pc4, all_rows, tuple(groups[best]), tally))
            continue
        reason = (
            "its places in the postcode table ("
            + "; ".join(_places(g) for g in groups)
            + f") lie more than {ROWS_AGREE_KM:g} km apart and the votes of its neighbouring"
            " postcodes do not tell which is right"
        )
        resolutions.append(RowResolution(pc4, all_rows, (), tally, reason))
    return _from_neighbours(_distrust_isolated(resolutions))


def _distrust_isolated(resolutions: list[RowResolution]) -> list[RowResolution]:
    """Take the rows from each PC4 that is more than :data:`ISOLATED_KM` from all its
    neighbours, with the reason; :func:`_from_neighbours` then decides where it is."""
    located = [r for r in resolutions if r.rows]
    points = np.array([_mean_point(list(r.rows)) for r in located])
    lat, lon = points[:, 0], points[:, 1]
    # Vectorised per offset: one scalar call per pair cost 0.5 s at every start.
    nearest = np.full(len(located), np.inf)
    for step in range(1, NEIGHBOURS_EACH_SIDE + 1):
        gap = great_circle_km(lat[step:], lon[step:], lat[:-step], lon[:-step])
        nearest[step:] = np.minimum(nearest[step:], gap)  # the neighbour `step` below
        nearest[:-step] = np.minimum(nearest[:-step], gap)  # the neighbour `step` above
    isolated: dict[str, str] = {}
    for i in np.flatnonzero(nearest > ISOLATED_KM):
        r = located[int(i)]
        isolated[r.pc4] = (
            f"the postcode table places it at {_places(list(r.rows))}, {nearest[i]:.0f} km"
            " from the nearest of its neighbouring postcodes"
        )
    return [
        RowResolution(r.pc4, r.all_rows, (), r.votes, isolated[r.pc4]) if r.pc4 in isolated else r
        for r in resolutions
    ]


def _from_neighbours(resolutions: list[RowResolution]) -> list[RowResolution]:
    """Locate each PC4 whose rows were not trusted from its numeric neighbours, or refuse it.

    The :data:`NEIGHBOURS_EACH_SIDE` nearest PC4s by number on each side that are located
    by their own rows must all lie within :data:`NEIGHBOURS_AGREE_KM` of their median.
    Then the group of the PC4's own rows whose mean is nearest to that median locates it
    if it lies within the same distance (7887: Erica, of Erica and Emmer-Compascuum,
    which tied the vote); otherwise the median does. Else the PC4 is refused.
    Only the few PC4s whose rows were not trusted are looked at: this runs at every start.
    """
    trusted = [r.pc4 for r in resolutions if r.rows]
    rows_of = {r.pc4: r.rows for r in resolutions if r.rows}
    decided: list[RowResolution] = []
    for r in resolutions:
        if r.rows:
            decided.append(r)
            continue
        below = bisect.bisect_left(trusted, r.pc4)  # r.pc4 itself is not in `trusted`
        neighbours = trusted[max(0, below - NEIGHBOURS_EACH_SIDE) : below + NEIGHBOURS_EACH_SIDE]
        points = [_mean_point(list(rows_of[n])) for n in neighbours]
        middle = _median_point(points) if points else (0.0, 0.0)
        spread = max((_km(middle, p) for p in points), default=0.0)
        names = f"{neighbours[0]}-{neighbours[-1]}" if neighbours else "none"
        if len(neighbours) < 2 * NEIGHBOURS_EACH_SIDE:
            why = f"; it has too few neighbouring postcodes ({names}) to be located from them"
            decided.append(replace(r, reason=r.reason + why))
            continue
        if spread > NEIGHBOURS_AGREE_KM:
            why = (
                f"; its neighbouring postcodes ({names}) lie up to {spread:.0f} km from their"
                f" median, more than {NEIGHBOURS_AGREE_KM:g} km, so they cannot locate it either"
            )
            decided.append(replace(r, reason=r.reason + why))
            continue
        group = min(_groups(list(r.all_rows)), key=lambda g: _km(middle, _mean_point(g)))
        km = _km(middle, _mean_point(group))
        if km <= NEIGHBOURS_AGREE_KM:
            why = (
                f"; of those places {_places(group)} is the one nearest ({km:.1f} km) to the"
                f" median of its neighbouring postcodes ({names}, all within {spread:.1f} km)"
            )
            decided.append(replace(r, rows=tuple(group), reason=r.reason + why))
            continue
        why = (
            f"; located from its neighbours: the median of {', '.join(neighbours)}"
            f" (all within {spread:.1f} km of it)"
        )
        decided.append(replace(r, reason=r.reason + why, neighbours=tuple(neighbours)))
    return decided


def _majority(codes: list[str]) -> str:
    """The code most of ``codes`` have; of equally many, the first."""
    return max(codes, key=lambda c: (codes.count(c), -codes.index(c)))


def _location(pc4: str, group: list[dict[str, str]]) -> Location:
    codes = [_municipality_code(row) for row in group]
    # Majority, not first row: 7461 has a Wierden row first but is Rijssen (2 of 3 rows).
    code = _majority(codes)
    main = group[codes.index(code)]
    latitude, longitude = _mean_point(group)
    return Location(
        pc4=pc4,
        latitude=latitude,
        longitude=longitude,
        place=main["place"],
        municipality_code=code,
        municipality_name=_municipality_name(main),
        province=group[0]["state"].strip(),
        single_municipality=len(set(codes)) == 1,
    )


def _interpolated(pc4: str, around: list[Location]) -> Location:
    """A PC4 at the median of its neighbours, in the municipality most of them are in
    (of equally many, the one of the neighbour nearest to the median)."""
    lat, lon = _median_point([(n.latitude, n.longitude) for n in around])
    nearest = sorted(around, key=lambda n: _km((lat, lon), (n.latitude, n.longitude)))
    codes = [n.municipality_code for n in nearest]
    code = _majority(codes)
    main = nearest[codes.index(code)]
    return Location(
        pc4=pc4,
        latitude=lat,
        longitude=lon,
        place=f"{main.place} (located from its neighbours)",
        municipality_code=code,
        municipality_name=main.municipality_name,
        province=main.province,
        single_municipality=len(set(codes)) == 1,
        located_from_neighbours=True,
    )


@cache
def postcode_rows() -> tuple[dict[str, str], ...]:
    """The rows of the shipped CSV as they are: the only place that reads the file.

    Everything that locates a postcode uses :func:`postcode_table`; the raw rows are for
    listing what :func:`resolve_rows` decided (``scripts/postcode_rows.py``) and for tests.
    """
    text = resources.files("matching").joinpath("data/nl_postcodes_pc4.csv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines()))


@cache
def postcode_table() -> PostcodeTable:
    """The shipped table, read once per process."""
    return PostcodeTable.from_csv_rows(list(postcode_rows()))


def great_circle_km(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    """Haversine distance in km, elementwise and broadcasting; not rounded."""
    p1 = np.radians(lat1)
    p2 = np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dphi / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2.0) ** 2
    return np.asarray(2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(h, 1.0))))


def round_km(km: FloatArray) -> FloatArray:
    """The engine's distance resolution: 0.1 km (what the explanations print)."""
    return np.asarray(np.round(km, 1))


def engine_km(
    lat1: FloatArray | float,
    lon1: FloatArray | float,
    lat2: FloatArray | float,
    lon2: FloatArray | float,
) -> FloatArray:
    """The engine's distance, elementwise: great circle rounded to 0.1 km. Every path
    (per pair, bulk, reason index) measures with this one function."""
    return round_km(great_circle_km(lat1, lon1, lat2, lon2))


def distance_km(a: Location, b: Location) -> float:
    """The engine's distance for one pair: the bulk function on a single element."""
    d = engine_km(
        np.array([a.latitude]),
        np.array([a.longitude]),
        np.array([b.latitude]),
        np.array([b.longitude]),
    )
    return float(d[0])


def geodesic_km(a: Location, b: Location) -> float:
    """Ellipsoidal (WGS84) distance by geopy: the reference for single pairs."""
    # Imported here: only tests and benchmarks ask for the reference, and geopy costs
    # 0.11 s to import (-X importtime), a sixth of a whole `dichtbij rank` run.
    from geopy.distance import geodesic

    return float(geodesic((a.latitude, a.longitude), (b.latitude, b.longitude)).km)


def _unit_vectors(lat: FloatArray, lon: FloatArray) -> FloatArray:
    p = np.radians(lat)
    lm = np.radians(lon)
    return np.column_stack((np.cos(p) * np.cos(lm), np.cos(p) * np.sin(lm), np.sin(p)))


_BRUTE_FORCE_PAIRS = 250_000
"""Up to this many (query, point) pairs every chord is computed directly: for a region
that is faster than building trees, and scipy.spatial (0.2 s to import) is never loaded."""


class SpatialIndex:
    """A k-d tree over points on the unit sphere, queried by great-circle radius."""

    def __init__(self, latitudes: FloatArray, longitudes: FloatArray) -> None:
        self._points = _unit_vectors(latitudes, longitudes)
        self.size = len(latitudes)
        self._tree: Any = None

    def _kdtree(self) -> Any:
        if self._tree is None:
            from scipy.spatial import cKDTree

            self._tree = cKDTree(self._points)
        return self._tree

    def within(
        self, latitudes: FloatArray, longitudes: FloatArray, radius_km: float
    ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """All (query, point) index pairs whose great-circle distance may be <= radius.

        The chord is computed with a small margin, so the caller filters on the exact
        distance afterwards; no pair within the radius is ever missed.
        """
        if self.size == 0 or len(latitudes) == 0:
            empty = np.empty(0, dtype=np.intp)
            return empty, empty
        chord = 2.0 * np.sin(min(np.pi, (radius_km + 0.5) / EARTH_RADIUS_KM) / 2.0)
        queries = _unit_vectors(latitudes, longitudes)
        if len(queries) * self.size <= _BRUTE_FORCE_PAIRS:
            gap = queries[:, None, :] - self._points[None, :, :]
            rows, cols = np.nonzero(np.einsum("qpk,qpk->qp", gap, gap) <= chord * chord)
            return rows.astype(np.intp), cols.astype(np.intp)
        from scipy.spatial import cKDTree

        query_tree = cKDTree(queries)
        sparse = query_tree.sparse_distance_matrix(self._kdtree(), chord, output_type="coo_matrix")
        return sparse.row.astype(np.intp), sparse.col.astype(np.intp)
