"""The live state as a matching :class:`~matching.model.Scenario`.

The engine ranks and matches scenarios; here the database's current homes and children
become one, on the day given. Beds held by open proposals are not free. A coordinator's
scenario holds its own organisation's children: sibling, keep-apart and network relations
are only ever between a coordinator's own children.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from api.db.mappers import child_domain, home_domain
from api.db.uow import Tx
from api.schemas.children import ChildStatus
from api.schemas.proposals import ProposalStatus
from matching.model import PROTECTIVE_SPLITS, CareKind, Home, Resident, Scenario
from matching.policy import Policy

__all__ = [
    "ACTIVE_STATUSES",
    "Within",
    "living_against_keep_apart",
    "movers_against_keep_apart",
    "options_scenario",
    "organisation_scenario",
    "proposal_scenario",
    "waiting_scenario",
    "with_siblings",
]

#: Children the engine must know about: waiting, proposed (their siblings still wait) and
#: placed (they live in a home now, which matters for keep_apart and staying put).
ACTIVE_STATUSES = (ChildStatus.WAITING.value, ChildStatus.PROPOSED.value, ChildStatus.PLACED.value)
_OPEN_PROPOSALS = (ProposalStatus.PROPOSED.value, ProposalStatus.ACCEPTED.value)


@dataclasses.dataclass(frozen=True, slots=True)
class Within:
    """The part of the database a scenario reads: the children among ``child_ids``, the
    candidate homes whose postcode (PC4) is among ``home_postcodes`` (and, as in the
    whole scenario, every home one of its children lives in), and the residents of those
    homes only.

    Such a scenario is the whole one cut down, for a caller that keeps a part of it
    anyway (a municipality's area, :func:`api.services.planning.area_of`): what that part
    holds of the whole, it holds of this one if ``child_ids`` is closed over the sibling
    groups it keeps and ``home_postcodes`` covers every home it keeps.
    """

    child_ids: frozenset[str]
    home_postcodes: frozenset[str]


def organisation_scenario(
    tx: Tx,
    *,
    organisation: str | None,
    statuses: Collection[str],
    reference_date: date,
    policy: Policy,
    extra_home_ids: Iterable[str] = (),
    with_residents: bool = False,
    movable: bool = False,
    within: Within | None = None,
) -> Scenario:
    """Every child of ``organisation`` (all organisations for ``None``) in ``statuses``,
    and every home the engine can consider for them.

    Only homes with a bed not held, or where one of these children lives, are loaded:
    those are exactly the engine's candidate homes, so ranking on this scenario gives the
    same answer as ranking on one with every registered home.

    ``with_residents`` adds the organisation's other children who live in a home, or are
    proposed to one, as :class:`~matching.model.Resident`: they are not matched, but a
    child must not be placed where a child it is kept apart from lives (a batch match of
    the waiting children needs this).

    ``movable`` adds the organisation's children placed full-time in a residential group,
    matched like a scenario child with its ``current_home``: staying is an option that
    needs no bed (it keeps its own), and moving to a family-like home is uitstroom (see
    :mod:`solver.uitstroom`). It adds too the children placed with a child they must be
    kept apart from (:func:`movers_against_keep_apart`): for them staying is no option
    (the other child lives there). A match run matches them with the waiting children.

    ``within`` reads only that part of the database (:class:`Within`; not with
    ``movable``).
    """
    if movable and within is not None:
        raise ValueError("a scenario with movable children is read whole")
    ids = None if within is None else within.child_ids
    child_rows = list(tx.children.scenario_rows(organisation, statuses, ids=ids))
    link_statuses = tuple(statuses)
    if movable:
        seen = {r.id for r in child_rows}
        child_rows += [
            r for r in tx.children.placed_in_residential(organisation) if r.id not in seen
        ]
        # A child who lives with a child it must be kept apart from moves out, as from a
        # residential group; staying is no option for it (keep_apart excludes the home).
        seen = {r.id for r in child_rows}
        movers = movers_against_keep_apart(tx, organisation) - seen
        if movers:
            child_rows += list(
                tx.children.scenario_rows(
                    organisation, (ChildStatus.PLACED.value,), ids=sorted(movers)
                )
            )
        child_rows.sort(key=lambda r: r.id)
        link_statuses += (ChildStatus.PLACED.value,)
    wanted = {r.current_home for r in child_rows if r.current_home} | set(extra_home_ids)
    if within is not None:
        # The whole scenario has every home one of its children lives in, full or not.
        wanted |= tx.children.current_homes(organisation, statuses)
    home_rows = tx.homes.candidate_rows(wanted, None if within is None else within.home_postcodes)
    known = {r.id for r in child_rows}
    homes_at = None if within is None else {r.id for r in home_rows} | wanted
    # A child in part-time care comes to a home it does not live in (weekends, holidays):
    # it meets the family's children there, so keep-apart holds against it in that home
    # as against those who live there, whether it is matched here or not.
    guests = tx.placements.guests(organisation, homes_at)
    residents = tuple(
        Resident(cid, home, frozenset(apart)) for cid, home, apart in sorted(guests) if cid in known
    )
    if with_residents:
        found = tx.children.residents(organisation, ACTIVE_STATUSES, homes_at)
        found += tx.proposals.destinations(organisation, _OPEN_PROPOSALS, homes_at)
        found += guests
        # A child of the whole scenario is never a resident, whether this part read it.
        matched_elsewhere = (
            set()
            if within is None
            else tx.children.in_status({cid for cid, _, _ in found} - known, organisation, statuses)
        )
        residents += tuple(
            Resident(cid, home, frozenset(apart))
            for cid, home, apart in sorted(found)
            if cid not in known and cid not in matched_elsewhere
        )
        known |= {r.id for r in residents}
    # Sibling groups are formed among the matched children. A brother or sister who lives
    # in a home (or is proposed to one) is named too: a resident, it joins no group placed
    # whole, but one placed apart counts it where it lives (keep-apart under a protective
    # reason, max_siblings), as a proposal of the child would (proposal_scenario).
    matched = {r.id for r in child_rows}
    resident_ids = {r.id for r in residents}
    siblings: dict[str, set[str]] = {cid: set() for cid in matched}
    for a, b in tx.children.links_among(organisation, link_statuses, ids):
        if a in matched and (b in matched or b in resident_ids):
            siblings[a].add(b)
    homes = tuple(home_domain(r) for r in home_rows)
    children = tuple(child_domain(r, siblings[r.id], known, reference_date) for r in child_rows)
    return Scenario.of(reference_date, policy, homes, children, residents)


def living_against_keep_apart(
    tx: Tx, organisation: str | None, child_ids: Collection[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """For each child (among ``child_ids``, if given) of ``organisation`` (any for
    ``None``) that lives in a home, or comes to one for part-time care, together with a
    child it must be kept apart from: ``(other child, home)``, sorted. Kept apart as the
    engine keeps them (:attr:`matching.context.Context.keep_apart`): listed in either
    child's ``keep_apart``, or brothers and sisters one of whom has a protective
    ``split_reason``. Such a recorded fact is never refused, but the children stay
    together until one of them moves: every screen must say so (docs/api.md)."""
    guests = tx.placements.guests(organisation)
    if child_ids is None:
        homes = None
    else:
        wanted = set(child_ids)
        homes = {home for cid, home, _ in guests if cid in wanted}
        homes |= {r.current_home for r in tx.children.get_many(wanted).values() if r.current_home}
        if not homes:
            return {}
    found = tx.children.residents(organisation, ACTIVE_STATUSES, homes) + [
        g for g in guests if homes is None or g[1] in homes
    ]
    occupants: dict[str, set[str]] = {}
    listed: dict[str, set[str]] = {}
    for cid, home, apart in found:
        occupants.setdefault(home, set()).add(cid)
        listed.setdefault(cid, set()).update(apart)
    shared = {cid for group in occupants.values() if len(group) > 1 for cid in group}
    # A protective split reason keeps the child apart from its whole sibling group.
    for cid, row in tx.children.get_many(shared).items():
        if row.split_reason in PROTECTIVE_SPLITS:
            listed[cid] |= tx.children.component(cid) - {cid}
    out: dict[str, list[tuple[str, str]]] = {}
    for home, group in sorted(occupants.items()):
        for a in sorted(group):
            for b in sorted(group - {a}):
                if b in listed.get(a, ()) or a in listed.get(b, ()):
                    out.setdefault(a, []).append((b, home))
    if child_ids is not None:
        out = {cid: pairs for cid, pairs in out.items() if cid in wanted}
    return {cid: sorted(set(pairs)) for cid, pairs in out.items()}


def movers_against_keep_apart(tx: Tx, organisation: str | None) -> set[str]:
    """The placed children a match run moves because they live with a child they must be
    kept apart from: of each such pair living full-time in one home through a placement,
    the one who came last (the later start of its placement; at the same date the later
    id), or the only one whose placement can be moved (full-time). The other stays; the
    coordinator who would rather move that one proposes its move (both children's options
    leave out the home they share)."""
    conflicts = living_against_keep_apart(tx, organisation)
    involved = set(conflicts) | {other for pairs in conflicts.values() for other, _ in pairs}
    rows = tx.children.get_many(involved)
    arrived = {}
    for cid, row in rows.items():
        placement = tx.placements.open_for_child(cid)
        if (
            row.status == ChildStatus.PLACED.value
            and row.care_kind != CareKind.PART_TIME.value
            and placement is not None
            and not placement.part_time
            and placement.home_id == row.current_home
        ):
            arrived[cid] = (placement.start_date, cid)
    movers: set[str] = set()
    for cid, pairs in conflicts.items():
        for other, home in pairs:
            if rows[cid].current_home != home or cid not in arrived:
                continue  # not living there full-time through a placement: not moved here
            # The other stays where it cannot be moved, or where it came first.
            other_stays = other not in arrived or rows[other].current_home != home
            if other_stays or arrived[cid] > arrived[other]:
                movers.add(cid)
    return movers


def waiting_scenario(
    tx: Tx,
    organisation: str | None,
    today: date,
    policy: Policy,
    *,
    movable: bool = False,
    within: Within | None = None,
) -> Scenario:
    """The waiting children of ``organisation`` (all organisations for ``None``) with the
    children who live in a home as residents: what a batch match, a plan or a waiting-list
    effect works on (see :func:`organisation_scenario`)."""
    return organisation_scenario(
        tx,
        organisation=organisation,
        statuses=(ChildStatus.WAITING.value,),
        reference_date=today,
        policy=policy,
        with_residents=True,
        movable=movable,
        within=within,
    )


def options_scenario(
    tx: Tx,
    *,
    organisation: str,
    child_id: str,
    reference_date: date,
    policy: Policy,
) -> Scenario:
    """The smallest scenario in which ranking ``child_id`` gives the same answer as in the
    whole organisation's scenario (:func:`organisation_scenario`).

    A ranking reads the child's placement unit (its sibling group), the homes that are
    candidates (a bed not held, or a child of the organisation living there) and, for the
    keep_apart rule, who lives where. So it needs the child's sibling group and the
    children who live in a home now, not every waiting child: a few hundred rows instead
    of thousands for a national organisation. ``tests/api/test_options.py`` holds the two
    to the same document.
    """
    group = tx.children.component(child_id)
    rows = {
        cid: r
        for cid, r in tx.children.get_many(group).items()
        if r.organisation == organisation and r.status in ACTIVE_STATUSES
    }
    for r in tx.children.living_anywhere(organisation, ACTIVE_STATUSES):
        rows.setdefault(r.id, r)
    # A child in part-time care comes to a home it does not live in (its weekends there):
    # keep-apart holds against it in that home too.
    guests = tuple(
        Resident(cid, home, frozenset(apart))
        for cid, home, apart in sorted(tx.placements.guests(organisation))
    )
    return _scenario(tx, rows, (), reference_date, policy, guests)


def _scenario(
    tx: Tx,
    rows: dict[str, Any],
    extra_home_ids: Iterable[str],
    reference_date: date,
    policy: Policy,
    residents: tuple[Resident, ...] = (),
) -> Scenario:
    known = set(rows) | {r.id for r in residents}
    links = tx.children.siblings_of(known)
    wanted = {r.current_home for r in rows.values() if r.current_home} | set(extra_home_ids)
    homes = tuple(home_domain(r) for r in tx.homes.candidate_rows(wanted))
    children = tuple(
        child_domain(rows[cid], links[cid], known, reference_date) for cid in sorted(rows)
    )
    return Scenario.of(reference_date, policy, homes, children, residents)


def with_siblings(tx: Tx, child_ids: Collection[str]) -> set[str]:
    """``child_ids`` and every brother and sister of theirs: their whole sibling groups."""
    members: set[str] = set()
    for cid in child_ids:
        if cid not in members:
            members |= tx.children.component(cid)
    return members


def proposal_scenario(
    tx: Tx,
    *,
    organisation: str,
    child_ids: Collection[str],
    home_id: str,
    reference_date: date,
    policy: Policy,
    holding: int = 0,
    part_time: bool = False,
) -> Scenario:
    """The smallest scenario in which the engine judges ``child_ids`` in ``home_id`` as it
    would in the whole organisation's: their complete sibling groups, the children living
    in that home now or proposed to it (as residents), and that one home (absent if it was
    withdrawn) with the homes the children would leave (for what staying is worth).

    ``holding`` is the number of beds (``part_time``: part-time places) an open proposal
    of these children holds in the
    home: free for them, though not for anyone else. Only as many as the home still
    counts as held are given back, so a bed the home no longer has is never invented.
    """
    members = with_siblings(tx, child_ids)
    rows = tx.children.get_many(members)
    live = {
        cid: r
        for cid, r in rows.items()
        if r.organisation == organisation and r.status in ACTIVE_STATUSES
    }
    for r in tx.children.living_in(organisation, home_id, ACTIVE_STATUSES):
        live.setdefault(r.id, r)
    # Children of other open proposals to this home are about to live there: keep-apart
    # holds against them as against those who live there now (as in a match run).
    # A brother or sister of theirs in another open proposal to this home is about to live
    # there too: a resident there as well as a child of the group, so that keep-apart and
    # max_siblings count it (the children judged here are not their own residents).
    # A child in part-time care there comes for weekends and holidays: it meets them too.
    judged = set(child_ids)
    residents = tuple(
        Resident(cid, home, frozenset(apart))
        for cid, home, apart in sorted(
            tx.proposals.destinations(organisation, _OPEN_PROPOSALS, [home_id])
            + tx.placements.guests(organisation, [home_id])
        )
        if cid not in judged and (cid not in live or live[cid].current_home != home)
    )
    known = set(live) | {r.id for r in residents}
    links = tx.children.siblings_of(set(live))
    # The homes a moving child leaves come too: whether it leaves a residential group
    # decides what staying would have been worth (criteria.current_home).
    leaving = {r.current_home for cid, r in live.items() if cid in judged and r.current_home}
    homes = tuple(
        _with_own_beds(
            home_domain(r), min(holding, r.part_time_held if part_time else r.beds_held), part_time
        )
        if r.id == home_id
        else home_domain(r)
        for r in tx.homes.plain_rows({home_id} | leaving)
    )
    children = tuple(
        child_domain(live[cid], links[cid], known, reference_date) for cid in sorted(live)
    )
    return Scenario.of(reference_date, policy, homes, children, residents)


def _with_own_beds(home: Home, beds: int, part_time: bool = False) -> Home:
    """The home with the proposal's own held places given back (its part-time places for
    a part-time proposal)."""
    if not beds:
        return home
    if part_time and home.part_time_places_free is not None:
        return dataclasses.replace(home, part_time_places_free=home.part_time_places_free + beds)
    return dataclasses.replace(home, beds_free=home.beds_free + beds)
