"""The sentences `dichtbij rank` prints: every number in them computes to the points."""

from __future__ import annotations

import io
import json
from pathlib import Path

from api.cli import main
from tests.builders import child, home, scenario_doc


def rank_json(tmp_path: Path, doc: object, *argv: str) -> dict[str, object]:
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(doc))
    out = io.StringIO()
    assert main(["rank", "--scenario", str(path), "--child", "C-1", "--json", *argv], out=out) == 0
    result: dict[str, object] = json.loads(out.getvalue())
    return result


def test_a_home_beyond_the_distance_of_full_points_is_not_shown_a_formula_that_is_negative(
    tmp_path: Path,
) -> None:
    # A network home may be 150 km away; its distance points reach 0 at 60 km, where
    # '100 × (1 − 62,9/60,0) = 0' would be -4.8, not 0.
    far = home("H-1", type="network_foster", postcode="1011", known_to=["C-1"])
    doc = scenario_doc([far], [child("C-1", parents_postcode="6712")])
    for lang, expected in (
        ("nl", "km, waar de punten op 0 staan: 0 van 100 punten."),
        ("en", "km, where the points reach 0: 0 of 100 points."),
    ):
        options = rank_json(tmp_path, doc, "--lang", lang)["options"]
        assert isinstance(options, list)
        (distance,) = [c for c in options[0]["criteria"] if c["criterion"] == "distance_parents"]
        assert distance["points"] == 0
        assert distance["value"] > 60
        assert distance["text"].endswith(expected)
        assert "×" not in distance["text"]
