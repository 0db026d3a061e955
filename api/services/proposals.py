"""Proposals, following the Dutch matching method: a provisional match holds the beds, the
carers accept or decline, the coordinator confirms (the children are placed) or withdraws.

A proposal is for one sibling group, whole, unless the group has a recorded split_reason;
the engine's own rules (:func:`matching.assess`) decide whether the home fits. Beds are held
with a conditional update (see :mod:`api.db.repositories`), so under concurrent requests
exactly one proposal gets the last bed. Every status change is conditional on the status it
starts from, so a confirm racing a withdraw also has exactly one winner. A hold lapses
after the policy's ``hold_period_days``: expired proposals are closed lazily, before
each request (:func:`due_in` in its first transaction, then :func:`expire`; see
:func:`api.http.deps.allowed_caller`), and no action succeeds on a lapsed hold.

A placed child may be proposed too (a move, doorplaatsing; uitstroom out of a residential
group): it keeps its placement, bed and ``current_home`` while the proposal is open, goes
back to ``placed`` if the proposal closes without a confirm, and the confirm ends the old
placement with reason ``move`` and frees its bed in the same transaction as it places
the child in the new home.

Coordinators and admins see a proposal whole; the provider of the home sees the carers'
view (:class:`~api.schemas.proposals.ProposalForProvider`): what carers need to decide and
nothing that locates the parents. Every step names its children to the audit trail, and a
lapsed hold is recorded as the system's doing.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from api.db.tables import ChildRow, HomeRow, PlacementRow, ProposalRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.children import ChildStatus
from api.schemas.placements import EndReason
from api.schemas.proposals import (
    CarerChild,
    DeclineReason,
    ProposalChild,
    ProposalForProvider,
    ProposalPage,
    ProposalPublic,
    ProposalStatus,
    SchoolArea,
)
from api.services.access import Caller, Role, list_scope
from api.services.audit_trail import SYSTEM, record_event
from api.services.care import record_history, request_beds_check
from api.services.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from api.services.lifecycle import TRANSITIONS, Step, Transition
from api.services.live import (
    ACTIVE_STATUSES,
    options_scenario,
    proposal_scenario,
    with_siblings,
)
from matching.context import Context
from matching.explain import Audience, Lang, reason_doc
from matching.facts import keeps_school as school_kept
from matching.geo import distance_km, postcode_table
from matching.model import CareKind, HistoryKind, Scenario
from matching.policy import Policy
from matching.privacy import confidential_group as domain_confidential_group
from matching.ranking import rank
from matching.rules import CriterionCode, Reason, ReasonCode, assess
from matching.scenario import age_on
from matching.siblings import Unit

__all__ = [
    "OPEN_STATUSES",
    "accept",
    "confidential_group",
    "confirm",
    "decline",
    "due_in",
    "expire",
    "expire_due",
    "get_proposal",
    "list_proposals",
    "propose",
    "withdraw",
]

OPEN_STATUSES = (ProposalStatus.PROPOSED.value, ProposalStatus.ACCEPTED.value)
_START_WINDOW = timedelta(days=366)


def _shared_fields(row: ProposalRow, child_ids: list[str]) -> dict[str, Any]:
    """The lifecycle facts every view of a proposal carries, whoever reads it."""
    return {
        "id": row.id,
        "status": ProposalStatus(row.status),
        "home_id": row.home_id,
        "child_ids": child_ids,
        "beds": row.beds,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "expires_at": row.expires_at,
        "accepted_at": row.accepted_at,
        "closed_at": row.closed_at,
        "decline_reason": row.decline_reason,
        "decline_reason_code": row.decline_reason_code,
    }


def _age(child: ChildRow, today: date) -> int | None:
    return age_on(child.birth_date, today) if child.birth_date is not None else child.age


def _public(tx: Tx, rows: Sequence[ProposalRow], today: date) -> list[ProposalPublic]:
    ids = tx.proposals.child_ids([r.id for r in rows])
    children = tx.children.get_many({cid for r in rows for cid in ids[r.id]})
    out = []
    for r in rows:
        summary = []
        for cid in ids[r.id]:
            c = children.get(cid)
            if c is None:
                continue
            age = _age(c, today)
            summary.append(
                ProposalChild(child_id=cid, age=int(age or 0), needs=c.needs, urgency=c.urgency)
            )
        out.append(
            ProposalPublic(
                **_shared_fields(r, ids[r.id]),
                organisation=r.organisation,
                children=summary,
                split_reason=r.split_reason,
                withdraw_reason=r.withdraw_reason,
            )
        )
    return out


def _carer_views(tx: Tx, rows: Sequence[ProposalRow], today: date) -> list[ProposalForProvider]:
    """The carers' view: built from the child rows directly, so that nothing the view must
    not carry (postcodes, split reasons, notes) is ever in hand to leak."""
    ids = tx.proposals.child_ids([r.id for r in rows])
    children = tx.children.get_many({cid for r in rows for cid in ids[r.id]})
    homes = tx.homes.get_many({r.home_id for r in rows})
    table = postcode_table()
    out = []
    for r in rows:
        home = homes.get(r.home_id)
        home_loc = table.locate(home.postcode[:4]) if home is not None else None
        present = [children[cid] for cid in ids[r.id] if cid in children]
        # Confidential as a group: a sibling's school or organisation would locate the
        # confidential child's parents (the same parents) just as well.
        hidden = confidential_group(tx, ids[r.id])
        summary = []
        for c in present:
            confidential = hidden
            school = None
            if c.school_postcode and home_loc is not None and not confidential:
                school_loc = table.locate(c.school_postcode[:4])
                school = SchoolArea(
                    municipality=school_loc.municipality_name,
                    distance_km=distance_km(school_loc, home_loc),
                )
            age = _age(c, today)
            summary.append(
                CarerChild(
                    child_id=c.id,
                    age=int(age or 0),
                    needs=c.needs,
                    urgency=c.urgency,
                    confidential=confidential,
                    school_area=school,
                    lives_here=c.current_home == r.home_id,
                )
            )
        out.append(
            ProposalForProvider(
                **_shared_fields(r, ids[r.id]),
                organisation=None if hidden else r.organisation,
                children=summary,
                sibling_group_size=_group_size(tx, ids[r.id]),
            )
        )
    return out


def confidential_group(tx: Tx, child_ids: Collection[str]) -> bool:
    """Whether the carers must learn nothing of where ``child_ids`` come from: one of
    them, or of their brothers and sisters, is placed confidentially
    (``min_distance_from_parents_km``), or a child's record is gone (nothing left to judge
    by)."""
    rows = tx.children.get_many(with_siblings(tx, child_ids))
    return domain_confidential_group([*(rows.get(cid) for cid in child_ids), *rows.values()])


def _group_size(tx: Tx, child_ids: Sequence[str]) -> int:
    """Children in care in the sibling group of the proposed children (at least those)."""
    if not child_ids:
        return 0
    group = tx.children.get_many(tx.children.component(child_ids[0]))
    in_care = {cid for cid, r in group.items() if r.status in ACTIVE_STATUSES}
    return len(in_care | set(child_ids))


def _views(
    tx: Tx, caller: Caller, rows: Sequence[ProposalRow], today: date
) -> list[ProposalPublic | ProposalForProvider]:
    """Each proposal as the caller may see it, its children named to the audit trail."""
    tx.audit.about(
        children=[c for ids in tx.proposals.child_ids([r.id for r in rows]).values() for c in ids]
    )
    if caller.role is Role.PROVIDER:
        return list(_carer_views(tx, rows, today))
    return list(_public(tx, rows, today))


def _visible(tx: Tx, caller: Caller, proposal_id: str) -> tuple[ProposalRow, HomeRow]:
    """The proposal if the caller may see it: its coordinator organisation, the provider of
    its home, or an admin; otherwise "not found"."""
    row = tx.proposals.get(proposal_id)
    home = tx.homes.get(row.home_id) if row is not None else None
    if row is None or home is None:
        raise NotFoundError("proposal", proposal_id)
    if (
        caller.is_admin
        or (caller.role is Role.COORDINATOR and row.organisation == caller.organisation)
        or (caller.role is Role.PROVIDER and home.organisation == caller.organisation)
    ):
        return row, home
    raise NotFoundError("proposal", proposal_id)


def _release(tx: Tx, row: ProposalRow, now: datetime) -> None:
    """Free the held beds and send the children back to waiting."""
    if row.beds and not tx.homes.release_beds(row.home_id, row.beds, now, part_time=row.part_time):
        raise RuntimeError("held beds out of step with open proposals")
    child_ids = tx.proposals.child_ids([row.id])[row.id]
    # A child that was to move still has its placement: it stays placed where it lives.
    placed = {c for c in child_ids if tx.placements.open_for_child(c) is not None}
    for ids, target in (
        ([c for c in child_ids if c not in placed], ChildStatus.WAITING),
        (sorted(placed), ChildStatus.PLACED),
    ):
        if ids:
            tx.children.move(ids, (ChildStatus.PROPOSED.value,), target.value, now)


def _statuses(step: Step) -> tuple[tuple[str, ...], str]:
    """The statuses ``step`` starts from and the one it ends in, as stored."""
    transition = TRANSITIONS[step]
    return transition.source_values, transition.target.value


def _released(tx: Tx, transition: Transition, row: ProposalRow, now: datetime) -> None:
    """Free the beds if the lifecycle table says this step does."""
    if transition.beds_released:
        _release(tx, row, now)


def _take(tx: Tx, step: Step, row: ProposalRow, now: datetime, verb: str, **values: Any) -> None:
    """Take ``step`` on the open proposal whose hold has not lapsed, as the lifecycle table
    says: the status moves (``values`` are stored with it) and the beds go free if the
    step frees them; a conflict if another request moved it first or the hold lapsed."""
    if not tx.proposals.move(row.id, *_statuses(step), now, unexpired=True, **values):
        raise _state_conflict(row, now, verb)
    _released(tx, TRANSITIONS[step], row, now)


def _state_conflict(row: ProposalRow, now: datetime, verb: str) -> ConflictError:
    if row.status == ProposalStatus.EXPIRED or (
        row.status in OPEN_STATUSES and row.expires_at <= now
    ):
        return ConflictError(
            "expired", f"the proposal's hold lapsed at {row.expires_at.isoformat()}"
        )
    return ConflictError("invalid_state", f"a proposal that is {row.status} cannot be {verb}")


def expire_due(uow: UnitOfWork, now: datetime) -> int:
    """Close every open proposal whose hold has lapsed; returns how many were closed.
    Each is recorded in the audit trail as the system's doing, in the same transaction."""
    with uow.read() as tx:
        due = due_in(tx, now)
    return expire(uow, due, now)


def due_in(tx: Tx, now: datetime) -> list[str]:
    """The open proposals whose hold has lapsed by ``now``, read in ``tx`` (a request's
    first transaction asks this beside its key: :func:`api.http.deps.allowed_caller`)."""
    return tx.proposals.due(OPEN_STATUSES, now)


def expire(uow: UnitOfWork, due: Sequence[str], now: datetime) -> int:
    """Close the proposals ``due`` (:func:`due_in`) that are still open; how many were."""
    if not due:
        return 0
    closed = 0
    with uow.write() as tx:
        for pid in due:
            row = tx.proposals.get(pid)
            if row is None:
                continue
            step = TRANSITIONS[Step.EXPIRE]
            if tx.proposals.move(
                pid,
                step.source_values,
                step.target.value,
                now,
                unexpired=False,
                closed_at=now,
            ):
                _released(tx, step, row, now)
                record_event(
                    tx,
                    SYSTEM,
                    step.audit_action,
                    now,
                    object_type="proposal",
                    object_id=pid,
                    children=tx.proposals.child_ids([pid])[pid],
                )
                closed += 1
        tx.commit()
    return closed


def _proposal_unit(ctx: Context, child_ids: Sequence[str], staying: Collection[str]) -> Unit:
    """The placement unit the proposal stands for.

    A group that may not be split is proposed whole, except for members already placed in
    the proposed home (``staying``): a brother or sister joins them there, which is what
    the engine ranks. A group with a recorded split_reason may be proposed in part.
    """
    unit = ctx.unit_of[child_ids[0]]
    group = unit.group
    outside = [c for c in child_ids if c not in group]
    if outside:
        raise ConflictError(
            "not_one_group",
            f"a proposal is for one sibling group: '{outside[0]}' is not a sibling of "
            f"'{child_ids[0]}'",
        )
    if unit.split_reason is None:
        missing = [c for c in group if c not in child_ids and c not in staying]
        if missing:
            raise ConflictError(
                "siblings_together",
                "this sibling group is placed together unless a split_reason is recorded; "
                f"missing: {', '.join(missing)}",
            )
        return unit
    members = tuple(c for c in group if c in child_ids)
    return Unit(members=members, group=group, split_reason=unit.split_reason)


def _fitting_unit(
    tx: Tx,
    *,
    organisation: str,
    child_ids: Sequence[str],
    home_id: str,
    today: date,
    policy: Policy,
    holding: int = 0,
    part_time: bool = False,
    audience: Audience = Audience.COORDINATOR,
) -> tuple[Scenario, Unit, set[str]]:
    """The unit ``child_ids`` stand for, if the engine finds that it fits ``home_id`` as
    the home and the children are now; else :class:`ConflictError` with the engine's
    reasons. ``holding``: beds in the home that a proposal of these children already holds
    (theirs, not anyone else's). Also returns the scenario and the group members already
    living in the home."""
    scenario = proposal_scenario(
        tx,
        organisation=organisation,
        child_ids=child_ids,
        home_id=home_id,
        reference_date=today,
        policy=policy,
        holding=holding,
        part_time=part_time,
    )
    if home_id not in scenario.home_by_id:
        raise ConflictError("home_withdrawn", f"home '{home_id}' has been withdrawn")
    # A write transaction on PostgreSQL reads each statement's own snapshot (READ
    # COMMITTED): a child checked as placed may have left care by the time the scenario
    # is read (its placement ended by a concurrent request). It then loses, as it would
    # had the end come first.
    gone = [cid for cid in child_ids if cid not in scenario.child_by_id]
    if gone:
        raise ConflictError(
            "child_not_waiting", f"child '{gone[0]}' changed meanwhile and cannot be proposed"
        )
    ctx = Context.of(scenario)
    group = tx.children.get_many(ctx.unit_of[child_ids[0]].group)
    staying = {
        cid
        for cid, r in group.items()
        if r.status == ChildStatus.PLACED and r.current_home == home_id
    }
    unit = _proposal_unit(ctx, child_ids, staying)
    verdict = assess(ctx, unit, scenario.home(home_id))
    if verdict.eligible:
        return scenario, unit, staying
    # For the carers a group is as confidential as its most confidential member, proposed
    # here or not (a split group): a reason about a sibling's parents locates the
    # confidential child's parents just as well.
    group_secret = audience is Audience.PROVIDER and confidential_group(tx, unit.members)

    def secret(r: Reason) -> bool:
        if audience is Audience.PROVIDER:
            return group_secret
        return scenario.child(r.child_id).confidential if r.child_id else False

    def worded(lang: Lang) -> list[dict[str, Any]]:
        return [dict(reason_doc(r, lang, audience, secret(r))) for r in verdict.reasons]

    reasons, dutch = worded("en"), worded("nl")
    codes = {r.code for r in verdict.reasons}
    if codes == {ReasonCode.BEDS}:
        raise ConflictError("beds", "the home does not have enough free beds", reasons, dutch)
    if ReasonCode.DECLINED in codes:
        raise ConflictError(
            "declined", "the carers of this home declined this child recently", reasons, dutch
        )
    raise ConflictError(
        "rule_broken", "the home does not meet every placement rule", reasons, dutch
    )


def _movable(tx: Tx, child: ChildRow) -> bool:
    """Whether a placed child can be proposed to another home (a move, doorplaatsing): it
    lives full-time in the home of its open placement. A part-time child keeps living
    where it lives, so it has nothing to move out of."""
    if child.status != ChildStatus.PLACED or child.care_kind == CareKind.PART_TIME.value:
        return False
    placement = tx.placements.open_for_child(child.id)
    return (
        placement is not None
        and not placement.part_time
        and placement.home_id == child.current_home
    )


def _check_proposable(
    tx: Tx, rows: dict[str, ChildRow], child_ids: Sequence[str], home_id: str
) -> set[str]:
    """Refuse a child that cannot be proposed now; returns the placed children among
    ``child_ids`` that the proposal moves. A waiting child can be proposed, and so can a
    child placed full-time (the move is confirmed like any placement: its old placement
    then ends with reason ``move``); never to the home it lives in."""
    moving: set[str] = set()
    for cid in child_ids:
        row = rows[cid]
        if row.status == ChildStatus.WAITING:
            continue
        if _movable(tx, row):
            if row.current_home == home_id:
                raise ConflictError(
                    "already_there", f"child '{cid}' already lives in home '{home_id}'"
                )
            moving.add(cid)
            continue
        raise ConflictError(
            "child_not_waiting",
            f"child '{cid}' is {row.status}, not waiting"
            + (" (a part-time placement is not moved)" if row.status == ChildStatus.PLACED else ""),
        )
    return moving


def propose(
    uow: UnitOfWork,
    caller: Caller,
    child_ids: Sequence[str],
    home_id: str,
    now: datetime,
    today: date,
    policy: Policy,
) -> ProposalPublic:
    """Propose ``child_ids`` (one sibling group) for ``home_id`` and hold the beds."""
    # What the engine would propose now, before this proposal takes its beds. Ranked
    # before the write transaction: on SQLite that transaction stops every other writer.
    engine_choice = (
        _engine_choice(uow, caller.organisation, child_ids[0], today, policy) if child_ids else None
    )
    with uow.write() as tx:
        # Named before any check, so that a refused proposal's record shows whom it was for.
        tx.audit.about(children=child_ids)
        rows = tx.children.get_many(child_ids)
        problems = [
            FieldProblem(f"$.child_ids[{i}]", "unknown child id")
            for i, cid in enumerate(child_ids)
            if cid not in rows or rows[cid].organisation != caller.organisation
        ]
        # Locked before the rules are checked (PostgreSQL): a proposal of another child to
        # this home either committed before them (and keep-apart and max_siblings count
        # that child there) or waits for this one; never two checked without each other.
        home_row = tx.homes.get(home_id, lock=True)
        if home_row is None or home_row.withdrawn_at is not None:
            problems.append(FieldProblem("$.home_id", "unknown home id"))
        if problems:
            raise InvalidInputError(problems)
        moving = _check_proposable(tx, rows, child_ids, home_id)

        scenario, unit, staying = _fitting_unit(
            tx,
            organisation=caller.organisation,
            child_ids=child_ids,
            home_id=home_id,
            today=today,
            policy=policy,
        )

        beds = sum(1 for cid in unit.members if scenario.child(cid).current_home != home_id)
        # A part-time unit holds part-time places where the home counts them apart.
        part_time = Context.of(scenario).takes_part_time(unit) and (
            scenario.home(home_id).part_time_places_free is not None
        )
        # The race is decided here: only one of two concurrent requests can hold the bed.
        if beds and not tx.homes.hold_beds(home_id, beds, now, part_time=part_time):
            raise ConflictError("beds", "the home does not have enough free beds")
        proposed = [cid for cid in unit.members if cid not in staying]
        # Each child from the status it was read in: a waiting child, or a placed child that
        # moves (doorplaatsing) and keeps its placement and bed until the move is confirmed.
        # A child whose status changed meanwhile (proposed elsewhere, placement ended) loses.
        for ids, source in (
            ([c for c in proposed if c not in moving], ChildStatus.WAITING),
            ([c for c in proposed if c in moving], ChildStatus.PLACED),
        ):
            if ids and not tx.children.move(ids, (source.value,), ChildStatus.PROPOSED.value, now):
                raise ConflictError(
                    "child_not_waiting", "another request proposed one of these children"
                )

        split = unit.split_reason is not None and len(unit.members) < len(unit.group)
        row = ProposalRow(
            id=str(uuid.uuid4()),
            organisation=caller.organisation,
            home_id=home_id,
            status=ProposalStatus.PROPOSED.value,
            beds=beds,
            part_time=part_time,
            split_reason=unit.split_reason.value if split and unit.split_reason else None,
            created_at=now,
            updated_at=now,
            expires_at=now + timedelta(days=policy.hold_period_days),
            accepted_at=None,
            closed_at=None,
            decline_reason=None,
            withdraw_reason=None,
            engine_choice=engine_choice,
        )
        tx.proposals.add(row, proposed)
        tx.audit.about(object_id=row.id, children=proposed)
        result = _public(tx, [row], today)[0]
        tx.commit()
    return result


def _engine_choice(
    uow: UnitOfWork, organisation: str, child_id: str, today: date, policy: Policy
) -> dict[str, Any] | None:
    """The engine's best option for the child's unit right now, per member: the facts the
    municipality audit compares practice with. ``None`` if the engine had no option, or
    the child is not a waiting child of ``organisation`` (the proposal will be refused)."""
    with uow.read() as tx:
        row = tx.children.get(child_id)
        if row is None or row.organisation != organisation:
            return None
        if row.status not in (ChildStatus.WAITING, ChildStatus.PLACED):
            return None
        scenario = options_scenario(
            tx, organisation=organisation, child_id=child_id, reference_date=today, policy=policy
        )
    if all(c.id != child_id for c in scenario.children):
        # The child's status changed between the reads above (on PostgreSQL each statement
        # sees what is committed by then; say its placement ended): the write transaction
        # refuses the proposal, and there is no engine choice to record.
        return None
    ctx = Context.of(scenario)
    best = next(iter(rank(ctx, child_id).options), None)
    if best is None:
        return None
    chosen = {m.child_id for m in best.members}
    members = {}
    for m in best.members:
        group = ctx.unit_of[m.child_id].group
        crit = {c.code: c.detail for c in m.criteria}
        school = crit[CriterionCode.SCHOOL]
        members[m.child_id] = {
            "home_type": best.home.type.value,
            "distance_km": crit[CriterionCode.DISTANCE_PARENTS]["distance_km"],
            "same_municipality": crit[CriterionCode.OWN_MUNICIPALITY]["same"],
            "keeps_school": school["keeps_school"] if school.get("applicable") else None,
            "together": set(group) <= chosen if len(group) > 1 else None,
        }
    return {"home_id": best.home.id, "members": members}


def _engine_facts(choice: dict[str, Any] | None, child_id: str) -> dict[str, Any]:
    facts = (choice or {}).get("members", {}).get(child_id)
    if facts is None:
        return {}
    return {
        "engine_home_type": facts["home_type"],
        "engine_distance_km": facts["distance_km"],
        "engine_same_municipality": facts["same_municipality"],
        "engine_keeps_school": facts["keeps_school"],
        "engine_together": facts.get("together"),
    }


def get_proposal(
    uow: UnitOfWork, caller: Caller, proposal_id: str, today: date
) -> ProposalPublic | ProposalForProvider:
    with uow.read() as tx:
        row, _ = _visible(tx, caller, proposal_id)
        return _views(tx, caller, [row], today)[0]


def list_proposals(
    uow: UnitOfWork,
    caller: Caller,
    statuses: Collection[ProposalStatus],
    offset: int,
    limit: int,
    today: date,
) -> ProposalPage:
    """Coordinators see their organisation's proposals, providers those to their homes."""
    with uow.read() as tx:
        rows, total = tx.proposals.page(
            list_scope(caller),
            statuses=[s.value for s in statuses],
            offset=offset,
            limit=limit,
        )
        items = _views(tx, caller, rows, today)
        return ProposalPage(items=items, total=total, offset=offset, limit=limit)


def _answerable(tx: Tx, caller: Caller, proposal_id: str) -> ProposalRow:
    """A proposal the caller's homes answer (accept, decline): the home's provider only."""
    row, home = _visible(tx, caller, proposal_id)
    return _acted_on(tx, caller, row, Role.PROVIDER, home.organisation)


def _decidable(tx: Tx, caller: Caller, proposal_id: str) -> ProposalRow:
    """A proposal the caller decides on (confirm, withdraw): its own coordinator only."""
    row, _ = _visible(tx, caller, proposal_id)
    return _acted_on(tx, caller, row, Role.COORDINATOR, row.organisation)


def _acted_on(
    tx: Tx, caller: Caller, row: ProposalRow, role: Role, organisation: str
) -> ProposalRow:
    """``row`` if the caller acts as ``role`` for ``organisation`` (else "not found", as for
    a proposal it cannot see); the audit record names the proposal's children."""
    if caller.role is not role or organisation != caller.organisation:
        raise NotFoundError("proposal", row.id)
    tx.audit.about(children=tx.proposals.child_ids([row.id])[row.id])
    return row


def _recheck(
    tx: Tx,
    row: ProposalRow,
    child_ids: Sequence[str],
    today: date,
    policy: Policy,
    audience: Audience,
) -> None:
    """Every rule again, on the home and the children (``child_ids``, the proposal's) as
    they are now: the home may have been changed while the proposal was open. The
    proposal's held beds are its own, and its children do not live in the home yet."""
    _fitting_unit(
        tx,
        organisation=row.organisation,
        child_ids=child_ids,
        home_id=row.home_id,
        today=today,
        policy=policy,
        holding=row.beds,
        part_time=row.part_time,
        audience=audience,
    )


def accept(
    uow: UnitOfWork,
    caller: Caller,
    proposal_id: str,
    now: datetime,
    today: date,
    policy: Policy,
) -> ProposalForProvider:
    with uow.write() as tx:
        row = _answerable(tx, caller, proposal_id)
        _take(tx, Step.ACCEPT, row, now, "accepted", accepted_at=now)
        # A refusal rolls the move back: the proposal stays open, for the coordinator to
        # withdraw or for the home to be put right.
        child_ids = tx.proposals.child_ids([row.id])[row.id]
        _recheck(tx, row, child_ids, today, policy, Audience.PROVIDER)
        result = _carer_views(tx, [_reloaded(tx, proposal_id)], today)[0]
        tx.commit()
    return result


def decline(
    uow: UnitOfWork,
    caller: Caller,
    proposal_id: str,
    reason: str | None,
    now: datetime,
    today: date,
    code: DeclineReason = DeclineReason.OTHER,
) -> ProposalForProvider:
    """The carers say no: the beds are freed and each child's history remembers the home
    (so it is not offered again); for ``no_capacity`` the provider is asked to correct
    its free beds."""
    with uow.write() as tx:
        row = _answerable(tx, caller, proposal_id)
        _take(
            tx,
            Step.DECLINE,
            row,
            now,
            "declined",
            closed_at=now,
            decline_reason=reason,
            decline_reason_code=code.value,
        )
        note = f"{code.value}: {reason}" if reason else code.value
        children = tx.proposals.child_ids([proposal_id])[proposal_id]
        record_history(tx, children, row.home_id, HistoryKind.DECLINED, today, note, now)
        if code is DeclineReason.NO_CAPACITY:
            request_beds_check(tx, row.home_id, now)
        result = _carer_views(tx, [_reloaded(tx, proposal_id)], today)[0]
        result = result.model_copy(
            update={"beds_check_requested": code is DeclineReason.NO_CAPACITY}
        )
        tx.commit()
    return result


def withdraw(
    uow: UnitOfWork,
    caller: Caller,
    proposal_id: str,
    reason: str | None,
    now: datetime,
    today: date,
) -> ProposalPublic:
    with uow.write() as tx:
        row = _decidable(tx, caller, proposal_id)
        _take(tx, Step.WITHDRAW, row, now, "withdrawn", closed_at=now, withdraw_reason=reason)
        result = _public(tx, [_reloaded(tx, proposal_id)], today)[0]
        tx.commit()
    return result


def confirm(
    uow: UnitOfWork,
    caller: Caller,
    proposal_id: str,
    start_date: date | None,
    now: datetime,
    today: date,
    policy: Policy,
) -> ProposalPublic:
    """Place the children: held beds become taken, each child gets a placement record."""
    start = start_date or today
    if abs(start - today) > _START_WINDOW:
        raise InvalidInputError([FieldProblem("$.start_date", "must be within a year of today")])
    with uow.write() as tx:
        row = _decidable(tx, caller, proposal_id)
        _take(tx, Step.CONFIRM, row, now, "confirmed", closed_at=now)
        child_ids = tx.proposals.child_ids([row.id])[row.id]
        # Every home this confirm writes is locked first, in id order: the new one and those
        # the moving children leave (their beds go free below). Two moves swapping homes
        # would otherwise each hold one and wait for the other's (PostgreSQL). The new
        # home's row stays locked until the placement is committed, so a PATCH or a
        # withdrawal either comes before the check below (and is checked) or after it.
        leaving = {p.home_id for p in map(tx.placements.open_for_child, child_ids) if p}
        home = None
        for home_id in sorted(leaving | {row.home_id}):
            if home_id == row.home_id:
                home = tx.homes.lock_active(home_id)
            else:
                tx.homes.get(home_id, lock=True)
        if home is None:
            raise ConflictError("home_withdrawn", f"home '{row.home_id}' has been withdrawn")
        settled = tx.placements.settled_until(child_ids)
        if settled is not None and start < settled:
            # A placement cannot begin before the child's last one ended (or, for a move,
            # before the one it leaves began): the audit would count a child twice.
            raise InvalidInputError(
                [
                    FieldProblem(
                        "$.start_date",
                        "is before the end of a child's previous placement (or, for a move, "
                        "the start of the one it leaves)",
                    )
                ]
            )
        # A placement that starts later must fit the home and the children on that day
        # (an age limit passed or the home no longer available by then breaks a rule).
        _recheck(tx, row, child_ids, max(start, today), policy, Audience.COORDINATOR)
        if row.beds and not tx.homes.take_held_beds(
            row.home_id, row.beds, now, part_time=row.part_time
        ):
            raise RuntimeError("held beds out of step with open proposals")
        # A child that moves (doorplaatsing) leaves its old home in this same transaction:
        # its placement there ends with reason ``move`` and frees that bed.
        _end_old_placements(tx, child_ids, start, now)
        # A part-time child (weekends and holidays) keeps living where it lives: its
        # current_home stays; every other child now lives in the home.
        part_time = _part_time_children(tx, child_ids)
        moves: list[tuple[list[str], dict[str, Any]]] = [
            ([c for c in child_ids if c not in part_time], {"current_home": row.home_id}),
            (sorted(part_time), {}),
        ]
        for ids, values in moves:
            if ids and not tx.children.move(
                ids, (ChildStatus.PROPOSED.value,), ChildStatus.PLACED.value, now, **values
            ):
                raise RuntimeError("children out of step with their open proposal")
        placements = _placement_rows(tx, row, home, child_ids, start, now, today, policy)
        tx.placements.add_all(placements)
        result = _public(tx, [_reloaded(tx, proposal_id)], today)[0]
        tx.commit()
    return result


def _end_old_placements(tx: Tx, child_ids: Sequence[str], start: date, now: datetime) -> None:
    """End the open placement of each moving child with reason ``move`` on the day the new
    one starts (not before the old one started), and free its bed in the old home."""
    for cid in child_ids:
        old = tx.placements.open_for_child(cid)
        if old is None:
            continue
        if not tx.placements.end(old.id, max(start, old.start_date), EndReason.MOVE.value, now):
            raise RuntimeError("a moving child's placement ended under its open proposal")
        tx.homes.free_bed(old.home_id, now, part_time=old.part_time)


def _part_time_children(tx: Tx, child_ids: Sequence[str]) -> set[str]:
    """The children among ``child_ids`` who come for part-time care."""
    rows = tx.children.get_many(child_ids)
    return {cid for cid, r in rows.items() if r.care_kind == CareKind.PART_TIME.value}


def _placement_rows(
    tx: Tx,
    proposal: ProposalRow,
    home: HomeRow,
    child_ids: Sequence[str],
    start: date,
    now: datetime,
    today: date,
    policy: Policy,
) -> list[PlacementRow]:
    """One placement per child, with the facts the proximity audit counts, measured the way
    the engine measures them (same distance function, same school commute policy)."""
    table = postcode_table()
    home_loc = table.locate(home.postcode[:4])
    children = tx.children.get_many(child_ids)
    out = []
    for cid in child_ids:
        child = children[cid]
        parents = table.locate(child.parents_postcode[:4])
        age = _age(child, today) or 0
        school = table.locate(child.school_postcode[:4]) if child.school_postcode else None
        keeps_school = school_kept(policy, age, school, home_loc)
        group_rows = tx.children.get_many(tx.children.component(cid))
        group = sorted(c for c, r in group_rows.items() if r.status != ChildStatus.LEFT)
        in_group = len(group) > 1
        out.append(
            PlacementRow(
                id=str(uuid.uuid4()),
                proposal_id=proposal.id,
                child_id=cid,
                organisation=proposal.organisation,
                home_id=proposal.home_id,
                home_type=home.type,
                part_time=proposal.part_time,
                parents_municipality=parents.municipality_code,
                home_municipality=home_loc.municipality_code,
                distance_km=distance_km(parents, home_loc),
                keeps_school=keeps_school,
                # Opaque: lets the audit count sibling groups without any child's id.
                sibling_group=hashlib.sha256("|".join(group).encode()).hexdigest()[:16]
                if in_group
                else None,
                # Together: every sibling still in care now lives in this home, or (part-time
                # care, where the child keeps its home) comes to it in this very proposal.
                together=all(
                    group_rows[c].current_home == proposal.home_id or c in child_ids for c in group
                )
                if in_group
                else None,
                split_reason=proposal.split_reason,
                start_date=start,
                end_date=None,
                end_reason=None,
                created_at=now,
                ended_at=None,
                **_engine_facts(proposal.engine_choice, cid),
            )
        )
    return out


def _reloaded(tx: Tx, proposal_id: str) -> ProposalRow:
    row = tx.proposals.get(proposal_id)
    assert row is not None
    return row
