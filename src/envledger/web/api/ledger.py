"""The signed-in read API under /api/v1/: ledger rows in the caller's scope, evidence packs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from envledger.services.access.roles import Permission, Principal
from envledger.services.workflow.checks import visible_flags
from envledger.services.workflow.scoped_reads import (
    evidence_zip,
    facility_activities,
    scoped_coverage,
    visible_facilities,
)
from envledger.web.shared.auth import app_settings, require

router = APIRouter(prefix="/api/v1", tags=["ledger"])
Reader = Annotated[Principal, Depends(require(Permission.read_ledger))]
EvidenceReader = Annotated[Principal, Depends(require(Permission.download_evidence))]
Year = Annotated[int, Query(ge=1900, le=2200, description="Reporting year.")]


@router.get("/ledger/facilities")
def facilities(request: Request, principal: Reader) -> dict[str, Any]:
    """The facilities the caller may see (a facility owner: their own)."""
    return {"facilities": visible_facilities(app_settings(request).database_url, principal)}


@router.get("/ledger/facilities/{code}/activities")
def activities(request: Request, principal: Reader, code: str, year: Year) -> dict[str, Any]:
    """A facility's activity rows overlapping a year (quantity in the row's own unit)."""
    rows = facility_activities(app_settings(request).database_url, principal, code, year)
    return {"facility": code, "year": year, "activities": rows}


@router.get("/ledger/checks")
def checks(request: Request, principal: Reader, year: Year) -> dict[str, Any]:
    """The plausibility flags of a year in the caller's scope, dismissed ones included
    (docs/data-quality.md, "Plausibility checks"): the checks page's JSON twin."""
    return {"year": year, "flags": visible_flags(app_settings(request).database_url,
                                                 principal, year)}


@router.get("/ledger/coverage")
async def coverage(request: Request, principal: Reader, year: Year) -> dict[str, Any]:
    """Coverage of a year (``envledger.coverage/1``, the JSON of `envledger coverage`):
    facility x activity x month covered share, share covered, gaps, facilities with
    activity rows but no facility-year (a facility owner: their own facilities only)."""
    return await run_in_threadpool(scoped_coverage, app_settings(request), principal, year)


@router.get("/evidence/{year}", response_class=Response)
async def evidence(
    request: Request, principal: EvidenceReader,
    year: Annotated[int, Path(ge=1900, le=2200, description="A published reporting year.")],
) -> Response:
    """The verification pack of a published year (zip; see docs/audit-and-evidence.md)."""
    data = await run_in_threadpool(evidence_zip, app_settings(request), principal, year)
    return Response(data, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="evidence-{year}.zip"'})
