"""Use case: the disclosure site's data for every reporting year, computed once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from envledger.disclosure import (
    LANGUAGES,
    Coefficient,
    DisclosureTemplate,
    Facility,
    Labels,
    NoteFacts,
    SiteData,
)
from envledger.disclosure.footnotes import build_footnotes
from envledger.disclosure.layout import resolve_layout
from envledger.errors import NotFoundError
from envledger.services.inventory import calculate, reporting_years
from envledger.settings import Settings
from envledger.store.db import get_engine
from envledger.store.models import EnergyCoefficient, Organization
from envledger.store.models import Facility as FacilityRow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LedgerData:
    """What the site reads from the ledger: payloads by year, note facts, company name."""

    payloads: dict[int, dict[str, Any]]
    facts: NoteFacts
    organization: str | None


def read_ledger(settings: Settings) -> LedgerData:
    """Every reporting year's inventory payload and the facts the notes need.

    The one seam between the site and the ledger: today it computes each year with
    :func:`calculate`; reading published snapshots will replace the computation here.
    """
    payloads: dict[int, dict[str, Any]] = {}
    for year in reporting_years(settings):
        try:
            payloads[year] = calculate(settings, year).to_dict()
        except NotFoundError as error:
            log.warning("disclosure: %s; the year is left out", error)
    with get_engine(settings.database_url).connect() as connection:
        facilities = {
            code: Facility(type=kind, country=country)
            for code, kind, country in connection.execute(
                select(FacilityRow.code, FacilityRow.type, FacilityRow.country)
            )
        }
        coefficients = {
            activity: Coefficient(value=value, unit=unit, basis=basis)
            for activity, value, unit, basis in connection.execute(select(
                EnergyCoefficient.activity, EnergyCoefficient.value, EnergyCoefficient.unit,
                EnergyCoefficient.basis,
            ))
        }
        organization = connection.execute(
            select(Organization.name).order_by(Organization.id).limit(1)
        ).scalar()
    return LedgerData(payloads, NoteFacts(facilities, coefficients), organization)


def build_site_data(settings: Settings, template: DisclosureTemplate) -> SiteData:
    """The site model of all reporting years: payloads, numbered notes and page layout."""
    ledger = read_ledger(settings)
    return SiteData(
        company=template.company or ledger.organization,
        title=template.title or {lang: Labels(lang)("page.title") for lang in LANGUAGES},
        intro=template.intro,
        payloads=ledger.payloads,
        footnotes={
            year: build_footnotes(payload, ledger.facts)
            for year, payload in ledger.payloads.items()
        },
        blocks=resolve_layout(template, ledger.payloads),
    )
