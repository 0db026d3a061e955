"""ASGI middleware of the service: the audit trail's last word, stored answers for
``Idempotency-Key``, and security headers.

:class:`AuditTrail` writes the audit record of every request that was begun (a key was
checked) and not already written with its change, just before the status line leaves:
reads, denials, and failures whose own changes rolled back. A successful read whose record
cannot be written is answered 503 instead: no child's data leaves without its record. A
route may write its read's record itself once its answer is built
(:func:`write_read_record`), in the worker thread it runs in: one hop to a thread fewer.

:class:`Idempotency` keeps the answer to a POST whose ``Idempotency-Key`` the request
claimed (:mod:`api.services.idempotency`; the claim is made once the key is authenticated)
before its last byte leaves, or drops the claim when the answer must not be kept.

:class:`RequestId` gives every request an id: the caller's own ``X-Request-ID`` when it is
a plain token, else a new one; it is answered in ``X-Request-ID`` and is on every log line
written while serving the request (:mod:`api.logs`).

:class:`SecurityHeaders` gives every answer the headers an API should carry: no sniffing,
no framing, no referrer, and ``Cache-Control: no-store`` on ``/v1`` so that no proxy or
browser cache keeps a child's data.
"""

from __future__ import annotations

import json
import logging
import re
import uuid

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db.uow import UnitOfWork
from api.http.asgi import HttpMiddleware, with_header
from api.http.problems import MEDIA_TYPE, RETRY_AFTER_BUSY_S, problem
from api.logs import request_id_var
from api.services import idempotency
from api.services.audit_trail import AuditRecord, write_record

__all__ = [
    "API_CSP",
    "AUDIT_SCOPE_KEY",
    "IDEMPOTENCY_SCOPE_KEY",
    "REQUEST_ID_HEADER",
    "AuditTrail",
    "Idempotency",
    "RequestId",
    "SecurityHeaders",
    "audit_record_of",
    "write_read_record",
]

log = logging.getLogger("dichtbij.audit")

#: Where a request's :class:`AuditRecord` lives in the ASGI scope.
AUDIT_SCOPE_KEY = "dichtbij.audit"
#: Where a request's :class:`~api.services.idempotency.Claim` lives in the ASGI scope.
IDEMPOTENCY_SCOPE_KEY = "dichtbij.idempotency"
#: Answers that hold a secret shown only once (a new API key): never stored as they are.
_SECRET_ANSWERS = frozenset({"/v1/keys"})

#: JSON needs no scripts, styles, frames or anything else.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_ALWAYS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"strict-transport-security", b"max-age=31536000"),
)


def audit_record_of(scope: Scope) -> AuditRecord | None:
    record = scope.get(AUDIT_SCOPE_KEY)
    return record if isinstance(record, AuditRecord) else None


def write_read_record(uow: UnitOfWork, record: AuditRecord, status: int) -> None:
    """Write the record of a read whose answer (``status``) is built and about to leave,
    from the route's own worker thread. If it cannot be written now, it stays unwritten:
    :class:`AuditTrail` tries again when the answer starts, and answers 503 instead if
    that fails too."""
    try:
        write_record(uow, record, status)
    except Exception as exc:
        log.warning(
            "audit record of %s (%d) not written yet: %s", record.action, status, type(exc).__name__
        )


class AuditTrail(HttpMiddleware):
    """Give each request an :class:`AuditRecord` and write it when the answer starts."""

    def __init__(self, app: ASGIApp, uow: UnitOfWork) -> None:
        super().__init__(app)
        self.uow = uow

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        record = AuditRecord()
        scope[AUDIT_SCOPE_KEY] = record
        replaced = False

        async def send_wrapper(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return
            if message["type"] == "http.response.start" and record.begun and not record.written:
                status = int(message["status"])
                try:
                    await run_in_threadpool(write_record, self.uow, record, status)
                except Exception as exc:
                    log.error(
                        "audit record of %s (%d) not written: %s",
                        record.action,
                        status,
                        type(exc).__name__,
                    )
                    if status < 400:
                        replaced = True
                        response = problem(
                            503,
                            "the request could not be recorded; try again",
                            headers={"Retry-After": str(RETRY_AFTER_BUSY_S)},
                        )
                        await response(scope, receive, send)
                        return
            await send(message)

        await self.app(scope, receive, send_wrapper)


class Idempotency(HttpMiddleware):
    """Store the answer of a request that holds an Idempotency-Key claim, or release it.

    It sits outside :class:`AuditTrail`, so it sees the answer that really leaves (a 503
    put in place of an answer whose record could not be written is not kept).
    """

    def __init__(self, app: ASGIApp, uow: UnitOfWork) -> None:
        super().__init__(app)
        self.uow = uow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        status = 0
        headers: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []

        async def send_wrapper(message: Message) -> None:
            nonlocal status, headers
            held = scope.get(IDEMPOTENCY_SCOPE_KEY)
            if isinstance(held, idempotency.Claim):
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    headers = list(message.get("headers", []))
                elif message["type"] == "http.response.body":
                    chunks.append(message.get("body", b""))
                    if not message.get("more_body", False):
                        # Kept before the last byte leaves: a client that retries the
                        # moment it has the answer finds it stored.
                        scope[IDEMPOTENCY_SCOPE_KEY] = None
                        await self._settle(scope, held, status, headers, b"".join(chunks))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            held = scope.get(IDEMPOTENCY_SCOPE_KEY)
            if isinstance(held, idempotency.Claim):  # no complete answer was sent
                await self._release(held)

    async def _settle(
        self,
        scope: Scope,
        held: idempotency.Claim,
        status: int,
        raw_headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> None:
        if not idempotency.storable(status):
            await self._release(held)
            return
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1")
            for name, value in raw_headers
            if name.decode("latin-1").lower() in idempotency.STORED_HEADERS
        }
        if scope.get("path") in _SECRET_ANSWERS and status < 300:
            status, headers, body = _without_secret(body)
        record = audit_record_of(scope)
        children = sorted(record.children) if record is not None else []
        try:
            await run_in_threadpool(
                idempotency.finish, self.uow, held, status, headers, body, children
            )
        except Exception as exc:
            log.error("idempotent answer not stored: %s", type(exc).__name__)
            await self._release(held)

    async def _release(self, held: idempotency.Claim) -> None:
        try:
            await run_in_threadpool(idempotency.release, self.uow, held)
        except Exception as exc:
            # The claim lapses by itself after the lease; until then a retry gets 409.
            log.error("idempotency claim not released: %s", type(exc).__name__)


def _without_secret(body: bytes) -> tuple[int, dict[str, str], bytes]:
    """What a retry of a key's creation gets: which key the first attempt made, without the
    key itself (only its hash is ever stored), so the client can revoke it."""
    try:
        prefix = str(json.loads(body).get("prefix", "?"))
    except (ValueError, AttributeError):
        prefix = "?"
    answer = problem(
        409,
        f"this request already created key {prefix}; the key itself is shown only once "
        f"and is not stored: revoke {prefix} and create another",
        code="key_not_stored",
    )
    return 409, {"content-type": MEDIA_TYPE}, bytes(answer.body)


REQUEST_ID_HEADER = "X-Request-ID"
# A caller's id is reused only if it is a plain token: a free text here would reach every
# log line of the request, and logs carry no personal data.
_CALLERS_ID = re.compile(rb"^[A-Za-z0-9._:-]{8,64}$")


class RequestId(HttpMiddleware):
    """Name each request; answer the name in ``X-Request-ID`` and log it on every line."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.lower().encode())
        request_id = (
            given.decode("ascii") if given and _CALLERS_ID.match(given) else uuid.uuid4().hex
        )
        token = request_id_var.set(request_id)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = with_header(
                    message, REQUEST_ID_HEADER.lower().encode(), request_id.encode()
                )
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            request_id_var.reset(token)


class SecurityHeaders(HttpMiddleware):
    """Add security headers to every response that does not set its own."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        no_store = path.startswith(("/v1", "/health"))

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                extra = [(n, v) for n, v in _ALWAYS if n not in present]
                if b"content-security-policy" not in present:
                    extra.append((b"content-security-policy", API_CSP.encode()))
                if no_store and b"cache-control" not in present:
                    extra.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + extra}
            await send(message)

        await self.app(scope, receive, send_wrapper)
