"""Terminal rendering of inventories: rounding happens here, at display, and only here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from rich.console import Console
from rich.table import Table

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

    intensities = Table(title="Intensities by facility group")
    for column in ("Group", "Indicator", "Value", "Unit"):
        intensities.add_column(column, justify="right" if column == "Value" else "left")
    for row in payload["intensities"]:
        intensity = row["intensity"]
        intensities.add_row(
            row["group"], row["indicator"], figure(intensity, 4), intensity["unit"]
        )
    console.print(intensities)


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


def _flatten(node: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for key, value in node.items():
        if not isinstance(value, dict):
            continue
        name = f"{prefix}{key}"
        if set(value) == {"value", "unit"}:
            yield name, value
        else:
            yield from _flatten(value, f"{name}.")


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
