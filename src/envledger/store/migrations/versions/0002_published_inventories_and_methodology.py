"""published inventories, restatements and methodology versions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 12:49:45.438071
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "methodology_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("organization", sa.String(length=200), nullable=False),
        sa.Column("gwp_set", sa.String(length=10), nullable=False),
        sa.Column("series_priority", sa.JSON(), nullable=False),
        sa.Column("excluded_series", sa.JSON(), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("significance_threshold", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("set_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_methodology_version")),
        sa.UniqueConstraint("version", name=op.f("uq_methodology_version_version")),
    )
    op.create_table(
        "inventory_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("library_version", sa.String(length=20), nullable=False),
        sa.Column("code_version", sa.String(length=40), nullable=False),
        sa.Column("gwp_set", sa.String(length=10), nullable=False),
        sa.Column("methodology_version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column(
            "published_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("published_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inventory_snapshot")),
        sa.UniqueConstraint("year", "version", name="uq_inventory_snapshot_year"),
    )
    op.create_index(
        op.f("ix_inventory_snapshot_year"), "inventory_snapshot", ["year"], unique=False
    )
    op.create_table(
        "snapshot_supersession",
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=False),
        sa.Column(
            "superseded_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"], ["inventory_snapshot.id"],
            name=op.f("fk_snapshot_supersession_snapshot_id_inventory_snapshot"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["inventory_snapshot.id"],
            name=op.f("fk_snapshot_supersession_superseded_by_inventory_snapshot"),
        ),
        sa.PrimaryKeyConstraint("snapshot_id", name=op.f("pk_snapshot_supersession")),
        sa.UniqueConstraint(
            "superseded_by", name=op.f("uq_snapshot_supersession_superseded_by")
        ),
    )
    op.create_table(
        "restatement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("figure", sa.String(length=80), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("original_value", sa.Float(), nullable=True),
        sa.Column("revised_value", sa.Float(), nullable=True),
        sa.Column("difference", sa.Float(), nullable=True),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("original_snapshot_id", sa.Integer(), nullable=False),
        sa.Column("revised_snapshot_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["original_snapshot_id"], ["inventory_snapshot.id"],
            name=op.f("fk_restatement_original_snapshot_id_inventory_snapshot"),
        ),
        sa.ForeignKeyConstraint(
            ["revised_snapshot_id"], ["inventory_snapshot.id"],
            name=op.f("fk_restatement_revised_snapshot_id_inventory_snapshot"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_restatement")),
    )
    op.create_index(op.f("ix_restatement_year"), "restatement", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_restatement_year"), table_name="restatement")
    op.drop_table("restatement")
    op.drop_table("snapshot_supersession")
    op.drop_index(op.f("ix_inventory_snapshot_year"), table_name="inventory_snapshot")
    op.drop_table("inventory_snapshot")
    op.drop_table("methodology_version")
