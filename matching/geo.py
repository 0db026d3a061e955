"""Postcodes and distances, offline: PC4 centroids (GeoNames, CC BY 4.0) shipped in the package.

One distance is used for every decision, on every path: the great-circle distance between
PC4 centroids on the mean Earth sphere, rounded to 0.1 km. Bulk paths compute it
vectorised; a single pair goes through the very same function, so a score computed in
bulk and the same score explained pair by pair are identical. geopy's ellipsoidal
geodesic (:func:`geodesic_km`) is the accuracy reference: on Dutch distances the two
agree within 0.5 % (tested), far below the error of using a postcode centroid at all.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.model import Postcode

__all__ = [
    "EARTH_RADIUS_KM",
    "Location",
    "PostcodeError",
    "PostcodeTable",
    "SpatialIndex",
    "distance_km",
    "engine_km",
    "geodesic_km",
    "great_circle_km",
    "parse_postcode",
    "postcode_table",
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
    """

    pc4: str
    latitude: float
    longitude: float
    place: str
    municipality_code: str
    municipality_name: str
    province: str = ""
    single_municipality: bool = True


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
    """The PC4 centroids, indexed for scalar look-ups and for vectorised work."""

    def __init__(self, locations: list[Location]) -> None:
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
            raise PostcodeError(f"postcode '{pc4}' is not a known Dutch PC4 area") from None

    def municipality_names(self) -> dict[str, str]:
        return {loc.municipality_code: loc.municipality_name for loc in self._by_pc4.values()}

    @classmethod
    def from_csv_rows(cls, rows: list[dict[str, str]]) -> PostcodeTable:
        """The one reading of the shipped table that every caller (engine, fixtures) uses.

        A PC4 that spans several places has one row per place: it is located at their
        mean and belongs to the municipality most of them are in, the first such on a tie.
        """
        grouped: dict[str, list[dict[str, str]]] = {}
        for row in rows:
            grouped.setdefault(row["zipcode"].strip(), []).append(row)
        return cls([_location(pc4, grouped[pc4]) for pc4 in sorted(grouped)])


def _location(pc4: str, group: list[dict[str, str]]) -> Location:
    codes = [_municipality_code(row) for row in group]
    # Majority, not first row: 7461 has a Wierden row first but is Rijssen (2 of 3 rows).
    code = max(codes, key=lambda c: (codes.count(c), -codes.index(c)))
    main = group[codes.index(code)]
    return Location(
        pc4=pc4,
        latitude=sum(float(r["latitude"]) for r in group) / len(group),
        longitude=sum(float(r["longitude"]) for r in group) / len(group),
        place=main["place"],
        municipality_code=code,
        municipality_name=_municipality_name(main),
        province=group[0]["state"].strip(),
        single_municipality=len(set(codes)) == 1,
    )


@cache
def postcode_table() -> PostcodeTable:
    """The shipped table, read once per process."""
    text = resources.files("matching").joinpath("data/nl_postcodes_pc4.csv").read_text("utf-8")
    return PostcodeTable.from_csv_rows(list(csv.DictReader(text.splitlines())))


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
