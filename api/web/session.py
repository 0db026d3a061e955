"""Browser sessions of the web screens: a key signed in once, kept on the server, named by
an HttpOnly, SameSite=Strict cookie; every form carries the session's CSRF token.

Sessions live in the database (``web_sessions``), so that every worker process of
``dichtbij serve --workers N`` knows every session. Only hashes are stored: of the
session id (the cookie) and of the key, as the key table keeps it; neither the cookie
nor the key can be read back from the database. Each request authenticates the key's
hash again, so revoking a key ends its sessions; a session ends after 30 minutes idle or
8 hours in all, and a restart no longer signs everybody out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from api.db.uow import UnitOfWork
from api.services.keys import hash_key

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
#: A page view writes its time only when the last one written is older than this: idle
#: expiry is a minute less exact, and most page views write nothing.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass
class Session:
    key_hash: str
    csrf: str
    created: datetime
    seen: datetime
    lang: str = "nl"
    flash: list[tuple[str, str]] = field(default_factory=list)


def tokens_match(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _id_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


class SessionStore:
    """Sessions by id; an id is 256 random bits and is replaced on every sign-in."""

    def __init__(
        self, uow: UnitOfWork, idle: timedelta = IDLE, absolute: timedelta = ABSOLUTE
    ) -> None:
        self.uow = uow
        self.idle = idle
        self.absolute = absolute

    def create(self, key: str, now: datetime, lang: str = "nl") -> tuple[str, Session]:
        session_id = secrets.token_urlsafe(32)
        session = Session(
            key_hash=hash_key(key), csrf=secrets.token_urlsafe(32), created=now, seen=now, lang=lang
        )
        with self.uow.write() as tx:
            tx.web_sessions.drop_expired(now - self.idle, now - self.absolute)
            tx.web_sessions.add(_id_hash(session_id), session.key_hash, session.csrf, now, lang)
            tx.commit()
        return session_id, session

    def get(self, session_id: str | None, now: datetime) -> Session | None:
        if not session_id or len(session_id) > 128:
            return None
        id_hash = _id_hash(session_id)
        with self.uow.read() as tx:
            row = tx.web_sessions.get(id_hash)
        if row is None:
            return None
        if now - row.seen_at > self.idle or now - row.created_at > self.absolute:
            self.end(session_id)
            return None
        if now - row.seen_at >= TOUCH_EVERY:
            with self.uow.write() as tx:
                tx.web_sessions.update(id_hash, seen_at=now)
                tx.commit()
        return Session(
            key_hash=row.key_hash,
            csrf=row.csrf,
            created=row.created_at,
            seen=now,
            lang=row.lang,
            flash=[(str(kind), str(text)) for kind, text in row.flash],
        )

    def save(self, session_id: str, session: Session) -> None:
        """Keep what a request changed of ``session``: its language and its messages."""
        with self.uow.write() as tx:
            tx.web_sessions.update(
                _id_hash(session_id),
                lang=session.lang,
                flash=[list(m) for m in session.flash],
            )
            tx.commit()

    def end(self, session_id: str | None) -> None:
        if session_id:
            with self.uow.write() as tx:
                tx.web_sessions.remove(_id_hash(session_id))
                tx.commit()
