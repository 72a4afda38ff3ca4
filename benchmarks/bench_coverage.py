"""Benchmark of the coverage step (engine.coverage) against the plain year aggregation.

``python benchmarks/bench_coverage.py --records 10000000`` generates the synthetic
records of bench_inventory.py (2,000 facilities, monthly periods of 2023, some crossing
from December 2022 or in 2024), builds ``InventoryInputs`` once and times, on one DuckDB
connection, the best of ``--runs`` runs of

- the baseline: ``year_quantities`` for 2023 (the engine's hot path: one pass over the
  records, grouped by integer keys), fetched as Arrow;
- ``year_coverage`` for 2023 (distinct periods per facility and activity, gaps and
  islands, the facility x activity x month matrix, gaps, facilities without a
  facility-year, figure shares).

It prints both times, records/s, the ratio coverage / baseline, the coverage found
(share covered, gaps) and the machine's load average before and after.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Callable
from typing import TypeVar

from bench_inventory import YEAR, reference_inputs, synthetic_activities

from envledger.engine.coverage import year_coverage
from envledger.engine.inputs import connect
from envledger.engine.quantities import year_quantities

T = TypeVar("T")


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
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    activities = synthetic_activities(args.records, args.seed)
    start = time.perf_counter()
    inputs = reference_inputs(activities)
    print(f"InventoryInputs (encode): {time.perf_counter() - start:.2f} s")
    with connect(inputs, []) as con:
        baseline, _ = best_of(
            args.runs, lambda: year_quantities(con, [YEAR]).to_arrow_table()
        )
        coverage_s, coverage = best_of(args.runs, lambda: year_coverage(con, YEAR))
    n = args.records
    print(f"records: {n:,}")
    print(f"baseline year_quantities: {baseline:.2f} s ({n / baseline / 1e6:.1f} M records/s)")
    print(f"year_coverage:            {coverage_s:.2f} s ({n / coverage_s / 1e6:.1f} M records/s)")
    print(f"ratio coverage / baseline: {coverage_s / baseline:.2f}")
    share = coverage.share_covered
    print(
        f"coverage: {coverage.matrix.num_rows:,} facility-activity-months,"
        f" share covered {share:.3f}, {coverage.gaps.num_rows:,} facility-activities with"
        f" gaps, {coverage.unbounded.num_rows} facilities without a facility-year"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {peak:,.0f} MiB")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
