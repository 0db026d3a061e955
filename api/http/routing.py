"""The application's endpoints as (method, path template) pairs, included routers flattened.

FastAPI 0.16x keeps included routers nested (``app.routes`` no longer lists their routes);
:func:`endpoints` sees through that, and falls back to the flat list of older versions.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.routing import compile_path

__all__ = ["allowed_methods", "endpoints"]


def _routes(app: Starlette) -> list[Any]:
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # pragma: no cover - FastAPI before 0.16x lists routes flat
        return list(app.routes)
    return list(iter_route_contexts(app.routes))


def endpoints(app: Starlette) -> set[tuple[str, str]]:
    """Every (method, path template) the application answers (HEAD left out)."""
    out = set()
    for route in _routes(app):
        for method in getattr(route, "methods", None) or ():
            if method != "HEAD":
                out.add((method, str(route.path)))
    return out


def allowed_methods(app: Starlette, path: str) -> set[str]:
    """What ``Allow`` lists on a 405: the methods of the most specific templates matching
    ``path`` (Starlette lists only the first matching route's). ``/v1/homes/import`` is
    its own resource, not the home with id ``import``."""
    by_params: dict[int, set[str]] = {}
    for route in _routes(app):
        template = str(getattr(route, "path", "") or "")
        if template and compile_path(template)[0].match(path):
            methods = by_params.setdefault(template.count("{"), set())
            methods |= set(getattr(route, "methods", None) or ())
    if not by_params:
        return set()
    methods = by_params[min(by_params)]
    # A HEAD is answered wherever a GET is (api.http.asgi.HeadAsGet).
    return methods | {"HEAD"} if "GET" in methods else methods - {"HEAD"}
