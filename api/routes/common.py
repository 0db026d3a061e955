"""Query parameters and the router settings every resource shares."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Path, Query

from api.deps import sweep_expired
from api.problems import PROBLEM_RESPONSES
from api.schemas.common import MAX_PAGE
from matching.scenario import ID_PATTERN

__all__ = ["ROUTER_OPTIONS", "IdPath", "Limit", "Offset"]

Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size")]
IdPath = Annotated[
    str,
    Path(
        pattern=ID_PATTERN,
        description="An object id: letters, digits, '-', '_' and '.', 1-64 characters",
    ),
]

ROUTER_OPTIONS: dict[str, Any] = {
    "responses": PROBLEM_RESPONSES,
    # Lapsed holds are closed before any request reads or changes beds or statuses.
    "dependencies": [Depends(sweep_expired)],
}
