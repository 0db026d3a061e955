"""Browser sessions of the web screens: a key signed in once, kept on the server, named by
an HttpOnly, SameSite=Strict cookie; every form carries the session's CSRF token.

The key itself never goes back to the browser. The store is in memory on purpose: a
restart signs everybody out, and no session outlives the process that checked its key.
Each request authenticates the stored key again, so revoking a key ends its sessions.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = [
    "COOKIE",
    "PRE_COOKIE",
    "Session",
    "SessionStore",
    "tokens_match",
]

#: The session cookie; ``__Host-`` would demand HTTPS, which the demo on localhost lacks.
COOKIE = "dichtbij_sessie"
#: A cookie that guards the sign-in form itself (double submit): no one can sign a
#: browser in to their own account from another site.
PRE_COOKIE = "dichtbij_aanmelden"

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=8)


@dataclass
class Session:
    key: str
    csrf: str
    created: datetime
    seen: datetime
    lang: str = "nl"
    flash: list[tuple[str, str]] = field(default_factory=list)


def tokens_match(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class SessionStore:
    """Sessions by id; an id is 256 random bits and is replaced on every sign-in."""

    def __init__(self, idle: timedelta = IDLE, absolute: timedelta = ABSOLUTE) -> None:
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()
        self.idle = idle
        self.absolute = absolute

    def create(self, key: str, now: datetime, lang: str = "nl") -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        session = Session(key=key, csrf=secrets.token_urlsafe(32), created=now, seen=now, lang=lang)
        with self._lock:
            self._expire(now)
            self._sessions[session_id] = session
        return session_id, session

    def get(self, session_id: str | None, now: datetime) -> Session | None:
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.seen > self.idle or now - session.created > self.absolute:
                del self._sessions[session_id]
                return None
            session.seen = now
            return session

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)

    def _expire(self, now: datetime) -> None:
        stale = [
            sid
            for sid, s in self._sessions.items()
            if now - s.seen > self.idle or now - s.created > self.absolute
        ]
        for sid in stale:
            del self._sessions[sid]
