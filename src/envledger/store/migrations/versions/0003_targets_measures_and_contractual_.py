"""targets, reduction measures and contractual instruments

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28 12:49:40.518794
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contractual_instrument",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instrument_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("energy", sa.String(length=20), nullable=False),
        sa.Column("volume_mwh", sa.Float(), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("market", sa.String(length=2), nullable=False),
        sa.Column("facility_code", sa.String(length=50), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("retirement_reference", sa.String(length=200), nullable=False),
        sa.Column("emission_rate_t_per_mwh", sa.Float(), nullable=False),
        sa.Column("claimed_year", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"],
            name=op.f("fk_contractual_instrument_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contractual_instrument")),
    )
    with op.batch_alter_table("contractual_instrument", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contractual_instrument_claimed_year"), ["claimed_year"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contractual_instrument_instrument_id"), ["instrument_id"], unique=False
        )
    op.create_table(
        "reduction_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("facility_code", sa.String(length=50), nullable=False),
        sa.Column("savings_tco2e", sa.Float(), nullable=True),
        sa.Column("savings_mwh", sa.Float(), nullable=True),
        sa.Column("savings_water_t", sa.Float(), nullable=True),
        sa.Column("estimate_method", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"],
            name=op.f("fk_reduction_measure_batch_id_import_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reduction_measure")),
        sa.UniqueConstraint("name", "year", "facility_code", name="uq_reduction_measure_key"),
    )
    op.create_table(
        "target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("basis", sa.String(length=20), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("group_name", sa.String(length=200), nullable=False),
        sa.Column("base_year", sa.Integer(), nullable=True),
        sa.Column("target_year", sa.Integer(), nullable=True),
        sa.Column("set_in_year", sa.Integer(), nullable=True),
        sa.Column("reduction_pct", sa.Float(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_target_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("name", name=op.f("uq_target_name")),
    )


def downgrade() -> None:
    op.drop_table("target")
    op.drop_table("reduction_measure")
    with op.batch_alter_table("contractual_instrument", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contractual_instrument_instrument_id"))
        batch_op.drop_index(batch_op.f("ix_contractual_instrument_claimed_year"))
    op.drop_table("contractual_instrument")
