"""Activity quantities of a reporting year: year allocation, boundary, units.

Every step is portable SQL over named relations of one DuckDB connection (see
``engine.inputs.connect``) and returns a lazy ``duckdb.DuckDBPyRelation``.
"""

from __future__ import annotations

import duckdb

from envledger.errors import InputError, InputProblem, NotFoundError, UnitError

_SHOWN = 50


def check_periods(con: duckdb.DuckDBPyConnection, records: str = "activities") -> None:
    """Refuse records whose inclusive period ends before it starts.

    Raises
    ------
    InputError
        Naming every such ``record_id``.
    """
    bad = con.sql(
        f"""
        SELECT record_id, period_start, period_end FROM {records}
        WHERE period_end < period_start ORDER BY record_id
        """
    ).fetchall()
    if bad:
        raise InputError(
            [
                InputProblem(
                    "activities", None, "period_end",
                    f"record {rid}: period_end {end} is before period_start {start}",
                )
                for rid, start, end in bad
            ]
        )


def allocate_to_year(
    con: duckdb.DuckDBPyConnection, year: int, records: str = "activities"
) -> duckdb.DuckDBPyRelation:
    """Share of each record's quantity falling in the reporting year, pro rata by days.

    Adds ``share_in_year`` [1] = days of the inclusive period inside ``year`` / days of
    the period; records entirely outside the year are dropped.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4: emissions are reported for the
    calendar reporting year; activity spanning two years is apportioned.
    """
    first, last = f"DATE '{year:04d}-01-01'", f"DATE '{year:04d}-12-31'"
    return con.sql(
        f"""
        SELECT record_id, facility_code, period_start, period_end, activity,
               quantity, unit, gas, variant,
               CAST((CASE WHEN period_end < {last} THEN period_end ELSE {last} END)
                    - (CASE WHEN period_start > {first} THEN period_start ELSE {first} END)
                    + 1 AS DOUBLE)
               / CAST(period_end - period_start + 1 AS DOUBLE) AS share_in_year
        FROM {records}
        WHERE period_start <= {last} AND period_end >= {first}
        """
    )


def apply_boundary(
    con: duckdb.DuckDBPyConnection, year: int, allocated: str = "allocated"
) -> duckdb.DuckDBPyRelation:
    """Keep the rows (records or quantities) of facilities inside the boundary in ``year``.

    A facility without a ``facility_years`` row for the year is outside the boundary.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 3 (setting organisational boundaries);
    ISO 14064-1:2018, 5.1.
    """
    return con.sql(
        f"""
        SELECT a.*
        FROM {allocated} a
        JOIN facility_years fy ON fy.facility_code = a.facility_code AND fy.year = {year}
        WHERE fy.in_boundary
        """
    )


def aggregate_quantities(
    con: duckdb.DuckDBPyConnection, allocated: str = "allocated"
) -> duckdb.DuckDBPyRelation:
    """Sum the year's quantity per facility, activity, variant, gas and unit.

    ``quantity`` [unit] = sum of quantity x share_in_year; ``record_count`` [1].
    Emissions are linear in quantity, so summing before applying factors is exact and
    leaves the later steps a few thousand rows instead of millions.
    """
    return con.sql(
        f"""
        SELECT facility_code, activity, variant, gas, unit,
               SUM(quantity * share_in_year) AS quantity, COUNT(*) AS record_count
        FROM {allocated}
        GROUP BY facility_code, activity, variant, gas, unit
        """
    )


def check_units(con: duckdb.DuckDBPyConnection, quantities: str = "quantities") -> None:
    """Refuse (activity, unit) pairs that ``unit_conversions`` cannot convert.

    Raises
    ------
    UnitError
        Naming every such activity and unit, with the facilities that used it.
    """
    missing = con.sql(
        f"""
        SELECT q.activity, q.unit, COUNT(DISTINCT q.facility_code) AS n,
               MIN(q.facility_code) AS example
        FROM {quantities} q
        LEFT JOIN unit_conversions u ON u.activity = q.activity AND u.unit = q.unit
        WHERE u.to_canonical IS NULL
        GROUP BY q.activity, q.unit ORDER BY q.activity, q.unit
        """
    ).fetchall()
    if missing:
        lines = [
            f"  - activity '{a}', unit '{u}' ({n} facilities, e.g. {ex})"
            for a, u, n, ex in missing[:_SHOWN]
        ]
        raise UnitError(
            "no conversion to the activity's canonical unit for:\n" + "\n".join(lines)
        )


def check_facilities(con: duckdb.DuckDBPyConnection, quantities: str = "quantities") -> None:
    """Refuse in-boundary activity of facility codes missing from ``facilities``.

    Raises
    ------
    NotFoundError
        Naming every unknown facility code.
    """
    unknown = [
        row[0]
        for row in con.sql(
            f"""
            SELECT DISTINCT q.facility_code FROM {quantities} q
            LEFT JOIN facilities f ON f.code = q.facility_code
            WHERE f.code IS NULL ORDER BY q.facility_code
            """
        ).fetchall()
    ]
    if unknown:
        raise NotFoundError(f"facilities with activity but no facility row: {unknown[:_SHOWN]}")


def normalize_units(
    con: duckdb.DuckDBPyConnection, quantities: str = "quantities"
) -> duckdb.DuckDBPyRelation:
    """Convert each quantity to its activity's canonical unit and sum over units.

    ``quantity`` [canonical unit] = sum of quantity [unit] x to_canonical
    [canonical unit/unit]; call :func:`check_units` first (the join drops what it
    cannot convert).
    """
    return con.sql(
        f"""
        SELECT q.facility_code, q.activity, q.variant, q.gas,
               SUM(q.quantity * u.to_canonical) AS quantity,
               CAST(SUM(q.record_count) AS BIGINT) AS record_count
        FROM {quantities} q
        JOIN unit_conversions u ON u.activity = q.activity AND u.unit = q.unit
        GROUP BY q.facility_code, q.activity, q.variant, q.gas
        """
    )
