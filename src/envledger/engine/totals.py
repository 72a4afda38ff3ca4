"""Inventory totals: per facility, per facility group, company, by source and by gas."""

from __future__ import annotations

import duckdb

#: Additive figures of every totals table, with their units.
MEASURES: dict[str, str] = {
    "scope1_t": "tCO2e",
    "scope2_location_t": "tCO2e",
    "scope2_market_t": "tCO2e",
    "total_t": "tCO2e",
    "direct_mwh": "MWh",
    "indirect_mwh": "MWh",
    "total_mwh": "MWh",
    "tce": "tce",
    "water_running_t": "t",
    "water_reclaimed_t": "t",
    "water_total_t": "t",
    "waste_hazardous_t": "t",
    "waste_non_hazardous_t": "t",
    "floor_area_m2": "m2",
    "headcount": "person",
}


def _sum_measures(prefix: str) -> str:
    # SQL SUM skips nulls and is null only when every part is: "not reported" stays so.
    return ",\n".join(f"SUM({prefix}{m}) AS {m}" for m in MEASURES)


def _plus(a: str, b: str) -> str:
    """SQL: a + b, where a missing part counts 0 unless both are missing (then null)."""
    return (
        f"CASE WHEN {a} IS NULL AND {b} IS NULL THEN NULL"
        f" ELSE COALESCE({a}, 0.0) + COALESCE({b}, 0.0) END"
    )


def aggregate(con: duckdb.DuckDBPyConnection, lines: str = "lines") -> duckdb.DuckDBPyRelation:
    """Scope 1 and location-based Scope 2 emissions [tCO2e] per facility (null for a
    scope with no line).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4 and 9; GHG Protocol Scope 2 Guidance
    (2015), ch. 4 (location-based method); ISO 14064-1:2018, categories 1 and 2.
    """
    return con.sql(
        f"""
        SELECT facility_code,
               SUM(CASE WHEN scope = 1 THEN t_co2e END) AS scope1_t,
               SUM(CASE WHEN scope = 2 THEN t_co2e END) AS scope2_location_t
        FROM {lines}
        GROUP BY facility_code
        """
    )


def facility_totals(
    con: duckdb.DuckDBPyConnection,
    year: int,
    emissions: str = "facility_emissions",
    energy: str = "facility_energy",
    water_waste: str = "facility_water_waste",
    market: str = "facility_market",
) -> duckdb.DuckDBPyRelation:
    """Every in-boundary facility of ``year`` with its totals (null where no activity).

    Emissions [tCO2e], energy [MWh] and [tce], water and waste [t], floor area [m2] and
    headcount [person] of the year; ``total_t`` = scope 1 + scope 2 (location-based);
    ``scope2_market_t`` [tCO2e] is market-based Scope 2 from ``market``. A figure with
    no record behind it is null ("not reported", never 0); a sum is null only when
    every part is.
    """
    return con.sql(
        f"""
        SELECT fy.facility_code,
               e.scope1_t, e.scope2_location_t, k.scope2_market_t,
               {_plus("e.scope1_t", "e.scope2_location_t")} AS total_t,
               n.direct_mwh, n.indirect_mwh,
               {_plus("n.direct_mwh", "n.indirect_mwh")} AS total_mwh,
               n.tce,
               w.water_running_t, w.water_reclaimed_t,
               {_plus("w.water_running_t", "w.water_reclaimed_t")} AS water_total_t,
               w.waste_hazardous_t, w.waste_non_hazardous_t,
               CAST(fy.floor_area_m2 AS DOUBLE) AS floor_area_m2,
               CAST(fy.headcount AS DOUBLE) AS headcount
        FROM facility_years fy
        LEFT JOIN {emissions} e ON e.facility_code = fy.facility_code
        LEFT JOIN {energy} n ON n.facility_code = fy.facility_code
        LEFT JOIN {water_waste} w ON w.facility_code = fy.facility_code
        LEFT JOIN {market} k ON k.facility_code = fy.facility_code
        WHERE fy.year = {year} AND fy.in_boundary
        ORDER BY fy.facility_code
        """
    )


def group_totals(
    con: duckdb.DuckDBPyConnection, facilities: str = "facility_totals"
) -> duckdb.DuckDBPyRelation:
    """Sum of the in-boundary member facilities' totals per group (null if none has data)."""
    return con.sql(
        f"""
        SELECT g.group_name, {_sum_measures("t.")}
        FROM (SELECT DISTINCT group_name FROM group_members) g
        LEFT JOIN (SELECT DISTINCT group_name, facility_code FROM group_members) m
          ON m.group_name = g.group_name
        LEFT JOIN {facilities} t ON t.facility_code = m.facility_code
        GROUP BY g.group_name
        ORDER BY g.group_name
        """
    )


def company_totals(
    con: duckdb.DuckDBPyConnection, facilities: str = "facility_totals"
) -> duckdb.DuckDBPyRelation:
    """One row: the sum of every in-boundary facility's totals (null if none has data)."""
    return con.sql(f"SELECT {_sum_measures('')} FROM {facilities}")


def by_source(con: duckdb.DuckDBPyConnection, lines: str = "lines") -> duckdb.DuckDBPyRelation:
    """Company emissions [tCO2e] per scope and emission source."""
    return con.sql(
        f"""
        SELECT scope, source, SUM(t_co2e) AS t_co2e
        FROM {lines} GROUP BY scope, source ORDER BY scope, source
        """
    )


def by_gas(con: duckdb.DuckDBPyConnection, lines: str = "lines") -> duckdb.DuckDBPyRelation:
    """Company emissions per gas: mass [kg] and CO2 equivalent [tCO2e], with the gas group."""
    return con.sql(
        f"""
        SELECT gas, gas_group, SUM(gas_kg) AS gas_kg, SUM(t_co2e) AS t_co2e
        FROM {lines} GROUP BY gas, gas_group ORDER BY gas_group, gas
        """
    )
