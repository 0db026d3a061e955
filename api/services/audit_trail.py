"""The audit trail: who read or changed what, when, and how it ended; append-only.

Every authenticated ``/v1`` request gets one :class:`AuditRecord`, begun when its key has
been checked (:func:`api.http.deps.allowed`). Services tell it which object they touched and
which children's data they read or changed (:meth:`AuditRecord.about`). A change that
commits writes its record inside the same transaction; anything else (a read, a denial, a
failure whose own changes rolled back) is written in a transaction of its own before the
response leaves (:class:`api.http.middleware.AuditTrail`). Commands (``dichtbij token ...``)
and the lapsing of holds are recorded the same way, as the ``operator`` and ``system``.

A record holds ids only: of the key (its prefix), the organisation, the object and the
children; never a postcode, a need or free text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.db.repositories import AuditFilter
from api.db.tables import AuditEventRow
from api.db.uow import NO_AUDIT, Tx, UnitOfWork
from api.schemas.audit_trail import AuditEventPublic, AuditTrailPage

__all__ = [
    "OPERATOR",
    "SYSTEM",
    "Actor",
    "AuditFilter",
    "AuditRecord",
    "list_events",
    "operator_record",
    "outcome",
    "record_event",
    "write_record",
]

_ID = 64  # column width of ids: anything longer is cut, never refused


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a key's role, organisation and prefix, or the operator or the system."""

    role: str
    organisation: str | None = None
    key_prefix: str | None = None


#: Someone at the server's command line (``dichtbij token ...``, demo keys at start).
OPERATOR = Actor("operator")
#: The service itself (holds that lapse).
SYSTEM = Actor("system")


def outcome(status: int) -> str:
    """``allowed`` (2xx/3xx), ``denied`` (no key, no right, hidden, rate limited) or
    ``failed`` (the caller had the right, but the request was invalid or broke a rule)."""
    if status < 400:
        return "allowed"
    if status in (401, 403, 404, 429):
        return "denied"
    return "failed"


def _cut(value: str | None, width: int = _ID) -> str | None:
    return None if value is None else value[:width]


class AuditRecord:
    """The audit record of one request or command, written exactly once.

    It is the unit of work's :class:`~api.db.uow.AuditHook`: until :meth:`begin` names
    the actor and the action it records nothing, so work done before the key is checked
    (closing lapsed holds) is not attributed to anyone.
    """

    def __init__(self) -> None:
        self.actor: Actor | None = None
        self.action = ""
        self.route: str | None = None
        self.object_type: str | None = None
        self.object_id: str | None = None
        self.children: set[str] = set()
        self.success_status = 200
        self.at: datetime | None = None
        self.written = False
        self._pending = False

    def begin(
        self,
        actor: Actor,
        action: str,
        at: datetime,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        route: str | None = None,
        success_status: int = 200,
    ) -> None:
        self.actor = actor
        self.action = action
        self.at = at
        self.object_type = object_type
        self.object_id = _cut(object_id)
        self.route = _cut(route, 128)
        self.success_status = success_status

    @property
    def begun(self) -> bool:
        return self.actor is not None

    def about(self, *, object_id: str | None = None, children: Iterable[str] = ()) -> None:
        if object_id is not None:
            self.object_id = _cut(object_id)
        self.children.update(c[:_ID] for c in children)

    def before_commit(self, tx: Tx) -> None:
        if self.begun and not self.written:
            self._insert(tx, self.success_status)
            self._pending = True

    def after_commit(self) -> None:
        if self._pending:
            self.written = True
            self._pending = False

    def _insert(self, tx: Tx, status: int) -> None:
        assert self.actor is not None
        assert self.at is not None
        tx.audit_trail.add(
            {
                "at": self.at,
                "role": self.actor.role,
                "key_prefix": self.actor.key_prefix,
                "organisation": self.actor.organisation,
                "action": self.action,
                "route": self.route,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "status": status,
                "outcome": outcome(status),
            },
            self.children,
        )


def write_record(uow: UnitOfWork, record: AuditRecord, status: int) -> None:
    """Write ``record`` with ``status`` in a transaction of its own (if it was begun and
    not written yet): for reads, denials and failures, whose own changes rolled back."""
    if not record.begun or record.written:
        return
    with uow.audited(NO_AUDIT).write() as tx:
        record._insert(tx, status)
        tx.commit()
    record.written = True


def record_event(
    tx: Tx,
    actor: Actor,
    action: str,
    at: datetime,
    *,
    object_type: str,
    object_id: str | None,
    children: Iterable[str] = (),
    status: int = 200,
    route: str | None = None,
) -> None:
    """Record, inside the transaction that does it, what the service did by itself
    (:data:`SYSTEM`) or on the command line (:data:`OPERATOR`) besides a request's record."""
    record = AuditRecord()
    record.begin(actor, action, at, object_type=object_type, object_id=object_id, route=route)
    record.about(children=children)
    record._insert(tx, status)


def operator_record(
    action: str, at: datetime, *, command: str, success_status: int = 200
) -> AuditRecord:
    """A begun record for one command-line operation (``dichtbij token revoke``...)."""
    record = AuditRecord()
    record.begin(
        OPERATOR,
        action,
        at,
        object_type=action.split(".", 1)[0],
        route=f"cli {command}",
        success_status=success_status,
    )
    return record


def _public(row: AuditEventRow, children: list[str]) -> AuditEventPublic:
    values: dict[str, Any] = {
        name: getattr(row, name)
        for name in (
            "id",
            "at",
            "role",
            "key_prefix",
            "organisation",
            "action",
            "route",
            "object_type",
            "object_id",
            "status",
            "outcome",
        )
    }
    return AuditEventPublic.model_validate({**values, "child_ids": children})


def list_events(uow: UnitOfWork, where: AuditFilter, offset: int, limit: int) -> AuditTrailPage:
    """A page of the audit trail, newest first."""
    with uow.read() as tx:
        rows, total = tx.audit_trail.page(where, offset, limit)
        children = tx.audit_trail.children_of([r.id for r in rows])
    return AuditTrailPage(
        items=[_public(r, children[r.id]) for r in rows], total=total, offset=offset, limit=limit
    )
