"""Who may read what: one filter that turns a coordinator's document into a provider's.

Explanations are built once, in full, for the coordinator; :func:`criterion_for`,
:func:`reason_for` and :func:`member_for` take those same models and remove what the
audience may not see. A provider never sees the parents' postcode or municipality or the
school's postcode; for a confidential placement (``min_distance_from_parents_km``) also
nothing that locates the parents: no distance to them, no municipality, no school area,
and no points or score from which a distance could be recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from matching.documents import Audience, Confidential, CriterionDoc, Lang, MemberDoc, ReasonDoc
from matching.rules.base import ReasonCode

__all__ = [
    "Audience",
    "Lang",
    "PlacedChild",
    "confidential_group",
    "criterion_for",
    "member_for",
    "number",
    "number_text",
    "reason_code_for",
    "reason_for",
    "told_detail",
]


class PlacedChild(Protocol):
    """A child as any layer records it (the engine's :class:`~matching.model.Child`, the
    service's row): what confidentiality is judged by."""

    @property
    def min_distance_from_parents_km(self) -> float | None: ...


def confidential_group(members: Iterable[PlacedChild | None]) -> bool:
    """Whether a provider must learn nothing of where a sibling group comes from: one of
    its ``members`` (the whole group, placed together or apart) is placed confidentially,
    or a member's record is missing (``None``: nothing left to judge by). Brothers and
    sisters share their parents, so a sibling's distance, municipality or school would
    locate the confidential child's parents just as well."""
    return any(m is None or m.min_distance_from_parents_km is not None for m in members)


CONFIDENTIAL = {
    "nl": "Afstand tot de ouders: vertrouwelijk (geheime plaatsing).",
    "en": "Distance to the parents: confidential (secret placement).",
}
#: The sentence of each locating criterion of a confidential group, as a provider reads it.
CONFIDENTIAL_CRITERION = {
    "distance_parents": CONFIDENTIAL,
    "school": {
        "nl": "School: vertrouwelijk (geheime plaatsing).",
        "en": "School: confidential (secret placement).",
    },
    "own_municipality": {
        "nl": "Gemeente van de ouders: vertrouwelijk (geheime plaatsing).",
        "en": "The parents' municipality: confidential (secret placement).",
    },
}

MUNICIPALITY_UNTOLD = {
    "nl": "Woonplek in {home}; of dat de gemeente van de ouders is, wordt niet gedeeld.",
    "en": "Home in {home}; whether that is the parents' municipality is not shared.",
}

#: Facts a provider may never see.
PARENT_FACTS = frozenset({"parents_postcode", "parents_municipality", "school_postcode"})
#: For a confidential child, the criteria and reasons that would reveal where the parents
#: live; even a reason's code would, so it becomes ``confidential``.
LOCATING_CRITERIA = frozenset(CONFIDENTIAL_CRITERION)
LOCATING_REASONS = frozenset({ReasonCode.DISTANCE, ReasonCode.SAFETY_DISTANCE})
#: Facts a provider never reads, whoever the child: why siblings are apart (docs/api.md),
#: and words others wrote, a history event's ``reason`` (the carers of another home, a
#: coordinator) and the child's wish ``note``: free text can say anything, the parents'
#: street included. :mod:`matching.explain` renders a provider's sentences without them.
UNTOLD_FACTS = frozenset({"split_reason", "reason", "note"})


def number(x: float, lang: Lang, digits: int = 1) -> str:
    """``x`` with ``digits`` decimals: a decimal comma in Dutch, a point in English."""
    text = f"{x:.{digits}f}"
    return text.replace(".", ",") if lang == "nl" else text


def number_text(x: float, lang: Lang) -> str:
    """A number as the explanations print it: one decimal for a float, a Dutch comma."""
    return number(x, lang) if isinstance(x, float) else str(x)


def points_text(points: int | None, max_points: int, lang: Lang) -> str:
    if lang == "nl":
        return f"{points} van {max_points} punten"
    return f"{points} of {max_points} points"


def told_detail(detail: Mapping[str, Any], audience: Audience) -> dict[str, Any]:
    """A criterion's or reason's facts as ``audience`` may be told them, before they are
    put into words: without :data:`UNTOLD_FACTS` (in a wish too) for a provider."""
    if audience is Audience.COORDINATOR:
        return dict(detail)
    out = {k: v for k, v in detail.items() if k not in UNTOLD_FACTS}
    if isinstance(wish := out.get("wish"), Mapping):
        out["wish"] = {k: v for k, v in wish.items() if k not in UNTOLD_FACTS}
    return out


def reason_code_for(
    code: ReasonCode | Confidential, audience: Audience, confidential: bool
) -> ReasonCode | Confidential:
    """The code of a reason as ``audience`` may read it: what :func:`reason_for` gives,
    without building the reason's sentence (counts of excluded homes need only codes)."""
    if audience is not Audience.COORDINATOR and confidential and code in LOCATING_REASONS:
        return "confidential"
    return code


def reason_for(doc: ReasonDoc, audience: Audience, confidential: bool, lang: Lang) -> ReasonDoc:
    """A reason as ``audience`` may read it (``confidential``: the child's placement is)."""
    if audience is Audience.COORDINATOR:
        return doc
    out: ReasonDoc
    if reason_code_for(doc["code"], audience, confidential) == "confidential":
        out = {"code": "confidential", "text": CONFIDENTIAL[lang]}
    else:
        detail = doc.get("detail", {})
        out = {
            "code": doc["code"],
            "text": doc["text"],
            "detail": {
                k: v for k, v in told_detail(detail, audience).items() if k not in PARENT_FACTS
            },
        }
    if "child_id" in doc:
        out["child_id"] = doc["child_id"]
    return out


def criterion_for(
    doc: CriterionDoc, audience: Audience, confidential: bool, lang: Lang
) -> CriterionDoc:
    """A member's criterion as ``audience`` may read it."""
    if audience is Audience.COORDINATOR:
        return doc
    if confidential and doc.criterion in LOCATING_CRITERIA:
        return CriterionDoc.model_construct(
            criterion=doc.criterion,
            points=None,
            max_points=doc.max_points,
            value=None,
            text=CONFIDENTIAL_CRITERION[doc.criterion][lang],
        )
    facts = doc.detail or {}
    text = doc.text
    # The coordinator's sentences name the parents' postcode and municipality.
    pts = points_text(doc.points, doc.max_points, lang)
    if doc.criterion == "distance_parents":
        km = number_text(facts["distance_km"], lang)
        text = (
            f"{km} km van de ouders: {pts}."
            if lang == "nl"
            else f"{km} km from the parents: {pts}."
        )
    elif doc.criterion == "own_municipality":
        # Whether the home is in the parents' municipality names it: so would the points
        # (all or none) and the score they add up to (see :func:`member_for`).
        home = facts["home_municipality"]
        return doc.model_copy(
            update={
                "points": None,
                "value": None,
                "text": MUNICIPALITY_UNTOLD[lang].format(home=home),
                "detail": {"home_municipality": home},
            }
        )
    return doc.model_copy(
        update={
            "text": text,
            "detail": {
                k: v for k, v in told_detail(facts, audience).items() if k not in PARENT_FACTS
            },
        }
    )


def member_for(doc: MemberDoc, audience: Audience, confidential: bool, lang: Lang) -> MemberDoc:
    """A member's score and criteria as ``audience`` may read them."""
    if audience is Audience.COORDINATOR:
        return doc
    return doc.model_copy(
        update={
            # The score adds up the points a provider may not read (own_municipality).
            "score": None,
            "criteria": [
                criterion_for(c, audience, confidential, lang) for c in doc.criteria or []
            ],
        }
    )
