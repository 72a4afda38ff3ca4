"""Activity quantities of a reporting year: year allocation, boundary, units.

Every step is portable SQL over named relations of one DuckDB connection (see
``engine.inputs.connect``) and returns a lazy ``duckdb.DuckDBPyRelation``.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from envledger.engine.inputs import KEY_COLUMNS
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


def _share_in_year(record: str, first: str, last: str) -> str:
    """SQL: days of ``record``'s inclusive period inside [first, last] / days of the period."""
    return f"""
        CAST((CASE WHEN {record}.period_end < {last} THEN {record}.period_end ELSE {last} END)
             - (CASE WHEN {record}.period_start > {first} THEN {record}.period_start
                     ELSE {first} END)
             + 1 AS DOUBLE)
        / CAST({record}.period_end - {record}.period_start + 1 AS DOUBLE)
    """


def allocate_to_year(
    con: duckdb.DuckDBPyConnection, year: int, records: str = "activities"
) -> duckdb.DuckDBPyRelation:
    """Share of each record's quantity falling in the reporting year, pro rata by days.

    Adds ``share_in_year`` [1] = days of the inclusive period inside the facility's
    in-boundary part of ``year`` / days of the period; the in-boundary part is the year,
    or [in_boundary_from, in_boundary_to] of a part-year facility. Records entirely
    outside it are dropped.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4: emissions are reported for the
    calendar reporting year; activity spanning two years is apportioned; ch. 5: an
    acquired or divested facility counts for the part of the year it was owned.
    """
    first, last = _window(year)
    return con.sql(
        f"""
        SELECT r.record_id, r.facility_code, r.period_start, r.period_end, r.activity,
               r.quantity, r.unit, r.gas, r.variant, r.data_source, r.uncertainty_pct,
               {_share_in_year("r", first, last)} AS share_in_year
        FROM {records} r
        LEFT JOIN ({_part_years("facility_code")}) w
          ON w.facility_code = r.facility_code AND w.year = {year}
        WHERE r.period_start <= {last} AND r.period_end >= {first}
        """
    )


def _window(year: int | str) -> tuple[str, str]:
    """SQL: first and last in-boundary day of ``year`` (a number or a column) given ``w``."""
    if isinstance(year, int):
        jan1, dec31 = f"DATE '{year:04d}-01-01'", f"DATE '{year:04d}-12-31'"
    else:
        jan1, dec31 = f"make_date({year}, 1, 1)", f"make_date({year}, 12, 31)"
    return (
        f"greatest({jan1}, coalesce(w.from_day, {jan1}))",
        f"least({dec31}, coalesce(w.to_day, {dec31}))",
    )


def _part_years(key: str) -> str:
    """SQL: facility-years with a part-year boundary: ``<key>, year, from_day, to_day``.

    ``key`` is ``facility_code`` or ``facility_code_key`` (the integer key of
    ``keyed_activities``).
    """
    label = (
        "" if key == "facility_code"
        else "JOIN facility_code_labels l ON l.facility_code = fy.facility_code"
    )
    column = "fy.facility_code" if key == "facility_code" else "l.facility_code_key"
    return f"""
        SELECT {column} AS {key}, fy.year, fy.in_boundary_from AS from_day,
               fy.in_boundary_to AS to_day
        FROM facility_years fy {label}
        WHERE fy.in_boundary AND (fy.in_boundary_from IS NOT NULL
                                  OR fy.in_boundary_to IS NOT NULL)
    """


def has_part_years(con: duckdb.DuckDBPyConnection, years: Sequence[int]) -> bool:
    """Whether a facility is in the boundary for only part of one of ``years``."""
    listed = ", ".join(str(y) for y in years) or "NULL"
    ((count,),) = con.sql(
        f"SELECT count(*) FROM ({_part_years('facility_code')}) p WHERE p.year IN ({listed})"
    ).fetchall()
    return count > 0


def apply_boundary(
    con: duckdb.DuckDBPyConnection, year: int | None, allocated: str = "allocated"
) -> duckdb.DuckDBPyRelation:
    """Keep the rows (records or quantities) of facilities inside the boundary in ``year``.

    A facility without a ``facility_years`` row for the year is outside the boundary.
    With ``year`` None the rows carry a ``year`` column and each is kept or dropped by
    the boundary of its own year.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 3 (setting organisational boundaries);
    ISO 14064-1:2018, 5.1.
    """
    return con.sql(
        f"""
        SELECT a.*
        FROM {allocated} a
        JOIN facility_years fy
          ON fy.facility_code = a.facility_code AND fy.year = {"a.year" if year is None else year}
        WHERE fy.in_boundary
        """
    )


def _override_sums(share: str) -> str:
    """SQL: quantity [unit] of records with their own ``uncertainty_pct`` and the sum of
    uncertainty_pct x quantity [% x unit] over them."""
    return f"""
        SUM(r.quantity * {share}) AS override_quantity,
        SUM(r.uncertainty_pct * r.quantity * {share}) AS override_u_quantity
    """


def year_quantities(
    con: duckdb.DuckDBPyConnection,
    years: Sequence[int],
    records: str = "keyed_activities",
    overrides: str = "keyed_overrides",
) -> duckdb.DuckDBPyRelation:
    """Each year's quantity per facility, activity, variant, gas and unit, in one pass.

    The hot path of the engine: :func:`allocate_to_year` and the sum per key fused over
    the integer-keyed records (``engine.inputs.keyed_activities``), the
    strings joined back on the aggregated rows only. Returns ``year, facility_code,
    activity, variant, gas, unit, data_source, quantity`` [unit] = sum of quantity x
    share_in_year, ``record_count`` [1], ``override_quantity`` [unit] (the part whose
    records carry their own uncertainty) and ``override_u_quantity`` [% x unit] = sum
    of uncertainty_pct x quantity x share_in_year over those records, read from
    ``overrides`` (the keyed records with an uncertainty_pct; a superset of those in
    ``records`` is fine, the join on the keys keeps the right ones). A part-year
    facility's records count only for the days of its in-boundary window (see
    :func:`allocate_to_year`). Emissions are linear in quantity, so summing before
    applying factors is exact and leaves the later steps a few thousand rows instead of
    millions. Several years share one scan: a record is joined to each year its period
    overlaps (a range join with a few rows on one side).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4: emissions are reported for the
    calendar reporting year; activity spanning two years is apportioned.
    """
    keys = ", ".join(f"r.{name}_key" for name in KEY_COLUMNS)
    # A part-year facility's window needs a join on every record; without one, skip it.
    windows = (
        f"LEFT JOIN ({_part_years('facility_code_key')}) w"
        f" ON w.facility_code_key = r.facility_code_key AND w.year = {{year}}"
        if has_part_years(con, years) else ""
    )
    if len(years) == 1:
        # One year: a filter on constants is cheaper than a join, with the same arithmetic.
        (year,) = years
        first, last = (
            _window(year) if windows
            else (f"DATE '{year:04d}-01-01'", f"DATE '{year:04d}-12-31'")
        )
        share = _share_in_year("r", first, last)
        sums = f"""
            SELECT {year} AS year, {keys},
                   SUM(r.quantity * {share}) AS quantity,
                   COUNT(*) AS record_count
            FROM {records} r
            {windows.format(year=year)}
            WHERE r.period_start <= {last} AND r.period_end >= {first}
            GROUP BY {keys}
        """
        overrides = f"""
            SELECT {year} AS year, {keys}, {_override_sums(share)}
            FROM {overrides} r
            {windows.format(year=year)}
            WHERE r.period_start <= {last} AND r.period_end >= {first}
            GROUP BY {keys}
        """
    else:
        calendar = " UNION ALL ".join(
            f"SELECT {y} AS year, DATE '{y:04d}-01-01' AS first_day,"
            f" DATE '{y:04d}-12-31' AS last_day"
            for y in sorted(set(years))
        )
        first, last = _window("y.year") if windows else ("y.first_day", "y.last_day")
        share = _share_in_year("r", first, last)
        # the overlap with the year, the part-year window and the filter on it
        joined = (
            f"r.period_start <= y.last_day AND r.period_end >= y.first_day"
            f" {windows.format(year='y.year')}"
            f" WHERE r.period_start <= {last} AND r.period_end >= {first}"
        )
        sums = f"""
            SELECT y.year, {keys},
                   SUM(r.quantity * {share}) AS quantity,
                   COUNT(*) AS record_count
            FROM {records} r JOIN ({calendar}) y ON {joined}
            GROUP BY y.year, {keys}
        """
        overrides = f"""
            SELECT y.year, {keys}, {_override_sums(share)}
            FROM {overrides} r JOIN ({calendar}) y ON {joined}
            GROUP BY y.year, {keys}
        """
    same_keys = " AND ".join(
        f"o.{name}_key IS NOT DISTINCT FROM s.{name}_key" for name in KEY_COLUMNS
    )
    labels = "\n".join(
        f"LEFT JOIN {name}_labels l_{name} ON l_{name}.{name}_key = s.{name}_key"
        for name in KEY_COLUMNS
    )
    return con.sql(
        f"""
        SELECT s.year, {", ".join(f"l_{name}.{name}" for name in KEY_COLUMNS)},
               s.quantity, s.record_count, o.override_quantity, o.override_u_quantity
        FROM ({sums}) s
        -- records with their own uncertainty are few: summed apart, so that the pass
        -- over every record stays as lean as before
        LEFT JOIN ({overrides}) o ON o.year = s.year AND {same_keys}
        {labels}
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
