"""Emission factor resolution: the factor hierarchy of docs/internals.md in SQL."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from envledger.engine.sql import literal
from envledger.errors import MissingFactorError
from envledger.methods.factor_selection import OWN_TIERS

_SHOWN = 50


def _demand(canonical: str) -> str:
    """(facility, activity, variant) with activity computed by emission factors."""
    return f"""
        SELECT DISTINCT c.facility_code, c.activity, c.variant
        FROM {canonical} c JOIN catalog k ON k.activity = c.activity
        WHERE k.emission_method = 'factor'
    """


#: Which candidates a resolution ranks: location-based (no residual mix, no own rate of
#: purchased energy), the residual mix, or the facilities' own Scope 2 rates.
CANDIDATES = ("location", "residual_mix", "own_rate")


def _ranked(
    year: int, canonical: str, excluded_series: Sequence[str], candidates: str
) -> str:
    """SQL ``WITH`` clauses ending in ``ranked``: every candidate with its ``choice`` (1 = used).

    ``market_only`` marks a measured or supplier factor of a Scope 2 activity in a
    location-based resolution: kept for :func:`factors_not_used`, never ranked.
    """
    from envledger.engine.inputs import TIERS  # here: engine.inputs imports this module

    if candidates not in CANDIDATES:
        raise ValueError(f"candidates must be one of {CANDIDATES}, got {candidates!r}")
    own = ", ".join(literal(tier) for tier in OWN_TIERS)
    geography = "CASE f.tier " + " ".join(
        f"WHEN {literal(tier)} THEN "
        + ("p.own_code" if column == "code" else column if column.startswith("'")
           else f"p.{column}")
        for tier, column in TIERS
    ) + " END"
    market_only = f"(f.tier IN ({own}) AND k.scope = 2)"
    kept = {"location": "TRUE", "residual_mix": "TRUE", "own_rate": market_only}[candidates]
    return f"""
        WITH demand AS ({_demand(canonical)}),
        profiles AS (
            -- The candidates of a facility depend on its geography and sector, and on
            -- its code only if a measured or supplier factor names it (own_code, else
            -- null): factors are resolved once per profile, not once per facility.
            SELECT code AS facility_code,
                   CASE WHEN code IN (SELECT geography_code FROM factors
                                      WHERE tier IN ({own}))
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
                   f.kg_per_canonical, f.conversion_note, f.sector, f.origin, t.tier_rank,
                   f.variant AS factor_variant,
                   COALESCE(s.series_rank, 2147483647) AS series_rank,
                   {market_only if candidates == "location" else "FALSE"} AS market_only
            FROM profile_demand p
            -- a factor without a variant serves every variant of its activity (e.g.
            -- gasoline CO2 for any vehicle technology); one for the variant ranks first
            JOIN factors f
              ON f.activity = p.activity AND (f.variant = p.variant OR f.variant = '')
            JOIN catalog k ON k.activity = f.activity
            JOIN tier_ranks t ON t.tier = f.tier
            LEFT JOIN series_ranks s
              ON s.series = CASE WHEN f.origin = 'user' THEN 'user' ELSE f.series END
            WHERE f.geography_code = {geography}
              AND (f.sector = '' OR f.sector = p.sector)
              AND (f.tier <> 'industry' OR f.sector <> '')
              AND (f.valid_from IS NULL OR f.valid_from <= {year})
              AND (f.valid_to IS NULL OR f.valid_to >= {year})
              AND f.series {"" if candidates == "residual_mix" else "NOT "}LIKE
                  '%!_residual!_mix' ESCAPE '!'
              AND {kept}
              {_exclusion(excluded_series)}
        ),
        ranked AS (
            SELECT c.*, CASE WHEN market_only THEN NULL ELSE ROW_NUMBER() OVER (
                PARTITION BY own_code, province, grid_region, country, site_sector,
                             activity, variant, gas, market_only
                ORDER BY tier_rank, CASE WHEN factor_variant <> '' THEN 0 ELSE 1 END,
                         series_rank,
                         CASE WHEN sector <> '' THEN 0 ELSE 1 END,
                         CASE WHEN data_year > {year} THEN 1 ELSE 0 END,
                         CASE WHEN data_year > {year} THEN data_year ELSE -data_year END
                             NULLS LAST,
                         factor_id
            ) END AS choice
            FROM candidates c
        )
    """


def resolve_factors(
    con: duckdb.DuckDBPyConnection, year: int, canonical: str = "canonical",
    excluded_series: Sequence[str] = (), candidates: str = "location",
) -> duckdb.DuckDBPyRelation:
    """Choose one factor per facility, activity, variant and gas for reporting ``year``.

    Candidates are the factors of the activity and variant that are valid in ``year``
    (``valid_from <= year <= valid_to``, empty = open), whose ``sector`` is empty or
    the facility's, whose ``geography_code`` matches the facility at the factor's tier,
    whose series is not a market-based ``*_residual_mix`` and not one the company
    excluded (``excluded_series``; ``user`` excludes every user-imported factor), and,
    for purchased electricity and heat (Scope 2), not of the measured or supplier tier
    (location-based uses grid averages only). A factor with an empty ``variant`` serves
    every variant of its activity. They are ranked by tier (measured > supplier >
    local > regional > industry > national > international), variant-specific before
    generic, series priority (``series_ranks``; user-imported factors rank as
    ``user``, unlisted series last), sector-specific before generic, the data-year
    rule (latest ``data_year <= year``, else earliest later one, undated last) and
    ``factor_id``. The returned
    relation carries ``kg_per_canonical`` [kg gas per canonical unit] and a
    ``data_year_note``. With ``candidates="residual_mix"`` the candidates are the
    ``*_residual_mix`` series only, with ``"own_rate"`` the measured and supplier
    factors of Scope 2 activities only, under the same rules (market-based Scope 2).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 6 (choosing emission factors);
    GHG Protocol Scope 2 Guidance (2015), ch. 6 (location-based: grid averages;
    market-based: supplier rates, residual mix); ISO 14064-1:2018, 6.2 (selection of
    emission factors); docs/internals.md.
    """
    profile = ("own_code", "province", "grid_region", "country", "sector")
    same_profile = " AND ".join(f"r.{c} IS NOT DISTINCT FROM p.{c}" for c in profile)
    return con.sql(
        f"""
        {_ranked(year, canonical, excluded_series, candidates)}
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


def factors_not_used(
    con: duckdb.DuckDBPyConnection, year: int, canonical: str = "canonical",
    excluded_series: Sequence[str] = (),
) -> duckdb.DuckDBPyRelation:
    """The company's own (user-imported) factors that matched a facility but were not used.

    One row per user factor, activity, variant, gas and factor used instead:
    ``factor_id, activity, variant, gas, used_factor_id`` (null for a Scope 2 own rate),
    ``reason`` (the first rule of :func:`resolve_factors` that decided: tier, variant,
    series priority, sector, data year, ``factor_id``), ``facilities`` (codes, comma-separated)
    and ``message``, e.g. "your factor X was not used: Y ranks higher (regional >
    national)". A measured or supplier factor of purchased electricity or heat is
    listed as market-based only. Factors the company excluded are not listed.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 6; GHG Protocol Scope 2 Guidance (2015),
    ch. 6; ISO 14064-1:2018, 6.2 (selection of emission factors, documented).
    """
    partition = ("own_code", "province", "grid_region", "country", "site_sector",
                 "activity", "variant", "gas")
    same = " AND ".join(f"w.{c} IS NOT DISTINCT FROM r.{c}" for c in partition)
    profile = ("own_code", "province", "grid_region", "country")
    on_profile = " AND ".join(f"p.{c} IS NOT DISTINCT FROM l.{c}" for c in profile)
    def data_year(column: str) -> str:
        return f"COALESCE(CAST({column} AS VARCHAR), 'undated')"

    return con.sql(
        f"""
        {_ranked(year, canonical, excluded_series, "location")},
        lost AS (
            SELECT r.*, w.factor_id AS used_factor_id,
                   CASE
                     WHEN r.market_only
                     THEN 'a ' || r.tier || ' factor counts in market-based Scope 2 only'
                          || ' (GHG Protocol Scope 2 Guidance, ch. 6)'
                     WHEN w.tier_rank < r.tier_rank THEN w.tier || ' > ' || r.tier
                     WHEN w.factor_variant <> '' AND r.factor_variant = ''
                     THEN 'specific to ' || w.factor_variant || ' > generic'
                     WHEN w.series_rank < r.series_rank
                     THEN 'series '
                          || CASE WHEN w.origin = 'user' THEN 'user' ELSE w.series END
                          || ' before user in the series priority'
                     WHEN w.sector <> '' AND r.sector = ''
                     THEN 'sector-specific ' || w.sector || ' > generic'
                     WHEN w.data_year IS DISTINCT FROM r.data_year
                     THEN 'data year ' || {data_year("w.data_year")} || ' before '
                          || {data_year("r.data_year")} || ' for reporting year {year}'
                     ELSE 'equal rank: factor_id ' || w.factor_id || ' sorts first'
                   END AS reason
            FROM ranked r
            LEFT JOIN ranked w ON w.choice = 1 AND NOT r.market_only AND {same}
            WHERE r.origin = 'user' AND (r.market_only OR r.choice > 1)
        )
        SELECT l.factor_id, l.activity, l.variant, l.gas, l.used_factor_id, l.reason,
               STRING_AGG(DISTINCT d.facility_code, ', ' ORDER BY d.facility_code)
                   AS facilities,
               CASE WHEN l.used_factor_id IS NULL
                    THEN 'your factor ' || l.factor_id
                         || ' was not used for location-based Scope 2: ' || l.reason
                    ELSE 'your factor ' || l.factor_id || ' was not used: '
                         || l.used_factor_id || ' ranks higher (' || l.reason || ')'
               END AS message
        FROM lost l
        JOIN profiles p ON {on_profile} AND p.sector = l.site_sector
        JOIN demand d
          ON d.facility_code = p.facility_code AND d.activity = l.activity
         AND d.variant = l.variant
        GROUP BY l.factor_id, l.activity, l.variant, l.gas, l.used_factor_id, l.reason
        ORDER BY l.factor_id, l.activity, l.variant, l.gas, l.used_factor_id
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
    own = ", ".join(literal(tier) for tier in OWN_TIERS)
    missing = con.sql(
        f"""
        SELECT d.activity, d.facility_code, g.gas, d.variant,
               s.country, s.province, s.grid_region, s.sector,
               EXISTS (SELECT 1 FROM factors f JOIN catalog k ON k.activity = f.activity
                       WHERE k.scope = 2 AND f.tier IN ({own})
                         AND f.activity = d.activity AND f.gas = g.gas
                         AND f.geography_code = d.facility_code) AS has_own_rate
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
            + (": its measured or supplier factor counts in market-based Scope 2 only;"
               " location-based needs a grid-average factor" if own else "")
            for a, f, g, v, c, p, r, s, own in missing[:_SHOWN]
        ]
        more = f"\n  ... and {len(missing) - _SHOWN} more" if len(missing) > _SHOWN else ""
        raise MissingFactorError(
            f"{len(missing)} activity/gas combination(s) have no emission factor"
            f" valid in {year}:\n" + "\n".join(lines) + more
        )
