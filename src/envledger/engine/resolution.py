"""Emission factor resolution: the factor hierarchy of docs/internals.md in SQL."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from envledger.engine.sql import literal
from envledger.errors import MissingFactorError

_SHOWN = 50


def _demand(canonical: str) -> str:
    """(facility, activity, variant) with activity computed by emission factors."""
    return f"""
        SELECT DISTINCT c.facility_code, c.activity, c.variant
        FROM {canonical} c JOIN catalog k ON k.activity = c.activity
        WHERE k.emission_method = 'factor'
    """


def resolve_factors(
    con: duckdb.DuckDBPyConnection, year: int, canonical: str = "canonical",
    excluded_series: Sequence[str] = (), residual_mix: bool = False,
) -> duckdb.DuckDBPyRelation:
    """Choose one factor per facility, activity, variant and gas for reporting ``year``.

    Candidates are the factors of the activity and variant that are valid in ``year``
    (``valid_from <= year <= valid_to``, empty = open), whose ``sector`` is empty or
    the facility's, whose ``geography_code`` matches the facility at the factor's tier,
    whose series is not a market-based ``*_residual_mix`` and not one the company
    excluded (``excluded_series``; ``user`` excludes every user-imported factor). They
    are ranked by tier (measured > supplier > local > regional > industry > national >
    international), series priority (``series_ranks``; user-imported factors rank as
    ``user``, unlisted series last), sector-specific before generic, the data-year
    rule (latest ``data_year <= year``, else earliest later one, undated last) and
    ``factor_id``. The returned relation carries ``kg_per_canonical`` [kg gas per
    canonical unit] and a ``data_year_note``. With ``residual_mix`` the candidates are
    the ``*_residual_mix`` series only, under the same rules (market-based Scope 2).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 6 (choosing emission factors);
    ISO 14064-1:2018, 6.2 (selection of emission factors); docs/internals.md.
    """
    from envledger.engine.inputs import TIERS  # here: engine.inputs imports this module

    own_tiers = ", ".join(literal(tier) for tier, column in TIERS if column == "code")
    geography = "CASE f.tier " + " ".join(
        f"WHEN {literal(tier)} THEN "
        + ("p.own_code" if column == "code" else column if column.startswith("'")
           else f"p.{column}")
        for tier, column in TIERS
    ) + " END"
    profile = ("own_code", "province", "grid_region", "country", "sector")
    same_profile = " AND ".join(f"r.{c} IS NOT DISTINCT FROM p.{c}" for c in profile)
    return con.sql(
        f"""
        WITH demand AS ({_demand(canonical)}),
        profiles AS (
            -- The candidates of a facility depend on its geography and sector, and on
            -- its code only if a measured or supplier factor names it (own_code, else
            -- null): factors are resolved once per profile, not once per facility.
            SELECT code AS facility_code,
                   CASE WHEN code IN (SELECT geography_code FROM factors
                                      WHERE tier IN ({own_tiers}))
                        THEN code END AS own_code,
                   province, grid_region, country, sector
            FROM sites
        ),
        profile_demand AS (
            SELECT DISTINCT p.own_code, p.province, p.grid_region, p.country, p.sector,
                            d.activity, d.variant
            FROM demand d JOIN profiles p ON p.facility_code = d.facility_code
        ),
        candidates AS (
            SELECT p.own_code, p.province, p.grid_region, p.country,
                   p.sector AS site_sector, p.activity, p.variant, f.gas, f.factor_id,
                   f.series, f.tier, f.value, f.unit, f.citation, f.confidence, f.data_year,
                   f.kg_per_canonical, f.conversion_note, f.sector, t.tier_rank,
                   COALESCE(s.series_rank, 2147483647) AS series_rank
            FROM profile_demand p
            JOIN factors f ON f.activity = p.activity AND f.variant = p.variant
            JOIN tier_ranks t ON t.tier = f.tier
            LEFT JOIN series_ranks s
              ON s.series = CASE WHEN f.origin = 'user' THEN 'user' ELSE f.series END
            WHERE f.geography_code = {geography}
              AND (f.sector = '' OR f.sector = p.sector)
              AND (f.tier <> 'industry' OR f.sector <> '')
              AND (f.valid_from IS NULL OR f.valid_from <= {year})
              AND (f.valid_to IS NULL OR f.valid_to >= {year})
              AND f.series {"" if residual_mix else "NOT "}LIKE '%!_residual!_mix' ESCAPE '!'
              {_exclusion(excluded_series)}
        ),
        ranked AS (
            SELECT c.*, ROW_NUMBER() OVER (
                PARTITION BY own_code, province, grid_region, country, site_sector,
                             activity, variant, gas
                ORDER BY tier_rank, series_rank,
                         CASE WHEN sector <> '' THEN 0 ELSE 1 END,
                         CASE WHEN data_year > {year} THEN 1 ELSE 0 END,
                         CASE WHEN data_year > {year} THEN data_year ELSE -data_year END
                             NULLS LAST,
                         factor_id
            ) AS choice
            FROM candidates c
        )
        SELECT d.facility_code, d.activity, d.variant, r.gas, r.factor_id, r.series, r.tier,
               r.value, r.unit, r.citation, r.confidence, r.data_year, r.kg_per_canonical,
               r.conversion_note,
               CASE WHEN r.data_year IS NULL OR r.data_year = {year} THEN ''
                    WHEN r.data_year < {year}
                    THEN 'data year ' || CAST(r.data_year AS VARCHAR)
                         || ' is the latest available for reporting year {year}'
                    ELSE 'no data year <= {year} in this series; earliest later data year '
                         || CAST(r.data_year AS VARCHAR) || ' used'
               END AS data_year_note
        FROM demand d
        JOIN profiles p ON p.facility_code = d.facility_code
        JOIN (SELECT own_code, province, grid_region, country, site_sector AS sector,
                     activity, variant, gas, factor_id, series, tier, value, unit, citation,
                     confidence, data_year, kg_per_canonical, conversion_note
              FROM ranked WHERE choice = 1) r
          ON r.activity = d.activity AND r.variant = d.variant AND {same_profile}
        """
    )


def _exclusion(excluded_series: Sequence[str]) -> str:
    """SQL condition (``AND ...``) leaving out the excluded factor series, or ''."""
    names = [name for name in excluded_series if name != "user"]
    condition = f"AND f.series NOT IN ({', '.join(map(literal, names))})" if names else ""
    if "user" in excluded_series:
        condition += " AND f.origin <> 'user'"
    return condition


def check_factors(
    con: duckdb.DuckDBPyConnection,
    year: int,
    canonical: str = "canonical",
    resolved: str = "resolved",
) -> None:
    """Refuse activity whose required gases have no factor (never a silent zero).

    Raises
    ------
    MissingFactorError
        Listing every (activity, facility, year, gas, variant) without a factor, with
        the facility's geography so the missing factor can be supplied.
    """
    missing = con.sql(
        f"""
        SELECT d.activity, d.facility_code, g.gas, d.variant,
               s.country, s.province, s.grid_region, s.sector
        FROM ({_demand(canonical)}) d
        JOIN required_gases g ON g.activity = d.activity
        LEFT JOIN sites s ON s.code = d.facility_code
        LEFT JOIN {resolved} r
          ON r.facility_code = d.facility_code AND r.activity = d.activity
         AND r.variant = d.variant AND r.gas = g.gas
        WHERE r.factor_id IS NULL
        ORDER BY d.activity, d.facility_code, g.gas, d.variant
        """
    ).fetchall()
    if missing:
        lines = [
            f"  - activity '{a}', facility '{f}', year {year}, gas {g}, variant '{v}'"
            f" (country {c}, province {p}, grid region {r}, sector {s})"
            for a, f, g, v, c, p, r, s in missing[:_SHOWN]
        ]
        more = f"\n  ... and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        raise MissingFactorError(
            f"{len(missing)} activity/gas combination(s) have no emission factor"
            f" valid in {year}:\n" + "\n".join(lines) + more
        )
