"""The FastAPI application: ``create_app(settings)`` wires database, clock, routes and errors.

Creating the app migrates the database to the newest schema (Alembic), so a fresh
database works from the first request; nothing is ever created with ``create_all``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import Message, Receive, Scope, Send

from api.clock import Clock, SystemClock
from api.db.engine import make_engine, migrate
from api.db.uow import UnitOfWork
from api.http.asgi import HeadAsGet, HttpMiddleware
from api.http.middleware import AuditTrail, Idempotency, RequestId, SecurityHeaders
from api.http.openapi import document_operations, operation_id
from api.http.problems import BodySizeLimit, CatchAll, install_problem_handlers
from api.http.rate_limit import Limit, SharedRateLimiter
from api.http.routes import ROUTERS
from api.schemas.common import ProblemDetails
from api.services.idempotency import HEADER
from api.settings import Settings
from api.turns import Turns
from api.web import mount as mount_screens

__all__ = ["create_app"]

log = logging.getLogger("dichtbij.access")

DESCRIPTION = """
Placement matching for Dutch youth care: waiting children, homes with free beds, ranked
options with explanations, proposals that never double-book, placements and their ends.

Every `/v1` request carries `Authorization: Bearer <key>` (`dichtbij token create`).
Errors are `application/problem+json` (RFC 9457).

A `POST` may carry an `Idempotency-Key`: repeating it with the same body within 24 hours
gives the first answer again. A home or child is read with an `ETag`; a `PATCH` or
`DELETE` with `If-Match` is made only on that version (else 412). Every answer names its
`X-Request-ID`.
"""


class AccessLog(HttpMiddleware):
    """One line per request: method, route template (never the ids in the path), status,
    milliseconds. Uvicorn's own access log is off because it prints the raw path."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            log.info(
                "%s %s %d %.0fms",
                scope.get("method", "?"),
                getattr(route, "path", "(no route)"),
                status,
                (time.perf_counter() - start) * 1000,
            )


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
) -> FastAPI:
    """The application for ``settings`` (default: from the environment)."""
    settings = settings or Settings.from_env()
    owns_engine = engine is None
    engine = engine or make_engine(settings.url, **settings.engine_options)
    migrate(engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="Dichtbij",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        # /docs is served by api.http.routes.docs under a Content-Security-Policy; ReDoc and the
        # OAuth2 redirect page are not needed (keys are Bearer tokens).
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.uow = UnitOfWork(engine)
    app.state.clock = clock or SystemClock()
    # A few rankings at once, in arrival order (api.turns says why).
    app.state.ranking_slots = Turns(settings.options_at_once)
    # In the database: every worker process takes from the same buckets.
    app.state.rate_limiter = SharedRateLimiter(
        app.state.uow,
        {
            "options": Limit.per_minute(settings.options_per_minute, settings.options_burst),
            "match_runs": Limit.per_hour(settings.match_runs_per_hour, settings.match_runs_burst),
            "imports": Limit.per_hour(settings.imports_per_hour, settings.imports_burst),
            "planning": Limit.per_hour(settings.planning_per_hour, settings.planning_burst),
        },
    )
    install_problem_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    mount_screens(app)

    # A CSV file may be larger than any other body, through the API and the screens alike.
    import_paths = frozenset({"/v1/homes/import", "/woonplekken/importeren"})

    def limit_for(path: str) -> int:
        return settings.max_import_bytes if path in import_paths else settings.max_body_bytes

    # Added last = outermost: HEAD answered as GET, the request id (on every log line,
    # the access log's too), the access log, security headers, stored idempotent answers
    # (the answer that really leaves), the audit trail (it sees the final status, the
    # catch-all's 500 included), the catch-all, the size limit.
    app.add_middleware(
        BodySizeLimit,
        limit=settings.max_body_bytes,
        limit_for=limit_for,
        file_paths=frozenset({"/v1/homes/import"}),
    )
    app.add_middleware(CatchAll)
    app.add_middleware(AuditTrail, uow=app.state.uow)
    app.add_middleware(Idempotency, uow=app.state.uow)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(AccessLog)
    app.add_middleware(RequestId)
    # Outermost: every layer inside sees the GET a HEAD stands for.
    app.add_middleware(HeadAsGet)
    _document_problems(app)
    return app


def _document_problems(app: FastAPI) -> None:
    """Add the problem+json schema that every route's error responses refer to."""
    default_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = default_openapi()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        problem = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, definition in problem.pop("$defs", {}).items():
            components.setdefault(name, definition)
        components["ProblemDetails"] = problem
        _document_idempotency(schema)
        document_operations(schema)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_IDEMPOTENCY_PARAMETER = {
    "name": HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    "description": (
        "Any unique value (a UUID). The same key and body within 24 hours gives the first "
        "answer again (marked `Idempotent-Replayed: true`) instead of doing the work twice; "
        "the same key with another body is a 422, and while the first request is still "
        "being served a 409 `idempotency_in_flight` with Retry-After."
    ),
}


def _document_idempotency(schema: dict[str, Any]) -> None:
    """Every POST under /v1 takes an Idempotency-Key header."""
    for path, operations in schema.get("paths", {}).items():
        post = operations.get("post")
        if path.startswith("/v1/") and post is not None:
            post.setdefault("parameters", []).append(dict(_IDEMPOTENCY_PARAMETER))
