"""Benchmark of the inventory engine on synthetic activity records.

Run: ``.venv/bin/python benchmarks/bench_inventory.py --records 10000000``.
Prints the time to build the inputs (dictionary-encoding the string columns), the best
of three runs of ``compute_inventory``, records/s, the peak resident memory, the load
average, and the speed-up over a straightforward per-record Python loop (run in full
up to ``--sample`` records, else timed on a sample and extrapolated; its company total
is checked against the engine's on that sample). ``--multi-year`` times
``compute_inventories`` over four years against four ``compute_inventory`` calls;
``--import-records N`` times importing N rows into a temporary SQLite ledger and
reading them back with ``load_inventory_inputs``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pyarrow as pa

from envledger import data
from envledger.engine import InventoryInputs, compute_inventories, compute_inventory
from envledger.engine.inputs import TIERS
from envledger.methods.energy import build_energy_coefficients
from envledger.methods.gwp import gwp_table
from envledger.methods.units import build_unit_conversions, factors_to_canonical

YEAR = 2023
#: Years of ``--multi-year`` (the demo and the site compute four); the records fall in
#: December 2022 - January 2024, so 2021 is empty and 2022 and 2024 hold one month.
YEARS = (YEAR - 2, YEAR - 1, YEAR, YEAR + 1)
GWP_SET = "AR5"
SERIES_PRIORITY = ["user", "cn_mee_nbs_electricity", "cn_ets_grid"]
FACILITIES = 2000
# (province, grid region) of the synthetic Chinese sites; every tenth site is in India.
PROVINCES = [("CN-GD", "CN-South"), ("CN-SC", "CN-Southwest"), ("CN-HE", "CN-North"),
             ("CN-BJ", "CN-North"), ("CN-SH", "CN-East"), ("CN-FJ", "CN-East"),
             ("CN-YN", "CN-South"), ("CN-JS", "CN-East")]

ACTIVITY_SCHEMA = pa.schema([
    ("record_id", pa.int64()), ("facility_code", pa.string()), ("period_start", pa.date32()),
    ("period_end", pa.date32()), ("activity", pa.string()), ("quantity", pa.float64()),
    ("unit", pa.string()), ("gas", pa.string()), ("variant", pa.string()),
    ("data_source", pa.string()), ("uncertainty_pct", pa.float64()),
])


def synthetic_activities(n: int, seed: int = 0) -> pa.Table:
    """``n`` activity records [engine input schema] drawn deterministically from ``seed``.

    About 2,000 facilities; a mix of electricity (kWh, MWh), heat, natural gas, diesel
    (stationary and vehicles, in litres), refrigerants (a pure HFC and two blends),
    wastewater COD, water and waste in several units; monthly periods of 2023, about 1 in
    14 crossing from December 2022 and 1 in 14 in 2024 (outside the year); 70 % of the
    rows invoiced, 20 % measured, 10 % estimated, 1 in 100 with its own uncertainty_pct.
    Generated in DuckDB with ``range()`` and ``hash()``: no Python loop over records.
    """
    query = f"""
        WITH r AS (SELECT range AS i, hash(range, {seed}) AS h FROM range({n})),
        d AS (
            SELECT i, h, CAST(h % {FACILITIES} AS INTEGER) AS site,
                   CAST((h >> 16) % 100 AS INTEGER) AS kind,
                   CAST((h >> 24) % 3 AS INTEGER) AS pick,
                   CAST((h >> 40) % 14 AS INTEGER) AS month,
                   CAST((h >> 48) % 10000 AS DOUBLE) / 10.0 + 1.0 AS amount
            FROM r
        ),
        a AS (
            SELECT *,
                CASE WHEN kind < 40 THEN 'electricity|kWh'
                     WHEN kind < 45 THEN 'electricity|MWh'
                     WHEN kind < 55 THEN 'natural_gas|m3'
                     WHEN kind < 60 THEN 'diesel|L'
                     WHEN kind < 63 THEN 'refrigerant|kg'
                     WHEN kind < 67 AND site % 10 <> 9 THEN 'heat|GJ'
                     WHEN kind < 67 THEN 'electricity|kWh'
                     WHEN kind < 77 THEN 'water_running|m3'
                     WHEN kind < 85 THEN 'waste_hazardous|kg'
                     WHEN kind < 95 THEN 'waste_non_hazardous|t'
                     WHEN kind < 98 THEN 'wastewater_cod|kg'
                     ELSE 'diesel_vehicle|L' END AS what,
                CASE WHEN month = 0 THEN DATE '{YEAR - 1}-12-01'
                     WHEN month = 13 THEN DATE '{YEAR + 1}-01-01'
                     ELSE make_date({YEAR}, month, 1) END AS period_start
            FROM d
        )
        SELECT i AS record_id,
               'F' || lpad(CAST(site AS VARCHAR), 5, '0') AS facility_code,
               period_start,
               CASE WHEN month = 0 THEN DATE '{YEAR}-01-31'
                    ELSE last_day(period_start) END AS period_end,
               split_part(what, '|', 1) AS activity,
               amount * CASE WHEN what = 'electricity|kWh' THEN 100.0 ELSE 1.0 END
                   AS quantity,
               split_part(what, '|', 2) AS unit,
               CASE WHEN what <> 'refrigerant|kg' THEN ''
                    WHEN pick = 0 THEN 'R-410A' WHEN pick = 1 THEN 'R-407C'
                    ELSE 'HFC-134a' END AS gas,
               CASE WHEN what <> 'wastewater_cod|kg' THEN ''
                    WHEN pick = 0 THEN 'anaerobic_reactor' ELSE 'aerobic_primary' END
                   AS variant,
               CASE WHEN (h >> 56) % 10 < 7 THEN 'invoice'
                    WHEN (h >> 56) % 10 < 9 THEN 'measured' ELSE 'estimated' END
                   AS data_source,
               CASE WHEN (h >> 56) % 100 = 99 THEN 50.0 END AS uncertainty_pct
        FROM a
    """
    with duckdb.connect() as con:
        return con.sql(query).to_arrow_table().cast(ACTIVITY_SCHEMA)


def synthetic_facilities() -> tuple[pa.Table, pa.Table, pa.Table]:
    """Facilities, facility years of YEARS (every 50th site outside the boundary), groups."""
    codes = [f"F{k:05d}" for k in range(FACILITIES)]
    india = [k % 10 == 9 for k in range(FACILITIES)]
    facilities = pa.table({
        "code": codes,
        "name": [f"Site {c}" for c in codes],
        "type": ["factory" if k % 4 == 0 else "office" for k in range(FACILITIES)],
        "country": ["IN" if i else "CN" for i in india],
        "province": ["IN-MH" if i else PROVINCES[k % 8][0] for k, i in enumerate(india)],
        "grid_region": ["IN-All" if i else PROVINCES[k % 8][1] for k, i in enumerate(india)],
        "sector": [""] * FACILITIES,
    })
    facility_years = pa.table({
        "facility_code": codes * len(YEARS),
        "year": pa.array([y for y in YEARS for _ in range(FACILITIES)], pa.int32()),
        "floor_area_m2": [500.0 + 10.0 * (k % 97) for k in range(FACILITIES)] * len(YEARS),
        "headcount": [float(k % 60) for k in range(FACILITIES)] * len(YEARS),
        "in_boundary": [k % 50 != 0 for k in range(FACILITIES)] * len(YEARS),
    })
    groups = pa.table({
        "group_name": ["India" if i else "China" for i in india]
        + ["Factories" if k % 4 == 0 else "Offices" for k in range(FACILITIES)],
        "facility_code": codes + codes,
    })
    return facilities, facility_years, groups


def reference_tables() -> dict[str, pa.Table]:
    """Every input table but ``activities``: synthetic facilities, shipped reference data."""
    catalog = data.load_activity_catalog()
    fuels = data.load_fuel_properties()
    blends = data.load_gwp_blends()
    facilities, facility_years, groups = synthetic_facilities()
    return {
        "facilities": facilities, "facility_years": facility_years, "group_members": groups,
        "factors": factors_to_canonical(data.load_factors(), catalog, fuels),
        "gwp": gwp_table(GWP_SET, blends), "blends": blends,
        "unit_conversions": build_unit_conversions(catalog, fuels),
        "energy_coefficients": build_energy_coefficients(
            catalog, data.load_energy_coefficients(), fuels, data.load_energy_carriers()),
        "catalog": catalog,
    }


def reference_inputs(activities: pa.Table) -> InventoryInputs:
    """Synthetic activity and facility tables over the shipped reference data."""
    return InventoryInputs(activities=activities, **reference_tables())


def resolve_in_python(inputs: InventoryInputs) -> dict[tuple[str, str, str], float]:
    """kg CO2e per canonical unit per (facility, activity, variant), by the documented rules."""
    rank = {tier: k for k, (tier, _) in enumerate(TIERS)}
    gwp = {r["gas"]: r["value"] for r in inputs.gwp.to_pylist()}
    series_rank = {s: k for k, s in enumerate(SERIES_PRIORITY)}
    by_activity = defaultdict(list)
    for f in inputs.factors.to_pylist():
        if f["series"].endswith("_residual_mix"):
            continue
        if (f["valid_from"] or YEAR) > YEAR or (f["valid_to"] or YEAR) < YEAR:
            continue
        by_activity[(f["activity"], f["variant"])].append(f)
    out = {}
    for site in inputs.facilities.to_pylist():
        sector = site["sector"] or ("manufacturing" if site["type"] == "factory" else "commercial")
        geo = {"measured": site["code"], "supplier": site["code"], "local": site["province"],
               "regional": site["grid_region"], "industry": site["country"],
               "national": site["country"], "international": "*"}
        for (activity, variant), candidates in by_activity.items():
            best: dict[str, tuple] = {}
            for f in candidates:
                if f["geography_code"] != geo[f["tier"]] or f["sector"] not in ("", sector):
                    continue
                if f["tier"] == "industry" and not f["sector"]:
                    continue
                year = f["data_year"]
                key = (rank[f["tier"]],
                       series_rank.get("user" if f["origin"] == "user" else f["series"], 1 << 31),
                       0 if f["sector"] else 1,
                       1 if year is not None and year > YEAR else 0,
                       (1 << 31) if year is None else (year if year > YEAR else -year),
                       f["factor_id"])
                if f["gas"] not in best or key < best[f["gas"]][0]:
                    best[f["gas"]] = (key, f["kg_per_canonical"] * gwp[f["gas"]])
            out[(site["code"], activity, variant)] = sum(v for _, v in best.values())
    return out


def per_row_inventory(
    inputs: InventoryInputs, records: pa.Table, factor_co2e: dict[tuple[str, str, str], float]
) -> tuple[float, float]:
    """Company total [tCO2e] and energy [MWh] by a plain loop over ``records``.

    What a spreadsheet-replacement script would do: dict lookups per record. ``records``
    is the plain-string table (not the engine's dictionary-encoded copy), converted to
    Python lists inside the timing, as a script reading the rows would.
    """
    boundary = {r["facility_code"] for r in inputs.facility_years.to_pylist()
                if r["year"] == YEAR and r["in_boundary"]}
    to_canonical = {(r["activity"], r["unit"]): r["to_canonical"]
                    for r in inputs.unit_conversions.to_pylist()}
    catalog = {r["activity"]: r for r in inputs.catalog.to_pylist()}
    gwp = {r["gas"]: r["value"] for r in inputs.gwp.to_pylist()}
    blend_gwp: dict[str, float] = defaultdict(float)
    for b in inputs.blends.to_pylist():
        blend_gwp[b["blend"]] += b["mass_fraction"] * gwp[b["component"]]
    mwh = {r["activity"]: r["mwh_per_canonical"]
           for r in inputs.energy_coefficients.to_pylist()}
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    total_kg = total_mwh = 0.0
    columns = [records[c].to_pylist() for c in
               ("facility_code", "period_start", "period_end", "activity", "quantity", "unit",
                "gas", "variant")]
    for code, start, end, activity, quantity, unit, gas, variant in zip(*columns, strict=True):
        if code not in boundary or end < first or start > last:
            continue
        days = (min(end, last) - max(start, first)).days + 1
        q = quantity * days / ((end - start).days + 1) * to_canonical[(activity, unit)]
        method = catalog[activity]["emission_method"]
        if method == "factor":
            total_kg += q * factor_co2e[(code, activity, variant)]
        elif method == "gas_mass":
            total_kg += q * (blend_gwp[gas] if gas in blend_gwp else gwp[gas])
        if catalog[activity]["energy_class"] in ("direct", "indirect"):
            total_mwh += q * mwh[activity]
    return total_kg / 1000.0, total_mwh


def peak_mib() -> float:
    """Peak resident memory of this process so far [MiB] (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    """The 1, 5 and 15 minute load averages of the machine, and its core count."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


T = TypeVar("T")


def best_of(runs: int, run: Callable[[], T]) -> tuple[float, list[float], T]:
    """Best wall time [s] of ``runs`` calls of ``run``, every time [s], the last result."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), times, result


def import_benchmark(n: int, seed: int) -> list[tuple[str, str]]:
    """Import ``n`` synthetic activity rows into a temporary SQLite ledger, read them back.

    Rows are daily records of the synthetic facilities with a unique natural key each
    (facility x day), as CSV with a facilities file; times ``import_activities`` (rows/s)
    and ``load_inventory_inputs`` for the year of most rows.
    """
    from envledger.io.limits import ReadLimits
    from envledger.services.inventory.calculate import prepare_ledger
    from envledger.services.ledger.importing import import_activities, import_facilities
    from envledger.services.ledger.tables import load_inventory_inputs

    records = synthetic_activities(n, seed).to_pylist()
    facilities, facility_years, groups = synthetic_facilities()
    groups_of: dict[str, list[str]] = defaultdict(list)
    for member in groups.to_pylist():
        groups_of[member["facility_code"]].append(member["group_name"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'ledger.db'}"
        site = {f["code"]: f for f in facilities.to_pylist()}
        with open(folder / "facilities.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["code", "name", "type", "country", "province", "grid_region",
                             "groups", "year", "floor_area_m2", "headcount", "in_boundary"])
            for fy in facility_years.to_pylist():
                f = site[fy["facility_code"]]
                writer.writerow([f["code"], f["name"], f["type"], f["country"], f["province"],
                                 f["grid_region"], ";".join(groups_of[f["code"]]), fy["year"],
                                 fy["floor_area_m2"], fy["headcount"],
                                 "yes" if fy["in_boundary"] else "no"])
        first = dt.date(YEAR, 1, 1)
        with open(folder / "activities.csv", "w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["facility_code", "period_start", "period_end", "activity",
                             "quantity", "unit", "data_source", "gas", "treatment"])
            for k, r in enumerate(records):
                # facility x day is unique, so is the natural key; one-day periods
                day = first + dt.timedelta(days=k // FACILITIES)
                writer.writerow([f"F{k % FACILITIES:05d}", day, day, r["activity"],
                                 r["quantity"], r["unit"], "measured", r["gas"], r["variant"]])
        size = (folder / "activities.csv").stat().st_size
        prepare_ledger(url)
        import_facilities(url, folder / "facilities.csv")
        start = time.perf_counter()
        # Over the default 50 MB / 2 M-row import limits, as `--max-file-mb` allows.
        limits = replace(ReadLimits.from_settings(), max_bytes=size + 1, max_rows=n + 1)
        result = import_activities(url, folder / "activities.csv", limits=limits)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        inputs = load_inventory_inputs(url, YEAR)
        loaded = time.perf_counter() - start
    return [
        (f"import_activities, {result.rows_added:,} rows ({size / 2**20:,.0f} MiB CSV)",
         f"{imported:8.2f} s ({result.rows_added / imported:,.0f} rows/s)"),
        (f"load_inventory_inputs({YEAR}), {inputs.activities.num_rows:,} rows",
         f"{loaded:8.2f} s ({inputs.activities.num_rows / loaded:,.0f} rows/s)"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=1_000_000,
                        help="records for the per-row Python loop (extrapolated to --records"
                             " when smaller)")
    parser.add_argument("--runs", type=int, default=3, help="engine runs; the best is shown")
    parser.add_argument("--multi-year", action="store_true",
                        help=f"also time compute_inventories over {YEARS}")
    parser.add_argument("--import-records", type=int, default=0, metavar="N",
                        help="also time importing N rows into a SQLite ledger and loading them")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    load_before = load()

    t0 = time.perf_counter()
    activities = synthetic_activities(args.records, args.seed)
    t1 = time.perf_counter()
    tables = reference_tables()
    t2 = time.perf_counter()
    inputs = InventoryInputs(activities=activities, **tables)  # dictionary-encodes
    t3 = time.perf_counter()
    engine, engine_runs, inventory = best_of(
        args.runs, lambda: compute_inventory(inputs, YEAR, GWP_SET, SERIES_PRIORITY))
    memory = peak_mib()

    n_sample = min(args.sample, args.records)
    records = activities.slice(0, n_sample)
    sample = InventoryInputs(activities=records, **tables)
    engine_sample = compute_inventory(sample, YEAR, GWP_SET, SERIES_PRIORITY)
    t4 = time.perf_counter()
    factor_co2e = resolve_in_python(sample)
    t5 = time.perf_counter()
    loop_t, loop_mwh = per_row_inventory(sample, records, factor_co2e)
    t6 = time.perf_counter()
    engine_t = engine_sample.company_totals["total_t"][0].as_py()
    engine_mwh = engine_sample.company_totals["total_mwh"][0].as_py()
    loop_rate = n_sample / (t6 - t5)
    loop_full = (t5 - t4) + args.records / loop_rate
    extrapolated = n_sample < args.records
    encode = t3 - t2

    runs = ", ".join(f"{t:.2f}" for t in engine_runs)
    loop_label = (f"per-row total, EXTRAPOLATED to {args.records:,}" if extrapolated
                  else f"per-row total, {args.records:,} records (run in full)")
    rows: list[tuple[str, Any]] = [
        ("records", f"{args.records:,}"),
        ("load average before (1, 5, 15 min)", load_before),
        ("generate activities (DuckDB range)", f"{t1 - t0:8.2f} s"),
        ("load reference data", f"{t2 - t1:8.2f} s"),
        ("InventoryInputs (dictionary-encode keys)", f"{encode:8.2f} s"),
        (f"compute_inventory, best of {args.runs}", f"{engine:8.2f} s  (runs: {runs})"),
        ("engine throughput", f"{args.records / engine:,.0f} records/s"),
        ("encode + compute_inventory", f"{encode + engine:8.2f} s"),
        ("result lines / facilities", f"{inventory.lines.num_rows:,} / "
                                      f"{inventory.facility_totals.num_rows:,}"),
        ("company total", f"{inventory.company_totals['total_t'][0].as_py():,.1f} tCO2e"),
        ("peak RSS (ru_maxrss, after compute)", f"{memory:,.0f} MiB"),
        ("per-row Python: factor resolution (once)", f"{t5 - t4:8.2f} s"),
        (f"per-row Python loop, {n_sample:,} records", f"{t6 - t5:8.2f} s "
                                                       f"({loop_rate:,.0f} records/s)"),
        (loop_label, f"{loop_full:8.1f} s"),
        ("speed-up: loop / compute_inventory", f"{loop_full / engine:,.0f} x"),
        ("speed-up: loop / (encode + compute)", f"{loop_full / (encode + engine):,.0f} x"),
        ("sample check, engine vs loop [tCO2e]", f"{engine_t:,.6f} vs {loop_t:,.6f}"),
        ("sample check, engine vs loop [MWh]", f"{engine_mwh:,.6f} vs {loop_mwh:,.6f}"),
    ]
    if args.multi_year:
        several, several_runs, _ = best_of(
            args.runs, lambda: compute_inventories(inputs, YEARS, GWP_SET, SERIES_PRIORITY))
        one_by_one, one_runs, _ = best_of(args.runs, lambda: [
            compute_inventory(inputs, y, GWP_SET, SERIES_PRIORITY) for y in YEARS])
        rows += [
            (f"compute_inventories({YEARS[0]}-{YEARS[-1]}), best of {args.runs}",
             f"{several:8.2f} s  (runs: {', '.join(f'{t:.2f}' for t in several_runs)})"),
            (f"{len(YEARS)} x compute_inventory, best of {args.runs}",
             f"{one_by_one:8.2f} s  (runs: {', '.join(f'{t:.2f}' for t in one_runs)})"),
        ]
    if args.import_records:
        rows += import_benchmark(args.import_records, args.seed)
    rows.append(("load average after (1, 5, 15 min)", load()))
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    for engine_value, loop_value in ((engine_t, loop_t), (engine_mwh, loop_mwh)):
        if abs(engine_value - loop_value) > 1e-9 * max(1.0, abs(loop_value)):
            raise SystemExit("engine and per-row loop disagree on the sample")


if __name__ == "__main__":
    main()
