"""ASGI middleware of the service: the audit trail's last word, and security headers.

:class:`AuditTrail` writes the audit record of every request that was begun (a key was
checked) and not already written with its change, just before the status line leaves:
reads, denials, and failures whose own changes rolled back. A successful read whose record
cannot be written is answered 503 instead: no child's data leaves without its record.

:class:`SecurityHeaders` gives every answer the headers an API should carry: no sniffing,
no framing, no referrer, and ``Cache-Control: no-store`` on ``/v1`` so that no proxy or
browser cache keeps a child's data.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.db.uow import UnitOfWork
from api.problems import RETRY_AFTER_BUSY_S, problem
from api.services.audit_trail import AuditRecord, write_record

__all__ = ["API_CSP", "AUDIT_SCOPE_KEY", "AuditTrail", "SecurityHeaders", "audit_record_of"]

log = logging.getLogger("dichtbij.audit")

#: Where a request's :class:`AuditRecord` lives in the ASGI scope.
AUDIT_SCOPE_KEY = "dichtbij.audit"

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


class AuditTrail:
    """Give each request an :class:`AuditRecord` and write it when the answer starts."""

    def __init__(self, app: ASGIApp, uow: UnitOfWork) -> None:
        self.app = app
        self.uow = uow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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


class SecurityHeaders:
    """Add security headers to every response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
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
