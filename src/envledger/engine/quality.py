"""Data-quality mix and 95 % uncertainty (IPCC Approach 1) of every figure.

Three steps on the connection of one year's computation (after the totals):
:func:`source_quantities` splits each facility's canonical quantities by
``data_source`` with the absolute activity-data uncertainty, :func:`quality_terms`
turns them and the emission lines into each facility's error terms per figure, and
:func:`figure_quality` rolls these up per facility, group and company into the share
of each figure resting on measured, invoiced and estimated data and its relative
95 % uncertainty [%]. All run on aggregated rows (a few per facility and activity),
never on the records.

How the terms combine (docs/data-quality.md, "Uncertainty"):

- a line's emissions E = A x F: U_E^2 = U_A^2 + U_F^2 (IPCC Eq. 3.1), with the GWP
  taken as exact (fixed for the inventory);
- activity data of one facility, activity and variant are one error (the same
  meter or supply contract across months, and the same quantity behind CO2, CH4 and
  N2O): their absolute uncertainties U_A x E add linearly;
- one emission factor is one error wherever it is used (IPCC 2006 Vol. 1 3.2.3.1: a
  factor applied at every site is fully correlated): its absolute uncertainties
  U_F x E add linearly over facilities;
- these independent errors combine in quadrature (IPCC Eq. 3.2):
  U_T = sqrt(sum over errors of (sum of U x E)^2) / |T|.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

#: Figures that carry a data-quality mix and an uncertainty.
QUALITY_MEASURES: tuple[str, ...] = (
    "scope1_t", "scope2_location_t", "total_t", "direct_mwh", "indirect_mwh",
    "total_mwh", "tce", "water_running_t", "water_reclaimed_t", "water_total_t",
    "waste_hazardous_t", "waste_non_hazardous_t",
)
#: Data sources of the mix; ``unstated`` = a record without a data_source.
MIX_SOURCES: tuple[str, ...] = ("measured", "invoice", "estimated", "unstated")

# (activity or scope, measure): which figures a quantity or an emission line adds to
_SCOPE_MEASURES = "(1, 'scope1_t'), (1, 'total_t'), (2, 'scope2_location_t'), (2, 'total_t')"
_RESOURCE_MEASURES = (
    "('water_running', 'water_running_t'), ('water_running', 'water_total_t'),"
    " ('water_reclaimed', 'water_reclaimed_t'), ('water_reclaimed', 'water_total_t'),"
    " ('waste_hazardous', 'waste_hazardous_t'),"
    " ('waste_non_hazardous', 'waste_non_hazardous_t')"
)


def _ranked_default(candidates: str, keys: str) -> str:
    """SQL: the most specific ``uncertainty_pct`` per ``keys`` among ``candidates``
    (rows carrying ``specificity``)."""
    return f"""
        SELECT {keys}, uncertainty_pct FROM (
            SELECT c.*, ROW_NUMBER() OVER (
                PARTITION BY {keys} ORDER BY specificity DESC) AS choice
            FROM ({candidates}) c
        ) ranked WHERE choice = 1
    """


def activity_defaults(pairs: str) -> str:
    """SQL: ``activity, data_source, uncertainty_pct`` [%], the default activity-data
    uncertainty of each (activity, data_source) pair of the relation ``pairs`` (a null
    data_source is ``unstated``); the activity's own row before the generic one."""
    return _ranked_default(
        f"""
        SELECT p.activity, p.data_source, d.uncertainty_pct,
               CASE WHEN d.activity = '' THEN 0 ELSE 1 END AS specificity
        FROM (SELECT DISTINCT activity, COALESCE(data_source, 'unstated') AS data_source
              FROM {pairs}) p
        JOIN uncertainty_defaults d
          ON d.subject = 'activity_data' AND d.key = p.data_source
         AND d.activity IN (p.activity, '')
        """,
        "activity, data_source",
    )


def factor_defaults(lines: str) -> str:
    """SQL: ``factor_id, uncertainty_pct`` [%], the default uncertainty of each factor of
    ``lines``; the most specific row wins: tier, then activity, then gas."""
    return _ranked_default(
        f"""
        SELECT f.factor_id, d.uncertainty_pct,
               CASE WHEN d.key = '' THEN 0 ELSE 4 END
               + CASE WHEN d.activity = '' THEN 0 ELSE 2 END
               + CASE WHEN d.gas = '' THEN 0 ELSE 1 END AS specificity
        FROM (SELECT DISTINCT factor_id, factor_tier, activity, gas FROM {lines}
              WHERE factor_id IS NOT NULL) f
        JOIN uncertainty_defaults d
          ON d.subject = 'factor' AND d.key IN (f.factor_tier, '')
         AND d.activity IN (f.activity, '') AND d.gas IN (f.gas, '')
        """,
        "factor_id",
    )


def _by_source(source: str, amount: str) -> str:
    """SQL: ``SUM(amount)`` per data source of :data:`MIX_SOURCES`, as columns."""
    return ", ".join(
        f"SUM(CASE WHEN {source} = '{s}' THEN {amount} ELSE 0.0 END) AS {s}"
        for s in MIX_SOURCES
    )


def source_quantities(con: duckdb.DuckDBPyConnection, year: int) -> duckdb.DuckDBPyRelation:
    """Canonical quantity by data source and activity-data uncertainty per facility,
    activity, variant and record gas in ``year`` (in-boundary facilities).

    ``quantity`` and one column per :data:`MIX_SOURCES` [canonical unit];
    ``u_quantity`` [% x canonical unit] = sum over records of U_A x quantity, U_A the
    record's ``uncertainty_pct`` or else the default of its data_source (and activity,
    where the table has one); null when no default applies. A record without a
    data_source counts as ``unstated``.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, 3.2.2 (activity-data uncertainty) and 3.2.3.1.
    """
    defaults = activity_defaults("boundary_quantities")
    return con.sql(
        f"""
        WITH q AS (
            SELECT q.facility_code, q.activity, q.variant, q.gas,
                   COALESCE(q.data_source, 'unstated') AS data_source,
                   q.quantity * u.to_canonical AS quantity,
                   COALESCE(q.override_quantity, 0.0) * u.to_canonical AS override_quantity,
                   COALESCE(q.override_u_quantity, 0.0) * u.to_canonical
                       AS override_u_quantity
            FROM boundary_quantities q
            JOIN unit_conversions u ON u.activity = q.activity AND u.unit = q.unit
            WHERE q.year = {year}
        )
        SELECT q.facility_code, q.activity, q.variant, q.gas,
               SUM(q.quantity) AS quantity, {_by_source("q.data_source", "q.quantity")},
               SUM(q.override_u_quantity
                   + d.uncertainty_pct * (q.quantity - q.override_quantity)) AS u_quantity
        FROM q
        LEFT JOIN ({defaults}) d ON d.activity = q.activity AND d.data_source = q.data_source
        GROUP BY q.facility_code, q.activity, q.variant, q.gas
        """
    )


def quality_terms(
    con: duckdb.DuckDBPyConnection, sources: str = "source_quantities", lines: str = "lines"
) -> duckdb.DuckDBPyRelation:
    """Each facility's error terms per figure: ``facility_code, measure, activity,
    variant, gas, factor_id, value`` [unit of the measure], one column per
    :data:`MIX_SOURCES` [unit of the measure] and ``half_width`` [unit of the measure].

    An activity-data term (``factor_id`` null) is the error of one facility, activity,
    variant and record gas: ``value`` is its part of the figure, split by data source,
    and ``half_width`` = U_A x value / 100 (the CO2, CH4 and N2O of one fuel share it).
    A factor term (``factor_id`` set, value 0) is the half-width U_F x E / 100 of the
    facility's emissions E on that factor. Emissions are split between data sources in
    proportion to the quantity; energy coefficients (GB/T 2589-2020) and GWPs are
    taken as exact.
    """
    ratios = ", ".join(
        f"CASE WHEN s.quantity <> 0 THEN e.t_co2e * s.{m} / s.quantity ELSE 0.0 END AS {m}"
        for m in MIX_SOURCES
    )
    zeros = ", ".join(f"0.0 AS {m}" for m in MIX_SOURCES)
    scaled = ", ".join(f"s.{m} * k.coefficient AS {m}" for m in MIX_SOURCES)
    return con.sql(
        f"""
        WITH scope_measures (scope, measure) AS (VALUES {_SCOPE_MEASURES}),
        resource_measures (activity, measure) AS (VALUES {_RESOURCE_MEASURES}),
        line_emissions AS (
            -- the gas column of the records behind a line: '' for a factor line, the
            -- blend or the gas for a refrigerant
            SELECT facility_code, scope, activity, variant, record_gas AS gas,
                   SUM(t_co2e) AS t_co2e
            FROM (SELECT *, CASE WHEN factor_id IS NOT NULL THEN ''
                                 WHEN blend <> '' THEN blend ELSE gas END AS record_gas
                  FROM {lines}) l
            GROUP BY facility_code, scope, activity, variant, record_gas
        ),
        emission_terms AS (
            SELECT e.facility_code, e.scope, e.activity, e.variant, e.gas,
                   e.t_co2e AS value, {ratios},
                   CASE WHEN s.quantity <> 0 THEN e.t_co2e * s.u_quantity / s.quantity
                        ELSE 0.0 END / 100.0 AS half_width
            FROM line_emissions e
            JOIN {sources} s
              ON s.facility_code = e.facility_code AND s.activity = e.activity
             AND s.variant = e.variant AND s.gas = e.gas
        ),
        factor_terms AS (
            SELECT l.facility_code, l.scope, l.factor_id,
                   SUM(l.t_co2e) * MIN(d.uncertainty_pct) / 100.0 AS half_width,
                   COUNT(d.uncertainty_pct) = COUNT(*) AS known
            FROM {lines} l
            LEFT JOIN ({factor_defaults(lines)}) d ON d.factor_id = l.factor_id
            WHERE l.factor_id IS NOT NULL
            GROUP BY l.facility_code, l.scope, l.factor_id
        ),
        coefficients AS (
            SELECT k.activity,
                   CASE WHEN k.energy_class = 'direct' THEN 'direct_mwh'
                        ELSE 'indirect_mwh' END AS measure,
                   e.mwh_per_canonical AS coefficient
            FROM catalog k JOIN energy_coefficients e ON e.activity = k.activity
            WHERE k.energy_class IN ('direct', 'indirect')
            UNION ALL
            SELECT k.activity, 'total_mwh', e.mwh_per_canonical
            FROM catalog k JOIN energy_coefficients e ON e.activity = k.activity
            WHERE k.energy_class IN ('direct', 'indirect')
            UNION ALL
            SELECT k.activity, 'tce', e.kgce_per_canonical / 1000.0
            FROM catalog k JOIN energy_coefficients e ON e.activity = k.activity
            WHERE k.energy_class IN ('direct', 'indirect')
            UNION ALL
            SELECT activity, measure, 1.0 FROM resource_measures
        )
        SELECT t.facility_code, m.measure, t.activity, t.variant, t.gas,
               CAST(NULL AS VARCHAR) AS factor_id, t.value,
               {", ".join(f"t.{x}" for x in MIX_SOURCES)}, t.half_width
        FROM emission_terms t JOIN scope_measures m ON m.scope = t.scope
        UNION ALL
        SELECT f.facility_code, m.measure, NULL, NULL, NULL, f.factor_id, 0.0, {zeros},
               CASE WHEN f.known THEN f.half_width END
        FROM factor_terms f JOIN scope_measures m ON m.scope = f.scope
        UNION ALL
        SELECT s.facility_code, k.measure, s.activity, s.variant, s.gas, NULL,
               s.quantity * k.coefficient, {scaled},
               s.u_quantity * k.coefficient / 100.0
        FROM {sources} s JOIN coefficients k ON k.activity = s.activity
        """
    )


def figure_quality(
    con: duckdb.DuckDBPyConnection, terms: str = "quality_terms",
    facilities: str = "facility_totals",
) -> duckdb.DuckDBPyRelation:
    """Data-quality mix and uncertainty of each figure of each facility, group and company.

    Returns ``level`` (facility | group | company), ``name`` (facility code, group
    name, '' for the company), ``measure`` (a :data:`QUALITY_MEASURES` column),
    ``value`` [unit of the measure], ``<source>_pct`` [%] for each of
    :data:`MIX_SOURCES` (share of the figure resting on that data source; by emissions
    for GHG, by quantity for energy, water and waste) and ``uncertainty_pct`` [%], the
    relative 95 % uncertainty. Shares and uncertainty are null when the figure is
    zero, the uncertainty also when a term has no default. A figure without any
    activity has no row. An activity-data error belongs to one facility, so its
    square is taken per facility and the squares summed over members; a factor's
    half-widths are summed over the members first, then squared.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, Equations 3.1 and 3.2 (Approach 1) and
    3.2.3.1 (correlation); GHG Protocol Corporate Standard (2004), ch. 7.
    """
    shares = ",\n".join(
        f"CASE WHEN a.value <> 0 THEN 100.0 * a.{s} / a.value END AS {s}_pct"
        for s in MIX_SOURCES
    )
    summed = ", ".join(f"SUM({s}) AS {s}" for s in MIX_SOURCES)
    return con.sql(
        f"""
        WITH members AS (
            SELECT 'facility' AS level, facility_code AS name, facility_code
            FROM {facilities}
            UNION ALL
            SELECT DISTINCT 'group', m.group_name, m.facility_code
            FROM group_members m JOIN {facilities} f ON f.facility_code = m.facility_code
            UNION ALL
            SELECT 'company', '', facility_code FROM {facilities}
        ),
        facility_activity AS (
            SELECT facility_code, measure, SUM(value) AS value, {summed},
                   SUM(half_width * half_width) AS squares,
                   COUNT(half_width) = COUNT(*) AS known
            FROM {terms} WHERE factor_id IS NULL
            GROUP BY facility_code, measure
        ),
        level_activity AS (
            SELECT m.level, m.name, f.measure, SUM(f.value) AS value, {summed},
                   SUM(f.squares) AS squares, BOOL_AND(f.known) AS known
            FROM facility_activity f JOIN members m ON m.facility_code = f.facility_code
            GROUP BY m.level, m.name, f.measure
        ),
        level_factors AS (
            SELECT level, name, measure, SUM(half_width * half_width) AS squares,
                   COUNT(half_width) = COUNT(*) AS known
            FROM (
                SELECT m.level, m.name, t.measure, t.factor_id,
                       CASE WHEN COUNT(t.half_width) = COUNT(*) THEN SUM(t.half_width) END
                           AS half_width
                FROM {terms} t JOIN members m ON m.facility_code = t.facility_code
                WHERE t.factor_id IS NOT NULL
                GROUP BY m.level, m.name, t.measure, t.factor_id
            ) per_factor
            GROUP BY level, name, measure
        )
        SELECT a.level, a.name, a.measure, a.value, {shares},
               CASE WHEN a.value <> 0 AND a.known AND COALESCE(f.known, TRUE)
                    THEN 100.0 * SQRT(a.squares + COALESCE(f.squares, 0.0)) / ABS(a.value)
               END AS uncertainty_pct
        FROM level_activity a
        LEFT JOIN level_factors f
          ON f.level = a.level AND f.name = a.name AND f.measure = a.measure
        ORDER BY a.level, a.name, a.measure
        """
    )


def quality_lookup(quality: pa.Table) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The rows of an inventory's ``quality`` table by (level, name, measure)."""
    if quality.num_rows == 0:
        return {}
    return {(r["level"], r["name"], r["measure"]): r for r in quality.to_pylist()}


def add_quality(
    measures: dict[str, Any], paths: dict[str, tuple[str, ...]],
    lookup: dict[tuple[str, str, str], dict[str, Any]], level: str, name: str,
) -> dict[str, Any]:
    """Give each figure of a contract ``measures`` object its ``uncertainty`` and
    ``data_quality`` (docs/json-contract.md); values null when the figure has no data."""
    for measure in QUALITY_MEASURES:
        node = measures
        for key in paths[measure]:
            node = node[key]
        row = lookup.get((level, name, measure), {})
        node["uncertainty"] = {"value": row.get("uncertainty_pct"), "unit": "%"}
        node["data_quality"] = {
            source: {"value": row.get(f"{source}_pct"), "unit": "%"}
            for source in MIX_SOURCES
        }
    return measures


__all__ = [
    "MIX_SOURCES",
    "QUALITY_MEASURES",
    "activity_defaults",
    "add_quality",
    "factor_defaults",
    "figure_quality",
    "quality_lookup",
    "quality_terms",
    "source_quantities",
]
