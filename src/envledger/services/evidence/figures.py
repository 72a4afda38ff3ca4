"""Every figure a published inventory discloses, one row each, with how to re-perform it."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

_LINES = "calculation_lines.csv"
_ROWS = "activity_rows.csv"
_ENERGY = f"quantity_canonical of {_ROWS} x the activity's {{0}} in energy_coefficients.csv"

#: measure path -> how it is re-performed from the pack's files ({0}: the rows' subset)
MEASURE_RULES: dict[str, str] = {
    "emissions.scope1": f"sum t_co2e of {_LINES} where scope = 1{{0}}",
    "emissions.scope2_location": f"sum t_co2e of {_LINES} where scope = 2{{0}}",
    "emissions.scope2_market": "sum t_co2e of market_lines.csv{0}",
    "emissions.total": "emissions.scope1 + emissions.scope2_location",
    "energy.direct": "sum " + _ENERGY.format("mwh_per_canonical")
                     + " where energy_class = direct{0}",
    "energy.indirect": "sum " + _ENERGY.format("mwh_per_canonical")
                       + " where energy_class = indirect{0}",
    "energy.total": "energy.direct + energy.indirect",
    "energy.standard_coal": "sum " + _ENERGY.format("kgce_per_canonical") + " / 1000{0}",
    "water.running": f"sum quantity_canonical of {_ROWS} where activity = water_running{{0}}",
    "water.reclaimed":
        f"sum quantity_canonical of {_ROWS} where activity = water_reclaimed{{0}}",
    "water.total": "water.running + water.reclaimed",
    "waste.hazardous":
        f"sum quantity_canonical of {_ROWS} where activity = waste_hazardous{{0}}",
    "waste.non_hazardous":
        f"sum quantity_canonical of {_ROWS} where activity = waste_non_hazardous{{0}}",
    "floor_area": "sum floor_area_m2 of facility_years.csv where in_boundary{0}",
    "headcount": "sum headcount of facility_years.csv where in_boundary{0}",
}

SCHEMA = pa.schema([
    ("figure", pa.string()), ("value", pa.float64()), ("unit", pa.string()),
    ("re_perform", pa.string()),
])


def _measures(
    prefix: str, measures: dict[str, Any], subset: str
) -> list[tuple[str, float | None, str, str]]:
    rows = []
    for path, rule in MEASURE_RULES.items():
        node = measures
        for key in path.split("."):
            node = node[key]
        rows.append((f"{prefix}.{path}", node["value"], node["unit"], rule.format(subset)))
    return rows


def _sections(results: dict[str, Any]) -> list[tuple[str, float | None, str, str]]:
    rows = []
    for entry in results["by_scope"]:
        name = f"by_scope[{entry['scope']}{',' + entry['method'] if entry['method'] else ''}]"
        path = {None: "scope1", "location": "scope2_location", "market": "scope2_market"}
        rows.append((name, entry["emissions"]["value"], entry["emissions"]["unit"],
                     f"= company.emissions.{path[entry['method']]}"))
    for entry in results["by_iso_category"]:
        rule = {1: "= company.emissions.scope1", 2: "= company.emissions.scope2_location"}
        rows.append((f"iso_category[{entry['category']}]", entry["emissions"]["value"],
                     entry["emissions"]["unit"], rule.get(entry["category"], "not quantified")))
    for entry in results["by_source"]:
        rows.append((f"by_source[{entry['scope']},{entry['source']}]",
                     entry["emissions"]["value"], entry["emissions"]["unit"],
                     f"sum t_co2e of {_LINES} where scope = {entry['scope']}"
                     f" and source = {entry['source']}"))
    for entry in results["by_gas"]:
        for measure, column in (("mass", "gas_kg"), ("emissions", "t_co2e")):
            rows.append((f"by_gas[{entry['gas']}].{measure}", entry[measure]["value"],
                         entry[measure]["unit"],
                         f"sum {column} of {_LINES} where gas = {entry['gas']}"))
    for entry in results["scope2_market_basis"]:
        where = f"basis = {entry['basis']} and activity = {entry['activity']}" + (
            f" and factor_id = {entry['factor_id']}" if entry["factor_id"] else "")
        for measure, column in (("consumption", "mwh"), ("emissions", "t_co2e")):
            rows.append((f"scope2_market_basis[{entry['basis']},{entry['activity']},"
                         f"{entry['factor_id'] or ''}].{measure}", entry[measure]["value"],
                         entry[measure]["unit"],
                         f"sum {column} of market_lines.csv where {where}"))
    for entry in results["instruments"]["applied"]:
        rows.append((f"instrument[{entry['instrument_id']}].emissions",
                     entry["emissions"]["value"], entry["emissions"]["unit"],
                     "applied_mwh x emission_rate_t_per_mwh of instruments.csv"))
    for entry in results["intensities"]:
        rows.append((f"intensity[{entry['group']},{entry['indicator']}]",
                     entry["intensity"]["value"], entry["intensity"]["unit"],
                     f"group[{entry['group']}] numerator / denominator (formulas.json"
                     f" intensities.{entry['indicator']}); empty if the denominator is 0"))
    return rows


def disclosed_figures(results: dict[str, Any]) -> pa.Table:
    """Every figure of an ``envledger.inventory/1`` payload: ``figure`` (its path),
    ``value`` [unit] as published (unrounded), ``unit`` and ``re_perform`` (the rule
    over the pack's files that reproduces it)."""
    rows = _measures("company", results["company"], "")
    for facility in results["facilities"]:
        code = facility["code"]
        rows += _measures(f"facility[{code}]", facility, f" (facility_code = {code})")
    for group in results["groups"]:
        name = group["name"]
        rows += _measures(f"group[{name}]", group, " (facility_code in group_members.csv"
                          f" where group_name = {name})")
    rows += _sections(results)
    return pa.table(list(zip(*rows, strict=True)) if rows else [[], [], [], []], schema=SCHEMA)
