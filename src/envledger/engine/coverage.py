"""Coverage of a reporting year: which facility-activity-months the records cover.

For every in-boundary facility of year Y and every activity it is expected to report
(one it reported in Y-1, Y or Y+1, or one its facility-year declares in
``expected_activities``), each month's covered share [1] = days of the month inside
the facility's boundary that some record's period covers / days of the month inside
the boundary. Event activities (refrigerant recharge, fire suppressant released:
``emission_method = gas_mass``) have no monthly series and are not counted.

Columnar: the records are reduced to their distinct (facility, activity, period)
triples by integer key, clipped to the boundary window and split by month; the days of
a month covered are the set bits of the OR of one bit per covered day, so overlapping
records never count a day twice, nothing is sorted and no step runs per record in
Python.

References
----------
GHG Protocol Corporate Standard (2004), ch. 1 (completeness principle), ch. 5
(acquisitions and divestments), ch. 7 (managing inventory quality); ISO 14064-1:2018,
5.2.4 and 9.2 (completeness).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from envledger.engine.contract import quantity
from envledger.engine.inputs import InventoryInputs, connect

SCHEMA = "envledger.coverage/1"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: Company figures (engine.totals.MEASURES) and the catalog activities each rests on.
FIGURE_ACTIVITIES: dict[str, str] = {
    "scope1_t": "c.scope = 1",
    "scope2_location_t": "c.scope = 2",
    "scope2_market_t": "c.scope = 2",
    "total_t": "c.scope IN (1, 2)",
    "direct_mwh": "c.energy_class = 'direct'",
    "indirect_mwh": "c.energy_class = 'indirect'",
    "total_mwh": "c.energy_class IN ('direct', 'indirect')",
    "tce": "c.energy_class IN ('direct', 'indirect')",
    "water_running_t": "c.activity = 'water_running'",
    "water_reclaimed_t": "c.activity = 'water_reclaimed'",
    "water_total_t": "c.activity IN ('water_running', 'water_reclaimed')",
    "waste_hazardous_t": "c.activity = 'waste_hazardous'",
    "waste_non_hazardous_t": "c.activity = 'waste_non_hazardous'",
}


@dataclass(frozen=True)
class Coverage:
    """The coverage of one year.

    Attributes
    ----------
    year
        The reporting year.
    matrix
        ``facility_code, activity, month (1-12), expected_days [d], covered_days [d],
        covered_share [1]``: one row per expected facility-activity and month;
        ``covered_share`` is null for a month outside a part-year facility's boundary.
    gaps
        ``facility_code, activity, months (list of 1-12), missing_days [d]``: the
        facility-activities with a month not fully covered.
    unbounded
        ``facility_code, records [1]``: facilities with records in the year but no
        facility-year row for it (their activity is in no figure).
    figure_gaps
        ``figure, missing_share [1]``: per company figure, uncovered / expected days of
        the facility-activities it rests on (0 when it rests on none).
    """

    year: int
    matrix: pa.Table
    gaps: pa.Table
    unbounded: pa.Table
    figure_gaps: pa.Table

    @property
    def expected_days(self) -> int:
        """Expected facility-activity-days of the year [d]."""
        return int(pc.sum(self.matrix.column("expected_days")).as_py() or 0)

    @property
    def covered_days(self) -> int:
        """Covered facility-activity-days of the year [d]."""
        return int(pc.sum(self.matrix.column("covered_days")).as_py() or 0)

    @property
    def share_covered(self) -> float | None:
        """covered_days / expected_days [1]; None when nothing is expected."""
        expected = self.expected_days
        return self.covered_days / expected if expected else None

    @property
    def gap_months(self) -> int:
        """Facility-activity-months not fully covered [1]."""
        return int(pc.sum(pc.list_value_length(self.gaps.column("months"))).as_py() or 0)

    @property
    def held_months(self) -> tuple[int, int] | None:
        """First and last month (1-12) with any covered day, or None if none is covered."""
        months = pc.filter(self.matrix.column("month"),
                           pc.greater(self.matrix.column("covered_days"), 0))
        if len(months) == 0:
            return None
        bounds = pc.min_max(months).as_py()
        return bounds["min"], bounds["max"]

    @property
    def complete(self) -> bool:
        """No gap and no facility with records but no facility-year."""
        return self.gaps.num_rows == 0 and self.unbounded.num_rows == 0


def month_ranges(months: list[int]) -> str:
    """[1, 2, 3, 5, 8, 9] -> 'Jan-Mar, May, Aug-Sep'."""
    runs: list[list[int]] = []
    for month in sorted(months):
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(
        MONTHS[r[0] - 1] if len(r) == 1 else f"{MONTHS[r[0] - 1]}-{MONTHS[r[-1] - 1]}"
        for r in runs
    )


def gap_lines(coverage: Coverage) -> list[str]:
    """One line per gap and per facility without a facility-year, for messages."""
    return [
        f"{g['facility_code']} {g['activity']}: {month_ranges(g['months'])}"
        f" ({g['missing_days']} days missing)"
        for g in coverage.gaps.to_pylist()
    ] + [
        f"{u['facility_code']}: {u['records']} activity rows in {coverage.year} but no"
        f" facility-year row for {coverage.year}"
        for u in coverage.unbounded.to_pylist()
    ]


def coverage_to_dict(coverage: Coverage, matrix: bool = True) -> dict[str, Any]:
    """The JSON form ``envledger.coverage/1`` (the matrix left out with ``matrix=False``)."""
    held = coverage.held_months
    out: dict[str, Any] = {
        "schema": SCHEMA,
        "year": coverage.year,
        "complete": coverage.complete,
        "share_covered": quantity(coverage.share_covered, "1"),
        "expected_days": quantity(coverage.expected_days, "d"),
        "covered_days": quantity(coverage.covered_days, "d"),
        "gap_months": coverage.gap_months,
        "period": None if held is None else {
            "first": f"{coverage.year:04d}-{held[0]:02d}",
            "last": f"{coverage.year:04d}-{held[1]:02d}",
        },
        "gaps": [
            {"facility": g["facility_code"], "activity": g["activity"], "months": g["months"],
             "missing_days": quantity(g["missing_days"], "d")}
            for g in coverage.gaps.to_pylist()
        ],
        "facilities_without_facility_year": [
            {"facility": u["facility_code"], "records": u["records"]}
            for u in coverage.unbounded.to_pylist()
        ],
        "figures": {
            r["figure"]: {"missing_share": quantity(r["missing_share"], "1")}
            for r in coverage.figure_gaps.to_pylist()
        },
    }
    if matrix:
        out["matrix"] = [
            {"facility": r["facility_code"], "activity": r["activity"], "month": r["month"],
             "expected_days": r["expected_days"], "covered_days": r["covered_days"],
             "covered_share": r["covered_share"]}
            for r in coverage.matrix.to_pylist()
        ]
    return out


def compute_coverage(inputs: InventoryInputs, year: int) -> Coverage:
    """The coverage of ``year``; ``inputs.activities`` should hold Y-1 to Y+1.

    Records outside Y-1..Y+1 are ignored; a record outside Y only makes its activity
    expected.
    """
    with connect(inputs, []) as con:
        return year_coverage(con, year)


def year_coverage(con: duckdb.DuckDBPyConnection, year: int) -> Coverage:
    """:func:`compute_coverage` on a connection from ``engine.inputs.connect``."""
    _coverage_tables(con, year)
    matrix = con.sql(
        """
        SELECT facility_code, activity, month, expected_days, covered_days,
               CASE WHEN expected_days > 0
                    THEN CAST(covered_days AS DOUBLE) / expected_days END AS covered_share
        FROM coverage_matrix ORDER BY f_rank, a_rank, month
        """
    ).to_arrow_table()
    gaps = con.sql(
        """
        SELECT facility_code, activity, list(month ORDER BY month) AS months,
               CAST(sum(expected_days - covered_days) AS BIGINT) AS missing_days
        FROM coverage_matrix WHERE covered_days < expected_days
        GROUP BY facility_code, activity ORDER BY facility_code, activity
        """
    ).to_arrow_table()
    unbounded = con.sql(
        f"""
        SELECT l.facility_code, CAST(sum(k.n) AS BIGINT) AS records
        FROM coverage_keys k
        JOIN facility_code_labels l ON l.facility_code_key = k.f
        WHERE k.n > 0
          AND l.facility_code NOT IN (
              SELECT facility_code FROM facility_years WHERE year = {year})
        GROUP BY l.facility_code ORDER BY l.facility_code
        """
    ).to_arrow_table()
    # Per activity first (a few rows), so the figures need no pass over the matrix each.
    con.sql(
        """
        SELECT m.activity, c.scope, c.energy_class,
               CAST(sum(m.expected_days) AS DOUBLE) AS expected,
               CAST(sum(m.expected_days - m.covered_days) AS DOUBLE) AS missing
        FROM coverage_matrix m JOIN catalog c ON c.activity = m.activity
        GROUP BY ALL
        """
    ).to_table("coverage_activities")
    figure_gaps = con.sql(
        " UNION ALL ".join(
            f"""
            SELECT '{figure}' AS figure,
                   coalesce(sum(c.missing) / nullif(sum(c.expected), 0), 0.0) AS missing_share
            FROM coverage_activities c WHERE {condition}
            """
            for figure, condition in FIGURE_ACTIVITIES.items()
        )
    ).to_arrow_table()
    return Coverage(year, matrix, gaps, unbounded, figure_gaps)


def _coverage_tables(con: duckdb.DuckDBPyConnection, year: int) -> None:
    """Create ``coverage_keys`` (per facility and activity key: records in the year and
    the covered days of each month) and ``coverage_matrix``."""
    first, last = f"DATE '{year:04d}-01-01'", f"DATE '{year:04d}-12-31'"
    for table in ("coverage_keys", "coverage_boundary", "coverage_matrix",
                  "coverage_activities"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    # One bit per day of a month, set for each day some record covers it.
    mask = "(((CAST(1 AS BIGINT) << ({d2} - {d1} + 1)) - 1) << ({d1} - 1))"
    months = ", ".join(f"bit_or(CASE WHEN month = {m} THEN days END)" for m in range(1, 13))
    # The one pass over every record, grouped by facility and activity only (the
    # inventory's grouping, not one group per period or per month): the usual record,
    # inside one month of the year, gives its month and day mask directly; the few
    # crossing a month or the year's edge are split by month.
    con.sql(
        f"""
        WITH r AS (
            SELECT facility_code_key AS f, activity_key AS a, period_start AS s,
                   period_end AS e
            FROM keyed_activities
            WHERE period_start <= DATE '{year + 1:04d}-12-31'
              AND period_end >= DATE '{year - 1:04d}-01-01'
              AND period_end >= period_start
        ), parts AS (
            SELECT f, a, month(s) AS month,
                   {mask.format(d1="day(s)", d2="day(e)")} AS days, 1 AS in_year
            FROM r
            WHERE s >= {first} AND e <= {last} AND month(s) = month(e)
            UNION ALL
            SELECT f, a, NULL, NULL, 0 FROM r WHERE s > {last} OR e < {first}
            UNION ALL
            SELECT f, a, month,
                   {mask.format(d1="day(greatest(s, make_date({y}, month, 1)))",
                                d2="day(least(e, last_day(make_date({y}, month, 1))))")
                    .replace("{y}", str(year))},
                   CASE WHEN month = month(greatest(s, {first})) THEN 1 ELSE 0 END
            FROM (SELECT f, a, s, e,
                         unnest(range(month(greatest(s, {first})),
                                      month(least(e, {last})) + 1)) AS month
                  FROM r
                  WHERE s <= {last} AND e >= {first}
                    AND (s < {first} OR e > {last} OR month(s) <> month(e)))
        )
        SELECT f, a, CAST(sum(in_year) AS BIGINT) AS n, [{months}] AS masks
        FROM parts GROUP BY f, a
        """
    ).to_table("coverage_keys")
    con.sql(
        f"""
        SELECT fy.facility_code, l.facility_code_key AS f,
               greatest({first}, coalesce(fy.in_boundary_from, {first})) AS b_from,
               least({last}, coalesce(fy.in_boundary_to, {last})) AS b_to,
               fy.expected_activities
        FROM facility_years fy
        LEFT JOIN facility_code_labels l ON l.facility_code = fy.facility_code
        WHERE fy.year = {year} AND fy.in_boundary
        """
    ).to_table("coverage_boundary")
    con.sql(
        f"""
        WITH boundary AS (SELECT * FROM coverage_boundary),
        -- Ranks of the few facility codes and activities: the matrix is sorted by
        -- integers, not by strings, in the order of the strings.
        periodic AS (
            SELECT activity, dense_rank() OVER (ORDER BY activity) AS a_rank
            FROM catalog WHERE emission_method <> 'gas_mass'
        ),
        expected AS (
            SELECT b.facility_code, al.activity
            FROM coverage_keys r
            JOIN boundary b ON b.f = r.f
            JOIN activity_labels al ON al.activity_key = r.a
            UNION
            SELECT b.facility_code, unnest(b.expected_activities) AS activity FROM boundary b
        ),
        covered AS (
            SELECT b.facility_code, al.activity, c.masks
            FROM coverage_keys c
            JOIN boundary b ON b.f = c.f
            JOIN activity_labels al ON al.activity_key = c.a
        ),
        months AS (
            SELECT m AS month, make_date({year}, m, 1) AS m_first,
                   last_day(make_date({year}, m, 1)) AS m_last
            FROM range(1, 13) t(m)
        ),
        windows AS (
            -- The boundary's days of each month as a mask: a part-year facility's
            -- records outside its window cover nothing.
            SELECT b.facility_code, dense_rank() OVER (ORDER BY b.facility_code) AS f_rank,
                   mo.month,
                   CAST(greatest(0, date_diff('day', greatest(b.b_from, mo.m_first),
                                              least(b.b_to, mo.m_last)) + 1) AS INTEGER)
                       AS expected_days,
                   CASE WHEN b.b_from <= mo.m_last AND b.b_to >= mo.m_first
                         AND b.b_from <= b.b_to
                        THEN {mask.format(d1="day(greatest(b.b_from, mo.m_first))",
                                          d2="day(least(b.b_to, mo.m_last))")}
                        ELSE 0 END AS window
            FROM boundary b CROSS JOIN months mo
        )
        SELECT x.facility_code, x.activity, w.month, w.expected_days, w.f_rank, periodic.a_rank,
               CAST(coalesce(bit_count(c.masks[w.month] & w.window), 0) AS INTEGER)
                   AS covered_days
        FROM (SELECT DISTINCT facility_code, activity FROM expected) x
        JOIN periodic USING (activity)
        JOIN windows w USING (facility_code)
        LEFT JOIN covered c
          ON c.facility_code = x.facility_code AND c.activity = x.activity
        """
    ).to_table("coverage_matrix")
