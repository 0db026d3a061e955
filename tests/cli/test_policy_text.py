"""`dichtbij policy` says why each default is what it is in Dutch unless ``--lang en``;
keys and defaults are the same in both, as a scenario's policy takes them."""

from __future__ import annotations

import io
import json

from api.cli import main
from api.cli.common import catalogue
from api.cli.policy import policy_rows


def policy(*argv: str) -> str:
    out = io.StringIO()
    assert main(["policy", *argv], out=out) == 0
    return out.getvalue()


def test_the_policy_table_is_dutch_by_default_and_english_with_lang_en() -> None:
    dutch = policy().splitlines()
    assert dutch[0] == "| sleutel | standaard | waarom |"
    assert dutch[2].startswith("| `max_distance_km` | 60.0 | Harde grens voor de afstand ")
    assert "| `residential_requires_reason` | True | Een residentiële groep " in policy()
    english = policy("--lang", "en").splitlines()
    assert english[0] == "| key | default | why |"
    assert english[2].startswith("| `max_distance_km` | 60.0 | Hard limit on the distance ")
    # The same keys and defaults, row by row.
    assert [r.split(" | ")[:2] for r in dutch[2:]] == [r.split(" | ")[:2] for r in english[2:]]


def test_the_json_keeps_its_keys_and_defaults_and_tells_why_in_the_language_asked() -> None:
    dutch = json.loads(policy("--json"))
    english = json.loads(policy("--json", "--lang", "en"))
    assert list(dutch) == list(english)
    assert {k: v["default"] for k, v in dutch.items()} == {
        k: v["default"] for k, v in english.items()
    }
    assert dutch["points_type.foster"]["why"] == "Een bestandspleeggezin."
    assert english["points_type.foster"]["why"] == "A foster family (bestandspleeggezin)."


def test_every_policy_field_has_its_reason_in_dutch_and_no_other_is_kept() -> None:
    keys = [key for key, _, _ in policy_rows("en")]
    assert sorted(catalogue()["policy_why"]) == sorted(keys)
    for (key, _, english), (_, _, dutch) in zip(policy_rows("en"), policy_rows("nl"), strict=True):
        assert dutch, key
        assert dutch != english, key
