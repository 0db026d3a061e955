"""The text `dichtbij match` prints: counts in the number their noun needs, and a child
with no home to consider told so, not 'none of the 0 homes'."""

from __future__ import annotations

import io
import json
from pathlib import Path

from api.cli import main
from tests.builders import child, home, scenario_doc


def match_text(tmp_path: Path, doc: object, *argv: str) -> str:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    out = io.StringIO()
    assert main(["match", "--scenario", str(path), *argv], out=out) == 0
    return out.getvalue()


def test_one_placed_child_is_one_kind_not_one_kinderen(tmp_path: Path) -> None:
    text = match_text(tmp_path, scenario_doc([home("H-1")], [child("C-1")]))
    assert "Geplaatst: 1 van 1 kind, crisis 0 van 0;" in text
    assert "aanmelding): 1 kind, crisis 0," in text
    assert "1 kinderen" not in text
    english = match_text(tmp_path, scenario_doc([home("H-1")], [child("C-1")]), "--lang", "en")
    assert "Placed: 1 of 1 child, crisis 0 of 0;" in english
    assert "arrival): 1 child, crisis 0," in english


def test_a_child_with_no_home_to_consider_is_told_so(tmp_path: Path) -> None:
    doc = scenario_doc([], [child("C-1")])
    assert "C-1: er is geen woonplek met een vrije plek om te bekijken." in match_text(
        tmp_path, doc
    )
    assert "C-1: there is no home with a free place to consider." in match_text(
        tmp_path, doc, "--lang", "en"
    )
    assert "van de 0" not in match_text(tmp_path, doc)


def test_nobody_placed_leaves_one_blank_line_before_the_unplaced(tmp_path: Path) -> None:
    text = match_text(tmp_path, scenario_doc([], [child("C-1")]))
    assert "\n\n\n" not in text
    assert "punten.\n\nNiet geplaatst: 1 kind.\n" in text
