"""uncertainty overrides: activity_record.uncertainty_pct, rejected_activity.uncertainty_pct

An activity row may carry its own relative 95 % uncertainty [%] (IPCC 2006 Vol. 1
ch. 3); null keeps the default of its data source.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 17:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_TABLES = ("activity_record", "rejected_activity")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("uncertainty_pct", sa.Float(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("uncertainty_pct")
