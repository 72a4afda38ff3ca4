"""Use case: activity submissions, reviewed by a second person before they count.

Every activity import batch has a review row (store.review.BatchReview). The inventory
owner's own imports (the CLI) are approved on import and say so; a facility owner's
upload is a *submission*: pending until a reviewer approves or rejects it with a
comment. Only approved batches enter a calculation (services.ledger.tables). A rejected
batch's rows move to ``rejected_activity``: kept for the record, out of every
calculation, and out of the way of a corrected submission for the same period.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, Select, delete, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from envledger.errors import NotFoundError, ReviewConflictError, ReviewError
from envledger.io.checks import TableCheck
from envledger.services.audit.chain import format_timestamp
from envledger.services.audit.trail import record_event
from envledger.services.governance.period_locks import refuse_locked_periods
from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, Facility, ImportBatch
from envledger.store.review import APPROVED, PENDING, REJECTED, BatchReview, RejectedActivity

_ROW_COLUMNS = (
    "batch_id", "source_row", "facility_id", "period_start", "period_end", "activity",
    "quantity", "unit", "gas", "variant", "data_source", "reference", "uncertainty_pct",
)
_VERBS = {APPROVED: "approve", REJECTED: "reject"}


@dataclass(frozen=True)
class Submission:
    """An activity import batch and its review: who submitted, who decided, why."""

    batch_id: int
    file_name: str
    file_sha256: str
    row_count: int
    status: str
    submitted_by: str
    submitted_at: datetime
    reviewer: str | None
    comment: str
    reviewed_at: datetime | None
    facilities: list[str]
    first_day: date | None
    last_day: date | None

    def as_dict(self) -> dict[str, Any]:
        """JSON form (timestamps and dates in ISO 8601)."""
        return {
            **self.__dict__,
            "submitted_at": self.submitted_at.isoformat(),
            "reviewed_at": self.reviewed_at.isoformat() if self.reviewed_at else None,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
        }


def approved_batch_ids() -> Select:
    """SELECT of the ids of approved activity batches: the only rows a calculation reads."""
    return select(BatchReview.batch_id).where(BatchReview.status == APPROVED)


def batch_reviews(connection: Connection, batch_ids: pa.ChunkedArray) -> pa.Table:
    """The review of each batch in ``batch_ids``: status, submitter, reviewer, comment and
    times (ISO 8601 UTC), by batch id; batches without a review are left out."""
    ids = sorted(set(pc.drop_null(batch_ids).to_pylist()))
    review = BatchReview
    found = connection.execute(
        select(review.batch_id, review.status, review.submitted_by, review.submitted_at,
               review.reviewer, review.comment, review.reviewed_at)
        .where(review.batch_id.in_(ids)).order_by(review.batch_id)
    ).all()
    return pa.table({
        "batch_id": pa.array([r.batch_id for r in found], pa.int64()),
        "status": pa.array([r.status for r in found], pa.string()),
        "submitted_by": pa.array([r.submitted_by for r in found], pa.string()),
        "submitted_at": pa.array([format_timestamp(r.submitted_at) for r in found], pa.string()),
        "reviewer": pa.array([r.reviewer for r in found], pa.string()),
        "comment": pa.array([r.comment for r in found], pa.string()),
        "reviewed_at": pa.array(
            [format_timestamp(r.reviewed_at) if r.reviewed_at else None for r in found],
            pa.string()),
    })


def outside_scope_message(allowed: Collection[str]) -> str:
    """The refusal of a row at a facility the importer may not write ({facility_code})."""
    return f"'{{facility_code}}' is not one of your facilities ({', '.join(allowed) or 'none'})"


def open_review(
    session: Session, table: pa.Table, batch: ImportBatch, submit: bool,
    facilities: Collection[str] | None,
) -> str:
    """Check a parsed activities table against the submitter's scope and the locked years,
    then record the batch's review row; returns its status.

    ``submit`` makes the batch a pending submission; otherwise it is approved on import
    by its importer (the inventory owner). ``facilities`` (None = every facility) are the
    facility codes the importer may write: any other row is refused, naming the row.

    Raises
    ------
    InputError
        If a row names a facility outside ``facilities``; nothing is written.
    PeriodLockedError
        If a row falls in a locked year; nothing is written.
    """
    if facilities is not None:
        allowed = sorted(facilities)
        check = TableCheck(table, batch.file_name)
        codes = table.column("facility_code")
        check.flag(
            pc.invert(pc.is_in(codes, value_set=pa.array(allowed, pa.string()))),
            "facility_code", outside_scope_message(allowed),
        )
        check.done()
    refuse_locked_periods(session, table, batch.file_name)
    status = PENDING if submit else APPROVED
    now = datetime.now(UTC)
    session.add(BatchReview(
        batch_id=batch.id, status=status, submitted_by=batch.imported_by,
        reviewer=None if submit else batch.imported_by,
        comment="" if submit else "approved on import by the inventory owner",
        reviewed_at=None if submit else now,
    ))
    return status


def list_submissions(
    url: str, status: str | None = None, facilities: Collection[str] | None = None
) -> list[Submission]:
    """Activity submissions, newest first; ``status`` filters, ``facilities`` (None =
    all) keeps only submissions whose every row is at one of those facilities."""
    statement = _submissions()
    if status is not None:
        if status not in (PENDING, APPROVED, REJECTED):
            raise ReviewError(f"status '{status}' is not one of {PENDING}, {APPROVED}, {REJECTED}")
        statement = statement.where(BatchReview.status == status)
    with session_scope(url) as session:
        found = _load(session, statement.order_by(ImportBatch.id.desc()))
    return [item for item in found if _visible(item, facilities)]


def get_submission(
    url: str, batch_id: int, facilities: Collection[str] | None = None
) -> Submission:
    """One submission; NotFoundError if it does not exist or is outside ``facilities``."""
    with session_scope(url) as session:
        found = _load(session, _submissions().where(ImportBatch.id == batch_id))
    if not found or not _visible(found[0], facilities):
        raise NotFoundError(f"submission {batch_id} does not exist")
    return found[0]


def approve(url: str, batch_id: int, actor: str, comment: str) -> Submission:
    """Approve a pending submission: its rows enter the next calculation.

    Raises
    ------
    ReviewError
        If the comment is blank, the submission is not pending, or ``actor`` submitted it.
    PeriodLockedError
        If its rows fall in a year locked since it was submitted.
    """
    return _decide(url, batch_id, actor, comment, APPROVED)


def reject(url: str, batch_id: int, actor: str, comment: str) -> Submission:
    """Reject a pending submission: its rows move to ``rejected_activity`` for the record.

    Raises
    ------
    ReviewError
        If the comment is blank, the submission is not pending, or ``actor`` submitted it.
    """
    return _decide(url, batch_id, actor, comment, REJECTED)


def submission_rows(url: str, batch_id: int) -> list[dict[str, Any]]:
    """The activity rows of a submission (from the ledger, or kept after rejection)."""
    rows = []
    with session_scope(url) as session:
        for table in (ActivityRecord, RejectedActivity):
            rows += session.execute(
                select(
                    table.source_row, Facility.code.label("facility_code"), table.period_start,
                    table.period_end, table.activity, table.quantity, table.unit, table.gas,
                    table.variant, table.data_source, table.reference, table.uncertainty_pct,
                )
                .join(Facility, Facility.id == table.facility_id)
                .where(table.batch_id == batch_id)
            ).mappings().all()
    return sorted((dict(row) for row in rows), key=lambda row: row["source_row"])


def _decide(url: str, batch_id: int, actor: str, comment: str, decision: str) -> Submission:
    verb = _VERBS[decision]
    if not comment.strip():
        raise ReviewError(f"to {verb} submission {batch_id}, give a comment")
    with session_scope(url) as session:
        review = session.get(BatchReview, batch_id)
        if review is None:
            raise NotFoundError(f"submission {batch_id} does not exist")
        if review.submitted_by == actor:
            raise ReviewError(
                f"submission {batch_id} was submitted by {actor}: another person must review it"
            )
        if review.status != PENDING or not _claim(session, batch_id, decision, actor, comment):
            raise _decided_already(session, batch_id)
        if decision == APPROVED:
            refuse_locked_periods(session, _periods(session, batch_id), f"submission {batch_id}")
        else:
            _move_to_rejected(session, batch_id)
        record_event(session, actor, f"submission.{verb}", "import_batch", {
            "batch_id": batch_id, "comment": comment.strip(),
            "before": {"status": PENDING}, "after": {"status": decision},
        }, rows={"batch_review": {"batch_id": batch_id}})
        session.flush()
    return get_submission(url, batch_id)


def _claim(session: Session, batch_id: int, decision: str, actor: str, comment: str) -> bool:
    """Record the decision if the submission is still pending (compare-and-set); False if
    another decision got there first. Written before anything else the decision changes,
    so two reviewers can never both decide: the second waits for the first's row lock
    (PostgreSQL) or write lock (SQLite), then finds the status no longer pending."""
    claimed = session.execute(
        update(BatchReview)
        .where(BatchReview.batch_id == batch_id, BatchReview.status == PENDING)
        .values(status=decision, reviewer=actor, comment=comment.strip(),
                reviewed_at=datetime.now(UTC))
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _decided_already(session: Session, batch_id: int) -> ReviewConflictError:
    review = session.execute(
        select(BatchReview).where(BatchReview.batch_id == batch_id)
        .execution_options(populate_existing=True)
    ).scalar_one()
    when = f" at {_utc(review.reviewed_at):%Y-%m-%d %H:%M:%S} UTC" if review.reviewed_at else ""
    return ReviewConflictError(
        f"submission {batch_id} was already {review.status} by {review.reviewer}{when};"
        " nothing changed"
    )


def _periods(session: Session, batch_id: int) -> pa.Table:
    rows = session.execute(
        select(ActivityRecord.period_start, ActivityRecord.period_end)
        .where(ActivityRecord.batch_id == batch_id)
    ).all()
    return pa.table({
        "period_start": pa.array([row[0] for row in rows], pa.date32()),
        "period_end": pa.array([row[1] for row in rows], pa.date32()),
    })


def _move_to_rejected(session: Session, batch_id: int) -> None:
    # A rejected row takes an id of its own: SQLite reuses freed activity_record ids.
    columns = [ActivityRecord.id] + [getattr(ActivityRecord, name) for name in _ROW_COLUMNS]
    session.execute(insert(RejectedActivity).from_select(
        ["activity_id", *_ROW_COLUMNS], select(*columns).where(ActivityRecord.batch_id == batch_id)
    ))
    session.execute(delete(ActivityRecord).where(ActivityRecord.batch_id == batch_id))


def _submissions() -> Select:
    return select(ImportBatch, BatchReview).join(
        BatchReview, BatchReview.batch_id == ImportBatch.id
    )


def _load(session: Session, statement: Select) -> list[Submission]:
    found = session.execute(statement).all()
    ids = [batch.id for batch, _ in found]
    extent = _extent(session, ids)
    return [
        Submission(
            batch_id=batch.id, file_name=batch.file_name, file_sha256=batch.file_sha256,
            row_count=batch.row_count, status=review.status, submitted_by=review.submitted_by,
            submitted_at=_utc(review.submitted_at), reviewer=review.reviewer,
            comment=review.comment, reviewed_at=_utc(review.reviewed_at) if review.reviewed_at
            else None, facilities=sorted(extent.get(batch.id, {}).get("codes", set())),
            first_day=extent.get(batch.id, {}).get("first"),
            last_day=extent.get(batch.id, {}).get("last"),
        )
        for batch, review in found
    ]


def _extent(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per batch: its facility codes and first and last day, over kept and rejected rows."""
    if not ids:
        return {}
    parts = [
        select(table.batch_id, Facility.code, func.min(table.period_start),
               func.max(table.period_end))
        .join(Facility, Facility.id == table.facility_id)
        .where(table.batch_id.in_(ids)).group_by(table.batch_id, Facility.code)
        for table in (ActivityRecord, RejectedActivity)
    ]
    extent: dict[int, dict[str, Any]] = {}
    for batch_id, code, first, last in session.execute(union_all(*parts)).all():
        entry = extent.setdefault(batch_id, {"codes": set(), "first": None, "last": None})
        entry["codes"].add(code)
        first, last = _day(first), _day(last)
        entry["first"] = first if entry["first"] is None else min(entry["first"], first)
        entry["last"] = last if entry["last"] is None else max(entry["last"], last)
    return extent


def _day(value: date | str) -> date:
    """SQLite returns aggregated dates as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _visible(item: Submission, facilities: Collection[str] | None) -> bool:
    return facilities is None or (bool(item.facilities) and set(item.facilities) <= set(facilities))


def _utc(moment: datetime) -> datetime:
    """SQLite returns server timestamps without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
