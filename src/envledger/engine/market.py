"""Market-based Scope 2: contractual instruments, Scope 2 Quality Criteria, the hierarchy.

Every step is SQL over the relations of the inventory connection (``canonical``,
``lines``, ``sites``, ``facility_years``, ``energy_coefficients``, ``instruments``,
``factors``, ``gwp``); the rules are those of ``methods.scope2_market``.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from envledger.engine.resolution import resolve_factors
from envledger.engine.sql import literal, significant
from envledger.methods.scope2_market import CERTIFICATES

#: (level, pooled, basis) of each allocation stage, in hierarchy order: facility-specific
#: instruments first, then company-wide ones pooled by market.
_STAGES = (
    (1, False, "contractual_instruments"),
    (1, True, "contractual_instruments"),
    (2, False, "supplier_rate"),
    (2, True, "supplier_rate"),
)


def market_based_scope2(
    con: duckdb.DuckDBPyConnection,
    year: int,
    gwp_set: str,
    vintage_years_before: int = 1,
    excluded_series: Sequence[str] = (),
) -> None:
    """Market-based Scope 2 [tCO2e] per facility for reporting ``year``.

    Creates ``market_lines`` (facility, activity, basis, factor, ``mwh`` [MWh],
    ``t_co2e`` [tCO2e]), ``facility_market`` (``scope2_market_t`` [tCO2e] per facility)
    and ``instrument_claims`` (each claim of ``year`` with ``applied_mwh`` and
    ``excluded_mwh`` [MWh] and the ``reason`` it was refused). Consumption [MWh] per
    facility and Scope 2 activity is covered in order by (1) certificates, PPAs and
    green tariffs, (2) supplier-specific rates - each first facility-specific, then
    company-wide instruments of the facility's market pro rata to the uncovered
    consumption - then the facility's own measured or supplier-tier factor (also a
    supplier-specific rate), then (3) the residual mix (``*_residual_mix`` series, resolved like
    location-based factors) and (4) the location-based grid average.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), ch. 6.4-6.11 (Table 6.3, market-based
    hierarchy) and ch. 7.1 (Table 7.1, Scope 2 Quality Criteria).
    """
    for name in con.sql(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        " AND (table_name LIKE 'market!_%' ESCAPE '!' OR table_name IN"
        " ('facility_market', 'instrument_claims'))"
    ).fetchall():
        con.execute(f"DROP TABLE {name[0]}")  # the previous year's, on a shared connection
    _demand(con).to_table("market_demand")
    _claims(con, year, vintage_years_before).to_table("market_claims")
    uncovered, applied, covered = "market_demand", [], []
    for number, (level, pooled, basis) in enumerate(_STAGES):
        _stage_members(con, uncovered, pooled).to_table(f"market_members_{number}")
        _stage_claims(con, number, level, pooled).to_table(f"market_applied_{number}")
        _stage_cover(con, number, basis).to_table(f"market_cover_{number}")
        _uncovered_after(con, uncovered, number).to_table(f"market_uncovered_{number}")
        uncovered = f"market_uncovered_{number}"
        applied.append(f"SELECT * FROM market_applied_{number}")
        covered.append(f"SELECT * FROM market_cover_{number}")
    con.sql(
        f"""
        SELECT facility_code, activity, '' AS variant FROM {uncovered} WHERE uncovered > 0
        """
    ).create_view("market_residual_demand")
    for candidates in ("own_rate", "residual_mix"):
        resolve_factors(
            con, year, "market_residual_demand", excluded_series, candidates
        ).to_table(f"market_{candidates}_factors")
    _residual_and_grid(con, uncovered, gwp_set).to_table("market_rest")
    con.sql(
        " UNION ALL ".join([*covered, "SELECT * FROM market_rest"])
        + " ORDER BY facility_code, activity, basis"
    ).to_table("market_lines")
    con.sql(
        """
        SELECT facility_code, SUM(t_co2e) AS scope2_market_t
        FROM market_lines GROUP BY facility_code
        """
    ).to_table("facility_market")
    _claim_results(con, " UNION ALL ".join(applied)).to_table("instrument_claims")


def _demand(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
    """Scope 2 consumption [MWh] and location-based emissions [tCO2e] per facility."""
    return con.sql(
        """
        WITH consumption AS (
            SELECT c.facility_code, c.activity,
                   SUM(c.quantity * e.mwh_per_canonical) AS mwh,
                   MAX(e.mwh_per_canonical) AS mwh_per_canonical
            FROM canonical c
            JOIN catalog k ON k.activity = c.activity AND k.scope = 2
            JOIN energy_coefficients e ON e.activity = c.activity
            GROUP BY c.facility_code, c.activity
        ),
        location AS (
            SELECT facility_code, activity, SUM(t_co2e) AS location_t
            FROM lines WHERE scope = 2 GROUP BY facility_code, activity
        )
        SELECT c.facility_code, c.activity, s.country AS market, c.mwh,
               c.mwh_per_canonical, COALESCE(l.location_t, 0.0) AS location_t,
               c.mwh AS uncovered
        FROM consumption c
        JOIN sites s ON s.code = c.facility_code
        LEFT JOIN location l ON l.facility_code = c.facility_code AND l.activity = c.activity
        """
    )


def _claims(
    con: duckdb.DuckDBPyConnection, year: int, years_before: int
) -> duckdb.DuckDBPyRelation:
    """The claims of ``year`` with their hierarchy level and the first failed criterion."""
    first = year - years_before
    certificates = ", ".join(map(literal, CERTIFICATES))
    return con.sql(
        f"""
        WITH counts AS (
            SELECT instrument_id, COUNT(*) AS claims,
                   STRING_AGG(CAST(claimed_year AS VARCHAR), ', ' ORDER BY claimed_year)
                       AS years
            FROM instruments GROUP BY instrument_id
        )
        SELECT i.claim_id, i.instrument_id, i.type, i.energy, i.volume_mwh, i.vintage,
               i.market, i.facility_code, i.emission_rate_t_per_mwh AS rate,
               CASE WHEN i.type = 'supplier_rate' THEN 2 ELSE 1 END AS level,
               CASE WHEN i.type IN ({certificates}) THEN 0 WHEN i.type = 'PPA' THEN 1
                    WHEN i.type = 'green_tariff' THEN 2 ELSE 3 END AS type_rank,
               CASE
                 WHEN n.claims > 1
                 THEN 'claimed ' || CAST(n.claims AS VARCHAR) || ' times (reporting years '
                      || n.years || '): an instrument counts once or not at all'
                      || ' (Scope 2 Quality Criterion 2)'
                 WHEN i.type <> 'supplier_rate' AND NOT i.retired
                 THEN 'not retired or cancelled on behalf of the company'
                      || ' (Scope 2 Quality Criterion 3)'
                 WHEN i.vintage < {first} OR i.vintage > {year}
                 THEN 'vintage ' || CAST(i.vintage AS VARCHAR)
                      || ' is outside the allowed window {first}-{year}'
                      || ' (Scope 2 Quality Criterion 4)'
                 WHEN i.facility_code <> '' AND fy.facility_code IS NULL
                 THEN 'facility ' || i.facility_code
                      || ' is not in the reporting boundary in {year}'
                 WHEN i.facility_code <> '' AND s.country <> i.market
                 THEN 'market ' || i.market || ' is not the market of facility '
                      || i.facility_code || ' (' || s.country || ')'
                      || ' (Scope 2 Quality Criterion 5)'
               END AS reason
        FROM instruments i
        JOIN counts n ON n.instrument_id = i.instrument_id
        LEFT JOIN sites s ON s.code = i.facility_code
        LEFT JOIN facility_years fy
          ON fy.facility_code = i.facility_code AND fy.year = {year} AND fy.in_boundary
        WHERE i.claimed_year = {year}
        """
    )


def _pool(pooled: bool, alias: str) -> str:
    """SQL of the pool an instrument or facility belongs to in a stage."""
    return f"'market ' || {alias}.market" if pooled else f"'facility ' || {alias}.facility_code"


def _stage_members(
    con: duckdb.DuckDBPyConnection, uncovered: str, pooled: bool
) -> duckdb.DuckDBPyRelation:
    """Facilities with uncovered consumption [MWh], by pool, with the pool's total [MWh]."""
    return con.sql(
        f"""
        SELECT u.facility_code, u.activity, u.uncovered, {_pool(pooled, "u")} AS pool,
               SUM(u.uncovered) OVER (PARTITION BY {_pool(pooled, "u")}, u.activity)
                   AS available
        FROM {uncovered} u
        """
    )


def _stage_claims(
    con: duckdb.DuckDBPyConnection, number: int, level: int, pooled: bool
) -> duckdb.DuckDBPyRelation:
    """Volume [MWh] each valid claim of the stage covers, in hierarchy order within its pool.

    applied = min(volume, max(available - volume of the pool's earlier claims, 0)).
    """
    where = "c.facility_code = ''" if pooled else "c.facility_code <> ''"
    return con.sql(
        f"""
        WITH pools AS (
            SELECT DISTINCT pool, activity, available FROM market_members_{number}
        ),
        ordered AS (
            SELECT c.claim_id, c.energy AS activity, c.rate, c.volume_mwh,
                   {_pool(pooled, "c")} AS pool, COALESCE(p.available, 0.0) AS available,
                   COALESCE(SUM(c.volume_mwh) OVER (
                       PARTITION BY {_pool(pooled, "c")}, c.energy
                       ORDER BY c.type_rank, c.vintage DESC, c.instrument_id, c.claim_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0.0) AS earlier
            FROM market_claims c
            LEFT JOIN pools p ON p.pool = {_pool(pooled, "c")} AND p.activity = c.energy
            WHERE c.reason IS NULL AND c.level = {level} AND {where}
        )
        SELECT claim_id, activity, rate, pool,
               GREATEST(available - earlier, 0.0) AS left_mwh,
               LEAST(volume_mwh, GREATEST(available - earlier, 0.0)) AS applied_mwh
        FROM ordered
        """
    )


def _stage_cover(
    con: duckdb.DuckDBPyConnection, number: int, basis: str
) -> duckdb.DuckDBPyRelation:
    """Each facility's share of its pool's applied volume [MWh] and emissions [tCO2e].

    share = facility uncovered [MWh] / pool uncovered [MWh]; emissions = share x
    sum(applied [MWh] x emission rate [tCO2e/MWh]).
    """
    return con.sql(
        f"""
        SELECT m.facility_code, m.activity, '{basis}' AS basis,
               CAST(NULL AS VARCHAR) AS factor_id, CAST(NULL AS INTEGER) AS data_year,
               '' AS data_year_note,
               SUM(a.applied_mwh) * m.uncovered / m.available AS mwh,
               SUM(a.applied_mwh * a.rate) * m.uncovered / m.available AS t_co2e
        FROM market_members_{number} m
        JOIN market_applied_{number} a ON a.pool = m.pool AND a.activity = m.activity
        WHERE m.available > 0
        GROUP BY m.facility_code, m.activity, m.uncovered, m.available
        """
    )


def _uncovered_after(
    con: duckdb.DuckDBPyConnection, uncovered: str, number: int
) -> duckdb.DuckDBPyRelation:
    """Consumption [MWh] still uncovered after a stage."""
    return con.sql(
        f"""
        SELECT u.facility_code, u.activity, u.market, u.mwh, u.mwh_per_canonical,
               u.location_t, GREATEST(u.uncovered - COALESCE(c.mwh, 0.0), 0.0) AS uncovered
        FROM {uncovered} u
        LEFT JOIN market_cover_{number} c
          ON c.facility_code = u.facility_code AND c.activity = u.activity
        """
    )


def _residual_and_grid(
    con: duckdb.DuckDBPyConnection, uncovered: str, gwp_set: str
) -> duckdb.DuckDBPyRelation:
    """The rest [MWh] at the facility's own rate, else the residual mix, else the grid.

    A measured or supplier-tier factor of the facility (``market_own_rate_factors``) is
    a supplier-specific rate, basis ``supplier_rate``; then the residual mix. Both:
    t = MWh / mwh_per_canonical x sum over gases of kg_per_canonical x GWP / 1000;
    grid average: t = MWh x location-based t / consumption MWh.
    """
    def per_canonical(table: str) -> str:
        return f"""
            SELECT r.facility_code, r.activity,
                   STRING_AGG(DISTINCT r.factor_id, ' + ') AS factor_id,
                   MAX(r.data_year) AS data_year, MAX(r.data_year_note) AS data_year_note,
                   SUM(r.kg_per_canonical * g.value) AS kg_co2e_per_canonical
            FROM {table} r
            JOIN gwp g ON g.gas = r.gas AND g.gwp_set = {literal(gwp_set)}
            GROUP BY r.facility_code, r.activity
        """

    return con.sql(
        f"""
        WITH own AS ({per_canonical("market_own_rate_factors")}),
        residual AS ({per_canonical("market_residual_mix_factors")}),
        rates AS (
            SELECT u.*, COALESCE(o.factor_id, r.factor_id) AS factor_id,
                   COALESCE(o.data_year, r.data_year) AS data_year,
                   COALESCE(o.data_year_note, r.data_year_note, '') AS data_year_note,
                   COALESCE(o.kg_co2e_per_canonical, r.kg_co2e_per_canonical)
                       AS kg_co2e_per_canonical,
                   CASE WHEN o.factor_id IS NOT NULL THEN 'supplier_rate'
                        WHEN r.factor_id IS NOT NULL THEN 'residual_mix'
                        ELSE 'grid_average' END AS basis
            FROM {uncovered} u
            LEFT JOIN own o ON o.facility_code = u.facility_code AND o.activity = u.activity
            LEFT JOIN residual r
              ON r.facility_code = u.facility_code AND r.activity = u.activity
            WHERE u.uncovered > 0
        )
        SELECT facility_code, activity, basis, factor_id, data_year, data_year_note,
               uncovered AS mwh,
               CASE WHEN factor_id IS NULL THEN uncovered * location_t / mwh
                    ELSE uncovered / mwh_per_canonical * kg_co2e_per_canonical / 1000.0
               END AS t_co2e
        FROM rates
        """
    )


def _claim_results(
    con: duckdb.DuckDBPyConnection, applied: str
) -> duckdb.DuckDBPyRelation:
    """Every claim of the year: applied and excluded volume [MWh] and why it was refused."""
    left = significant("a.left_mwh")
    return con.sql(
        f"""
        SELECT c.claim_id, c.instrument_id, c.type, c.energy, c.facility_code, c.market,
               c.vintage, c.volume_mwh, c.rate AS emission_rate_t_per_mwh,
               COALESCE(a.applied_mwh, 0.0) AS applied_mwh,
               c.volume_mwh - COALESCE(a.applied_mwh, 0.0) AS excluded_mwh,
               COALESCE(c.reason, CASE WHEN c.volume_mwh > COALESCE(a.applied_mwh, 0.0)
                   THEN 'exceeds the ' || c.energy || ' consumption it can be matched to: '
                        || {left} || ' MWh was left uncovered (' || a.pool
                        || '); the excess is not counted (Scope 2 Quality Criterion 2)'
                   END) AS reason
        FROM market_claims c
        LEFT JOIN ({applied}) a ON a.claim_id = c.claim_id
        ORDER BY c.instrument_id, c.claim_id
        """
    )
