"""Query parameters and the router settings every resource shares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query

from api.http.problems import PROBLEM_RESPONSES
from api.schemas.common import MAX_PAGE
from matching.scenario import ID_PATTERN

__all__ = [
    "ETAG_HEADERS",
    "ETAG_READ",
    "IF_MATCH_CHANGE",
    "IF_MATCH_REMOVAL",
    "REMOVAL",
    "ROUTER_OPTIONS",
    "IdPath",
    "IfMatch",
    "Limit",
    "Offset",
    "PageDep",
    "PageQuery",
]

Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")]


@dataclass(frozen=True, slots=True)
class PageQuery:
    """Which page of a list: the items to skip and the page size."""

    offset: Offset = 0
    limit: Limit = 50


PageDep = Annotated[PageQuery, Depends()]
IdPath = Annotated[
    str,
    Path(
        pattern=ID_PATTERN,
        description="An object id: letters, digits, '-', '_' and '.', 1-64 characters",
    ),
]

IfMatch = Annotated[
    str | None,
    Header(
        max_length=1000,
        description=(
            "The ETag of a GET: the change is made only if the object is still that version "
            "(else 412, nothing changed). Without it the change is made on whatever is "
            "current."
        ),
    ),
]
#: The ETag header of a GET or PATCH answer, for the OpenAPI document.
ETAG_HEADERS: dict[str, Any] = {
    "ETag": {
        "description": "The object's version; send it back as If-Match to change it safely",
        "schema": {"type": "string"},
    }
}

#: Route options of a read that answers the object's ETag.
ETAG_READ: dict[str, Any] = {"responses": {200: {"headers": ETAG_HEADERS}}}
#: Route options of a change made only on the version If-Match names; it answers the new ETag.
IF_MATCH_CHANGE: dict[str, Any] = {
    "responses": {200: {"headers": ETAG_HEADERS}, 412: PROBLEM_RESPONSES[412]}
}
#: Route options of a removal: no content in the answer.
REMOVAL: dict[str, Any] = {"status_code": 204, "response_model": None}
#: Route options of a removal made only on the version If-Match names.
IF_MATCH_REMOVAL: dict[str, Any] = {**REMOVAL, "responses": {412: PROBLEM_RESPONSES[412]}}

#: Lapsed holds are closed before any request reads or changes beds or statuses: by
#: ``CallerDep`` (:func:`api.http.deps.allowed_caller`), which every ``/v1`` route has.
ROUTER_OPTIONS: dict[str, Any] = {"responses": PROBLEM_RESPONSES}
