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
    proposals,
    system,
)

__all__ = [
    "audit",
    "audit_trail",
    "children",
    "docs",
    "homes",
    "keys",
    "match_runs",
    "placements",
    "proposals",
    "system",
]
