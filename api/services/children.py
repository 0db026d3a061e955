"""Waiting children: register, read, change and remove, keeping sibling relations whole.

Siblings are stored as links in both directions, so the relation is symmetric whichever
child was changed; removing a child removes it from every other child's siblings and
keep_apart. A sibling group that may not be split must not hold two children who must be
kept apart: every change is checked on the whole group it creates, inside the transaction.
Every read and change names the children it concerns to the audit trail.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from api.db.mappers import child_domain, child_fields, child_values
from api.db.tables import ChildRow
from api.db.uow import Tx, UnitOfWork
from api.schemas.children import ChildPage, ChildPublic, ChildStatus
from api.schemas.placements import EndReason
from api.schemas.proposals import ProposalStatus
from api.services.access import Caller, Role
from api.services.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    domain_problem,
)
from api.services.live import living_against_keep_apart, with_siblings
from api.services.versions import check_if_match, etag_of
from matching.model import Child, HistoryKind
from matching.scenario import ChildIn, InputProblem, child_from_schema
from matching.siblings import sibling_problems

__all__ = [
    "delete_child",
    "get_child",
    "kept_apart_together",
    "list_children",
    "owned_child",
    "register_child",
    "resolve_organisation",
    "sibling_group",
    "update_child",
]


def _publics(tx: Tx, rows: Sequence[ChildRow]) -> list[ChildPublic]:
    tx.audit.about(children=[r.id for r in rows])
    links = tx.children.siblings_of([r.id for r in rows])
    # Keep-apart relations are only ever between one organisation's children.
    organisations = {r.organisation for r in rows}
    together = living_against_keep_apart(
        tx, organisations.pop() if len(organisations) == 1 else None, [r.id for r in rows]
    )
    tx.audit.about(children=sorted({o for pairs in together.values() for o, _ in pairs}))
    return [
        ChildPublic.model_validate(
            {
                **child_fields(r, links[r.id]),
                "organisation": r.organisation,
                "status": r.status,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
                "lives_with_kept_apart": sorted({o for o, _ in together.get(r.id, ())}),
            }
        )
        for r in rows
    ]


def owned_child(
    tx: Tx, caller: Caller, child_id: str, *, lock: bool = False, edit: bool = False
) -> ChildRow:
    """The child if the caller's organisation holds it (or the caller is an admin);
    otherwise "not found", whether or not it exists elsewhere. ``lock``: its row locked
    against every other writer; ``edit``: the same, except that another child's edit may
    still name it (see :meth:`api.db.repositories.ChildRepository.lock_for_edit`)."""
    row = tx.children.lock_for_edit(child_id) if edit else tx.children.get(child_id, lock=lock)
    if row is None or (not caller.is_admin and row.organisation != caller.organisation):
        raise NotFoundError("child", child_id)
    return row


def resolve_organisation(caller: Caller, organisation: str | None) -> str:
    """The organisation a new child belongs to: the coordinator's own; an admin names it."""
    if caller.role is Role.ADMIN:
        if not organisation:
            raise InvalidInputError(
                [
                    FieldProblem(
                        "$.organisation",
                        "an admin names the organisation the child belongs to",
                        "query",
                    )
                ]
            )
        return organisation
    if organisation and organisation != caller.organisation:
        raise ForbiddenError("a coordinator registers children of its own organisation only")
    return caller.organisation


def _domain(body: ChildIn, today: date) -> Child:
    problems: list[InputProblem] = []
    child = child_from_schema(body, today, problems)
    if child is None:
        raise InvalidInputError([domain_problem(p.field, p.reason) for p in problems])
    return child


def _hold_references(tx: Tx, body: ChildIn, recorded: Collection[str] = ()) -> None:
    """Keep the children ``body`` names for the first time (siblings, keep_apart; not those
    ``recorded`` already) from being removed until this change commits: a removal racing
    it either waits and then takes their ids out of this child again, or comes first and
    the check finds them unknown. Never an id of a removed child left behind, which would
    make every later edit of this child fail (PostgreSQL; SQLite writers queue)."""
    tx.children.hold((set(body.siblings) | set(body.keep_apart)) - set(recorded))


def _check_references(tx: Tx, organisation: str, body: ChildIn) -> None:
    rows = tx.children.get_many(set(body.siblings) | set(body.keep_apart))
    known = {cid for cid, r in rows.items() if r.organisation == organisation}
    problems = [
        FieldProblem(f"$.{name}[{i}]", "unknown child id")
        for name, ids in (("siblings", body.siblings), ("keep_apart", body.keep_apart))
        for i, cid in enumerate(ids)
        if cid not in known
    ]
    if body.current_home is not None:
        home = tx.homes.get(body.current_home)
        if home is None or home.withdrawn_at is not None:
            problems.append(FieldProblem("$.current_home", "unknown home id"))
    if problems:
        raise InvalidInputError(problems)


def _check_not_proposed(tx: Tx, child_ids: Collection[str]) -> None:
    for cid, row in sorted(tx.children.get_many(child_ids).items()):
        if row.status == ChildStatus.PROPOSED:
            raise ConflictError(
                "child_proposed",
                f"child '{cid}' has an open proposal; its sibling group cannot change until "
                "the proposal is closed",
            )


def _check_group(tx: Tx, child_id: str, today: date) -> None:
    """The sibling group that ``child_id`` is now in must satisfy the engine's rules."""
    group = tx.children.component(child_id)
    if len(group) < 2:
        return
    rows = tx.children.get_many(group)
    links = tx.children.siblings_of(group)
    children = [child_domain(rows[c], links[c], group, today) for c in sorted(group)]
    problems = []
    for p in sibling_problems(children):
        if p.object == f"child {child_id}":
            problems.append(FieldProblem(f"$.{p.field}", p.reason))
        else:
            problems.append(FieldProblem("$.siblings", f"in the sibling group, {p}"))
    if problems:
        raise InvalidInputError(problems)


def register_child(
    uow: UnitOfWork,
    caller: Caller,
    body: ChildIn,
    organisation: str | None,
    now: datetime,
    today: date,
) -> ChildPublic:
    org = resolve_organisation(caller, organisation)
    uow.audit.about(object_id=body.id)
    child = _domain(body, today)
    with uow.write() as tx:
        if tx.children.id_taken(body.id):
            # Same answer whichever organisation holds the id, and for the id of a deleted
            # child (a tombstone): nothing else is revealed.
            raise ConflictError("id_taken", f"child id '{body.id}' is already in use")
        _hold_references(tx, body)
        _check_references(tx, org, body)
        _check_not_proposed(tx, body.siblings)
        try:
            tx.children.add(
                ChildRow(
                    **child_values(body, child),
                    organisation=org,
                    status=ChildStatus.WAITING.value,
                    created_at=now,
                    updated_at=now,
                )
            )
        except IntegrityError:
            raise ConflictError("id_taken", f"child id '{body.id}' is already in use") from None
        tx.children.set_siblings(body.id, body.siblings)
        _check_group(tx, body.id, today)
        row = tx.children.get(body.id)
        assert row is not None
        result = _publics(tx, [row])[0]
        tx.commit()
    return result


def kept_apart_together(uow: UnitOfWork, caller: Caller) -> dict[str, list[str]]:
    """Every child of the caller's organisation (every organisation's for an admin) that
    lives with a child it must be kept apart from, and those children: the warning the
    coordinator's waiting list opens with (see ``lives_with_kept_apart``)."""
    with uow.read() as tx:
        found = living_against_keep_apart(tx, None if caller.is_admin else caller.organisation)
        named = {cid: sorted({o for o, _ in pairs}) for cid, pairs in found.items()}
        tx.audit.about(
            children=sorted(set(named) | {o for others in named.values() for o in others})
        )
        return named


def get_child(uow: UnitOfWork, caller: Caller, child_id: str) -> tuple[ChildPublic, str]:
    """The child and its ETag."""
    with uow.read() as tx:
        row = owned_child(tx, caller, child_id)
        return _publics(tx, [row])[0], etag_of(row.version)


def sibling_group(uow: UnitOfWork, caller: Caller, child_id: str) -> list[ChildPublic]:
    """The child and its brothers and sisters (its connected sibling group), by id, in one
    read; links stay within one organisation, so the caller may read every one."""
    with uow.read() as tx:
        owned_child(tx, caller, child_id)
        rows = tx.children.get_many(tx.children.component(child_id))
        return _publics(tx, [rows[cid] for cid in sorted(rows)])


def list_children(
    uow: UnitOfWork,
    caller: Caller,
    statuses: Collection[ChildStatus],
    offset: int,
    limit: int,
) -> ChildPage:
    organisation = None if caller.is_admin else caller.organisation
    with uow.read() as tx:
        rows, total = tx.children.page(organisation, [s.value for s in statuses], offset, limit)
        return ChildPage(items=_publics(tx, rows), total=total, offset=offset, limit=limit)


def update_child(
    uow: UnitOfWork,
    caller: Caller,
    child_id: str,
    changes: Mapping[str, Any],
    now: datetime,
    today: date,
    *,
    if_match: str | None = None,
) -> tuple[ChildPublic, str]:
    """Apply the fields present in ``changes``; the whole child is validated again.
    Returns the child and its new ETag."""
    with uow.write() as tx:
        # Locked, with or without If-Match: the whole row is written back below, so a
        # status change made meanwhile by the service (a placement ended, its breakdown in
        # ``history``, ``current_home`` cleared) must come before this read or after the
        # write, never be overwritten with what was read before it (PostgreSQL).
        row = owned_child(tx, caller, child_id, edit=True)
        tx.audit.about(children=[child_id])
        check_if_match(if_match, row.version, f"child '{child_id}'")
        if row.status == ChildStatus.PROPOSED:
            raise ConflictError(
                "child_proposed",
                f"child '{child_id}' has an open proposal; withdraw it before changing the child",
            )
        current = tx.children.siblings_of([child_id])[child_id]
        try:
            body = ChildIn.model_validate({**child_fields(row, current), **changes})
        except ValidationError as exc:
            raise InvalidInputError.from_validation(exc) from None
        child = _domain(body, today)
        _hold_references(tx, body, recorded=current | set(row.keep_apart or ()))
        _check_references(tx, row.organisation, body)
        if (
            row.status == ChildStatus.PLACED
            and "current_home" in changes
            and body.current_home != row.current_home
        ):
            raise ConflictError(
                "child_placed",
                "a placed child's current_home follows its placement; end the placement instead",
            )
        if current ^ set(body.siblings):
            # The whole group before and after: a link changed anywhere in a chain changes
            # the group an open proposal was made for.
            _check_not_proposed(tx, with_siblings(tx, {child_id, *current, *body.siblings}))
        if "history" in changes:
            _check_recorded_history(tx, child_id, row.history or [], body)
        values = child_values(body, child)
        values.update(updated_at=now)
        tx.children.update_fields(child_id, values)
        tx.children.set_siblings(child_id, body.siblings)
        _check_group(tx, child_id, today)
        updated = tx.children.get(child_id)
        assert updated is not None
        result = _publics(tx, [updated])[0], etag_of(updated.version)
        tx.commit()
    return result


def _check_recorded_history(
    tx: Tx, child_id: str, old: Sequence[Mapping[str, Any]], body: ChildIn
) -> None:
    """A coordinator may add events to a child's ``history`` (from before the service, say)
    but not take away or change one the service recorded itself: a decline of the carers
    and a placement that broke down keep that home from being offered to the child again,
    and an edit must not undo that (or date it back out of the policy's memory)."""
    recorded = {
        (home_id, HistoryKind.DECLINED.value)
        for home_id in tx.proposals.homes_closed_as(child_id, ProposalStatus.DECLINED.value)
    } | {
        (home_id, HistoryKind.BREAKDOWN.value)
        for home_id in tx.placements.ended_homes(child_id, EndReason.BREAKDOWN.value)
    }
    kept = {(e.home_id, e.event.value, e.date.isoformat()) for e in body.history}
    for event in old:
        fact = (event["home_id"], event["event"], event["date"])
        if fact[:2] in recorded and fact not in kept:
            raise InvalidInputError(
                [
                    FieldProblem(
                        "$.history",
                        "an event the service recorded (a decline by the carers, or a "
                        "placement that broke down) cannot be removed or changed",
                    )
                ]
            )


def delete_child(
    uow: UnitOfWork, caller: Caller, child_id: str, now: datetime, *, if_match: str | None = None
) -> None:
    """Remove a child that is neither proposed nor placed, and every reference to it."""
    for _ in range(_REMOVAL_ATTEMPTS):
        if _removed(uow, caller, child_id, now, if_match):
            return
    raise ConflictError(
        "child_changed",
        f"child '{child_id}' was attached to network homes while it was being removed; try again",
    )


#: A removal starts again (homes first) when a network home was given the child while it
#: waited for the child's row; three times in a row would take three such attachments.
_REMOVAL_ATTEMPTS = 3


def _removed(
    uow: UnitOfWork, caller: Caller, child_id: str, now: datetime, if_match: str | None
) -> bool:
    """One attempt of :func:`delete_child`; False (nothing written) if a network home was
    given the child meanwhile and the removal must start again."""
    with uow.write() as tx:
        owned_child(tx, caller, child_id)
        tx.audit.about(children=[child_id])
        # Homes first: every transaction locks homes before children.
        tx.homes.forget_known(child_id, now)
        # Locked, with or without If-Match: a proposal moves the child from ``waiting``
        # with a conditional update of this row, so it either comes first (and the removal
        # is refused below) or finds the child gone; never a proposal without its child.
        row = owned_child(tx, caller, child_id, lock=True)
        # An attachment to a network home holds the child (after its home) until it
        # commits: one that came while this waited for the row is seen now. Its home
        # cannot be locked after the child, so the removal starts again, homes first.
        if tx.homes.knowing(child_id):
            return False
        check_if_match(if_match, row.version, f"child '{child_id}'")
        if row.status in (ChildStatus.PROPOSED, ChildStatus.PLACED):
            raise ConflictError(
                f"child_{row.status}",
                f"child '{child_id}' is {row.status}; close the proposal or end the placement "
                "first",
            )
        # Its brothers and sisters lose a member: not while one of them is proposed, whose
        # proposal was made (and checked) for the group as it was.
        _check_not_proposed(tx, tx.children.component(child_id) - {child_id})
        tx.children.drop_from_keep_apart(row.organisation, child_id, now)
        tx.children.delete(child_id, now)
        tx.commit()
    return True
