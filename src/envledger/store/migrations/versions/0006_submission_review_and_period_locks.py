"""submission review and period locks: batch_review, rejected_activity, period_lock

Every activity batch already in the ledger was imported by the inventory owner: it is
recorded as approved on import, so calculations read the same rows as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 13:34:38
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_batches = sa.table(
    "import_batch",
    sa.column("id", sa.Integer()), sa.column("kind", sa.String()),
    sa.column("imported_by", sa.String()), sa.column("imported_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "period_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period_lock")),
    )
    with op.batch_alter_table("period_lock") as batch_op:
        batch_op.create_index(batch_op.f("ix_period_lock_year"), ["year"], unique=False)
    review = op.create_table(
        "batch_review",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=False),
        sa.Column(
            "submitted_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
            nullable=False,
        ),
        sa.Column("reviewer", sa.String(length=100), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"], name=op.f("fk_batch_review_batch_id_import_batch")
        ),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_batch_review")),
    )
    with op.batch_alter_table("batch_review") as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_review_status"), ["status"], unique=False)
    op.create_table(
        "rejected_activity",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("source_row", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(length=40), nullable=False),
        sa.Column("quantity", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("gas", sa.String(length=30), nullable=False),
        sa.Column("variant", sa.String(length=40), nullable=False),
        sa.Column("data_source", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batch.id"],
            name=op.f("fk_rejected_activity_batch_id_import_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_rejected_activity_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rejected_activity")),
    )
    with op.batch_alter_table("rejected_activity") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rejected_activity_batch_id"), ["batch_id"], unique=False
        )
    connection = op.get_bind()
    existing = connection.execute(
        sa.select(_batches).where(_batches.c.kind == "activities").order_by(_batches.c.id)
    ).all()
    op.bulk_insert(review, [
        {"batch_id": row.id, "status": "approved", "submitted_by": row.imported_by,
         "submitted_at": row.imported_at, "reviewer": row.imported_by,
         "comment": "approved on import (imported before submissions were reviewed)",
         "reviewed_at": row.imported_at}
        for row in existing
    ])


def downgrade() -> None:
    with op.batch_alter_table("rejected_activity") as batch_op:
        batch_op.drop_index(batch_op.f("ix_rejected_activity_batch_id"))
    op.drop_table("rejected_activity")
    with op.batch_alter_table("batch_review") as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_review_status"))
    op.drop_table("batch_review")
    with op.batch_alter_table("period_lock") as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_lock_year"))
    op.drop_table("period_lock")
