"""The web screens for people (coordinators, providers, municipalities), served at ``/``
by the same service as the API; :func:`mount` adds them and their packaged assets."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.web.routes import router
from api.web.session import SessionStore

__all__ = ["mount", "web_endpoints"]


def mount(app: FastAPI) -> None:
    """Add the screens, their CSS and the Swagger UI files ``/docs`` loads (all packaged:
    nothing is fetched from another host)."""
    # In the database, beside the app's own unit of work: every worker knows every session.
    app.state.web_sessions = SessionStore(app.state.uow)
    app.include_router(router)
    static = resources.files("api.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="web-static")
    # Swagger UI 5 (OpenAPI 3.1, which FastAPI writes), as pinned fastapi-offline ships it.
    swagger = resources.files("fastapi_offline").joinpath("static")
    app.mount("/docs/assets", StaticFiles(directory=str(swagger)), name="docs-assets")


def web_endpoints() -> set[tuple[str, str]]:
    """(method, path) of every screen: they are not API endpoints, and are tested apart."""
    return {
        (method, str(getattr(route, "path", "")))
        for route in router.routes
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }
