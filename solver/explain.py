"""Why a child stays unplaced, in facts first and then in Dutch or English sentences.

Either no home meets every rule (counted per reason code, as ``dichtbij rank`` lists
them), or suitable homes existed and the batch optimum gave their beds to children with
priority under the lexicographic rule; then each such home names who was placed there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matching.documents import (
    ChangeDoc,
    ExcludedCount,
    TakenReason,
    UnlockDoc,
    UnplacedChildDoc,
)
from matching.explain import (
    HOME_TYPE_NAMES,
    Lang,
    children_text,
    excluded_summary,
    join_words,
    reason_label,
)
from matching.rules import ReasonCode
from solver.unlock import Unlock, unlock_text

__all__ = [
    "TakenHome",
    "UnplacedChild",
    "reason_label",
    "unplaced_doc",
    "unplaced_json",
    "unplaced_summary",
]


@dataclass(frozen=True)
class TakenHome:
    """A suitable home whose beds the batch answer gave to others."""

    home_id: str
    home_type: str
    score: int
    beds_free: int
    beds_needed: int
    beds_left: int
    placed: tuple[str, ...]
    placed_crisis: tuple[str, ...]
    kept_apart_from: tuple[str, ...]
    siblings_there: tuple[str, ...] = ()
    """Brothers and sisters (placed apart) who live or go there, as many as the home takes
    of one family (``max_siblings``)."""
    max_siblings: int | None = None
    part_time: bool = False
    """The places counted are the home's part-time places (weekends and holidays), not beds."""
    siblings_living: tuple[str, ...] = ()
    """Those of ``siblings_there`` who live there now (they count as staying)."""
    waited_longer: tuple[str, ...] = ()
    """Those of ``placed`` who got the place, rather than this child, only because they
    waited longer: the same points, beds and urgency there (:mod:`solver.waiting_ties`)."""


@dataclass(frozen=True)
class UnplacedChild:
    """An unplaced child and the facts that explain it."""

    child_id: str
    unit: tuple[str, ...]
    crisis: bool
    eligible_homes: int
    homes_considered: int
    excluded_counts: Mapping[ReasonCode, int]
    taken: tuple[TakenHome, ...]
    unlock: tuple[Unlock, ...]


def _names(ids: tuple[str, ...], crisis: tuple[str, ...], lang: Lang) -> str:
    mark = " (crisis)"
    return join_words([i + (mark if i in crisis else "") for i in ids], lang)


def taken_text(t: TakenHome, child_id: str, lang: Lang = "nl", unit: tuple[str, ...] = ()) -> str:
    """Why ``child_id`` (of the placement ``unit``) is not placed in ``t``. The score is the
    unit's: a group placed together is named whole, since each member's share is less."""
    nl = lang == "nl"
    kind = HOME_TYPE_NAMES[lang].get(t.home_type, t.home_type)
    whom = child_id
    if len(unit) > 1:
        whom = join_words(list(unit), lang) + (" samen" if nl else " together")
    head = f"{t.home_id} ({kind}, {t.score} {'punten voor' if nl else 'points for'} {whom})"
    if t.kept_apart_from:
        apart = _names(t.kept_apart_from, (), lang)
        if nl:
            return f"{head}: daar komt {apart}, van wie {child_id} gescheiden moet blijven."
        return f"{head}: {apart} goes there, and {child_id} must be kept apart from them."
    if t.siblings_there:
        living = _names(t.siblings_living, (), lang)
        coming = tuple(s for s in t.siblings_there if s not in t.siblings_living)
        sibs = _names(coming, (), lang)
        if nl:
            there = (
                f"woont al {living} en komt {sibs}"
                if living and coming
                else f"woont al {living}"
                if living
                else f"komt al {sibs}"
            )
            return (
                f"{head}: daar {there}, broer of zus van {child_id}; deze woonplek neemt "
                f"hoogstens {children_text(t.max_siblings or 0, lang)} uit één gezin op."
            )
        there = (
            f"{living} already lives there and {sibs} goes there"
            if living and coming
            else f"{living} already lives there"
            if living
            else f"{sibs} goes there"
        )
        return (
            f"{head}: {there}, a brother or sister of {child_id}, and it takes at "
            f"most {children_text(t.max_siblings or 0, lang)} of one family."
        )
    if not t.placed:
        if nl:
            return f"{head}: nog vrij, maar de zoektijd was op."
        return f"{head}: still free, but the time limit was reached."
    who = _names(t.placed, t.placed_crisis, lang)
    longer = join_words(list(t.waited_longer), lang)
    if nl:
        left = (
            f"; er {'blijft' if t.beds_left == 1 else 'blijven'} {t.beds_left} over, "
            f"er {'is' if t.beds_needed == 1 else 'zijn'} {t.beds_needed} nodig"
            if t.beds_left > 0
            else ""
        )
        if t.part_time:
            beds = (
                "de vrije deeltijdplaats gaat"
                if t.beds_free == 1
                else f"de {t.beds_free} vrije deeltijdplaatsen gaan"
            )
        else:
            beds = (
                "het vrije bed gaat" if t.beds_free == 1 else f"de {t.beds_free} vrije bedden gaan"
            )
        if longer:
            wait = "wacht" if len(t.waited_longer) == 1 else "wachten"
            longer = f"; {longer} {wait} langer, met evenveel punten"
        return f"{head}: {beds} naar {who}{left}{longer}."
    left = f"; {t.beds_left} left, {t.beds_needed} needed" if t.beds_left > 0 else ""
    kind = "part-time place" if t.part_time else "bed"
    beds = f"its free {kind} goes" if t.beds_free == 1 else f"its {t.beds_free} free {kind}s go"
    if longer:
        longer = f"; {longer} waited longer, with the same points"
    return f"{head}: {beds} to {who}{left}{longer}."


def unplaced_summary(u: UnplacedChild, lang: Lang = "nl") -> str:
    together = [m for m in u.unit if m != u.child_id]
    if lang == "nl":
        subject = u.child_id + (f" (samen met {', '.join(together)})" if together else "")
        # Considered are the candidate homes: a free bed or place, or a waiting child lives
        # there; not only 'homes with free beds', which the match heading counts.
        if u.homes_considered == 0:
            return f"{subject}: er is geen woonplek met een vrije plek om te bekijken."
        if u.eligible_homes == 0 and u.homes_considered == 1:
            return f"{subject}: de enige bekeken woonplek voldoet niet aan alle regels."
        if u.eligible_homes == 0:
            return (
                f"{subject}: geen enkele van de {u.homes_considered} bekeken woonplekken "
                "voldoet aan alle regels."
            )
        homes = (
            "de enige geschikte woonplek is"
            if u.eligible_homes == 1
            else "beide geschikte woonplekken zijn"
            if u.eligible_homes == 2
            else f"alle {u.eligible_homes} geschikte woonplekken zijn"
        )
        return (
            f"{subject}: {homes} in de beste verdeling nodig voor kinderen met voorrang "
            "(eerst crisis, dan zoveel mogelijk kinderen, dan de meeste punten)."
        )
    subject = u.child_id + (f" (together with {', '.join(together)})" if together else "")
    if u.homes_considered == 0:
        return f"{subject}: there is no home with a free place to consider."
    if u.eligible_homes == 0 and u.homes_considered == 1:
        return f"{subject}: the only home considered does not meet every rule."
    if u.eligible_homes == 0:
        return f"{subject}: none of the {u.homes_considered} homes considered meets every rule."
    homes = (
        "the only suitable home is"
        if u.eligible_homes == 1
        else "both suitable homes are"
        if u.eligible_homes == 2
        else f"all {u.eligible_homes} suitable homes are"
    )
    return (
        f"{subject}: {homes} needed, in the best assignment, for children with priority "
        "(crisis first, then as many children as possible, then the most points)."
    )


def unplaced_doc(u: UnplacedChild, lang: Lang = "nl", show_taken: int = 5) -> UnplacedChildDoc:
    """One ``unplaced`` entry of the ``match`` document."""
    reasons: list[ExcludedCount | TakenReason]
    if u.eligible_homes == 0:
        reasons = list(excluded_summary(u.excluded_counts.items(), u.homes_considered, lang))
    else:
        reasons = [
            TakenReason(
                code="taken",
                home_id=t.home_id,
                score=t.score,
                children=list(t.placed),
                kept_apart_from=list(t.kept_apart_from),
                siblings_there=list(t.siblings_there),
                waited_longer=list(t.waited_longer),
                text=taken_text(t, u.child_id, lang, u.unit),
            )
            for t in u.taken[:show_taken]
        ]
    return UnplacedChildDoc(
        child_id=u.child_id,
        group=list(u.unit),
        crisis=u.crisis,
        eligible_homes=u.eligible_homes,
        summary=unplaced_summary(u, lang),
        reasons=reasons,
        unlock=[
            UnlockDoc(
                home_id=x.home_id,
                score=x.score,
                changes=[
                    ChangeDoc(
                        field=c.field,
                        before=c.before,
                        after=c.after,
                        **({"domain": c.domain} if c.domain else {}),
                    )
                    for c in x.changes
                ],
                placed_there=list(x.placed_there),
                text=unlock_text(x, lang),
            )
            for x in u.unlock
        ],
    )


def unplaced_json(u: UnplacedChild, lang: Lang = "nl", show_taken: int = 5) -> dict[str, Any]:
    return unplaced_doc(u, lang, show_taken).to_json()
