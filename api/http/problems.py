"""Errors as ``application/problem+json`` (RFC 9457), and the request size limit.

Every error a client can get has ``type``, ``title``, ``status`` and ``detail``; validation
errors list each offending field with its JSON path. Messages never echo submitted values
(FastAPI's default would), so no postcode or care need ends up in an error or a log line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.asgi import HttpMiddleware
from api.http.routing import allowed_methods
from api.services.errors import (
    ConflictError,
    FieldProblem,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
    PreconditionFailedError,
    RateLimitedError,
    ServiceError,
    UnauthorizedError,
    UnavailableError,
    json_path,
    safe_reason,
)
from api.services.idempotency import (
    HEADER,
    REPLAYED_HEADER,
    IdempotencyInFlightError,
    IdempotencyKeyReusedError,
    IdempotentReplay,
)
from matching.errors import error_location

__all__ = [
    "MEDIA_TYPE",
    "PROBLEM_RESPONSES",
    "RATE_LIMITED_RESPONSES",
    "RETRY_AFTER_BUSY_S",
    "BodySizeLimit",
    "CatchAll",
    "ProblemResponse",
    "busy_problem",
    "install_problem_handlers",
    "problem",
]

log = logging.getLogger("dichtbij.api")

MEDIA_TYPE = "application/problem+json"
_TYPE = "tag:dichtbij.nl,2026:problem/"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid request",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
_SLUGS = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "validation",
    429: "rate-limited",
    500: "internal",
    503: "unavailable",
}


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


def problem(
    status: int,
    detail: str,
    *,
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> ProblemResponse:
    body: dict[str, Any] = {
        "type": _TYPE + (slug or _SLUGS.get(status, "error")),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    return ProblemResponse(body, status_code=status, headers=headers)


def _field_errors(errors: Sequence[FieldProblem]) -> list[dict[str, Any]]:
    return [e.as_json() for e in errors]


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for e in exc.errors():
        loc = list(error_location(e))
        where = str(loc[0]) if loc else "body"
        rest = loc[1:] if where in ("body", "query", "path", "header", "cookie") else loc
        if e.get("type") == "json_invalid":
            rest = []
        # A body's field and a query parameter are named by their JSON path (`$.limit`,
        # `$.status[0]`), as the services and the unknown-parameter check name them; a
        # path parameter or a header by its name (`child_id`).
        path = json_path(rest) if where in ("body", "query") else ".".join(str(p) for p in rest)
        reason = safe_reason(str(e.get("msg", "invalid")))
        out.append({"location": where, "path": path, "reason": reason})
    return out


async def _service_error(_request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, ServiceError)
    if isinstance(exc, UnauthorizedError):
        return problem(401, exc.detail, headers={"WWW-Authenticate": "Bearer"})
    if isinstance(exc, ForbiddenError):
        return problem(403, exc.detail)
    if isinstance(exc, NotFoundError):
        return problem(404, exc.detail)
    if isinstance(exc, InvalidInputError):
        return problem(422, exc.detail, errors=_field_errors(exc.errors))
    if isinstance(exc, ConflictError):
        return problem(409, exc.detail, code=exc.code, reasons=exc.reasons or None)
    if isinstance(exc, PreconditionFailedError):
        return problem(412, exc.detail, code="stale")
    if isinstance(exc, UnavailableError):
        return problem(503, exc.detail)
    if isinstance(exc, PayloadTooLargeError):
        return problem(413, exc.detail)
    if isinstance(exc, RateLimitedError):
        return problem(429, exc.detail, headers={"Retry-After": str(exc.retry_after)})
    return problem(400, exc.detail)


async def _request_validation(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    found = exc.errors()
    if any(e.get("type") == "json_invalid" for e in found):
        # Not a document at all, so no field of it can be wrong: a bad request.
        return problem(400, "the body is not valid JSON", errors=errors)
    sent = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if (
        sent
        and not (sent == "application/json" or sent.endswith("+json"))
        and any(tuple(e.get("loc", ())) == ("body",) for e in found)
    ):
        # A body sent as something else (text, a form) is not read as JSON at all.
        return problem(400, "the body is not JSON (send it as application/json)", errors=errors)
    return problem(422, f"{len(errors)} field(s) are invalid", errors=errors)


def _unreadable_body(cause: BaseException) -> str:
    """Why FastAPI could not read a JSON body that is not a syntax error, without its
    content: Python's parser gives up on deep nesting and on huge integers."""
    if isinstance(cause, RecursionError):
        return "arrays or objects are nested too deeply"
    if isinstance(cause, UnicodeDecodeError):
        return "the body is not UTF-8 text"
    if isinstance(cause, ValueError) and "digits" in str(cause):
        return "a number has too many digits"
    return "the body cannot be read as JSON"


async def _http_exception(request: Request, exc: Exception) -> ProblemResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.__cause__ is not None:
        # FastAPI's answer to a body its JSON parser raised on other than a syntax error
        # (10,000 nested arrays): a bad body like any other, named as the others are.
        error = {"location": "body", "path": "$", "reason": _unreadable_body(exc.__cause__)}
        return problem(400, "the body is not usable JSON", errors=[error])
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        methods = allowed_methods(request.app, request.scope.get("path", ""))
        if methods:
            headers["Allow"] = ", ".join(sorted(methods))
    return problem(exc.status_code, detail, headers=headers or None)


async def _integrity(request: Request, exc: Exception) -> ProblemResponse:
    # Only reached if a constraint catches what the services did not: the database's
    # CHECK and unique constraints are the last line of defence, and the answer is the
    # same as the services' own (409), without the row's values.
    log.error("constraint violation %s in %s", type(exc).__name__, _route(request))
    return problem(409, "the change conflicts with the current state", code="constraint")


#: Seconds a client is asked to wait after the database was busy or out of connections:
#: long enough for a burst to drain, short enough not to matter to a person waiting.
RETRY_AFTER_BUSY_S = 2


def busy_problem() -> ProblemResponse:
    """The answer when the database did not answer in time: try again shortly."""
    return problem(
        503,
        "the database is busy or unavailable; try again",
        headers={"Retry-After": str(RETRY_AFTER_BUSY_S)},
    )


async def _busy(request: Request, exc: Exception) -> ProblemResponse:
    # A lock or busy timeout (OperationalError), or no free connection in the pool within
    # its timeout (TimeoutError): the request changed nothing and may simply be repeated.
    log.error("database unavailable (%s) in %s", type(exc).__name__, _route(request))
    return busy_problem()


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', '(no route)')}"


async def _replay(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, IdempotentReplay)
    headers = {**exc.headers, REPLAYED_HEADER: "true"}
    if exc.status == 204:
        return Response(status_code=204, headers=headers)
    return Response(content=exc.body, status_code=exc.status, headers=headers)


async def _key_reused(_request: Request, _exc: Exception) -> ProblemResponse:
    reason = "was used before for a different request (method, path or body)"
    return problem(
        422,
        f"this {HEADER} was used for a different request; a new request needs a new key",
        slug="idempotency-key-reused",
        code="idempotency_key_reused",
        errors=[{"location": "header", "path": HEADER, "reason": reason}],
    )


async def _in_flight(_request: Request, _exc: Exception) -> ProblemResponse:
    return problem(
        409,
        f"the first request with this {HEADER} is still being served; retry shortly",
        slug="idempotency-in-flight",
        code="idempotency_in_flight",
        headers={"Retry-After": "1"},
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(IdempotentReplay, _replay)
    app.add_exception_handler(IdempotencyKeyReusedError, _key_reused)
    app.add_exception_handler(IdempotencyInFlightError, _in_flight)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(PoolTimeoutError, _busy)
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_exception)


_PROBLEM_SCHEMA = {"$ref": "#/components/schemas/ProblemDetails"}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "description": _TITLES[status],
        "content": {MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}},
    }
    for status in (400, 401, 403, 404, 409, 412, 413, 422, 503)
}
PROBLEM_RESPONSES[503]["headers"] = {
    "Retry-After": {
        "description": "Seconds to wait before trying again (the database was busy)",
        "schema": {"type": "integer", "minimum": 1},
    }
}
#: Added to the endpoints with a per-key rate limit.
RATE_LIMITED_RESPONSES: dict[int | str, dict[str, Any]] = {
    429: {
        "description": _TITLES[429],
        "content": {MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}},
        "headers": {
            "Retry-After": {
                "description": "Seconds until the key may call this endpoint again",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    }
}


class CatchAll(HttpMiddleware):
    """Turn any unexpected exception into a 500 problem, logging only its type.

    Starlette's own last-resort handler re-raises for the server to log the traceback,
    and a traceback's messages can quote request data; this one never lets it out.
    The transaction has been rolled back by then, so nothing was changed.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        except Exception as exc:
            route = scope.get("route")
            log.error(
                "unhandled %s in %s %s",
                type(exc).__name__,
                scope.get("method", "?"),
                getattr(route, "path", "(no route)"),
            )
            if not started:
                response = problem(500, "the request failed; nothing was changed")
                await response(scope, receive, send)


class BodySizeLimit(HttpMiddleware):
    """Refuse request bodies above a limit with 413, before the application reads them,
    and (from a caller with a key) text with NUL characters with 422: PostgreSQL cannot
    store them, and no field of ours has a use for them.

    The declared Content-Length is checked first; a chunked body is counted as it arrives
    and buffered (it is small by definition), so the application never sees a cut body.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        limit_for: Callable[[str], int] | None = None,
        file_paths: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__(app)
        self.limit = limit
        self.limit_for = limit_for
        # Bodies that are an uploaded file, decoded and checked for NUL by the application:
        # a UTF-16 file has a NUL byte in every ASCII character.
        self.file_paths = file_paths

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Without a key the application answers 401 before it looks at a body's content, so
        # only the size is checked here: no answer says more than "authenticate first".
        authenticated = any(name.lower() == b"authorization" for name, _ in scope["headers"])
        nul_in_url = "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")
        if nul_in_url and authenticated:
            await self._nul(scope, receive, send)
            return
        limit = self.limit_for(scope["path"]) if self.limit_for else self.limit
        # Only the methods that carry content here have theirs checked for NUL; any other
        # body is ignored by the application (after being counted against the limit).
        has_content = scope.get("method") in ("POST", "PATCH")
        has_content = has_content and scope.get("path") not in self.file_paths
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = True
            if too_big:
                await self._refuse(scope, receive, send, limit)
                return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if authenticated and has_content and (b"\x00" in body or b"\\u0000" in body.lower()):
            await self._nul(scope, receive, send)
            return
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _nul(scope: Scope, receive: Receive, send: Send) -> None:
        error = {"location": "body", "path": "$", "reason": "text may not contain NUL characters"}
        response = problem(422, "the request contains a NUL character", errors=[error])
        await response(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem(413, f"the request body is larger than {limit} bytes")
        await response(scope, receive, send)
