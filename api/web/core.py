"""What every screen needs: the signed-in caller from the session cookie, the CSRF check,
the audit record begun exactly as the API begins it, and HTML answers under a strict CSP.

Roles and organisation rules are not repeated here: the caller is the key's, checked with
:func:`api.services.access.require` and then by the same service functions the API calls.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.routing import Match

from api.clock import local_date
from api.db.uow import UnitOfWork
from api.http.deps import clock_of
from api.http.middleware import audit_record_of
from api.services.access import Action, Caller, Role, require
from api.services.audit_trail import Actor, AuditRecord
from api.services.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RateLimitedError,
    ServiceError,
    UnauthorizedError,
    UnavailableError,
)
from api.services.keys import authenticate_hash
from api.web.i18n import Lang, Texts
from api.web.session import COOKIE, Session, SessionStore, tokens_match

__all__ = [
    "PAGE_CSP",
    "CsrfError",
    "SignInRequiredError",
    "WebContext",
    "WebRoute",
    "flash",
    "here",
    "html",
    "local",
    "posted",
    "redirect",
    "render",
    "signed_in",
    "store_of",
    "texts_for",
]

#: Pages are plain HTML and CSS: no script runs, nothing loads from another host, and a
#: form may only be sent back to this service.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

_TEMPLATES = resources.files("api.web").joinpath("templates")
_env = Environment(
    loader=FileSystemLoader(str(_TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

#: Where each role lands after signing in.
HOME_OF: dict[Role, str] = {
    Role.COORDINATOR: "/wachtlijst",
    Role.PROVIDER: "/aanbod",
    Role.MUNICIPALITY: "/cijfers",
}


class SignInRequiredError(Exception):
    """No session, or one whose key no longer works: back to the sign-in page."""


class CsrfError(Exception):
    """A form without this session's token, or sent from another origin."""


def store_of(request: Request) -> SessionStore:
    store: SessionStore = request.app.state.web_sessions
    return store


def texts_for(request: Request, session: Session | None = None) -> Texts:
    chosen = session.lang if session is not None else request.cookies.get("taal", "nl")
    lang: Lang = "en" if chosen == "en" else "nl"
    return Texts(lang)


@dataclass
class WebContext:
    """One signed-in request: who, when, in which language, and its audited unit of work."""

    request: Request
    session_id: str
    session: Session
    caller: Caller
    uow: UnitOfWork
    audit: AuditRecord
    now: datetime
    t: Texts

    @property
    def today(self) -> date:
        return local_date(self.now)

    @property
    def lang(self) -> Lang:
        return self.t.lang


def _same_origin(request: Request) -> bool:
    """When a browser names the origin of a POST it must be this service. Some send
    "null" (a privacy setting): then the token alone decides."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


def signed_in(
    request: Request,
    action: Action,
    *,
    object_id: str | None = None,
    form: dict[str, str] | None = None,
) -> WebContext:
    """The request's context if a session is signed in, its key still works and its role
    may ``action``. With ``form`` (a POST), the form's CSRF token must match first."""
    now = clock_of(request).now()
    store = store_of(request)
    session_id = request.cookies.get(COOKIE)
    session = store.get(session_id, now)
    if session is None or session_id is None:
        raise SignInRequiredError
    if form is not None and (
        not tokens_match(form.get("csrf"), session.csrf) or not _same_origin(request)
    ):
        raise CsrfError
    plain: UnitOfWork = request.app.state.uow
    audit = audit_record_of(request.scope) or AuditRecord()
    try:
        caller = authenticate_hash(plain, session.key_hash, now)
    except UnauthorizedError:
        store.end(session_id)
        raise SignInRequiredError from None
    route = request.scope.get("route")
    audit.begin(
        Actor(caller.role.value, caller.organisation, caller.key_prefix),
        action.value,
        now,
        object_type=action.kind,
        object_id=object_id,
        route=f"{request.method} {getattr(route, 'path', request.url.path)}",
        success_status=303 if request.method == "POST" else 200,
    )
    require(caller, action, object_id)
    return WebContext(
        request,
        session_id,
        session,
        caller,
        plain.audited(audit),
        audit,
        now,
        texts_for(request, session),
    )


async def posted(
    request: Request, action: Action, form: dict[str, str], *, object_id: str | None = None
) -> WebContext:
    """:func:`signed_in` for a form, off the event loop (it reads the database)."""
    return await run_in_threadpool(
        functools.partial(signed_in, request, action, object_id=object_id, form=form)
    )


async def form_of(request: Request) -> dict[str, str]:
    """The form's fields as text (a repeated field: its values joined by commas)."""
    async with request.form(max_files=1, max_fields=50) as form:
        out: dict[str, str] = {}
        for name, value in form.multi_items():
            if isinstance(value, str):
                out[name] = f"{out[name]},{value}" if name in out else value
        return out


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        body,
        status_code=status,
        headers={
            "Content-Security-Policy": PAGE_CSP,
            "Cache-Control": "no-store",
            # Same-origin (not no-referrer) so that the browser sends Origin with a form.
            "Referrer-Policy": "same-origin",
        },
    )


def local(url: str) -> bool:
    """A path on this site: never '//host' or '/\\host', which browsers read as another
    host (an open redirect)."""
    return url.startswith("/") and not url.startswith(("//", "/\\")) and "\n" not in url


def _gettable(request: Request, path: str) -> bool:
    """Whether this service answers a GET of ``path`` (a page, not a form's target only)."""
    scope = {"type": "http", "method": "GET", "path": path}
    for route in request.app.router.routes:
        matched, _ = route.matches(scope)
        if matched is Match.FULL:
            return True
    return False


def _came_from(request: Request) -> str | None:
    """The page of this site the browser came from (Referer, same host), if it is a page."""
    referer = urlsplit(request.headers.get("referer", ""))
    if (
        referer.netloc != request.headers.get("host")
        or not local(referer.path)
        or not _gettable(request, referer.path)
    ):
        return None
    return f"{referer.path}?{referer.query}" if referer.query else referer.path


def here(request: Request) -> str:
    """The address to come back to on this page (after switching the language, from an
    error page): a page's own address with its query (its filters, its period); after a
    form, the page that sent it, since the form's target may answer POST only."""
    url = request.url
    if request.method == "GET":
        return f"{url.path}?{url.query}" if url.query else url.path
    return _came_from(request) or (url.path if _gettable(request, url.path) else "/")


def _page(
    request: Request,
    template: str,
    t: Texts,
    who: tuple[Caller, str] | None,
    flash: list[tuple[str, str]],
    status: int,
    /,
    **values: Any,
) -> HTMLResponse:
    """A template rendered with what every page reads besides its own ``values`` (which may
    have any name: the parameters are positional). ``who``: the signed-in caller and the
    session's CSRF token, for the navigation and the forms every page has."""
    page = _env.get_template(template).render(
        t=t,
        caller=who[0] if who is not None else None,
        csrf=who[1] if who is not None else "",
        path=request.url.path,
        here=here(request),
        flash=flash,
        **values,
    )
    return html(page, status)


def render(
    request: Request,
    template: str,
    ctx: WebContext | None,
    *,
    status_code: int = 200,
    **values: Any,
) -> HTMLResponse:
    t = ctx.t if ctx is not None else texts_for(request)
    flash: list[tuple[str, str]] = []
    if ctx is not None and ctx.session.flash:
        flash, ctx.session.flash = ctx.session.flash, []
        store_of(request).save(ctx.session_id, ctx.session)
    who = (ctx.caller, ctx.session.csrf) if ctx is not None else None
    return _page(request, template, t, who, flash, status_code, **values)


def _error_html(
    request: Request, t: Texts, session: Session | None, status: int, /, **values: Any
) -> HTMLResponse:
    """The error page. A signed-in user keeps the navigation, the language switch and
    signing out (the session's token is on the page, as on every page); the session's
    messages are left for the next page."""
    who = None
    if session is not None:
        try:
            who = (
                authenticate_hash(request.app.state.uow, session.key_hash, clock_of(request).now()),
                session.csrf,
            )
        except ServiceError:
            who = None
    return _page(request, "error.html", t, who, [], status, signed_in=who is not None, **values)


def _session_of(request: Request) -> Session | None:
    return store_of(request).get(request.cookies.get(COOKIE), clock_of(request).now())


def flash(ctx: WebContext, kind: str, text: str) -> None:
    """A message for the next page this session sees (after a form's redirect)."""
    ctx.session.flash.append((kind, text))
    store_of(ctx.request).save(ctx.session_id, ctx.session)


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


_STATUS: list[tuple[type[ServiceError], int, str]] = [
    (InvalidInputError, 422, "invalid"),
    (NotFoundError, 404, "not_found"),
    (ForbiddenError, 403, "forbidden"),
    (ConflictError, 409, "conflict"),
    (RateLimitedError, 429, "too_many"),
    (UnavailableError, 503, "unavailable"),
]


def _error_page(request: Request, exc: ServiceError) -> Response:
    status, title = 500, "errors_title"
    for kind, code, key in _STATUS:
        if isinstance(exc, kind):
            status, title = code, key
            break
    session = _session_of(request)
    t = texts_for(request, session)
    problems = exc.errors if isinstance(exc, InvalidInputError) else ()
    meaning = t.conflict(exc.code) if isinstance(exc, ConflictError) else None
    reasons = []
    if isinstance(exc, ConflictError):
        worded = exc.dutch_reasons if t.lang == "nl" else exc.reasons
        reasons = [r.get("text", "") for r in worded]
    detail = t.problem_detail(title, exc.detail, page=request.method == "GET")
    if isinstance(exc, RateLimitedError):
        detail = detail.format(wait=t.count(exc.retry_after, "seconds"))
    return _error_html(
        request,
        t,
        session,
        status,
        title=t(title),
        # A conflict's meaning is its own line; the detail says the same in English.
        detail=None if meaning and t.lang == "nl" else detail,
        meaning=meaning,
        reasons=reasons,
        problems=problems,
        # The row column only for a file's problems (an import): a form has no rows.
        rows=any(p.row is not None for p in problems),
        back=_back_from_error(request),
    )


def missing_page(request: Request, status: int) -> Response:
    """The error page for an address no screen answers (404), or answers only to a form
    (405): said as 'not found', with the way back and the navigation."""
    session = _session_of(request)
    t = texts_for(request, session)
    return _error_html(
        request,
        t,
        session,
        status,
        title=t("not_found"),
        detail=t.problem_detail("not_found", ""),
        meaning=None,
        reasons=[],
        problems=(),
        rows=False,
        back=_back_from_error(request),
    )


def _back_from_error(request: Request) -> str | None:
    """Where an error page leads back to: the form or page the request came from."""
    back = here(request) if request.method != "GET" else _came_from(request)
    current = f"{request.url.path}?{request.url.query}" if request.url.query else request.url.path
    return back if back not in (None, "/", current) else None


class WebRoute(APIRoute):
    """A route of the screens: a missing session leads to the sign-in page, a refused
    form or a service error to a page that says what went wrong, never to JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def web_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequiredError:
                return redirect("/aanmelden")
            except CsrfError:
                session = _session_of(request)
                t = texts_for(request, session)
                return _error_html(
                    request,
                    t,
                    session,
                    403,
                    title=t("forbidden"),
                    detail=t("csrf_failed"),
                    problems=(),
                    rows=False,
                    back=_back_from_error(request),
                )
            except ServiceError as exc:
                return _error_page(request, exc)

        return web_handler
