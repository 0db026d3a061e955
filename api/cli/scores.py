"""``dichtbij scores``: every eligible (child, home) pair with its score, from the bulk path."""

from __future__ import annotations

import argparse
import csv
from typing import TextIO

from api.cli.common import read_scenario
from api.cli.output import table, write_json
from matching import Context, score_all

__all__ = ["run"]


def run(args: argparse.Namespace, out: TextIO) -> None:
    ctx = Context.of(read_scenario(args.scenario))
    rows = score_all(ctx).rows()
    if args.csv:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["child_id", "home_id", "score"])
        writer.writerows(rows)
    elif args.json:
        doc = [{"child_id": c, "home_id": h, "score": s} for c, h, s in rows]
        write_json(doc, out, indent=1, ensure_ascii=True)
    else:
        cols = (
            ["child_id", "home_id", "score"]
            if args.lang == "en"
            else ["kind", "woonplek", "punten"]
        )
        table([cols, *[[c, h, str(s)] for c, h, s in rows]], out)
