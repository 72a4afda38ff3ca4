"""The JSON and CSV documents of the API, shared by the server, the page and the static build.

Every number is ``{"value", "unit"}`` with the unrounded value; ``display`` is the text
the page shows (rounded for display only).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from envledger.disclosure import DataSection, Footnote, Labels, Language, SiteData
from envledger.disclosure.footnotes import SECTION_NOTES, note_number
from envledger.io.cells import escape_formula

TARGETS_NOTE = (
    "Targets are not recorded in the ledger yet; this list fills in when the inventory "
    "carries them."
)
CSV_COLUMNS = (
    "section", "group", "year", "metric", "label", "value", "unit",
    "change_vs_previous_year_pct",
)


def number(value: float | None, digits: int) -> str:
    """A value rounded for display with thousands separators; an em dash for none."""
    return "—" if value is None else f"{value:,.{digits}f}"


def percent(value: float | None) -> str:
    """A relative change for display, e.g. ``+3.4 %`` [%]; an em dash for none."""
    return "—" if value is None else f"{value:+,.1f} %"


def plus_minus(value: float | None) -> str:
    """A relative 95 % uncertainty for display, e.g. ``± 4.2 %`` [%]; an em dash for none."""
    return "—" if value is None else f"± {value:,.1f} %"


def metric_label(section: DataSection, metric: str, t: Labels) -> str:
    """The label of a metric of ``section`` in the language of ``t``."""
    return t(f"metric.{section.kind}.{metric}")


def figure_rows(site: SiteData, section: DataSection, year: int, t: Labels) -> list[dict]:
    """The figures ``section`` shows for ``year``: values with units and display texts."""
    return [
        {
            "metric": f.metric,
            "label": metric_label(section, f.metric, t),
            "value": f.value,
            "unit": f.unit,
            "display": t("not_reported") if f.value is None else number(f.value, section.digits),
            "change_vs_previous_year": {"value": f.change_pct, "unit": "%"},
            "change_display": percent(f.change_pct),
            "uncertainty": {"value": f.uncertainty_pct, "unit": "%"},
            "uncertainty_display": plus_minus(f.uncertainty_pct),
        }
        for f in site.figures(section, year)
    ]


def years_document(site: SiteData) -> dict[str, Any]:
    """Reporting years and the sections that can be asked for."""
    return {
        "years": site.years,
        "latest": site.latest,
        "sections": [s.id for s in site.sections],
    }


def section_document(
    site: SiteData, section: DataSection, year: int, language: Language
) -> dict[str, Any]:
    """The figures one section shows for one year: the JSON twin of its table."""
    t = Labels(language)
    return {
        "section": section.id,
        "kind": section.kind,
        "group": section.group,
        "title": section.title[language],
        "language": language,
        "year": year,
        "years": list(section.years),
        "figures": figure_rows(site, section, year, t),
        "notes": [note_number(key) for key in SECTION_NOTES[section.kind]],
    }


def groups_document(site: SiteData, language: Language) -> dict[str, Any]:
    """The facility groups that have an intensity section."""
    t = Labels(language)
    return {
        "groups": [
            {
                "name": s.group,
                "section": s.id,
                "title": s.title[language],
                "years": list(s.years),
                "indicators": [
                    {"indicator": m, "label": metric_label(s, m, t), "unit": s.units[m]}
                    for m in s.metrics
                ],
            }
            for s in site.sections
            if s.group is not None
        ]
    }


def intensities_document(
    site: SiteData, section: DataSection, year: int, language: Language
) -> dict[str, Any]:
    """One group's intensity indicators in one year, with the group's denominators."""
    rows = figure_rows(site, section, year, Labels(language))
    measures = next(g for g in site.payload(year)["groups"] if g["name"] == section.group)
    return {
        "group": section.group,
        "section": section.id,
        "language": language,
        "year": year,
        "intensities": [{"indicator": row.pop("metric"), **row} for row in rows],
        "denominators": {"floor_area": measures["floor_area"], "headcount": measures["headcount"]},
    }


def footnote_rows(notes: Iterable[Footnote], language: Language) -> list[dict[str, Any]]:
    """Numbered notes as ``{"number", "key", "text"}`` in one language."""
    return [{"number": n.number, "key": n.key, "text": n.text[language]} for n in notes]


def footnotes_document(site: SiteData, year: int, language: Language) -> dict[str, Any]:
    """The numbered notes of one reporting year."""
    return {
        "year": year,
        "language": language,
        "footnotes": footnote_rows(site.notes(year), language),
    }


def targets_document(site: SiteData) -> dict[str, Any]:
    """Environmental targets of the latest inventory, with a note while there are none."""
    targets = site.listed("targets")
    return {"targets": targets, **({} if targets else {"note": TARGETS_NOTE})}


def measures_document(site: SiteData, year: int | None) -> dict[str, Any]:
    """Reduction measures of one published year (every year when None), savings with units."""
    years = site.years if year is None else [year]
    return {"measures": [m for y in years for m in site.payload(y).get("measures") or []]}


def restatements_document(site: SiteData, year: int | None) -> dict[str, Any]:
    """Restated figures of one published year (every year when None): original beside revised."""
    years = site.years if year is None else [year]
    return {"restatements": [
        r for y in years
        for r in (site.payload(y).get("publication") or {}).get("restatements") or []
    ]}


def section_csv(site: SiteData, section: DataSection, year: int | None) -> str:
    """A section's figures as CSV (unrounded values), one year or all years; texts that a
    spreadsheet would run as formulas get a leading ``'`` (envledger.io.cells)."""
    t = Labels("en")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for y in section.years if year is None else [year]:
        for row in figure_rows(site, section, y, t):
            change = row["change_vs_previous_year"]["value"]
            writer.writerow([escape_formula(cell) for cell in (
                section.id, section.group or "", str(y), row["metric"], row["label"],
                "" if row["value"] is None else repr(row["value"]), row["unit"],
                "" if change is None else repr(change),
            )])
    return out.getvalue()
