"""Postcodes and distances: offline table, one engine distance, geopy as the reference."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching import geo
from matching.geo import (
    PostcodeError,
    PostcodeTable,
    SpatialIndex,
    distance_km,
    geodesic_km,
    great_circle_km,
    parse_postcode,
    postcode_table,
)


@pytest.mark.parametrize(
    ("raw", "pc4", "letters"),
    [
        ("6711", "6711", None),
        ("6711AB", "6711", "AB"),
        ("6711 ab", "6711", "AB"),
        (" 6711 AB ", "6711", "AB"),
    ],
)
def test_parse_accepts_pc4_and_pc6_forms(raw: str, pc4: str, letters: str | None) -> None:
    pc = parse_postcode(raw)
    assert (pc.pc4, pc.letters) == (pc4, letters)


@pytest.mark.parametrize("raw", ["671", "0711", "6711A", "6711ABC", "abcd", "6711-AB", "6" * 40])
def test_parse_rejects_malformed_postcodes_naming_the_value(raw: str) -> None:
    with pytest.raises(PostcodeError, match="is not a Dutch postcode"):
        parse_postcode(raw)


def test_unknown_pc4_is_an_error_naming_the_value() -> None:
    with pytest.raises(PostcodeError, match="'1000'"):
        postcode_table().locate("1000")


def test_table_holds_every_pc4_once_and_trusts_the_code_over_the_name() -> None:
    table = postcode_table()
    assert len(table) == 4086
    assert table.locate("3861").municipality_code == "0267"
    assert table.municipality_names()["0267"] == "Nijkerk"
    assert table.locate("6712").municipality_name == "Ede"


def test_no_pc4_belongs_to_municipality_0000() -> None:
    # GeoNames has no code for Voorne aan Zee (formed 2023); an empty code once became
    # '0000' and showed as a municipality on screens and in the audit.
    table = postcode_table()
    assert "0000" not in table.municipality_codes
    assert all(len(c) == 4 and c.isdigit() and int(c) > 0 for c in table.municipality_codes)
    loc = table.locate("3221")
    assert (loc.municipality_code, loc.municipality_name) == ("1992", "Voorne aan Zee")
    assert table.municipality_names()["1992"] == "Voorne aan Zee"


def test_a_postcode_row_without_municipality_code_is_refused_not_read_as_0000() -> None:
    row = {
        "zipcode": "9999",
        "place": "Nergenshuizen",
        "state": "Utrecht",
        "province": "",
        "province_code": "",
        "latitude": "52.0",
        "longitude": "5.0",
    }
    with pytest.raises(ValueError, match="9999 \\(Nergenshuizen\\) has no municipality code"):
        PostcodeTable.from_csv_rows([row])


def test_a_pc4_spanning_municipalities_belongs_to_the_one_most_of_its_places_are_in() -> None:
    # 7461: a Wierden row (0189) comes first, but two of its three places are Rijssen and
    # Holten (1742); the engine and the fixture generator once disagreed on it.
    loc = postcode_table().locate("7461")
    assert (loc.municipality_code, loc.municipality_name) == ("1742", "Rijssen-Holten")
    assert loc.place == "Rijssen"
    assert not loc.single_municipality


def test_the_fixture_generator_reads_postcodes_through_the_engines_table() -> None:
    from fixtures.generate import load_pc4_table

    table, fixture_table = postcode_table(), load_pc4_table()
    assert fixture_table.codes == table.pc4s
    assert fixture_table.municipality == table.municipality_codes
    assert fixture_table.municipality[fixture_table.index["7461"]] == "1742"


def test_great_circle_agrees_with_geopy_geodesic_within_half_a_percent() -> None:
    table = postcode_table()
    rng = random.Random(3)
    worst = 0.0
    for _ in range(1500):
        a, b = table.locate(rng.choice(table.pc4s)), table.locate(rng.choice(table.pc4s))
        reference = geodesic_km(a, b)
        if reference < 1.0:
            continue
        fast = float(great_circle_km(a.latitude, a.longitude, b.latitude, b.longitude))
        worst = max(worst, abs(fast - reference) / reference)
    assert worst < 0.005


def test_single_pair_distance_is_the_bulk_function_rounded_to_100_m() -> None:
    table = postcode_table()
    a, b = table.locate("6712"), table.locate("6708")
    bulk = great_circle_km(
        np.array([a.latitude]),
        np.array([a.longitude]),
        np.array([b.latitude]),
        np.array([b.longitude]),
    )
    assert distance_km(a, b) == round(float(bulk[0]), 1)
    assert distance_km(a, a) == 0.0


@pytest.mark.parametrize("path", ["k-d tree", "brute force"])
def test_spatial_index_finds_exactly_the_points_within_the_radius(
    path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small inputs compare every chord directly, large ones use the k-d tree: same answer.
    monkeypatch.setattr(geo, "_BRUTE_FORCE_PAIRS", 0 if path == "k-d tree" else 10**9)
    table = postcode_table()
    rng = np.random.default_rng(5)
    points = rng.choice(len(table), size=400, replace=False)
    queries = rng.choice(len(table), size=60, replace=False)
    index = SpatialIndex(table.latitudes[points], table.longitudes[points])
    q, p = index.within(table.latitudes[queries], table.longitudes[queries], 25.0)
    d = great_circle_km(
        table.latitudes[queries][q],
        table.longitudes[queries][q],
        table.latitudes[points][p],
        table.longitudes[points][p],
    )
    found = {(int(i), int(j)) for i, j, dist in zip(q, p, d, strict=True) if dist <= 25.0}
    all_d = great_circle_km(
        table.latitudes[queries][:, None],
        table.longitudes[queries][:, None],
        table.latitudes[points][None, :],
        table.longitudes[points][None, :],
    )
    expected = {(int(i), int(j)) for i, j in zip(*np.nonzero(all_d <= 25.0), strict=True)}
    assert found == expected
    assert expected  # the sample is dense enough to have neighbours
