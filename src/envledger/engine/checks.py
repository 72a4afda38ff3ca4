"""Plausibility checks of a reporting year: anomaly flags over the activity records.

Steps, each portable SQL over one DuckDB connection (rules and thresholds in
``methods.plausibility``; docs/data-quality.md, "Plausibility checks"):

1. **monthly_quantities** — every record allocated to the calendar months of the year
   and the year before, pro rata by days (as ``engine.quantities`` allocates to a
   year), converted to the activity's canonical unit and summed per series (facility,
   activity, variant, gas) and month;
2. **month_vs_last_year**, **month_vs_median**, **zero_month** — rules on those months;
3. **overlap** — records of one series whose periods share more than one day;
4. **intensity** — a facility's year per m2 or per person against its group (median
   and MAD).

Every flag has a stable ``key`` (rule, facility, activity, variant, gas, period, and
the group or record that makes it unique) that a dismissal refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from envledger.engine.inputs import InventoryInputs, keyed_activities
from envledger.methods.plausibility import (
    DEFAULT_THRESHOLDS,
    MAD_TO_SIGMA,
    Thresholds,
    slip_table,
)

FLAG_SCHEMA = pa.schema([
    ("key", pa.string()), ("rule", pa.string()), ("facility_code", pa.string()),
    ("activity", pa.string()), ("variant", pa.string()), ("gas", pa.string()),
    ("period_start", pa.date32()), ("period_end", pa.date32()), ("value", pa.float64()),
    ("unit", pa.string()), ("expected_low", pa.float64()), ("expected_high", pa.float64()),
    ("reference", pa.float64()), ("cause", pa.string()), ("detail", pa.string()),
])
"""One flag: ``value`` and the expected range in ``unit``; ``reference`` is what the
value was compared with (last year's month, the median month, the group median)."""

_SERIES = ("facility_key", "activity_key", "variant_key", "gas_key")
_CAUSES = {
    "month_vs_last_year": "a reading or period error, or a real change in use to explain",
    "month_vs_median": "a one-off reading, a period longer than a month, or a real change",
    "zero_month": "a missing reading entered as 0, or the site was shut that month",
    "intensity": "floor area or headcount wrong, a partial year, or a real difference in use",
}


@dataclass(frozen=True)
class CheckInputs:
    """The Arrow tables the checks read (schemas of docs/internals.md).

    Attributes
    ----------
    activities
        Records overlapping the reporting year or the year before; ``quantity`` in ``unit``.
    facility_years
        ``facility_code, year, floor_area_m2 [m2], headcount [person], in_boundary``.
    group_members
        ``group_name, facility_code``.
    catalog
        The activity catalog (``activities.csv``).
    unit_conversions
        ``activity, unit, to_canonical`` [canonical unit per unit].
    """

    activities: pa.Table
    facility_years: pa.Table
    group_members: pa.Table
    catalog: pa.Table
    unit_conversions: pa.Table

    @classmethod
    def of(cls, inputs: InventoryInputs) -> CheckInputs:
        """The tables of inventory inputs the checks read (no copy)."""
        return cls(inputs.activities, inputs.facility_years, inputs.group_members,
                   inputs.catalog, inputs.unit_conversions)


def check_year(
    inputs: CheckInputs, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pa.Table:
    """The anomaly flags of ``year`` (:data:`FLAG_SCHEMA`), sorted by facility and period.

    Only facilities inside the boundary in ``year`` are checked; the year before is read
    for the comparisons only.
    """
    con = _connect(inputs, year)
    monthly_quantities(con, year, thresholds)
    parts = [
        month_vs_last_year(con, year, thresholds),
        month_vs_median(con, year, thresholds),
        zero_month(con, year),
        overlap(con, year, thresholds),
        intensity(con, year, thresholds),
    ]
    labels = "\n".join(
        f"LEFT JOIN {name}_labels l_{name} ON l_{name}.{name}_key = f.{key}"
        for name, key in (("facility_code", "facility_key"), ("activity", "activity_key"),
                          ("variant", "variant_key"), ("gas", "gas_key"))
    )
    names = ("l_facility_code.facility_code, l_activity.activity,"
             " COALESCE(l_variant.variant, '') AS variant, COALESCE(l_gas.gas, '') AS gas")
    key = ("l_facility_code.facility_code || ':' || l_activity.activity || ':'"
           " || COALESCE(l_variant.variant, '') || ':' || COALESCE(l_gas.gas, '')")
    return con.sql(
        f"""
        SELECT f.rule || ':' || {key} || ':' || f.key_tail AS key,
               f.rule, {names}, f.period_start, f.period_end, f.value,
               COALESCE(f.unit, c.canonical_unit) AS unit, f.expected_low, f.expected_high,
               f.reference,
               -- Named here, on the flagged rows only: in the rules, the lookup ran for
               -- every month of every series.
               COALESCE((SELECT MIN(sl.cause) FROM slips sl JOIN unit_labels u
                           ON u.unit = sl.unit
                         WHERE u.unit_key = f.slip_unit_key
                           AND f.ratio BETWEEN sl.ratio_low AND sl.ratio_high),
                        (SELECT MIN(sl.cause) FROM slips sl
                         WHERE sl.unit = '*' AND f.ratio BETWEEN sl.ratio_low AND sl.ratio_high),
                        f.cause) AS cause,
               f.detail
        FROM ({" UNION ALL ".join(parts)}) f
        {labels}
        JOIN catalog c ON c.activity = l_activity.activity
        ORDER BY 3, 4, 5, 6, 7, 2, 1
        """
    ).to_arrow_table().cast(FLAG_SCHEMA)


def _connect(inputs: CheckInputs, year: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    # Every result is sorted at the end: the steps need not keep the input order.
    con.execute("SET preserve_insertion_order = false")
    keyed, labels = keyed_activities(inputs.activities)
    con.register("keyed_activities", keyed)
    # Month indices (year x 12 + month - 1) by DuckDB's date parts, evaluated where the
    # monthly step reads them: a quarter of the time of Arrow's calendar kernels over
    # the whole table (measured, 3 M records, DuckDB 2.0).
    months = ", ".join(
        f"CAST(year({c}) * 12 + month({c}) - 1 AS INTEGER) AS {m}"
        for m, c in (("m0", "period_start"), ("m1", "period_end"))
    )
    con.sql(
        "SELECT record_id, period_start, period_end, quantity, facility_code_key AS facility_key,"
        f" activity_key, variant_key, gas_key, unit_key, {months} FROM keyed_activities"
    ).create_view("records")
    for name, table in labels.items():
        con.register(f"{name}_labels", table)
    for name in ("facility_years", "group_members", "catalog", "unit_conversions"):
        con.register(name, getattr(inputs, name))
    con.register("slips", slip_table())
    calendar = " UNION ALL ".join(
        f"SELECT {y * 12 + m - 1} AS month, DATE '{y:04d}-{m:02d}-01' AS first_day,"
        f" CAST(DATE '{y + m // 12:04d}-{m % 12 + 1:02d}-01' - 1 AS DATE) AS last_day"
        for y in (year - 1, year) for m in range(1, 13)
    )
    con.sql(calendar).create_view("calendar")
    con.sql(
        f"""
        SELECT l.facility_code_key AS facility_key
        FROM facility_years fy JOIN facility_code_labels l ON l.facility_code = fy.facility_code
        WHERE fy.year = {year} AND fy.in_boundary
        """
    ).create_view("in_boundary")
    return con


def monthly_quantities(
    con: duckdb.DuckDBPyConnection, year: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> None:
    """Create ``monthly`` and ``series``: each series' months of ``year`` beside the same
    months of the year before, and the series' statistics.

    ``monthly``: per series and month of the year ``moy`` (0-11), ``q_cur`` and
    ``q_prev`` [canonical unit] = sum of quantity [unit] x to_canonical x days of the
    record in the month / days of the record (inclusive dates), null for a month
    without a record; ``record_count`` [1] (the most in either year), ``unit_lo`` /
    ``unit_hi`` (smallest and largest unit key of the current month: equal when its
    records share one unit). Pairing the two years in one row spares a join of the
    months with themselves. A record inside one month (the usual monthly invoice)
    skips the calendar join. Records in units without a conversion are left to the
    inventory, which refuses them (``engine.quantities.check_units``); records of
    facilities outside the boundary in ``year`` are left out.

    ``series``: ``positive_months``, ``min_q``/``max_q`` of the non-zero months,
    ``first_positive``/``last_positive`` (month numbers, year x 12 + month - 1),
    ``most_records``, ``year_q`` (the year's sum) and ``median_q`` [canonical unit],
    the median of the non-zero months. The median (a sort) is taken only for series
    that a rule can flag: whose largest month exceeds the median band of the
    smallest, with a month outside the band of last year's, or with a zero month; for
    any other series no month can be outside the band around the median, which lies
    between the smallest and largest.

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4: activity spanning two periods is
    apportioned (here by days, to months).
    """
    first, last = f"DATE '{year - 1:04d}-01-01'", f"DATE '{year:04d}-12-31'"
    keys = ", ".join(_SERIES)
    cur = f"month >= {year * 12}"
    con.sql(
        f"""
        CREATE TABLE monthly AS
        WITH conv AS (
            SELECT a.activity_key, u.unit_key, c.to_canonical
            FROM unit_conversions c
            JOIN activity_labels a ON a.activity = c.activity
            JOIN unit_labels u ON u.unit = c.unit
        ), r AS (
            SELECT {", ".join(f"k.{k}" for k in _SERIES)}, k.unit_key, k.period_start,
                   k.period_end, k.quantity * c.to_canonical AS quantity, k.m0, k.m1
            FROM records k
            JOIN conv c ON c.activity_key = k.activity_key AND c.unit_key = k.unit_key
            JOIN in_boundary b ON b.facility_key = k.facility_key
            WHERE k.period_start <= {last} AND k.period_end >= {first}
        ), parts AS (
            SELECT {keys}, unit_key, m0 AS month, quantity FROM r
            WHERE m0 = m1 AND m0 >= {(year - 1) * 12}
            UNION ALL
            SELECT {", ".join(f"r.{k}" for k in _SERIES)}, r.unit_key, cal.month,
                   r.quantity
                   * CAST((CASE WHEN r.period_end < cal.last_day THEN r.period_end
                                ELSE cal.last_day END)
                          - (CASE WHEN r.period_start > cal.first_day THEN r.period_start
                                  ELSE cal.first_day END) + 1 AS DOUBLE)
                   / CAST(r.period_end - r.period_start + 1 AS DOUBLE)
            FROM r JOIN calendar cal ON r.m0 <= cal.month AND r.m1 >= cal.month
            WHERE r.m0 < r.m1
        )
        SELECT {keys}, month % 12 AS moy,
               SUM(CASE WHEN {cur} THEN quantity END) AS q_cur,
               SUM(CASE WHEN NOT ({cur}) THEN quantity END) AS q_prev,
               GREATEST(COUNT(CASE WHEN {cur} THEN 1 END),
                        COUNT(CASE WHEN NOT ({cur}) THEN 1 END)) AS record_count,
               MIN(CASE WHEN {cur} THEN unit_key END) AS unit_lo,
               MAX(CASE WHEN {cur} THEN unit_key END) AS unit_hi
        FROM parts GROUP BY {keys}, month % 12
        """
    )
    band, f = thresholds.last_year_band, thresholds.median_factor
    on = " AND ".join(f"c.{k} = x.{k}" for k in _SERIES)
    con.sql(
        f"""
        CREATE TABLE series_stats AS
        SELECT {keys},
               COUNT(CASE WHEN q_cur > 0 THEN 1 END) + COUNT(CASE WHEN q_prev > 0 THEN 1 END)
                   AS positive_months,
               LEAST(MIN(CASE WHEN q_cur > 0 THEN q_cur END),
                     MIN(CASE WHEN q_prev > 0 THEN q_prev END)) AS min_q,
               GREATEST(MAX(CASE WHEN q_cur > 0 THEN q_cur END),
                        MAX(CASE WHEN q_prev > 0 THEN q_prev END)) AS max_q,
               LEAST(MIN(CASE WHEN q_prev > 0 THEN {(year - 1) * 12} + moy END),
                     MIN(CASE WHEN q_cur > 0 THEN {year * 12} + moy END)) AS first_positive,
               GREATEST(MAX(CASE WHEN q_prev > 0 THEN {(year - 1) * 12} + moy END),
                        MAX(CASE WHEN q_cur > 0 THEN {year * 12} + moy END)) AS last_positive,
               MAX(record_count) AS most_records, SUM(q_cur) AS year_q,
               MAX(CASE WHEN q_cur = 0
                          OR (q_cur > 0 AND q_prev > 0 AND (q_cur > q_prev * {1 + band}
                                                            OR q_cur < q_prev * {1 - band}))
                        THEN 1 ELSE 0 END) AS month_suspect
        FROM monthly GROUP BY {keys}
        """
    )
    con.sql(
        f"""
        CREATE TABLE series AS
        WITH candidates AS (
            SELECT {keys} FROM series_stats
            WHERE month_suspect = 1 OR max_q > min_q * {f}
        ), vals AS (
            SELECT {keys}, q_cur AS v FROM monthly WHERE q_cur > 0
            UNION ALL SELECT {keys}, q_prev FROM monthly WHERE q_prev > 0
        ), medians AS (
            SELECT {_series_keys("x")},
                   PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY x.v) AS median_q
            FROM vals x JOIN candidates c ON {on}
            GROUP BY {_series_keys("x")}
        )
        SELECT {_series_keys("x")}, x.positive_months, x.min_q, x.max_q, x.first_positive,
               x.last_positive, x.most_records, x.year_q, c.median_q
        FROM series_stats x LEFT JOIN medians c ON {on}
        """
    )


def _month_flags(year: int) -> str:
    """SQL FROM clause: the months of ``year`` (alias m: ``q_cur``, ``q_prev``) with their
    series (s) and calendar (cal)."""
    on = " AND ".join(f"s.{k} = m.{k}" for k in _SERIES)
    return f"""
        monthly m JOIN series s ON {on}
        JOIN calendar cal ON cal.month = {year * 12} + m.moy
        WHERE m.q_cur IS NOT NULL
    """


_NO_SLIP = "CAST(NULL AS DOUBLE) AS ratio, CAST(NULL AS INTEGER) AS slip_unit_key,"


def _single_unit() -> str:
    """SQL: the unit key of a month whose records share one unit, else null."""
    return "CASE WHEN m.unit_lo = m.unit_hi THEN m.unit_lo END"


def _month_tail() -> str:
    """SQL: the key's period, ``YYYY-MM``."""
    return "CAST(cal.first_day AS VARCHAR)[1:7]"


def _series_keys(alias: str) -> str:
    return ", ".join(f"{alias}.{k}" for k in _SERIES)


def month_vs_last_year(
    con: duckdb.DuckDBPyConnection, year: int, thresholds: Thresholds
) -> str:
    """SQL: months outside [1 - b, 1 + b] x the same month of the year before.

    Both months non-zero, and the change at least ``last_year_floor`` x the series'
    median month [canonical unit]; ``reference`` is last year's month.
    """
    band, floor = thresholds.last_year_band, thresholds.last_year_floor
    return f"""
        SELECT {_series_keys("m")}, 'month_vs_last_year' AS rule, {_month_tail()} AS key_tail,
               cal.first_day AS period_start, cal.last_day AS period_end,
               m.q_cur AS value, CAST(NULL AS VARCHAR) AS unit,
               m.q_prev * {1 - band} AS expected_low, m.q_prev * {1 + band} AS expected_high,
               m.q_prev AS reference,
               '{_CAUSES["month_vs_last_year"]}' AS cause, m.q_cur / m.q_prev AS ratio,
               {_single_unit()} AS slip_unit_key,
               'same month of ' || CAST({year - 1} AS VARCHAR) || ': '
                   || CAST(m.q_prev AS VARCHAR) AS detail
        FROM {_month_flags(year)}
          AND m.q_cur > 0 AND m.q_prev > 0
          AND (m.q_cur > m.q_prev * {1 + band} OR m.q_cur < m.q_prev * {1 - band})
          AND ABS(m.q_cur - m.q_prev) >= {floor} * COALESCE(s.median_q, 0)
    """


def month_vs_median(
    con: duckdb.DuckDBPyConnection, year: int, thresholds: Thresholds
) -> str:
    """SQL: non-zero months outside [median / f, median x f] of the series' median month.

    The median is over the series' non-zero months of the year and the year before
    (at least ``min_median_months`` of them); ``reference`` is the median.
    """
    f = thresholds.median_factor
    return f"""
        SELECT {_series_keys("m")}, 'month_vs_median' AS rule, {_month_tail()} AS key_tail,
               cal.first_day AS period_start, cal.last_day AS period_end,
               m.q_cur AS value, CAST(NULL AS VARCHAR) AS unit,
               s.median_q / {f} AS expected_low, s.median_q * {f} AS expected_high,
               s.median_q AS reference,
               '{_CAUSES["month_vs_median"]}' AS cause, m.q_cur / s.median_q AS ratio,
               {_single_unit()} AS slip_unit_key,
               'median of ' || CAST(s.positive_months AS VARCHAR) || ' non-zero months of '
                   || CAST({year - 1} AS VARCHAR) || '-' || CAST({year} AS VARCHAR) || ': '
                   || CAST(s.median_q AS VARCHAR) AS detail
        FROM {_month_flags(year)}
          AND m.q_cur > 0 AND s.positive_months >= {thresholds.min_median_months}
          AND (m.q_cur > s.median_q * {f} OR m.q_cur < s.median_q / {f})
    """


def zero_month(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """SQL: months whose records sum to 0 between non-zero months of the same series.

    A month without any record is a coverage gap, not a zero (docs/data-quality.md).
    The expected range is the median band when the series has a median.
    """
    f = DEFAULT_THRESHOLDS.median_factor
    return f"""
        SELECT {_series_keys("m")}, 'zero_month' AS rule, {_month_tail()} AS key_tail,
               cal.first_day AS period_start, cal.last_day AS period_end,
               m.q_cur AS value, CAST(NULL AS VARCHAR) AS unit,
               s.median_q / {f} AS expected_low, s.median_q * {f} AS expected_high,
               s.median_q AS reference, '{_CAUSES["zero_month"]}' AS cause,
               {_NO_SLIP}
               'non-zero months before and after it' AS detail
        FROM {_month_flags(year)}
          AND m.q_cur = 0 AND s.first_positive < cal.month AND s.last_positive > cal.month
    """


def overlap(con: duckdb.DuckDBPyConnection, year: int, thresholds: Thresholds) -> str:
    """SQL: records sharing more than ``overlap_days`` days with an earlier record of
    their series (facility, activity, variant, gas), whatever their quantities.

    Records are ordered by start, end and id; a record overlaps when the latest end of
    the records before it is at least ``overlap_days`` + 1 days into its period. Only
    series with a month of two or more records are sorted (a month of one record
    cannot hold an overlap). ``value`` is the overlap [day] with the earlier records.

    References
    ----------
    ENERGY STAR Portfolio Manager meter-entry help: overlapping bills are an error; a
    shared end/start day goes to the later bill.
    """
    first, last = f"DATE '{year:04d}-01-01'", f"DATE '{year:04d}-12-31'"
    keys = ", ".join(_SERIES)
    on = " AND ".join(f"c.{k} = k.{k}" for k in _SERIES)
    con.sql(
        f"""
        CREATE TABLE overlapping AS
        WITH candidates AS (SELECT {keys} FROM series WHERE most_records > 1),
        r AS (
            SELECT {", ".join(f"k.{k}" for k in _SERIES)}, k.record_id, k.period_start,
                   k.period_end, k.quantity, k.unit_key,
                   MAX(k.period_end) OVER (
                       PARTITION BY {", ".join(f"k.{k}" for k in _SERIES)}
                       ORDER BY k.period_start, k.period_end, k.record_id
                       ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
            FROM records k JOIN candidates c ON {on}
        )
        SELECT *, (CASE WHEN before_end < period_end THEN before_end ELSE period_end END)
                  AS overlap_end
        FROM r
        WHERE (CASE WHEN before_end < period_end THEN before_end ELSE period_end END)
              - period_start + 1 > {thresholds.overlap_days}
          AND period_start <= {last}
          AND (CASE WHEN before_end < period_end THEN before_end ELSE period_end END) >= {first}
        """
    )
    pair = " AND ".join(f"e.{k} = o.{k}" for k in _SERIES)
    record = ("CAST({a}.record_id AS VARCHAR) || ' (' || CAST({a}.period_start AS VARCHAR)"
              " || '..' || CAST({a}.period_end AS VARCHAR) || ', ' || CAST({a}.quantity AS"
              " VARCHAR) || ' ' || {u}.unit || ')'")
    return f"""
        SELECT {_series_keys("o")}, 'overlap' AS rule,
               CAST(o.period_start AS VARCHAR) || '/' || CAST(o.overlap_end AS VARCHAR)
                   || ':r' || CAST(o.record_id AS VARCHAR) AS key_tail,
               o.period_start, o.overlap_end AS period_end,
               CAST(o.overlap_end - o.period_start + 1 AS DOUBLE) AS value, 'day' AS unit,
               0.0 AS expected_low, CAST({thresholds.overlap_days} AS DOUBLE) AS expected_high,
               CAST(NULL AS DOUBLE) AS reference,
               'a duplicated invoice, or a corrected invoice entered beside the original'
                   AS cause, {_NO_SLIP}
               'record ' || {record.format(a="o", u="ou")} || ' overlaps record '
                   || (SELECT STRING_AGG({record.format(a="e", u="eu")}, ', '
                                         ORDER BY e.record_id)
                       FROM records e JOIN unit_labels eu ON eu.unit_key = e.unit_key
                       WHERE {pair} AND e.record_id <> o.record_id
                         AND e.period_start <= o.overlap_end AND e.period_end >= o.period_start
                         AND (e.period_start < o.period_start
                              OR (e.period_start = o.period_start
                                  AND (e.period_end < o.period_end
                                       OR (e.period_end = o.period_end
                                           AND e.record_id < o.record_id))))) AS detail
        FROM overlapping o JOIN unit_labels ou ON ou.unit_key = o.unit_key
    """


def intensity(con: duckdb.DuckDBPyConnection, year: int, thresholds: Thresholds) -> str:
    """SQL: facilities whose year per m2 (energy) or per person (water, waste) is an
    outlier in a facility group: |x - median| > z x 1.4826 x MAD.

    x [canonical unit/m2 or /person] = the facility's quantity of the activity in the
    year (all variants) / its floor area or headcount; median and MAD over the group's
    in-boundary facilities with the activity and a denominator > 0, at least
    ``min_group_size`` of them, MAD > 0.

    References
    ----------
    Iglewicz and Hoaglin (1993), modified z-score; GHG Protocol Corporate Standard
    (2004), ch. 9 (ratio indicators).
    """
    spread = f"{thresholds.mad_z} * {MAD_TO_SIGMA} * g.mad"
    con.sql(f"CREATE TABLE intensities AS {_intensities(year)}")
    return f"""
        SELECT x.facility_key, x.activity_key, CAST(NULL AS INTEGER) AS variant_key,
               CAST(NULL AS INTEGER) AS gas_key, x.rule,
               CAST({year} AS VARCHAR) || ':' || x.group_name AS key_tail,
               DATE '{year:04d}-01-01' AS period_start, DATE '{year:04d}-12-31' AS period_end,
               x.value, x.canonical_unit || x.per AS unit,
               CASE WHEN g.median_x - {spread} > 0 THEN g.median_x - {spread} ELSE 0.0 END
                   AS expected_low,
               g.median_x + {spread} AS expected_high, g.median_x AS reference,
               '{_CAUSES["intensity"]}' AS cause, {_NO_SLIP}
               'group ' || x.group_name || ': median ' || CAST(g.median_x AS VARCHAR)
                   || ', MAD ' || CAST(g.mad AS VARCHAR) || ', '
                   || CAST(g.n AS VARCHAR) || ' facilities' AS detail
        FROM intensities x
        JOIN ({_group_spread()}) g
          ON g.group_name = x.group_name AND g.activity_key = x.activity_key AND g.rule = x.rule
        WHERE g.n >= {thresholds.min_group_size} AND g.mad > 0
          AND ABS(x.value - g.median_x) > {spread}
    """


def _intensities(year: int) -> str:
    """SQL: per group member and activity, the year's intensity and its rule."""
    return f"""
        SELECT m.facility_key, m.activity_key, gm.group_name, c.canonical_unit, r.rule, r.per,
               SUM(m.quantity) / MAX(CASE WHEN r.rule = 'intensity_per_m2'
                                          THEN fy.floor_area_m2 ELSE fy.headcount END) AS value
        FROM (SELECT facility_key, activity_key, SUM(year_q) AS quantity FROM series
              WHERE year_q IS NOT NULL GROUP BY facility_key, activity_key) m
        JOIN activity_labels a ON a.activity_key = m.activity_key
        JOIN catalog c ON c.activity = a.activity
        JOIN (SELECT 'intensity_per_m2' AS rule, '/m2' AS per, 'direct' AS class
              UNION ALL SELECT 'intensity_per_m2', '/m2', 'indirect'
              UNION ALL SELECT 'intensity_per_person', '/person', 'water'
              UNION ALL SELECT 'intensity_per_person', '/person', 'waste') r
          ON r.class = c.energy_class OR r.class = c.source
        JOIN facility_code_labels f ON f.facility_code_key = m.facility_key
        JOIN facility_years fy ON fy.facility_code = f.facility_code AND fy.year = {year}
        JOIN group_members gm ON gm.facility_code = f.facility_code
        WHERE (CASE WHEN r.rule = 'intensity_per_m2' THEN fy.floor_area_m2
                    ELSE fy.headcount END) > 0
        GROUP BY m.facility_key, m.activity_key, gm.group_name, c.canonical_unit, r.rule, r.per
    """


def _group_spread() -> str:
    """SQL: per group, activity and rule, the median and MAD of ``intensities``."""
    return """
        SELECT i.group_name, i.activity_key, i.rule, MIN(g.median_x) AS median_x,
               PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY ABS(i.value - g.median_x)) AS mad,
               COUNT(*) AS n
        FROM intensities i
        JOIN (SELECT group_name, activity_key, rule,
                     PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY value) AS median_x
              FROM intensities GROUP BY group_name, activity_key, rule) g
          ON g.group_name = i.group_name AND g.activity_key = i.activity_key
         AND g.rule = i.rule
        GROUP BY i.group_name, i.activity_key, i.rule
    """


__all__ = ["FLAG_SCHEMA", "CheckInputs", "check_year", "monthly_quantities"]
