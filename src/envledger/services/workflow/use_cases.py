"""Use cases of the signed-in review pages: the caller's permission and facility scope
are checked here, in the service (services.access.roles), so no route can forget them.

A facility owner sees and submits only their own facilities' data; every web upload is
a pending submission (services.governance.review) that someone else must approve.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select

from envledger.errors import InputError, InputProblem
from envledger.io.limits import ReadLimits
from envledger.services.access.roles import Permission, Principal, Role, require_permission
from envledger.services.audit.chain import audit_log
from envledger.services.governance.review import (
    Submission,
    approve,
    get_submission,
    list_submissions,
    reject,
    submission_rows,
)
from envledger.services.ledger.importing import ImportResult, import_activities
from envledger.services.workflow.scoped_reads import facility_activities
from envledger.store.db import session_scope
from envledger.store.review import BatchReview

UPLOAD_SUFFIXES = (".csv", ".xlsx")
_COPY_CHUNK = 1 << 20  # [bytes]


def scope(principal: Principal) -> frozenset[str] | None:
    """The facility codes a caller may read and write (None = every facility)."""
    return principal.facilities if principal.role is Role.facility_owner else None


def submit_upload(
    url: str, principal: Principal, file_name: str, upload: BinaryIO,
    limits: ReadLimits | None = None,
) -> ImportResult:
    """Submit an uploaded activities file (CSV or XLSX) as a pending submission.

    ``upload`` is copied to disk in chunks; ``limits`` (the settings' when None) cap
    its size, rows and columns.

    Raises
    ------
    PermissionDeniedError
        Without ``write_activities``.
    InputError
        For a bad file or row (naming row and column), or a facility outside the
        caller's scope; PeriodLockedError for a row in a locked year. Nothing is written.
    """
    require_permission(principal, Permission.write_activities)
    name = Path(file_name).name or "upload"
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise InputError([InputProblem(name, None, None, "must be a .csv or .xlsx file")])
    with tempfile.TemporaryDirectory(prefix="envledger-upload-") as folder:
        path = Path(folder) / name
        with path.open("wb") as copy:
            shutil.copyfileobj(upload, copy, _COPY_CHUNK)
        return import_activities(
            url, path, actor=principal.actor, submit=True, facilities=scope(principal),
            limits=limits,
        )


def visible_submissions(
    url: str, principal: Principal, status: str | None = None
) -> list[Submission]:
    """Submissions in the caller's facility scope, newest first."""
    require_permission(principal, Permission.read_ledger)
    return list_submissions(url, status, scope(principal))


def visible_submission(
    url: str, principal: Principal, batch_id: int
) -> tuple[Submission, list[dict[str, Any]]]:
    """A submission and its rows; NotFoundError outside the caller's scope."""
    require_permission(principal, Permission.read_ledger)
    return get_submission(url, batch_id, scope(principal)), submission_rows(url, batch_id)


def decide(
    url: str, principal: Principal, batch_id: int, approved: bool, comment: str
) -> Submission:
    """Approve or reject a submission as the caller (services.governance.review.approve/reject)."""
    require_permission(principal, Permission.review)
    decision = approve if approved else reject
    return decision(url, batch_id, principal.actor, comment)


def facility_data(
    url: str, principal: Principal, code: str, year: int
) -> list[dict[str, Any]]:
    """A facility's activity rows of ``year`` with their batch's review status."""
    rows = facility_activities(url, principal, code, year)
    with session_scope(url) as session:
        status = {batch: value for batch, value in session.execute(
            select(BatchReview.batch_id, BatchReview.status)
            .where(BatchReview.batch_id.in_({row["batch_id"] for row in rows}))
        )}
    return [{**row, "review_status": status.get(row["batch_id"], "")} for row in rows]


def audit_events(url: str, principal: Principal, limit: int = 100) -> list[dict[str, Any]]:
    """The latest audit events, newest first (verifiers, reviewers, owners, admins)."""
    require_permission(principal, Permission.read_audit)
    return audit_log(url, limit)
