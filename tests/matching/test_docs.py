"""The documented policy table is the code's: docs/scoring.md must not drift."""

from __future__ import annotations

import io
import json
from pathlib import Path

from api.cli import main
from matching import Policy


def test_scoring_doc_contains_the_current_policy_table() -> None:
    out = io.StringIO()
    assert main(["policy", "--lang", "en"], out=out) == 0
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text()
    assert out.getvalue().strip() in doc


def test_the_json_defaults_are_values_a_scenario_policy_takes() -> None:
    out = io.StringIO()
    assert main(["policy", "--json"], out=out) == 0
    doc = json.loads(out.getvalue())
    assert doc["max_distance_km"]["default"] == 60.0
    assert doc["residential_requires_reason"]["default"] is True
    assert doc["max_extra_distance_km"]["default"] is None
    # Every default, copied into a scenario's (strictly typed) policy, is accepted as is.
    flat = {k: v["default"] for k, v in doc.items() if not k.startswith("points_type.")}
    flat["points_type"] = {
        k.removeprefix("points_type."): v["default"]
        for k, v in doc.items()
        if k.startswith("points_type.")
    }
    assert Policy.model_validate(flat) == Policy()
