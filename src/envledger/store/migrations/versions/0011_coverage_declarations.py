"""coverage declarations on facility_year: expected_activities, in_boundary_from/to

A facility-year may name activities it is expected to report (beyond those it
reported the year before or after) and the first and last day it was inside the
boundary (a part-year facility: acquired or divested during the year).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 17:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("facility_year") as batch:
        batch.add_column(sa.Column(
            "expected_activities", sa.Text(), nullable=False, server_default=""
        ))
        batch.add_column(sa.Column("in_boundary_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("in_boundary_to", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("facility_year") as batch:
        batch.drop_column("in_boundary_to")
        batch.drop_column("in_boundary_from")
        batch.drop_column("expected_activities")
