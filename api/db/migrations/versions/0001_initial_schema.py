"""Initial schema: keys, homes, children and sibling links, proposals, placements, match runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Migrations never import the application's table classes: they describe the schema as it
# was at this revision, whatever the code looks like later.
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("municipality", sa.String(4), nullable=True),
        sa.Column("label", sa.String(64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=True),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_keys"),
        sa.UniqueConstraint("hash", name="uq_api_keys_hash"),
        sa.UniqueConstraint("prefix", name="uq_api_keys_prefix"),
    )
    op.create_table(
        "homes",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("postcode", sa.String(8), nullable=False),
        sa.Column("beds_free", sa.Integer(), nullable=False),
        sa.Column("beds_held", sa.Integer(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=False),
        sa.Column("age_max", sa.Integer(), nullable=False),
        sa.Column("max_siblings", sa.Integer(), nullable=True),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("religion", sa.String(32), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("available_from", sa.Date(), nullable=True),
        sa.Column("available_until", sa.Date(), nullable=True),
        sa.Column("known_to", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("withdrawn_at", _TS, nullable=True),
        sa.CheckConstraint("beds_free >= 0", name="ck_homes_beds_free_nonnegative"),
        sa.CheckConstraint("beds_held >= 0", name="ck_homes_beds_held_nonnegative"),
        sa.CheckConstraint("beds_held <= beds_free", name="ck_homes_beds_held_within_free"),
        sa.PrimaryKeyConstraint("id", name="pk_homes"),
    )
    op.create_index("ix_homes_organisation_id", "homes", ["organisation", "id"])
    op.create_table(
        "match_runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_match_runs"),
    )
    op.create_index(
        "ix_match_runs_organisation_created_at", "match_runs", ["organisation", "created_at"]
    )
    op.create_table(
        "service_state",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_service_state"),
    )
    op.create_table(
        "children",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("parents_postcode", sa.String(8), nullable=False),
        sa.Column("school_postcode", sa.String(8), nullable=True),
        sa.Column("split_reason", sa.String(32), nullable=True),
        sa.Column("split_note", sa.Text(), nullable=True),
        sa.Column("keep_apart", sa.JSON(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("min_distance_from_parents_km", sa.Float(), nullable=True),
        sa.Column("religion", sa.String(32), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("current_home", sa.String(64), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["current_home"], ["homes.id"], name="fk_children_current_home_homes"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_children"),
    )
    op.create_index("ix_children_organisation_status", "children", ["organisation", "status"])
    op.create_table(
        "proposals",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("home_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("split_reason", sa.String(32), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.Column("accepted_at", _TS, nullable=True),
        sa.Column("closed_at", _TS, nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("withdraw_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["home_id"], ["homes.id"], name="fk_proposals_home_id_homes"),
        sa.PrimaryKeyConstraint("id", name="pk_proposals"),
    )
    op.create_index("ix_proposals_home_id_status", "proposals", ["home_id", "status"])
    op.create_index(
        "ix_proposals_organisation_created_at", "proposals", ["organisation", "created_at"]
    )
    op.create_index("ix_proposals_status_expires_at", "proposals", ["status", "expires_at"])
    op.create_table(
        "placements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("proposal_id", sa.String(36), nullable=False),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("organisation", sa.String(64), nullable=False),
        sa.Column("home_id", sa.String(64), nullable=False),
        sa.Column("home_type", sa.String(16), nullable=False),
        sa.Column("parents_municipality", sa.String(4), nullable=False),
        sa.Column("home_municipality", sa.String(4), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("keeps_school", sa.Boolean(), nullable=True),
        sa.Column("sibling_group", sa.String(16), nullable=True),
        sa.Column("together", sa.Boolean(), nullable=True),
        sa.Column("split_reason", sa.String(32), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(16), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("ended_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(["home_id"], ["homes.id"], name="fk_placements_home_id_homes"),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name="fk_placements_proposal_id_proposals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_placements"),
    )
    op.create_index("ix_placements_child_id_end_date", "placements", ["child_id", "end_date"])
    op.create_index("ix_placements_home_id_end_date", "placements", ["home_id", "end_date"])
    op.create_index(
        "ix_placements_organisation_start_date", "placements", ["organisation", "start_date"]
    )
    op.create_index(
        "uq_placements_open_child",
        "placements",
        ["child_id"],
        unique=True,
        sqlite_where=sa.text("end_date IS NULL"),
        postgresql_where=sa.text("end_date IS NULL"),
    )
    op.create_table(
        "proposal_children",
        sa.Column("proposal_id", sa.String(36), nullable=False),
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"],
            ["proposals.id"],
            name="fk_proposal_children_proposal_id_proposals",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("proposal_id", "child_id", name="pk_proposal_children"),
    )
    op.create_index("ix_proposal_children_child_id", "proposal_children", ["child_id"])
    op.create_table(
        "sibling_links",
        sa.Column("child_id", sa.String(64), nullable=False),
        sa.Column("sibling_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["child_id"],
            ["children.id"],
            name="fk_sibling_links_child_id_children",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sibling_id"],
            ["children.id"],
            name="fk_sibling_links_sibling_id_children",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("child_id", "sibling_id", name="pk_sibling_links"),
    )
    op.create_index("ix_sibling_links_sibling_id", "sibling_links", ["sibling_id"])


def downgrade() -> None:
    for table in (
        "sibling_links",
        "proposal_children",
        "placements",
        "proposals",
        "children",
        "service_state",
        "match_runs",
        "homes",
        "api_keys",
    ):
        op.drop_table(table)
