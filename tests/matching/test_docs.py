"""The documented policy table is the code's: docs/scoring.md must not drift."""

from __future__ import annotations

import io
from pathlib import Path

from api.cli import main


def test_scoring_doc_contains_the_current_policy_table() -> None:
    out = io.StringIO()
    assert main(["policy"], out=out) == 0
    doc = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text()
    assert out.getvalue().strip() in doc
