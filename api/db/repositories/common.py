"""Shared helpers of the repositories: batches, row counts and pages."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import (
    CursorResult,
    Select,
    func,
    select,
)
from sqlalchemy.orm import Session

#: Rows per statement when many are written or looked up at once. PostgreSQL takes at most
#: 65,535 bind parameters per statement and a home has 18 columns: 1,000 rows stay far
#: below that on both databases, and larger batches were not measurably faster.
BATCH_ROWS = 1000


def in_batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    # Items may be generated: only one batch of them exists at a time.
    it = iter(items)
    while batch := list(itertools.islice(it, BATCH_ROWS)):
        yield batch


def rowcount_of(result: Any) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


def page_of(session: Session, query: Select[Any], offset: int, limit: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(session.scalars(query.offset(offset).limit(limit)))
    return rows, int(total or 0)
