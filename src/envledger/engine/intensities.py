"""Intensity KPIs per facility group: energy, GHG, water and waste per m2 and per person."""

from __future__ import annotations

import duckdb

#: indicator -> (numerator column, denominator column, unit)
INDICATORS: dict[str, tuple[str, str, str]] = {
    "energy_per_floor_area": ("total_mwh", "floor_area_m2", "MWh/m2"),
    "energy_per_capita": ("total_mwh", "headcount", "MWh/person"),
    "ghg_per_floor_area": ("total_t", "floor_area_m2", "tCO2e/m2"),
    "ghg_per_capita": ("total_t", "headcount", "tCO2e/person"),
    "water_running_per_capita": ("water_running_t", "headcount", "t/person"),
    "waste_hazardous_per_capita": ("waste_hazardous_t", "headcount", "t/person"),
    "waste_non_hazardous_per_capita": ("waste_non_hazardous_t", "headcount", "t/person"),
}


def intensities(
    con: duckdb.DuckDBPyConnection, groups: str = "group_totals"
) -> duckdb.DuckDBPyRelation:
    """Each group's indicators: group total / group floor area [m2] or headcount [person].

    GHG is scope 1 + scope 2 (location-based) [tCO2e]; energy is direct + indirect
    [MWh]; a zero or missing denominator gives null, never infinity.

    References
    ----------
    GRI 302-3 (energy intensity), 305-4 (GHG emissions intensity); HKEX ESG Reporting
    Code KPIs A1.2, A1.3, A1.4, A2.1, A2.2.
    """
    return con.sql(
        " UNION ALL ".join(
            f"""
            SELECT group_name, '{name}' AS indicator,
                   {numerator} / NULLIF({denominator}, 0) AS value, '{unit}' AS unit
            FROM {groups}
            """
            for name, (numerator, denominator, unit) in INDICATORS.items()
        )
        + " ORDER BY group_name, indicator"
    )
