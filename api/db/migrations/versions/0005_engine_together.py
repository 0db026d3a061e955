"""Record whether the engine's proposal kept the child with all its siblings.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

The audit's engine column lacked the sibling figures, the criterion where the batch
optimum differs most from practice. ``placements.engine_together`` is true when the
engine's best option placed the child with every sibling of its group, false when it
did not, and null for a child without siblings or rows recorded before this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("placements") as batch:
        batch.add_column(sa.Column("engine_together", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placements") as batch:
        batch.drop_column("engine_together")
