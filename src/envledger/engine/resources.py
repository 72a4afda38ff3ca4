"""Energy (GB/T 2589-2020) in total and by carrier, water and waste quantities per facility."""

from __future__ import annotations

import duckdb

from envledger.errors import ReferenceDataError


def check_energy_coefficients(
    con: duckdb.DuckDBPyConnection, canonical: str = "canonical"
) -> None:
    """Refuse energy activities without an energy coefficient (never a silent zero).

    Raises
    ------
    ReferenceDataError
        Naming each direct or indirect energy activity missing from
        ``energy_coefficients``.
    """
    missing = [
        row[0]
        for row in con.sql(
            f"""
            SELECT DISTINCT c.activity
            FROM {canonical} c
            JOIN catalog k ON k.activity = c.activity
            LEFT JOIN energy_coefficients e ON e.activity = c.activity
            WHERE k.energy_class IN ('direct', 'indirect') AND e.activity IS NULL
            ORDER BY c.activity
            """
        ).fetchall()
    ]
    if missing:
        raise ReferenceDataError(f"no energy coefficient (MWh, kgce) for activities {missing}")


def energy(con: duckdb.DuckDBPyConnection, canonical: str = "canonical") -> duckdb.DuckDBPyRelation:
    """Direct and indirect energy [MWh] and standard coal equivalent [tce] per facility.

    ``direct_mwh`` [MWh] (fuels burned on site) and ``indirect_mwh`` [MWh] (purchased
    electricity and heat) = quantity [canonical unit] x mwh_per_canonical
    [MWh/canonical unit]; ``tce`` [tce] = quantity x kgce_per_canonical
    [kgce/canonical unit] / 1000. A class with no record is null (not reported);
    an explicit zero reading gives 0.

    References
    ----------
    GB/T 2589-2020, General principles for calculation of the comprehensive energy
    consumption, Appendix A (reference coefficients to standard coal).
    """
    return con.sql(
        f"""
        SELECT c.facility_code,
               SUM(CASE WHEN k.energy_class = 'direct'
                        THEN c.quantity * e.mwh_per_canonical END) AS direct_mwh,
               SUM(CASE WHEN k.energy_class = 'indirect'
                        THEN c.quantity * e.mwh_per_canonical END) AS indirect_mwh,
               SUM(c.quantity * e.kgce_per_canonical) / 1000.0 AS tce
        FROM {canonical} c
        JOIN catalog k ON k.activity = c.activity
        JOIN energy_coefficients e ON e.activity = c.activity
        WHERE k.energy_class IN ('direct', 'indirect')
        GROUP BY c.facility_code
        """
    )


def energy_by_carrier(
    con: duckdb.DuckDBPyConnection,
    canonical: str = "canonical",
    facilities: str = "facility_totals",
) -> duckdb.DuckDBPyRelation:
    """Energy [MWh] and standard coal equivalent [tce] per carrier, at every level.

    One row per ``level`` ('company', 'group', 'facility'), ``name`` (facility code or
    group name; '' for the company) and ``carrier`` that has energy data: ``mwh`` [MWh]
    = quantity [canonical unit] x mwh_per_canonical [MWh/canonical unit]; ``tce``
    [tce] = quantity x kgce_per_canonical [kgce/canonical unit] / 1000. A carrier with
    no data has no row (not reported), never a zero. Only facilities in
    ``facilities`` (the in-boundary ones) count; a group sums its members.

    References
    ----------
    HKEX ESG Reporting Code KPI A2.1 (direct and indirect energy consumption by type);
    GRI 302-1 (energy consumption within the organization); GB/T 2589-2020.
    """
    return con.sql(
        f"""
        WITH per_facility AS (
            SELECT c.facility_code, e.carrier,
                   SUM(c.quantity * e.mwh_per_canonical) AS mwh,
                   SUM(c.quantity * e.kgce_per_canonical) / 1000.0 AS tce
            FROM {canonical} c
            JOIN energy_coefficients e ON e.activity = c.activity
            JOIN {facilities} f ON f.facility_code = c.facility_code
            GROUP BY c.facility_code, e.carrier
        )
        SELECT 'company' AS level, '' AS name, carrier, SUM(mwh) AS mwh, SUM(tce) AS tce
        FROM per_facility GROUP BY carrier
        UNION ALL
        SELECT 'group', m.group_name, p.carrier, SUM(p.mwh), SUM(p.tce)
        FROM (SELECT DISTINCT group_name, facility_code FROM group_members) m
        JOIN per_facility p ON p.facility_code = m.facility_code
        GROUP BY m.group_name, p.carrier
        UNION ALL
        SELECT 'facility', facility_code, carrier, mwh, tce FROM per_facility
        ORDER BY level, name, carrier
        """
    )


def water_and_waste(
    con: duckdb.DuckDBPyConnection, canonical: str = "canonical"
) -> duckdb.DuckDBPyRelation:
    """Running and reclaimed water [t] and hazardous and non-hazardous waste [t] per facility.

    A kind with no record is null (not reported); an explicit zero reading gives 0.

    References
    ----------
    GRI 303-5 (water consumption) and 306-3 (waste generated); HKEX ESG Reporting
    Code KPIs A1.3, A1.4, A2.2.
    """
    return con.sql(
        f"""
        SELECT facility_code,
               SUM(CASE WHEN activity = 'water_running' THEN quantity END)
                   AS water_running_t,
               SUM(CASE WHEN activity = 'water_reclaimed' THEN quantity END)
                   AS water_reclaimed_t,
               SUM(CASE WHEN activity = 'waste_hazardous' THEN quantity END)
                   AS waste_hazardous_t,
               SUM(CASE WHEN activity = 'waste_non_hazardous' THEN quantity END)
                   AS waste_non_hazardous_t
        FROM {canonical}
        WHERE activity IN ('water_running', 'water_reclaimed', 'waste_hazardous',
                           'waste_non_hazardous')
        GROUP BY facility_code
        """
    )
