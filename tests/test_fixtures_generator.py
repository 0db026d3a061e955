"""The deterministic fixture generator (``fixtures.generate``).

The checks read the postcode table through the engine (``matching.geo``), not through
the generator, so that a bug in the generator's table handling cannot hide itself.
"""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fixtures.generate import (
    FOODVALLEY,
    dumps_scenario,
    generate,
    generate_national,
    generate_region,
    main,
    summarize,
    summary_markdown,
)
from matching.geo import postcode_rows, postcode_table, resolve_rows

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = date(2026, 11, 23)
DOMAINS = {"trauma", "behaviour", "mental_health", "autism", "lvb", "medical", "addiction"}
SPLIT_REASONS = {
    "specialist_care",
    "sibling_threat",
    "severe_conflict",
    "sexual_abuse_suspected",
    "other",
}

Scenario = dict[str, Any]


# ----------------------------------------------------------------------------- helpers


def _table() -> tuple[dict[str, set[str]], dict[str, tuple[float, float]]]:
    """Each PC4's municipalities (of the places that locate it; of a PC4 located from its
    neighbours, the one it is given) and its centroid, as the engine reads the table: one
    reader, so that a fixture and the engine agree on where a postcode is (the mean of
    all rows once put 2324 between Leiden and Amersfoort)."""
    table = postcode_table()
    munis = {
        r.pc4: {row["province_code"] for row in r.rows}
        if r.rows
        else {table.locate(r.pc4).municipality_code}
        for r in resolve_rows(list(postcode_rows()))
        if not r.refused
    }
    centre = {pc: (table.locate(pc).latitude, table.locate(pc).longitude) for pc in table.pc4s}
    return munis, centre


MUNIS, CENTRE = _table()


def _pc4(postcode: str) -> str:
    return postcode.replace(" ", "")[:4]


def _km(a: str, b: str) -> float:
    """Great-circle distance between two postcodes' PC4 centroids (haversine)."""
    la1, lo1 = (math.radians(v) for v in CENTRE[_pc4(a)])
    la2, lo2 = (math.radians(v) for v in CENTRE[_pc4(b)])
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _age(child: dict[str, Any]) -> int:
    if "birth_date" in child:
        b = date.fromisoformat(child["birth_date"])
        return REFERENCE.year - b.year - ((REFERENCE.month, REFERENCE.day) < (b.month, b.day))
    return int(child["age"])


def _groups(children: list[dict[str, Any]]) -> list[frozenset[str]]:
    """Sibling groups as the closure of ``siblings`` (connected components)."""
    by_id = {c["id"]: c for c in children}
    seen: set[str] = set()
    groups = []
    for c in children:
        if c["id"] in seen:
            continue
        stack, comp = [c["id"]], set()
        while stack:
            cid = stack.pop()
            if cid in comp:
                continue
            comp.add(cid)
            stack.extend(by_id[cid].get("siblings", []))
        seen |= comp
        groups.append(frozenset(comp))
    return groups


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def region() -> Scenario:
    return generate_region()


@pytest.fixture(scope="module")
def national() -> Scenario:
    return generate_national()


@pytest.fixture(params=["region", pytest.param("national", marks=pytest.mark.slow)], scope="module")
def scenario(request: pytest.FixtureRequest) -> Scenario:
    result: Scenario = request.getfixturevalue(request.param)
    return result


# ----------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_json() -> None:
    assert dumps_scenario(generate_region(7)) == dumps_scenario(generate_region(7))
    assert dumps_scenario(generate_region(123)) == dumps_scenario(generate_region(123))


def test_different_seed_gives_different_json() -> None:
    assert dumps_scenario(generate_region(7)) != dumps_scenario(generate_region(8))


@pytest.mark.slow
def test_national_same_seed_identical_and_different_seed_differs(national: Scenario) -> None:
    text = dumps_scenario(national)
    assert dumps_scenario(generate_national(11)) == text
    assert dumps_scenario(generate_national(12)) != text


def test_cli_writes_byte_identical_files_in_fresh_processes(tmp_path: Path) -> None:
    outs = []
    for hash_seed in ("1", "2"):  # set and dict order must not matter
        out = tmp_path / f"region-{hash_seed}.json"
        subprocess.run(
            [sys.executable, "-m", "fixtures.generate", "region", "--seed", "5", "--out", str(out)],
            cwd=ROOT,
            check=True,
            env={"PYTHONHASHSEED": hash_seed},
        )
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert json.loads(outs[0]) == generate_region(5)


def test_committed_region_and_demo_files_are_up_to_date() -> None:
    expected = dumps_scenario(generate_region(7))
    assert (ROOT / "fixtures" / "region-foodvalley.json").read_text(encoding="utf-8") == expected
    assert (ROOT / "matching" / "data" / "demo-scenario.json").read_text(
        encoding="utf-8"
    ) == expected


def test_dumps_is_valid_json_with_one_object_per_line(region: Scenario) -> None:
    text = dumps_scenario(region)
    assert json.loads(text) == region
    lines = text.splitlines()
    assert len(lines) == len(region["homes"]) + len(region["children"]) + 9
    assert text.endswith("}\n")


# ----------------------------------------------------------------------------- counts


def test_header(scenario: Scenario) -> None:
    assert scenario["format"] == "dichtbij.scenario/1"
    assert scenario["reference_date"] == "2026-11-23"
    assert scenario["policy"] == {}
    assert list(scenario) == ["format", "reference_date", "policy", "homes", "children"]


def test_region_counts(region: Scenario) -> None:
    assert 50 <= len(region["children"]) <= 70
    assert len(region["homes"]) >= 30


@pytest.mark.slow
def test_national_counts_and_speed() -> None:
    start = time.perf_counter()
    scenario = generate_national(3)
    assert time.perf_counter() - start < 10.0
    assert len(scenario["children"]) == 3000
    assert len(scenario["homes"]) == 20000
    free = [h for h in scenario["homes"] if h["beds_free"] > 0]
    assert 1000 < len(free) < 4000  # most registered homes are full


def test_ids_unique_and_styled(scenario: Scenario) -> None:
    home_ids = [h["id"] for h in scenario["homes"]]
    child_ids = [c["id"] for c in scenario["children"]]
    assert len(set(home_ids)) == len(home_ids)
    assert len(set(child_ids)) == len(child_ids)
    assert all(i.startswith("H-") and len(i) == 7 and i[2:].isdigit() for i in home_ids)
    assert all(i.startswith("C-") and len(i) == 6 and i[2:].isdigit() for i in child_ids)
    assert home_ids == sorted(home_ids)
    assert child_ids == sorted(child_ids)


def test_free_beds_match_waiting_children(scenario: Scenario) -> None:
    n = len(scenario["children"])
    free = [h for h in scenario["homes"] if h["beds_free"] > 0]
    beds = sum(h["beds_free"] for h in free)
    assert 0.85 * n <= beds <= 1.15 * n
    one_or_two = sum(1 for h in free if h["beds_free"] in (1, 2))
    assert one_or_two / len(free) >= 0.75


def test_type_mix_of_free_beds(scenario: Scenario) -> None:
    beds: Counter[str] = Counter()
    for h in scenario["homes"]:
        beds[h["type"]] += h["beds_free"]
    total = sum(beds.values())
    share = {t: beds[t] / total for t in beds}
    assert 0.40 <= share["foster"] <= 0.60
    assert 0.10 <= share["family_home"] <= 0.20
    assert 0.03 <= share["small_scale"] <= 0.12
    assert 0.02 <= share["residential"] <= 0.10
    assert 0.15 <= share["network_foster"] <= 0.35
    assert share["foster"] == max(share.values())


# ----------------------------------------------------------------------------- homes


def test_home_fields_are_sane(scenario: Scenario) -> None:
    for h in scenario["homes"]:
        assert h["type"] in {
            "network_foster",
            "foster",
            "family_home",
            "small_scale",
            "residential",
        }
        assert h["organisation"]
        assert h["organisation"] == h["organisation"].lower()
        assert " " not in h["organisation"]
        assert 0 <= h["age_min"] <= h["age_max"] <= 23
        assert h["max_siblings"] >= 1
        assert set(h["capabilities"]) <= DOMAINS
        assert all(1 <= v <= 3 for v in h["capabilities"].values())
        if "available_from" in h and "available_until" in h:
            assert h["available_from"] <= h["available_until"]
        if h["type"] == "residential":
            assert h["capabilities"]["trauma"] == 3
            assert h["capabilities"]["addiction"] == 2
        if h["type"] == "family_home":
            assert h["beds_free"] <= 4
            assert 3 <= h["max_siblings"] <= 4
        assert ("known_to" in h) == (h["type"] == "network_foster")


def test_some_homes_have_availability_windows(scenario: Scenario) -> None:
    free = [h for h in scenario["homes"] if h["beds_free"] > 0]
    windows = [h for h in free if "available_from" in h or "available_until" in h]
    future = [h for h in windows if h.get("available_from", "") > "2026-11-23"]
    ended = [h for h in windows if h.get("available_until", "9999") < "2026-11-23"]
    assert future  # not yet available
    assert ended  # a window that already closed
    assert len(windows) > len(future) + len(ended)  # and windows open now
    assert 0.05 <= len(windows) / len(free) <= 0.15


def test_network_homes_cover_whole_groups(scenario: Scenario) -> None:
    children = {c["id"]: c for c in scenario["children"]}
    group_of = {cid: g for g in _groups(scenario["children"]) for cid in g}
    claimed: Counter[str] = Counter()
    near = 0
    network = [h for h in scenario["homes"] if h["type"] == "network_foster"]
    assert network
    for h in network:
        known = set(h["known_to"])
        assert known <= set(children)
        first = next(iter(known))
        assert known == group_of[first]  # one child or one whole sibling group
        claimed.update(known)
        near += _km(h["postcode"], children[first]["parents_postcode"]) <= 25.0
        assert all("min_distance_from_parents_km" not in children[c] for c in known)
    assert max(claimed.values()) == 1
    assert 0.20 <= len(claimed) / len(children) <= 0.32
    assert near / len(network) >= 0.7  # mostly close by (80%), some far away
    assert near < len(network)


def test_current_homes_exist_and_accept_the_childs_age(scenario: Scenario) -> None:
    homes = {h["id"]: h for h in scenario["homes"]}
    placed = [c for c in scenario["children"] if "current_home" in c]
    assert 0.02 <= len(placed) / len(scenario["children"]) <= 0.08
    for c in placed:
        home = homes[c["current_home"]]
        assert home["type"] != "network_foster"
        assert home["age_min"] <= _age(c) <= home["age_max"]


# ----------------------------------------------------------------------------- children


def test_children_fields_are_sane(scenario: Scenario) -> None:
    for c in scenario["children"]:
        assert ("age" in c) != ("birth_date" in c)
        assert 0 <= _age(c) <= 17
        assert set(c["needs"]) <= DOMAINS
        assert all(1 <= v <= 3 for v in c["needs"].values())
        assert c["urgency"] in ("crisis", "planned")
        if "addiction" in c["needs"]:
            assert _age(c) >= 15
    with_birth = sum(1 for c in scenario["children"] if "birth_date" in c)
    assert 0.35 <= with_birth / len(scenario["children"]) <= 0.65


def test_school_postcode_only_from_four_and_near_parents(scenario: Scenario) -> None:
    schooled = [c for c in scenario["children"] if "school_postcode" in c]
    assert schooled
    for c in schooled:
        assert _age(c) >= 4
        assert _km(c["school_postcode"], c["parents_postcode"]) <= 8.5


def test_every_postcode_is_in_the_table(scenario: Scenario) -> None:
    codes = [h["postcode"] for h in scenario["homes"]]
    for c in scenario["children"]:
        codes.append(c["parents_postcode"])
        if "school_postcode" in c:
            codes.append(c["school_postcode"])
    for code in codes:
        assert len(code) in (4, 6, 7)
        assert _pc4(code) in MUNIS, code
        if len(code) > 4:
            assert code[4:].strip().isalpha()
            assert code[4:].strip().isupper()
    assert any(len(c) == 6 for c in codes)
    assert any(len(c) == 7 for c in codes)


def test_region_parents_live_in_foodvalley(region: Scenario) -> None:
    for c in region["children"]:
        assert MUNIS[_pc4(c["parents_postcode"])] <= set(FOODVALLEY), c["id"]
    homes = [h for h in region["homes"] if h["type"] != "network_foster"]
    inside = sum(1 for h in homes if MUNIS[_pc4(h["postcode"])] & set(FOODVALLEY))
    assert inside / len(homes) >= 0.6  # 85% drawn inside
    # The others are neighbours, not across the country.
    ede = "6711"
    assert all(_km(h["postcode"], ede) <= 45 for h in homes)


def test_siblings_symmetric_and_groups_of_two_to_four(scenario: Scenario) -> None:
    by_id = {c["id"]: c for c in scenario["children"]}
    for c in scenario["children"]:
        for s in c.get("siblings", []):
            assert c["id"] in by_id[s]["siblings"]
    groups = [g for g in _groups(scenario["children"]) if len(g) > 1]
    sizes = Counter(len(g) for g in groups)
    assert set(sizes) <= {2, 3, 4}
    if len(groups) > 30:
        assert sizes[2] > sizes[3] > sizes[4] > 0
    in_groups = sum(len(g) for g in groups)
    assert 0.25 <= in_groups / len(scenario["children"]) <= 0.40
    for g in groups:
        members = [by_id[m] for m in g]
        assert len({m["parents_postcode"] for m in members}) == 1
        for m in members:
            assert set(m["siblings"]) == g - {m["id"]}  # listed completely
        ages = sorted(_age(m) for m in members)
        assert all(1 <= b - a <= 6 for a, b in itertools.pairwise(ages))


def test_split_reasons_and_notes(scenario: Scenario) -> None:
    groups = [g for g in _groups(scenario["children"]) if len(g) > 1]
    by_id = {c["id"]: c for c in scenario["children"]}
    with_reason = [g for g in groups if any("split_reason" in by_id[m] for m in g)]
    assert with_reason
    assert len(with_reason) / len(groups) <= 0.2
    for c in scenario["children"]:
        if "split_reason" in c:
            assert c["split_reason"] in SPLIT_REASONS
            assert c.get("siblings")
        if c.get("split_reason") == "other":
            assert c["split_note"].strip()
        if "split_note" in c:
            assert c.get("split_reason") == "other"


def test_keep_apart_symmetric_and_never_inside_an_unsplittable_group(
    scenario: Scenario,
) -> None:
    by_id = {c["id"]: c for c in scenario["children"]}
    group_of = {cid: g for g in _groups(scenario["children"]) for cid in g}
    cross = 0
    for c in scenario["children"]:
        for other in c.get("keep_apart", []):
            assert other != c["id"]
            assert c["id"] in by_id[other]["keep_apart"]
            group = group_of[c["id"]]
            if other in group:
                reasons = {by_id[m].get("split_reason") for m in group}
                assert reasons & {"sibling_threat", "sexual_abuse_suspected"}
            else:
                cross += 1
    assert cross >= 2  # at least one symmetric pair across families


def test_crisis_and_confidential_placements(scenario: Scenario) -> None:
    children = scenario["children"]
    crisis = sum(1 for c in children if c["urgency"] == "crisis")
    assert 0.15 <= crisis / len(children) <= 0.25
    confidential = [c for c in children if "min_distance_from_parents_km" in c]
    assert 1 <= len(confidential) <= max(3, 0.06 * len(children))
    for c in confidential:
        assert 20 <= c["min_distance_from_parents_km"] <= 40
        assert c["urgency"] == "crisis"


def test_some_children_are_hard_to_place(scenario: Scenario) -> None:
    level3 = [c for c in scenario["children"] if 3 in c["needs"].values()]
    assert 0.02 <= len(level3) / len(scenario["children"]) <= 0.20
    older = [c for c in scenario["children"] if _age(c) >= 12]
    younger = [c for c in scenario["children"] if _age(c) < 12]

    def share(kids: list[dict[str, Any]], domain: str) -> float:
        return sum(1 for c in kids if domain in c["needs"]) / len(kids)

    assert share(older, "mental_health") > share(younger, "mental_health")
    assert share(older, "behaviour") > share(younger, "behaviour")
    assert share(scenario["children"], "trauma") > 0.7


@pytest.mark.slow
def test_national_is_population_like(national: Scenario) -> None:
    """Big-city municipalities get more children than their share of PC4s."""
    cities = {"0363", "0599", "0518", "0344"}  # Amsterdam, Rotterdam, The Hague, Utrecht
    city_pc4s = sum(1 for pc, m in MUNIS.items() if m & cities)
    in_cities = sum(1 for c in national["children"] if MUNIS[_pc4(c["parents_postcode"])] & cities)
    assert in_cities / len(national["children"]) > 1.3 * city_pc4s / len(MUNIS)


@pytest.mark.slow
def test_part_time_places_only_and_always_where_part_time_care_is_offered(
    national: Scenario,
) -> None:
    from fixtures.generate.care import PART_TIME_PLACES

    offering = [h for h in national["homes"] if "part_time" in h.get("care_kinds", [])]
    assert all("part_time_places_free" in h for h in offering)
    assert all(
        "part_time_places_free" not in h
        for h in national["homes"]
        if "part_time" not in h.get("care_kinds", [])
    )
    # The documented shares (docs/fixtures.md), within sampling error.
    for places, share in PART_TIME_PLACES:
        seen = sum(h["part_time_places_free"] == places for h in offering) / len(offering)
        assert abs(seen - share) < 0.05, (places, seen, share)


def test_engine_accepts_the_scenarios(scenario: Scenario) -> None:
    """The matching package's own validator finds nothing wrong (when it is there)."""
    loader = pytest.importorskip("matching.scenario")
    parsed = loader.load_scenario(dumps_scenario(scenario))
    assert len(parsed.children) == len(scenario["children"])
    assert len(parsed.homes) == len(scenario["homes"])


# ----------------------------------------------------------------------------- summary, CLI


def test_summary_numbers_agree_with_the_scenario(region: Scenario) -> None:
    s = summarize(region)
    assert s["children"] == len(region["children"])
    assert s["homes"] == len(region["homes"])
    assert s["free_beds"] == sum(h["beds_free"] for h in region["homes"])
    assert sum(row["free_beds"] for row in s["homes_by_type"].values()) == s["free_beds"]
    assert s["children_age_0_3"] + s["children_age_4_11"] + s["children_age_12_17"] == 60
    in_groups = sum(int(k) * v for k, v in s["sibling_groups"].items())
    assert in_groups == s["children_in_sibling_groups"]
    text = summary_markdown(region, "region")
    assert "| foster |" in text
    assert "| crisis |" in text


def test_cli_summary_and_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["region", "--summary"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#### region, seed 7")
    assert "| network_foster |" in out
    assert main(["region", "--seed", "7"]) == 0
    assert json.loads(capsys.readouterr().out) == generate_region(7)


def test_generate_dispatch() -> None:
    assert generate("region") == generate_region(7)
    with pytest.raises(ValueError, match="unknown fixture"):
        generate("province")


@pytest.mark.slow
def test_a_scaled_national_scenario_has_scaled_counts() -> None:
    scenario = generate_national(11, scale=0.5)
    assert len(scenario["children"]) == 1500
    assert len(scenario["homes"]) == 10000


def test_a_scale_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="scale must be positive"):
        generate_national(11, scale=0)
