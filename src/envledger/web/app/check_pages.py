"""The plausibility checks page of the workflow app and the dismiss form.

The flags of a year (services.workflow.checks, in the caller's facility scope) with a
dismiss form per open flag for reviewers; the JSON twin is /api/v1/ledger/checks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from envledger.errors import ConflictError, NotFoundError, ReviewError
from envledger.services.access.roles import Permission, Principal
from envledger.services.inventory.calculate import reporting_years
from envledger.services.workflow.checks import dismiss_as, visible_flags
from envledger.web.app.forms import render
from envledger.web.shared.auth import app_settings, require

router = APIRouter(tags=["checks"])
Reader = Annotated[Principal, Depends(require(Permission.read_ledger))]
Reviewer = Annotated[Principal, Depends(require(Permission.review))]
Year = Annotated[int | None, Query(ge=1900, le=2200, description="Reporting year.")]


@router.get("/checks", include_in_schema=False)
def checks_page(request: Request, principal: Reader, year: Year = None) -> Response:
    """The flags of a year (default: the latest year with data)."""
    chosen = year or _latest_year(request)
    return _page(request, principal, chosen, None, 200)


@router.post("/checks/dismiss", include_in_schema=False)
def dismiss(
    request: Request, principal: Reviewer, key: Annotated[str, Form(max_length=400)],
    comment: Annotated[str, Form()] = "",
) -> Response:
    """Dismiss a flag with a comment; a refused one re-shows the page with why."""
    try:
        flag = dismiss_as(app_settings(request).database_url, principal, key, comment)
    except (ReviewError, NotFoundError) as error:
        status = (409 if isinstance(error, ConflictError)
                  else 404 if isinstance(error, NotFoundError) else 400)
        year = int(key.split(":")[5][:4]) if _has_year(key) else _latest_year(request)
        return _page(request, principal, year, str(error), status)
    return RedirectResponse(f"/checks?year={flag['period_start'][:4]}", status_code=303)


def _page(request: Request, principal: Principal, year: int, error: str | None,
          status: int) -> Response:
    flags = visible_flags(app_settings(request).database_url, principal, year)
    return render(request, "checks.html", status, flags=flags, year=year, error=error,
                  years=reporting_years(app_settings(request)) or [year],
                  can_dismiss=principal.can(Permission.review))


def _has_year(key: str) -> bool:
    parts = key.split(":")
    return len(parts) > 5 and parts[5][:4].isdigit()


def _latest_year(request: Request) -> int:
    years = reporting_years(app_settings(request))
    return years[-1] if years else datetime.now(UTC).year
