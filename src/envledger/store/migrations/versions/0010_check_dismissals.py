"""plausibility flag dismissals: check_dismissal

A reviewer dismisses a plausibility flag (engine.checks) with a comment; each row
keeps the flag's key, the value dismissed, who and when.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 17:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_dismissal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("flag_key", sa.String(length=400), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("dismissed_by", sa.String(length=100), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_dismissal")),
    )
    with op.batch_alter_table("check_dismissal") as batch_op:
        batch_op.create_index(batch_op.f("ix_check_dismissal_year"), ["year"], unique=False)
        batch_op.create_index(batch_op.f("ix_check_dismissal_flag_key"), ["flag_key"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("check_dismissal")
