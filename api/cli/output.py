"""Plain-text output shared by the commands: aligned tables, numbers, JSON documents.

Numbers use a decimal comma in Dutch and a point in English.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

from matching import Lang
from matching.privacy import number

__all__ = ["km", "number", "table", "write_json"]


def table(rows: Sequence[Sequence[str]], out: TextIO) -> None:
    """Left-aligned columns; the first row is the header, underlined with dashes."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for k, row in enumerate(rows):
        out.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
        if k == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


def km(x: float | Mapping[str, Any] | None, lang: Lang) -> str:
    """A distance, ``-`` when unknown; a group's per-child distances joined by ``/``."""
    if x is None:
        return "-"
    if isinstance(x, Mapping):
        return "/".join(km(v, lang) for v in x.values())
    return number(float(x), lang)


def write_json(document: Any, out: TextIO, indent: int = 2, ensure_ascii: bool = False) -> None:
    json.dump(document, out, ensure_ascii=ensure_ascii, indent=indent)
    out.write("\n")
