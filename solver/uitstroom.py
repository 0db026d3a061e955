"""Uitstroom: children living in a residential group for whom a family-like home is
eligible now, and the move the batch optimum makes for each (or why it makes none).

Residential care is the last resort (Samen Stroomopwaarts): staying in a residential group
earns no points, so the optimum moves such a child to a family where it can; this list
makes those candidates visible to the coordinator, moved or not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.bulk import ScoreTable
from matching.context import Context
from matching.documents import UitstroomDoc
from matching.explain import Lang
from matching.model import FAMILY_LIKE_TYPES, CareKind, HomeType

__all__ = ["UitstroomCandidate", "uitstroom", "uitstroom_docs"]


@dataclass(frozen=True, slots=True)
class UitstroomCandidate:
    child_id: str
    current_home: str
    family_homes: tuple[str, ...]  # eligible family-like homes, best score first
    moved_to: str | None


def uitstroom(
    ctx: Context, table: ScoreTable, placed_in: dict[str, str]
) -> tuple[UitstroomCandidate, ...]:
    """Every child in a residential group with at least one eligible family-like home.

    ``placed_in`` maps a placed child to the home the batch answer gives it.
    """
    sc = ctx.scenario
    family = np.array([h.type in FAMILY_LIKE_TYPES for h in table.homes], dtype=bool)
    home_of_row = table.pair_home[table.member_pair]
    out: list[UitstroomCandidate] = []
    position = {cid: i for i, cid in enumerate(table.child_ids)}
    for c in sc.children:
        current = sc.home_by_id.get(c.current_home) if c.current_home else None
        if current is None or current.type is not HomeType.RESIDENTIAL:
            continue
        if c.kind is CareKind.PART_TIME:
            continue  # part-time care adds weekends elsewhere; the child does not move out
        rows = np.flatnonzero((table.member_child == position[c.id]) & family[home_of_row])
        if rows.size == 0:
            continue
        order = rows[np.lexsort((home_of_row[rows], -table.member_score[rows]))]
        homes = tuple(table.homes[h].id for h in home_of_row[order].tolist())
        moved = placed_in.get(c.id)
        out.append(
            UitstroomCandidate(c.id, current.id, homes, moved if moved != current.id else None)
        )
    return tuple(out)


def uitstroom_docs(
    candidates: Sequence[UitstroomCandidate], lang: Lang = "nl"
) -> list[UitstroomDoc]:
    """The ``uitstroom`` list of the match document, each with a sentence."""
    out = []
    for u in candidates:
        n = len(u.family_homes)
        if lang == "nl":
            head = (
                f"{u.child_id} woont in residentiële groep {u.current_home}; "
                f"{n} gezinsgerichte {'woonplek' if n == 1 else 'woonplekken'} geschikt"
            )
            tail = (
                f": verhuist naar {u.moved_to}."
                if u.moved_to
                else ": de beste verdeling heeft die plekken nodig voor andere kinderen."
            )
        else:
            head = (
                f"{u.child_id} lives in residential group {u.current_home}; "
                f"{n} family-like {'home' if n == 1 else 'homes'} eligible"
            )
            tail = (
                f": moves to {u.moved_to}."
                if u.moved_to
                else ": the best assignment needs those places for other children."
            )
        out.append(
            UitstroomDoc(
                child_id=u.child_id,
                current_home=u.current_home,
                family_homes=list(u.family_homes),
                moved_to=u.moved_to,
                text=head + tail,
            )
        )
    return out
