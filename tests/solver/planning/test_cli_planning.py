"""``dichtbij match --frontier`` and ``dichtbij capacity`` through the command line: the
contract's keys, words in Dutch and English, and bad input refused with exit 2."""

from __future__ import annotations

import importlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from matching import Context, load_scenario
from solver import match
from solver.planning import with_extra_beds
from tests.builders import child, home, scenario_doc
from tests.commands import run, run_json

CAPACITY_KEYS = ["beds", "plan", "extra_placed", "extra_crisis", "score_gain", "recruitment"]
PROFILE_KEYS = [
    "municipality",
    "care_kind",
    "home_type",
    "age_min",
    "age_max",
    "needs",
    "siblings",
    "children",
]
POINT_KEYS = ["placed", "placed_crisis", "total_score", "distance_mean_km", "distance_median_km"]


def test_match_frontier_points_end_at_the_optimum(region_path: str) -> None:
    doc = run_json("match", "--scenario", region_path, "--frontier", "4")
    points = doc["frontier"]
    assert [p["placed"] for p in points] == list(range(doc["placed"] - 4, doc["placed"] + 1))
    for p in points:
        assert list(p)[: len(POINT_KEYS)] == POINT_KEYS
        assert p["status"] == "optimal"
        assert p["placed_crisis"] <= doc["placed_crisis"]
    assert points[-1]["total_score"] == doc["total_score"]
    # Without --frontier the document is unchanged: no frontier keys at all.
    assert "frontier" not in run_json("match", "--scenario", region_path)


def test_match_frontier_in_words(region_path: str) -> None:
    status, text = run("match", "--scenario", region_path, "--frontier", "3")
    assert status == 0
    assert "De laatste 3 kinderen plaatsen kost gemiddeld" in text
    # Each point's status in Dutch too: the table once read "optimal" in a Dutch text.
    table = text.split("Wat elk extra geplaatst kind kost\n", 1)[1].splitlines()[2:6]
    assert [row.split()[-1] for row in table] == ["optimaal"] * 4, table
    status, text = run("match", "--scenario", region_path, "--frontier", "3", "--lang", "en")
    assert "Placing the last 3 children costs on average" in text
    table = text.split("What each extra placed child costs\n", 1)[1].splitlines()[2:6]
    assert [row.split()[-1] for row in table] == ["optimal"] * 4, table


def test_match_frontier_of_one_child_in_words(region_path: str) -> None:
    # One child: "het laatste kind" (a het-word, singular), never "de laatste kind".
    status, text = run("match", "--scenario", region_path, "--frontier", "1")
    assert status == 0
    assert "Het laatste kind plaatsen kost gemiddeld" in text
    assert "De laatste kind" not in text
    status, text = run("match", "--scenario", region_path, "--frontier", "1", "--lang", "en")
    assert "Placing the last child costs on average" in text


def test_capacity_json_and_its_claim_holds_when_the_beds_are_added(region_path: str) -> None:
    doc = run_json("capacity", "--scenario", region_path, "--beds", "10")
    assert list(doc)[: len(CAPACITY_KEYS)] == CAPACITY_KEYS
    assert doc["beds"] == 10
    assert sum(b["extra_beds"] for b in doc["plan"]) <= 10
    assert doc["extra_placed"] >= 1
    # Checked here again, independently of the command: add the beds and match.
    scenario = load_scenario(Path(region_path).read_text("utf-8"))
    before = match(Context.of(scenario), explain=False)
    extra = {b["home_id"]: b["extra_beds"] for b in doc["plan"]}
    after = match(Context.of(with_extra_beds(scenario, extra)), explain=False)
    assert after.placed - before.placed >= doc["extra_placed"]
    assert after.placed_crisis - before.placed_crisis >= doc["extra_crisis"]
    newly = {cid for b in doc["plan"] for cid in b["children"]}
    assert len(newly) + len(doc["rearranged"]) == doc["extra_placed"]
    placed_before = {a.child_id for a in before.assignments}
    assert not newly & placed_before
    for profile in doc["recruitment"]:
        assert list(profile)[: len(PROFILE_KEYS)] == PROFILE_KEYS
        assert not set(profile["children"]) & placed_before


def test_capacity_in_words(region_path: str) -> None:
    status, text = run("capacity", "--scenario", region_path, "--beds", "3")
    assert status == 0
    assert "Gecontroleerd: opnieuw matchen" in text
    assert "Werf een" in text
    status, text = run("capacity", "--scenario", region_path, "--beds", "3", "--lang", "en")
    assert "Verified: matching again" in text


def test_capacity_counts_one_bed_and_one_child_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps(scenario_doc([home(beds_free=0)], [child("C-1")])))
    status, nl = run("capacity", "--scenario", str(path), "--beds", "1", "--include-full-homes")
    assert status == 0
    assert nl.startswith("Plan voor 1 extra bed: ")
    assert "Met het plan: 1 kind (1 meer)" in nl
    assert "bedden nodig: 1 van 1;" in nl
    _, en = run(
        "capacity", "--scenario", str(path), "--beds", "1", "--include-full-homes", "--lang", "en"
    )
    assert en.startswith("Plan for 1 extra bed: ")
    assert "With the plan: 1 child (1 more)" in en


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["capacity", "--beds", "0"], "--beds"),
        (["capacity", "--beds", "501"], "--beds"),
        (["capacity", "--beds", "2", "--per-home", "0"], "--per-home"),
        (["capacity", "--beds", "2", "--time-limit", "0"], "--time-limit"),
        (["match", "--frontier", "21"], "--frontier"),
        (["match", "--frontier", "-1"], "--frontier"),
    ],
)
def test_bad_options_exit_2_naming_the_option(
    region_path: str, argv: list[str], field: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(argv[0], "--scenario", region_path, *argv[1:])
    assert status == 2
    assert out == ""
    assert field in capsys.readouterr().err


def test_a_bad_scenario_exits_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads((Path(__file__).parents[3] / "fixtures" / "example-scenario.json").read_text())
    doc["homes"][0]["beds_free"] = -1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    status, out = run("capacity", "--scenario", str(bad), "--beds", "2")
    assert (status, out) == (2, "")
    assert "beds_free" in capsys.readouterr().err


def test_an_unverified_claim_exits_1(
    region_path: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    capacity_module = importlib.import_module("solver.planning.capacity")
    real = capacity_module.match
    calls = {"n": 0}

    def matcher_that_places_nobody_the_second_time(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        result = real(*args, **kwargs)
        if calls["n"] == 2:  # the re-check: pretend it found fewer children
            return replace(result, placed=0, placed_crisis=0)
        return result

    monkeypatch.setattr(capacity_module, "match", matcher_that_places_nobody_the_second_time)
    status, out = run("capacity", "--scenario", region_path, "--beds", "5")
    assert (status, out) == (1, "")
    assert "hield geen stand bij de controle" in capsys.readouterr().err
    calls["n"] = 0
    status, out = run("capacity", "--scenario", region_path, "--beds", "5", "--lang", "en")
    assert (status, out) == (1, "")
    assert "did not hold" in capsys.readouterr().err


def test_a_region_policy_picks_its_point_and_says_so(region_path: str, tmp_path: Path) -> None:
    doc = json.loads(Path(region_path).read_text("utf-8"))
    doc["policy"] = {"max_extra_distance_km": 20}
    path = tmp_path / "region.json"
    path.write_text(json.dumps(doc))
    out = run_json("match", "--scenario", str(path), "--frontier", "5")
    points = out["frontier"]
    worth = {p["placed"]: 20 * p["placed"] - p["distance_total_km"] for p in points}
    best = max(worth, key=lambda k: (worth[k], k))
    assert [p["placed"] for p in points if p["chosen"]] == [best]
    assert out["frontier_summary"]["chosen_placed"] == best
    assert best < out["placed"]  # on the demo, the region would stop before the maximum
    assert (
        f"kiest de regio het punt met {best} geplaatste kinderen"
        in (out["frontier_summary"]["text"])
    )
    # The match itself is still the lexicographic optimum.
    assert out["placed"] == points[-1]["placed"]


def test_a_child_no_extra_bed_can_place_is_named_in_recruitment(tmp_path: Path) -> None:
    # One home with one part-time place counted apart, two children in part-time care:
    # beds add no part-time place, so the child left waiting is one to recruit for, and a
    # plan that places nobody more moves nobody.
    from tests.builders import child, home, scenario_doc

    pt = "part_time"
    doc = scenario_doc(
        [home("H-P", beds_free=0, care_kinds=[pt], part_time_places_free=1)],
        [child("C-1", care_kind=pt), child("C-2", care_kind=pt)],
    )
    path = tmp_path / "part-time.json"
    path.write_text(json.dumps(doc))
    args = ("capacity", "--scenario", str(path), "--beds", "5", "--include-full-homes")
    out = run_json(*args)
    assert (out["plan"], out["extra_placed"], out["beds_used"]) == ([], 0, 0)
    assert out["rearranged"] == []
    (profile,) = out["recruitment"]
    assert profile["care_kind"] == pt
    assert profile["children"] == ["C-1"]  # the match placed C-2: the plan keeps it so
    status, text = run(*args)
    assert status == 0
    assert "deeltijdpleegzorg, leeftijd 8" in text
    assert "(C-1)" in text
    assert "deeltijdplek" in text  # why beds do not help: they add no part-time place
    assert "Geplaatst doordat" not in text
    status, text = run(*args, "--lang", "en")
    assert "part-time care (weekends and holidays), age 8" in text
    assert "part-time place" in text
