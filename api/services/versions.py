"""Versions of homes and children as strong ETags, and the ``If-Match`` check.

Each row counts its changes (``version``, migration 0006); the ETag is that number in
quotes. ``If-Match`` is compared strongly (RFC 9110 13.1.1): a weak tag never matches,
``*`` matches any existing object, and a list matches if any of its tags does.
"""

from __future__ import annotations

from api.services.errors import PreconditionFailedError

__all__ = ["check_if_match", "etag_of"]


def etag_of(version: int) -> str:
    return f'"{version}"'


def check_if_match(if_match: str | None, version: int, what: str) -> None:
    """Refuse (412) a change whose ``If-Match`` names no longer the current version;
    without the header the change goes ahead (last writer wins, as before)."""
    if if_match is None:
        return
    tags = [t.strip() for t in if_match.split(",") if t.strip()]
    if "*" in tags or etag_of(version) in tags:
        return
    raise PreconditionFailedError(
        f"{what} has changed since it was read (If-Match does not match its ETag); "
        "read it again and repeat the change on what it is now"
    )
