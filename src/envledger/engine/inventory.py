"""The inventory pipeline: activity records -> GHG, energy, water, waste and intensities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from envledger.engine.contract import inventory_to_dict
from envledger.engine.emissions import check_gwp, co2e, gas_emissions
from envledger.engine.inputs import InventoryInputs, connect
from envledger.engine.intensities import intensities
from envledger.engine.market import market_based_scope2
from envledger.engine.quality import figure_quality, quality_terms, source_quantities
from envledger.engine.quantities import (
    apply_boundary,
    check_facilities,
    check_periods,
    check_units,
    normalize_units,
    year_quantities,
)
from envledger.engine.resolution import check_factors, factors_not_used, resolve_factors
from envledger.engine.resources import (
    check_energy_coefficients,
    energy,
    energy_by_carrier,
    water_and_waste,
)
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
    year, gwp_set, series_priority, excluded_series
        The reporting year, the GWP set, the factor series priority and the factor
        series left out that were used.
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
    instrument_claims
        Each contractual instrument claimed for the year: ``applied_mwh`` and
        ``excluded_mwh`` [MWh], ``emission_rate_t_per_mwh`` [tCO2e/MWh] and the
        ``reason`` a volume was refused (Scope 2 Quality Criteria).
    quality
        Per ``level`` (facility, group, company), ``name`` and ``measure``: the
        figure's ``value``, the share [%] of it resting on measured, invoice,
        estimated and unstated data and its 95 % ``uncertainty_pct`` [%]
        (``engine.quality.figure_quality``).
    market_lines
        Market-based Scope 2 per facility, activity and ``basis`` (contractual_instruments,
        supplier_rate, residual_mix, grid_average): ``mwh`` [MWh], ``t_co2e`` [tCO2e].
    factors_not_used
        The company's own factors that matched a facility but lost under the hierarchy,
        with the factor used instead, the ``reason`` and a ``message`` (see
        :func:`envledger.engine.resolution.factors_not_used`).
    energy_by_carrier
        ``level`` (company, group, facility), ``name``, ``carrier``: ``mwh`` [MWh] and
        ``tce`` [tce]; only carriers with data (HKEX KPI A2.1, energy by type).
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
    excluded_series: tuple[str, ...] = ()
    instrument_claims: pa.Table = field(default_factory=lambda: pa.table({}))
    market_lines: pa.Table = field(default_factory=lambda: pa.table({}))
    factors_not_used: pa.Table = field(default_factory=lambda: pa.table({}))
    energy_by_carrier: pa.Table = field(default_factory=lambda: pa.table({}))
    quality: pa.Table = field(default_factory=lambda: pa.table({}))

    def to_dict(self) -> dict[str, Any]:
        """The public JSON contract ``envledger.inventory/1``; see :func:`inventory_to_dict`."""
        return inventory_to_dict(self)


#: Tables one year's computation creates on a connection (dropped before the next year).
_YEAR_TABLES = (
    "canonical", "resolved", "factors_not_used", "lines", "facility_totals", "group_totals",
    "source_quantities", "quality_terms",
)


def prepare_quantities(
    con: duckdb.DuckDBPyConnection, years: Sequence[int], records: str = "keyed_activities"
) -> None:
    """Check the records' periods and sum the quantities of ``years`` in one pass.

    Creates ``year_quantities`` and the table ``boundary_quantities`` (``year,
    facility_code, activity, variant, gas, unit, data_source, quantity, record_count,
    override_quantity, override_u_quantity``: the rows of
    facilities inside the boundary of their year); raises the error of
    :func:`check_periods`. The boundary is a per-facility filter, so it commutes with
    the sum over records: applying it to the aggregate spares a join over every record.
    """
    check_periods(con, records)
    year_quantities(con, years, records).create_view("year_quantities")
    con.execute("DROP TABLE IF EXISTS boundary_quantities")
    apply_boundary(con, None, "year_quantities").to_table("boundary_quantities")


def year_emission_lines(
    con: duckdb.DuckDBPyConnection, year: int, gwp_set: str,
    excluded_series: Sequence[str] = (),
) -> None:
    """Run the steps from the year's quantities to CO2e on ``con`` (after
    :func:`prepare_quantities`), leaving the relations each step produced.

    Creates ``quantities``, ``canonical``, ``resolved``, ``factors_not_used``,
    ``gas_lines`` and ``lines``;
    raises the errors of the ``check_*`` steps.
    """
    for name in _YEAR_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {name}")
    con.sql(
        f"""
        SELECT facility_code, activity, variant, gas, unit, quantity, record_count
        FROM boundary_quantities WHERE year = {year}
        """
    ).create_view("quantities")
    check_facilities(con)
    check_units(con)
    normalize_units(con).to_table("canonical")
    resolve_factors(con, year, excluded_series=excluded_series).to_table("resolved")
    check_factors(con, year)
    factors_not_used(con, year, excluded_series=excluded_series).to_table("factors_not_used")
    gas_emissions(con).create_view("gas_lines")
    check_gwp(con, gwp_set)
    co2e(con, gwp_set).order(
        "facility_code, activity, variant, gas, blend, factor_id"
    ).to_table("lines")


def emission_lines(
    con: duckdb.DuckDBPyConnection,
    year: int,
    gwp_set: str,
    records: str = "keyed_activities",
    excluded_series: Sequence[str] = (),
) -> None:
    """:func:`prepare_quantities` and :func:`year_emission_lines` for one year."""
    prepare_quantities(con, [year], records)
    year_emission_lines(con, year, gwp_set, excluded_series)


def _year_inventory(
    con: duckdb.DuckDBPyConnection, year: int, gwp_set: str, series_priority: list[str],
    excluded_series: Sequence[str], vintage_years_before: int = 1,
) -> Inventory:
    """The inventory of ``year`` on a connection prepared by :func:`prepare_quantities`."""
    year_emission_lines(con, year, gwp_set, excluded_series)
    check_energy_coefficients(con)
    market_based_scope2(con, year, gwp_set, vintage_years_before, excluded_series)
    aggregate(con).create_view("facility_emissions")
    energy(con).create_view("facility_energy")
    water_and_waste(con).create_view("facility_water_waste")
    facility_totals(con, year).to_table("facility_totals")
    group_totals(con).to_table("group_totals")
    source_quantities(con, year).to_table("source_quantities")
    quality_terms(con).to_table("quality_terms")
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
        excluded_series=tuple(excluded_series),
        instrument_claims=con.table("instrument_claims").to_arrow_table(),
        market_lines=con.table("market_lines").to_arrow_table(),
        factors_not_used=con.table("factors_not_used").to_arrow_table(),
        energy_by_carrier=energy_by_carrier(con).to_arrow_table(),
        quality=figure_quality(con).to_arrow_table(),
    )


def compute_inventory(
    inputs: InventoryInputs, year: int, gwp_set: str, series_priority: list[str],
    excluded_series: Sequence[str] = (), vintage_years_before: int = 1,
) -> Inventory:
    """Compute the GHG inventory, energy, water, waste and intensities of ``year``.

    Steps: allocate_to_year -> aggregate quantities -> apply_boundary -> normalize_units
    -> resolve_factors -> gas_emissions -> co2e -> aggregate -> energy ->
    water_and_waste -> totals -> intensities -> data-quality mix and uncertainty, all in
    SQL on one in-memory DuckDB connection over the Arrow inputs.

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
    excluded_series
        Factor series never used (``user`` = every user-imported factor).
    vintage_years_before
        Years before ``year`` a contractual instrument's vintage may be (market-based
        Scope 2; Scope 2 Quality Criterion 4).

    Raises
    ------
    InputError, UnitError, MissingFactorError, ReferenceDataError, NotFoundError
        Bad periods, unconvertible units, missing factors or GWPs, missing energy
        coefficients, unknown facilities or GWP set; nothing is ever silently zero.

    References
    ----------
    GHG Protocol Corporate Standard (2004); ISO 14064-1:2018; GB/T 2589-2020.
    """
    return compute_inventories(
        inputs, [year], gwp_set, series_priority, excluded_series, vintage_years_before
    )[year]


def compute_inventories(
    inputs: InventoryInputs, years: Sequence[int], gwp_set: str, series_priority: list[str],
    excluded_series: Sequence[str] = (), vintage_years_before: int = 1,
) -> dict[int, Inventory]:
    """The inventory of each of ``years``, as :func:`compute_inventory` computes it.

    Cheaper than one call per year: one connection, and one pass over the records sums
    the quantities of every year (a record crossing a year boundary is split between
    the years as in :func:`compute_inventory`); the later steps run on the aggregated
    rows, per year. Returns the inventories by year, in the order of ``years``.

    Raises
    ------
    InputError, UnitError, MissingFactorError, ReferenceDataError, NotFoundError
        As :func:`compute_inventory`, for the first year (in order) that has the problem.
    """
    years = list(dict.fromkeys(years))
    if not years:
        return {}
    with connect(inputs, series_priority) as con:
        prepare_quantities(con, years)
        return {
            year: _year_inventory(
                con, year, gwp_set, series_priority, excluded_series, vintage_years_before
            )
            for year in years
        }
