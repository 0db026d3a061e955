"""The web screens for people (coordinators, providers, municipalities), served at ``/``
by the same service as the API; :func:`mount` adds them and their packaged assets."""

from __future__ import annotations

import inspect
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.core import missing_page
from api.web.routes import router
from api.web.session import SessionStore

__all__ = ["mount", "web_endpoints"]


def mount(app: FastAPI) -> None:
    """Add the screens, their CSS and the Swagger UI files ``/docs`` loads (all packaged:
    nothing is fetched from another host)."""
    # In the database, beside the app's own unit of work: every worker knows every session.
    app.state.web_sessions = SessionStore(app.state.uow)
    app.include_router(router)
    _pages_for_browsers(app)
    static = resources.files("api.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="web-static")
    # Swagger UI 5 (OpenAPI 3.1, which FastAPI writes), as pinned fastapi-offline ships it.
    swagger = resources.files("fastapi_offline").joinpath("static")
    app.mount("/docs/assets", StaticFiles(directory=str(swagger)), name="docs-assets")


def _pages_for_browsers(app: FastAPI) -> None:
    """An address no screen answers (a typo, an old bookmark, a form's target opened as a
    page), asked for by a browser outside the API, answers the screens' error page (in the
    user's language, with the navigation) instead of the API's JSON problem document."""
    api_answer = app.exception_handlers[StarletteHTTPException]

    async def answer(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        path = request.url.path
        wants_page = "text/html" in request.headers.get("accept", "")
        if wants_page and exc.status_code in (404, 405) and not path.startswith(_NOT_PAGES):
            return missing_page(request, exc.status_code)
        result = api_answer(request, exc)
        return await result if inspect.isawaitable(result) else result

    app.add_exception_handler(StarletteHTTPException, answer)


#: Paths whose answers are the API's, whoever asks.
_NOT_PAGES = ("/v1/", "/docs", "/openapi", "/health", "/static/")


def web_endpoints() -> set[tuple[str, str]]:
    """(method, path) of every screen: they are not API endpoints, and are tested apart."""
    return {
        (method, str(getattr(route, "path", "")))
        for route in router.routes
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }
