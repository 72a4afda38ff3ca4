"""Terminal rendering of inventories and restatements: rounding happens here, at display."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from rich.console import Console
from rich.table import Table

from envledger.services.publication.base_year import BaseYearCheck
from envledger.services.publication.publishing import RestatedFigure

ROUNDING_NOTE = (
    "Figures are rounded for display; totals are computed from unrounded values, so a "
    "total can differ from the sum of its rounded parts."
)

#: (label, path in a MEASURES object) of the headline figures, in display order
HEADLINE: list[tuple[str, tuple[str, ...]]] = [
    ("Scope 1", ("emissions", "scope1")),
    ("Scope 2 (location-based)", ("emissions", "scope2_location")),
    ("Total GHG emissions", ("emissions", "total")),
    ("Total energy", ("energy", "total")),
    ("  direct (fuels)", ("energy", "direct")),
    ("  indirect (electricity, heat)", ("energy", "indirect")),
    ("Standard coal equivalent", ("energy", "standard_coal")),
    ("Total water", ("water", "total")),
    ("  running water", ("water", "running")),
    ("  reclaimed water", ("water", "reclaimed")),
    ("Hazardous waste", ("waste", "hazardous")),
    ("Non-hazardous waste", ("waste", "non_hazardous")),
]


def figure(quantity: dict[str, Any], digits: int = 2) -> str:
    """Format a {"value", "unit"} figure for display with thousands separators."""
    value = quantity["value"]
    return "—" if value is None else f"{value:,.{digits}f}"


def _at(measures: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    node = measures
    for key in path:
        node = node[key]
    return node


def headline_table(payloads: list[dict[str, Any]], title: str) -> Table:
    """One column per year, one row per headline figure (GHG, energy, water, waste)."""
    table = Table(title=title, caption=ROUNDING_NOTE)
    table.add_column("Indicator")
    table.add_column("Unit")
    for payload in payloads:
        table.add_column(str(payload["year"]), justify="right")
    for label, path in HEADLINE:
        unit = _at(payloads[0]["company"], path)["unit"] if payloads else ""
        table.add_row(label, unit, *(figure(_at(p["company"], path)) for p in payloads))
    return table


def render_inventory(console: Console, payload: dict[str, Any]) -> None:
    """Print one year's inventory: headline, sources, gases, groups and intensities."""
    year, gwp_set = payload["year"], payload["gwp_set"]
    console.print(headline_table([payload], title=f"Inventory {year} (GWP {gwp_set})"))

    sources = Table(title="Emissions by source")
    for column in ("Scope", "Source", "tCO2e"):
        sources.add_column(column, justify="right" if column == "tCO2e" else "left")
    for row in payload["by_source"]:
        sources.add_row(str(row["scope"]), row["source"], figure(row["emissions"]))
    console.print(sources)

    gases = Table(title="Emissions by gas")
    for column in ("Gas", "Group", "Mass [kg]", "tCO2e"):
        gases.add_column(column, justify="left" if column in ("Gas", "Group") else "right")
    for row in payload["by_gas"]:
        gases.add_row(row["gas"], row["gas_group"], figure(row["mass"]), figure(row["emissions"]))
    console.print(gases)

    carriers = Table(title="Energy by carrier (HKEX KPI A2.1)")
    for column in ("Carrier", "MWh", "tce"):
        carriers.add_column(column, justify="left" if column == "Carrier" else "right")
    for row in payload.get("energy_by_carrier", {}).get("company", []):
        carriers.add_row(row["carrier"], figure(row["energy"]), figure(row["standard_coal"]))
    console.print(carriers)

    intensities = Table(title="Intensities by facility group")
    for column in ("Group", "Indicator", "Value", "Unit"):
        intensities.add_column(column, justify="right" if column == "Value" else "left")
    for row in payload["intensities"]:
        intensity = row["intensity"]
        intensities.add_row(
            row["group"], row["indicator"], figure(intensity, 4), intensity["unit"]
        )
    console.print(intensities)
    for row in payload.get("factors_not_used", []):
        # factor ids are the company's text: never read as console markup
        console.print(f"{row['message']} (facilities: {', '.join(row['facilities'])})",
                      markup=False)


def long_rows(payload: dict[str, Any]) -> Iterator[list[Any]]:
    """The inventory as tidy rows: year, level, name, metric, value, unit (unrounded)."""
    year = payload["year"]
    levels = [("company", "company", payload["company"])]
    levels += [("group", g["name"], g) for g in payload["groups"]]
    levels += [("facility", f["code"], f) for f in payload["facilities"]]
    for level, name, measures in levels:
        for metric, quantity in _flatten(measures):
            yield [year, level, name, metric, quantity["value"], quantity["unit"]]
    for row in payload["intensities"]:
        intensity = row["intensity"]
        yield [year, "group", row["group"], row["indicator"], intensity["value"], intensity["unit"]]
    yield from _carrier_rows(year, payload.get("energy_by_carrier"))


def _carrier_rows(year: int, by_carrier: dict[str, Any] | None) -> Iterator[list[Any]]:
    """Energy by carrier as tidy rows, metric ``energy.carrier.<carrier>.<energy|...>``."""
    if not by_carrier:
        return
    levels = [("company", "company", by_carrier["company"])]
    levels += [("group", g["name"], g["carriers"]) for g in by_carrier["groups"]]
    levels += [("facility", f["code"], f["carriers"]) for f in by_carrier["facilities"]]
    for level, name, carriers in levels:
        for row in carriers:
            for key in ("energy", "standard_coal"):
                quantity = row[key]
                yield [year, level, name, f"energy.carrier.{row['carrier']}.{key}",
                       quantity["value"], quantity["unit"]]


def _flatten(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for key, value in node.items():
        if not isinstance(value, dict):
            continue
        name = f"{prefix}{key}"
        if {"value", "unit"} <= set(value):
            yield name, value
        # a figure's uncertainty and data-quality shares are figures too (engine.quality)
        yield from _flatten({k: v for k, v in value.items() if k not in ("value", "unit")},
                            f"{name}.")


def render_quality(console: Console, facility: str, year: int, rows: list[dict[str, Any]]) -> None:
    """Print a facility's figures with their data-quality mix and 95 % uncertainty [%]."""
    if not rows:
        return
    out = Table(title=f"Data quality and uncertainty of {facility}'s {year} figures",
                caption="shares of each figure by data source; ± = relative 95 % uncertainty"
                        " (IPCC 2006 Vol. 1 ch. 3, Approach 1)")
    for column in ("figure", "value", "measured", "invoice", "estimated", "unstated", "±"):
        out.add_column(column, justify="left" if column == "figure" else "right")
    for row in rows:
        out.add_row(row["measure"], _shown(row["value"], ",.2f"),
                    *(_shown(row[f"{s}_pct"], ".1f", " %") for s in
                      ("measured", "invoice", "estimated", "unstated")),
                    _shown(row["uncertainty_pct"], ".1f", " %"))
    console.print(out)


def _shown(value: float | None, spec: str, suffix: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{suffix}"


def render_explanation(console: Console, facility: str, year: int, table: pa.Table) -> None:
    """Print each result line of a facility with its factor, conversion, GWP and formula."""
    rows = table.to_pylist()
    if not rows:
        console.print(f"{facility} has no emissions in {year} (or is outside the boundary).")
        return
    out = Table(title=f"How {facility}'s {year} figures were computed", show_lines=True)
    for column in table.column_names:
        out.add_column(column, overflow="fold")
    for row in rows:
        out.add_row(*("" if v is None else str(v) for v in row.values()))
    console.print(out)


def restatement_table(rows: list[RestatedFigure], title: str = "Restatements") -> Table:
    """Restated figures: year, figure, original, revised, difference [unit], reason, note."""
    table = Table(title=title, caption="Figures rounded for display.")
    for column in ("Year", "Figure", "Unit"):
        table.add_column(column)
    for column in ("Original", "Revised", "Difference"):
        table.add_column(column, justify="right")
    table.add_column("Reason")
    table.add_column("Note")
    for r in rows:
        table.add_row(str(r.year), r.figure, r.unit, _number(r.original), _number(r.revised),
                      _number(r.difference, sign=True), r.reason, r.note)
    return table


def base_year_table(check: BaseYearCheck) -> Table:
    """The effects of a base-year check by cause [tCO2e] and share of the base year."""
    table = Table(title=f"Base year {check.base_year}: what changed since publication")
    table.add_column("Cause")
    table.add_column("Effect (tCO2e)", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Details")
    for effect in check.effects:
        share = "n/a" if effect.share is None else f"{effect.share:+.2%}"
        table.add_row(effect.cause, _number(effect.t_co2e, sign=True), share,
                      "\n".join(effect.details))
    for line in check.not_triggers:
        table.add_row("not a trigger", "", "", line)
    return table


def _number(value: float | None, sign: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+,.2f}" if sign else f"{value:,.2f}"


def restated_totals_table(rows: list[RestatedFigure]) -> Table:
    """Restated total GHG emissions [tCO2e]: original, revised, difference and reason."""
    table = Table(
        title="Restated total GHG emissions (tCO2e)",
        caption="Every restated figure, with notes: envledger restatements",
    )
    table.add_column("Year")
    for column in ("Original", "Revised", "Difference"):
        table.add_column(column, justify="right")
    table.add_column("Reason")
    for r in rows:
        table.add_row(str(r.year), _number(r.original), _number(r.revised),
                      _number(r.difference, sign=True), r.reason)
    return table
