"""Lists that stand for sets name each item once: repeats stored before that rule go.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

The scenario rules now refuse a list that names one item twice. A row stored before
could hold ``["nl", "nl"]`` and then fail them when read: its child's GET answered 500
and every PATCH of it 422, whatever it changed. Each item's first occurrence is kept, in
order; a changed row's ``version`` moves on, as what its GET shows changed. A child's
``siblings`` are ``sibling_links`` rows, whose primary key never held a pair twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LISTS = {
    "homes": ("languages", "known_to", "care_kinds"),
    "children": ("languages", "keep_apart"),
}


def upgrade() -> None:
    conn = op.get_bind()
    for name, columns in _LISTS.items():
        table = sa.table(
            name,
            sa.column("id", sa.String()),
            sa.column("version", sa.Integer()),
            *(sa.column(column, sa.JSON()) for column in columns),
        )
        for row in conn.execute(sa.select(table.c.id, *(table.c[c] for c in columns))).all():
            once = {
                column: list(dict.fromkeys(items))
                for column, items in zip(columns, row[1:], strict=True)
                if items is not None and len(set(items)) != len(items)
            }
            if once:
                conn.execute(
                    table.update()
                    .where(table.c.id == row.id)
                    .values(**once, version=table.c.version + 1)
                )


def downgrade() -> None:
    """Nothing to undo: the repeats are gone, and a list without them is valid at every
    revision."""
