"""The inventory pipeline: activity records -> GHG, energy, water, waste and intensities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from envledger.engine.contract import inventory_to_dict
from envledger.engine.emissions import check_gwp, co2e, gas_emissions
from envledger.engine.inputs import InventoryInputs, connect
from envledger.engine.intensities import intensities
from envledger.engine.quantities import (
    aggregate_quantities,
    allocate_to_year,
    apply_boundary,
    check_facilities,
    check_periods,
    check_units,
    normalize_units,
)
from envledger.engine.resolution import check_factors, resolve_factors
from envledger.engine.resources import check_energy_coefficients, energy, water_and_waste
from envledger.engine.totals import (
    aggregate,
    by_gas,
    by_source,
    company_totals,
    facility_totals,
    group_totals,
)


@dataclass(frozen=True)
class Inventory:
    """A computed inventory: Arrow tables of unrounded figures and how they were made.

    Attributes
    ----------
    year, gwp_set, series_priority
        The reporting year, the GWP set and the factor series priority used.
    lines
        One row per facility x activity x variant x gas x factor (x blend): quantity
        [canonical unit], the factor and its provenance, ``kg_per_canonical`` [kg gas
        per canonical unit], ``gas_kg`` [kg], ``gwp`` [kg CO2e/kg], ``t_co2e`` [tCO2e].
        ``blend`` names the refrigerant blend a component came from ('' if none).
    facility_totals
        Per in-boundary facility: ``scope1_t, scope2_location_t, total_t`` [tCO2e],
        ``direct_mwh, indirect_mwh, total_mwh`` [MWh], ``tce`` [tce],
        ``water_running_t, water_reclaimed_t, water_total_t`` [t],
        ``waste_hazardous_t, waste_non_hazardous_t`` [t], ``floor_area_m2`` [m2],
        ``headcount`` [person].
    by_source
        Company ``t_co2e`` [tCO2e] per ``scope`` and ``source``.
    by_gas
        Company ``gas_kg`` [kg] and ``t_co2e`` [tCO2e] per ``gas`` with ``gas_group``.
    group_totals
        The facility_totals columns summed per ``group_name``.
    company_totals
        One row: the facility_totals columns summed over the company.
    intensities
        ``group_name, indicator, value, unit`` (null value for a zero denominator).
    """

    year: int
    gwp_set: str
    series_priority: tuple[str, ...]
    lines: pa.Table
    facility_totals: pa.Table
    by_source: pa.Table
    by_gas: pa.Table
    group_totals: pa.Table
    company_totals: pa.Table
    intensities: pa.Table

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract ``envledger.inventory/1``; see :func:`inventory_to_dict`."""
        return inventory_to_dict(self)


def emission_lines(
    con: duckdb.DuckDBPyConnection, year: int, gwp_set: str, records: str = "activities"
) -> None:
    """Run the steps up to CO2e on ``con``, leaving the relations each step produced.

    Creates ``allocated``, ``in_boundary`` (records), ``year_quantities``,
    ``quantities``, ``canonical``, ``resolved``, ``gas_lines`` and ``lines``; raises
    the errors of the ``check_*`` steps.
    """
    check_periods(con, records)
    allocate_to_year(con, year, records).create_view("allocated")
    apply_boundary(con, year, "allocated").create_view("in_boundary")
    # The boundary is a per-facility filter, so it commutes with the sum over records:
    # applying it to the aggregate spares a join over every record.
    aggregate_quantities(con, "allocated").create_view("year_quantities")
    apply_boundary(con, year, "year_quantities").to_table("quantities")
    check_facilities(con)
    check_units(con)
    normalize_units(con).to_table("canonical")
    resolve_factors(con, year).to_table("resolved")
    check_factors(con, year)
    gas_emissions(con).create_view("gas_lines")
    check_gwp(con, gwp_set)
    co2e(con, gwp_set).order(
        "facility_code, activity, variant, gas, blend, factor_id"
    ).to_table("lines")


def compute_inventory(
    inputs: InventoryInputs, year: int, gwp_set: str, series_priority: list[str]
) -> Inventory:
    """Compute the GHG inventory, energy, water, waste and intensities of ``year``.

    Steps: allocate_to_year -> apply_boundary -> aggregate quantities -> normalize_units
    -> resolve_factors -> gas_emissions -> co2e -> aggregate -> energy ->
    water_and_waste -> totals -> intensities, all in SQL on one in-memory DuckDB
    connection over the Arrow inputs.

    Parameters
    ----------
    inputs
        The input tables.
    year
        Reporting (calendar) year.
    gwp_set
        GWP set of ``inputs.gwp`` to use, e.g. ``AR5``.
    series_priority
        Factor series preferred at equal tier, first to last (``user`` = any
        user-imported factor).

    Raises
    ------
    InputError, UnitError, MissingFactorError, ReferenceDataError, NotFoundError
        Bad periods, unconvertible units, missing factors or GWPs, missing energy
        coefficients, unknown facilities or GWP set; nothing is ever silently zero.

    References
    ----------
    GHG Protocol Corporate Standard (2004); ISO 14064-1:2018; GB/T 2589-2020.
    """
    with connect(inputs, series_priority) as con:
        emission_lines(con, year, gwp_set)
        check_energy_coefficients(con)
        aggregate(con).create_view("facility_emissions")
        energy(con).create_view("facility_energy")
        water_and_waste(con).create_view("facility_water_waste")
        facility_totals(con, year).to_table("facility_totals")
        group_totals(con).to_table("group_totals")
        return Inventory(
            year=year,
            gwp_set=gwp_set,
            series_priority=tuple(series_priority),
            lines=con.table("lines").to_arrow_table(),
            facility_totals=con.table("facility_totals").to_arrow_table(),
            by_source=by_source(con).to_arrow_table(),
            by_gas=by_gas(con).to_arrow_table(),
            group_totals=con.table("group_totals").to_arrow_table(),
            company_totals=company_totals(con).to_arrow_table(),
            intensities=intensities(con).to_arrow_table(),
        )
