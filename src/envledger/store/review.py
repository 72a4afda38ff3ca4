"""Review of activity submissions and locks on reporting periods.

``batch_review`` holds one row per activity import batch: pending, approved or rejected,
with the submitter and the reviewer's decision. Only activity rows of approved batches
enter a calculation. A rejected batch's rows move to ``rejected_activity`` under ids of
their own (nothing is ever lost, and the period can be submitted again). ``period_lock``
is append-only: each row locks or unlocks one year, and the latest row of a year is its
state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import ActivityColumns, Base

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"


class BatchReview(Base):
    """The review state of one activity import batch (a submission)."""

    __tablename__ = "batch_review"

    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(10), index=True)  # pending | approved | rejected
    submitted_by: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    reviewer: Mapped[str | None] = mapped_column(String(100))
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RejectedActivity(ActivityColumns, Base):
    """An activity row of a rejected submission, kept for the record (same columns).

    ``id`` is the rejected row's own; ``activity_id`` is the id the row had in
    ``activity_record``. SQLite gives a freed id to the next row, so a corrected
    resubmission's row can carry the same original id as a row rejected before it.
    """

    __tablename__ = "rejected_activity"

    activity_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class PeriodLock(Base):
    """One lock or unlock of a reporting year; the year's latest row is its state."""

    __tablename__ = "period_lock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    locked: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(100))
