"""The JSON API under /api/v1/: the twin of every figure on the page, units on every number."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from envledger.disclosure import Language, SiteData
from envledger.errors import NotFoundError
from envledger.web.shared import documents

router = APIRouter(prefix="/api/v1", tags=["disclosure"])

Year = Annotated[int | None, Query(description="Reporting year; the latest when omitted.")]
Lang = Annotated[Language, Query(description="Language of labels and notes.")]


def _site(request: Request) -> SiteData:
    return request.app.state.site


def _year(site: SiteData, year: int | None) -> int:
    """``year``, or the latest reporting year when omitted."""
    if year is not None:
        return year
    if site.latest is None:
        raise NotFoundError("the ledger holds no reporting year yet")
    return site.latest


@router.get("/years")
def years(request: Request) -> dict[str, Any]:
    """Reporting years (oldest first), the latest one and the section ids."""
    return documents.years_document(_site(request))


@router.get("/inventory/{year}")
def inventory(request: Request, year: int) -> Any:
    """The full ``envledger.inventory/1`` payload of one reporting year (unrounded)."""
    return _site(request).payload(year)


@router.get("/sections/{section}.csv", response_class=Response)
def section_csv(request: Request, section: str, year: Year = None) -> Response:
    """A section's figures as CSV: one year, or every year when ``year`` is omitted."""
    site = _site(request)
    found = site.section(section)
    text = documents.section_csv(site, found, year)
    name = f"{found.id}-{'all' if year is None else year}.csv"
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/sections/{section}")
def section_figures(
    request: Request, section: str, year: Year = None, lang: Lang = "en"
) -> dict[str, Any]:
    """The figures one section shows for a year (value, unit, display text, change [%])."""
    site = _site(request)
    found = site.section(section)
    chosen = found.years[-1] if year is None else year
    return documents.section_document(site, found, chosen, lang)


@router.get("/groups")
def groups(request: Request, lang: Lang = "en") -> dict[str, Any]:
    """Facility groups with an intensity section: years and indicators with units."""
    return documents.groups_document(_site(request), lang)


@router.get("/groups/{name}/intensities")
def intensities(
    request: Request, name: str, year: Year = None, lang: Lang = "en"
) -> dict[str, Any]:
    """One facility group's intensity indicators in a year, with floor area and headcount."""
    site = _site(request)
    found = site.group(name)
    chosen = found.years[-1] if year is None else year
    return documents.intensities_document(site, found, chosen, lang)


@router.get("/footnotes")
def footnotes(request: Request, year: Year = None, lang: Lang = "en") -> dict[str, Any]:
    """The numbered notes of a reporting year (boundary, sources, standards, ...)."""
    site = _site(request)
    return documents.footnotes_document(site, _year(site, year), lang)


@router.get("/targets")
def targets(request: Request) -> dict[str, Any]:
    """Environmental targets (an empty list with a note until the ledger records them)."""
    return documents.targets_document(_site(request))


@router.get("/measures")
def measures(request: Request, year: Year = None) -> dict[str, Any]:
    """Reduction measures by published year, estimated savings in tCO2e, MWh and t water."""
    site = _site(request)
    return documents.measures_document(site, None if year is None else _year(site, year))


@router.get("/restatements")
def restatements(request: Request, year: Year = None) -> dict[str, Any]:
    """Every restated company figure: originally published beside revised, with the reason."""
    site = _site(request)
    return documents.restatements_document(site, None if year is None else _year(site, year))
