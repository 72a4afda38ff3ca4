"""Trace one facility's result lines back to its activity records, factors and GWPs."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from envledger.engine.inputs import InventoryInputs, connect
from envledger.engine.inventory import emission_lines
from envledger.engine.quality import activity_defaults, factor_defaults
from envledger.engine.quantities import allocate_to_year, apply_boundary
from envledger.engine.sql import literal, significant
from envledger.errors import NotFoundError


def _formula() -> str:
    """SQL text: the record's arithmetic, e.g. '1.2 MWh x 0.5703 t CO2/MWh x GWP 1 = ...'."""
    q = significant("x.quantity_canonical")
    t = significant("x.t_co2e")
    gwp = significant("x.gwp")
    value = significant("x.factor_value")
    kg = significant("x.kg_per_canonical")
    per = "x.gas || '/' || x.canonical_unit"
    return f"""
        {q} || ' ' || x.canonical_unit || ' x ' ||
        CASE WHEN x.factor_unit = 't/' || x.canonical_unit
             THEN {value} || ' t ' || {per} || ' x GWP ' || {gwp}
             ELSE {kg} || ' kg ' || {per} || ' x GWP ' || {gwp} || ' / 1000'
        END || ' = ' || {t} || ' tCO2e'
        || CASE WHEN x.factor_unit IN ('t/' || x.canonical_unit, 'kg/' || x.canonical_unit)
                THEN '' ELSE ' (factor ' || {value} || ' ' || x.factor_unit || ')' END
    """


def explain_facility(
    inputs: InventoryInputs,
    year: int,
    gwp_set: str,
    series_priority: list[str],
    facility_code: str,
    excluded_series: Sequence[str] = (),
) -> pa.Table:
    """Every activity record behind each result line of one facility, with the arithmetic.

    One row per (result line, contributing record): the line's ``activity, variant,
    gas, blend``; the record's ``record_id, period_start, period_end``,
    ``share_in_year`` [1], ``quantity`` [unit], ``unit``, ``to_canonical`` [canonical
    unit/unit], ``unit_note``, ``quantity_canonical`` [canonical unit] = quantity x
    share_in_year x to_canonical; the factor (``factor_id, factor_series,
    factor_tier, factor_value, factor_unit, factor_citation, factor_confidence,
    factor_data_year, data_year_note, kg_per_canonical`` [kg gas/canonical unit],
    ``conversion_note``, which names the IPCC NCV a per-TJ factor is applied with);
    ``energy_note`` (energy activities: the GB/T 2589-2020 NCV and coefficient behind
    the MWh and tce figures, '' otherwise); ``gas_kg`` [kg]; ``gwp_set, gwp`` and
    ``gwp_note`` (which AR6 methane value applied and why); the record's ``t_co2e``
    [tCO2e]; ``formula``, the arithmetic as text (figures rounded to 6 significant
    digits there only); and ``factors_not_used``, why the company's own factors for the
    line's activity and gas were not used ('' if none lost). The records' ``t_co2e``
    sum to the line's. Each row also carries the record's ``data_source`` ('unstated'
    if none) and the relative 95 % uncertainties [%] applied:
    ``activity_uncertainty_pct`` (the row's own, else its data source's default) and
    ``factor_uncertainty_pct`` (null for a measured gas mass). Factors are resolved as
    in :func:`compute_inventory`, ``excluded_series`` left out.

    Raises
    ------
    NotFoundError
        If ``facility_code`` is not a facility of ``inputs``.

    References
    ----------
    ISO 14064-3:2019 (verification: traceability of reported figures to data);
    ISO 14064-1:2018, 9.3 (GHG report content).
    """
    with connect(inputs, series_priority) as con:
        code = literal(facility_code)
        if not con.sql(f"SELECT 1 FROM facilities WHERE code = {code}").fetchall():
            raise NotFoundError(f"facility '{facility_code}' does not exist")
        con.sql(
            f"""
            SELECT r.* FROM keyed_activities r
            JOIN facility_code_labels l ON l.facility_code_key = r.facility_code_key
            WHERE l.facility_code = {code}
            """
        ).create_view("facility_records")
        emission_lines(
            con, year, gwp_set, records="facility_records", excluded_series=excluded_series
        )
        con.sql(f"SELECT * FROM activities WHERE facility_code = {code}").create_view(
            "facility_activities"
        )
        allocate_to_year(con, year, "facility_activities").create_view("allocated")
        apply_boundary(con, year, "allocated").create_view("in_boundary")
        return con.sql(
            f"""
            WITH x AS (
                SELECT l.facility_code, l.scope, l.source, l.activity, l.variant, l.gas,
                       l.blend, a.record_id, a.period_start, a.period_end, a.share_in_year,
                       a.quantity, a.unit, u.to_canonical, u.note AS unit_note,
                       a.quantity * a.share_in_year * u.to_canonical AS quantity_canonical,
                       l.canonical_unit, l.factor_id, l.factor_series, l.factor_tier,
                       l.factor_value, l.factor_unit, l.factor_citation,
                       l.factor_confidence, l.factor_data_year, l.data_year_note,
                       l.kg_per_canonical, l.conversion_note,
                       COALESCE(e.energy_note, '') AS energy_note,
                       a.quantity * a.share_in_year * u.to_canonical * l.kg_per_canonical
                           AS gas_kg,
                       l.gwp_set, l.gwp, l.gwp_note,
                       a.quantity * a.share_in_year * u.to_canonical * l.kg_per_canonical
                           * l.gwp / 1000.0 AS t_co2e,
                       COALESCE(a.data_source, 'unstated') AS data_source,
                       COALESCE(a.uncertainty_pct, ad.uncertainty_pct)
                           AS activity_uncertainty_pct,
                       fd.uncertainty_pct AS factor_uncertainty_pct
                FROM in_boundary a
                JOIN unit_conversions u ON u.activity = a.activity AND u.unit = a.unit
                LEFT JOIN ({activity_defaults("in_boundary")}) ad
                  ON ad.activity = a.activity
                 AND ad.data_source = COALESCE(a.data_source, 'unstated')
                JOIN lines l
                  ON l.facility_code = a.facility_code AND l.activity = a.activity
                 AND l.variant = a.variant
                 AND ((l.factor_id IS NOT NULL AND a.gas = '')
                      OR (l.blend = '' AND l.gas = a.gas) OR l.blend = a.gas)
                LEFT JOIN energy_coefficients e ON e.activity = a.activity
                LEFT JOIN ({factor_defaults("lines")}) fd ON fd.factor_id = l.factor_id
            )
            SELECT x.*, {_formula()} AS formula,
                   COALESCE(n.messages, '') AS factors_not_used
            FROM x
            LEFT JOIN (
                SELECT activity, variant, gas,
                       STRING_AGG(message, '; ' ORDER BY message) AS messages
                FROM factors_not_used GROUP BY activity, variant, gas
            ) n ON n.activity = x.activity AND n.variant = x.variant AND n.gas = x.gas
            ORDER BY x.activity, x.variant, x.gas, x.blend, x.record_id
            """
        ).to_arrow_table()
