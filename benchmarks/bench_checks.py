"""Benchmark: plausibility checks (engine.checks.check_year) over synthetic monthly records.

    .venv/bin/python benchmarks/bench_checks.py --records 10000000

Generates ``--records`` monthly records of 2022 and 2023 with DuckDB (no Python loop):
10 activities per facility, one record per calendar month, so n / 240 facilities, in
groups of 50 with floor area and headcount; a x1000 slip every 99,991st record, a
duplicated invoice every 199,999th and a zero every 299,993rd. Times, best of
``--runs``, the baseline (dictionary-encoding the key columns and the engine's plain
``year_quantities`` aggregation for 2023) and ``check_year(2023)`` (which encodes too).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from envledger import data
from envledger.engine.checks import CheckInputs, check_year
from envledger.engine.inputs import keyed_activities
from envledger.engine.quantities import year_quantities
from envledger.engine.schemas import ACTIVITY_SCHEMA, FACILITY_YEAR_SCHEMA, MEMBER_SCHEMA
from envledger.methods.units import build_unit_conversions

YEAR = 2023
ACTIVITIES = [  # (activity, unit, typical monthly quantity [unit])
    ("electricity", "kWh", 50_000.0), ("heat", "GJ", 120.0), ("natural_gas", "m3", 3_000.0),
    ("diesel", "L", 400.0), ("gasoline", "L", 200.0), ("lpg", "kg", 100.0),
    ("water_running", "m3", 800.0), ("water_reclaimed", "t", 90.0),
    ("waste_hazardous", "t", 0.4), ("waste_non_hazardous", "t", 6.0),
]


def synthetic(n: int) -> tuple[pa.Table, pa.Table, pa.Table]:
    """(activities, facility_years, group_members) for ``n`` monthly records."""
    con = duckdb.connect()
    kinds = " UNION ALL ".join(
        f"SELECT {i} AS k, '{a}' AS activity, '{u}' AS unit, {q} AS q"
        for i, (a, u, q) in enumerate(ACTIVITIES)
    )
    activities = con.sql(
        f"""
        WITH r AS (SELECT range AS i FROM range({n})),
        p AS (SELECT i, i % 24 AS m, (i // 24) % {len(ACTIVITIES)} AS k,
                     i // {24 * len(ACTIVITIES)} AS f FROM r)
        SELECT p.i + 1 AS record_id, 'F' || CAST(p.f AS VARCHAR) AS facility_code,
               make_date({YEAR - 1} + p.m // 12, p.m % 12 + 1, 1) AS period_start,
               CAST(make_date({YEAR - 1} + p.m // 12, p.m % 12 + 1, 1)
                    + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE) AS period_end,
               k.activity,
               CASE WHEN p.i % 299993 = 0 THEN 0.0
                    ELSE k.q * (1000 + hash(p.f) % 5000) / 3000.0
                         * (1 + 0.1 * ((hash(p.i) % 100) / 100.0 - 0.5))
                         * (CASE WHEN p.i % 99991 = 0 THEN 1000 ELSE 1 END) END AS quantity,
               k.unit, '' AS gas, '' AS variant, 'invoice' AS data_source,
               CAST(NULL AS DOUBLE) AS uncertainty_pct
        FROM p JOIN ({kinds}) k ON k.k = p.k
        UNION ALL
        SELECT {n} + p.i + 1, 'F' || CAST(p.f AS VARCHAR),
               make_date({YEAR - 1} + p.m // 12, p.m % 12 + 1, 1),
               CAST(make_date({YEAR - 1} + p.m // 12, p.m % 12 + 1, 1)
                    + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE),
               k.activity, k.q * 0.97, k.unit, '', '', 'invoice', NULL
        FROM p JOIN ({kinds}) k ON k.k = p.k WHERE p.i % 199999 = 7
        """
    ).to_arrow_table().cast(ACTIVITY_SCHEMA)
    facilities = n // (24 * len(ACTIVITIES)) + 1
    years = con.sql(
        f"""
        SELECT 'F' || CAST(range AS VARCHAR) AS facility_code, {YEAR} AS year,
               1000.0 + (hash(range) % 5000) AS floor_area_m2,
               (1000.0 + (hash(range) % 5000)) / 25 AS headcount, true AS in_boundary,
               CAST(NULL AS VARCHAR[]) AS expected_activities,
               CAST(NULL AS DATE) AS in_boundary_from, CAST(NULL AS DATE) AS in_boundary_to
        FROM range({facilities})
        """
    ).to_arrow_table().cast(FACILITY_YEAR_SCHEMA)
    members = con.sql(
        f"SELECT 'G' || CAST(range // 50 AS VARCHAR) AS group_name,"
        f" 'F' || CAST(range AS VARCHAR) AS facility_code FROM range({facilities})"
    ).to_arrow_table().cast(MEMBER_SCHEMA)
    return activities, years, members


def baseline(activities: pa.Table, years: pa.Table) -> int:
    """Encode the keys and run the engine's year_quantities for YEAR; returns its rows."""
    con = duckdb.connect()
    keyed, labels = keyed_activities(activities)
    con.register("keyed_activities", keyed)
    con.register("keyed_overrides", keyed.filter(pc.is_valid(keyed["uncertainty_pct"])))
    con.register("facility_years", years)
    for name, table in labels.items():
        con.register(f"{name}_labels", table)
    return len(year_quantities(con, [YEAR]).fetchall())


def best(runs: int, work: object) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    start = time.perf_counter()
    activities, years, members = synthetic(args.records)
    print(f"generated {activities.num_rows:,} records in {time.perf_counter() - start:.1f} s")
    catalog = data.load_activity_catalog()
    conversions = build_unit_conversions(catalog, data.load_fuel_properties())
    inputs = CheckInputs(activities, years, members, catalog, conversions)
    base_s, rows = best(args.runs, lambda: baseline(activities, years))
    check_s, flags = best(args.runs, lambda: check_year(inputs, YEAR))
    assert isinstance(flags, pa.Table)
    by_rule = flags.group_by("rule").aggregate([("key", "count")]).to_pylist()
    print(f"baseline (encode + year_quantities {YEAR}): {base_s:.2f} s, {rows:,} rows")
    print(f"check_year({YEAR}): {check_s:.2f} s, {flags.num_rows:,} flags"
          f" {sorted((r['rule'], r['key_count']) for r in by_rule)}")
    print(f"checks / baseline: {check_s / base_s:.2f}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
