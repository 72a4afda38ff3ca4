"""Gas emissions and their CO2 equivalents, per facility, activity, variant and gas."""

from __future__ import annotations

import duckdb

from envledger.engine.sql import gas_group, literal
from envledger.errors import MissingFactorError, NotFoundError

_MASS_BALANCE = (
    "mass recharged = mass emitted (simplified material balance, GHG Protocol /"
    " US EPA refrigerant guidance)"
)

def gas_emissions(
    con: duckdb.DuckDBPyConnection,
    canonical: str = "canonical",
    resolved: str = "resolved",
) -> duckdb.DuckDBPyRelation:
    """Mass of each gas emitted [kg], one row per facility, activity, variant, gas, factor.

    Factor method: ``gas_kg`` [kg] = quantity [canonical unit] x kg_per_canonical
    [kg/canonical unit]. Gas-mass method (refrigerant, fire suppressant): the quantity
    [kg] is the emitted mass of the named gas; a blend is split into its components,
    ``gas_kg`` [kg] = quantity [kg] x mass_fraction [kg/kg], recorded with ``blend`` set.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 2 ch. 2 (Eq. 2.1: emissions = fuel x factor) and Vol. 5
    ch. 6 (wastewater CH4); GHG Protocol / US EPA, Direct HFC and PFC Emissions from
    Refrigeration and Air Conditioning (simplified material balance); blend mass
    fractions per ASHRAE 34.
    """
    blend_citation = (
        "b.citation"
        if "citation" in con.table("blends").columns
        else "'blend composition by mass (ASHRAE 34)'"
    )
    return con.sql(
        f"""
        SELECT c.facility_code, k.scope, k.source, c.activity, c.variant, r.gas,
               '' AS blend, c.quantity, k.canonical_unit, c.record_count,
               r.factor_id, r.series AS factor_series, r.tier AS factor_tier,
               r.value AS factor_value, r.unit AS factor_unit,
               r.citation AS factor_citation, r.confidence AS factor_confidence,
               r.data_year AS factor_data_year, r.data_year_note, r.kg_per_canonical,
               r.conversion_note, c.quantity * r.kg_per_canonical AS gas_kg
        FROM {canonical} c
        JOIN catalog k ON k.activity = c.activity
        JOIN {resolved} r
          ON r.facility_code = c.facility_code AND r.activity = c.activity
         AND r.variant = c.variant
        WHERE k.emission_method = 'factor'
        UNION ALL
        SELECT c.facility_code, k.scope, k.source, c.activity, c.variant,
               COALESCE(b.component, c.gas) AS gas,
               CASE WHEN b.component IS NULL THEN '' ELSE c.gas END AS blend,
               c.quantity, k.canonical_unit, c.record_count,
               CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR), CAST(NULL AS VARCHAR),
               COALESCE(b.mass_fraction, 1.0), 'kg/kg',
               CASE WHEN b.component IS NULL THEN {literal(_MASS_BALANCE)}
                    ELSE {blend_citation} END,
               CAST(NULL AS VARCHAR), CAST(NULL AS INTEGER), '',
               COALESCE(b.mass_fraction, 1.0),
               CASE WHEN b.component IS NULL THEN ''
                    ELSE c.gas || ': ' || CAST(b.mass_fraction AS VARCHAR)
                         || ' kg ' || b.component || ' per kg' END,
               c.quantity * COALESCE(b.mass_fraction, 1.0)
        FROM {canonical} c
        JOIN catalog k ON k.activity = c.activity
        LEFT JOIN blends b ON b.blend = c.gas
        WHERE k.emission_method = 'gas_mass'
        """
    )


def check_gwp(
    con: duckdb.DuckDBPyConnection, gwp_set: str, gas_lines: str = "gas_lines"
) -> None:
    """Refuse an unknown GWP set and gases the set has no GWP for.

    Raises
    ------
    NotFoundError
        When ``gwp`` holds no row of ``gwp_set``.
    MissingFactorError
        Naming each gas without a GWP, with the activities and facilities using it.
    """
    sets = [row[0] for row in con.sql("SELECT DISTINCT gwp_set FROM gwp ORDER BY 1").fetchall()]
    if gwp_set not in sets:
        raise NotFoundError(f"GWP set '{gwp_set}' is not in the GWP table (available: {sets})")
    missing = con.sql(
        f"""
        SELECT e.gas, MIN(e.activity), COUNT(DISTINCT e.facility_code),
               MIN(e.facility_code)
        FROM {gas_lines} e
        LEFT JOIN gwp g ON g.gas = e.gas AND g.gwp_set = {literal(gwp_set)}
        WHERE g.value IS NULL
        GROUP BY e.gas ORDER BY e.gas
        """
    ).fetchall()
    if missing:
        lines = [
            f"  - gas '{g}' (activity '{a}', {n} facilities, e.g. {f})"
            for g, a, n, f in missing
        ]
        raise MissingFactorError(
            f"no {gwp_set} global warming potential for:\n" + "\n".join(lines)
        )


def co2e(
    con: duckdb.DuckDBPyConnection, gwp_set: str, gas_lines: str = "gas_lines"
) -> duckdb.DuckDBPyRelation:
    """CO2 equivalent of each gas line: ``t_co2e`` [t CO2e] = gas_kg [kg] x GWP / 1000.

    The GWP [kg CO2e/kg] is the set's value of the gas, or where it depends on the gas's
    origin (AR6 methane: fossil 29.8, non-fossil 27.0) the value of the line's source
    from ``source_gwp``, with ``gwp_note`` saying which and why ('' otherwise). Call
    :func:`check_gwp` first (the join drops gases without a GWP).

    References
    ----------
    IPCC AR4/AR5/AR6 WG1, 100-year GWP tables (AR6 Table 7.15 for methane by origin);
    GHG Protocol, Global Warming Potential Values (2024); GHG Protocol Corporate
    Standard (2004), ch. 9; ISO 14064-1:2018, 6.4.
    """
    return con.sql(
        f"""
        SELECT e.facility_code, e.scope, e.source, e.activity, e.variant, e.gas, e.blend,
               {gas_group("e.gas")} AS gas_group,
               e.quantity, e.canonical_unit, e.record_count, e.factor_id, e.factor_series,
               e.factor_tier, e.factor_value, e.factor_unit, e.factor_citation,
               e.factor_confidence, e.factor_data_year, e.data_year_note,
               e.kg_per_canonical, e.conversion_note, e.gas_kg,
               g.gwp_set, COALESCE(s.value, g.value) AS gwp,
               COALESCE(s.note, '') AS gwp_note,
               e.gas_kg * COALESCE(s.value, g.value) / 1000.0 AS t_co2e
        FROM {gas_lines} e
        JOIN gwp g ON g.gas = e.gas AND g.gwp_set = {literal(gwp_set)}
        LEFT JOIN source_gwp s
          ON s.gwp_set = g.gwp_set AND s.gas = e.gas AND s.source = e.source
        """
    )
