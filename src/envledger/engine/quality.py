"""Data-quality mix and 95 % uncertainty (IPCC Approach 1) of every figure.

Two steps on the connection of one year's computation (after the totals):
:func:`source_quantities` splits each facility's canonical quantities by
``data_source`` with the absolute activity-data uncertainty, and
:func:`figure_quality` turns them and the emission lines into, per facility, group
and company, the share of each figure resting on measured, invoiced and estimated
data and its relative 95 % uncertainty [%]. Both run on aggregated rows (a few per
facility and activity), never on the records.

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


def source_quantities(con: duckdb.DuckDBPyConnection, year: int) -> duckdb.DuckDBPyRelation:
    """Canonical quantity and activity-data uncertainty per facility, activity, variant,
    record gas and data source in ``year`` (in-boundary facilities).

    ``quantity`` [canonical unit]; ``u_quantity`` [% x canonical unit] = sum over
    records of U_A x quantity, U_A the record's ``uncertainty_pct`` or else the
    default of its data_source (and activity, where the table has one); null when no
    default applies. A record without a data_source counts as ``unstated``.

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
        SELECT q.facility_code, q.activity, q.variant, q.gas, q.data_source,
               SUM(q.quantity) AS quantity,
               SUM(q.override_u_quantity
                   + d.uncertainty_pct * (q.quantity - q.override_quantity)) AS u_quantity
        FROM q
        LEFT JOIN ({defaults}) d ON d.activity = q.activity AND d.data_source = q.data_source
        GROUP BY q.facility_code, q.activity, q.variant, q.gas, q.data_source
        """
    )


def quality_parts(
    con: duckdb.DuckDBPyConnection, sources: str = "source_quantities", lines: str = "lines"
) -> duckdb.DuckDBPyRelation:
    """Each facility's contributions to its figures: ``facility_code, measure,
    data_source, error, amount`` [unit of the measure], ``abs_u`` [unit of the measure].

    ``amount`` is the part of the figure resting on ``data_source``; ``abs_u`` the 95 %
    half-width it contributes to ``error`` (``a|facility|activity|variant|gas`` for
    activity data, ``f|factor_id`` for a factor; factor rows carry no amount).
    Emissions are split between data sources in proportion to the quantity;
    energy coefficients (GB/T 2589-2020) and GWPs are taken as exact.
    """
    error = "'a|' || s.facility_code || '|' || s.activity || '|' || s.variant || '|' || s.gas"
    return con.sql(
        f"""
        WITH totals AS (
            SELECT facility_code, activity, variant, gas, SUM(quantity) AS quantity
            FROM {sources} GROUP BY facility_code, activity, variant, gas
        ),
        line_sources AS (
            SELECT l.facility_code, l.scope, l.t_co2e, s.data_source, {error} AS error,
                   CASE WHEN t.quantity <> 0 THEN s.quantity / t.quantity ELSE 0.0 END
                       AS share,
                   CASE WHEN t.quantity <> 0 THEN s.u_quantity / t.quantity ELSE 0.0 END
                       AS u_share
            FROM {lines} l
            JOIN {sources} s
              ON s.facility_code = l.facility_code AND s.activity = l.activity
             AND s.variant = l.variant
             AND s.gas = CASE WHEN l.factor_id IS NOT NULL THEN ''
                              WHEN l.blend <> '' THEN l.blend ELSE l.gas END
            JOIN totals t
              ON t.facility_code = s.facility_code AND t.activity = s.activity
             AND t.variant = s.variant AND t.gas = s.gas
        ),
        scope_measures (scope, measure) AS (VALUES {_SCOPE_MEASURES}),
        resource_measures (activity, measure) AS (VALUES {_RESOURCE_MEASURES})
        SELECT x.facility_code, m.measure, x.data_source, x.error,
               x.t_co2e * x.share AS amount, x.t_co2e * x.u_share / 100.0 AS abs_u
        FROM line_sources x JOIN scope_measures m ON m.scope = x.scope
        UNION ALL
        SELECT l.facility_code, m.measure, NULL, 'f|' || l.factor_id, 0.0,
               l.t_co2e * d.uncertainty_pct / 100.0
        FROM {lines} l
        JOIN scope_measures m ON m.scope = l.scope
        LEFT JOIN ({factor_defaults(lines)}) d ON d.factor_id = l.factor_id
        WHERE l.factor_id IS NOT NULL
        UNION ALL
        SELECT s.facility_code, m.measure, s.data_source, {error},
               s.quantity * m.coefficient, s.u_quantity * m.coefficient / 100.0
        FROM {sources} s
        JOIN (
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
        ) m ON m.activity = s.activity
        """
    )


def figure_quality(
    con: duckdb.DuckDBPyConnection, parts: str = "quality_parts",
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
    activity has no row.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, Equations 3.1 and 3.2 (Approach 1) and
    3.2.3.1 (correlation); GHG Protocol Corporate Standard (2004), ch. 7.
    """
    shares = ",\n".join(
        f"CASE WHEN value <> 0 THEN 100.0 * {s} / value END AS {s}_pct" for s in MIX_SOURCES
    )
    sums = ",\n".join(
        f"SUM(CASE WHEN data_source = '{s}' THEN amount ELSE 0.0 END) AS {s}"
        for s in MIX_SOURCES
    )
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
        joined AS (
            SELECT m.level, m.name, p.measure, p.data_source, p.error, p.amount, p.abs_u
            FROM {parts} p JOIN members m ON m.facility_code = p.facility_code
        ),
        mix AS (
            SELECT level, name, measure, SUM(amount) AS value, {sums}
            FROM joined GROUP BY level, name, measure
        ),
        errors AS (
            SELECT level, name, measure, SUM(abs_u) AS half_width,
                   COUNT(abs_u) = COUNT(*) AS known
            FROM joined GROUP BY level, name, measure, error
        ),
        combined AS (
            SELECT level, name, measure, SQRT(SUM(half_width * half_width)) AS half_width,
                   BOOL_AND(known) AS known
            FROM errors GROUP BY level, name, measure
        )
        SELECT x.level, x.name, x.measure, x.value, {shares},
               CASE WHEN x.value <> 0 AND c.known
                    THEN 100.0 * c.half_width / ABS(x.value) END AS uncertainty_pct
        FROM mix x JOIN combined c
          ON c.level = x.level AND c.name = x.name AND c.measure = x.measure
        ORDER BY x.level, x.name, x.measure
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
    "quality_parts",
    "source_quantities",
]
