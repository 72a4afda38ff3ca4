"""Emission factor resolution: the factor hierarchy of docs/internals.md in SQL."""

from __future__ import annotations

import duckdb

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
    con: duckdb.DuckDBPyConnection, year: int, canonical: str = "canonical"
) -> duckdb.DuckDBPyRelation:
    """Choose one factor per facility, activity, variant and gas for reporting ``year``.

    Candidates are the factors of the activity and variant that are valid in ``year``
    (``valid_from <= year <= valid_to``, empty = open), whose ``sector`` is empty or
    the facility's, whose ``geography_code`` matches the facility at the factor's tier,
    and whose series is not a market-based ``*_residual_mix``. They are ranked by
    tier (measured > supplier > local > regional > industry > national >
    international), series priority (``series_ranks``; user-imported factors rank as
    ``user``, unlisted series last), sector-specific before generic, the data-year
    rule (latest ``data_year <= year``, else earliest later one, undated last) and
    ``factor_id``. The returned relation carries ``kg_per_canonical`` [kg gas per
    canonical unit] and a ``data_year_note``.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 6 (choosing emission factors);
    ISO 14064-1:2018, 6.2 (selection of emission factors); docs/internals.md.
    """
    return con.sql(
        f"""
        WITH candidates AS (
            SELECT d.facility_code, d.activity, d.variant, f.gas, f.factor_id, f.series,
                   f.tier, f.value, f.unit, f.citation, f.confidence, f.data_year,
                   f.kg_per_canonical, f.conversion_note, f.sector, t.tier_rank,
                   COALESCE(s.series_rank, 2147483647) AS series_rank
            FROM ({_demand(canonical)}) d
            JOIN site_keys k ON k.facility_code = d.facility_code
            JOIN factors f
              ON f.activity = d.activity AND f.variant = d.variant
             AND f.tier = k.tier AND f.geography_code = k.geography_code
            JOIN tier_ranks t ON t.tier = f.tier
            LEFT JOIN series_ranks s
              ON s.series = CASE WHEN f.origin = 'user' THEN 'user' ELSE f.series END
            WHERE (f.sector = '' OR f.sector = k.sector)
              AND (f.tier <> 'industry' OR f.sector <> '')
              AND (f.valid_from IS NULL OR f.valid_from <= {year})
              AND (f.valid_to IS NULL OR f.valid_to >= {year})
              AND f.series NOT LIKE '%!_residual!_mix' ESCAPE '!'
        ),
        ranked AS (
            SELECT c.*, ROW_NUMBER() OVER (
                PARTITION BY facility_code, activity, variant, gas
                ORDER BY tier_rank, series_rank,
                         CASE WHEN sector <> '' THEN 0 ELSE 1 END,
                         CASE WHEN data_year > {year} THEN 1 ELSE 0 END,
                         CASE WHEN data_year > {year} THEN data_year ELSE -data_year END
                             NULLS LAST,
                         factor_id
            ) AS choice
            FROM candidates c
        )
        SELECT facility_code, activity, variant, gas, factor_id, series, tier, value,
               unit, citation, confidence, data_year, kg_per_canonical, conversion_note,
               CASE WHEN data_year IS NULL OR data_year = {year} THEN ''
                    WHEN data_year < {year}
                    THEN 'data year ' || CAST(data_year AS VARCHAR)
                         || ' is the latest available for reporting year {year}'
                    ELSE 'no data year <= {year} in this series; earliest later data year '
                         || CAST(data_year AS VARCHAR) || ' used'
               END AS data_year_note
        FROM ranked WHERE choice = 1
        """
    )


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
