"""The command-line contract of ``dichtbij rank`` and ``dichtbij scores`` (scenario.md)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from tests.commands import run

EXAMPLE = str(Path(__file__).resolve().parents[2] / "fixtures" / "example-scenario.json")


def test_rank_sem_and_lotte_together_with_criteria_that_add_up() -> None:
    status, text = run("rank", "--scenario", EXAMPLE, "--child", "C-sem", "--json")
    assert status == 0
    doc = json.loads(text)
    assert doc["child_id"] == "C-sem"
    assert doc["group"] == ["C-sem", "C-lotte"]
    # Sem and Lotte need crisis care, which is temporary: that H-devries keeps children
    # only until 14 costs nothing, so the nearer foster family comes first.
    assert [o["home_id"] for o in doc["options"]] == ["H-devries", "H-gezinshuis-lunteren"]
    assert [o["rank"] for o in doc["options"]] == [1, 2]
    for option in doc["options"]:
        assert option["score"] == sum(c["points"] for c in option["criteria"])
        assert all({"criterion", "points", "text"} <= set(c) for c in option["criteria"])
    assert {e["home_id"] for e in doc["excluded"]} == {
        "H-oma-ede",
        "H-bakker",
        "H-klein-wageningen",
        "H-groep-nijkerk",
    }


def test_rank_top_limits_the_options_and_lang_en_translates() -> None:
    status, text = run(
        "rank", "--scenario", EXAMPLE, "--child", "C-sem", "--json", "--top", "1", "--lang", "en"
    )
    doc = json.loads(text)
    assert status == 0
    assert len(doc["options"]) == 1
    assert doc["options"][0]["criteria"][0]["text"].startswith("Kind of home")


def test_rank_prints_a_readable_table_by_default() -> None:
    status, text = run("rank", "--scenario", EXAMPLE, "--child", "C-sem")
    assert status == 0
    assert "Opties voor C-sem samen met C-lotte" in text
    assert "H-gezinshuis-lunteren" in text
    assert "Uitgesloten" in text


def test_scores_csv_has_the_contract_header_and_member_shares() -> None:
    status, text = run("scores", "--scenario", EXAMPLE, "--csv")
    lines = text.splitlines()
    assert status == 0
    assert lines[0] == "child_id,home_id,score"
    rows = {(c, h): int(s) for c, h, s in (line.split(",") for line in lines[1:])}
    _, ranked = run("rank", "--scenario", EXAMPLE, "--child", "C-sem", "--json")
    best = json.loads(ranked)["options"][0]
    assert rows[("C-sem", best["home_id"])] + rows[("C-lotte", best["home_id"])] == best["score"]


def test_scores_json_lists_every_eligible_pair() -> None:
    status, text = run("scores", "--scenario", EXAMPLE, "--json")
    assert status == 0
    pairs = json.loads(text)
    yara = [p for p in pairs if p["child_id"] == "C-yara"]
    assert [p["home_id"] for p in yara] == ["H-bakker"]
    assert yara[0]["score"] > 0
    assert all(set(p) == {"child_id", "home_id", "score"} for p in pairs)


def test_scenario_from_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(Path(EXAMPLE).read_text()))
    status, text = run("scores", "--scenario", "-", "--csv")
    assert status == 0
    assert text.startswith("child_id,home_id,score\n")


def test_bad_scenario_exits_2_naming_object_field_and_reason_and_prints_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(Path(EXAMPLE).read_text())
    doc["homes"][1]["beds_free"] = -1
    doc["children"][0]["parents_postcode"] = "0000"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    status, text = run("rank", "--scenario", str(bad), "--child", "C-sem", "--json", "--lang", "en")
    err = capsys.readouterr().err
    assert status == 2
    assert text == ""
    assert "home H-devries: field 'beds_free'" in err
    assert "child C-noor: field 'parents_postcode'" in err
    assert "Traceback" not in err


def test_unknown_child_and_missing_file_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("rank", "--scenario", EXAMPLE, "--child", "C-nobody")[0] == 2
    assert "C-nobody" in capsys.readouterr().err
    assert run("scores", "--scenario", "/nonexistent.json", "--lang", "en")[0] == 2
    assert "cannot read scenario file" in capsys.readouterr().err


def test_demo_ranks_the_bundled_scenario() -> None:
    status, text = run("demo")
    assert status == 0
    assert "Dichtbij demo" in text
    assert "Opties voor" in text


def test_demo_ends_with_the_whole_waiting_list_against_practice() -> None:
    status, text = run("demo", "--lang", "en")
    assert status == 0
    table = text[text.index("The whole waiting list at once") :]
    rows = {
        line[:38].strip(): line[38:].split()
        for line in table.splitlines()
        if line[:1].isalpha() and "  " in line
    }
    placed = rows["children placed"]  # e.g. ['47', 'of', '60', '42', 'of', '60']
    dichtbij, practice = int(placed[0]), int(placed[3])
    assert dichtbij >= practice
    assert rows["groups split without a recorded reason"][0] == "0"
    assert "Proven optimal" in table


def test_bad_care_fields_exit_2_naming_object_field_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(Path(EXAMPLE).read_text())
    doc["homes"][0]["care_kinds"] = ["weekend"]
    doc["children"][0]["history"] = [
        {"home_id": "H-devries", "event": "declined", "date": "2027-01-01"}
    ]
    doc["children"][1]["wishes"] = {"priorities": ["pets"]}
    doc["children"][2]["residential_reason"] = "other"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    status, text = run("match", "--scenario", str(bad), "--json", "--lang", "en")
    err = capsys.readouterr().err
    assert (status, text) == (2, "")
    home_id = doc["homes"][0]["id"]
    first, second, third = (c["id"] for c in doc["children"][:3])
    assert f"home {home_id}: field 'care_kinds.0'" in err
    assert f"child {first}: field 'history.0.date': is in the future" in err
    assert f"child {second}: field 'wishes.priorities': unknown wish criterion 'pets'" in err
    assert f"child {third}: field 'residential_note': residential_reason 'other' requires" in err


def test_rank_gives_each_members_points_and_every_criterion_with_members_full() -> None:
    base = ("rank", "--scenario", EXAMPLE, "--child", "C-sem", "--json")
    short, full = json.loads(run(*base)[1]), json.loads(run(*base, "--members", "full")[1])
    assert (short["members_shown"], full["members_shown"]) == ("points", "full")
    for brief, whole in zip(short["options"], full["options"], strict=True):
        assert [m["child_id"] for m in brief["members"]] == ["C-sem", "C-lotte"]
        for member, in_full in zip(brief["members"], whole["members"], strict=True):
            assert member["score"] == sum(member["points"].values()) == in_full["score"]
            assert member["points"] == {c["criterion"]: c["points"] for c in in_full["criteria"]}
    with pytest.raises(SystemExit) as bad:
        run(*base, "--members", "some")
    assert bad.value.code == 2


def test_rank_keeps_a_secret_placement_away_from_parents_in_a_pc4_with_a_far_second_place(
    tmp_path: Path,
) -> None:
    # GeoNames gives 2324 (Leiden) a second row for Amersfoort; at the mean of the two the
    # parents were 29.6 km from Leiden centre (2311) and the 20 km minimum let it through.
    home = {"organisation": "org", "type": "foster", "beds_free": 1}
    scenario = {
        "format": "dichtbij.scenario/1",
        "reference_date": "2026-11-23",
        "policy": {},
        "homes": [
            {"id": "H-leiden", "postcode": "2311", **home},
            {"id": "H-utrecht", "postcode": "3511", **home},
        ],
        "children": [
            {"id": "P", "age": 10, "parents_postcode": "2324", "min_distance_from_parents_km": 20},
        ],
    }
    path = tmp_path / "secret.json"
    path.write_text(json.dumps(scenario), encoding="utf-8")
    status, text = run("rank", "--scenario", str(path), "--child", "P", "--json", "--lang", "en")
    doc = json.loads(text)
    assert status == 0
    assert [o["home_id"] for o in doc["options"]] == ["H-utrecht"]
    [excluded] = doc["excluded"]
    assert excluded["home_id"] == "H-leiden"
    assert [r["code"] for r in excluded["reasons"]] == ["safety_distance"]
    assert "1.8 km from the parents" in excluded["reasons"][0]["text"]


def test_rank_counts_excluded_homes_without_calling_a_full_one_free(tmp_path: Path) -> None:
    # H-full has no free bed but is a candidate because C-2 lives there: the line must
    # not say that every excluded home has free beds, and one home is 'woonplek'.
    from tests.builders import child, home, scenario_doc

    doc = scenario_doc(
        [home("H-full", beds_free=0), home("H-young", age_max=4)],
        [child("C-1"), child("C-2", current_home="H-full")],
    )
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    _, nl = run("rank", "--scenario", str(path), "--child", "C-1")
    _, en = run("rank", "--scenario", str(path), "--child", "C-1", "--lang", "en")
    assert "Te weinig vrije bedden: 0 vrij, 1 nodig." in nl
    assert "Uitgesloten: 2 woonplekken (" in nl
    assert "Excluded: 2 homes (" in en
    assert "met vrije bedden" not in nl
    assert "with free beds" not in en
    path.write_text(json.dumps(scenario_doc([home("H-young", age_max=4)], [child("C-1")])))
    _, one = run("rank", "--scenario", str(path), "--child", "C-1")
    assert "Uitgesloten: 1 woonplek (" in one
    _, matched = run("match", "--scenario", str(path), "--json")
    (why,) = json.loads(matched)["unplaced"]
    assert why["summary"] == "C-1: de enige bekeken woonplek voldoet niet aan alle regels."


def test_a_providers_list_for_a_secret_placement_is_not_called_the_nearest(
    tmp_path: Path,
) -> None:
    # For a confidential child a provider's excluded homes come by home id (nearest first
    # would hint at the parents' location): the heading must not call them the nearest.
    from tests.builders import GRONINGEN, child, home, scenario_doc

    secret = child("C-1", min_distance_from_parents_km=30)
    doc = scenario_doc(
        [home("H-b", age_max=4), home("H-a", age_max=4, postcode=GRONINGEN)], [secret]
    )
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    _, nl = run("rank", "--scenario", str(path), "--child", "C-1", "--audience", "provider")
    _, en = run(
        "rank", "--scenario", str(path), "--child", "C-1", "--audience", "provider", "--lang", "en"
    )
    assert "Dichtstbijzijnde" not in nl
    assert "Uitgesloten woonplekken, op volgorde van id:\n  H-a:" in nl
    assert "Nearest" not in en
    assert "Excluded homes, by id:\n  H-a:" in en
    _, coordinator = run("rank", "--scenario", str(path), "--child", "C-1")
    assert "Dichtstbijzijnde uitgesloten woonplekken:\n  H-b:" in coordinator


def test_a_providers_options_show_no_dash_where_the_score_is_not_told(tmp_path: Path) -> None:
    # A provider is told no score (docs/scoring.md): no column of points, no "- punten" in
    # the heading of an explained option, no dash beside a criterion without points, and
    # the distance of a secret placement in words.
    from tests.builders import WAGENINGEN, child, home, scenario_doc

    secret = child("C-1", min_distance_from_parents_km=5)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(scenario_doc([home("H-a", postcode=WAGENINGEN)], [secret])))
    args = ["rank", "--scenario", str(path), "--child", "C-1", "--audience", "provider"]
    _, nl = run(*args)
    _, en = run(*args, "--lang", "en")
    assert "Waarom optie 1 (H-a):\n" in nl
    assert "Why option 1 (H-a):\n" in en
    words = ((nl, "punten", "vertrouwelijk"), (en, "points", "confidential"))
    for text, points, secret_km in words:
        header, _, first = text.split("\n")[2:5]
        assert points not in header
        assert first.split()[:2] == ["1", "H-a"]
        assert secret_km in first
        assert not re.search(r"(^|\s)-(\s|$)", first)
        assert not re.search(r"^\s+-\s", text, re.MULTILINE)
        assert "None" not in text
    # A coordinator still reads the score in both places.
    _, coordinator = run("rank", "--scenario", str(path), "--child", "C-1")
    assert re.search(r"Waarom optie 1 \(H-a\), \d+ punten:", coordinator)
    assert "punten" in coordinator.split("\n")[2]
