"""Use case: the disclosure site's data for every reporting year, computed once."""

from __future__ import annotations

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
from envledger.services.audit.chain import chain_head
from envledger.services.commitments.measures import list_measures
from envledger.services.commitments.targets import target_progress
from envledger.services.publication.publishing import published_payload, published_years
from envledger.settings import Settings
from envledger.store.db import get_engine
from envledger.store.models import EnergyCoefficient, Organization
from envledger.store.models import Facility as FacilityRow


@dataclass(frozen=True)
class LedgerData:
    """What the site reads from the ledger: payloads by year, note facts, company name."""

    payloads: dict[int, dict[str, Any]]
    facts: NoteFacts
    organization: str | None


def read_ledger(settings: Settings) -> LedgerData:
    """Every published year's payload, with targets and measures, and the notes' facts.

    The one seam between the site and the ledger: the site shows published snapshots
    only (with their restatements); a year that was never published does not appear.
    Each year's payload gains ``targets`` (progress as of that year, from the published
    years up to it) and ``measures`` (the reduction measures of that year).
    """
    payloads = {year: published_payload(settings, year) for year in published_years(settings)}
    for year, payload in payloads.items():
        known = {y: p for y, p in payloads.items() if y <= year}
        payload["targets"] = [status.to_dict() for status in target_progress(settings, known)]
        payload["measures"] = [
            _with_units(measure) for measure in list_measures(settings.database_url, year)
        ]
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


#: estimated savings of a reduction measure and their units
SAVINGS_UNITS = {"savings_tco2e": "tCO2e", "savings_mwh": "MWh", "savings_water_t": "t"}


def _with_units(measure: dict[str, Any]) -> dict[str, Any]:
    """A measure with each estimated saving as a {"value", "unit"} figure."""
    return {
        key: {"value": value, "unit": SAVINGS_UNITS[key]} if key in SAVINGS_UNITS else value
        for key, value in measure.items()
    }


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
        audit_head="{}:{}".format(*head) if (head := chain_head(settings.database_url)) else "",
    )
