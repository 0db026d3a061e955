"""Ranked options for one child, or for its whole sibling group when it is placed together.

Every candidate home (one with a free bed, or where a member lives now) is assessed on
the per-pair path: the eligible ones become options, best score first; the others are
listed as excluded with their reasons, nearest to the parents first.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from matching.context import Context
from matching.explain import (
    HOME_TYPE_NAMES,
    Audience,
    Lang,
    criterion_json,
    member_json,
    reason_json,
)
from matching.rules import CriterionCode, PairAssessment, assess
from matching.siblings import Unit

__all__ = ["RankResult", "UnknownChildError", "rank"]


class UnknownChildError(KeyError):
    """The requested child is not in the scenario."""

    def __init__(self, child_id: str) -> None:
        super().__init__(child_id)
        self.child_id = child_id

    def __str__(self) -> str:
        return f"child '{self.child_id}' is not in the scenario"


@dataclass(frozen=True)
class RankResult:
    child_id: str
    unit: Unit
    options: tuple[PairAssessment, ...]
    excluded: tuple[PairAssessment, ...]

    def to_json(
        self,
        ctx: Context,
        lang: Lang = "nl",
        audience: Audience = Audience.COORDINATOR,
        top: int | None = None,
    ) -> dict[str, Any]:
        sc = ctx.scenario
        children = [sc.child(cid) for cid in self.unit.members]
        confidential = any(c.confidential for c in children)
        hide_score = audience is Audience.PROVIDER and confidential
        options = self.options if top is None else self.options[:top]
        out_options = []
        for rank_no, pa in enumerate(options, start=1):
            out_options.append(
                {
                    "rank": rank_no,
                    "home_id": pa.home.id,
                    "organisation": pa.home.organisation,
                    "home_type": pa.home.type.value,
                    "home_type_name": HOME_TYPE_NAMES[lang][pa.home.type.value],
                    "home_postcode": pa.home.postcode.pc4,
                    "score": None if hide_score else pa.score,
                    "beds_needed": sum(1 for c in children if c.current_home != pa.home.id),
                    "criteria": _group_criteria(pa, lang, audience, confidential),
                    "members": [
                        member_json(m, sc.child(m.child_id), lang, audience) for m in pa.members
                    ],
                }
            )
        shown = self.excluded
        if hide_score:
            # Nearest-first order would hint at where the parents live.
            shown = tuple(sorted(shown, key=lambda pa: pa.home.id))
        excluded: list[dict[str, Any]] = [
            {
                "home_id": pa.home.id,
                "organisation": pa.home.organisation,
                "home_type": pa.home.type.value,
                "reasons": [
                    reason_json(
                        r,
                        lang,
                        audience,
                        sc.child(r.child_id).confidential if r.child_id else False,
                    )
                    for r in pa.reasons
                ],
            }
            for pa in shown
        ]
        counts = Counter(
            r["code"] for e in excluded for r in {x["code"]: x for x in e["reasons"]}.values()
        )
        return {
            "child_id": self.child_id,
            "group": list(self.unit.group),
            "placed_together": self.unit.together,
            "members": list(self.unit.members),
            "split_reason": self.unit.split_reason.value if self.unit.split_reason else None,
            "reference_date": sc.reference_date.isoformat(),
            "lang": lang,
            "audience": audience.value,
            "options": out_options,
            "excluded": excluded,
            "excluded_counts": dict(sorted(counts.items())),
        }


def _group_criteria(
    pa: PairAssessment, lang: Lang, audience: Audience, confidential: bool
) -> list[dict[str, Any]]:
    """One entry per criterion; for a group the members' points summed and their sentences."""
    if len(pa.members) == 1:
        return [criterion_json(c, lang, audience, confidential) for c in pa.members[0].criteria]
    out = []
    for code in CriterionCode:
        per_member = [(m.child_id, c) for m in pa.members for c in m.criteria if c.code is code]
        entries = [criterion_json(c, lang, audience, confidential) for _, c in per_member]
        texts = [e["text"] for e in entries]
        if len(set(texts)) == 1:
            each = _EACH[lang].format(n=len(texts))
            text = f"{texts[0]} {each}"
        else:
            text = " ".join(f"{cid}: {t}" for (cid, _), t in zip(per_member, texts, strict=True))
        hidden = any(e["points"] is None for e in entries)
        out.append(
            {
                "criterion": code.value,
                "points": None if hidden else sum(c.points for _, c in per_member),
                "max_points": sum(c.max_points for _, c in per_member),
                "value": None
                if hidden
                else {cid: e["value"] for (cid, _), e in zip(per_member, entries, strict=True)},
                "text": text,
            }
        )
    return out


_EACH = {"nl": "(voor elk van de {n} kinderen)", "en": "(for each of the {n} children)"}


def rank(ctx: Context, child_id: str) -> RankResult:
    """Assess every candidate home for the unit of ``child_id``; best options first."""
    sc = ctx.scenario
    if child_id not in sc.child_by_id:
        raise UnknownChildError(child_id)
    unit = ctx.unit_of[child_id]
    homes = ctx.candidate_homes
    per_child = {
        cid: ctx.distances_from(ctx.parents_location(sc.child(cid)), homes) for cid in unit.members
    }
    options: list[PairAssessment] = []
    excluded: list[tuple[float, PairAssessment]] = []
    for i, home in enumerate(homes):
        dist = {cid: float(per_child[cid][i]) for cid in unit.members}
        pa = assess(ctx, unit, home, dist)
        if pa.eligible:
            options.append(pa)
        else:
            excluded.append((min(dist.values()), pa))
    options.sort(key=lambda pa: (-pa.score, _distance(pa), pa.home.id))
    excluded.sort(key=lambda e: (e[0], e[1].home.id))
    return RankResult(child_id, unit, tuple(options), tuple(pa for _, pa in excluded))


def _distance(pa: PairAssessment) -> float:
    """Tie-break between equal scores: nearer to the parents first."""
    return sum(
        float(c.detail["distance_km"])
        for m in pa.members
        for c in m.criteria
        if c.code is CriterionCode.DISTANCE_PARENTS
    )
