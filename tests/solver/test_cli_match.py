"""``dichtbij match`` and ``dichtbij rank --waiting-list`` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matching import load_scenario
from tests.builders import child, home, scenario_doc
from tests.commands import run, run_json

CONTRACT_KEYS = [
    "status",
    "placed",
    "placed_crisis",
    "total_score",
    "bound",
    "gap",
    "assignments",
    "unplaced",
]


def test_every_number_of_match_can_be_recomputed_from_scores(region_path: str) -> None:
    doc = run_json("match", "--scenario", region_path)
    assert list(doc)[: len(CONTRACT_KEYS)] == CONTRACT_KEYS
    scores = {
        (r["child_id"], r["home_id"]): r["score"]
        for r in run_json("scores", "--scenario", region_path)
    }
    scenario = load_scenario(Path(region_path).read_text("utf-8"))
    crisis = {c.id for c in scenario.children if c.is_crisis}
    assignments = doc["assignments"]
    for a in assignments:
        assert set(a) == {"child_id", "home_id", "score"}
        assert scores[(a["child_id"], a["home_id"])] == a["score"]
    assert doc["placed"] == len(assignments)
    assert doc["placed_crisis"] == sum(a["child_id"] in crisis for a in assignments)
    assert doc["total_score"] == sum(a["score"] for a in assignments)
    assert doc["status"] == "optimal"
    assert doc["gap"] == 0
    assert doc["bound"] == doc["total_score"]
    placed = {a["child_id"] for a in assignments}
    assert {u["child_id"] for u in doc["unplaced"]} == {c.id for c in scenario.children} - placed
    for u in doc["unplaced"]:
        assert u["reasons"], u["child_id"]
        assert all(r["text"] for r in u["reasons"])


def test_match_prints_a_readable_table_in_dutch_or_english(region_path: str) -> None:
    status, text = run("match", "--scenario", region_path)
    assert status == 0
    assert "Plaatsing van de hele wachtlijst" in text
    assert "optimaal (bewezen)" in text
    assert "Niet geplaatst" in text
    assert "Wie het eerst komt" in text
    status, text = run("match", "--scenario", region_path, "--lang", "en")
    assert status == 0
    assert "optimal (proven)" in text
    assert "Not placed" in text


def test_match_explains_in_english_with_lang_en(region_path: str) -> None:
    doc = run_json("match", "--scenario", region_path, "--lang", "en")
    texts = [r["text"] for u in doc["unplaced"] for r in u["reasons"]]
    assert any(" of the " in t or "points for" in t for t in texts)
    assert not any(" van de " in t for t in texts)


def test_a_bad_scenario_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {"format": "dichtbij.scenario/1", "reference_date": "x", "homes": [], "children": []}
        )
    )
    status, text = run("match", "--scenario", str(bad), "--json")
    assert status == 2
    assert text == ""
    assert "reference_date" in capsys.readouterr().err


def test_a_time_limit_must_be_positive(example_path: str) -> None:
    status, text = run("match", "--scenario", example_path, "--time-limit", "0")
    assert status == 2
    assert text == ""


def test_rank_with_the_waiting_list_adds_an_effect_per_option(example_path: str) -> None:
    plain = run_json("rank", "--scenario", example_path, "--child", "C-sem")
    seen = run_json("rank", "--scenario", example_path, "--child", "C-sem", "--waiting-list")
    for before, after in zip(plain["options"], seen["options"], strict=True):
        assert set(after) - set(before) == {"waiting_list_effect"}
        effect = after["waiting_list_effect"]
        assert {"others_placed", "others_placed_crisis", "others_score", "text"} <= set(effect)
    assert set(seen) - set(plain) == {"waiting_list"}
    status, text = run("rank", "--scenario", example_path, "--child", "C-sem", "--waiting-list")
    assert status == 0
    assert "Effect op de wachtlijst" in text


def test_rank_with_the_waiting_list_is_for_coordinators_only(example_path: str) -> None:
    status, text = run(
        "rank",
        "--scenario",
        example_path,
        "--child",
        "C-sem",
        "--waiting-list",
        "--audience",
        "provider",
    )
    assert status == 2
    assert text == ""


def test_the_scenario_line_counts_one_of_a_kind_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    doc = scenario_doc([home(beds_free=1)], [child("C-1"), child("C-2", urgency="crisis")])
    path.write_text(json.dumps(doc))
    status, nl = run("match", "--scenario", str(path))
    assert status == 0
    assert "2 wachtende kinderen (1 crisis), 1 woonplek met 1 vrij bed;" in nl
    _, en = run("match", "--scenario", str(path), "--lang", "en")
    assert "2 waiting children (1 crisis), 1 home with 1 free bed;" in en
