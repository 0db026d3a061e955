"""Record what the engine proposed at the time, so the audit can compare practice with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

A proposal keeps the engine's best option for its children when it was made
(``engine_choice``); confirming it copies each child's facts onto the placement
(``engine_*``): the kind of home, the distance to the parents, whether it was in the
parents' municipality and whether the child could keep its school. Old rows have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("proposals") as batch:
        batch.add_column(sa.Column("engine_choice", sa.JSON(), nullable=True))
    with op.batch_alter_table("placements") as batch:
        batch.add_column(sa.Column("engine_home_type", sa.String(16), nullable=True))
        batch.add_column(sa.Column("engine_distance_km", sa.Float(), nullable=True))
        batch.add_column(sa.Column("engine_same_municipality", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("engine_keeps_school", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("placements") as batch:
        for column in (
            "engine_keeps_school",
            "engine_same_municipality",
            "engine_distance_km",
            "engine_home_type",
        ):
            batch.drop_column(column)
    with op.batch_alter_table("proposals") as batch:
        batch.drop_column("engine_choice")
