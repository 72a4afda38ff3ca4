"""sign-in throttle by client address: signin_address

Failed sign-ins are counted per account (app_user.failed_logins, locked_until: no
attempt is checked before it) and, with this table, per client address.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signin_address",
        sa.Column("address", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("address"),
    )


def downgrade() -> None:
    op.drop_table("signin_address")
