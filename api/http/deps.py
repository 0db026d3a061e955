"""FastAPI dependencies as ``Annotated`` aliases: the unit of work, the clock, the caller.

``CallerDep`` authenticates the key and checks the role against the contract's table
(for the action :data:`api.http.openapi.OPERATIONS` names for the route) before the
request body is even validated, so a caller without the right learns
nothing about what a valid body would be. It also begins the request's audit record and,
for the expensive endpoints, takes a token from the key's rate-limit bucket. Lapsed
proposals are looked for, the key is checked and the token taken in one transaction, the
request's first (:func:`allowed_caller`).

The small dependencies are ``async``: FastAPI runs a plain function in a worker thread,
and a hop to a thread and back costs more than these do.

The unit of work a route gets reports to the request's audit record
(:mod:`api.services.audit_trail`), so services can say which children they touched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from api.clock import Clock, local_date
from api.db.uow import UnitOfWork
from api.http.middleware import IDEMPOTENCY_SCOPE_KEY, audit_record_of
from api.http.openapi import operation_of
from api.http.rate_limit import Taker
from api.services import idempotency
from api.services.access import Action, Caller, require
from api.services.audit_trail import Actor, AuditRecord
from api.services.errors import FieldProblem, InvalidInputError, RateLimitedError, json_path
from api.services.keys import authenticate_in
from api.services.proposals import due_in, expire
from api.settings import Settings
from matching.policy import Policy

__all__ = [
    "AuditDep",
    "CallerDep",
    "Context",
    "ContextDep",
    "NowDep",
    "SettingsDep",
    "TodayDep",
    "UowDep",
    "allowed_caller",
    "clock_of",
    "settings_of",
]

log = logging.getLogger("dichtbij.api")

_bearer = HTTPBearer(auto_error=False, description="An API key from `dichtbij token create`")


async def _audit(request: Request) -> AuditRecord:
    # Outside the AuditTrail middleware (a bare router in a test) the record is detached: a
    # change still writes it with itself, but reads and refusals go unrecorded.
    return audit_record_of(request.scope) or AuditRecord()


AuditDep = Annotated[AuditRecord, Depends(_audit)]


async def _uow(request: Request, audit: AuditDep) -> UnitOfWork:
    uow: UnitOfWork = request.app.state.uow
    return uow.audited(audit)


def clock_of(request: Request) -> Clock:
    """The app's clock (a test's fixed one, or the system's)."""
    clock: Clock = request.app.state.clock
    return clock


def settings_of(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def _clock(request: Request) -> Clock:
    return clock_of(request)


async def _settings(request: Request) -> Settings:
    return settings_of(request)


async def _now(clock: Annotated[Clock, Depends(_clock)]) -> datetime:
    return clock.now()


async def _today(now: Annotated[datetime, Depends(_now)]) -> date:
    return local_date(now)


UowDep = Annotated[UnitOfWork, Depends(_uow)]
SettingsDep = Annotated[Settings, Depends(_settings)]
NowDep = Annotated[datetime, Depends(_now)]
TodayDep = Annotated[date, Depends(_today)]


@dataclass(frozen=True, slots=True)
class Context:
    """What a route hands its service besides the caller and the input: the request's unit
    of work, the settings, and the moment and the day the request is served at. One
    dependency (``ContextDep``) instead of the same parameters on every route."""

    uow: UnitOfWork
    settings: Settings
    now: datetime
    today: date

    @property
    def policy(self) -> Policy:
        return self.settings.policy


async def _context(uow: UowDep, settings: SettingsDep, now: NowDep, today: TodayDep) -> Context:
    return Context(uow, settings, now, today)


ContextDep = Annotated[Context, Depends(_context)]


#: Query parameters that may be given more than once (lists); any other given twice is
#: refused rather than silently taking one of the values (HTTP parameter pollution).
_REPEATABLE = frozenset({"status", "municipality"})


def _documented_queries(app: Any) -> dict[tuple[str, str], frozenset[str]]:
    """(method, path template) -> the query parameters the OpenAPI document names."""
    table: dict[tuple[str, str], frozenset[str]] | None = getattr(
        app.state, "documented_queries", None
    )
    if table is None:
        table = {
            (method.upper(), path): frozenset(
                p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"
            )
            for path, operations in app.openapi().get("paths", {}).items()
            for method, operation in operations.items()
        }
        app.state.documented_queries = table
    return table


def _odd_queries(request: Request) -> list[FieldProblem]:
    """A query parameter given twice, or one the endpoint does not know, is refused: a
    mistyped filter (``?organisaton=``) must not quietly return everything."""
    names = [name for name, _ in request.query_params.multi_items()]
    route = request.scope.get("route")
    documented = _documented_queries(request.app).get(
        (request.method, str(getattr(route, "path", "")))
    )
    problems = [
        FieldProblem(json_path([n]), "given more than once", "query")
        for n in sorted({n for n in names if names.count(n) > 1} - _REPEATABLE)
    ]
    if documented is not None:
        problems += [
            FieldProblem(json_path([n]), "not a parameter of this endpoint", "query")
            for n in sorted(set(names) - documented)
        ]
    return problems


#: Actions whose object is named in the query rather than the path.
_QUERY_OBJECTS: dict[Action, tuple[str, tuple[str, ...]]] = {
    Action.AUDIT_PROXIMITY: ("municipality", ("municipality", "region")),
}


def _object_of(request: Request, action: Action) -> tuple[str | None, str | None]:
    """The type and id of the object a request is about, before anything is validated."""
    if action in _QUERY_OBJECTS:
        kind, params = _QUERY_OBJECTS[action]
        values = [v for p in params for v in request.query_params.getlist(p)]
        return kind, ",".join(values) or None
    # The first path parameter names the object (``/v1/children/{child_id}/network/...``
    # is about the child).
    path_ids = list(request.path_params.values())
    return action.kind, (str(path_ids[0]) if path_ids else None)


async def allowed_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    audit: AuditDep,
    now: NowDep,
) -> Caller:
    """The authenticated caller (``CallerDep``), if its role may perform the route's action
    (else 403, or 404 on an object URL of a kind it may never read). Begins the request's
    audit record, so a denial is recorded too. A POST with an ``Idempotency-Key`` claims
    the key, or is answered with what the key already holds
    (:mod:`api.services.idempotency`). For a route with a rate limit, the key's bucket of
    that name must have a token (else 429). The action and the limit are the route's entry
    in :data:`api.http.openapi.OPERATIONS`.

    Before anything else, proposals whose hold has lapsed are closed, so that the request
    sees beds and statuses as they are now: the service's own doing, recorded as the
    system's. Looking for them, checking the key and taking the token are one transaction
    (:func:`_admit`), in one hop to a worker thread."""
    route = request.scope.get("route")
    operation = operation_of(route) if isinstance(route, APIRoute) else None
    if not isinstance(route, APIRoute) or operation is None or operation.action is None:
        raise LookupError(f"no action for {request.method} {request.url.path} in OPERATIONS")
    action = operation.action
    object_type, object_id = _object_of(request, action)
    odd_queries = _odd_queries(request)
    # A replay does no work, so it costs no token: with an Idempotency-Key the key is
    # claimed first and the token taken after the claim, in a transaction of its own.
    claims = request.method == "POST" and idempotency.HEADER in request.headers

    def admitted(caller: Caller) -> None:
        """Between the key and the token: whether this caller may do this at all."""
        audit.begin(
            Actor(caller.role.value, caller.organisation, caller.key_prefix),
            action.value,
            now,
            object_type=object_type,
            object_id=object_id,
            route=f"{request.method} {route.path}",
            success_status=route.status_code or 200,
        )
        require(caller, action, object_id if request.path_params else None)
        if odd_queries:
            raise InvalidInputError(odd_queries)

    limiter: Taker = request.app.state.rate_limiter
    caller, wait = await run_in_threadpool(
        _admit,
        request.app.state.uow,
        credentials.credentials if credentials is not None else None,
        now,
        admitted,
        None if claims else (limiter, operation.limit),
    )
    if claims:
        await _claim_idempotency(request, caller, audit, now)
        if operation.limit is not None:
            wait = await run_in_threadpool(limiter.take, operation.limit, caller.key_prefix, now)
    if wait is not None:
        raise RateLimitedError(wait)
    return caller


def _admit(
    uow: UnitOfWork,
    key: str | None,
    now: datetime,
    admitted: Callable[[Caller], None],
    bucket: tuple[Taker, str | None] | None,
) -> tuple[Caller, float | None]:
    """A request's first transaction: the lapsed proposals, the caller of ``key``
    (``admitted`` may still refuse it) and, for a route with a limit, a token from the
    key's bucket; then the lapsed proposals are closed (whatever the answer).

    It runs on the plain unit of work: the bucket is no change the request's audit record
    goes with. A write transaction only where a token is taken (on SQLite a write waits for
    every other writer); a refusal rolls back, so it takes no token."""
    limiter, family = bucket if bucket is not None else (None, None)
    due: list[str] = []
    try:
        with uow.write() if family is not None else uow.read() as tx:
            due = due_in(tx, now)
            caller = authenticate_in(tx, key, now)
            admitted(caller)
            wait = None
            if limiter is not None and family is not None:
                wait = limiter.take_in(tx, family, caller.key_prefix, now)
                tx.commit()
        return caller, wait
    finally:
        if due:
            _close_lapsed(uow, due, now)


CallerDep = Annotated[Caller, Depends(allowed_caller)]


async def _claim_idempotency(
    request: Request, caller: Caller, audit: AuditRecord, now: datetime
) -> None:
    """Hold the request's Idempotency-Key, or answer with what the key already holds."""
    key = idempotency.parse_key(request.headers[idempotency.HEADER])
    request_print = idempotency.fingerprint(
        request.method,
        request.url.path,
        request.url.query,
        request.headers.get("content-type", ""),
        await request.body(),
    )
    # The plain unit of work: the claim commits on its own, without the request's record.
    uow: UnitOfWork = request.app.state.uow
    try:
        held = await run_in_threadpool(
            idempotency.claim, uow, caller.key_prefix, key, request_print, now
        )
    except idempotency.IdempotentReplay as replay:
        audit.route = f"{audit.route or ''} (replay)"[:128]
        audit.about(children=replay.children)
        raise
    request.scope[IDEMPOTENCY_SCOPE_KEY] = held


def _close_lapsed(uow: UnitOfWork, due: list[str], now: datetime) -> None:
    """Close lapsed proposals before the request looks at beds or statuses.

    A failing sweep must not take every endpoint down with it: it is logged (by type
    only) and the request goes on; each proposal action re-checks the hold itself.
    """
    try:
        expire(uow, due, now)
    except Exception as exc:
        log.error("expiry sweep failed: %s", type(exc).__name__)
