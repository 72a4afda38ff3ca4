"""Numbered footnotes of the disclosure, generated from one year's payload and the ledger."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from envledger.disclosure.figures import COMPANY_METRICS
from envledger.disclosure.labels import LANGUAGES, Labels

#: every note in page order; a note's number is its position (stable across years)
NOTE_KEYS: tuple[str, ...] = (
    "boundary", "sources", "standards", "data", "gases", "energy", "water", "restatement",
    "rounding", "coverage", "estimates",
)
#: the notes each kind of data section refers to
SECTION_NOTES: dict[str, tuple[str, ...]] = {
    "ghg": ("boundary", "sources", "standards", "data", "gases", "restatement", "rounding",
            "coverage", "estimates"),
    "energy": ("boundary", "standards", "energy", "restatement", "rounding", "coverage",
               "estimates"),
    "water": ("boundary", "water", "restatement", "rounding", "coverage", "estimates"),
    "waste": ("boundary", "restatement", "rounding", "coverage", "estimates"),
    "intensity": ("boundary", "rounding", "coverage"),
}
#: coverage figure (engine.coverage.FIGURE_ACTIVITIES) -> its metric label
COVERAGE_FIGURES: dict[str, str] = {
    "total_t": "ghg.total", "scope1_t": "ghg.scope1", "scope2_location_t": "ghg.scope2_location",
    "scope2_market_t": "ghg.scope2_market", "total_mwh": "energy.total",
    "direct_mwh": "energy.direct", "indirect_mwh": "energy.indirect",
    "tce": "energy.standard_coal", "water_total_t": "water.total",
    "water_running_t": "water.running", "water_reclaimed_t": "water.reclaimed",
    "waste_hazardous_t": "waste.hazardous", "waste_non_hazardous_t": "waste.non_hazardous",
}
#: company figures whose estimated share the estimates note names, in page order
ESTIMATE_FIGURES: tuple[tuple[str, str], ...] = (
    ("ghg", "total"), ("energy", "total"), ("water", "total"), ("waste", "non_hazardous"),
    ("waste", "hazardous"),
)
FACILITY_TYPES = ("office", "factory", "warehouse", "data_center", "retail_store", "other")
TIERS = ("measured", "supplier", "local", "regional", "industry", "national", "international")
GAS_GROUPS = ("CO2", "CH4", "N2O", "HFCs", "PFCs", "SF6", "NF3")
SOURCES = (
    "stationary_combustion", "mobile_combustion", "refrigerant", "fire_suppression",
    "wastewater", "purchased_electricity", "purchased_heat",
)
ENERGY_CARRIERS = (
    "electricity", "heat", "natural_gas", "diesel", "gasoline", "lpg", "diesel_vehicle",
    "gasoline_vehicle",
)


@dataclass(frozen=True)
class Coefficient:
    """A GB/T 2589-2020 coefficient to standard coal, e.g. 0.1229 [kgce/kWh]."""

    value: float
    unit: str
    basis: str  # "equivalent value" | "reference coefficient"


@dataclass(frozen=True)
class Facility:
    """The facility facts the boundary note names: type and ISO 3166-1 country."""

    type: str
    country: str


@dataclass(frozen=True)
class NoteFacts:
    """What the notes need besides a payload, read from the ledger."""

    facilities: Mapping[str, Facility]  # by facility code
    coefficients: Mapping[str, Coefficient]  # by energy activity


@dataclass(frozen=True)
class Footnote:
    """One numbered note: its key, number and text per language."""

    key: str
    number: int
    text: Mapping[str, str]  # language -> text


def note_number(key: str) -> int:
    """The number of a note on the page (1-based)."""
    return NOTE_KEYS.index(key) + 1


def _ordered(values: set[str], order: tuple[str, ...]) -> list[str]:
    return [v for v in order if v in values] + sorted(values - set(order))


def _boundary(payload: Mapping[str, Any], facts: NoteFacts, t: Labels) -> dict[str, Any]:
    members = [facts.facilities[f["code"]] for f in payload["facilities"]]
    types = Counter(m.type for m in members)
    countries = Counter(m.country for m in members)
    return {
        "count": len(members),
        "types": t.join(
            t("count", label=t.get(f"facility_type.{kind}", kind), count=types[kind])
            for kind in _ordered(set(types), FACILITY_TYPES)
        ),
        "countries": t.join(
            t.get(f"country.{code}", code) for code, _ in countries.most_common()
        ),
    }


def _sources(payload: Mapping[str, Any], t: Labels) -> dict[str, Any]:
    def of_scope(scope: int) -> str:
        present = {row["source"] for row in payload["by_source"] if row["scope"] == scope}
        return t.join(t.get(f"source.{s}", s) for s in _ordered(present, SOURCES))

    return {"scope1": of_scope(1), "scope2": of_scope(2)}


def _data(payload: Mapping[str, Any], t: Labels) -> dict[str, Any]:
    used = {row["tier"] for row in payload["factors_used"]}
    return {
        "hierarchy": t.join(t(f"tier.{tier}") for tier in TIERS),
        "series": t.join(t.get(f"series.{s}", s) for s in payload["series_priority"]),
        "tiers": t.join(t.get(f"tier.{tier}", tier) for tier in _ordered(used, TIERS)),
    }


def _energy(payload: Mapping[str, Any], facts: NoteFacts, t: Labels) -> dict[str, Any]:
    used = {row["activity"] for row in payload["factors_used"]} & set(facts.coefficients)
    carriers = _ordered(used, ENERGY_CARRIERS)
    return {
        "carriers": t.join(t.get(f"activity.{a}", a) for a in carriers),
        "coefficients": t.join(
            t(
                "coefficient",
                activity=t.get(f"activity.{a}", a),
                value=f"{c.value:g}",
                unit=t.unit(c.unit),
                basis=t.get(f"basis.{c.basis}", c.basis),
            )
            for a in carriers
            for c in [facts.coefficients[a]]
        ),
    }


def _restatement(payload: Mapping[str, Any], t: Labels) -> tuple[str, dict[str, Any]]:
    """Which restatement note applies, and the original beside the revised total [tCO2e]."""
    restated = (payload.get("publication") or {}).get("restatements") or []
    if not restated:
        return "note.no_restatement", {}
    reasons = dict.fromkeys(
        t.get(f"restatement.{r['reason']}", r["reason"])
        + (f" ({r['note']})" if r["note"] else "")
        for r in sorted(restated, key=lambda r: r["revised_snapshot_id"])
    )
    totals = sorted(
        (r for r in restated if r["figure"] == "emissions.total"),
        key=lambda r: r["revised_snapshot_id"],
    )

    def shown(figure: Mapping[str, Any]) -> str:
        return "—" if figure["value"] is None else f"{figure['value']:,.2f}"

    return "note.restatement", {
        "reasons": t.join(reasons),
        "original": shown(totals[0]["original"]) if totals else "—",
        "revised": shown(totals[-1]["revised"]) if totals else "—",
    }


def _months(months: list[int], t: Labels) -> str:
    """[1, 2, 3, 7] -> 'January-March, July' in the language of ``t``."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return t.join(
        t(f"month.{r[0]}") if len(r) == 1 else f"{t(f'month.{r[0]}')}–{t(f'month.{r[-1]}')}"
        for r in runs
    )


def _period(payload: Mapping[str, Any], t: Labels) -> str:
    """The reporting period as held: first day of the first to last day of the last covered
    month (the calendar year when the snapshot holds no coverage)."""
    coverage = payload.get("coverage")
    if coverage is None:
        return t("period.full")
    held = coverage.get("period")
    if held is None:
        return t("period.none")
    year = payload["year"]
    first, last = int(held["first"][5:7]), int(held["last"][5:7])
    if (first, last) == (1, 12):
        return t("period.full")
    return t(
        "period.held", year=year,
        first=t("day_month", day=1, month=t(f"month.{first}")),
        last=t("day_month", day=calendar.monthrange(year, last)[1], month=t(f"month.{last}")),
    )


def _coverage(payload: Mapping[str, Any], t: Labels) -> str:
    """The coverage note: complete, or the accepted gaps with the reason and shares."""
    year = payload["year"]
    coverage = payload.get("coverage")
    if coverage is None:
        return t("note.coverage_unknown", year=year)
    if not coverage["gaps"]:
        share = coverage["share_covered"]["value"]
        return t("note.coverage", year=year, share="—" if share is None else f"{share:.0%}")
    gaps = t.join(
        f"{g['facility']} {t.get('activity.' + g['activity'], g['activity'])}"
        f" ({_months(g['months'], t)})"
        for g in coverage["gaps"]
    )
    figures = t.join(
        f"{t(f'metric.{metric}')} {share:.0%}"
        for figure, metric in COVERAGE_FIGURES.items()
        for share in [coverage["figures"][figure]["missing_share"]["value"]]
        if share
    )
    return t(
        "note.coverage_gaps", year=year, count=coverage["gap_months"], gaps=gaps,
        reason=(coverage.get("accepted_gaps") or {}).get("reason", ""), figures=figures,
    )


def _estimates(payload: Mapping[str, Any], t: Labels) -> tuple[str, dict[str, Any]]:
    """The share [%] of each company figure resting on estimated activity data, if any."""
    shares = []
    for kind, metric in ESTIMATE_FIGURES:
        node: Mapping[str, Any] = payload["company"]
        for key in COMPANY_METRICS[kind][metric]:
            node = node.get(key) or {}
        share = ((node.get("data_quality") or {}).get("estimated") or {}).get("value")
        if share is not None and share > 0:
            shares.append(t("estimate.share", share=f"{share:.1f} %",
                            figure=t(f"metric.{kind}.{metric}")))
    if not shares:
        return "note.no_estimates", {}
    return "note.estimates", {"shares": t.join(shares)}


def _note_text(key: str, payload: Mapping[str, Any], facts: NoteFacts, t: Labels) -> str:
    if key == "restatement":
        label, params = _restatement(payload, t)
        return t(label, year=payload["year"], **params)
    if key == "coverage":
        return _coverage(payload, t)
    if key == "estimates":
        label, params = _estimates(payload, t)
        return t(label, year=payload["year"], **params)
    return t(f"note.{key}", **_note_params(key, payload, facts, t))


def _note_params(key: str, payload: Mapping[str, Any], facts: NoteFacts, t: Labels) -> dict:
    year = payload["year"]
    if key == "boundary":
        return {"year": year, **_boundary(payload, facts, t)}
    if key == "sources":
        return {"year": year, **_sources(payload, t)}
    if key == "data":
        return {"year": year, **_data(payload, t)}
    if key == "gases":
        groups = {row["gas_group"] for row in payload["by_gas"]}
        gwp = payload["gwp_set"]
        return {
            "year": year,
            "gases": t.join(t.get(f"gas.{g}", g) for g in _ordered(groups, GAS_GROUPS)),
            "gwp": t.get(f"gwp.{gwp}", gwp),
        }
    if key == "energy":
        return {"year": year, **_energy(payload, facts, t)}
    if key == "standards":
        return {"year": year, "period": _period(payload, t)}
    return {"year": year}


def build_footnotes(payload: Mapping[str, Any], facts: NoteFacts) -> tuple[Footnote, ...]:
    """The numbered notes of one reporting year, in every language of the site."""
    labels = [Labels(language) for language in LANGUAGES]
    return tuple(
        Footnote(
            key=key,
            number=note_number(key),
            text={t.language: _note_text(key, payload, facts, t) for t in labels},
        )
        for key in NOTE_KEYS
    )
