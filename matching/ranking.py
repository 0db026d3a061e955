"""Ranked options for one child, or for its whole sibling group when it is placed together.

Every candidate home (one with a free bed, or where a member lives now) is assessed on
the per-pair path: the eligible ones become options, best score first; the others are
listed as excluded with their reasons, nearest to the parents first (the document explains
the nearest few and counts the rest per reason, or explains every one on request).
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from matching.bulk import IntArray, PairScorer
from matching.context import Context
from matching.documents import Confidential, CriterionDoc, ExcludedHome, Option, RankDocument
from matching.explain import (
    HOME_TYPE_NAMES,
    Audience,
    Lang,
    criterion_doc,
    excluded_summary,
    member_doc,
    member_points_doc,
    reason_doc,
    told,
)
from matching.geo import engine_km
from matching.model import Child
from matching.privacy import (
    LOCATING_CRITERIA,
    LOCATING_REASONS,
    confidential_group,
    criterion_for,
    reason_code_for,
)
from matching.rules import CriterionCode, PairAssessment, ReasonCode, assess
from matching.rules.eligibility import MEMBER_RULES, UNIT_RULES
from matching.rules.homes import HomeArrays
from matching.siblings import Unit

__all__ = [
    "NEAREST_EXCLUDED",
    "ExcludedShown",
    "MembersShown",
    "RankResult",
    "Ranker",
    "UnknownChildError",
    "rank",
]

#: Which excluded homes a rank document explains: the nearest few, or every one.
ExcludedShown = Literal["nearest", "all"]
#: How many excluded homes ``nearest`` explains in full (the rest are counted by reason).
NEAREST_EXCLUDED = 8
#: How an option's members are given: their points per criterion, or every criterion in
#: full (sentences and facts, as before; docs/api.md).
MembersShown = Literal["points", "full"]


class UnknownChildError(KeyError):
    """The requested child is not in the scenario."""

    def __init__(self, child_id: str) -> None:
        super().__init__(child_id)
        self.child_id = child_id

    def __str__(self) -> str:
        return f"child '{self.child_id}' is not in the scenario"


@dataclass(frozen=True)
class RankResult:
    """Every option, best first, and the excluded homes nearest first.

    :func:`rank` assesses every candidate home, so ``excluded`` holds them all.
    :meth:`Ranker.rank` assesses only the options and the nearest few excluded homes;
    ``counted`` then holds what the rule masks found of all of them (their number and
    the homes per reason code), and ``excluded`` only the nearest few.
    """

    child_id: str
    unit: Unit
    options: tuple[PairAssessment, ...]
    excluded: tuple[PairAssessment, ...]
    counted: tuple[int, dict[ReasonCode | Confidential, int]] | None = None
    options_total: int | None = None
    """How many homes are options, when ``options`` holds only the best few of them
    (:meth:`Ranker.rank` with ``top``); ``None``: ``options`` holds every one."""

    def document(
        self,
        ctx: Context,
        lang: Lang = "nl",
        audience: Audience = Audience.COORDINATOR,
        top: int | None = None,
        excluded: ExcludedShown = "nearest",
        members: MembersShown = "points",
    ) -> RankDocument:
        """The rank document for ``audience``: the first ``top`` options, the nearest
        :data:`NEAREST_EXCLUDED` excluded homes explained in full (every one with
        ``excluded="all"``), and all of them counted per reason.

        Each option's criteria carry every member's sentence. Its ``members`` give each
        child's score and points per criterion, or with ``members="full"`` each child's
        criteria in full, sentences and facts (the size of that for a sibling group is in
        docs/api.md).
        """
        sc = ctx.scenario
        children = [sc.child(cid) for cid in self.unit.members]
        # Of the whole sibling group, placed together or apart: a brother's distance to
        # the parents locates a confidential sister's parents as well.
        confidential = confidential_group(sc.child_by_id.get(cid) for cid in self.unit.group)
        # A provider reads no score: it adds up points it may not read (the parents'
        # municipality; for a confidential group, the distance to them).
        hide_score = audience is Audience.PROVIDER
        # For a confidential group a provider's document is the same wherever the parents
        # live, but for which homes are options at all (docs/scoring.md, "Audiences").
        secret = hide_score and confidential
        if len(self.options) < self.n_options and (top is None or top > len(self.options)):
            # Only the best few were assessed: a longer list would silently be shorter.
            raise ValueError("a ranking of the best few options cannot show more of them")
        if self.counted is not None and audience is not Audience.COORDINATOR:
            # The masks count by rule code, not by the code a provider may read.
            raise ValueError("a ranking of the nearest excluded homes is for coordinators")
        ordered = self.options
        if secret:
            # Best score first is nearest first (the score is hidden, the order is not):
            # in order of the points the provider reads, none measured from the parents.
            ordered = tuple(sorted(ordered, key=lambda pa: (-_told_points(pa), pa.home.id)))
        options = ordered if top is None else ordered[:top]
        # Each excluded home with the reasons the audience is told. For a confidential
        # group a provider is told no locating reason: which homes have one says where the
        # parents are (within the minimum distance of some, beyond the maximum of others),
        # even under the code 'confidential'. A home excluded only for such reasons is not
        # listed, only counted with the others like it under 'confidential' (how many they
        # are the number of options gives away anyway).
        told_reasons = [
            (pa, [r for r in pa.reasons if not secret or r.code.value not in LOCATING_REASONS])
            for pa in self.excluded
        ]
        shown = [(pa, reasons) for pa, reasons in told_reasons if reasons]
        if secret:
            # Nearest-first order, and so the choice of the nearest few, would hint at
            # where the parents live: the first few by id instead.
            shown.sort(key=lambda e: e[0].home.id)
        if excluded == "nearest":
            shown = shown[:NEAREST_EXCLUDED]
        elif self.counted is not None:
            raise ValueError("a ranking of the nearest excluded homes cannot list them all")
        listed = [
            ExcludedHome(
                home_id=pa.home.id,
                organisation=pa.home.organisation,
                home_type=pa.home.type,
                reasons=[reason_doc(r, lang, audience, confidential) for r in reasons],
            )
            for pa, reasons in shown
        ]
        # Counted over every excluded home, listed or not, by the code the audience reads.
        # A home counts once per code, however many members the reason names.
        if self.counted is not None:
            total, counts = self.counted
        else:
            total = len(self.excluded)
            counts = dict(
                Counter(
                    code
                    for _, reasons in told_reasons
                    for code in {reason_code_for(r.code, audience, confidential) for r in reasons}
                    or {"confidential"}
                )
            )
        return RankDocument.model_construct(
            child_id=self.child_id,
            group=list(self.unit.group),
            placed_together=self.unit.together,
            members=list(self.unit.members),
            # Why siblings are apart is never a provider's to read (docs/api.md).
            split_reason=self.unit.split_reason
            if self.unit.split_reason and audience is Audience.COORDINATOR
            else None,
            reference_date=sc.reference_date.isoformat(),
            lang=lang,
            audience=audience,
            options=[
                _option_doc(
                    rank_no, pa, children, ctx, lang, audience, confidential, hide_score, members
                )
                for rank_no, pa in enumerate(options, start=1)
            ],
            excluded=listed,
            excluded_counts=dict(sorted(counts.items())),
            excluded_total=total,
            excluded_shown=excluded,
            excluded_summary=excluded_summary(counts.items(), self.n_options + total, lang),
            members_shown=members,
        )

    @property
    def n_options(self) -> int:
        """Every option, assessed or only counted."""
        return len(self.options) if self.options_total is None else self.options_total


def _option_doc(
    rank_no: int,
    pa: PairAssessment,
    children: list[Child],
    ctx: Context,
    lang: Lang,
    audience: Audience,
    confidential: bool,
    hide_score: bool,
    members: MembersShown,
) -> Option:
    sc = ctx.scenario
    # Each member's criteria are explained once, for the option's list and (in full) the
    # member's alike, of the facts the audience may be told, each then as it may read it.
    docs = [[criterion_doc(told(c, audience), lang) for c in m.criteria] for m in pa.members]
    if members == "full":
        member_docs = [
            member_doc(m, sc.child(m.child_id), lang, audience, confidential, criteria=d)
            for m, d in zip(pa.members, docs, strict=True)
        ]
    else:
        member_docs = [
            member_points_doc(m, sc.child(m.child_id), lang, audience, confidential)
            for m in pa.members
        ]
    return Option.model_construct(
        rank=rank_no,
        home_id=pa.home.id,
        organisation=pa.home.organisation,
        home_type=pa.home.type,
        home_type_name=HOME_TYPE_NAMES[lang][pa.home.type.value],
        home_postcode=pa.home.postcode.pc4,
        score=None if hide_score else pa.score,
        beds_needed=sum(1 for c in children if c.current_home != pa.home.id),
        criteria=_group_criteria(pa, docs, lang, audience, confidential),
        members=member_docs,
    )


def _group_criteria(
    pa: PairAssessment,
    docs: list[list[CriterionDoc]],
    lang: Lang,
    audience: Audience,
    confidential: bool,
) -> list[CriterionDoc]:
    """One entry per criterion; for a group the members' points summed and their sentences.
    ``docs`` are the members' criteria explained (:func:`criterion_doc`, as a coordinator
    reads them), in the order of ``pa.members`` and their criteria."""
    if len(pa.members) == 1:
        return [criterion_for(d, audience, confidential, lang) for d in docs[0]]
    out = []
    for code in CriterionCode:
        per_member = [
            (m.child_id, c, d)
            for m, member_docs in zip(pa.members, docs, strict=True)
            for c, d in zip(m.criteria, member_docs, strict=True)
            if c.code is code
        ]
        entries = [criterion_for(d, audience, confidential, lang) for _, _, d in per_member]
        texts = [e.text for e in entries]
        if len(set(texts)) == 1:
            each = _EACH[lang].format(n=len(texts))
            text = f"{texts[0]} {each}"
        else:
            text = " ".join(f"{cid}: {t}" for (cid, _, _), t in zip(per_member, texts, strict=True))
        hidden = any(e.points is None for e in entries)
        out.append(
            CriterionDoc.model_construct(
                criterion=code,
                points=None if hidden else sum(c.points for _, c, _ in per_member),
                max_points=sum(c.max_points for _, c, _ in per_member),
                value=None
                if hidden
                else {cid: e.value for (cid, _, _), e in zip(per_member, entries, strict=True)},
                text=text,
            )
        )
    return out


_EACH = {"nl": "(voor elk van de {n} kinderen)", "en": "(for each of the {n} children)"}


def _unit_of(ctx: Context, child_id: str) -> Unit:
    """The unit ``child_id`` is placed in (with its siblings, or alone); the one error a
    ranking of a child that is not in the scenario raises."""
    if child_id not in ctx.scenario.child_by_id:
        raise UnknownChildError(child_id)
    return ctx.unit_of[child_id]


def rank(ctx: Context, child_id: str) -> RankResult:
    """Assess every candidate home for the unit of ``child_id``; best options first."""
    sc = ctx.scenario
    unit = _unit_of(ctx, child_id)
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


def _told_points(pa: PairAssessment) -> int:
    """The points of an option that a provider reads for a confidential group: those of
    every criterion that is not measured from the parents' location."""
    return sum(
        c.points for m in pa.members for c in m.criteria if c.code.value not in LOCATING_CRITERIA
    )


def _distance(pa: PairAssessment) -> float:
    """Tie-break between equal scores: nearer to the parents first."""
    return sum(
        float(c.detail["distance_km"])
        for m in pa.members
        for c in m.criteria
        if c.code is CriterionCode.DISTANCE_PARENTS
    )


class Ranker:
    """Ranks any child of one context, many times: the homes' arrays are built once.

    :meth:`rank` finds the excluded homes with the array form of every eligibility rule
    (:mod:`matching.rules.eligibility`, the same formulas :func:`assess` applies pair by
    pair) and assesses pair by pair only the eligible homes and the ``explain`` nearest
    excluded ones: a national child has about 2,200 excluded homes and a few dozen
    options. ``tests/matching/test_ranker.py`` holds its documents equal to :func:`rank`'s
    for every child of the fixtures.
    """

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.arrays = HomeArrays(ctx, ctx.candidate_homes)
        self._lat = ctx.table.latitudes[self.arrays.pc]
        self._lon = ctx.table.longitudes[self.arrays.pc]
        self.scorer = PairScorer(ctx, self.arrays)

    def _scores(self, unit: Unit, at: IntArray, km: dict[str, NDArray[np.float64]]) -> IntArray:
        """The score of ``unit`` in each home at positions ``at`` (eligible homes)."""
        sc = self.ctx.scenario
        members = unit.members
        rows = at.size
        rc = np.repeat([self.scorer.child_position[cid] for cid in members], rows)
        rh = np.tile(at, len(members))
        d = np.concatenate([km[cid][at] for cid in members])
        here = np.concatenate(
            [
                np.fromiter(
                    (self.arrays.homes[i].id == sc.child(cid).current_home for i in at.tolist()),
                    dtype=np.int64,
                    count=rows,
                )
                for cid in members
            ]
        )
        size = np.full(rc.size, unit.size, dtype=np.int64)
        points = self.scorer.scores(rc, rh, d, size, here)
        return np.asarray(points.reshape(len(members), rows).sum(axis=0), dtype=np.int64)

    def rank(
        self, child_id: str, explain: int = NEAREST_EXCLUDED, top: int | None = None
    ) -> RankResult:
        """As :func:`rank`, with only the nearest ``explain`` excluded homes assessed.

        With ``top`` only the best ``top`` options are assessed pair by pair (and any
        that tie with the last of them): the others are ordered out by their scores from
        the array form, which a property test holds equal to the per-pair scores; the
        result counts them all (``options_total``) and shows at most ``top``.
        """
        ctx, arrays = self.ctx, self.arrays
        sc = ctx.scenario
        unit = _unit_of(ctx, child_id)
        homes = arrays.homes
        per_child = {
            cid: engine_km(
                (loc := ctx.parents_location(sc.child(cid))).latitude,
                loc.longitude,
                self._lat,
                self._lon,
            )
            for cid in unit.members
        }
        masks = {rule.code: rule.mask(ctx, unit, arrays) for rule in UNIT_RULES}
        members = [sc.child(cid) for cid in unit.members]
        for member_rule in MEMBER_RULES:
            mask = np.zeros(len(homes), dtype=bool)
            for c in members:
                mask |= member_rule.mask(ctx, c, arrays, per_child[c.id])
            masks[member_rule.code] = mask
        excluded_any = np.zeros(len(homes), dtype=bool)
        for mask in masks.values():
            excluded_any |= mask
        nearest = np.minimum.reduce([per_child[cid] for cid in unit.members])

        def assessed(i: int) -> PairAssessment:
            return assess(
                ctx, unit, homes[i], {cid: float(per_child[cid][i]) for cid in unit.members}
            )

        eligible = np.flatnonzero(~excluded_any)
        total: int | None = None
        if top is not None and eligible.size > top:
            # Every home that scores at least the top-th best, by the array form of every
            # criterion; ties are ordered below by distance and id, after the assessment.
            scores = self._scores(unit, eligible, per_child)
            threshold = np.sort(scores)[-top]
            total = int(eligible.size)
            eligible, expected = eligible[scores >= threshold], scores[scores >= threshold]
        options = [assessed(int(i)) for i in eligible]
        if total is not None and [pa.score for pa in options] != expected.tolist():
            raise AssertionError(f"per-pair and array scores disagree for {child_id}")
        out = np.flatnonzero(excluded_any)
        if out.size > explain > 0:
            # Only homes as near as the explain-th nearest can be among the nearest
            # (ties broken by id below).
            kth = np.partition(nearest[out], explain - 1)[explain - 1]
            out_near = out[nearest[out] <= kth]
        else:
            out_near = out
        closest = heapq.nsmallest(
            explain, out_near.tolist(), key=lambda i: (nearest[i], homes[i].id)
        )
        excluded = [assessed(i) for i in closest]
        if not all(pa.eligible for pa in options) or any(pa.eligible for pa in excluded):
            raise AssertionError(f"rule masks and per-pair rules disagree for {child_id}")
        options.sort(key=lambda pa: (-pa.score, _distance(pa), pa.home.id))
        counts: dict[ReasonCode | Confidential, int] = {
            code: int(m.sum()) for code, m in sorted(masks.items()) if m.any()
        }
        return RankResult(
            child_id,
            unit,
            tuple(options),
            tuple(excluded),
            counted=(len(out), counts),
            options_total=total,
        )
