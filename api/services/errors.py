"""Named exceptions of the service layer; :mod:`api.http.problems` maps each to a status code.

Messages name objects by their ids and fields by their JSON paths, never by the personal
data they hold (no postcodes, no ages, no needs), so they are safe to return and to log.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from matching.errors import error_location

__all__ = [
    "ConflictError",
    "FieldProblem",
    "ForbiddenError",
    "InvalidInputError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PreconditionFailedError",
    "RateLimitedError",
    "ServiceError",
    "UnauthorizedError",
    "UnavailableError",
    "domain_problem",
    "json_path",
    "safe_reason",
]

Location = Literal["body", "query", "path", "header", "file"]


class ServiceError(Exception):
    """Base of the errors a request can end with; ``detail`` is safe to show."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class UnauthorizedError(ServiceError):
    """No key, or a key that is unknown, revoked or expired."""


class ForbiddenError(ServiceError):
    """A known caller without the right to this action."""


class NotFoundError(ServiceError):
    """The object does not exist, or exists but must stay hidden from this caller."""

    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(f"{kind} '{object_id}' not found")
        self.kind = kind
        self.object_id = object_id


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One offending field: where it is (JSON path), and why."""

    path: str
    reason: str
    location: Location = "body"
    row: int | None = None
    column: str | None = None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"location": self.location, "path": self.path, "reason": self.reason}
        if self.row is not None:
            out["row"] = self.row
        if self.column is not None:
            out["column"] = self.column
        return out


class InvalidInputError(ServiceError):
    """The request's content breaks the rules; :attr:`errors` lists every offending field."""

    def __init__(self, errors: Sequence[FieldProblem], detail: str | None = None) -> None:
        self.errors = tuple(errors)
        super().__init__(detail or f"{len(self.errors)} field(s) are invalid")

    @classmethod
    def from_validation(
        cls, exc: ValidationError, prefix: Sequence[str | int] = ()
    ) -> InvalidInputError:
        return cls(
            [
                FieldProblem(json_path([*prefix, *error_location(e)]), safe_reason(e["msg"]))
                for e in exc.errors()
            ]
        )


class ConflictError(ServiceError):
    """The request is well-formed but the state does not allow it (409).

    ``code`` is a stable machine-readable word; ``reasons`` carries the engine's reasons
    when a proposal breaks a placement rule.
    """

    def __init__(
        self,
        code: str,
        detail: str,
        reasons: Sequence[dict[str, Any]] | None = None,
        dutch_reasons: Sequence[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(detail)
        self.code = code
        self.reasons = list(reasons or [])
        #: The same reasons worded in Dutch, for a Dutch screen (the API answers English).
        self.dutch_reasons = list(dutch_reasons or [])


class PayloadTooLargeError(ServiceError):
    """The request is larger than the service takes in one go (413)."""


class PreconditionFailedError(ServiceError):
    """The object changed since the caller read it (``If-Match``): nothing was done (412)."""


class UnavailableError(ServiceError):
    """A part of the service this request needs is not there (503)."""


class RateLimitedError(ServiceError):
    """The key has used up its allowance for an expensive endpoint (429)."""

    def __init__(self, retry_after_s: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after_s))
        super().__init__(
            f"too many requests for this endpoint with this key; retry in {self.retry_after} s"
        )


def domain_problem(field: str, reason: str, **where: Any) -> FieldProblem:
    """A problem the engine's loader found, reworded where it would quote a postcode:
    error messages carry no personal data, not even back to the one who sent it."""
    if field.endswith("postcode"):
        reason = (
            "is not a known Dutch PC4 area"
            if "not a known Dutch PC4 area" in reason
            else "is not a Dutch postcode (expected PC4 '1234' or PC6 '1234 AB')"
        )
    # The loader names list items as ``history.0.date``; a JSON path says ``history[0].date``.
    path = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", f"$.{field}")
    return FieldProblem(path, safe_reason(reason), **where)


# Validators that quote what was sent (the scenario loader names an unknown care domain,
# wish criterion, child id or home id, as the command line shows a file's author): the
# quote is dropped, the rest of the reason kept. Up to the last quote before the list of
# known names or the end, so that a quote inside what was sent leaves none of it behind.
_QUOTED_INPUT = (
    re.compile(r"(unknown [a-z]+(?: [a-z]+)*) '.*'(?= \(known: [^']*\)$|$)", re.DOTALL),
    re.compile(r"^\d+ (contradicts birth_date) \(age \d+\)"),
)
# A name in a JSON path is echoed only if it looks like one of our field names; anything
# else (a postcode or a name used as a key) is submitted data and is not repeated.
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,39}$")


def safe_reason(msg: str) -> str:
    """A validation message fit to return and to log: pydantic's messages state the rule,
    never the input; the few of our own that quote the input lose the quote."""
    reason = msg.removeprefix("Value error, ")
    for pattern in _QUOTED_INPUT:
        reason = pattern.sub(r"\1", reason)
    return reason


def json_path(loc: Iterable[str | int]) -> str:
    """``("capabilities", "trauma")`` -> ``$.capabilities.trauma``; ``("siblings", 0)`` ->
    ``$.siblings[0]``; a key that is not a field-like name -> ``$.needs[*]``."""
    out = "$"
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _FIELD_NAME.match(part):
            out += f".{part}"
        else:
            out += "[*]"
    return out
