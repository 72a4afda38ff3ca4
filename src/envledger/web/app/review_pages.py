"""The review workflow's pages: upload, submissions queue, facility data, audit log.

Plain server-rendered forms; every route resolves the caller with ``require`` (CSRF on
every POST) and calls services.workflow.use_cases, which checks permission and facility scope.
Each page has a JSON twin under /api/v1/.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from envledger.engine.coverage import MONTHS, month_ranges
from envledger.errors import ConflictError, InputError, LedgerBusyError, ReviewError
from envledger.io.limits import ReadLimits, megabytes
from envledger.services.access.roles import Permission, Principal
from envledger.services.inventory.calculate import reporting_years
from envledger.services.ledger.estimation import estimation_of
from envledger.services.workflow.checks import pending_flags, visible_flags
from envledger.services.workflow.coverage_effect import coverage_effect
from envledger.services.workflow.scoped_reads import scoped_coverage, visible_facilities
from envledger.services.workflow.use_cases import (
    audit_events,
    decide,
    facility_data,
    submit_upload,
    visible_submission,
    visible_submissions,
)
from envledger.web.app.forms import render
from envledger.web.app.params import RowId
from envledger.web.shared.auth import app_settings, require

router = APIRouter(tags=["review"])
Reader = Annotated[Principal, Depends(require(Permission.read_ledger))]
Writer = Annotated[Principal, Depends(require(Permission.write_activities))]
Reviewer = Annotated[Principal, Depends(require(Permission.review))]
Auditor = Annotated[Principal, Depends(require(Permission.read_audit))]
Status = Annotated[str | None, Query(pattern="^(pending|approved|rejected)$")]
Year = Annotated[int | None, Query(ge=1900, le=2200, description="Reporting year.")]
Limit = Annotated[int, Query(ge=1, le=1000, description="How many events, newest first.")]


def _url(request: Request) -> str:
    return app_settings(request).database_url


@router.get("/upload", include_in_schema=False)
def upload_page(request: Request, principal: Writer) -> Response:
    """The upload form: an activities file becomes a pending submission."""
    return render(request, "upload.html", facilities=visible_facilities(
        _url(request), principal), problems=[], error=None, **_limits_shown(request))


@router.post("/upload", include_in_schema=False)
async def upload(request: Request, principal: Writer, file: UploadFile) -> Response:
    """Submit the file; a bad file re-shows the form with every problem (row, column).

    The body arrived through the size cap of web.shared.body_limit, and the file part
    was spooled to disk as it came; it is never held in memory whole here.
    """
    limits = ReadLimits.from_settings(app_settings(request))
    try:
        result = await run_in_threadpool(
            submit_upload, _url(request), principal, file.filename or "", file.file, limits)
    except (InputError, ReviewError, LedgerBusyError) as error:
        problems = error.problems if isinstance(error, InputError) else []
        # Busy: the ledger was locked by another write for longer than the busy timeout;
        # the person may simply submit again, so the form comes back with the reason.
        status = 503 if isinstance(error, LedgerBusyError) else 400
        facilities = visible_facilities(_url(request), principal)
        return render(request, "upload.html", status, facilities=facilities,
                      problems=problems, error=None if problems else str(error),
                      **_limits_shown(request))
    return RedirectResponse(f"/submissions/{result.batch_id}", status_code=303)


@router.get("/submissions", include_in_schema=False)
def submissions_page(request: Request, principal: Reader, status: Status = None) -> Response:
    """The submissions queue (a facility owner: their own facilities' submissions)."""
    found = visible_submissions(_url(request), principal, status)
    return render(request, "submissions.html", submissions=found, status=status)


@router.get("/api/v1/submissions")
def submissions_document(
    request: Request, principal: Reader, status: Status = None
) -> dict[str, Any]:
    """Submissions in the caller's scope, newest first: the queue page's JSON twin."""
    found = visible_submissions(_url(request), principal, status)
    return {"submissions": [item.as_dict() for item in found]}


@router.get("/submissions/{batch_id}", include_in_schema=False)
def submission_page(request: Request, principal: Reader, batch_id: RowId) -> Response:
    """One submission: its rows, its review, and the approve/reject forms for reviewers."""
    url = _url(request)
    item, rows = visible_submission(url, principal, batch_id)
    return render(request, "submission.html", item=item, rows=rows, error=None,
                  can_review=principal.can(Permission.review),
                  estimation=estimation_of(url, batch_id),
                  flags=pending_flags(url, principal, batch_id),
                  coverage=coverage_effect(app_settings(request), principal, batch_id))


@router.get("/api/v1/submissions/{batch_id}")
def submission_document(request: Request, principal: Reader, batch_id: RowId) -> dict[str, Any]:
    """One submission with its rows (and, for an estimate, its method and inputs; for a
    pending one, the check flags it would raise and its effect on coverage): the
    submission page's JSON twin."""
    url = _url(request)
    item, rows = visible_submission(url, principal, batch_id)
    return {**item.as_dict(), "rows": [_jsonable(row) for row in rows],
            "estimation": estimation_of(url, batch_id),
            "flags": pending_flags(url, principal, batch_id),
            "coverage_effect": coverage_effect(app_settings(request), principal, batch_id)}


@router.post("/submissions/{batch_id}/{decision}", include_in_schema=False)
def review(
    request: Request, principal: Reviewer, batch_id: RowId,
    decision: Literal["approve", "reject"], comment: Annotated[str, Form()] = "",
) -> Response:
    """Approve or reject with a comment; a refused decision re-shows the page with why
    (409 when another reviewer decided first)."""
    url = _url(request)
    try:
        decide(url, principal, batch_id, decision == "approve", comment)
    except ReviewError as error:
        item, rows = visible_submission(url, principal, batch_id)
        status = 409 if isinstance(error, ConflictError) else 400
        return render(request, "submission.html", status, item=item, rows=rows,
                      error=str(error), can_review=True, estimation=estimation_of(url, batch_id),
                      flags=pending_flags(url, principal, batch_id),
                      coverage=coverage_effect(app_settings(request), principal, batch_id))
    return RedirectResponse(f"/submissions/{batch_id}", status_code=303)


@router.get("/facilities", include_in_schema=False)
def facilities_page(request: Request, principal: Reader) -> Response:
    """The facilities the caller may see, each linking to its data."""
    url = _url(request)
    return render(request, "facilities.html", facilities=visible_facilities(url, principal),
                  year=_latest_year(request))


@router.get("/facilities/{code}", include_in_schema=False)
def facility_page(request: Request, principal: Reader, code: str, year: Year = None) -> Response:
    """A facility's activity rows in a year, with each row's review status."""
    chosen = year or _latest_year(request)
    rows = facility_data(_url(request), principal, code, chosen)
    return render(request, "facility_data.html", code=code, year=chosen, rows=rows,
                  years=reporting_years(app_settings(request)))


@router.get("/api/v1/facilities/{code}/data")
def facility_document(
    request: Request, principal: Reader, code: str, year: Year = None
) -> dict[str, Any]:
    """A facility's activity rows in a year with review status: the page's JSON twin."""
    chosen = year or _latest_year(request)
    rows = facility_data(_url(request), principal, code, chosen)
    return {"facility": code, "year": chosen, "activities": rows}


@router.get("/coverage", include_in_schema=False)
def coverage_page(request: Request, principal: Reader, year: Year = None) -> Response:
    """Coverage of a year: facility x activity x month, share covered, gaps, and the
    year's plausibility flags (dismissed on the checks page)."""
    chosen = year or _latest_year(request)
    document = scoped_coverage(app_settings(request), principal, chosen)
    rows: dict[tuple[str, str], list[float | None]] = {}
    for cell in document["matrix"]:
        rows.setdefault((cell["facility"], cell["activity"]), []).append(cell["covered_share"])
    return render(request, "coverage.html", year=chosen, coverage=document, rows=rows,
                  months=MONTHS, years=reporting_years(app_settings(request)),
                  gaps=[(g, month_ranges(g["months"])) for g in document["gaps"]],
                  flags=visible_flags(_url(request), principal, chosen), can_dismiss=False)


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, principal: Auditor, limit: Limit = 100) -> Response:
    """The latest audit events (the hash chain: services.audit.chain)."""
    return render(request, "audit_log.html", events=audit_events(_url(request), principal, limit))


@router.get("/api/v1/audit")
def audit_document(request: Request, principal: Auditor, limit: Limit = 100) -> dict[str, Any]:
    """The latest audit events, newest first: the audit page's JSON twin."""
    return {"events": audit_events(_url(request), principal, limit)}


def _limits_shown(request: Request) -> dict[str, Any]:
    """The upload form's size and row limits, as the form states them."""
    limits = ReadLimits.from_settings(app_settings(request))
    return {"max_size": megabytes(limits.max_bytes), "max_rows": limits.max_rows}


def _latest_year(request: Request) -> int:
    years = reporting_years(app_settings(request))
    return years[-1] if years else datetime.now(UTC).year


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if hasattr(value, "isoformat") else value
            for key, value in row.items()}
