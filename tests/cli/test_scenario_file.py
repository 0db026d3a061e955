"""Reading the scenario file: what a user's editor may save is read as it means."""

from __future__ import annotations

import io
import json
from pathlib import Path

from api.cli import main
from tests.builders import child, home, scenario_doc


def test_a_file_saved_as_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Notepad's "UTF-8 with BOM": JSON lets a reader ignore the mark (RFC 8259, 8.1).
    doc = scenario_doc([home("H-1")], [child("C-1")])
    path = tmp_path / "scenario.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc).encode())
    out = io.StringIO()
    assert main(["scores", "--scenario", str(path), "--csv"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == "child_id,home_id,score"
    assert [line.split(",")[:2] for line in lines[1:]] == [["C-1", "H-1"]]
