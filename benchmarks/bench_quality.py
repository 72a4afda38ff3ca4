"""Benchmark: coverage and plausibility checks together over one synthetic record set.

    .venv/bin/python benchmarks/bench_quality.py --records 10000000 --runs 3

Generates ``--records`` activity records with DuckDB (no Python loop): monthly records
of 2022 and 2023 for 10 activities per facility (``n / 240`` facilities, in groups of
50), every 1,000th record stretched to the end of the next month (a two-month period
overlapping the next record), a x1000 slip every 99,991st, a zero every 299,993rd and
a duplicated invoice every 199,999th. On that one set it times, best of ``--runs``:

- the baseline: ``year_quantities`` for 2023 on a connection from
  ``engine.inputs.connect`` (the inventory's one pass over the records);
- ``year_coverage`` for 2023 on that connection;
- ``check_year`` for 2023 (which opens its own connection and encodes the keys);
- coverage + checks, one after the other.

It prints seconds, the ratios to the baseline, the peak RSS and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from typing import TypeVar

import duckdb
import pyarrow as pa
from bench_inventory import reference_tables

from envledger.engine.checks import CheckInputs, check_year
from envledger.engine.coverage import year_coverage
from envledger.engine.inputs import InventoryInputs, connect
from envledger.engine.quantities import year_quantities
from envledger.engine.schemas import ACTIVITY_SCHEMA, FACILITY_YEAR_SCHEMA, MEMBER_SCHEMA

YEAR = 2023
T = TypeVar("T")
ACTIVITIES = [  # (activity, unit, typical monthly quantity [unit])
    ("electricity", "kWh", 50_000.0), ("heat", "GJ", 120.0), ("natural_gas", "m3", 3_000.0),
    ("diesel", "L", 400.0), ("gasoline", "L", 200.0), ("lpg", "kg", 100.0),
    ("water_running", "m3", 800.0), ("water_reclaimed", "t", 90.0),
    ("waste_hazardous", "t", 0.4), ("waste_non_hazardous", "t", 6.0),
]


def synthetic(n: int) -> dict[str, pa.Table]:
    """``activities``, ``facilities``, ``facility_years``, ``group_members`` for ``n``
    records (plus the duplicated invoices)."""
    con = duckdb.connect()
    kinds = " UNION ALL ".join(
        f"SELECT {i} AS k, '{a}' AS activity, '{u}' AS unit, {q} AS q"
        for i, (a, u, q) in enumerate(ACTIVITIES)
    )
    code = "'F' || lpad(CAST(p.f AS VARCHAR), 6, '0')"
    start = f"make_date({YEAR - 1} + p.m // 12, p.m % 12 + 1, 1)"
    activities = con.sql(
        f"""
        WITH p AS (SELECT range AS i, range % 24 AS m, (range // 24) % {len(ACTIVITIES)} AS k,
                          range // {24 * len(ACTIVITIES)} AS f FROM range({n}))
        SELECT p.i + 1 AS record_id, {code} AS facility_code, {start} AS period_start,
               last_day({start} + INTERVAL (CASE WHEN p.i % 1000 = 500 AND p.m < 23
                                                 THEN 1 ELSE 0 END) MONTH) AS period_end,
               k.activity,
               CASE WHEN p.i % 299993 = 0 THEN 0.0
                    ELSE k.q * (1000 + hash(p.f) % 5000) / 3000.0
                         * (1 + 0.1 * ((hash(p.i) % 100) / 100.0 - 0.5))
                         * (CASE WHEN p.i % 99991 = 0 THEN 1000 ELSE 1 END) END AS quantity,
               k.unit, '' AS gas, '' AS variant, 'invoice' AS data_source,
               CAST(NULL AS DOUBLE) AS uncertainty_pct
        FROM p JOIN ({kinds}) k ON k.k = p.k
        UNION ALL
        SELECT {n} + p.i + 1, {code}, {start}, last_day({start}), k.activity, k.q * 0.97,
               k.unit, '', '', 'invoice', NULL
        FROM p JOIN ({kinds}) k ON k.k = p.k WHERE p.i % 199999 = 7
        """
    ).to_arrow_table().cast(ACTIVITY_SCHEMA)
    count = n // (24 * len(ACTIVITIES)) + 1
    sites = f"FROM (SELECT range AS f FROM range({count})) p"
    facilities = con.sql(
        f"""
        SELECT {code} AS code, 'Site ' || {code} AS name, 'office' AS type, 'CN' AS country,
               'CN-BJ' AS province, 'North China' AS grid_region, '' AS sector {sites}
        """
    ).to_arrow_table()
    years = con.sql(
        f"""
        SELECT {code} AS facility_code, y AS year, 1000.0 + (hash(p.f) % 5000) AS floor_area_m2,
               (1000.0 + (hash(p.f) % 5000)) / 25 AS headcount, true AS in_boundary,
               CAST(NULL AS VARCHAR[]) AS expected_activities,
               CAST(NULL AS DATE) AS in_boundary_from, CAST(NULL AS DATE) AS in_boundary_to
        {sites} CROSS JOIN (VALUES ({YEAR - 1}), ({YEAR})) t(y)
        """
    ).to_arrow_table().cast(FACILITY_YEAR_SCHEMA)
    members = con.sql(
        f"SELECT 'G' || CAST(p.f // 50 AS VARCHAR) AS group_name, {code} AS facility_code"
        f" {sites}"
    ).to_arrow_table().cast(MEMBER_SCHEMA)
    return {"activities": activities, "facilities": facilities, "facility_years": years,
            "group_members": members}


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, T]:
    """The shortest wall time [s] of ``runs`` calls of ``work`` and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each; the best is shown")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    start = time.perf_counter()
    tables = {**reference_tables(), **synthetic(args.records)}
    inputs = InventoryInputs(**tables)
    n = inputs.activities.num_rows
    print(f"generated {n:,} records in {time.perf_counter() - start:.1f} s")
    checks = CheckInputs.of(inputs)
    start = time.perf_counter()
    with connect(inputs, []) as con:
        print(f"connect (encode keys): {time.perf_counter() - start:.2f} s")
        base_s, _ = best_of(args.runs, lambda: year_quantities(con, [YEAR]).to_arrow_table())
        cov_s, cov = best_of(args.runs, lambda: year_coverage(con, YEAR))
        check_s, flags = best_of(args.runs, lambda: check_year(checks, YEAR))
        both_s, _ = best_of(args.runs, lambda: (year_coverage(con, YEAR),
                                                check_year(checks, YEAR)))
    by_rule = flags.group_by("rule").aggregate([("key", "count")]).to_pylist()
    print(f"records: {n:,}")
    for name, seconds in (("baseline year_quantities", base_s), ("year_coverage", cov_s),
                          ("check_year", check_s), ("coverage + checks", both_s)):
        print(f"{name:26s} {seconds:6.2f} s  ratio {seconds / base_s:5.2f}")
    print(f"coverage: share covered {cov.share_covered:.4f}, {cov.gaps.num_rows:,} gaps;"
          f" flags: {flags.num_rows:,} {sorted((r['rule'], r['key_count']) for r in by_rule)}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
