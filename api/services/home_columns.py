"""The columns of a homes CSV file, in one table: the import reads them, the template
writes them and docs/api.md lists them, with the Dutch name a spreadsheet may use."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from matching.explain import HOME_TYPE_NAMES
from matching.model import CARE_DOMAINS, CareKind, HomeType


@dataclass(frozen=True, slots=True)
class HomeColumn:
    name: str  # the API's field name, and the column name the template writes
    dutch: str  # the Dutch name a file may use instead (spaces or underscores)
    kind: str  # as docs/api.md states the type
    example: str


HOME_COLUMNS: tuple[HomeColumn, ...] = (
    HomeColumn("id", "code", "text, required", "H-NIEUW-1"),
    HomeColumn("organisation", "organisatie", "text (admin: required)", "org-a"),
    HomeColumn("type", "soort", "home type, required", "foster"),
    HomeColumn("postcode", "postcode", "PC4 or PC6, required", "3911"),
    HomeColumn("beds_free", "vrije_bedden", "whole number, required", "1"),
    HomeColumn("age_min", "leeftijd_min", "whole number", "0"),
    HomeColumn("age_max", "leeftijd_max", "whole number", "18"),
    HomeColumn("max_siblings", "max_broers_zussen", "whole number", "2"),
    HomeColumn("religion", "geloof", "code", "christian"),
    HomeColumn("languages", "talen", "codes separated by ; , | or spaces", "nl ar"),
    HomeColumn("available_from", "beschikbaar_vanaf", "date: 2026-12-01 or 1-12-2026", ""),
    HomeColumn("available_until", "beschikbaar_tot", "date: 2026-12-01 or 1-12-2026", ""),
    HomeColumn("known_to", "bekend_bij", "child ids (network_foster only)", ""),
    HomeColumn("care_kinds", "zorgvormen", "codes", ""),
    HomeColumn(
        "part_time_places_free",
        "vrije_deeltijdplaatsen",
        "whole number (with care_kinds part_time only)",
        "",
    ),
)
#: A care domain's level column: ``capabilities.trauma`` or, in Dutch, ``zorg.trauma``.
CAPABILITY_PREFIX = "capabilities."
DUTCH_CAPABILITY_PREFIX = "zorg."

#: Dutch words a file may write for a code, per column, as the Dutch column names are
#: understood: the screens' names of the home types, a few everyday ones, and one word per
#: care kind (a list cell is split at spaces, so no name of two words there).
DUTCH_VALUES: dict[str, dict[str, str]] = {
    "type": {
        **{name: code for code, name in HOME_TYPE_NAMES["nl"].items()},
        "pleeggezin": HomeType.FOSTER.value,
        "leefgroep": HomeType.RESIDENTIAL.value,
        "behandelgroep": HomeType.RESIDENTIAL.value,
    },
    "care_kinds": {
        "crisisopvang": CareKind.CRISIS.value,
        "perspectiefzoekend": CareKind.SHORT_TERM.value,
        "perspectiefbiedend": CareKind.LONG_TERM.value,
        "deeltijdpleegzorg": CareKind.PART_TIME.value,
    },
}

_BY_DUTCH = {c.dutch: c.name for c in HOME_COLUMNS}
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")


def _key(header: str) -> str:
    return re.sub(r"[\s_]+", "_", header.strip().lower())


def canonical_column(header: str) -> str:
    """The API name of a header cell: Dutch names, case and spaces are forgiven; an
    unknown header comes back stripped, for the unknown-column problem to name."""
    key = _key(header)
    if key.startswith(DUTCH_CAPABILITY_PREFIX):
        return CAPABILITY_PREFIX + key.removeprefix(DUTCH_CAPABILITY_PREFIX)
    if key.startswith(CAPABILITY_PREFIX):
        return key
    if key in _BY_DUTCH:
        return _BY_DUTCH[key]
    if key in {c.name for c in HOME_COLUMNS}:
        return key
    return header.strip()


def canonical_value(column: str, value: str) -> str:
    """The code for a Dutch word in ``column`` (``bestandspleeggezin`` -> ``foster``; case
    and spaces forgiven); any other value unchanged, for the schema to judge."""
    words = DUTCH_VALUES.get(column)
    if words is None:
        return value
    return words.get(" ".join(value.lower().split()), value)


def iso_date(value: str) -> str:
    """``1-12-2026`` and ``01/12/2026`` (day first, as Dutch Excel writes dates) as ISO;
    any other text unchanged, for the schema to judge."""
    m = _DUTCH_DATE.fullmatch(value.strip())
    if m is None:
        return value
    day, month, year = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return value


def template_csv(organisation: str) -> str:
    """The downloadable template: every column by its API name, and one example row."""
    names: list[str] = []
    for column in HOME_COLUMNS:
        names.append(column.name)
        if column.name == "max_siblings":
            names.extend(f"{CAPABILITY_PREFIX}{d.value}" for d in CARE_DOMAINS)
    example = {c.name: c.example for c in HOME_COLUMNS if c.name not in ("religion",)}
    example.update({"organisation": organisation, f"{CAPABILITY_PREFIX}trauma": "1"})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(names)
    writer.writerow([example.get(n, "") for n in names])
    return buffer.getvalue()
