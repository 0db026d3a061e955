"""``Idempotency-Key`` on POST: the first answer is stored, a retry gets it again.

A client that lost an answer repeats its request with the same key and body and gets the
first answer (status, body, the headers that describe it) instead of doing the work twice
or a confusing 409. Keys are scoped per API key and kept 24 hours (expired rows are
deleted lazily, by the next claim). A key reused for another request is a 422; a retry
while the first request is still being served is a 409 the client may retry.

The store is the database (``idempotency_keys``, migration 0006), so it holds across
processes and restarts: :func:`claim` inserts a row before the work starts (the primary
key makes two simultaneous claims have one winner), :func:`finish` stores the answer,
:func:`release` drops the claim of a request whose answer must not be kept (5xx, 429).
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Delete, Update, delete, update
from sqlalchemy.exc import IntegrityError

from api.db.tables import IdempotencyRow
from api.db.uow import UnitOfWork
from api.services.errors import FieldProblem, InvalidInputError

__all__ = [
    "HEADER",
    "KEPT_FOR",
    "LEASE",
    "REPLAYED_HEADER",
    "STORED_HEADERS",
    "Claim",
    "IdempotencyInFlightError",
    "IdempotencyKeyReusedError",
    "IdempotentReplay",
    "claim",
    "fingerprint",
    "finish",
    "parse_key",
    "release",
    "storable",
]

log = logging.getLogger("dichtbij.api")

HEADER = "Idempotency-Key"
#: Marks an answer that is a replay of the stored first one.
REPLAYED_HEADER = "Idempotent-Replayed"
#: How long a first answer is given again.
KEPT_FOR = timedelta(hours=24)
#: A claim older than this without an answer belonged to a request that died (a crash or a
#: restart mid-request); a retry may take it over. The longest request, a match run, is
#: limited to 120 s of solving.
LEASE = timedelta(minutes=5)
#: The headers of an answer that are part of it; the rest (request id, security headers,
#: dates) belong to the answer that carries the replay.
STORED_HEADERS = ("content-type", "location", "etag", "retry-after")
#: Client errors that the same request meets again (a broken rule, an unknown id, a
#: taken id); anything else (401, 429, 5xx) may go differently next time and is not kept.
_DETERMINISTIC_ERRORS = frozenset({400, 403, 404, 409, 422})
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Claim:
    """This request holds the key: its answer is stored when it is sent."""

    key_prefix: str
    key: str

    def row(self) -> tuple[ColumnElement[bool], ...]:
        """The conditions that pick the claim's row."""
        return (
            IdempotencyRow.key_prefix == self.key_prefix,
            IdempotencyRow.idempotency_key == self.key,
        )


class IdempotentReplay(Exception):  # noqa: N818 - not an error: the stored answer, again
    """Raised to answer with the stored first answer instead of doing the work."""

    def __init__(
        self, status: int, headers: dict[str, str], body: bytes, children: list[str]
    ) -> None:
        super().__init__(status)
        self.status = status
        self.headers = headers
        self.body = body
        self.children = children


class IdempotencyKeyReusedError(Exception):
    """The key was used before with a different request (method, path or body): 422."""


class IdempotencyInFlightError(Exception):
    """The first request with this key is still being served: 409, retry shortly."""


def parse_key(raw: str) -> str:
    """The header's value, if it is 1-255 visible ASCII characters (else 422)."""
    if not _KEY.match(raw):
        raise InvalidInputError(
            [
                FieldProblem(
                    HEADER, "must be 1 to 255 visible ASCII characters (a UUID will do)", "header"
                )
            ]
        )
    return raw


def fingerprint(method: str, path: str, query: str, content_type: str, body: bytes) -> str:
    """What "the same request" means: method, path, query and body, byte for byte. A
    multipart body's boundary is random per attempt, so it is left out."""
    match = _BOUNDARY.search(content_type)
    if match:
        body = body.replace(match.group(1).encode("latin-1"), b"")
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def storable(status: int) -> bool:
    return 200 <= status < 300 or status in _DETERMINISTIC_ERRORS


def claim(
    uow: UnitOfWork, key_prefix: str, key: str, request_fingerprint: str, now: datetime
) -> Claim:
    """Take the key for this request, or raise: :class:`IdempotentReplay` with the first
    answer, :class:`IdempotencyKeyReusedError`, or :class:`IdempotencyInFlightError`.

    ``uow`` must be one without an audit hook: the claim commits on its own, before the
    request's work, and must not write the request's audit record with it.
    """
    with uow.write() as tx:
        session = tx.session
        session.execute(
            delete(IdempotencyRow)
            .where(IdempotencyRow.created_at < now - KEPT_FOR)
            .execution_options(synchronize_session=False)
        )
        row = session.get(
            IdempotencyRow, (key_prefix, key), populate_existing=True, with_for_update=True
        )
        if row is None:
            session.add(
                IdempotencyRow(
                    key_prefix=key_prefix,
                    idempotency_key=key,
                    fingerprint=request_fingerprint,
                    created_at=now,
                )
            )
            try:
                session.flush()
            except IntegrityError:
                # Another request inserted the same key a moment ago and is being served.
                raise IdempotencyInFlightError from None
            tx.commit()
            return Claim(key_prefix, key)
        if row.fingerprint != request_fingerprint:
            raise IdempotencyKeyReusedError
        if row.status is None:
            if row.created_at > now - LEASE:
                raise IdempotencyInFlightError
            row.created_at = now
            tx.commit()
            return Claim(key_prefix, key)
        headers: dict[str, Any] = dict(row.headers or {})
        raise IdempotentReplay(
            row.status,
            {str(k): str(v) for k, v in headers.items()},
            bytes(row.body or b""),
            [str(c) for c in row.children or []],
        )


def finish(
    uow: UnitOfWork,
    held: Claim,
    status: int,
    headers: dict[str, str],
    body: bytes,
    children: list[str],
) -> None:
    """Keep the answer to a claimed request, to be given again."""
    _written(
        uow,
        update(IdempotencyRow)
        .where(*held.row())
        .values(status=status, headers=headers, body=body, children=sorted(children)),
    )


def release(uow: UnitOfWork, held: Claim) -> None:
    """Drop the claim of a request whose answer is not kept: a retry does the work."""
    _written(uow, delete(IdempotencyRow).where(*held.row(), IdempotencyRow.status.is_(None)))


def _written(uow: UnitOfWork, statement: Update | Delete) -> None:
    """Run ``statement`` on the claims in a write transaction of its own."""
    with uow.write() as tx:
        tx.session.execute(statement.execution_options(synchronize_session=False))
        tx.commit()
