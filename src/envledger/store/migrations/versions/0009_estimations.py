"""estimations: estimation

The method, parameters and input figures behind each estimated activity batch
(``envledger estimate``); the estimated rows themselves are ordinary activity rows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 17:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "estimation",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=30), nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_estimation_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_estimation")),
    )


def downgrade() -> None:
    op.drop_table("estimation")
