"""HTTP routes, one router per resource. Each route parses, calls one service function and
returns its result; errors become problem responses in :mod:`api.http.problems`."""

from api.http.routes import (
    audit,
    audit_trail,
    children,
    docs,
    homes,
    keys,
    match_runs,
    placements,
    planning,
    proposals,
    system,
)

__all__ = ["ROUTERS"]

#: Every router, in the order the OpenAPI document lists them.
ROUTERS = tuple(
    module.router
    for module in (
        system,
        homes,
        children,
        proposals,
        placements,
        match_runs,
        planning,
        audit,
        keys,
        audit_trail,
        docs,
    )
)
