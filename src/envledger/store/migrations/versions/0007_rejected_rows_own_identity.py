"""rejected rows get their own identity: rejected_activity.activity_id

A rejected row used to keep its ``activity_record`` id as its primary key; SQLite reuses
freed ids, so rejecting a corrected resubmission collided with the row rejected before
it. Existing rejected rows keep their id and get it again as ``activity_id``; new ones
take the next id of ``rejected_activity`` (on PostgreSQL its sequence is moved past the
ids that were copied in explicitly).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 14:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("rejected_activity") as batch_op:
        batch_op.add_column(sa.Column(
            "activity_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
    op.execute("UPDATE rejected_activity SET activity_id = id")
    with op.batch_alter_table("rejected_activity") as batch_op:
        batch_op.alter_column(
            "activity_id", existing_type=sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "SELECT setval(pg_get_serial_sequence('rejected_activity', 'id'),"
            " COALESCE((SELECT MAX(id) FROM rejected_activity), 0) + 1, false)"
        )


def downgrade() -> None:
    with op.batch_alter_table("rejected_activity") as batch_op:
        batch_op.drop_column("activity_id")
