"""``dichtbij policy``: the policy defaults and the reason for each, as Markdown or JSON.

Dutch unless ``--lang en``: each reason's English is its field's description in
:mod:`matching.policy` (docs/scoring.md holds the English table), its Dutch the catalogue's
``[policy_why]`` table. Keys and defaults are the same in both: a scenario's policy takes
them as they stand.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from api.cli.common import catalogue, texts
from api.cli.output import write_json
from matching import Lang, Policy
from matching.policy import TypePoints

__all__ = ["policy_rows", "run"]


def policy_rows(lang: Lang = "en") -> list[tuple[str, Any, str]]:
    """(key, default, why) for every policy field, nested type points flattened; each
    default as the value a scenario's ``policy`` takes (60.0, True, None); ``why`` in
    ``lang``."""
    rows = []
    for name, field in Policy.model_fields.items():
        if name == "points_type":
            for t, tf in TypePoints.model_fields.items():
                rows.append((f"points_type.{t}", tf.default, tf.description or ""))
            continue
        rows.append((name, field.default, field.description or ""))
    if lang == "nl":
        dutch: dict[str, str] = catalogue()["policy_why"]
        rows = [(key, default, dutch[key]) for key, default, _ in rows]
    return rows


def run(args: argparse.Namespace, out: TextIO) -> None:
    rows = policy_rows(args.lang)
    if args.json:
        # Each default as a JSON value (60.0, true, null), not as text: a script can copy
        # it into a scenario's policy as it stands.
        write_json({k: {"default": d, "why": w} for k, d, w in rows}, out, ensure_ascii=True)
        return
    columns = texts("policy")[args.lang]["columns"].split("|")
    out.write(f"| {' | '.join(columns)} |\n|---|---:|---|\n")
    for key, default, why in rows:
        out.write(f"| `{key}` | {default} | {why} |\n")
